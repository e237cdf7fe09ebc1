//! [`ApiError`]: every Web API failure, rendered as Dataverse's
//! `{"error": {"code": "0x...", "message": "..."}}` with the matching status and headers.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use uuid::Uuid;

use crate::store::schema::Table;

/// Generic OData/query error (bad `$filter`, `$skip`, bad token, ...).
pub const CODE_QUERY: &str = "0x80060888";
/// Unknown property (`$select=nope`); Dataverse really sends `0x0` here.
pub const CODE_UNKNOWN_PROPERTY: &str = "0x0";
/// Unknown entity set or function (`Resource not found for the segment`).
pub const CODE_SEGMENT: &str = "0x8006088a";
/// `ObjectDoesNotExist`.
pub const CODE_NOT_FOUND: &str = "0x80040217";
/// `PrivilegeDenied`: the principal lacks a privilege.
pub const CODE_PRIVILEGE: &str = "0x80040220";
/// Service protection: number of requests.
pub const CODE_THROTTLE_COUNT: &str = "0x80072322";
/// Service protection: concurrent requests.
pub const CODE_THROTTLE_CONCURRENCY: &str = "0x80072326";
/// `ExpiredVersionStamp`: a change-tracking delta token is past its retention period.
pub const CODE_EXPIRED_VERSION_STAMP: &str = "0x80044352";
/// `UnExpected`: an unexpected server error.
pub const CODE_UNEXPECTED: &str = "0x80040216";

/// A Web API error response.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Dataverse's hex error code.
    pub code: &'static str,
    /// Dataverse-worded message.
    pub message: String,
    /// `Retry-After` seconds (429 only).
    pub retry_after: Option<u64>,
    /// `WWW-Authenticate` value (401 only).
    pub www_authenticate: Option<String>,
}

impl ApiError {
    /// Any status/code/message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            retry_after: None,
            www_authenticate: None,
        }
    }

    /// 400 `0x80060888`.
    pub fn query(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, CODE_QUERY, message)
    }

    /// 400 `0x0`, "Could not find a property named ...".
    pub fn unknown_property(type_name: &str, property: &str) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            CODE_UNKNOWN_PROPERTY,
            format!(
                "Could not find a property named '{property}' on type 'Microsoft.Dynamics.CRM.{type_name}'."
            ),
        )
    }

    /// 404 `0x8006088a`, "Resource not found for the segment ...".
    pub fn segment(segment: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            CODE_SEGMENT,
            format!("Resource not found for the segment '{segment}'."),
        )
    }

    /// 404 `0x80040217` for a missing row.
    pub fn row_not_found(table: Table, id: Uuid) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            CODE_NOT_FOUND,
            format!("{} With Id = {id} Does Not Exist", table.logical_name()),
        )
    }

    /// 403 `0x80040220` in Dataverse's wording.
    pub fn privilege(
        user: Uuid,
        privilege_count: usize,
        privilege: &str,
        privilege_id: Uuid,
        table: Table,
    ) -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            CODE_PRIVILEGE,
            format!(
                "Principal user (Id={user}, type=8, roleCount=1, privilegeCount={privilege_count}, accessMode=4), is missing {privilege} privilege (Id={privilege_id}) on OTC={} for entity '{}'. context.Caller={user}",
                table.object_type_code(),
                table.logical_name()
            ),
        )
    }

    /// 429 for the request-count limit.
    pub fn throttled_count(limit: usize, window_secs: u64, retry_after: u64) -> ApiError {
        ApiError {
            retry_after: Some(retry_after),
            ..ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                CODE_THROTTLE_COUNT,
                format!(
                    "Number of requests exceeded the limit of {limit} over time window of {window_secs} seconds."
                ),
            )
        }
    }

    /// 429 for the concurrency limit.
    pub fn throttled_concurrency(limit: usize, retry_after: u64) -> ApiError {
        ApiError {
            retry_after: Some(retry_after),
            ..ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                CODE_THROTTLE_CONCURRENCY,
                format!("Number of concurrent requests exceeded the limit of {limit}."),
            )
        }
    }

    /// 401 with a `WWW-Authenticate: Bearer` challenge pointing at the token authority.
    pub fn unauthorized(
        message: &str,
        authority: String,
        resource: String,
        invalid: bool,
    ) -> ApiError {
        let error = if invalid {
            "error=\"invalid_token\", "
        } else {
            ""
        };
        ApiError {
            www_authenticate: Some(format!(
                "Bearer {error}authorization_uri={authority}, resource_id={resource}"
            )),
            ..ApiError::new(StatusCode::UNAUTHORIZED, CODE_UNKNOWN_PROPERTY, message)
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            Json(json!({"error": {"code": self.code, "message": self.message}})),
        )
            .into_response();
        let headers = response.headers_mut();
        if let Some(secs) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if let Some(challenge) = self.www_authenticate
            && let Ok(v) = HeaderValue::from_str(&challenge)
        {
            headers.insert(header::WWW_AUTHENTICATE, v);
        }
        response
    }
}
