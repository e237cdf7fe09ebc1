//! The control surface under `/_standin/`: fault injection, request counters and secret
//! rotation. A real Dataverse has nothing at these paths; the connector never calls them,
//! only tests and the demo tooling do. They need no token.
//!
//! | route | effect |
//! |---|---|
//! | `GET /_standin/faults` | the active [`Faults`] |
//! | `POST /_standin/faults` | replace the active faults with the JSON body |
//! | `DELETE /_standin/faults` | clear every fault |
//! | `GET /_standin/stats` | the [`crate::Stats`] counters |
//! | `POST /_standin/reset-stats` | zero the counters |
//! | `POST /_standin/credentials` | `{"client_secret": "..."}` rotates the secret |
//! | `POST /_standin/expire-delta-tokens` | every change-tracking delta token issued so far expires |
//! | `POST /_standin/rows/{set}` | creates a row of a read table (`accounts`, `opportunities`, ...) from the JSON body; answers `{"id": ...}` |
//! | `PATCH /_standin/rows/{set}/{id}` | changes a row's columns (change tracking sees it) |
//! | `DELETE /_standin/rows/{set}/{id}` | deletes a row (change tracking reports it deleted) |

use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::standin::StandIn;

/// A `throttle` fault: the next `requests` Web API calls get 429.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Throttle {
    /// The `Retry-After` seconds to answer with.
    pub retry_after_secs: u64,
    /// How many requests to refuse.
    pub requests: u64,
}

/// The injectable faults. Every field defaults to "off".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// Drop every connection (API and token endpoint) that isn't a control request.
    pub unreachable: bool,
    /// Answer every Web API call with this status (500 or 503) and an error body.
    pub server_error: Option<u16>,
    /// Privileges taken from the Integration User's role: gone from
    /// `RetrieveUserPrivileges`, and reads of the matching table get 403.
    pub missing_privileges: Vec<String>,
    /// Logical names of tables that don't exist: 404 for the collection and metadata.
    pub missing_tables: Vec<String>,
    /// The companion solution isn't installed: `solutions` queries don't find it.
    pub solution_missing: bool,
    /// Report this version from `RetrieveVersion` and `RetrieveCurrentOrganization`.
    pub version: Option<String>,
    /// The organization is a sandbox (`OrganizationType: CustomerTest`).
    pub sandbox: bool,
    /// Action, not state: invalidate every token issued so far.
    pub expire_tokens: bool,
    /// Refuse the next N Web API requests with 429.
    pub throttle: Option<Throttle>,
    /// Look like Dynamics 365 on-premises: `RetrieveCurrentOrganization` has empty
    /// `EnvironmentId`, `TenantId` and `Geo`, a nil `DatacenterId`, and the version is
    /// 9.1 (the last on-premises line) unless `version` says otherwise.
    pub on_premises: bool,
    /// Answer every admitted Web API request this many milliseconds late (slow CRM).
    pub delay_ms: u64,
    /// Answer every Web API request this many milliseconds late *after* it has been
    /// carried out (a slow way back): a client that gives up or dies meanwhile never
    /// learns that its writes were made.
    pub response_delay_ms: u64,
}

/// The on-premises version reported under the `on_premises` fault.
pub const ON_PREMISES_VERSION: &str = "9.1.0.10125";

#[derive(Deserialize)]
struct Credentials {
    client_secret: String,
}

fn bad_body(rejection: JsonRejection) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"error": {"code": "standin.bad_request", "message": rejection.body_text()}})),
    )
        .into_response()
}

async fn get_faults(State(standin): State<StandIn>) -> Json<Faults> {
    Json(standin.faults())
}

async fn post_faults(
    State(standin): State<StandIn>,
    body: Result<Json<Faults>, JsonRejection>,
) -> Response {
    match body {
        Ok(Json(faults)) => {
            standin.set_faults(faults);
            Json(standin.faults()).into_response()
        }
        Err(rejection) => bad_body(rejection),
    }
}

async fn delete_faults(State(standin): State<StandIn>) -> StatusCode {
    standin.clear_faults();
    StatusCode::NO_CONTENT
}

async fn get_stats(State(standin): State<StandIn>) -> Response {
    Json(standin.stats()).into_response()
}

async fn reset_stats(State(standin): State<StandIn>) -> StatusCode {
    standin.reset_stats();
    StatusCode::NO_CONTENT
}

async fn post_credentials(
    State(standin): State<StandIn>,
    body: Result<Json<Credentials>, JsonRejection>,
) -> Response {
    match body {
        Ok(Json(c)) => {
            standin.rotate_secret(c.client_secret);
            StatusCode::NO_CONTENT.into_response()
        }
        Err(rejection) => bad_body(rejection),
    }
}

async fn expire_delta_tokens(State(standin): State<StandIn>) -> StatusCode {
    standin.expire_delta_tokens();
    StatusCode::NO_CONTENT
}

fn row_error(err: crate::store::StoreError) -> Response {
    let status = match err {
        crate::store::StoreError::NotFound(..) => StatusCode::NOT_FOUND,
        _ => StatusCode::BAD_REQUEST,
    };
    (status, Json(json!({"error": err.to_string()}))).into_response()
}

fn row_table(set: &str) -> Option<crate::store::schema::Table> {
    crate::store::schema::Table::from_entity_set(set)
}

fn no_table(set: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(json!({"error": format!("no table {set}")})),
    )
        .into_response()
}

async fn create_row(
    State(standin): State<StandIn>,
    axum::extract::Path(set): axum::extract::Path<String>,
    Json(fields): Json<serde_json::Value>,
) -> Response {
    let Some(table) = row_table(&set) else {
        return no_table(&set);
    };
    match standin.create_row(table, &fields) {
        Ok(id) => (StatusCode::CREATED, Json(json!({"id": id}))).into_response(),
        Err(err) => row_error(err),
    }
}

async fn update_row(
    State(standin): State<StandIn>,
    axum::extract::Path((set, id)): axum::extract::Path<(String, uuid::Uuid)>,
    Json(fields): Json<serde_json::Value>,
) -> Response {
    let Some(table) = row_table(&set) else {
        return no_table(&set);
    };
    match standin.update_row(table, id, &fields) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(err) => row_error(err),
    }
}

async fn delete_row(
    State(standin): State<StandIn>,
    axum::extract::Path((set, id)): axum::extract::Path<(String, uuid::Uuid)>,
) -> Response {
    let Some(table) = row_table(&set) else {
        return no_table(&set);
    };
    match standin.delete_row(table, id) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(err) => row_error(err),
    }
}

/// The `/_standin/` routes.
pub fn router() -> Router<StandIn> {
    Router::new()
        .route(
            "/_standin/faults",
            get(get_faults).post(post_faults).delete(delete_faults),
        )
        .route("/_standin/stats", get(get_stats))
        .route("/_standin/reset-stats", post(reset_stats))
        .route("/_standin/credentials", post(post_credentials))
        .route("/_standin/expire-delta-tokens", post(expire_delta_tokens))
        .route("/_standin/rows/{set}", post(create_row))
        .route(
            "/_standin/rows/{set}/{id}",
            axum::routing::patch(update_row).delete(delete_row),
        )
}
