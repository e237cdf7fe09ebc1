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
