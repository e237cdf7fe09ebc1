//! The admin's CRM routes (SPEC C1–C5, S1–S3): status, connect, credentials,
//! settings, disconnect preview and disconnect. Admins only; the work is in
//! [`crate::crm`].

use axum::extract::State;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use navsync_api::crm::{
    ConnectCrm, ConnectOutcome, CrmSettings, CrmStatus, DisconnectCrm, DisconnectPreview,
    UpdateCrmCredentials,
};
use navsync_api::{ErrorBody, paths};

use crate::AppState;
use crate::auth::RequireAdmin;
use crate::crm;
use crate::error::{ApiJson, AppError};

/// The CRM routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(paths::CRM, get(crm_status))
        .route(paths::CRM_CONNECTION, post(connect_crm))
        .route(paths::CRM_CREDENTIALS, put(update_crm_credentials))
        .route(paths::CRM_SETTINGS, put(update_crm_settings))
        .route(paths::CRM_DISCONNECT_PREVIEW, get(disconnect_preview))
        .route(paths::CRM_DISCONNECT, post(disconnect_crm))
}

/// The CRM connection's status, settings and choices (never the secret).
#[utoipa::path(
    get,
    path = paths::CRM,
    tag = "admin",
    extensions(("x-navsync-role" = json!("admin"))),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "The CRM status", body = CrmStatus),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
    )
)]
pub async fn crm_status(
    State(state): State<AppState>,
    RequireAdmin(user): RequireAdmin,
) -> Result<Json<CrmStatus>, AppError> {
    Ok(Json(crm::status(&state, &user.organization_id).await?))
}

/// Verifies the environment and app registration and, when they pass, saves
/// the connection. A refusal by the CRM is a 200 with `connected: false` and
/// the problem; nothing is saved then.
#[utoipa::path(
    post,
    path = paths::CRM_CONNECTION,
    tag = "admin",
    extensions(("x-navsync-role" = json!("admin"))),
    security(("session_cookie" = [])),
    request_body = ConnectCrm,
    responses(
        (status = 200, description = "Connected, or the problem (nothing saved)", body = ConnectOutcome),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin, or a cross-site request", body = ErrorBody),
        (status = 409, description = "A CRM is already connected", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    )
)]
pub async fn connect_crm(
    State(state): State<AppState>,
    RequireAdmin(user): RequireAdmin,
    ApiJson(form): ApiJson<ConnectCrm>,
) -> Result<Json<ConnectOutcome>, AppError> {
    Ok(Json(crm::connect(&state, &user, form).await?))
}

/// Replaces the app registration's credentials once the new ones pass the
/// check against the connected environment; otherwise keeps the old ones and
/// answers the problem.
#[utoipa::path(
    put,
    path = paths::CRM_CREDENTIALS,
    tag = "admin",
    extensions(("x-navsync-role" = json!("admin"))),
    security(("session_cookie" = [])),
    request_body = UpdateCrmCredentials,
    responses(
        (status = 200, description = "Replaced, or the problem (old credentials kept)", body = ConnectOutcome),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin, or a cross-site request", body = ErrorBody),
        (status = 409, description = "No CRM is connected", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    )
)]
pub async fn update_crm_credentials(
    State(state): State<AppState>,
    RequireAdmin(user): RequireAdmin,
    ApiJson(form): ApiJson<UpdateCrmCredentials>,
) -> Result<Json<ConnectOutcome>, AppError> {
    Ok(Json(crm::update_credentials(&state, &user, form).await?))
}

/// Saves S1–S3; the stage and won-value field must be among the CRM's choices
/// (or `null` for "Not Sure").
#[utoipa::path(
    put,
    path = paths::CRM_SETTINGS,
    tag = "admin",
    extensions(("x-navsync-role" = json!("admin"))),
    security(("session_cookie" = [])),
    request_body = CrmSettings,
    responses(
        (status = 200, description = "Saved; the CRM status", body = CrmStatus),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin, or a cross-site request", body = ErrorBody),
        (status = 409, description = "No CRM is connected", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Not one of the CRM's choices", body = ErrorBody),
    )
)]
pub async fn update_crm_settings(
    State(state): State<AppState>,
    RequireAdmin(user): RequireAdmin,
    ApiJson(settings): ApiJson<CrmSettings>,
) -> Result<Json<CrmStatus>, AppError> {
    Ok(Json(crm::update_settings(&state, &user, settings).await?))
}

/// How many saved accounts and leads came from the CRM (what a clean-up removes).
#[utoipa::path(
    get,
    path = paths::CRM_DISCONNECT_PREVIEW,
    tag = "admin",
    extensions(("x-navsync-role" = json!("admin"))),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Counts of CRM-sourced data", body = DisconnectPreview),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
    )
)]
pub async fn disconnect_preview(
    State(state): State<AppState>,
    RequireAdmin(user): RequireAdmin,
) -> Result<Json<DisconnectPreview>, AppError> {
    Ok(Json(
        crm::disconnect_preview(&state, &user.organization_id).await?,
    ))
}

/// Disconnects the CRM (deleting the stored secret), optionally removing
/// every saved account and lead imported from it.
#[utoipa::path(
    post,
    path = paths::CRM_DISCONNECT,
    tag = "admin",
    extensions(("x-navsync-role" = json!("admin"))),
    security(("session_cookie" = [])),
    request_body = DisconnectCrm,
    responses(
        (status = 200, description = "Disconnected; the CRM status", body = CrmStatus),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin, or a cross-site request", body = ErrorBody),
        (status = 409, description = "No CRM is connected", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
    )
)]
pub async fn disconnect_crm(
    State(state): State<AppState>,
    RequireAdmin(user): RequireAdmin,
    ApiJson(form): ApiJson<DisconnectCrm>,
) -> Result<Json<CrmStatus>, AppError> {
    Ok(Json(crm::disconnect(&state, &user, form).await?))
}
