//! Seat Management (SPEC M1–M4): the service behind the admin's seat routes
//! and the public set-password route.
//!
//! - The seat list carries the "In CRM" badge: CRM sync active for the person
//!   (a team-member seat, and S1 Yes or their own switch on) and an enabled
//!   CRM user with their email. Matching reads the `crm_directory` table (the
//!   CRM's users; the sync worker keeps its own `crm_users` mirror), which is
//!   refreshed from the connector on connect ([`after_connect`]), on demand,
//!   and when older than [`CRM_USERS_MAX_AGE_SECS`] as the CRM user list opens.
//! - Seat changes are all or nothing; the store checks the rules (seat limit,
//!   last admin, S1) inside the transaction that makes the change.
//! - There is no mail server: set-password links are shown to the admin once,
//!   and only the SHA-256 of their token is stored.

use chrono::{DateTime, SecondsFormat};
use navsync_api::seats::{
    AUTO_SYNC_ALL_ON, AssignOutcome, AssignSeats, AssignedSeat, BAD_PASSWORD_LINK, BulkCrmSync,
    CrmSyncSummary, CrmUser, CrmUserPage, CrmUsersRefreshed, LAST_ADMIN, NotInCrmReason,
    PASSWORD_LINK_HOURS, PasswordLink, SetPassword, SkippedCrmUser, seats_free,
};
use navsync_api::{Licence, OrganizationId, PersonId, Seat, SeatPage};

use crate::AppState;
use crate::auth::session::{hash_token, new_token};
use crate::auth::{CurrentUser, password};
use crate::crm::{self, convert::problem_of};
use crate::error::AppError;
use crate::store::{
    NewCrmUser, SeatChangeError, SeatListQuery, SeatOverview, SeatRecord, now_unix,
};

/// The CRM user list is read again when it is older than this (5 minutes).
pub const CRM_USERS_MAX_AGE_SECS: i64 = 5 * 60;

const NOT_CONNECTED: &str = "No CRM is connected. Connect one first.";

/// One page of the seat list.
pub async fn list(
    state: &AppState,
    organization: &OrganizationId,
    query: &SeatListQuery,
) -> Result<SeatPage, AppError> {
    let overview = state.store.seat_overview(organization).await?;
    let (rows, total) = state
        .store
        .seat_page(organization, query, &overview)
        .await?;
    Ok(SeatPage {
        items: rows.into_iter().map(|r| seat_of(r, &overview)).collect(),
        total,
        offset: query.offset,
        limit: query.limit,
        auto_sync_all: overview.auto_sync_all,
        crm_connected: overview.connected,
        seat_limit: overview.seat_limit,
        seats_used: overview.seats_used,
    })
}

/// "Enable CRM Sync" / "Disable CRM Sync" for one seat (M2); the seat as the
/// list now shows it.
pub async fn set_crm_sync(
    state: &AppState,
    user: &CurrentUser,
    person: &PersonId,
    enabled: bool,
) -> Result<Seat, AppError> {
    let organization = &user.organization_id;
    state
        .store
        .set_crm_sync(
            organization,
            &user.person_id,
            std::slice::from_ref(person),
            enabled,
        )
        .await
        .map_err(seat_error)?;
    find_seat(state, organization, person).await
}

/// Bulk enable or disable (M4), all or nothing.
pub async fn bulk_crm_sync(
    state: &AppState,
    user: &CurrentUser,
    form: &BulkCrmSync,
) -> Result<CrmSyncSummary, AppError> {
    form.validate().map_err(AppError::Validation)?;
    let (changed, unchanged) = state
        .store
        .set_crm_sync(
            &user.organization_id,
            &user.person_id,
            &form.person_ids,
            form.enabled,
        )
        .await
        .map_err(seat_error)?;
    Ok(CrmSyncSummary { changed, unchanged })
}

/// Reads the CRM's enabled users through the connector and replaces the
/// stored list. A refusal by the CRM keeps the old list and answers the
/// problem; 409 when no CRM is connected.
pub async fn refresh_crm_users(
    state: &AppState,
    organization: &OrganizationId,
) -> Result<CrmUsersRefreshed, AppError> {
    let Some(client) = crm::client_for(state, organization).await? else {
        return Err(AppError::Conflict(NOT_CONNECTED.into()));
    };
    match client.enabled_users().await {
        Ok(users) => {
            let users: Vec<NewCrmUser> = users
                .into_iter()
                .map(|u| NewCrmUser {
                    fullname: u.fullname.unwrap_or_default(),
                    email: u.internalemailaddress,
                    azure_object_id: u.azureactivedirectoryobjectid,
                    isdisabled: u.isdisabled,
                    systemuserid: u.systemuserid,
                })
                .collect();
            state.store.replace_crm_users(organization, &users).await?;
            let (_, count) = state.store.crm_user_page(organization, None, 0, 0).await?;
            tracing::debug!(organization = %organization, count, "CRM users refreshed");
            Ok(CrmUsersRefreshed {
                refreshed: true,
                count,
                problem: None,
            })
        }
        Err(err) => {
            tracing::warn!(organization = %organization, error = %err, "reading the CRM users failed");
            let (_, count) = state.store.crm_user_page(organization, None, 0, 0).await?;
            Ok(CrmUsersRefreshed {
                refreshed: false,
                count,
                problem: Some(problem_of(&err)),
            })
        }
    }
}

/// The hook the CRM connect flow calls once a connection is saved: reads the
/// CRM's users so the seat list can match at once. Never fails the connect;
/// a failure is logged and the list is read again when it is next opened.
pub async fn after_connect(state: &AppState, organization: &OrganizationId) {
    match refresh_crm_users(state, organization).await {
        Ok(outcome) if outcome.refreshed => {}
        Ok(_) => tracing::warn!(organization = %organization, "CRM users not read on connect"),
        Err(err) => {
            tracing::warn!(organization = %organization, error = %err, "CRM users not read on connect");
        }
    }
}

/// One page of the CRM's enabled users for "Assign seats from CRM" (M3),
/// read again first when `refresh` or when the stored list is stale.
pub async fn crm_users(
    state: &AppState,
    organization: &OrganizationId,
    search: Option<&str>,
    offset: u64,
    limit: u64,
    refresh: bool,
) -> Result<CrmUserPage, AppError> {
    let overview = state.store.seat_overview(organization).await?;
    if !overview.connected {
        return Err(AppError::Conflict(NOT_CONNECTED.into()));
    }
    let refreshed_at = state.store.crm_users_refreshed_at(organization).await?;
    let stale =
        refreshed_at.is_none_or(|at| now_unix().saturating_sub(at) > CRM_USERS_MAX_AGE_SECS);
    let problem = if refresh || stale {
        refresh_crm_users(state, organization).await?.problem
    } else {
        None
    };
    let (rows, total) = state
        .store
        .crm_user_page(organization, search, offset, limit)
        .await?;
    let refreshed_at = state.store.crm_users_refreshed_at(organization).await?;
    Ok(CrmUserPage {
        items: rows
            .into_iter()
            .map(|r| CrmUser {
                name: if r.fullname.is_empty() {
                    r.email.clone().unwrap_or_default()
                } else {
                    r.fullname
                },
                has_seat: r.person_id.is_some(),
                person_id: r.person_id,
                email: r.email,
                systemuserid: r.systemuserid,
            })
            .collect(),
        total,
        offset,
        limit,
        refreshed_at: refreshed_at.map(rfc3339),
        problem,
        seats_free: seats_free(overview.seat_limit, overview.seats_used),
    })
}

/// Creates a person for each chosen CRM user (M3), all in one transaction,
/// each with a one-time set-password link; users that already have a seat
/// are skipped. 409 and nothing assigned beyond the contract's seats.
pub async fn assign(
    state: &AppState,
    user: &CurrentUser,
    form: &AssignSeats,
) -> Result<AssignOutcome, AppError> {
    form.validate().map_err(AppError::Validation)?;
    let organization = &user.organization_id;
    if !state.store.seat_overview(organization).await?.connected {
        return Err(AppError::Conflict(NOT_CONNECTED.into()));
    }
    // A token per id asked for; only the hashes reach the store.
    let tokens: Vec<(String, String)> = form
        .systemuserids
        .iter()
        .map(|id| (id.trim().to_owned(), new_token()))
        .collect();
    let links: Vec<(String, String)> = tokens
        .iter()
        .map(|(id, token)| (id.clone(), hash_token(token)))
        .collect();
    let expires_at = link_expiry();
    let result = state
        .store
        .assign_seats(
            organization,
            &user.person_id,
            &links,
            form.licence,
            expires_at,
        )
        .await
        .map_err(seat_error)?;
    let overview = state.store.seat_overview(organization).await?;
    let mut assigned = Vec::with_capacity(result.assigned.len());
    for created in result.assigned {
        let seat = find_seat(state, organization, &created.person_id).await?;
        let token = tokens
            .iter()
            .find(|(id, _)| *id == created.systemuserid)
            .map(|(_, token)| token.as_str())
            .ok_or_else(|| AppError::internal("a created seat without its token"))?;
        assigned.push(AssignedSeat {
            seat,
            systemuserid: created.systemuserid,
            password_link: password_link(token, expires_at),
        });
    }
    tracing::info!(organization = %organization, assigned = assigned.len(), "seats assigned from the CRM");
    Ok(AssignOutcome {
        assigned,
        skipped: result
            .skipped
            .into_iter()
            .map(|s| SkippedCrmUser {
                systemuserid: s.systemuserid,
                reason: s.reason,
                person_id: s.person_id,
            })
            .collect(),
        seats_free: seats_free(overview.seat_limit, overview.seats_used),
    })
}

/// A new one-time set-password link for a seat; older links stop working.
pub async fn new_password_link(
    state: &AppState,
    user: &CurrentUser,
    person: &PersonId,
) -> Result<PasswordLink, AppError> {
    let token = new_token();
    let expires_at = link_expiry();
    state
        .store
        .create_password_link(
            &user.organization_id,
            &user.person_id,
            person,
            &hash_token(&token),
            expires_at,
        )
        .await
        .map_err(seat_error)?;
    Ok(password_link(&token, expires_at))
}

/// Sets a password with a link's token, uses the link up and ends the
/// person's sessions. 400 with [`BAD_PASSWORD_LINK`] for an unknown, used or
/// expired token; nothing changes then.
pub async fn set_password(state: &AppState, form: SetPassword) -> Result<(), AppError> {
    form.validate().map_err(AppError::Validation)?;
    let token = form.token.trim();
    let bad = || AppError::BadRequest(BAD_PASSWORD_LINK.into());
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    let token_hash = hash_token(token);
    // Check first, so a wrong token does not cost a password hash.
    if !state
        .store
        .password_link_works(&token_hash, now_unix())
        .await?
    {
        return Err(bad());
    }
    let phc = password::hash(form.password).await?;
    let (organization, person) = state
        .store
        .use_password_link(&token_hash, now_unix(), &phc)
        .await?
        .ok_or_else(bad)?;
    tracing::info!(organization = %organization, person = %person, "password set with a link");
    Ok(())
}

/// Changes a seat's licence; the seat as the list now shows it.
pub async fn change_licence(
    state: &AppState,
    user: &CurrentUser,
    person: &PersonId,
    licence: Licence,
) -> Result<Seat, AppError> {
    let organization = &user.organization_id;
    state
        .store
        .change_licence(organization, &user.person_id, person, licence)
        .await
        .map_err(seat_error)?;
    find_seat(state, organization, person).await
}

/// Removes a seat: the person, their sessions and their saved rows.
pub async fn remove(
    state: &AppState,
    user: &CurrentUser,
    person: &PersonId,
) -> Result<(), AppError> {
    state
        .store
        .remove_seat(&user.organization_id, &user.person_id, person)
        .await
        .map_err(seat_error)
}

async fn find_seat(
    state: &AppState,
    organization: &OrganizationId,
    person: &PersonId,
) -> Result<Seat, AppError> {
    let overview = state.store.seat_overview(organization).await?;
    let record = state
        .store
        .find_seat(organization, person, &overview)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(seat_of(record, &overview))
}

fn seat_of(record: SeatRecord, overview: &SeatOverview) -> Seat {
    let reason = NotInCrmReason::of(overview.connected, record.sync_active, record.matched);
    Seat {
        id: record.id,
        name: record.name,
        email: record.email,
        licence: record.licence,
        crm_sync_enabled: record.crm_sync_enabled,
        crm_sync_active: record.sync_active,
        in_crm: reason.is_none(),
        not_in_crm_reason: reason,
    }
}

fn seat_error(err: SeatChangeError) -> AppError {
    match err {
        SeatChangeError::NotFound => AppError::NotFound,
        SeatChangeError::NotSeatHolder(people) => AppError::field(
            "person_ids",
            "not_seat_holder",
            &format!(
                "CRM sync is for seat holders only; {} of the selected people {} no team-member seat.",
                people.len(),
                if people.len() == 1 { "holds" } else { "hold" }
            ),
        ),
        SeatChangeError::AutoSyncAll => AppError::Conflict(AUTO_SYNC_ALL_ON.into()),
        SeatChangeError::LastAdmin => AppError::Conflict(LAST_ADMIN.into()),
        SeatChangeError::SeatLimit(limit) => AppError::Conflict(limit.message()),
        SeatChangeError::Store(err) => err.into(),
    }
}

fn link_expiry() -> i64 {
    now_unix().saturating_add(PASSWORD_LINK_HOURS * 3600)
}

fn password_link(token: &str, expires_at: i64) -> PasswordLink {
    PasswordLink {
        url: format!("/set-password?token={token}"),
        expires_at: rfc3339(expires_at),
    }
}

fn rfc3339(unix: i64) -> String {
    DateTime::from_timestamp(unix, 0)
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
        .unwrap_or_default()
}
