//! The JSON API's routes, one `router()` per resource, all under `/api`.
//!
//! # Layout
//! - [`health`]: `GET /api/health`.
//! - [`setup`]: first-run set-up.
//! - [`session`]: sign-in and sign-out.
//! - [`me`]: the signed-in person and their preferences.
//! - [`seats`]: the admin's seat list.
//! - [`crm`]: the admin's CRM connection and settings.
//! - [`openapi`]: the OpenAPI document ([`openapi::ApiDoc`]).

pub mod crm;
pub mod health;
pub mod me;
pub mod openapi;
pub mod seats;
pub mod session;
pub mod setup;

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
        .merge(openapi::router())
        .route("/api", any(api_not_found))
        .route("/api/", any(api_not_found))
        .route("/api/{*rest}", any(api_not_found))
        .method_not_allowed_fallback(method_not_allowed)
}
