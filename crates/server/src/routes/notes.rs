//! The seat holder's notes on saved leads and accounts (SPEC H3) with "Copy
//! to CRM" (H2) and their CRM state (H4). Own rows only.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use navsync_api::messages::{MAX_BODY_CHARS, NewNote, NotePage, SetCopy};
use navsync_api::{ErrorBody, paths};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::auth::RequireTeamMember;
use crate::error::{ApiJson, AppError};
use crate::store::now_unix;

/// The note routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(paths::NOTES, get(list_notes).post(add_note))
        .route(paths::NOTE_COPY, put(set_note_copy))
}

/// The id of a new note.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NoteId {
    /// Its id.
    pub id: String,
}

/// Whether the admin's writeback choice copies notes (W2).
async fn copies_notes(
    state: &AppState,
    organization: &navsync_api::OrganizationId,
) -> Result<bool, AppError> {
    let choice = state.store.writeback_choice(organization).await?;
    Ok(choice.enabled && (choice.all_items || choice.notes))
}

/// The caller's notes, newest first, and whether "Copy to CRM" starts ticked.
#[utoipa::path(
    get,
    path = paths::NOTES,
    tag = "messages",
    extensions(("x-navsync-role" = json!("team_member"))),
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "The notes", body = NotePage),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "No team-member seat", body = ErrorBody),
    )
)]
pub async fn list_notes(
    State(state): State<AppState>,
    RequireTeamMember(user): RequireTeamMember,
) -> Result<Json<NotePage>, AppError> {
    let items = state
        .store
        .list_notes(&user.organization_id, &user.person_id)
        .await?;
    let copy_default = copies_notes(&state, &user.organization_id).await?;
    Ok(Json(NotePage {
        items,
        copy_default,
    }))
}

/// Writes a note on one of the caller's saved leads or accounts; "Copy to
/// CRM" defaults to the organization's writeback choice (W2).
#[utoipa::path(
    post,
    path = paths::NOTES,
    tag = "messages",
    extensions(("x-navsync-role" = json!("team_member"))),
    security(("session_cookie" = [])),
    request_body = NewNote,
    responses(
        (status = 201, description = "Saved", body = NoteId),
        (status = 400, description = "Empty or too long", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "No team-member seat, or a cross-site request", body = ErrorBody),
        (status = 404, description = "No such saved lead or account of yours", body = ErrorBody),
        (status = 422, description = "Not valid", body = ErrorBody),
    )
)]
pub async fn add_note(
    State(state): State<AppState>,
    RequireTeamMember(user): RequireTeamMember,
    ApiJson(form): ApiJson<NewNote>,
) -> Result<(StatusCode, Json<NoteId>), AppError> {
    let body = form.body.trim();
    if body.is_empty() || body.chars().count() > MAX_BODY_CHARS {
        return Err(AppError::BadRequest(format!(
            "A note needs between 1 and {MAX_BODY_CHARS} characters."
        )));
    }
    let copy = match form.copy_to_crm {
        Some(copy) => copy,
        None => copies_notes(&state, &user.organization_id).await?,
    };
    let id = state
        .store
        .add_note(
            &user.organization_id,
            &user.person_id,
            form.subject_kind,
            &form.subject_id,
            body,
            copy,
            now_unix(),
        )
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(NoteId { id })))
}

/// Ticks or unticks "Copy to CRM" on one of the caller's notes.
#[utoipa::path(
    put,
    path = paths::NOTE_COPY,
    tag = "messages",
    extensions(("x-navsync-role" = json!("team_member")), ("x-navsync-owner" = json!("person"))),
    security(("session_cookie" = [])),
    params(("id" = String, Path, description = "The note's id")),
    request_body = SetCopy,
    responses(
        (status = 204, description = "Saved; a ticked note is queued for the CRM"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "No team-member seat, or a cross-site request", body = ErrorBody),
        (status = 404, description = "No such note of yours", body = ErrorBody),
    )
)]
pub async fn set_note_copy(
    State(state): State<AppState>,
    RequireTeamMember(user): RequireTeamMember,
    Path(id): Path<String>,
    form: Result<ApiJson<SetCopy>, AppError>,
) -> Result<StatusCode, AppError> {
    let owned = state
        .store
        .list_notes(&user.organization_id, &user.person_id)
        .await?
        .iter()
        .any(|n| n.id == id);
    if !owned {
        return Err(AppError::NotFound);
    }
    let ApiJson(form) = form?;
    state
        .store
        .set_note_copy(
            &user.organization_id,
            &user.person_id,
            &id,
            form.copy,
            now_unix(),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
