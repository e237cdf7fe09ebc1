//! Navsync's wire contract: the request and response types of the JSON API and
//! the validation rules that both the wasm app and the server apply.
//!
//! # Layout
//! - [`error`]: the one error body every failing response carries.
//! - [`ids`]: newtype identifiers.
//! - [`audit`]: the audit log admins read.
//! - [`auth`]: sign-in, first-run set-up, the signed-in person ([`auth::Me`]).
//! - [`people`]: licences and seats.
//! - [`crm`]: the CRM connection, its settings and problems (SPEC C1–C5, S1–S3).
//! - [`seats`]: Seat Management (SPEC M1–M4): sync switches, assigning, links.
//! - [`sync`]: CRM sync progress and history, and saved accounts and leads (S4, S5, L1).
//! - [`paths`]: the API's paths, so client and server cannot disagree on them.
//! - [`validate`]: field rules shared by the forms and the handlers.
//!
//! This crate depends on serde only. The `openapi` feature adds `utoipa`
//! schema derives for the server's OpenAPI document.

pub mod audit;
pub mod auth;
pub mod crm;
pub mod error;
pub mod ids;
pub mod messages;
pub mod paths;
pub mod people;
pub mod seats;
pub mod sync;
pub mod validate;

pub use auth::{Me, SetUpOrganization, SetupStatus, SignIn, UpdatePreferences};
pub use error::{ErrorBody, ErrorCode, FieldError};
pub use ids::{OrganizationId, PersonId};
pub use people::{Licence, Locale, Organization, Person, Seat, SeatPage};

use serde::{Deserialize, Serialize};

/// `GET /api/health`: the server is up and its database answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// Always `"ok"` when the server answers 200.
    pub status: String,
    /// The server's version (its crate version).
    pub version: String,
}
