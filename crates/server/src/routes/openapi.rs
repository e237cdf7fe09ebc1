//! `GET /api/openapi.json`: the OpenAPI 3 document, generated from the
//! handlers' `#[utoipa::path]` attributes and the shared types' schemas.
//!
//! # Roles
//! Every operation names who may call it in the extension [`ROLE_EXTENSION`]
//! (`extensions(("x-navsync-role" = json!("admin")))` next to its `tag`):
//!
//! | role | who | refused with |
//! |---|---|---|
//! | `public` | anyone | — |
//! | `signed_in` | any signed-in person (their own data only) | 401 |
//! | `team_member` | seat holders (`RequireTeamMember`) | 401, 403 for admin-only people |
//! | `admin` | admins (`RequireAdmin`) | 401, 403 for seat holders |
//!
//! An operation whose path ids name one person's own rows (a saved lead…) adds
//! `("x-navsync-owner" = json!("person"))`. The API tests read the live document
//! and check every operation against its marker; a missing marker fails them.

use axum::routing::get;
use axum::{Json, Router};
use navsync_api::paths;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::AppState;
use crate::auth::session::COOKIE_NAME;

/// The OpenAPI extension naming the role an operation requires
/// (`public`, `signed_in`, `team_member`, `admin`).
pub const ROLE_EXTENSION: &str = "x-navsync-role";
/// The OpenAPI extension marking operations whose path ids name one person's
/// own rows (value `person`): another person's id must answer 404 or 403.
pub const OWNER_EXTENSION: &str = "x-navsync-owner";

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
        super::seats::set_crm_sync,
        super::seats::bulk_crm_sync,
        super::seats::list_crm_users,
        super::seats::refresh_crm_users,
        super::seats::assign_seats,
        super::seats::change_licence,
        super::seats::remove_seat,
        super::seats::new_password_link,
        super::seats::set_password,
        super::crm::crm_status,
        super::crm::connect_crm,
        super::crm::update_crm_credentials,
        super::crm::update_crm_settings,
        super::crm::disconnect_preview,
        super::crm::disconnect_crm,
        super::sync::sync_status,
        super::sync::sync_now,
        super::sync::crm_health,
        super::saved::list_saved_accounts,
        super::saved::save_account,
        super::saved::delete_saved_account,
        super::saved::list_saved_leads,
        super::saved::save_lead,
        super::saved::delete_saved_lead,
        super::messages::list_threads,
        super::messages::compose,
        super::messages::get_thread,
        super::messages::reply,
        super::messages::mark_read,
        super::messages::set_thread_copy,
        super::messages::set_message_copy,
        super::notes::list_notes,
        super::notes::add_note,
        super::notes::set_note_copy,
        super::writeback::writeback_status,
        super::writeback::update_writeback,
        super::writeback::writeback_matching,
        super::writeback::update_writeback_matching,
        super::writeback::unresolved_report,
        super::writeback::retry_message,
        super::writeback::create_contact,
        super::writeback::link_contact,
        super::audit::list_audit_log,
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
        navsync_api::seats::NotInCrmReason,
        navsync_api::seats::SeatSort,
        navsync_api::seats::SortOrder,
        navsync_api::seats::SyncFilter,
        navsync_api::seats::SetCrmSync,
        navsync_api::seats::BulkCrmSync,
        navsync_api::seats::CrmSyncSummary,
        navsync_api::seats::CrmUser,
        navsync_api::seats::CrmUserPage,
        navsync_api::seats::CrmUsersRefreshed,
        navsync_api::seats::AssignSeats,
        navsync_api::seats::PasswordLink,
        navsync_api::seats::AssignedSeat,
        navsync_api::seats::SkipReason,
        navsync_api::seats::SkippedCrmUser,
        navsync_api::seats::AssignOutcome,
        navsync_api::seats::ChangeLicence,
        navsync_api::seats::SetPassword,
        navsync_api::seats::SeatLimitError,
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
        navsync_api::sync::SyncStatus,
        navsync_api::sync::SyncProgress,
        navsync_api::sync::SyncRun,
        navsync_api::sync::CrmHealth,
        navsync_api::sync::SavedSource,
        navsync_api::sync::SavedAccount,
        navsync_api::sync::SavedLead,
        navsync_api::sync::SavedAccountPage,
        navsync_api::sync::SavedLeadPage,
        navsync_api::sync::SaveAccount,
        navsync_api::sync::SaveLead,
        super::saved::SavedId,
        super::messages::MessageId,
        super::messages::ThreadId,
        navsync_api::messages::ComposeThread,
        navsync_api::messages::ThreadKind,
        navsync_api::messages::Direction,
        navsync_api::messages::Participant,
        navsync_api::messages::CrmCopy,
        navsync_api::messages::MatchRule,
        navsync_api::messages::CopyMix,
        navsync_api::messages::ThreadSummary,
        navsync_api::messages::ThreadPage,
        navsync_api::messages::ThreadMessage,
        navsync_api::messages::Thread,
        navsync_api::messages::SetCopy,
        navsync_api::messages::SendMessage,
        navsync_api::messages::WritebackSettings,
        navsync_api::crm::WritebackMatching,
        navsync_api::messages::WritebackStatus,
        navsync_api::messages::UnresolvedItem,
        navsync_api::messages::UnresolvedPage,
        navsync_api::messages::LinkContact,
        navsync_api::messages::NoteSubject,
        navsync_api::messages::Note,
        navsync_api::messages::NotePage,
        navsync_api::messages::NewNote,
        super::notes::NoteId,
        navsync_api::messages::Resolved,
        navsync_api::audit::AuditEntry,
        navsync_api::audit::AuditPage,
    )),
    modifiers(&SessionCookie, &CommonErrors),
    tags(
        (name = "system", description = "Health and API description"),
        (name = "setup", description = "First-run set-up"),
        (name = "session", description = "Sign-in and the signed-in person"),
        (name = "admin", description = "Admin pages"),
        (name = "saved", description = "Seat holders' saved accounts and leads"),
        (name = "messages", description = "Seat holders' InMails and messages, and their copy to the CRM"),
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

/// Adds the error answers every operation can give because of the shared
/// extractors, so no handler can forget them: 400 for malformed query
/// parameters or JSON, 413 and 415 for bodies (too large, not JSON). Each
/// uses the one `ErrorBody`.
struct CommonErrors;

impl Modify for CommonErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let error = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            for operation in [
                item.get.as_mut(),
                item.put.as_mut(),
                item.post.as_mut(),
                item.delete.as_mut(),
                item.patch.as_mut(),
            ]
            .into_iter()
            .flatten()
            {
                let has_query = operation.parameters.as_ref().is_some_and(|params| {
                    params
                        .iter()
                        .any(|p| p.parameter_in == utoipa::openapi::path::ParameterIn::Query)
                });
                let has_body = operation.request_body.is_some();
                let responses = &mut operation.responses.responses;
                if has_query || has_body {
                    responses
                        .entry("400".into())
                        .or_insert_with(|| error("Malformed request").into());
                }
                if has_body {
                    responses
                        .entry("413".into())
                        .or_insert_with(|| error("Body too large").into());
                    responses
                        .entry("415".into())
                        .or_insert_with(|| error("Body is not JSON").into());
                }
            }
        }
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
    extensions(("x-navsync-role" = json!("public"))),
    responses((status = 200, description = "The OpenAPI 3 document", content_type = "application/json"))
)]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
