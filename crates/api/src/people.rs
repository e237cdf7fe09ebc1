//! Organizations, people, licences and seats.

use serde::{Deserialize, Serialize};

use crate::ids::{OrganizationId, PersonId};

/// What a person may do. Only team-member seats count against the contract.
///
/// The person who sets Navsync up usually needs both: admin to connect the
/// CRM and manage seats, team member to use the workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Licence {
    /// Admin pages only (CRM Settings, Seat Management); takes no seat.
    Admin,
    /// A seat: messages, saved leads and accounts.
    TeamMember,
    /// Both sets of pages; takes a seat.
    AdminAndTeamMember,
}

impl Licence {
    /// Builds the licence from its two flags; `None` when neither is set.
    pub fn from_flags(admin: bool, team_member: bool) -> Option<Self> {
        match (admin, team_member) {
            (true, true) => Some(Licence::AdminAndTeamMember),
            (true, false) => Some(Licence::Admin),
            (false, true) => Some(Licence::TeamMember),
            (false, false) => None,
        }
    }

    /// May use the admin pages.
    pub fn is_admin(self) -> bool {
        matches!(self, Licence::Admin | Licence::AdminAndTeamMember)
    }

    /// Holds a team-member seat (counts against the contract).
    pub fn is_team_member(self) -> bool {
        matches!(self, Licence::TeamMember | Licence::AdminAndTeamMember)
    }
}

/// The UI language, remembered per person.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Locale {
    /// English.
    #[default]
    En,
    /// Dutch.
    Nl,
}

impl Locale {
    /// BCP 47 tag for the `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Nl => "nl",
        }
    }

    /// Parses a BCP 47 tag such as `nl-BE`; unknown languages are `None`.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Locale::En),
            "nl" => Some(Locale::Nl),
            _ => None,
        }
    }
}

/// An organization as its members see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Organization {
    /// Its id.
    pub id: OrganizationId,
    /// Display name, shown in the header.
    pub name: String,
    /// Team-member seats in the contract.
    pub seat_limit: u32,
    /// Team-member seats in use.
    pub seats_used: u32,
}

/// A person as they see themselves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Person {
    /// Their id.
    pub id: PersonId,
    /// Full name.
    pub name: String,
    /// Sign-in email (lower case).
    pub email: String,
    /// What they may do.
    pub licence: Licence,
    /// Their UI language.
    pub locale: Locale,
}

/// One row of the admin's seat list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Seat {
    /// The person's id.
    pub id: PersonId,
    /// Full name.
    pub name: String,
    /// Sign-in email.
    pub email: String,
    /// Licence type.
    pub licence: Licence,
    /// CRM sync switched on for this person (per-seat setting; S1 may override it).
    pub crm_sync_enabled: bool,
    /// CRM sync is active for this person: they hold a team-member seat, and
    /// S1 is Yes or `crm_sync_enabled` is on.
    #[serde(default)]
    pub crm_sync_active: bool,
    /// The "In CRM" badge: sync active and matched to a CRM user by email.
    #[serde(default)]
    pub in_crm: bool,
    /// Why there is no badge (`None` when `in_crm`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_in_crm_reason: Option<crate::seats::NotInCrmReason>,
}

/// A page of seats.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeatPage {
    /// The rows of this page, in the order asked for (by name by default).
    pub items: Vec<Seat>,
    /// Rows matching the query in all.
    pub total: u64,
    /// Offset of the first row.
    pub offset: u64,
    /// Page size asked for.
    pub limit: u64,
    /// S1 "Auto sync all seat holders with CRM?": while Yes, per-seat switches are locked.
    #[serde(default)]
    pub auto_sync_all: bool,
    /// A CRM is connected.
    #[serde(default)]
    pub crm_connected: bool,
    /// Team-member seats in the contract.
    #[serde(default)]
    pub seat_limit: u32,
    /// Team-member seats in use.
    #[serde(default)]
    pub seats_used: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licence_flags_round_trip() {
        for licence in [
            Licence::Admin,
            Licence::TeamMember,
            Licence::AdminAndTeamMember,
        ] {
            assert_eq!(
                Licence::from_flags(licence.is_admin(), licence.is_team_member()),
                Some(licence)
            );
        }
        assert_eq!(Licence::from_flags(false, false), None);
    }

    #[test]
    fn only_team_member_licences_take_a_seat() {
        assert!(!Licence::Admin.is_team_member());
        assert!(Licence::TeamMember.is_team_member());
        assert!(Licence::AdminAndTeamMember.is_team_member());
        assert!(!Licence::TeamMember.is_admin());
    }

    #[test]
    fn locale_parses_region_tags() {
        assert_eq!(Locale::from_tag("nl-BE"), Some(Locale::Nl));
        assert_eq!(Locale::from_tag("EN_us"), Some(Locale::En));
        assert_eq!(Locale::from_tag("de"), None);
        assert_eq!(Locale::from_tag(""), None);
    }

    #[test]
    fn licence_wire_names() {
        assert_eq!(
            serde_json::to_string(&Licence::AdminAndTeamMember).unwrap(),
            r#""admin_and_team_member""#
        );
    }
}
