//! The seat holder's saved accounts and leads (SPEC L1): their own rows only,
//! paged and searchable, marked "In CRM" with a link; hand saves, and deletion
//! of hand-saved rows (a row only CRM sync brought cannot be deleted by hand).

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};
use navsync_api::sync::{SaveAccount, SaveLead, SavedAccountPage, SavedLeadPage};
use navsync_api::{ErrorBody, OrganizationId, paths};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::auth::RequireTeamMember;
use crate::error::{ApiJson, AppError};
use crate::store::DeleteSaved;
use crate::sync::rules::record_url;

/// Rows per page when `limit` is not given.
pub const DEFAULT_LIMIT: u64 = 50;
/// The largest page.
pub const MAX_LIMIT: u64 = 200;

const FROM_CRM: &str = "CRM sync brought this and keeps it while its opportunity is in your pipeline; it cannot be deleted by hand.";

/// The saved accounts and leads routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            paths::SAVED_ACCOUNTS,
            get(list_saved_accounts).post(save_account),
        )
        .route(paths::SAVED_ACCOUNT, delete(delete_saved_account))
        .route(paths::SAVED_LEADS, get(list_saved_leads).post(save_lead))
        .route(paths::SAVED_LEAD, delete(delete_saved_lead))
}

/// Query parameters of the saved lists.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SavedQuery {
    /// Rows to skip (default 0).
    pub offset: Option<u64>,
    /// Page size, clamped to 1–200 (default 50).
    pub limit: Option<u64>,
    /// Only rows whose name (or, for leads, email or company) contains this.
    pub q: Option<String>,
}

/// The id of a new or re-marked saved row.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SavedId {
    /// Its id.
    pub id: String,
}

fn page_of(
    query: Result<Query<SavedQuery>, QueryRejection>,
) -> Result<(SavedQuery, u64, u64), AppError> {
    let Query(query) = query.map_err(|_| {
        AppError::BadRequest(
            "The query is not valid: offset and limit must be whole numbers of 0 or more.".into(),
        )
    })?;
    super::check_page_bounds(query.offset, query.limit)?;
    let offset = query.offset.unwrap_or(0);
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    Ok((query, offset, limit))
}

async fn crm_url(
    state: &AppState,
    organization: &OrganizationId,
    entity: &str,
    crm_id: Option<&str>,
) -> Result<Option<String>, AppError> {
    let Some(id) = crm_id else { return Ok(None) };
    Ok(state
        .store
        .find_crm_connection(organization)
        .await?
        .map(|c| record_url(&c.environment_url, entity, id)))
}

fn trimmed(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// The caller's saved accounts, by name.
#[utoipa::path(
    get,
    path = paths::SAVED_ACCOUNTS,
    tag = "saved",
    extensions(("x-navsync-role" = json!("team_member"))),
    security(("session_cookie" = [])),
    params(SavedQuery),
    responses(
        (status = 200, description = "One page", body = SavedAccountPage),
        (status = 400, description = "Bad query parameters", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "No team-member seat", body = ErrorBody),
    )
)]
pub async fn list_saved_accounts(
    State(state): State<AppState>,
    RequireTeamMember(user): RequireTeamMember,
    query: Result<Query<SavedQuery>, QueryRejection>,
) -> Result<Json<SavedAccountPage>, AppError> {
    let (query, offset, limit) = page_of(query)?;
    let (items, total) = state
        .store
        .list_saved_accounts(
            &user.organization_id,
            &user.person_id,
            query.q.as_deref(),
            offset,
            limit,
        )
        .await?;
    Ok(Json(SavedAccountPage {
        items,
        total,
        offset,
        limit,
    }))
}

/// The caller's saved leads, by last then first name.
#[utoipa::path(
    get,
    path = paths::SAVED_LEADS,
    tag = "saved",
    extensions(("x-navsync-role" = json!("team_member"))),
    security(("session_cookie" = [])),
    params(SavedQuery),
    responses(
        (status = 200, description = "One page", body = SavedLeadPage),
        (status = 400, description = "Bad query parameters", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "No team-member seat", body = ErrorBody),
    )
)]
pub async fn list_saved_leads(
    State(state): State<AppState>,
    RequireTeamMember(user): RequireTeamMember,
    query: Result<Query<SavedQuery>, QueryRejection>,
) -> Result<Json<SavedLeadPage>, AppError> {
    let (query, offset, limit) = page_of(query)?;
    let (items, total) = state
        .store
        .list_saved_leads(
            &user.organization_id,
            &user.person_id,
            query.q.as_deref(),
            offset,
            limit,
        )
        .await?;
    Ok(Json(SavedLeadPage {
        items,
        total,
        offset,
        limit,
    }))
}

/// Saves an account by hand (with a CRM id: also marks the CRM-brought row as
/// saved by hand, so it stays when sync drops it).
#[utoipa::path(
    post,
    path = paths::SAVED_ACCOUNTS,
    tag = "saved",
    extensions(("x-navsync-role" = json!("team_member"))),
    security(("session_cookie" = [])),
    request_body = SaveAccount,
    responses(
        (status = 201, description = "Saved", body = SavedId),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "No team-member seat, or a cross-site request", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    )
)]
pub async fn save_account(
    State(state): State<AppState>,
    RequireTeamMember(user): RequireTeamMember,
    ApiJson(form): ApiJson<SaveAccount>,
) -> Result<(StatusCode, Json<SavedId>), AppError> {
    form.validate().map_err(AppError::Validation)?;
    let crm_id = trimmed(form.crm_id.as_deref()).map(|id| id.to_lowercase());
    let url = crm_url(&state, &user.organization_id, "account", crm_id.as_deref()).await?;
    let id = state
        .store
        .save_account_by_hand(
            &user.organization_id,
            &user.person_id,
            form.name.trim(),
            crm_id.as_deref(),
            url.as_deref(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(SavedId { id })))
}

/// Saves a lead by hand (see `save_account`).
#[utoipa::path(
    post,
    path = paths::SAVED_LEADS,
    tag = "saved",
    extensions(("x-navsync-role" = json!("team_member"))),
    security(("session_cookie" = [])),
    request_body = SaveLead,
    responses(
        (status = 201, description = "Saved", body = SavedId),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "No team-member seat, or a cross-site request", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    )
)]
pub async fn save_lead(
    State(state): State<AppState>,
    RequireTeamMember(user): RequireTeamMember,
    ApiJson(form): ApiJson<SaveLead>,
) -> Result<(StatusCode, Json<SavedId>), AppError> {
    form.validate().map_err(AppError::Validation)?;
    let crm_id = trimmed(form.crm_id.as_deref()).map(|id| id.to_lowercase());
    let url = crm_url(&state, &user.organization_id, "contact", crm_id.as_deref()).await?;
    let id = state
        .store
        .save_lead_by_hand(
            &user.organization_id,
            &user.person_id,
            form.first_name.trim(),
            form.last_name.trim(),
            trimmed(form.email.as_deref()).as_deref(),
            trimmed(form.company.as_deref()).as_deref(),
            crm_id.as_deref(),
            url.as_deref(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(SavedId { id })))
}

async fn delete_saved(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    leads: bool,
    id: &str,
) -> Result<StatusCode, AppError> {
    match state
        .store
        .delete_saved(&user.organization_id, &user.person_id, leads, id)
        .await?
    {
        DeleteSaved::Deleted => Ok(StatusCode::NO_CONTENT),
        DeleteSaved::NotFound => Err(AppError::NotFound),
        DeleteSaved::FromCrm => Err(AppError::Conflict(FROM_CRM.into())),
    }
}

/// Removes a hand-saved account of the caller; 409 for one only CRM sync brought.
#[utoipa::path(
    delete,
    path = paths::SAVED_ACCOUNT,
    tag = "saved",
    extensions(("x-navsync-role" = json!("team_member")), ("x-navsync-owner" = json!("person"))),
    security(("session_cookie" = [])),
    params(("id" = String, Path, description = "The saved account's id")),
    responses(
        (status = 204, description = "Removed (or no longer hand-saved)"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "No team-member seat, or a cross-site request", body = ErrorBody),
        (status = 404, description = "No such saved account of yours", body = ErrorBody),
        (status = 409, description = "Brought by CRM sync", body = ErrorBody),
    )
)]
pub async fn delete_saved_account(
    State(state): State<AppState>,
    RequireTeamMember(user): RequireTeamMember,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    delete_saved(&state, &user, false, &id).await
}

/// Removes a hand-saved lead of the caller; 409 for one only CRM sync brought.
#[utoipa::path(
    delete,
    path = paths::SAVED_LEAD,
    tag = "saved",
    extensions(("x-navsync-role" = json!("team_member")), ("x-navsync-owner" = json!("person"))),
    security(("session_cookie" = [])),
    params(("id" = String, Path, description = "The saved lead's id")),
    responses(
        (status = 204, description = "Removed (or no longer hand-saved)"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "No team-member seat, or a cross-site request", body = ErrorBody),
        (status = 404, description = "No such saved lead of yours", body = ErrorBody),
        (status = 409, description = "Brought by CRM sync", body = ErrorBody),
    )
)]
pub async fn delete_saved_lead(
    State(state): State<AppState>,
    RequireTeamMember(user): RequireTeamMember,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    delete_saved(&state, &user, true, &id).await
}
