//! The Entra ID token endpoint, `POST /{tenant}/oauth2/v2.0/token`, for the
//! client-credentials grant, with Entra's error JSON (`AADSTS...`) for each way a request
//! can be wrong. Checks run in Entra's order: tenant, grant, client, secret, scope.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use chrono::Utc;
use serde_json::json;
use uuid::Uuid;

use crate::standin::StandIn;

/// An Entra error: HTTP status, OAuth `error`, AADSTS number and description.
struct EntraError {
    status: StatusCode,
    error: &'static str,
    code: u32,
    description: String,
}

impl IntoResponse for EntraError {
    fn into_response(self) -> Response {
        let trace = Uuid::new_v4();
        let correlation = Uuid::new_v4();
        let now = Utc::now();
        let timestamp = now.format("%Y-%m-%d %H:%M:%SZ").to_string();
        let body = json!({
            "error": self.error,
            "error_description": format!(
                "AADSTS{}: {}\r\nTrace ID: {trace}\r\nCorrelation ID: {correlation}\r\nTimestamp: {timestamp}",
                self.code, self.description
            ),
            "error_codes": [self.code],
            "timestamp": timestamp,
            "trace_id": trace.to_string(),
            "correlation_id": correlation.to_string(),
            "error_uri": format!("https://login.microsoftonline.com/error?code={}", self.code),
        });
        (
            self.status,
            [(header::CACHE_CONTROL, "no-store, no-cache")],
            Json(body),
        )
            .into_response()
    }
}

fn err(status: StatusCode, error: &'static str, code: u32, description: String) -> EntraError {
    EntraError {
        status,
        error,
        code,
        description,
    }
}

async fn token(
    State(standin): State<StandIn>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    standin.record_token_request();
    match issue(&standin, &tenant, &headers, &body) {
        Ok(response) => response,
        Err(e) => e.into_response(),
    }
}

fn issue(
    standin: &StandIn,
    tenant: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, EntraError> {
    let config = standin.config();
    let tenant_id = standin.data().organization.tenant_id;
    if tenant != config.tenant && Uuid::parse_str(tenant).ok() != Some(tenant_id) {
        return Err(err(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            90002,
            format!(
                "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant."
            ),
        ));
    }
    let form: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(err(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'grant_type'.".into(),
        ));
    }
    match field("grant_type") {
        Some("client_credentials") => {}
        None => {
            return Err(err(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                900144,
                "The request body must contain the following parameter: 'grant_type'.".into(),
            ));
        }
        Some(other) => {
            return Err(err(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                70003,
                format!("The app requested an unsupported grant type '{other}'."),
            ));
        }
    }
    let client_id = field("client_id").unwrap_or("");
    if client_id != config.client_id {
        return Err(err(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            700016,
            format!(
                "Application with identifier '{client_id}' was not found in the directory '{tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant."
            ),
        ));
    }
    match field("client_secret") {
        None => {
            return Err(err(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                7000216,
                "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.".into(),
            ));
        }
        Some(secret) if secret != standin.client_secret() => {
            return Err(err(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                7000215,
                format!(
                    "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{client_id}'."
                ),
            ));
        }
        Some(_) => {}
    }
    let scope = field("scope").unwrap_or("");
    let Some(resource) = scope.strip_suffix("/.default") else {
        return Err(err(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            1002012,
            format!(
                "The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."
            ),
        ));
    };
    let own = standin.base_url();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|h| format!("http://{h}"));
    let resource = resource.trim_end_matches('/');
    if resource != own.trim_end_matches('/') && Some(resource.to_string()) != host {
        return Err(err(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            500011,
            format!(
                "The resource principal named {resource} was not found in the tenant named {tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant."
            ),
        ));
    }
    let lifetime = config.token_lifetime.as_secs();
    let access_token = standin.issue_token();
    Ok((
        StatusCode::OK,
        [(header::CACHE_CONTROL, "no-store, no-cache")],
        Json(json!({
            "token_type": "Bearer",
            "expires_in": lifetime,
            "ext_expires_in": lifetime,
            "access_token": access_token,
        })),
    )
        .into_response())
}

/// The token route.
pub fn router() -> Router<StandIn> {
    Router::new().route("/{tenant}/oauth2/v2.0/token", post(token))
}
