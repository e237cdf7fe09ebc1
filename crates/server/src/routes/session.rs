//! `POST /api/session` (sign in) and `DELETE /api/session` (sign out).

use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use navsync_api::{ErrorBody, Me, SignIn, paths};

use crate::AppState;
use crate::auth::{self, ClientIp, session};
use crate::error::{ApiJson, AppError};
use crate::routes::me::load_me;

/// The session routes.
pub fn router() -> Router<AppState> {
    Router::new().route(paths::SESSION, post(sign_in).delete(sign_out))
}

/// Signs in with email and password and sets the session cookie.
#[utoipa::path(
    post,
    path = paths::SESSION,
    tag = "session",
    extensions(("x-navsync-role" = json!("public"))),
    request_body = SignIn,
    responses(
        (status = 200, description = "Signed in; `Set-Cookie` carries the session", body = Me),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "Email or password not correct", body = ErrorBody),
        (status = 403, description = "Cross-site request", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Email or password missing", body = ErrorBody),
        (status = 429, description = "Too many failures; see `Retry-After`", body = ErrorBody),
    )
)]
pub async fn sign_in(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(form): ApiJson<SignIn>,
) -> Result<([(axum::http::HeaderName, String); 1], Json<Me>), AppError> {
    form.validate().map_err(AppError::Validation)?;
    let person = auth::check_credentials(&state, &form.email, form.password, ip).await?;
    let cookie = auth::start_session(&state, &person.organization_id, &person.id).await?;
    let me = load_me(&state, &person.organization_id, &person.id).await?;
    Ok(([(SET_COOKIE, cookie)], Json(me)))
}

/// Signs out: ends the session (if any) and clears the cookie.
#[utoipa::path(
    delete,
    path = paths::SESSION,
    tag = "session",
    extensions(("x-navsync-role" = json!("public"))),
    responses(
        (status = 204, description = "Signed out (also when not signed in)"),
        (status = 403, description = "Cross-site request", body = ErrorBody),
    )
)]
pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<(StatusCode, [(axum::http::HeaderName, String); 1]), AppError> {
    if let Some(token) = session::token_from_headers(&headers) {
        state
            .store
            .delete_session(&session::hash_token(&token))
            .await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(
            SET_COOKIE,
            session::clear_cookie(state.config.secure_cookies),
        )],
    ))
}
