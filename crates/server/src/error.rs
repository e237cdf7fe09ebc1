//! The one error type of the API ([`AppError`]), the JSON body extractor whose
//! rejections are JSON too ([`ApiJson`]), and the answer to a handler panic.
//!
//! Internal failures (database, hashing) are logged here and reach the client
//! only as `internal` with a generic sentence: error text can hold details that
//! are nobody's business outside the server log.

use std::any::Any;

use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use navsync_api::{ErrorBody, ErrorCode, FieldError};
use serde::de::DeserializeOwned;

use crate::store::StoreError;

/// The largest request body the API accepts.
pub const BODY_LIMIT: usize = 64 * 1024;

type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything a handler can fail with; each variant maps to one [`ErrorCode`].
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The body or query is malformed; the sentence says what was wrong.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// Fields failed validation.
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// No valid session.
    #[error("not signed in")]
    Unauthenticated,
    /// The licence does not allow this.
    #[error("forbidden")]
    Forbidden,
    /// No such API path or resource.
    #[error("not found")]
    NotFound,
    /// The path exists, but not with this method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The request conflicts with the current state.
    #[error("conflict: {0}")]
    Conflict(String),
    /// Wrong email or password (deliberately not saying which).
    #[error("invalid credentials")]
    InvalidCredentials,
    /// Too many failed sign-ins; retry after this many seconds.
    #[error("too many requests")]
    TooManyRequests {
        /// Seconds to wait, sent as `Retry-After`.
        retry_after_secs: u64,
    },
    /// The body is larger than [`BODY_LIMIT`].
    #[error("payload too large")]
    PayloadTooLarge,
    /// The body is not `application/json`.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// A state-changing request from another site.
    #[error("cross-site request")]
    CrossSiteRequest,
    /// Anything else; logged, never sent.
    #[error("internal error: {0}")]
    Internal(#[source] BoxError),
}

impl AppError {
    /// The wire code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::BadRequest(_) | AppError::MethodNotAllowed => ErrorCode::BadRequest,
            AppError::Validation(_) => ErrorCode::ValidationFailed,
            AppError::Unauthenticated => ErrorCode::Unauthenticated,
            AppError::Forbidden => ErrorCode::Forbidden,
            AppError::NotFound => ErrorCode::NotFound,
            AppError::Conflict(_) => ErrorCode::Conflict,
            AppError::InvalidCredentials => ErrorCode::InvalidCredentials,
            AppError::TooManyRequests { .. } => ErrorCode::TooManyRequests,
            AppError::PayloadTooLarge => ErrorCode::PayloadTooLarge,
            AppError::UnsupportedMediaType => ErrorCode::UnsupportedMediaType,
            AppError::CrossSiteRequest => ErrorCode::CrossSiteRequest,
            AppError::Internal(_) => ErrorCode::Internal,
        }
    }

    /// A single invalid field.
    pub fn field(field: &str, code: &str, message: &str) -> Self {
        AppError::Validation(vec![FieldError {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }])
    }

    /// Wraps any internal failure.
    pub fn internal(err: impl Into<BoxError>) -> Self {
        AppError::Internal(err.into())
    }

    fn body(self) -> ErrorBody {
        let code = self.code();
        let message = match self {
            AppError::BadRequest(message) | AppError::Conflict(message) => message,
            AppError::Validation(fields) => return ErrorBody::validation(fields),
            AppError::Unauthenticated => "Please sign in to continue.".into(),
            AppError::Forbidden => "Your licence does not give access to this.".into(),
            AppError::NotFound => "There is nothing at this address.".into(),
            AppError::MethodNotAllowed => "This address does not accept this method.".into(),
            AppError::InvalidCredentials => "The email or password is not correct.".into(),
            AppError::TooManyRequests { .. } => {
                "Too many failed sign-in attempts. Please wait and try again later.".into()
            }
            AppError::PayloadTooLarge => {
                format!("The request body is larger than {} KiB.", BODY_LIMIT / 1024)
            }
            AppError::UnsupportedMediaType => {
                "Send the request body as JSON with Content-Type: application/json.".into()
            }
            AppError::CrossSiteRequest => {
                "This request came from another site and was refused.".into()
            }
            AppError::Internal(_) => {
                "Something went wrong on our side. Please try again later.".into()
            }
        };
        ErrorBody::new(code, message)
    }
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        AppError::internal(err)
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(err: tokio::task::JoinError) -> Self {
        AppError::internal(err)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(err) = &self {
            tracing::error!(error = %err, "request failed");
        }
        let status = match self {
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            _ => StatusCode::from_u16(self.code().status())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        };
        let retry_after = match self {
            AppError::TooManyRequests { retry_after_secs } => Some(retry_after_secs.max(1)),
            _ => None,
        };
        let mut response = json_response(status, &self.body());
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

fn json_response(status: StatusCode, body: &ErrorBody) -> Response {
    // Serialising ErrorBody cannot fail (strings and enums only); fall back anyway.
    let json = serde_json::to_vec(body)
        .unwrap_or_else(|_| br#"{"code":"internal","message":"Internal error."}"#.to_vec());
    let mut response = Response::new(Body::from(json));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// Fallback for unknown `/api/*` paths: JSON 404.
pub async fn api_not_found() -> AppError {
    AppError::NotFound
}

/// Fallback for a known path with the wrong method: JSON 405.
pub async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}

/// The answer when a handler panics: a JSON 500, so one bad request cannot take
/// the server down or leave the client with an empty body.
pub fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    tracing::error!(panic = %detail, "handler panicked");
    AppError::internal("handler panicked").into_response()
}

/// A JSON body extractor like `axum::Json`, but every rejection is an
/// [`ErrorBody`]: 415 without a JSON content type, 413 over [`BODY_LIMIT`],
/// 400 for malformed JSON or a wrong shape. The 400 sentence names the field
/// (its path) but never echoes the value, which might be a password.
#[derive(Clone, Copy, Debug, Default)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(AppError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(bytes_rejection)?;
        parse_json(&bytes).map(ApiJson)
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let mime = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

fn bytes_rejection(rejection: BytesRejection) -> AppError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge
    } else {
        AppError::BadRequest("The request body could not be read.".into())
    }
}

/// Parses a JSON body, describing what was wrong without echoing values.
pub(crate) fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        AppError::BadRequest(describe_json_error(&path, &inner))
    })?;
    deserializer.end().map_err(|_| {
        AppError::BadRequest("The request body has extra data after the JSON value.".into())
    })?;
    Ok(value)
}

fn describe_json_error(path: &str, err: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match err.classify() {
        Category::Syntax | Category::Eof | Category::Io => format!(
            "The request body is not valid JSON (line {}, column {}).",
            err.line(),
            err.column()
        ),
        Category::Data => {
            let text = err.to_string();
            // serde's "missing field `x`" names a field, never a value: safe to pass on.
            if let Some(rest) = text.strip_prefix("missing field `") {
                let field = rest.split('`').next().unwrap_or_default();
                let field = if path == "." {
                    field.to_owned()
                } else {
                    format!("{path}.{field}")
                };
                format!("The field `{field}` is missing.")
            } else if path == "." {
                "The request body does not have the expected shape.".into()
            } else {
                format!("The field `{path}` has the wrong type or value.")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Form {
        email: String,
        seat_limit: u32,
    }

    fn message(err: AppError) -> String {
        match err {
            AppError::BadRequest(message) => message,
            other => panic!("expected bad request, got {other:?}"),
        }
    }

    #[test]
    fn wrong_type_names_the_field_but_not_the_value() {
        let err =
            parse_json::<Form>(br#"{"email":"s3cret-value","seat_limit":"s3cret"}"#).unwrap_err();
        let text = message(err);
        assert!(text.contains("`seat_limit`"), "{text}");
        assert!(!text.contains("s3cret"), "{text}");
    }

    #[test]
    fn missing_field_and_syntax_errors_are_described() {
        let text = message(parse_json::<Form>(br#"{"email":"a"}"#).unwrap_err());
        assert_eq!(text, "The field `seat_limit` is missing.");
        let text = message(parse_json::<Form>(br#"{"email":"#).unwrap_err());
        assert!(
            text.starts_with("The request body is not valid JSON"),
            "{text}"
        );
        let text = message(parse_json::<Form>(br#"{"email":"a","seat_limit":1} x"#).unwrap_err());
        assert!(text.contains("extra data"), "{text}");
    }

    #[test]
    fn json_content_types() {
        let mut headers = HeaderMap::new();
        assert!(!is_json(&headers));
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        assert!(is_json(&headers));
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        assert!(is_json(&headers));
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        assert!(!is_json(&headers));
    }

    #[test]
    fn internal_errors_do_not_leak_their_text() {
        let body = AppError::internal("password=hunter2 in the query").body();
        assert_eq!(body.code, ErrorCode::Internal);
        assert!(!body.message.contains("hunter2"));
    }

    #[tokio::test]
    async fn a_panicking_handler_gets_a_json_500_and_the_server_lives_on() {
        use axum::routing::get;
        use tower::ServiceExt;
        use tower_http::catch_panic::CatchPanicLayer;

        async fn boom() -> &'static str {
            panic!("secret detail")
        }
        let router = axum::Router::new()
            .route("/boom", get(boom))
            .route("/ok", get(|| async { "fine" }))
            .layer(CatchPanicLayer::custom(panic_response));
        let request = |path: &str| Request::get(path).body(Body::empty()).unwrap();
        let response = router.clone().oneshot(request("/boom")).await.unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let bytes = axum::body::to_bytes(response.into_body(), 4096)
            .await
            .unwrap();
        let body: ErrorBody = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(body.code, ErrorCode::Internal);
        assert!(!body.message.contains("secret"));
        let response = router.oneshot(request("/ok")).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }

    #[test]
    fn too_many_requests_sets_retry_after() {
        let response = AppError::TooManyRequests {
            retry_after_secs: 42,
        }
        .into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[header::RETRY_AFTER], "42");
    }
}
