//! The one error body on the wire: `{ code, message, fields? }`.
//!
//! Every non-2xx response of the API carries it, including malformed JSON,
//! wrong types and oversized bodies. `message` is a clear English sentence for
//! people; the app shows its own translation keyed by `code` (and by each field
//! error's `code`) and falls back to `message`.

use serde::{Deserialize, Serialize};

/// Machine-readable error class. Serialised in `snake_case`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The body is not valid JSON or does not have the expected shape.
    BadRequest,
    /// The request was understood, but one or more fields are invalid; see `fields`.
    ValidationFailed,
    /// No valid session: sign in.
    Unauthenticated,
    /// Signed in, but this role or person may not do this.
    Forbidden,
    /// No such resource (or not in the caller's organization).
    NotFound,
    /// The request conflicts with the current state (e.g. already set up).
    Conflict,
    /// Email or password wrong; deliberately does not say which.
    InvalidCredentials,
    /// Too many attempts; wait `Retry-After` seconds.
    TooManyRequests,
    /// The body exceeds the size limit.
    PayloadTooLarge,
    /// The body is not `application/json`.
    UnsupportedMediaType,
    /// The request came from another site (CSRF protection).
    CrossSiteRequest,
    /// Something went wrong on the server; details are in its log, not here.
    Internal,
}

impl ErrorCode {
    /// The HTTP status this code is sent with.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::BadRequest => 400,
            ErrorCode::ValidationFailed => 422,
            ErrorCode::Unauthenticated | ErrorCode::InvalidCredentials => 401,
            ErrorCode::Forbidden | ErrorCode::CrossSiteRequest => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::Conflict => 409,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::TooManyRequests => 429,
            ErrorCode::Internal => 500,
        }
    }
}

/// One invalid field of a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field's JSON name, e.g. `"email"`.
    pub field: String,
    /// A stable code for the rule that failed, e.g. `"required"`, `"email"`, `"too_short"`.
    pub code: String,
    /// The English sentence for people.
    pub message: String,
}

/// The body of every error response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// What kind of error this is.
    pub code: ErrorCode,
    /// A clear sentence for people (English).
    pub message: String,
    /// Per-field errors, when `code` is `validation_failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<FieldError>>,
}

impl ErrorBody {
    /// An error without field details.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            fields: None,
        }
    }

    /// A `validation_failed` error listing the invalid fields.
    pub fn validation(fields: Vec<FieldError>) -> Self {
        Self {
            code: ErrorCode::ValidationFailed,
            message: "Some fields are not valid. Please correct them and try again.".into(),
            fields: Some(fields),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_round_trips_and_omits_empty_fields() {
        let body = ErrorBody::new(ErrorCode::Forbidden, "No.");
        let json = serde_json::to_string(&body).unwrap();
        assert_eq!(json, r#"{"code":"forbidden","message":"No."}"#);
        assert_eq!(serde_json::from_str::<ErrorBody>(&json).unwrap(), body);
    }

    #[test]
    fn statuses_are_client_errors_except_internal() {
        for code in [
            ErrorCode::BadRequest,
            ErrorCode::ValidationFailed,
            ErrorCode::Unauthenticated,
            ErrorCode::Forbidden,
            ErrorCode::NotFound,
            ErrorCode::Conflict,
            ErrorCode::InvalidCredentials,
            ErrorCode::TooManyRequests,
            ErrorCode::PayloadTooLarge,
            ErrorCode::UnsupportedMediaType,
            ErrorCode::CrossSiteRequest,
        ] {
            assert!((400..500).contains(&code.status()), "{code:?}");
        }
        assert_eq!(ErrorCode::Internal.status(), 500);
    }
}
