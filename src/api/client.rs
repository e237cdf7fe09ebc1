//! The typed API client on gloo-net: one function per call.
//!
//! Requests are same-origin, so the session cookie goes along by default.
//! Bodies are JSON (`Content-Type: application/json`, set by `.json()`).

use gloo_net::http::{Request, RequestBuilder, Response};
use navsync_api::{Me, SeatPage, SetUpOrganization, SetupStatus, SignIn, UpdatePreferences, paths};
use serde::{Serialize, de::DeserializeOwned};

use super::ApiError;

/// `GET /api/me`: the signed-in person (401 when signed out).
pub async fn me() -> Result<Me, ApiError> {
    json(send(Request::get(paths::ME)).await?).await
}

/// `GET /api/setup`: whether first-run set-up is needed, and demo mode.
pub async fn setup_status() -> Result<SetupStatus, ApiError> {
    json(send(Request::get(paths::SETUP)).await?).await
}

/// `POST /api/setup`: creates the organization and its first admin, signed in.
pub async fn set_up(form: &SetUpOrganization) -> Result<Me, ApiError> {
    json(send_json(Request::post(paths::SETUP), form).await?).await
}

/// `POST /api/session`: signs in (the server sets the session cookie).
pub async fn sign_in(form: &SignIn) -> Result<Me, ApiError> {
    json(send_json(Request::post(paths::SESSION), form).await?).await
}

/// `DELETE /api/session`: signs out.
pub async fn sign_out() -> Result<(), ApiError> {
    send(Request::delete(paths::SESSION)).await.map(drop)
}

/// `PUT /api/me/preferences`: saves the UI language.
pub async fn update_preferences(prefs: &UpdatePreferences) -> Result<(), ApiError> {
    send_json(Request::put(paths::ME_PREFERENCES), prefs)
        .await
        .map(drop)
}

/// `GET /api/admin/seats`: one page of the organization's seats.
pub async fn seats(offset: u64, limit: u64) -> Result<SeatPage, ApiError> {
    let url = format!("{}?offset={offset}&limit={limit}", paths::SEATS);
    json(send(Request::get(&url)).await?).await
}

/// Sends a request without a body; non-2xx answers become [`ApiError::Server`].
async fn send(request: RequestBuilder) -> Result<Response, ApiError> {
    let response = request
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    check(response).await
}

/// Sends `body` as JSON.
async fn send_json<B: Serialize>(request: RequestBuilder, body: &B) -> Result<Response, ApiError> {
    let request = request
        .json(body)
        .map_err(|e| ApiError::Network(e.to_string()))?;
    let response = request
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    check(response).await
}

async fn check(response: Response) -> Result<Response, ApiError> {
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let retry_after = response.headers().get("retry-after");
    // A body that cannot be read is treated like a non-JSON body.
    let text = response.text().await.unwrap_or_default();
    Err(ApiError::from_response(
        status,
        &text,
        retry_after.as_deref(),
    ))
}

async fn json<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    response
        .json::<T>()
        .await
        .map_err(|_| ApiError::unreadable(status))
}
