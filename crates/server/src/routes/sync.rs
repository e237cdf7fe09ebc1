//! The admin's sync routes (SPEC S5): progress and history, "Sync now", and
//! the CRM health every admin page reads for its warning banner.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use navsync_api::crm::CrmProblem;
use navsync_api::sync::{CrmHealth, SyncStatus};
use navsync_api::{ErrorBody, paths};

use crate::AppState;
use crate::auth::RequireAdmin;
use crate::error::AppError;
use crate::sync;

/// The sync routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(paths::CRM_SYNC, get(sync_status).post(sync_now))
        .route(paths::CRM_HEALTH, get(crm_health))
}

/// The run in progress, the last sync and the last 20 runs.
#[utoipa::path(
    get,
    path = paths::CRM_SYNC,
    tag = "admin",
    extensions(("x-navsync-role" = json!("admin"))),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Progress and history", body = SyncStatus),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
    )
)]
pub async fn sync_status(
    State(state): State<AppState>,
    RequireAdmin(user): RequireAdmin,
) -> Result<Json<SyncStatus>, AppError> {
    Ok(Json(sync::status(&state, &user.organization_id).await?))
}

/// "Sync now": starts a run in the background; while a run is in progress
/// the request is queued instead (`queued`): exactly one more run starts when
/// it ends, however often this is called meanwhile. 409 when no CRM is connected.
#[utoipa::path(
    post,
    path = paths::CRM_SYNC,
    tag = "admin",
    extensions(("x-navsync-role" = json!("admin"))),
    security(("session_cookie" = [])),
    responses(
        (status = 202, description = "Started, or queued behind the run in progress (`queued`); progress and history", body = SyncStatus),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin, or a cross-site request", body = ErrorBody),
        (status = 409, description = "No CRM is connected", body = ErrorBody),
    )
)]
pub async fn sync_now(
    State(state): State<AppState>,
    RequireAdmin(user): RequireAdmin,
) -> Result<(StatusCode, Json<SyncStatus>), AppError> {
    let organization = &user.organization_id;
    if state
        .store
        .find_crm_connection(organization)
        .await?
        .is_none()
    {
        return Err(AppError::Conflict(
            "No CRM is connected. Connect one first.".into(),
        ));
    }
    let queued = sync::sync_now(&state, organization).await?;
    let mut status = sync::status(&state, organization).await?;
    // The spawned run may already have taken the request; say what happened
    // to this press.
    status.queued = queued;
    Ok((StatusCode::ACCEPTED, Json(status)))
}

/// The CRM warning for the banner on every admin page.
#[utoipa::path(
    get,
    path = paths::CRM_HEALTH,
    tag = "admin",
    extensions(("x-navsync-role" = json!("admin"))),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "The warning, if any", body = CrmHealth),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
    )
)]
pub async fn crm_health(
    State(state): State<AppState>,
    RequireAdmin(user): RequireAdmin,
) -> Result<Json<CrmHealth>, AppError> {
    let organization = &user.organization_id;
    let crm_warning = state
        .store
        .find_crm_connection(organization)
        .await?
        .and_then(|c| c.problem)
        .map(|p| CrmProblem::of(p.kind, p.missing_privilege));
    let (_, sync_paused) = state.store.sync_state(organization).await?;
    Ok(Json(CrmHealth {
        crm_warning,
        sync_paused,
    }))
}
