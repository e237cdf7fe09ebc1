//! The JSON API's routes, one `router()` per resource, all under `/api`.
//!
//! # Layout
//! - [`health`]: `GET /api/health`.
//! - [`setup`]: first-run set-up.
//! - [`session`]: sign-in and sign-out.
//! - [`me`]: the signed-in person and their preferences.
//! - [`seats`]: the admin's seat list.
//! - [`crm`]: the admin's CRM connection and settings.
//! - [`audit`]: the admin's audit log.
//! - [`sync`]: the admin's CRM sync progress, "Sync now" and CRM health.
//! - [`saved`]: the seat holder's saved accounts and leads.
//! - [`messages`]: the seat holder's InMails and messages, and their copy to the CRM.
//! - [`notes`]: the seat holder's notes on saved leads and accounts.
//! - [`writeback`]: the admin's writeback choices, the unresolved report, retries.
//! - [`openapi`]: the OpenAPI document ([`openapi::ApiDoc`]). Every operation
//!   carries `x-navsync-role` (see [`openapi::ROLE_EXTENSION`]), which the API
//!   tests check against the server's behaviour.

pub mod audit;
pub mod crm;
pub mod health;
pub mod me;
pub mod messages;
pub mod notes;
pub mod openapi;
pub mod saved;
pub mod seats;
pub mod session;
pub mod setup;
pub mod sync;
pub mod writeback;

use axum::Router;
use axum::routing::any;

use crate::AppState;
use crate::error::{api_not_found, method_not_allowed};

/// Every API route; unknown `/api/*` paths answer a JSON 404 and a known path
/// with the wrong method a JSON 405.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(health::router())
        .merge(setup::router())
        .merge(session::router())
        .merge(me::router())
        .merge(seats::router())
        .merge(crm::router())
        .merge(audit::router())
        .merge(sync::router())
        .merge(saved::router())
        .merge(messages::router())
        .merge(notes::router())
        .merge(writeback::router())
        .merge(openapi::router())
        .route("/api", any(api_not_found))
        .route("/api/", any(api_not_found))
        .route("/api/{*rest}", any(api_not_found))
        .method_not_allowed_fallback(method_not_allowed)
}

/// Refuses an `offset` or `limit` above `i64::MAX`: the OpenAPI document says
/// int64 (SQLite's integers), so larger values are a client error, not a
/// silently clamped page.
pub fn check_page_bounds(
    offset: Option<u64>,
    limit: Option<u64>,
) -> Result<(), crate::error::AppError> {
    if [offset, limit]
        .into_iter()
        .flatten()
        .any(|n| i64::try_from(n).is_err())
    {
        return Err(crate::error::AppError::BadRequest(
            "The query is not valid: offset or limit is too large.".into(),
        ));
    }
    Ok(())
}
