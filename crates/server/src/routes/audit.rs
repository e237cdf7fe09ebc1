//! `GET /api/admin/audit-log`: the admin's view of who changed what in their
//! organization (CRM connection, credentials, settings, disconnect; seat
//! changes), newest first. Sign-ins are not audited: they are not changes.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, SecondsFormat};
use navsync_api::audit::{AuditEntry, AuditPage};
use navsync_api::{ErrorBody, paths};
use serde::Deserialize;

use crate::AppState;
use crate::auth::RequireAdmin;
use crate::error::AppError;

/// Entries per page when `limit` is not given.
pub const DEFAULT_LIMIT: u64 = 50;
/// The largest page.
pub const MAX_LIMIT: u64 = 200;

/// The audit-log route.
pub fn router() -> Router<AppState> {
    Router::new().route(paths::AUDIT_LOG, get(list_audit_log))
}

/// Query parameters of the audit log.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Entries to skip (default 0).
    pub offset: Option<u64>,
    /// Page size, clamped to 1–200 (default 50).
    pub limit: Option<u64>,
}

/// The audit log of the admin's own organization, newest first.
#[utoipa::path(
    get,
    path = paths::AUDIT_LOG,
    tag = "admin",
    security(("session_cookie" = [])),
    extensions(("x-navsync-role" = json!("admin"))),
    params(AuditQuery),
    responses(
        (status = 200, description = "One page of the audit log", body = AuditPage),
        (status = 400, description = "Bad query parameters", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
    )
)]
pub async fn list_audit_log(
    State(state): State<AppState>,
    RequireAdmin(user): RequireAdmin,
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> Result<Json<AuditPage>, AppError> {
    let Query(query) = query.map_err(|_| {
        AppError::BadRequest(
            "The query is not valid: offset and limit must be whole numbers of 0 or more.".into(),
        )
    })?;
    let offset = query.offset.unwrap_or(0);
    super::check_page_bounds(query.offset, query.limit)?;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let (records, total) = state
        .store
        .list_audit_log(&user.organization_id, offset, limit)
        .await?;
    let items = records
        .into_iter()
        .map(|r| AuditEntry {
            id: r.id,
            actor_name: r.actor_name,
            action: r.action,
            detail: r.detail,
            at: DateTime::from_timestamp(r.created_at, 0)
                .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
                .unwrap_or_default(),
        })
        .collect();
    Ok(Json(AuditPage {
        items,
        total,
        offset,
        limit,
    }))
}
