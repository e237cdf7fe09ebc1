//! `GET /api/setup` and `POST /api/setup`: first-run set-up of the
//! organization and its first admin.

use axum::extract::State;
use axum::http::HeaderName;
use axum::http::header::SET_COOKIE;
use axum::routing::get;
use axum::{Json, Router};
use navsync_api::{ErrorBody, Licence, Me, SetUpOrganization, SetupStatus, paths};

use crate::AppState;
use crate::auth::{self, password};
use crate::error::{ApiJson, AppError};
use crate::routes::me::load_me;
use crate::store::{NewOrganization, NewPerson, StoreError};

const ALREADY_SET_UP: &str = "Navsync has already been set up. Please sign in.";

/// The set-up routes.
pub fn router() -> Router<AppState> {
    Router::new().route(paths::SETUP, get(setup_status).post(set_up))
}

/// Whether the first visit must create the organization.
#[utoipa::path(
    get,
    path = paths::SETUP,
    tag = "setup",
    extensions(("x-navsync-role" = json!("public"))),
    responses(
        (status = 200, description = "Set-up status", body = SetupStatus),
        (status = 500, description = "Database failure", body = ErrorBody),
    )
)]
pub async fn setup_status(State(state): State<AppState>) -> Result<Json<SetupStatus>, AppError> {
    let demo = state.config.demo;
    let needed = !demo && state.store.is_empty().await?;
    Ok(Json(SetupStatus { needed, demo }))
}

/// Creates the organization and its first admin (one transaction), only while
/// none exists, and signs the admin in.
#[utoipa::path(
    post,
    path = paths::SETUP,
    tag = "setup",
    extensions(("x-navsync-role" = json!("public"))),
    request_body = SetUpOrganization,
    responses(
        (status = 200, description = "Set up; `Set-Cookie` carries the admin's session", body = Me),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 403, description = "Cross-site request", body = ErrorBody),
        (status = 409, description = "Already set up", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    )
)]
pub async fn set_up(
    State(state): State<AppState>,
    ApiJson(form): ApiJson<SetUpOrganization>,
) -> Result<([(HeaderName, String); 1], Json<Me>), AppError> {
    // Answer early (before slow hashing); the store checks again atomically.
    if !state.store.is_empty().await? {
        return Err(AppError::Conflict(ALREADY_SET_UP.into()));
    }
    form.validate().map_err(AppError::Validation)?;
    let hash = password::hash(form.password).await?;
    let licence = if form.also_team_member {
        Licence::AdminAndTeamMember
    } else {
        Licence::Admin
    };
    let organization = NewOrganization {
        name: form.organization_name,
        seat_limit: form.seat_limit,
    };
    let admin = NewPerson {
        name: form.admin_name,
        email: form.email,
        password_hash: Some(hash),
        licence,
    };
    let (org, person) = match state
        .store
        .create_first_organization(&organization, &admin)
        .await
    {
        Ok(ids) => ids,
        Err(StoreError::AlreadySetUp) => return Err(AppError::Conflict(ALREADY_SET_UP.into())),
        Err(StoreError::EmailTaken) => {
            return Err(AppError::field(
                "email",
                "taken",
                "This email address is already in use.",
            ));
        }
        Err(err) => return Err(err.into()),
    };
    tracing::info!(organization = %org, "organization set up");
    let cookie = auth::start_session(&state, &org, &person).await?;
    let me = load_me(&state, &org, &person).await?;
    Ok(([(SET_COOKIE, cookie)], Json(me)))
}
