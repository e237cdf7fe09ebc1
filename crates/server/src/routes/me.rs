//! `GET /api/me` and `PUT /api/me/preferences`: the signed-in person.

use axum::extract::State;
use axum::routing::{get, put};
use axum::{Json, Router};
use navsync_api::{
    ErrorBody, Me, Organization, OrganizationId, Person, PersonId, UpdatePreferences, paths,
};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiJson, AppError};

/// The `/api/me` routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(paths::ME, get(get_me))
        .route(paths::ME_PREFERENCES, put(update_preferences))
}

/// The signed-in person and their organization (with seats in use).
#[utoipa::path(
    get,
    path = paths::ME,
    tag = "session",
    extensions(("x-navsync-role" = json!("signed_in")), ("x-navsync-owner" = json!("person"))),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "The signed-in person", body = Me),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
pub async fn get_me(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Me>, AppError> {
    Ok(Json(
        load_me(&state, &user.organization_id, &user.person_id).await?,
    ))
}

/// Saves the signed-in person's UI language.
#[utoipa::path(
    put,
    path = paths::ME_PREFERENCES,
    tag = "session",
    extensions(("x-navsync-role" = json!("signed_in")), ("x-navsync-owner" = json!("person"))),
    security(("session_cookie" = [])),
    request_body = UpdatePreferences,
    responses(
        (status = 200, description = "Saved; the updated person", body = Me),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
    )
)]
pub async fn update_preferences(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(preferences): ApiJson<UpdatePreferences>,
) -> Result<Json<Me>, AppError> {
    if !state
        .store
        .set_locale(&user.organization_id, &user.person_id, preferences.locale)
        .await?
    {
        return Err(AppError::Unauthenticated);
    }
    Ok(Json(
        load_me(&state, &user.organization_id, &user.person_id).await?,
    ))
}

/// Builds [`Me`] for a person of an organization.
pub(crate) async fn load_me(
    state: &AppState,
    organization: &OrganizationId,
    person: &PersonId,
) -> Result<Me, AppError> {
    let store = &state.store;
    let person = store
        .find_person(organization, person)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let org = store
        .find_organization(organization)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let seats_used = store.count_team_members(organization).await?;
    Ok(Me {
        person: Person {
            id: person.id,
            name: person.name,
            email: person.email,
            licence: person.licence,
            locale: person.locale,
        },
        organization: Organization {
            id: org.id,
            name: org.name,
            seat_limit: org.seat_limit,
            seats_used,
        },
    })
}
