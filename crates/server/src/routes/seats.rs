//! Seat Management (SPEC M1–M4), admins only: the seat list (paged,
//! searchable, filtered, sorted, with the "In CRM" badge), per-seat and bulk
//! CRM sync, the CRM's users and "Assign seats from CRM", licences, removing
//! seats and set-password links. Also the one public route of the feature,
//! `POST /api/set-password`, which uses such a link. The work is in
//! [`crate::seats`].

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use navsync_api::seats::{
    AssignOutcome, AssignSeats, BulkCrmSync, ChangeLicence, CrmSyncSummary, CrmUserPage,
    CrmUsersRefreshed, MAX_SEARCH_LEN, PasswordLink, SeatSort, SetCrmSync, SetPassword, SortOrder,
    SyncFilter,
};
use navsync_api::{ErrorBody, Licence, PersonId, Seat, SeatPage, paths};
use serde::Deserialize;

use crate::AppState;
use crate::auth::RequireAdmin;
use crate::error::{ApiJson, AppError};
use crate::seats;
use crate::store::SeatListQuery;

/// Rows per page when `limit` is not given.
pub const DEFAULT_LIMIT: u64 = 50;
/// The largest page.
pub const MAX_LIMIT: u64 = 200;

const BAD_SEAT_QUERY: &str = "The query is not valid: offset and limit must be whole numbers \
     of 0 or more; licence one of admin, team_member, admin_and_team_member; sync on or off; \
     matched true or false; sort name, email or licence; order asc or desc.";

const BAD_CRM_USER_QUERY: &str = "The query is not valid: offset and limit must be whole \
     numbers of 0 or more, and refresh true or false.";

/// The seat routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(paths::SEATS, get(list_seats))
        .route(paths::SEATS_CRM_SYNC, post(bulk_crm_sync))
        .route(paths::SEATS_ASSIGN, post(assign_seats))
        .route(paths::SEAT, delete(remove_seat))
        .route(paths::SEAT_CRM_SYNC, put(set_crm_sync))
        .route(paths::SEAT_LICENCE, put(change_licence))
        .route(paths::SEAT_PASSWORD_LINK, post(new_password_link))
        .route(paths::CRM_USERS, get(list_crm_users))
        .route(paths::CRM_USERS_REFRESH, post(refresh_crm_users))
        .route(paths::SET_PASSWORD, post(set_password))
}

/// Query parameters of the seat list.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SeatQuery {
    /// Rows to skip (default 0).
    pub offset: Option<u64>,
    /// Page size, clamped to 1–200 (default 50).
    pub limit: Option<u64>,
    /// Only people whose name or email contains this (any case; at most 200 characters).
    pub q: Option<String>,
    /// Only this licence.
    pub licence: Option<Licence>,
    /// Only seats whose CRM sync is active (`on`) or not (`off`).
    pub sync: Option<SyncFilter>,
    /// Only seats matched (`true`) or not matched (`false`) to a CRM user by email.
    pub matched: Option<bool>,
    /// Sort column (default `name`).
    pub sort: Option<SeatSort>,
    /// Sort direction (default `asc`).
    pub order: Option<SortOrder>,
}

/// Query parameters of the CRM user list.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CrmUserQuery {
    /// Rows to skip (default 0).
    pub offset: Option<u64>,
    /// Page size, clamped to 1–200 (default 50).
    pub limit: Option<u64>,
    /// Only users whose name or email contains this (any case; at most 200 characters).
    pub q: Option<String>,
    /// Read the list from the CRM first (it is also read when older than 5 minutes).
    pub refresh: Option<bool>,
}

/// The seats of the admin's own organization with their licence, CRM sync
/// state and "In CRM" badge; searchable, filtered, sorted and paged.
#[utoipa::path(
    get,
    path = paths::SEATS,
    tag = "admin",
    extensions(("x-navsync-role" = json!("admin"))),
    security(("session_cookie" = [])),
    params(SeatQuery),
    responses(
        (status = 200, description = "One page of seats", body = SeatPage),
        (status = 400, description = "Bad query parameters", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
    )
)]
pub async fn list_seats(
    State(state): State<AppState>,
    RequireAdmin(user): RequireAdmin,
    query: Result<Query<SeatQuery>, QueryRejection>,
) -> Result<Json<SeatPage>, AppError> {
    let Query(query) = query.map_err(|_| AppError::BadRequest(BAD_SEAT_QUERY.into()))?;
    super::check_page_bounds(query.offset, query.limit)?;
    let search = checked_search(query.q)?;
    let list = SeatListQuery {
        search,
        licence: query.licence,
        sync: query.sync,
        matched: query.matched,
        sort: query.sort.unwrap_or_default(),
        order: query.order.unwrap_or_default(),
        offset: query.offset.unwrap_or(0),
        limit: page_size(query.limit),
    };
    Ok(Json(
        seats::list(&state, &user.organization_id, &list).await?,
    ))
}

/// "Enable CRM Sync" / "Disable CRM Sync" for one seat (M2). Refused with 409
/// while S1 "Auto sync all seat holders with CRM?" is Yes.
#[utoipa::path(
    put,
    path = paths::SEAT_CRM_SYNC,
    tag = "admin",
    extensions(("x-navsync-role" = json!("admin"))),
    security(("session_cookie" = [])),
    params(("id" = String, Path, description = "The person's id")),
    request_body = SetCrmSync,
    responses(
        (status = 200, description = "The seat as the list now shows it", body = Seat),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin, or a cross-site request", body = ErrorBody),
        (status = 404, description = "No such seat in the organization", body = ErrorBody),
        (status = 409, description = "S1 is Yes: every seat holder syncs", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "The person holds no team-member seat", body = ErrorBody),
    )
)]
pub async fn set_crm_sync(
    State(state): State<AppState>,
    RequireAdmin(user): RequireAdmin,
    Path(id): Path<String>,
    ApiJson(form): ApiJson<SetCrmSync>,
) -> Result<Json<Seat>, AppError> {
    Ok(Json(
        seats::set_crm_sync(&state, &user, &PersonId(id), form.enabled).await?,
    ))
}

/// Bulk enable or disable CRM sync (M4), all or nothing: an id outside the
/// organization (404) or without a team-member seat (422) changes nothing.
#[utoipa::path(
    post,
    path = paths::SEATS_CRM_SYNC,
    tag = "admin",
    extensions(("x-navsync-role" = json!("admin"))),
    security(("session_cookie" = [])),
    request_body = BulkCrmSync,
    responses(
        (status = 200, description = "How many seats changed", body = CrmSyncSummary),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin, or a cross-site request", body = ErrorBody),
        (status = 404, description = "An id is not a seat of the organization", body = ErrorBody),
        (status = 409, description = "S1 is Yes: every seat holder syncs", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "No ids, too many, or one holds no team-member seat", body = ErrorBody),
    )
)]
pub async fn bulk_crm_sync(
    State(state): State<AppState>,
    RequireAdmin(user): RequireAdmin,
    ApiJson(form): ApiJson<BulkCrmSync>,
) -> Result<Json<CrmSyncSummary>, AppError> {
    Ok(Json(seats::bulk_crm_sync(&state, &user, &form).await?))
}

/// The connected CRM's enabled users for "Assign seats from CRM" (M3), each
/// marked when someone already signs in with its email.
#[utoipa::path(
    get,
    path = paths::CRM_USERS,
    tag = "admin",
    extensions(("x-navsync-role" = json!("admin"))),
    security(("session_cookie" = [])),
    params(CrmUserQuery),
    responses(
        (status = 200, description = "One page of CRM users", body = CrmUserPage),
        (status = 400, description = "Bad query parameters", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 409, description = "No CRM is connected", body = ErrorBody),
    )
)]
pub async fn list_crm_users(
    State(state): State<AppState>,
    RequireAdmin(user): RequireAdmin,
    query: Result<Query<CrmUserQuery>, QueryRejection>,
) -> Result<Json<CrmUserPage>, AppError> {
    let Query(query) = query.map_err(|_| AppError::BadRequest(BAD_CRM_USER_QUERY.into()))?;
    super::check_page_bounds(query.offset, query.limit)?;
    let search = checked_search(query.q)?;
    Ok(Json(
        seats::crm_users(
            &state,
            &user.organization_id,
            search.as_deref(),
            query.offset.unwrap_or(0),
            page_size(query.limit),
            query.refresh.unwrap_or(false),
        )
        .await?,
    ))
}

/// Reads the CRM's users again now. A refusal by the CRM is a 200 with
/// `refreshed: false` and the problem; the old list is kept.
#[utoipa::path(
    post,
    path = paths::CRM_USERS_REFRESH,
    tag = "admin",
    extensions(("x-navsync-role" = json!("admin"))),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Read, or the problem", body = CrmUsersRefreshed),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin, or a cross-site request", body = ErrorBody),
        (status = 409, description = "No CRM is connected", body = ErrorBody),
    )
)]
pub async fn refresh_crm_users(
    State(state): State<AppState>,
    RequireAdmin(user): RequireAdmin,
) -> Result<Json<CrmUsersRefreshed>, AppError> {
    Ok(Json(
        seats::refresh_crm_users(&state, &user.organization_id).await?,
    ))
}

/// "Assign seats from CRM" (M3): creates a person per CRM user with the
/// licence, in one transaction and never beyond the contract's seats; users
/// who already have a seat are skipped. Each new person comes with a
/// one-time set-password link.
#[utoipa::path(
    post,
    path = paths::SEATS_ASSIGN,
    tag = "admin",
    extensions(("x-navsync-role" = json!("admin"))),
    security(("session_cookie" = [])),
    request_body = AssignSeats,
    responses(
        (status = 200, description = "The people created and the users skipped", body = AssignOutcome),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin, or a cross-site request", body = ErrorBody),
        (status = 409, description = "Not enough seats (nothing assigned), or no CRM connected", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "No ids, or too many", body = ErrorBody),
    )
)]
pub async fn assign_seats(
    State(state): State<AppState>,
    RequireAdmin(user): RequireAdmin,
    ApiJson(form): ApiJson<AssignSeats>,
) -> Result<Json<AssignOutcome>, AppError> {
    Ok(Json(seats::assign(&state, &user, &form).await?))
}

/// Changes a seat's licence. The last admin cannot be demoted, and a new
/// team-member seat must fit in the contract (409 otherwise).
#[utoipa::path(
    put,
    path = paths::SEAT_LICENCE,
    tag = "admin",
    extensions(("x-navsync-role" = json!("admin"))),
    security(("session_cookie" = [])),
    params(("id" = String, Path, description = "The person's id")),
    request_body = ChangeLicence,
    responses(
        (status = 200, description = "The seat as the list now shows it", body = Seat),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin, or a cross-site request", body = ErrorBody),
        (status = 404, description = "No such seat in the organization", body = ErrorBody),
        (status = 409, description = "Last admin, or not enough seats", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
    )
)]
pub async fn change_licence(
    State(state): State<AppState>,
    RequireAdmin(user): RequireAdmin,
    Path(id): Path<String>,
    ApiJson(form): ApiJson<ChangeLicence>,
) -> Result<Json<Seat>, AppError> {
    Ok(Json(
        seats::change_licence(&state, &user, &PersonId(id), form.licence).await?,
    ))
}

/// Removes a seat: the person, their sessions and their saved rows. The last
/// admin cannot be removed (409).
#[utoipa::path(
    delete,
    path = paths::SEAT,
    tag = "admin",
    extensions(("x-navsync-role" = json!("admin"))),
    security(("session_cookie" = [])),
    params(("id" = String, Path, description = "The person's id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin, or a cross-site request", body = ErrorBody),
        (status = 404, description = "No such seat in the organization", body = ErrorBody),
        (status = 409, description = "The organization's last admin", body = ErrorBody),
    )
)]
pub async fn remove_seat(
    State(state): State<AppState>,
    RequireAdmin(user): RequireAdmin,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    seats::remove(&state, &user, &PersonId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A new one-time set-password link for a seat (valid 72 hours); older links
/// of the person stop working. Show it once: only its hash is stored.
#[utoipa::path(
    post,
    path = paths::SEAT_PASSWORD_LINK,
    tag = "admin",
    extensions(("x-navsync-role" = json!("admin"))),
    security(("session_cookie" = [])),
    params(("id" = String, Path, description = "The person's id")),
    responses(
        (status = 200, description = "The link", body = PasswordLink),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin, or a cross-site request", body = ErrorBody),
        (status = 404, description = "No such seat in the organization", body = ErrorBody),
    )
)]
pub async fn new_password_link(
    State(state): State<AppState>,
    RequireAdmin(user): RequireAdmin,
    Path(id): Path<String>,
) -> Result<Json<PasswordLink>, AppError> {
    Ok(Json(
        seats::new_password_link(&state, &user, &PersonId(id)).await?,
    ))
}

/// Chooses a password with a set-password link's token: the link is used up
/// and the person's existing sessions end. No session needed.
#[utoipa::path(
    post,
    path = paths::SET_PASSWORD,
    tag = "session",
    extensions(("x-navsync-role" = json!("public"))),
    request_body = SetPassword,
    responses(
        (status = 204, description = "Password set; sign in with it"),
        (status = 400, description = "Malformed body, or the link is unknown, used or expired", body = ErrorBody),
        (status = 403, description = "Cross-site request", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "The password breaks the rules", body = ErrorBody),
    )
)]
pub async fn set_password(
    State(state): State<AppState>,
    ApiJson(form): ApiJson<SetPassword>,
) -> Result<StatusCode, AppError> {
    seats::set_password(&state, form).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn page_size(limit: Option<u64>) -> u64 {
    limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT)
}

fn checked_search(q: Option<String>) -> Result<Option<String>, AppError> {
    match q {
        Some(q) if q.chars().count() > MAX_SEARCH_LEN => Err(AppError::BadRequest(format!(
            "The search text is longer than {MAX_SEARCH_LEN} characters."
        ))),
        q => Ok(q),
    }
}
