//! The API's paths, shared by the typed client and the server's router.

/// `GET`: liveness and database check.
pub const HEALTH: &str = "/api/health";
/// `GET`: the OpenAPI 3 document.
pub const OPENAPI: &str = "/api/openapi.json";
/// `GET`: whether first-run set-up is needed; `POST`: create the organization and first admin.
pub const SETUP: &str = "/api/setup";
/// `POST`: sign in (sets the session cookie); `DELETE`: sign out.
pub const SESSION: &str = "/api/session";
/// `GET`: the signed-in person and organization.
pub const ME: &str = "/api/me";
/// `PUT`: the signed-in person's preferences (language).
pub const ME_PREFERENCES: &str = "/api/me/preferences";
/// `GET` (admins): the organization's seats, paged.
pub const SEATS: &str = "/api/admin/seats";
/// `GET` (admins): the CRM connection's status, settings and choices.
pub const CRM: &str = "/api/admin/crm";
/// `POST` (admins): connect an environment.
pub const CRM_CONNECTION: &str = "/api/admin/crm/connection";
/// `PUT` (admins): replace the app registration's credentials.
pub const CRM_CREDENTIALS: &str = "/api/admin/crm/credentials";
/// `PUT` (admins): S1–S3.
pub const CRM_SETTINGS: &str = "/api/admin/crm/settings";
/// `GET` (admins): what a clean-up on disconnect would remove.
pub const CRM_DISCONNECT_PREVIEW: &str = "/api/admin/crm/disconnect-preview";
/// `POST` (admins): disconnect, optionally cleaning up imported data.
pub const CRM_DISCONNECT: &str = "/api/admin/crm/disconnect";
/// `GET` (admins): the organization's audit log, newest first, paged.
pub const AUDIT_LOG: &str = "/api/admin/audit-log";
/// `POST` (admins): switch CRM sync on or off for many seats at once (all or nothing).
pub const SEATS_CRM_SYNC: &str = "/api/admin/seats/crm-sync";
/// `POST` (admins): give seats to CRM users ("Assign seats from CRM").
pub const SEATS_ASSIGN: &str = "/api/admin/seats/assign";
/// `DELETE` (admins): remove a seat (the person and their data). Fill `{id}` with [`with_id`].
pub const SEAT: &str = "/api/admin/seats/{id}";
/// `PUT` (admins): switch CRM sync on or off for one seat.
pub const SEAT_CRM_SYNC: &str = "/api/admin/seats/{id}/crm-sync";
/// `PUT` (admins): change a seat's licence.
pub const SEAT_LICENCE: &str = "/api/admin/seats/{id}/licence";
/// `POST` (admins): a new one-time set-password link for a seat.
pub const SEAT_PASSWORD_LINK: &str = "/api/admin/seats/{id}/password-link";
/// `GET` (admins): the connected CRM's enabled users, paged and searchable.
pub const CRM_USERS: &str = "/api/admin/crm-users";
/// `POST` (admins): read the CRM's users again now.
pub const CRM_USERS_REFRESH: &str = "/api/admin/crm-users/refresh";
/// `POST` (anyone with a link): choose a password with a set-password token.
pub const SET_PASSWORD: &str = "/api/set-password";

/// A path template with its `{id}` filled in, e.g. `with_id(SEAT, "p1")`.
pub fn with_id(template: &str, id: &str) -> String {
    template.replace("{id}", id)
}
/// `GET` (admins): sync progress and history; `POST`: "Sync now".
pub const CRM_SYNC: &str = "/api/admin/crm/sync";
/// `GET` (admins): the CRM warning every admin page shows as a banner.
pub const CRM_HEALTH: &str = "/api/admin/crm/health";
/// `GET` (seat holders): their saved accounts, paged; `POST`: save one by hand.
pub const SAVED_ACCOUNTS: &str = "/api/saved-accounts";
/// `DELETE` (seat holders): remove a hand-saved account.
pub const SAVED_ACCOUNT: &str = "/api/saved-accounts/{id}";
/// `GET` (seat holders): their saved leads, paged; `POST`: save one by hand.
pub const SAVED_LEADS: &str = "/api/saved-leads";
/// `DELETE` (seat holders): remove a hand-saved lead.
pub const SAVED_LEAD: &str = "/api/saved-leads/{id}";
/// `GET` (seat holders): their inbox of threads, paged and searchable.
pub const THREADS: &str = "/api/threads";
/// `GET` (seat holders): one of their threads with its messages.
pub const THREAD: &str = "/api/threads/{id}";
/// `POST` (seat holders): reply in one of their threads.
pub const THREAD_MESSAGES: &str = "/api/threads/{id}/messages";
/// `POST` (seat holders): mark every message of one of their threads read.
pub const THREAD_READ: &str = "/api/threads/{id}/read";
/// `PUT` (seat holders): tick or untick every message of a thread ("Copy thread").
pub const THREAD_COPY: &str = "/api/threads/{id}/copy";
/// `PUT` (seat holders): tick or untick one message ("Copy message to CRM").
pub const MESSAGE_COPY: &str = "/api/messages/{id}/copy";
/// `POST` (seat holders): write a failed message to the CRM again.
pub const MESSAGE_RETRY: &str = "/api/messages/{id}/retry";
/// `GET` (admins): writeback choices and the companion solution check; `PUT`: save them.
pub const CRM_WRITEBACK: &str = "/api/admin/crm/writeback";
/// `GET` (admins): how writeback matches people to CRM contacts (R3); `PUT`: save it.
pub const CRM_WRITEBACK_MATCHING: &str = "/api/admin/crm/writeback/matching";
/// `GET` (signed in): the unresolved report; admins see the organization's, seat holders their own.
pub const UNRESOLVED: &str = "/api/unresolved";
/// `POST` (signed in): create the CRM contact of an unresolved item and write the item there.
pub const UNRESOLVED_CREATE_CONTACT: &str = "/api/unresolved/{id}/create-contact";
/// `POST` (signed in): write an unresolved item on an existing CRM contact.
pub const UNRESOLVED_LINK: &str = "/api/unresolved/{id}/link";
/// `GET` (seat holders): their notes; `POST`: a note on one of their saved leads or accounts.
pub const NOTES: &str = "/api/notes";
/// `PUT` (seat holders): tick or untick "Copy to CRM" on one of their notes.
pub const NOTE_COPY: &str = "/api/notes/{id}/copy";
