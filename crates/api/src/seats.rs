//! Seat Management (SPEC M1–M4): the seat list's query and badge, per-seat and
//! bulk CRM sync, "Assign seats from CRM", licences, and set-password links.
//!
//! The seat-limit arithmetic ([`seats_free`], [`check_assignment`]) lives here
//! so the page can show the same sentence the server answers with.

use serde::{Deserialize, Serialize};

use crate::crm::CrmProblem;
use crate::error::FieldError;
use crate::ids::PersonId;
use crate::people::{Licence, Seat};
use crate::validate::{self, Rule};

/// The most ids one bulk request may carry (it stays well under the body limit).
pub const MAX_BULK: usize = 1000;

/// The longest search text the lists accept.
pub const MAX_SEARCH_LEN: usize = 200;

/// How long a set-password link works: 72 hours.
pub const PASSWORD_LINK_HOURS: i64 = 72;

/// The answer when per-seat CRM sync is changed while S1 is Yes.
pub const AUTO_SYNC_ALL_ON: &str =
    "Every seat holder syncs while 'Auto sync all seat holders with CRM?' is Yes.";

/// The answer when the last admin would be removed or demoted.
pub const LAST_ADMIN: &str = "This is the organization's last admin. \
     Give someone else an admin licence first.";

/// The answer to a set-password token that is unknown, used or expired.
pub const BAD_PASSWORD_LINK: &str = "This link is not valid: it was already used, replaced by \
     a newer one, or has expired. Ask your admin for a new link.";

/// Why a seat shows no "In CRM" badge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotInCrmReason {
    /// CRM sync is not active for this person (S1 is No and their sync is
    /// off, or they hold no team-member seat).
    SyncOff,
    /// No enabled CRM user has this person's email.
    NoCrmUser,
    /// No CRM is connected.
    NotConnected,
}

impl NotInCrmReason {
    /// The badge rule: `None` is "In CRM"; otherwise the first reason that
    /// applies, in the order the admin can fix them (connect, switch on, match).
    pub fn of(connected: bool, sync_active: bool, matched: bool) -> Option<Self> {
        if !connected {
            Some(NotInCrmReason::NotConnected)
        } else if !sync_active {
            Some(NotInCrmReason::SyncOff)
        } else if !matched {
            Some(NotInCrmReason::NoCrmUser)
        } else {
            None
        }
    }
}

/// Column the seat list is sorted by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SeatSort {
    /// Full name (any case), the default.
    #[default]
    Name,
    /// Email.
    Email,
    /// Licence: admin, admin and team member, team member; then by name.
    Licence,
}

/// Sort direction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    /// Ascending, the default.
    #[default]
    Asc,
    /// Descending.
    Desc,
}

/// Seat-list filter on the CRM sync state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SyncFilter {
    /// CRM sync active (S1 Yes, or switched on for the seat).
    On,
    /// CRM sync not active.
    Off,
}

/// `PUT /api/admin/seats/{id}/crm-sync`: "Enable CRM Sync" / "Disable CRM Sync" (M2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetCrmSync {
    /// On or off.
    pub enabled: bool,
}

/// `POST /api/admin/seats/crm-sync`: bulk enable or disable (M4). All or nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkCrmSync {
    /// The seats, 1 to [`MAX_BULK`]; repeats count once.
    pub person_ids: Vec<PersonId>,
    /// On or off.
    pub enabled: bool,
}

impl BulkCrmSync {
    /// Between one and [`MAX_BULK`] ids.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        count_rule("person_ids", self.person_ids.len())
    }
}

/// What a (bulk) CRM sync change did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrmSyncSummary {
    /// Seats whose switch changed.
    pub changed: u32,
    /// Seats that already had the asked state.
    pub unchanged: u32,
}

/// One user of the connected CRM, for "Assign seats from CRM" (M3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrmUser {
    /// The CRM's `systemuserid`.
    pub systemuserid: String,
    /// Full name in the CRM.
    pub name: String,
    /// Primary email (lower case), if the CRM has one.
    pub email: Option<String>,
    /// Someone in the organization already signs in with this email.
    pub has_seat: bool,
    /// That person, when `has_seat`.
    pub person_id: Option<PersonId>,
}

/// A page of the CRM's enabled users.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrmUserPage {
    /// The rows of this page, by name.
    pub items: Vec<CrmUser>,
    /// Rows matching the query in all.
    pub total: u64,
    /// Offset of the first row.
    pub offset: u64,
    /// Page size asked for.
    pub limit: u64,
    /// When the list was last read from the CRM (RFC 3339), if ever.
    pub refreshed_at: Option<String>,
    /// Why the last refresh failed, when it did (the rows are then older).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<CrmProblem>,
    /// Team-member seats free in the contract now.
    pub seats_free: u32,
}

/// `POST /api/admin/crm-users/refresh`: what reading the CRM's users did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrmUsersRefreshed {
    /// The list was read and replaced.
    pub refreshed: bool,
    /// Enabled CRM users now known.
    pub count: u64,
    /// Why reading failed (the old list is kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<CrmProblem>,
}

/// `POST /api/admin/seats/assign`: give CRM users a seat (M3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignSeats {
    /// The CRM users, 1 to [`MAX_BULK`]; repeats count once.
    pub systemuserids: Vec<String>,
    /// The licence each new person gets.
    pub licence: Licence,
}

impl AssignSeats {
    /// Between one and [`MAX_BULK`] ids.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        count_rule("systemuserids", self.systemuserids.len())
    }
}

/// A one-time link that lets a person choose their password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordLink {
    /// Relative URL of the app page, e.g. `/set-password?token=…`.
    pub url: String,
    /// When it stops working (RFC 3339).
    pub expires_at: String,
}

/// A person created by "Assign seats from CRM", with their set-password link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignedSeat {
    /// The new seat.
    pub seat: Seat,
    /// The CRM user it came from.
    pub systemuserid: String,
    /// Their one-time link (shown once; pass it on by hand).
    pub password_link: PasswordLink,
}

/// Why a CRM user got no seat.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// Someone in the organization already signs in with this email.
    AlreadyHasSeat,
    /// The email belongs to a person of another organization.
    EmailInUse,
    /// The CRM user has no (valid) email to sign in with.
    NoEmail,
    /// No enabled CRM user with this id (refresh the list).
    NotFound,
}

/// A CRM user that was skipped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SkippedCrmUser {
    /// The CRM's `systemuserid`.
    pub systemuserid: String,
    /// Why.
    pub reason: SkipReason,
    /// The person holding the email, for `already_has_seat`.
    pub person_id: Option<PersonId>,
}

/// The answer to [`AssignSeats`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignOutcome {
    /// The people created, in the order asked.
    pub assigned: Vec<AssignedSeat>,
    /// The CRM users skipped, in the order asked.
    pub skipped: Vec<SkippedCrmUser>,
    /// Team-member seats free afterwards.
    pub seats_free: u32,
}

/// `PUT /api/admin/seats/{id}/licence`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeLicence {
    /// The new licence.
    pub licence: Licence,
}

/// `POST /api/set-password`: choose a password with a one-time link's token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetPassword {
    /// The token from the link.
    pub token: String,
    /// The new password (at least 8 characters).
    pub password: String,
}

// Hand-written so neither the token nor the password reaches a log line.
impl std::fmt::Debug for SetPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SetPassword").finish_non_exhaustive()
    }
}

impl SetPassword {
    /// The password rules of first-run set-up; a token must be present.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        validate::collect([
            validate::check("token", &self.token, &[Rule::Required, Rule::MaxLen(128)]),
            validate::check(
                "password",
                &self.password,
                &[Rule::Required, Rule::MinLen(8), Rule::MaxLen(1024)],
            ),
        ])
    }
}

/// Assigning would go beyond the contract's team-member seats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeatLimitError {
    /// Team-member seats in the contract.
    pub limit: u32,
    /// Team-member seats in use.
    pub used: u32,
    /// Team-member seats asked for.
    pub requested: u32,
}

impl SeatLimitError {
    /// Seats still free.
    pub fn free(&self) -> u32 {
        seats_free(self.limit, self.used)
    }

    /// The sentence people see.
    pub fn message(&self) -> String {
        let free = self.free();
        let seats = |n: u32| if n == 1 { "seat" } else { "seats" };
        format!(
            "Not enough seats: {} team-member {} asked for, but only {free} of {} {} free. \
             Nothing was changed.",
            self.requested,
            seats(self.requested),
            self.limit,
            if free == 1 { "is" } else { "are" },
        )
    }
}

/// Team-member seats still free (never below zero, even when over the limit).
pub fn seats_free(limit: u32, used: u32) -> u32 {
    limit.saturating_sub(used)
}

/// Whether `requested` more team-member seats fit in the contract.
pub fn check_assignment(limit: u32, used: u32, requested: u32) -> Result<(), SeatLimitError> {
    if requested <= seats_free(limit, used) {
        Ok(())
    } else {
        Err(SeatLimitError {
            limit,
            used,
            requested,
        })
    }
}

fn count_rule(field: &str, count: usize) -> Result<(), Vec<FieldError>> {
    if count == 0 {
        Err(vec![FieldError {
            field: field.into(),
            code: "required".into(),
            message: "Select at least one.".into(),
        }])
    } else if count > MAX_BULK {
        Err(vec![FieldError {
            field: field.into(),
            code: "too_many".into(),
            message: format!("Select at most {MAX_BULK} at a time."),
        }])
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seats_free_never_goes_below_zero() {
        assert_eq!(seats_free(10, 3), 7);
        assert_eq!(seats_free(10, 10), 0);
        assert_eq!(seats_free(10, 12), 0);
    }

    #[test]
    fn exact_limit_fits_and_one_more_does_not() {
        assert_eq!(check_assignment(10, 7, 3), Ok(()));
        assert_eq!(check_assignment(10, 7, 0), Ok(()));
        let err = check_assignment(10, 7, 4).unwrap_err();
        assert_eq!(
            err,
            SeatLimitError {
                limit: 10,
                used: 7,
                requested: 4
            }
        );
        assert_eq!(err.free(), 3);
        assert_eq!(
            err.message(),
            "Not enough seats: 4 team-member seats asked for, but only 3 of 10 are free. \
             Nothing was changed."
        );
        assert!(check_assignment(10, 12, 1).is_err());
        assert!(
            check_assignment(1, 0, 2)
                .unwrap_err()
                .message()
                .contains("only 1 of 1 is free")
        );
    }

    #[test]
    fn badge_reasons_in_order() {
        assert_eq!(NotInCrmReason::of(true, true, true), None);
        assert_eq!(
            NotInCrmReason::of(false, true, true),
            Some(NotInCrmReason::NotConnected)
        );
        assert_eq!(
            NotInCrmReason::of(true, false, false),
            Some(NotInCrmReason::SyncOff)
        );
        assert_eq!(
            NotInCrmReason::of(true, true, false),
            Some(NotInCrmReason::NoCrmUser)
        );
    }

    #[test]
    fn bulk_counts_are_bounded() {
        let bulk = |n: usize| BulkCrmSync {
            person_ids: (0..n).map(|i| PersonId(i.to_string())).collect(),
            enabled: true,
        };
        assert!(bulk(1).validate().is_ok());
        assert!(bulk(MAX_BULK).validate().is_ok());
        assert_eq!(bulk(0).validate().unwrap_err()[0].code, "required");
        assert_eq!(
            bulk(MAX_BULK + 1).validate().unwrap_err()[0].code,
            "too_many"
        );
    }

    #[test]
    fn set_password_needs_eight_characters_and_hides_secrets() {
        let form = SetPassword {
            token: "abc".into(),
            password: "1234567".into(),
        };
        assert_eq!(form.validate().unwrap_err()[0].code, "too_short");
        assert!(!format!("{form:?}").contains("1234567"));
        let ok = SetPassword {
            password: "12345678".into(),
            ..form
        };
        assert!(ok.validate().is_ok());
    }

    #[test]
    fn wire_names() {
        assert_eq!(
            serde_json::to_string(&NotInCrmReason::NoCrmUser).unwrap(),
            r#""no_crm_user""#
        );
        assert_eq!(
            serde_json::from_str::<SeatSort>(r#""licence""#).unwrap(),
            SeatSort::Licence
        );
    }
}
