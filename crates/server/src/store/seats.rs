//! Seat Management (SPEC M1–M4): the seat list with its "In CRM" state, the
//! CRM's users, per-seat CRM sync, assigning seats, licences, removing seats,
//! and set-password links — each change and its audit entry in one
//! transaction.
//!
//! Changes that check a count first (seats in use, admins left) take the
//! write lock up front (`BEGIN IMMEDIATE`), so two admins acting at once
//! cannot both pass the check.

use std::collections::HashSet;

use navsync_api::seats::{
    SeatLimitError, SeatSort, SkipReason, SortOrder, SyncFilter, check_assignment,
};
use navsync_api::validate::{self, Rule};
use navsync_api::{Licence, OrganizationId, PersonId};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, Transaction};

use super::organizations::escape_like;
use super::{Store, StoreError, now_unix};

/// Why a seat change was refused (nothing was changed).
#[derive(Debug, thiserror::Error)]
pub enum SeatChangeError {
    /// A person is not in the organization.
    #[error("no such person in the organization")]
    NotFound,
    /// These people hold no team-member seat (CRM sync is for seat holders).
    #[error("not seat holders: {0:?}")]
    NotSeatHolder(Vec<PersonId>),
    /// S1 "Auto sync all" is Yes: per-seat switches are locked.
    #[error("auto sync all is on")]
    AutoSyncAll,
    /// The change would leave the organization without an admin.
    #[error("last admin")]
    LastAdmin,
    /// The change would go beyond the contract's team-member seats.
    #[error("seat limit: {0:?}")]
    SeatLimit(SeatLimitError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for SeatChangeError {
    fn from(err: sqlx::Error) -> Self {
        SeatChangeError::Store(StoreError::Database(err))
    }
}

/// What the seat list needs to know about the organization.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeatOverview {
    /// S1 "Auto sync all seat holders with CRM?" (Yes when never saved).
    pub auto_sync_all: bool,
    /// A CRM is connected.
    pub connected: bool,
    /// Team-member seats in the contract.
    pub seat_limit: u32,
    /// Team-member seats in use.
    pub seats_used: u32,
}

/// Search, filters, order and page of the seat list.
#[derive(Clone, Debug, Default)]
pub struct SeatListQuery {
    /// Name or email contains this (any case).
    pub search: Option<String>,
    /// Only this licence.
    pub licence: Option<Licence>,
    /// Only seats whose CRM sync is (not) active.
    pub sync: Option<SyncFilter>,
    /// Only seats (not) matched to a CRM user by email.
    pub matched: Option<bool>,
    /// Sort column.
    pub sort: SeatSort,
    /// Sort direction.
    pub order: SortOrder,
    /// Rows to skip.
    pub offset: u64,
    /// Rows to return.
    pub limit: u64,
}

/// One row of the seat list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeatRecord {
    /// The person.
    pub id: PersonId,
    /// Full name.
    pub name: String,
    /// Sign-in email.
    pub email: String,
    /// Licence.
    pub licence: Licence,
    /// The per-seat switch.
    pub crm_sync_enabled: bool,
    /// Sync active: a team-member seat, and S1 Yes or the switch on.
    pub sync_active: bool,
    /// A CRM is connected and one of its enabled users has this email.
    pub matched: bool,
}

/// A CRM user as read from the connector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCrmUser {
    /// `systemuserid`.
    pub systemuserid: String,
    /// Full name.
    pub fullname: String,
    /// Primary email (stored lower case).
    pub email: Option<String>,
    /// Entra object id.
    pub azure_object_id: Option<String>,
    /// Disabled in the CRM.
    pub isdisabled: bool,
}

/// One row of the CRM user list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrmUserRecord {
    /// `systemuserid`.
    pub systemuserid: String,
    /// Full name.
    pub fullname: String,
    /// Email, lower case.
    pub email: Option<String>,
    /// The person of the organization with this email, if any.
    pub person_id: Option<PersonId>,
}

/// A person created from a CRM user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssignedPerson {
    /// The CRM user.
    pub systemuserid: String,
    /// The new person.
    pub person_id: PersonId,
}

/// A CRM user that got no seat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedUser {
    /// The CRM user.
    pub systemuserid: String,
    /// Why.
    pub reason: SkipReason,
    /// The person already holding the email, for `AlreadyHasSeat`.
    pub person_id: Option<PersonId>,
}

/// What assigning did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssignResult {
    /// Created, in the order asked.
    pub assigned: Vec<AssignedPerson>,
    /// Skipped, in the order asked.
    pub skipped: Vec<SkippedUser>,
}

const LICENCE_RANK: &str = "CASE WHEN p.is_admin AND NOT p.is_team_member THEN 0 \
     WHEN p.is_admin THEN 1 ELSE 2 END";

impl Store {
    /// S1, the connection, and the seat counts of an organization.
    pub async fn seat_overview(
        &self,
        organization: &OrganizationId,
    ) -> Result<SeatOverview, StoreError> {
        let (auto_sync_all, connected, seat_limit, seats_used): (i64, i64, i64, i64) =
            sqlx::query_as(
                "SELECT \
                   COALESCE((SELECT auto_sync_all FROM crm_settings WHERE organization_id = ?1), 1), \
                   EXISTS (SELECT 1 FROM crm_connections WHERE organization_id = ?1), \
                   COALESCE((SELECT seat_limit FROM organizations WHERE id = ?1), 0), \
                   (SELECT COUNT(*) FROM people WHERE organization_id = ?1 AND is_team_member = 1)",
            )
            .bind(organization.as_str())
            .fetch_one(&self.pool)
            .await?;
        Ok(SeatOverview {
            auto_sync_all: auto_sync_all != 0,
            connected: connected != 0,
            seat_limit: u32::try_from(seat_limit).unwrap_or(0),
            seats_used: u32::try_from(seats_used).unwrap_or(u32::MAX),
        })
    }

    /// One page of the seat list and how many rows match in all.
    pub async fn seat_page(
        &self,
        organization: &OrganizationId,
        query: &SeatListQuery,
        overview: &SeatOverview,
    ) -> Result<(Vec<SeatRecord>, u64), StoreError> {
        let pattern = query
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| format!("%{}%", escape_like(&s.to_lowercase())));
        let filters = SeatFilters {
            pattern,
            licence: query.licence,
            sync: query.sync.map(|s| s == SyncFilter::On),
            matched: query.matched,
            person: None,
        };
        let mut count = QueryBuilder::<Sqlite>::new("SELECT COUNT(*)");
        push_seat_filters(&mut count, organization, &filters, overview);
        let (total,): (i64,) = count.build_query_as().fetch_one(&self.pool).await?;
        let dir = match query.order {
            SortOrder::Asc => "ASC",
            SortOrder::Desc => "DESC",
        };
        // Each order is an index walk (name, email) except the licence, whose
        // rank is computed; email is unique, so it needs no tie-breaker.
        let order_by = match query.sort {
            SeatSort::Name => format!("p.name COLLATE NOCASE {dir}, p.id {dir}"),
            SeatSort::Email => format!("p.email {dir}"),
            SeatSort::Licence => {
                format!("{LICENCE_RANK} {dir}, p.name COLLATE NOCASE {dir}, p.id {dir}")
            }
        };
        let mut page = seat_select(overview);
        push_seat_filters(&mut page, organization, &filters, overview);
        page.push(format_args!(" ORDER BY {order_by} LIMIT "))
            .push_bind(i64::try_from(query.limit).unwrap_or(i64::MAX))
            .push(" OFFSET ")
            .push_bind(i64::try_from(query.offset).unwrap_or(i64::MAX));
        let rows = page.build().fetch_all(&self.pool).await?;
        let seats = rows.iter().map(seat_from_row).collect::<Result<_, _>>()?;
        Ok((seats, u64::try_from(total).unwrap_or(0)))
    }

    /// One seat of the organization, as the list shows it.
    pub async fn find_seat(
        &self,
        organization: &OrganizationId,
        person: &PersonId,
        overview: &SeatOverview,
    ) -> Result<Option<SeatRecord>, StoreError> {
        let filters = SeatFilters {
            person: Some(person.as_str().to_owned()),
            ..SeatFilters::default()
        };
        let mut select = seat_select(overview);
        push_seat_filters(&mut select, organization, &filters, overview);
        let row = select.build().fetch_optional(&self.pool).await?;
        row.as_ref().map(seat_from_row).transpose()
    }

    /// Switches CRM sync on or off for `people`, all or nothing: every id
    /// must be a seat holder of the organization, and S1 must be No.
    /// Returns (changed, unchanged).
    pub async fn set_crm_sync(
        &self,
        organization: &OrganizationId,
        actor: &PersonId,
        people: &[PersonId],
        enabled: bool,
    ) -> Result<(u32, u32), SeatChangeError> {
        let ids = unique(people.iter().map(PersonId::as_str));
        let ids_json = serde_json::to_string(&ids)
            .map_err(|err| StoreError::Database(sqlx::Error::Protocol(err.to_string())))?;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let (auto_sync_all,): (i64,) = sqlx::query_as(
            "SELECT COALESCE((SELECT auto_sync_all FROM crm_settings WHERE organization_id = ?), 1)",
        )
        .bind(organization.as_str())
        .fetch_one(&mut *tx)
        .await?;
        if auto_sync_all != 0 {
            return Err(SeatChangeError::AutoSyncAll);
        }
        let rows: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT id, email, is_team_member FROM people \
             WHERE organization_id = ? AND id IN (SELECT value FROM json_each(?))",
        )
        .bind(organization.as_str())
        .bind(&ids_json)
        .fetch_all(&mut *tx)
        .await?;
        if rows.len() != ids.len() {
            return Err(SeatChangeError::NotFound);
        }
        let not_holders: Vec<PersonId> = rows
            .iter()
            .filter(|(_, _, team)| *team == 0)
            .map(|(id, _, _)| PersonId(id.clone()))
            .collect();
        if !not_holders.is_empty() {
            return Err(SeatChangeError::NotSeatHolder(not_holders));
        }
        let changed = sqlx::query(
            "UPDATE people SET crm_sync_enabled = ?1 WHERE organization_id = ?2 \
             AND id IN (SELECT value FROM json_each(?3)) AND crm_sync_enabled != ?1",
        )
        .bind(enabled)
        .bind(organization.as_str())
        .bind(&ids_json)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let changed = u32::try_from(changed).unwrap_or(u32::MAX);
        let total = u32::try_from(ids.len()).unwrap_or(u32::MAX);
        let emails: Vec<&str> = rows.iter().map(|(_, email, _)| email.as_str()).collect();
        insert_audit(
            &mut tx,
            organization,
            actor,
            "seats.crm_sync",
            &format!(
                "CRM sync {} for {} ({changed} changed): {}",
                if enabled { "enabled" } else { "disabled" },
                total,
                summarize(&emails)
            ),
        )
        .await?;
        tx.commit().await?;
        Ok((changed, total.saturating_sub(changed)))
    }

    /// Replaces the organization's CRM users with `users`, and records when.
    pub async fn replace_crm_users(
        &self,
        organization: &OrganizationId,
        users: &[NewCrmUser],
    ) -> Result<(), StoreError> {
        let now = now_unix();
        let mut tx = self.write_tx().await?;
        sqlx::query("DELETE FROM crm_directory WHERE organization_id = ?")
            .bind(organization.as_str())
            .execute(&mut *tx)
            .await?;
        let mut seen = HashSet::new();
        for user in users {
            if !seen.insert(user.systemuserid.as_str()) {
                continue;
            }
            let email = user
                .email
                .as_deref()
                .map(validate::normalize_email)
                .filter(|e| !e.is_empty());
            sqlx::query(
                "INSERT INTO crm_directory (organization_id, systemuserid, fullname, email, \
                 azure_object_id, isdisabled, refreshed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(organization.as_str())
            .bind(&user.systemuserid)
            .bind(user.fullname.trim())
            .bind(email)
            .bind(user.azure_object_id.as_deref())
            .bind(user.isdisabled)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "INSERT INTO crm_directory_refreshes (organization_id, refreshed_at) VALUES (?, ?) \
             ON CONFLICT (organization_id) DO UPDATE SET refreshed_at = excluded.refreshed_at",
        )
        .bind(organization.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// When the organization's CRM users were last read, if ever.
    pub async fn crm_users_refreshed_at(
        &self,
        organization: &OrganizationId,
    ) -> Result<Option<i64>, StoreError> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT refreshed_at FROM crm_directory_refreshes WHERE organization_id = ?",
        )
        .bind(organization.as_str())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(at,)| at))
    }

    /// One page of the organization's enabled CRM users by name, each with the
    /// person holding its email, and how many match in all.
    pub async fn crm_user_page(
        &self,
        organization: &OrganizationId,
        search: Option<&str>,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<CrmUserRecord>, u64), StoreError> {
        let pattern = search
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| format!("%{}%", escape_like(&s.to_lowercase())));
        let filter = "u.organization_id = ?1 AND NOT u.isdisabled AND (?2 IS NULL \
             OR lower(u.fullname) LIKE ?2 ESCAPE '\\' OR u.email LIKE ?2 ESCAPE '\\')";
        let (total,): (i64,) = sqlx::query_as(&format!(
            "SELECT COUNT(*) FROM crm_directory u WHERE {filter}"
        ))
        .bind(organization.as_str())
        .bind(pattern.as_deref())
        .fetch_one(&self.pool)
        .await?;
        let rows: Vec<(String, String, Option<String>, Option<String>)> = sqlx::query_as(&format!(
            "SELECT u.systemuserid, u.fullname, u.email, p.id FROM crm_directory u \
                 LEFT JOIN people p ON p.organization_id = u.organization_id AND p.email = u.email \
                 WHERE {filter} ORDER BY u.fullname COLLATE NOCASE, u.systemuserid \
                 LIMIT ?3 OFFSET ?4"
        ))
        .bind(organization.as_str())
        .bind(pattern.as_deref())
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        let users = rows
            .into_iter()
            .map(|(systemuserid, fullname, email, person)| CrmUserRecord {
                systemuserid,
                fullname,
                email,
                person_id: person.map(PersonId),
            })
            .collect();
        Ok((users, u64::try_from(total).unwrap_or(0)))
    }

    /// Creates a person (no password, `licence`) for each enabled CRM user in
    /// `links` (systemuserid, hash of its set-password token) that has an
    /// email no one holds yet, with that link, in one transaction. Nothing is
    /// created when the team-member seats would go beyond the contract.
    pub async fn assign_seats(
        &self,
        organization: &OrganizationId,
        actor: &PersonId,
        links: &[(String, String)],
        licence: Licence,
        link_expires_at: i64,
    ) -> Result<AssignResult, SeatChangeError> {
        let now = now_unix();
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let mut to_create = Vec::new();
        let mut skipped = Vec::new();
        let mut emails = HashSet::new();
        let mut seen = HashSet::new();
        for (systemuserid, token_hash) in links {
            if !seen.insert(systemuserid.as_str()) {
                continue;
            }
            let skip = |reason, person_id| SkippedUser {
                systemuserid: systemuserid.clone(),
                reason,
                person_id,
            };
            let user: Option<(String, Option<String>)> = sqlx::query_as(
                "SELECT fullname, email FROM crm_directory \
                 WHERE organization_id = ? AND systemuserid = ? AND NOT isdisabled",
            )
            .bind(organization.as_str())
            .bind(systemuserid)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((fullname, email)) = user else {
                skipped.push(skip(SkipReason::NotFound, None));
                continue;
            };
            let Some(email) = email
                .filter(|e| validate::check("email", e, &[Rule::Required, Rule::Email]).is_none())
            else {
                skipped.push(skip(SkipReason::NoEmail, None));
                continue;
            };
            let holder: Option<(String, String)> =
                sqlx::query_as("SELECT id, organization_id FROM people WHERE email = ?")
                    .bind(&email)
                    .fetch_optional(&mut *tx)
                    .await?;
            match holder {
                Some((id, org)) if org == organization.as_str() => {
                    skipped.push(skip(SkipReason::AlreadyHasSeat, Some(PersonId(id))));
                    continue;
                }
                Some(_) => {
                    skipped.push(skip(SkipReason::EmailInUse, None));
                    continue;
                }
                None => {}
            }
            if !emails.insert(email.clone()) {
                // Two CRM users with one email: the first one gets the seat.
                skipped.push(skip(SkipReason::AlreadyHasSeat, None));
                continue;
            }
            let name = if fullname.trim().is_empty() {
                email.clone()
            } else {
                fullname.trim().to_owned()
            };
            to_create.push((systemuserid.clone(), token_hash, name, email));
        }
        if licence.is_team_member() {
            let (limit, used) = seat_counts(&mut tx, organization).await?;
            let requested = u32::try_from(to_create.len()).unwrap_or(u32::MAX);
            check_assignment(limit, used, requested).map_err(SeatChangeError::SeatLimit)?;
        }
        let mut assigned = Vec::with_capacity(to_create.len());
        for (systemuserid, token_hash, name, email) in &to_create {
            let id = uuid::Uuid::new_v4().to_string();
            sqlx::query(
                "INSERT INTO people (id, organization_id, email, name, password_hash, is_admin, \
                 is_team_member, created_at) VALUES (?, ?, ?, ?, NULL, ?, ?, ?)",
            )
            .bind(&id)
            .bind(organization.as_str())
            .bind(email)
            .bind(name)
            .bind(licence.is_admin())
            .bind(licence.is_team_member())
            .bind(now)
            .execute(&mut *tx)
            .await?;
            insert_link(
                &mut tx,
                organization,
                &id,
                actor,
                token_hash,
                now,
                link_expires_at,
            )
            .await?;
            assigned.push(AssignedPerson {
                systemuserid: systemuserid.clone(),
                person_id: PersonId(id),
            });
        }
        let emails: Vec<&str> = to_create.iter().map(|(_, _, _, e)| e.as_str()).collect();
        insert_audit(
            &mut tx,
            organization,
            actor,
            "seats.assign",
            &format!(
                "assigned {} {} licences from the CRM: {}; skipped {}",
                assigned.len(),
                licence_name(licence),
                summarize(&emails),
                skipped.len()
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(AssignResult { assigned, skipped })
    }

    /// Changes a person's licence; false when it already was `licence`. The
    /// last admin cannot lose the admin licence, and a new team-member seat
    /// must fit in the contract.
    pub async fn change_licence(
        &self,
        organization: &OrganizationId,
        actor: &PersonId,
        person: &PersonId,
        licence: Licence,
    ) -> Result<bool, SeatChangeError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let (email, old) = find_licence(&mut tx, organization, person).await?;
        if old == licence {
            return Ok(false);
        }
        if old.is_admin() && !licence.is_admin() && count_admins(&mut tx, organization).await? <= 1
        {
            return Err(SeatChangeError::LastAdmin);
        }
        if licence.is_team_member() && !old.is_team_member() {
            let (limit, used) = seat_counts(&mut tx, organization).await?;
            check_assignment(limit, used, 1).map_err(SeatChangeError::SeatLimit)?;
        }
        sqlx::query(
            "UPDATE people SET is_admin = ?, is_team_member = ? WHERE organization_id = ? AND id = ?",
        )
        .bind(licence.is_admin())
        .bind(licence.is_team_member())
        .bind(organization.as_str())
        .bind(person.as_str())
        .execute(&mut *tx)
        .await?;
        insert_audit(
            &mut tx,
            organization,
            actor,
            "seats.licence",
            &format!("{email}: {} → {}", licence_name(old), licence_name(licence)),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Removes a person and, by cascade, their sessions, links and saved
    /// rows. The last admin cannot be removed.
    pub async fn remove_seat(
        &self,
        organization: &OrganizationId,
        actor: &PersonId,
        person: &PersonId,
    ) -> Result<(), SeatChangeError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let (email, licence) = find_licence(&mut tx, organization, person).await?;
        if licence.is_admin() && count_admins(&mut tx, organization).await? <= 1 {
            return Err(SeatChangeError::LastAdmin);
        }
        // The entry goes first: the actor may be removing themselves, and the
        // log keeps the entry (its person becomes NULL).
        insert_audit(
            &mut tx,
            organization,
            actor,
            "seats.remove",
            &format!("removed {email} ({})", licence_name(licence)),
        )
        .await?;
        sqlx::query("DELETE FROM people WHERE organization_id = ? AND id = ?")
            .bind(organization.as_str())
            .bind(person.as_str())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores a new set-password link for a person of the organization,
    /// deleting their older ones.
    pub async fn create_password_link(
        &self,
        organization: &OrganizationId,
        actor: &PersonId,
        person: &PersonId,
        token_hash: &str,
        expires_at: i64,
    ) -> Result<(), SeatChangeError> {
        let now = now_unix();
        let mut tx = self.write_tx().await?;
        let (email, _) = find_licence(&mut tx, organization, person).await?;
        sqlx::query("DELETE FROM password_links WHERE person_id = ?")
            .bind(person.as_str())
            .execute(&mut *tx)
            .await?;
        insert_link(
            &mut tx,
            organization,
            person.as_str(),
            actor,
            token_hash,
            now,
            expires_at,
        )
        .await?;
        insert_audit(
            &mut tx,
            organization,
            actor,
            "seats.password_link",
            &format!("new set-password link for {email}"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// True when a link with this token hash works at `now`.
    pub async fn password_link_works(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT 1 FROM password_links WHERE token_hash = ? AND expires_at > ?")
                .bind(token_hash)
                .bind(now)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.is_some())
    }

    /// Uses a link: deletes it, sets its person's password and ends their
    /// sessions, in one transaction. `None` (and no change) when the link
    /// does not work at `now`; otherwise the person and their organization.
    pub async fn use_password_link(
        &self,
        token_hash: &str,
        now: i64,
        password_hash: &str,
    ) -> Result<Option<(OrganizationId, PersonId)>, StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let row: Option<(String, String)> = sqlx::query_as(
            "DELETE FROM password_links WHERE token_hash = ? AND expires_at > ? \
             RETURNING organization_id, person_id",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((organization, person)) = row else {
            return Ok(None);
        };
        sqlx::query("UPDATE people SET password_hash = ? WHERE organization_id = ? AND id = ?")
            .bind(password_hash)
            .bind(&organization)
            .bind(&person)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE person_id = ?")
            .bind(&person)
            .execute(&mut *tx)
            .await?;
        // Expired links are of no use to anyone; tidy them while here.
        sqlx::query("DELETE FROM password_links WHERE expires_at <= ?")
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some((OrganizationId(organization), PersonId(person))))
    }
}

/// The seat list's filters; each one that is set adds its condition.
#[derive(Default)]
struct SeatFilters {
    pattern: Option<String>,
    licence: Option<Licence>,
    sync: Option<bool>,
    matched: Option<bool>,
    person: Option<String>,
}

/// "Sync active": a team-member seat, and S1 Yes or the seat's switch on.
/// S1 is known before the query, so it is folded into the SQL.
fn sync_active_sql(overview: &SeatOverview) -> &'static str {
    if overview.auto_sync_all {
        "p.is_team_member"
    } else {
        "(p.is_team_member AND p.crm_sync_enabled)"
    }
}

/// "In CRM": a CRM is connected and one of its enabled users has the email.
fn matched_sql(overview: &SeatOverview) -> &'static str {
    if overview.connected {
        "EXISTS (SELECT 1 FROM crm_directory u WHERE u.organization_id = p.organization_id \
         AND u.email = p.email AND NOT u.isdisabled)"
    } else {
        "0"
    }
}

/// `SELECT` of one seat-list row; [`push_seat_filters`] adds `FROM … WHERE`.
/// The computed columns are evaluated only for the rows returned (after
/// `OFFSET`), so a deep page costs an index walk, not 10,000 CRM lookups.
fn seat_select(overview: &SeatOverview) -> QueryBuilder<'static, Sqlite> {
    QueryBuilder::new(format!(
        "SELECT p.id, p.name, p.email, p.is_admin, p.is_team_member, p.crm_sync_enabled, \
         {} AS sync_active, {} AS matched",
        sync_active_sql(overview),
        matched_sql(overview)
    ))
}

/// `FROM people p WHERE …` with only the filters that are set, so SQLite
/// plans each list shape on its own (the default list walks the name index).
fn push_seat_filters(
    query: &mut QueryBuilder<'_, Sqlite>,
    organization: &OrganizationId,
    filters: &SeatFilters,
    overview: &SeatOverview,
) {
    query
        .push(" FROM people p WHERE p.organization_id = ")
        .push_bind(organization.as_str().to_owned());
    if let Some(pattern) = &filters.pattern {
        query
            .push(" AND (lower(p.name) LIKE ")
            .push_bind(pattern.clone())
            .push(" ESCAPE '\\' OR p.email LIKE ")
            .push_bind(pattern.clone())
            .push(" ESCAPE '\\')");
    }
    if let Some(licence) = filters.licence {
        query
            .push(" AND p.is_admin = ")
            .push_bind(licence.is_admin())
            .push(" AND p.is_team_member = ")
            .push_bind(licence.is_team_member());
    }
    if let Some(person) = &filters.person {
        query.push(" AND p.id = ").push_bind(person.clone());
    }
    if let Some(active) = filters.sync {
        query
            .push(format_args!(" AND {} = ", sync_active_sql(overview)))
            .push_bind(active);
    }
    if let Some(matched) = filters.matched {
        query
            .push(format_args!(" AND {} = ", matched_sql(overview)))
            .push_bind(matched);
    }
}

fn seat_from_row(row: &SqliteRow) -> Result<SeatRecord, StoreError> {
    let flag =
        |column: &str| -> Result<bool, StoreError> { Ok(row.try_get::<i64, _>(column)? != 0) };
    let licence =
        Licence::from_flags(flag("is_admin")?, flag("is_team_member")?).ok_or_else(|| {
            StoreError::Database(sqlx::Error::ColumnDecode {
                index: "is_admin".into(),
                source: "a person without a licence".into(),
            })
        })?;
    Ok(SeatRecord {
        id: PersonId(row.try_get("id")?),
        name: row.try_get("name")?,
        email: row.try_get("email")?,
        licence,
        crm_sync_enabled: flag("crm_sync_enabled")?,
        sync_active: flag("sync_active")?,
        matched: flag("matched")?,
    })
}

async fn find_licence(
    tx: &mut Transaction<'static, Sqlite>,
    organization: &OrganizationId,
    person: &PersonId,
) -> Result<(String, Licence), SeatChangeError> {
    let row: Option<(String, i64, i64)> = sqlx::query_as(
        "SELECT email, is_admin, is_team_member FROM people WHERE organization_id = ? AND id = ?",
    )
    .bind(organization.as_str())
    .bind(person.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    let (email, admin, team) = row.ok_or(SeatChangeError::NotFound)?;
    let licence = Licence::from_flags(admin != 0, team != 0).ok_or(SeatChangeError::NotFound)?;
    Ok((email, licence))
}

async fn count_admins(
    tx: &mut Transaction<'static, Sqlite>,
    organization: &OrganizationId,
) -> Result<i64, SeatChangeError> {
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM people WHERE organization_id = ? AND is_admin")
            .bind(organization.as_str())
            .fetch_one(&mut **tx)
            .await?;
    Ok(count)
}

/// (seat limit, team-member seats in use).
async fn seat_counts(
    tx: &mut Transaction<'static, Sqlite>,
    organization: &OrganizationId,
) -> Result<(u32, u32), SeatChangeError> {
    let (limit, used): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE((SELECT seat_limit FROM organizations WHERE id = ?1), 0), \
         (SELECT COUNT(*) FROM people WHERE organization_id = ?1 AND is_team_member = 1)",
    )
    .bind(organization.as_str())
    .fetch_one(&mut **tx)
    .await?;
    Ok((
        u32::try_from(limit).unwrap_or(0),
        u32::try_from(used).unwrap_or(u32::MAX),
    ))
}

async fn insert_link(
    tx: &mut Transaction<'static, Sqlite>,
    organization: &OrganizationId,
    person: &str,
    actor: &PersonId,
    token_hash: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO password_links (token_hash, organization_id, person_id, created_by, \
         created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(token_hash)
    .bind(organization.as_str())
    .bind(person)
    .bind(actor.as_str())
    .bind(now)
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn insert_audit(
    tx: &mut Transaction<'static, Sqlite>,
    organization: &OrganizationId,
    actor: &PersonId,
    action: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (id, organization_id, person_id, action, detail, created_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(organization.as_str())
    .bind(actor.as_str())
    .bind(action)
    .bind(detail)
    .bind(now_unix())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn licence_name(licence: Licence) -> &'static str {
    match licence {
        Licence::Admin => "admin",
        Licence::TeamMember => "team_member",
        Licence::AdminAndTeamMember => "admin_and_team_member",
    }
}

/// The first few emails and how many more, for an audit line.
fn summarize(emails: &[&str]) -> String {
    const SHOWN: usize = 10;
    let mut text = emails
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if emails.len() > SHOWN {
        text.push_str(&format!(" and {} more", emails.len() - SHOWN));
    }
    text
}

fn unique<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = HashSet::new();
    ids.filter(|id| seen.insert(*id)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_summaries_are_bounded() {
        let emails: Vec<String> = (0..12).map(|i| format!("p{i}@x.test")).collect();
        let refs: Vec<&str> = emails.iter().map(String::as_str).collect();
        let text = summarize(&refs);
        assert!(text.starts_with("p0@x.test, p1@x.test"));
        assert!(text.ends_with(" and 2 more"));
        assert_eq!(summarize(&[]), "");
    }

    #[test]
    fn ids_are_deduplicated_in_order() {
        assert_eq!(unique(["b", "a", "b"].into_iter()), ["b", "a"]);
    }
}
