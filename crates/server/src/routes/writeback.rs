//! Writeback administration and reports: the admin's choices (SPEC W1, W2,
//! W4) with the companion solution check and "Get it now" link, the
//! unresolved report (R2), and retrying a failed item (H4).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use navsync_api::crm::WritebackMatching;
use navsync_api::messages::{
    LinkContact, Resolved, UnresolvedPage, WritebackSettings, WritebackStatus,
};
use navsync_api::{ErrorBody, OrganizationId, paths};

use crate::AppState;
use crate::auth::{CurrentUser, RequireAdmin, RequireTeamMember};
use crate::error::{ApiJson, AppError};
use crate::store::{WritebackChoice, now_unix};

const NOT_INSTALLED: &str = "The companion solution is not installed in your CRM. Install it (\"Get it now\"), then refresh this page.";
const NOT_CONNECTED: &str = "Connect the CRM before switching writeback on.";

/// The writeback routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            paths::CRM_WRITEBACK,
            get(writeback_status).put(update_writeback),
        )
        .route(
            paths::CRM_WRITEBACK_MATCHING,
            get(writeback_matching).put(update_writeback_matching),
        )
        .route(paths::UNRESOLVED, get(unresolved_report))
        .route(paths::MESSAGE_RETRY, post(retry_message))
        .route(paths::UNRESOLVED_CREATE_CONTACT, post(create_contact))
        .route(paths::UNRESOLVED_LINK, post(link_contact))
}

fn to_settings(c: WritebackChoice) -> WritebackSettings {
    WritebackSettings {
        enabled: c.enabled,
        all_items: c.all_items,
        inmails: c.inmails,
        messages: c.messages,
        notes: c.notes,
        impersonation: c.impersonation,
    }
}

/// `(connected, installed)`: the companion solution as the CRM reports it now.
async fn companion(state: &AppState, organization: &OrganizationId) -> (bool, Option<bool>) {
    match crate::crm::client_for(state, organization).await {
        Ok(Some(client)) => match client.companion_solution().await {
            Ok(found) => (true, Some(found.is_some())),
            Err(err) => {
                tracing::info!(error = %err, "writeback: companion solution check failed");
                (true, None)
            }
        },
        Ok(None) => (false, None),
        Err(_) => (true, None),
    }
}

/// The writeback choices and whether the companion solution is installed
/// (checked against the CRM on every call, so a page refresh checks again).
#[utoipa::path(
    get,
    path = paths::CRM_WRITEBACK,
    tag = "admin",
    extensions(("x-navsync-role" = json!("admin"))),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Choices and check", body = WritebackStatus),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
    )
)]
pub async fn writeback_status(
    State(state): State<AppState>,
    RequireAdmin(user): RequireAdmin,
) -> Result<Json<WritebackStatus>, AppError> {
    let choice = state.store.writeback_choice(&user.organization_id).await?;
    let (connected, installed) = companion(&state, &user.organization_id).await;
    Ok(Json(WritebackStatus {
        settings: to_settings(choice),
        connected,
        installed,
        get_it_url: state.config.companion_solution_url.clone(),
    }))
}

/// Saves the writeback choices. Switching writeback on needs a connected CRM
/// with the companion solution (409 otherwise).
#[utoipa::path(
    put,
    path = paths::CRM_WRITEBACK,
    tag = "admin",
    extensions(("x-navsync-role" = json!("admin"))),
    security(("session_cookie" = [])),
    request_body = WritebackSettings,
    responses(
        (status = 200, description = "Saved", body = WritebackStatus),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin, or a cross-site request", body = ErrorBody),
        (status = 409, description = "No CRM or no companion solution", body = ErrorBody),
        (status = 422, description = "Not valid", body = ErrorBody),
    )
)]
pub async fn update_writeback(
    State(state): State<AppState>,
    RequireAdmin(user): RequireAdmin,
    ApiJson(form): ApiJson<WritebackSettings>,
) -> Result<Json<WritebackStatus>, AppError> {
    let (connected, installed) = companion(&state, &user.organization_id).await;
    if form.enabled {
        if !connected {
            return Err(AppError::Conflict(NOT_CONNECTED.into()));
        }
        if installed == Some(false) {
            return Err(AppError::Conflict(NOT_INSTALLED.into()));
        }
    }
    let choice = WritebackChoice {
        enabled: form.enabled,
        all_items: form.all_items,
        inmails: form.inmails,
        messages: form.messages,
        notes: form.notes,
        impersonation: form.impersonation,
    };
    state
        .store
        .save_writeback_choice_audited(&user.organization_id, &user.person_id, choice, now_unix())
        .await?;
    Ok(Json(WritebackStatus {
        settings: to_settings(choice),
        connected,
        installed,
        get_it_url: state.config.companion_solution_url.clone(),
    }))
}

/// How writeback matches people to CRM contacts (R3): the contact column
/// holding LinkedIn profile URLs.
#[utoipa::path(
    get,
    path = paths::CRM_WRITEBACK_MATCHING,
    tag = "admin",
    extensions(("x-navsync-role" = json!("admin"))),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "The matching settings", body = WritebackMatching),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
    )
)]
pub async fn writeback_matching(
    State(state): State<AppState>,
    RequireAdmin(user): RequireAdmin,
) -> Result<Json<WritebackMatching>, AppError> {
    let column = state
        .store
        .writeback_profile_column(&user.organization_id)
        .await?;
    Ok(Json(WritebackMatching {
        profile_url_column: column,
    }))
}

/// Sets the contact column holding LinkedIn profile URLs (R3, second rule).
/// With a CRM connected, the column must exist on its contact table (422
/// otherwise). Audited as `writeback.matching`.
#[utoipa::path(
    put,
    path = paths::CRM_WRITEBACK_MATCHING,
    tag = "admin",
    extensions(("x-navsync-role" = json!("admin"))),
    security(("session_cookie" = [])),
    request_body = WritebackMatching,
    responses(
        (status = 200, description = "Saved", body = WritebackMatching),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin, or a cross-site request", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Not a column name, or no such contact column in the CRM", body = ErrorBody),
    )
)]
pub async fn update_writeback_matching(
    State(state): State<AppState>,
    RequireAdmin(user): RequireAdmin,
    ApiJson(form): ApiJson<WritebackMatching>,
) -> Result<Json<WritebackMatching>, AppError> {
    let errors = form.validate();
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let column = form.profile_url_column.trim().to_string();
    if let Ok(Some(client)) = crate::crm::client_for(&state, &user.organization_id).await {
        match client
            .get(&format!("contacts?$select={column}&$top=1"))
            .await
        {
            Ok(_) => {}
            Err(err) if err.is_transient() => {
                tracing::info!(error = %err, "writeback: could not check the profile column; saved unchecked");
            }
            Err(err) => {
                tracing::info!(error = %err, "writeback: profile column refused by the CRM");
                return Err(AppError::field(
                    "profile_url_column",
                    "not_in_crm",
                    &format!("The CRM's contact table has no column named {column}."),
                ));
            }
        }
    }
    state
        .store
        .save_writeback_profile_column_audited(
            &user.organization_id,
            &user.person_id,
            &column,
            now_unix(),
        )
        .await?;
    Ok(Json(WritebackMatching {
        profile_url_column: column,
    }))
}

/// The unresolved report (R2): items written as open tasks because no CRM
/// contact matched. Admins see the whole organization's, seat holders their own.
#[utoipa::path(
    get,
    path = paths::UNRESOLVED,
    tag = "messages",
    extensions(("x-navsync-role" = json!("signed_in"))),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "The report", body = UnresolvedPage),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
pub async fn unresolved_report(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<UnresolvedPage>, AppError> {
    let person = (!user.licence.is_admin()).then_some(&user.person_id);
    let items = state
        .store
        .unresolved(&user.organization_id, person)
        .await?;
    Ok(Json(UnresolvedPage { items }))
}

/// Queues one of the caller's failed messages for the CRM again.
#[utoipa::path(
    post,
    path = paths::MESSAGE_RETRY,
    tag = "messages",
    extensions(("x-navsync-role" = json!("team_member")), ("x-navsync-owner" = json!("person"))),
    security(("session_cookie" = [])),
    params(("id" = String, Path, description = "The message's id")),
    responses(
        (status = 202, description = "Queued again"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "No team-member seat, or a cross-site request", body = ErrorBody),
        (status = 404, description = "No such message of yours", body = ErrorBody),
        (status = 409, description = "The message has not failed", body = ErrorBody),
    )
)]
pub async fn retry_message(
    State(state): State<AppState>,
    RequireTeamMember(user): RequireTeamMember,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    match state
        .store
        .retry_message(&user.organization_id, &user.person_id, &id, now_unix())
        .await?
    {
        None => Err(AppError::NotFound),
        Some(false) => Err(AppError::Conflict(
            "Only a message that failed to reach the CRM can be retried.".into(),
        )),
        Some(true) => Ok(StatusCode::ACCEPTED),
    }
}

/// The CRM page of contact `id` (for "Copied" with its link after resolving).
async fn contact_url(state: &AppState, organization: &OrganizationId, id: &str) -> Option<String> {
    let connection = state.store.find_crm_connection(organization).await.ok()??;
    Some(crate::sync::rules::record_url(
        &connection.environment_url,
        "contact",
        id,
    ))
}

async fn unresolved_of(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> Result<crate::store::OutboxItem, AppError> {
    let person = (!user.licence.is_admin()).then_some(&user.person_id);
    state
        .store
        .unresolved_item(&user.organization_id, person, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// H5: creates the CRM contact of an unresolved item from its counterpart,
/// writes the item there as a closed activity and completes its task.
#[utoipa::path(
    post,
    path = paths::UNRESOLVED_CREATE_CONTACT,
    tag = "messages",
    extensions(("x-navsync-role" = json!("signed_in")), ("x-navsync-owner" = json!("person"))),
    security(("session_cookie" = [])),
    params(("id" = String, Path, description = "The unresolved message's id")),
    responses(
        (status = 200, description = "Resolved", body = Resolved),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "A cross-site request", body = ErrorBody),
        (status = 404, description = "No such unresolved item you may resolve", body = ErrorBody),
        (status = 409, description = "No CRM, or the CRM refused", body = ErrorBody),
    )
)]
pub async fn create_contact(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Resolved>, AppError> {
    let item = unresolved_of(&state, &user, &id).await?;
    let contact_id =
        crate::writeback::resolve::create_contact(&state, &user.organization_id, &item).await?;
    let activity_id =
        crate::writeback::resolve::link(&state, &user.organization_id, &item, &contact_id).await?;
    let url = contact_url(&state, &user.organization_id, &contact_id).await;
    Ok(Json(Resolved {
        contact_id,
        activity_id,
        url,
    }))
}

/// R2: writes an unresolved item on an existing CRM contact as a closed
/// activity and completes its task.
#[utoipa::path(
    post,
    path = paths::UNRESOLVED_LINK,
    tag = "messages",
    extensions(("x-navsync-role" = json!("signed_in")), ("x-navsync-owner" = json!("person"))),
    security(("session_cookie" = [])),
    params(("id" = String, Path, description = "The unresolved message's id")),
    request_body = LinkContact,
    responses(
        (status = 200, description = "Resolved", body = Resolved),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "A cross-site request", body = ErrorBody),
        (status = 404, description = "No such unresolved item or contact", body = ErrorBody),
        (status = 409, description = "No CRM, or the CRM refused", body = ErrorBody),
        (status = 422, description = "Not valid", body = ErrorBody),
    )
)]
pub async fn link_contact(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    form: Result<ApiJson<LinkContact>, AppError>,
) -> Result<Json<Resolved>, AppError> {
    let item = unresolved_of(&state, &user, &id).await?;
    let ApiJson(form) = form?;
    let contact_id = form.contact_id.trim().to_lowercase();
    if uuid::Uuid::parse_str(&contact_id).is_err() {
        return Err(AppError::BadRequest("contact_id must be a GUID.".into()));
    }
    let activity_id =
        crate::writeback::resolve::link(&state, &user.organization_id, &item, &contact_id).await?;
    let url = contact_url(&state, &user.organization_id, &contact_id).await;
    Ok(Json(Resolved {
        contact_id,
        activity_id,
        url,
    }))
}
