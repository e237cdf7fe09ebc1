//! `GET /api/admin/seats`: the admin's seat list, paged and searchable.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use navsync_api::{ErrorBody, Seat, SeatPage, paths};
use serde::Deserialize;

use crate::AppState;
use crate::auth::RequireAdmin;
use crate::error::AppError;

/// Rows per page when `limit` is not given.
pub const DEFAULT_LIMIT: u64 = 50;
/// The largest page.
pub const MAX_LIMIT: u64 = 200;

/// The seat routes.
pub fn router() -> Router<AppState> {
    Router::new().route(paths::SEATS, get(list_seats))
}

/// Query parameters of the seat list.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SeatQuery {
    /// Rows to skip (default 0).
    pub offset: Option<u64>,
    /// Page size, clamped to 1–200 (default 50).
    pub limit: Option<u64>,
    /// Only people whose name or email contains this (any case).
    pub q: Option<String>,
}

/// The seats of the admin's own organization, by name.
#[utoipa::path(
    get,
    path = paths::SEATS,
    tag = "admin",
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
    let Query(query) = query.map_err(|_| {
        AppError::BadRequest(
            "The query is not valid: offset and limit must be whole numbers of 0 or more.".into(),
        )
    })?;
    let offset = query.offset.unwrap_or(0);
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let (people, total) = state
        .store
        .list_seats(&user.organization_id, offset, limit, query.q.as_deref())
        .await?;
    let items = people
        .into_iter()
        .map(|p| Seat {
            id: p.id,
            name: p.name,
            email: p.email,
            licence: p.licence,
            crm_sync_enabled: p.crm_sync_enabled,
        })
        .collect();
    Ok(Json(SeatPage {
        items,
        total,
        offset,
        limit,
    }))
}
