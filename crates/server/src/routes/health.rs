//! `GET /api/health`: liveness plus a database round trip.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use navsync_api::{ErrorBody, Health, paths};

use crate::AppState;
use crate::error::AppError;

/// The health route.
pub fn router() -> Router<AppState> {
    Router::new().route(paths::HEALTH, get(health))
}

/// Answers `ok` once the database has answered `SELECT 1`.
#[utoipa::path(
    get,
    path = paths::HEALTH,
    tag = "system",
    extensions(("x-navsync-role" = json!("public"))),
    responses(
        (status = 200, description = "The server and its database answer", body = Health),
        (status = 500, description = "The database does not answer", body = ErrorBody),
    )
)]
pub async fn health(State(state): State<AppState>) -> Result<Json<Health>, AppError> {
    state.store.ping().await?;
    Ok(Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    }))
}
