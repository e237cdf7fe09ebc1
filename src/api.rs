//! Talking to the Navsync server.
//!
//! [`client`] has one typed function per API call; every one returns
//! `Result<T, ApiError>`. [`ApiError`] and the decoding of error responses are
//! plain Rust so they are tested natively.

pub mod client;

use navsync_api::{ErrorBody, ErrorCode};

/// Why an API call failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// The server could not be reached (offline, DNS, aborted).
    Network(String),
    /// The server answered with an error status.
    Server {
        /// The HTTP status.
        status: u16,
        /// The error body (a generic one when the server sent no JSON body).
        body: ErrorBody,
        /// Seconds to wait, from the `Retry-After` header.
        retry_after: Option<u64>,
    },
}

impl ApiError {
    /// Builds the error of a non-2xx response from its status, body text and
    /// `Retry-After` header.
    pub fn from_response(status: u16, body: &str, retry_after: Option<&str>) -> Self {
        let body = serde_json::from_str::<ErrorBody>(body).unwrap_or_else(|_| generic_body(status));
        ApiError::Server {
            status,
            body,
            retry_after: retry_after.and_then(|v| v.trim().parse().ok()),
        }
    }

    /// An answer whose body could not be read as the expected type.
    pub fn unreadable(status: u16) -> Self {
        ApiError::Server {
            status,
            body: ErrorBody::new(
                ErrorCode::Internal,
                "The server sent an answer the app could not read.",
            ),
            retry_after: None,
        }
    }

    /// The HTTP status, if the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Network(_) => None,
            ApiError::Server { status, .. } => Some(*status),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Network(reason) => write!(f, "network error: {reason}"),
            ApiError::Server { status, body, .. } => write!(f, "{status}: {}", body.message),
        }
    }
}

impl std::error::Error for ApiError {}

/// The error body to use when the server sent none we can read.
fn generic_body(status: u16) -> ErrorBody {
    let code = match status {
        400 => ErrorCode::BadRequest,
        401 => ErrorCode::Unauthenticated,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        409 => ErrorCode::Conflict,
        413 => ErrorCode::PayloadTooLarge,
        415 => ErrorCode::UnsupportedMediaType,
        422 => ErrorCode::ValidationFailed,
        429 => ErrorCode::TooManyRequests,
        _ => ErrorCode::Internal,
    };
    ErrorBody::new(code, "The server answered with an error.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_error_bodies_are_kept() {
        let err = ApiError::from_response(
            401,
            r#"{"code":"invalid_credentials","message":"Nope."}"#,
            None,
        );
        let ApiError::Server { body, status, .. } = err else {
            panic!("expected a server error");
        };
        assert_eq!(status, 401);
        assert_eq!(body.code, ErrorCode::InvalidCredentials);
        assert_eq!(body.message, "Nope.");
    }

    #[test]
    fn non_json_bodies_become_generic() {
        let err = ApiError::from_response(429, "<html>slow down</html>", Some(" 90 "));
        let ApiError::Server {
            body, retry_after, ..
        } = err
        else {
            panic!("expected a server error");
        };
        assert_eq!(body.code, ErrorCode::TooManyRequests);
        assert_eq!(retry_after, Some(90));
        assert_eq!(
            ApiError::from_response(502, "", Some("soon")),
            ApiError::Server {
                status: 502,
                body: generic_body(502),
                retry_after: None
            }
        );
    }
}
