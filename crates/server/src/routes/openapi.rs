//! `GET /api/openapi.json`: the OpenAPI 3 document, generated from the
//! handlers' `#[utoipa::path]` attributes and the shared types' schemas.

use axum::routing::get;
use axum::{Json, Router};
use navsync_api::paths;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::AppState;
use crate::auth::session::COOKIE_NAME;

/// The API's OpenAPI description.
#[derive(OpenApi)]
#[openapi(
    info(title = "Navsync API", description = "Navsync's JSON API. Errors carry `ErrorBody`."),
    paths(
        super::health::health,
        super::setup::setup_status,
        super::setup::set_up,
        super::session::sign_in,
        super::session::sign_out,
        super::me::get_me,
        super::me::update_preferences,
        super::seats::list_seats,
        super::crm::crm_status,
        super::crm::connect_crm,
        super::crm::update_crm_credentials,
        super::crm::update_crm_settings,
        super::crm::disconnect_preview,
        super::crm::disconnect_crm,
        openapi_json,
    ),
    components(schemas(
        navsync_api::ErrorBody,
        navsync_api::ErrorCode,
        navsync_api::FieldError,
        navsync_api::Health,
        navsync_api::SignIn,
        navsync_api::SetupStatus,
        navsync_api::SetUpOrganization,
        navsync_api::Me,
        navsync_api::UpdatePreferences,
        navsync_api::Person,
        navsync_api::Organization,
        navsync_api::Licence,
        navsync_api::Locale,
        navsync_api::Seat,
        navsync_api::SeatPage,
        navsync_api::OrganizationId,
        navsync_api::PersonId,
        navsync_api::crm::CrmErrorKind,
        navsync_api::crm::CrmProblem,
        navsync_api::crm::ConnectCrm,
        navsync_api::crm::UpdateCrmCredentials,
        navsync_api::crm::CrmSettings,
        navsync_api::crm::StageChoice,
        navsync_api::crm::MoneyFieldChoice,
        navsync_api::crm::ConnectionState,
        navsync_api::crm::CrmStatus,
        navsync_api::crm::CrmConnection,
        navsync_api::crm::ConnectOutcome,
        navsync_api::crm::DisconnectPreview,
        navsync_api::crm::DisconnectCrm,
    )),
    modifiers(&SessionCookie),
    tags(
        (name = "system", description = "Health and API description"),
        (name = "setup", description = "First-run set-up"),
        (name = "session", description = "Sign-in and the signed-in person"),
        (name = "admin", description = "Admin pages"),
    )
)]
pub struct ApiDoc;

struct SessionCookie;

impl Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                COOKIE_NAME,
                "Set by POST /api/session and POST /api/setup (HttpOnly, SameSite=Strict).",
            ))),
        );
    }
}

/// The OpenAPI route.
pub fn router() -> Router<AppState> {
    Router::new().route(paths::OPENAPI, get(openapi_json))
}

/// The OpenAPI 3 document of this API.
#[utoipa::path(
    get,
    path = paths::OPENAPI,
    tag = "system",
    responses((status = 200, description = "The OpenAPI 3 document", content_type = "application/json"))
)]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
