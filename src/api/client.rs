//! The typed API client on gloo-net: one function per call.
//!
//! Requests are same-origin, so the session cookie goes along by default.
//! Bodies are JSON (`Content-Type: application/json`, set by `.json()`).

use gloo_net::http::{Request, RequestBuilder, Response};
use navsync_api::crm::{
    ConnectCrm, ConnectOutcome, CrmSettings, CrmStatus, DisconnectCrm, DisconnectPreview,
    UpdateCrmCredentials,
};
use navsync_api::seats::{
    AssignOutcome, AssignSeats, BulkCrmSync, ChangeLicence, CrmSyncSummary, CrmUserPage,
    PasswordLink, SetCrmSync, SetPassword,
};
use navsync_api::{Licence, PersonId, Seat};
use navsync_api::{Me, SeatPage, SetUpOrganization, SetupStatus, SignIn, UpdatePreferences, paths};
use serde::{Serialize, de::DeserializeOwned};

use super::ApiError;
use crate::logic::seats::{SeatQuery, crm_users_query};

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

/// `GET /api/admin/seats`: one page of the organization's seats, searched,
/// filtered and sorted as `query` says.
pub async fn seats(query: &SeatQuery) -> Result<SeatPage, ApiError> {
    let url = format!("{}{}", paths::SEATS, query.to_query_string());
    json(send(Request::get(&url)).await?).await
}

/// `PUT /api/admin/seats/{id}/crm-sync`: "Enable CRM Sync" / "Disable CRM Sync".
pub async fn set_crm_sync(id: &PersonId, enabled: bool) -> Result<Seat, ApiError> {
    let url = paths::with_id(paths::SEAT_CRM_SYNC, id.as_str());
    json(send_json(Request::put(&url), &SetCrmSync { enabled }).await?).await
}

/// `POST /api/admin/seats/crm-sync`: bulk enable or disable (all or nothing).
pub async fn bulk_crm_sync(form: &BulkCrmSync) -> Result<CrmSyncSummary, ApiError> {
    json(send_json(Request::post(paths::SEATS_CRM_SYNC), form).await?).await
}

/// `GET /api/admin/crm-users`: one page of the CRM's enabled users (409 when
/// no CRM is connected).
pub async fn crm_users(q: &str, offset: u64, limit: u64) -> Result<CrmUserPage, ApiError> {
    let url = format!("{}{}", paths::CRM_USERS, crm_users_query(q, offset, limit));
    json(send(Request::get(&url)).await?).await
}

/// `POST /api/admin/seats/assign`: "Assign seats from CRM".
pub async fn assign_seats(form: &AssignSeats) -> Result<AssignOutcome, ApiError> {
    json(send_json(Request::post(paths::SEATS_ASSIGN), form).await?).await
}

/// `PUT /api/admin/seats/{id}/licence`.
pub async fn change_licence(id: &PersonId, licence: Licence) -> Result<Seat, ApiError> {
    let url = paths::with_id(paths::SEAT_LICENCE, id.as_str());
    json(send_json(Request::put(&url), &ChangeLicence { licence }).await?).await
}

/// `DELETE /api/admin/seats/{id}`: removes a seat.
pub async fn remove_seat(id: &PersonId) -> Result<(), ApiError> {
    let url = paths::with_id(paths::SEAT, id.as_str());
    send(Request::delete(&url)).await.map(drop)
}

/// `POST /api/admin/seats/{id}/password-link`: a new one-time set-password link.
pub async fn password_link(id: &PersonId) -> Result<PasswordLink, ApiError> {
    let url = paths::with_id(paths::SEAT_PASSWORD_LINK, id.as_str());
    json(send(Request::post(&url)).await?).await
}

/// `POST /api/set-password`: chooses a password with a link's token (no session).
pub async fn set_password(form: &SetPassword) -> Result<(), ApiError> {
    send_json(Request::post(paths::SET_PASSWORD), form)
        .await
        .map(drop)
}

/// `GET /api/admin/crm`: the CRM connection's status, settings and choices.
pub async fn crm_status() -> Result<CrmStatus, ApiError> {
    json(send(Request::get(paths::CRM)).await?).await
}

/// `POST /api/admin/crm/connection`: verifies and saves a connection. A
/// refusal by the CRM is `Ok` with `connected: false` and the problem.
pub async fn connect_crm(form: &ConnectCrm) -> Result<ConnectOutcome, ApiError> {
    json(send_json(Request::post(paths::CRM_CONNECTION), form).await?).await
}

/// `PUT /api/admin/crm/credentials`: replaces the app registration once the
/// new credentials pass; otherwise the old ones stay and the problem is returned.
pub async fn update_crm_credentials(
    form: &UpdateCrmCredentials,
) -> Result<ConnectOutcome, ApiError> {
    json(send_json(Request::put(paths::CRM_CREDENTIALS), form).await?).await
}

/// `PUT /api/admin/crm/settings`: saves S1–S3.
pub async fn update_crm_settings(settings: &CrmSettings) -> Result<CrmStatus, ApiError> {
    json(send_json(Request::put(paths::CRM_SETTINGS), settings).await?).await
}

/// `GET /api/admin/crm/disconnect-preview`: what a clean-up would remove.
pub async fn crm_disconnect_preview() -> Result<DisconnectPreview, ApiError> {
    json(send(Request::get(paths::CRM_DISCONNECT_PREVIEW)).await?).await
}

/// `POST /api/admin/crm/disconnect`: disconnects, optionally cleaning up.
pub async fn disconnect_crm(form: &DisconnectCrm) -> Result<CrmStatus, ApiError> {
    json(send_json(Request::post(paths::CRM_DISCONNECT), form).await?).await
}

/// `GET /api/admin/crm/sync`: the run in progress, the last sync and recent runs.
pub async fn sync_status() -> Result<navsync_api::sync::SyncStatus, ApiError> {
    json(send(Request::get(paths::CRM_SYNC)).await?).await
}

/// `POST /api/admin/crm/sync`: "Sync now" (202; 409 when no CRM is connected).
pub async fn sync_now() -> Result<navsync_api::sync::SyncStatus, ApiError> {
    json(send(Request::post(paths::CRM_SYNC)).await?).await
}

/// `GET /api/admin/crm/health`: the CRM warning of the admin pages' banner.
pub async fn crm_health() -> Result<navsync_api::sync::CrmHealth, ApiError> {
    json(send(Request::get(paths::CRM_HEALTH)).await?).await
}

/// `GET /api/saved-leads`: one page of the caller's saved leads.
pub async fn saved_leads(
    query: &crate::logic::sync::SavedQuery,
) -> Result<navsync_api::sync::SavedLeadPage, ApiError> {
    let url = format!("{}{}", paths::SAVED_LEADS, query.to_query_string());
    json(send(Request::get(&url)).await?).await
}

/// `GET /api/saved-accounts`: one page of the caller's saved accounts.
pub async fn saved_accounts(
    query: &crate::logic::sync::SavedQuery,
) -> Result<navsync_api::sync::SavedAccountPage, ApiError> {
    let url = format!("{}{}", paths::SAVED_ACCOUNTS, query.to_query_string());
    json(send(Request::get(&url)).await?).await
}

/// `POST /api/saved-leads`: saves a lead by hand (201).
pub async fn save_lead(form: &navsync_api::sync::SaveLead) -> Result<(), ApiError> {
    send_json(Request::post(paths::SAVED_LEADS), form)
        .await
        .map(drop)
}

/// `POST /api/saved-accounts`: saves an account by hand (201).
pub async fn save_account(form: &navsync_api::sync::SaveAccount) -> Result<(), ApiError> {
    send_json(Request::post(paths::SAVED_ACCOUNTS), form)
        .await
        .map(drop)
}

/// `DELETE /api/saved-leads/{id}`: removes a hand-saved lead (409 for a row
/// only CRM sync brought).
pub async fn delete_saved_lead(id: &str) -> Result<(), ApiError> {
    let url = paths::with_id(paths::SAVED_LEAD, id);
    send(Request::delete(&url)).await.map(drop)
}

/// `DELETE /api/saved-accounts/{id}`: removes a hand-saved account (409 for a
/// row only CRM sync brought).
pub async fn delete_saved_account(id: &str) -> Result<(), ApiError> {
    let url = paths::with_id(paths::SAVED_ACCOUNT, id);
    send(Request::delete(&url)).await.map(drop)
}

/// `GET /api/threads`: one page of the caller's inbox, searched.
pub async fn threads(
    query: &crate::logic::sync::SavedQuery,
) -> Result<navsync_api::messages::ThreadPage, ApiError> {
    let url = format!("{}{}", paths::THREADS, query.to_query_string());
    json(send(Request::get(&url)).await?).await
}

/// `GET /api/threads/{id}`: one of the caller's threads with its messages.
pub async fn thread(id: &str) -> Result<navsync_api::messages::Thread, ApiError> {
    let url = paths::with_id(paths::THREAD, id);
    json(send(Request::get(&url)).await?).await
}

/// `POST /api/threads/{id}/messages`: a reply (201).
pub async fn reply(id: &str, form: &navsync_api::messages::SendMessage) -> Result<(), ApiError> {
    let url = paths::with_id(paths::THREAD_MESSAGES, id);
    send_json(Request::post(&url), form).await.map(drop)
}

/// `POST /api/threads/{id}/read`: the thread has been opened (204).
pub async fn mark_read(id: &str) -> Result<(), ApiError> {
    let url = paths::with_id(paths::THREAD_READ, id);
    send(Request::post(&url)).await.map(drop)
}

/// `POST /api/threads`: a new thread with its first message; its id.
pub async fn compose(form: &navsync_api::messages::ComposeThread) -> Result<String, ApiError> {
    #[derive(serde::Deserialize)]
    struct Created {
        id: String,
    }
    let created: Created = json(send_json(Request::post(paths::THREADS), form).await?).await?;
    Ok(created.id)
}

/// `PUT /api/threads/{id}/copy`: "Copy thread" ticked or unticked.
pub async fn set_thread_copy(id: &str, copy: bool) -> Result<(), ApiError> {
    let url = paths::with_id(paths::THREAD_COPY, id);
    let body = navsync_api::messages::SetCopy { copy };
    send_json(Request::put(&url), &body).await.map(drop)
}

/// `PUT /api/messages/{id}/copy`: "Copy message to CRM" ticked or unticked.
pub async fn set_message_copy(id: &str, copy: bool) -> Result<(), ApiError> {
    let url = paths::with_id(paths::MESSAGE_COPY, id);
    let body = navsync_api::messages::SetCopy { copy };
    send_json(Request::put(&url), &body).await.map(drop)
}

/// `POST /api/messages/{id}/retry`: writes a failed message to the CRM again (202).
pub async fn retry_message(id: &str) -> Result<(), ApiError> {
    let url = paths::with_id(paths::MESSAGE_RETRY, id);
    send(Request::post(&url)).await.map(drop)
}

/// `GET /api/unresolved`: the unresolved report (the organization's for
/// admins, the caller's own for seat holders).
pub async fn unresolved() -> Result<navsync_api::messages::UnresolvedPage, ApiError> {
    json(send(Request::get(paths::UNRESOLVED)).await?).await
}

/// `POST /api/unresolved/{id}/create-contact`: "Create contact in CRM".
pub async fn create_contact(id: &str) -> Result<navsync_api::messages::Resolved, ApiError> {
    let url = paths::with_id(paths::UNRESOLVED_CREATE_CONTACT, id);
    json(send(Request::post(&url)).await?).await
}

/// `POST /api/unresolved/{id}/link`: links the item to an existing contact.
pub async fn link_contact(
    id: &str,
    contact_id: &str,
) -> Result<navsync_api::messages::Resolved, ApiError> {
    let url = paths::with_id(paths::UNRESOLVED_LINK, id);
    let body = navsync_api::messages::LinkContact {
        contact_id: contact_id.to_owned(),
    };
    json(send_json(Request::post(&url), &body).await?).await
}

/// `GET /api/notes`: the caller's notes and the "Copy to CRM" default.
pub async fn notes() -> Result<navsync_api::messages::NotePage, ApiError> {
    json(send(Request::get(paths::NOTES)).await?).await
}

/// `POST /api/notes`: a note on a saved lead or account (201).
pub async fn add_note(form: &navsync_api::messages::NewNote) -> Result<(), ApiError> {
    send_json(Request::post(paths::NOTES), form).await.map(drop)
}

/// `PUT /api/notes/{id}/copy`: "Copy to CRM" ticked or unticked.
pub async fn set_note_copy(id: &str, copy: bool) -> Result<(), ApiError> {
    let url = paths::with_id(paths::NOTE_COPY, id);
    let body = navsync_api::messages::SetCopy { copy };
    send_json(Request::put(&url), &body).await.map(drop)
}

/// `GET /api/admin/crm/writeback`: the writeback choices and the companion
/// solution check (made against the CRM on every call).
pub async fn writeback_status() -> Result<navsync_api::messages::WritebackStatus, ApiError> {
    json(send(Request::get(paths::CRM_WRITEBACK)).await?).await
}

/// `PUT /api/admin/crm/writeback`: saves the choices; 409 when writeback
/// cannot be switched on (no CRM, no companion solution).
pub async fn update_writeback(
    settings: &navsync_api::messages::WritebackSettings,
) -> Result<navsync_api::messages::WritebackStatus, ApiError> {
    json(send_json(Request::put(paths::CRM_WRITEBACK), settings).await?).await
}

/// `GET /api/admin/crm/writeback/matching`: the profile URL column (R3).
pub async fn writeback_matching() -> Result<navsync_api::crm::WritebackMatching, ApiError> {
    json(send(Request::get(paths::CRM_WRITEBACK_MATCHING)).await?).await
}

/// `PUT /api/admin/crm/writeback/matching`: 422 when not a column name or
/// not a contact column in the CRM.
pub async fn update_writeback_matching(
    matching: &navsync_api::crm::WritebackMatching,
) -> Result<navsync_api::crm::WritebackMatching, ApiError> {
    json(send_json(Request::put(paths::CRM_WRITEBACK_MATCHING), matching).await?).await
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
