//! The seat holder's InMails and messages (SPEC H1, H2, H4): the inbox, the
//! thread view, replies, and the "Copy message to CRM" / "Copy thread"
//! checkboxes. Own rows only: another person's thread or message answers 404.
//! Ticking queues the item for the writeback worker in the same transaction.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use navsync_api::messages::{
    ComposeThread, CrmCopy, MAX_BODY_CHARS, SendMessage, SetCopy, Thread, ThreadKind, ThreadPage,
};
use navsync_api::{ErrorBody, paths};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::auth::RequireTeamMember;
use crate::error::{ApiJson, AppError};
use crate::store::{NewThread, now_unix};

/// Threads per page when `limit` is not given.
pub const DEFAULT_LIMIT: u64 = 50;
/// The largest page.
pub const MAX_LIMIT: u64 = 200;

/// The thread and message routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(paths::THREADS, get(list_threads).post(compose))
        .route(paths::THREAD, get(get_thread))
        .route(paths::THREAD_MESSAGES, post(reply))
        .route(paths::THREAD_READ, post(mark_read))
        .route(paths::THREAD_COPY, put(set_thread_copy))
        .route(paths::MESSAGE_COPY, put(set_message_copy))
}

/// Query parameters of the inbox.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ThreadQuery {
    /// Threads to skip (default 0).
    pub offset: Option<u64>,
    /// Page size, clamped to 1–200 (default 50).
    pub limit: Option<u64>,
    /// Only threads whose subject, counterpart or company contains this.
    pub q: Option<String>,
}

/// The id of a new message.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MessageId {
    /// Its id.
    pub id: String,
}

/// The caller's inbox, newest activity first.
#[utoipa::path(
    get,
    path = paths::THREADS,
    tag = "messages",
    extensions(("x-navsync-role" = json!("team_member"))),
    security(("session_cookie" = [])),
    params(ThreadQuery),
    responses(
        (status = 200, description = "One page", body = ThreadPage),
        (status = 400, description = "Bad query parameters", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "No team-member seat", body = ErrorBody),
    )
)]
pub async fn list_threads(
    State(state): State<AppState>,
    RequireTeamMember(user): RequireTeamMember,
    query: Result<Query<ThreadQuery>, QueryRejection>,
) -> Result<Json<ThreadPage>, AppError> {
    let Query(query) = query.map_err(|_| {
        AppError::BadRequest(
            "The query is not valid: offset and limit must be whole numbers of 0 or more.".into(),
        )
    })?;
    super::check_page_bounds(query.offset, query.limit)?;
    let offset = query.offset.unwrap_or(0);
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let (items, total) = state
        .store
        .list_threads(
            &user.organization_id,
            &user.person_id,
            query.q.as_deref(),
            offset,
            limit,
        )
        .await?;
    Ok(Json(ThreadPage { items, total }))
}

/// One of the caller's threads with its messages and their CRM states.
#[utoipa::path(
    get,
    path = paths::THREAD,
    tag = "messages",
    extensions(("x-navsync-role" = json!("team_member")), ("x-navsync-owner" = json!("person"))),
    security(("session_cookie" = [])),
    params(("id" = String, Path, description = "The thread's id")),
    responses(
        (status = 200, description = "The thread", body = Thread),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "No team-member seat", body = ErrorBody),
        (status = 404, description = "No such thread of yours", body = ErrorBody),
    )
)]
pub async fn get_thread(
    State(state): State<AppState>,
    RequireTeamMember(user): RequireTeamMember,
    Path(id): Path<String>,
) -> Result<Json<Thread>, AppError> {
    let mut thread = state
        .store
        .thread(&user.organization_id, &user.person_id, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    // Copied messages link to their CRM record while a CRM is connected.
    if let Some(connection) = state
        .store
        .find_crm_connection(&user.organization_id)
        .await?
    {
        link_copies(&mut thread, &connection.environment_url);
    }
    Ok(Json(thread))
}

/// Marks every message of one of the caller's threads read (the inbox's
/// unread marker goes away once the thread has been opened).
#[utoipa::path(
    post,
    path = paths::THREAD_READ,
    tag = "messages",
    extensions(("x-navsync-role" = json!("team_member")), ("x-navsync-owner" = json!("person"))),
    security(("session_cookie" = [])),
    params(("id" = String, Path, description = "The thread's id")),
    responses(
        (status = 204, description = "Read"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "No team-member seat, or a cross-site request", body = ErrorBody),
        (status = 404, description = "No such thread of yours", body = ErrorBody),
    )
)]
pub async fn mark_read(
    State(state): State<AppState>,
    RequireTeamMember(user): RequireTeamMember,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    if state
        .store
        .mark_thread_read(&user.organization_id, &user.person_id, &id)
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound)
    }
}

/// Replies in one of the caller's threads; "Copy message to CRM" defaults to
/// the organization's writeback choice (W2).
#[utoipa::path(
    post,
    path = paths::THREAD_MESSAGES,
    tag = "messages",
    extensions(("x-navsync-role" = json!("team_member")), ("x-navsync-owner" = json!("person"))),
    security(("session_cookie" = [])),
    params(("id" = String, Path, description = "The thread's id")),
    request_body = SendMessage,
    responses(
        (status = 201, description = "Sent", body = MessageId),
        (status = 400, description = "Empty or too long", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "No team-member seat, or a cross-site request", body = ErrorBody),
        (status = 404, description = "No such thread of yours", body = ErrorBody),
    )
)]
pub async fn reply(
    State(state): State<AppState>,
    RequireTeamMember(user): RequireTeamMember,
    Path(id): Path<String>,
    form: Result<ApiJson<SendMessage>, AppError>,
) -> Result<(StatusCode, Json<MessageId>), AppError> {
    // Someone else's thread is a 404 whatever the body says.
    let Some(thread) = state
        .store
        .thread(&user.organization_id, &user.person_id, &id)
        .await?
    else {
        return Err(AppError::NotFound);
    };
    let ApiJson(form) = form?;
    let body = form.body.trim();
    if body.is_empty() || body.chars().count() > MAX_BODY_CHARS {
        return Err(AppError::BadRequest(format!(
            "A message needs between 1 and {MAX_BODY_CHARS} characters."
        )));
    }
    let copy = match form.copy_to_crm {
        Some(copy) => copy,
        None => state
            .store
            .writeback_choice(&user.organization_id)
            .await?
            .copies(thread.summary.kind),
    };
    let message = state
        .store
        .add_reply(
            &user.organization_id,
            &user.person_id,
            &id,
            body,
            copy,
            now_unix(),
        )
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(MessageId { id: message })))
}

/// Ticks or unticks "Copy thread": every message of one of the caller's threads.
#[utoipa::path(
    put,
    path = paths::THREAD_COPY,
    tag = "messages",
    extensions(("x-navsync-role" = json!("team_member")), ("x-navsync-owner" = json!("person"))),
    security(("session_cookie" = [])),
    params(("id" = String, Path, description = "The thread's id")),
    request_body = SetCopy,
    responses(
        (status = 204, description = "Saved; ticked items are queued for the CRM"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "No team-member seat, or a cross-site request", body = ErrorBody),
        (status = 404, description = "No such thread of yours", body = ErrorBody),
    )
)]
pub async fn set_thread_copy(
    State(state): State<AppState>,
    RequireTeamMember(user): RequireTeamMember,
    Path(id): Path<String>,
    form: Result<ApiJson<SetCopy>, AppError>,
) -> Result<StatusCode, AppError> {
    if state
        .store
        .thread(&user.organization_id, &user.person_id, &id)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    let ApiJson(form) = form?;
    let found = state
        .store
        .set_thread_copy(
            &user.organization_id,
            &user.person_id,
            &id,
            form.copy,
            now_unix(),
        )
        .await?;
    if found {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound)
    }
}

/// Ticks or unticks "Copy message to CRM" on one of the caller's messages.
/// Unticking an item already in the CRM does not delete it there; its state
/// keeps saying where it is.
#[utoipa::path(
    put,
    path = paths::MESSAGE_COPY,
    tag = "messages",
    extensions(("x-navsync-role" = json!("team_member")), ("x-navsync-owner" = json!("person"))),
    security(("session_cookie" = [])),
    params(("id" = String, Path, description = "The message's id")),
    request_body = SetCopy,
    responses(
        (status = 204, description = "Saved; a ticked item is queued for the CRM"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "No team-member seat, or a cross-site request", body = ErrorBody),
        (status = 404, description = "No such message of yours", body = ErrorBody),
    )
)]
pub async fn set_message_copy(
    State(state): State<AppState>,
    RequireTeamMember(user): RequireTeamMember,
    Path(id): Path<String>,
    form: Result<ApiJson<SetCopy>, AppError>,
) -> Result<StatusCode, AppError> {
    if !state
        .store
        .owns_message(&user.organization_id, &user.person_id, &id)
        .await?
    {
        return Err(AppError::NotFound);
    }
    let ApiJson(form) = form?;
    let found = state
        .store
        .set_message_copy(
            &user.organization_id,
            &user.person_id,
            &id,
            form.copy,
            now_unix(),
        )
        .await?;
    if found {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound)
    }
}

/// The id of a new thread.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ThreadId {
    /// Its id.
    pub id: String,
}

fn optional(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// Starts a thread with a first message; "Copy message to CRM" defaults to
/// the organization's writeback choice (W2).
#[utoipa::path(
    post,
    path = paths::THREADS,
    tag = "messages",
    extensions(("x-navsync-role" = json!("team_member"))),
    security(("session_cookie" = [])),
    request_body = ComposeThread,
    responses(
        (status = 201, description = "Sent", body = ThreadId),
        (status = 400, description = "Empty or too long", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "No team-member seat, or a cross-site request", body = ErrorBody),
        (status = 422, description = "Not valid", body = ErrorBody),
    )
)]
pub async fn compose(
    State(state): State<AppState>,
    RequireTeamMember(user): RequireTeamMember,
    ApiJson(form): ApiJson<ComposeThread>,
) -> Result<(StatusCode, Json<ThreadId>), AppError> {
    let body = form.body.trim();
    let name = form.to.name.trim();
    if body.is_empty() || body.chars().count() > MAX_BODY_CHARS || name.is_empty() {
        return Err(AppError::BadRequest(format!(
            "A message needs a recipient's name and between 1 and {MAX_BODY_CHARS} characters."
        )));
    }
    let (first, last) = name.split_once(' ').unwrap_or((name, ""));
    let now = now_unix();
    let thread = NewThread {
        kind: form.kind,
        subject: form.subject.trim().to_owned(),
        first_name: first.trim().to_owned(),
        last_name: last.trim().to_owned(),
        email: optional(form.to.email.as_deref()),
        profile_url: optional(form.to.profile_url.as_deref()),
        company: optional(form.to.company.as_deref()),
        messages: Vec::new(),
    };
    let id = state
        .store
        .insert_thread(&user.organization_id, &user.person_id, &thread, now)
        .await?;
    let copy = match form.copy_to_crm {
        Some(copy) => copy,
        None => state
            .store
            .writeback_choice(&user.organization_id)
            .await?
            .copies(form.kind),
    };
    state
        .store
        .add_reply(&user.organization_id, &user.person_id, &id, body, copy, now)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(ThreadId { id })))
}

/// Links each copied message of `thread` to its CRM activity, the
/// `li_inmail` or `li_message` record of the CRM at `environment_url`.
pub fn link_copies(thread: &mut Thread, environment_url: &str) {
    let entity = match thread.summary.kind {
        ThreadKind::Inmail => "li_inmail",
        ThreadKind::Message => "li_message",
    };
    for message in &mut thread.messages {
        if let CrmCopy::Copied { crm_id, url, .. } = &mut message.crm
            && !crm_id.is_empty()
        {
            *url = Some(crate::sync::rules::record_url(
                environment_url,
                entity,
                crm_id,
            ));
        }
    }
}
