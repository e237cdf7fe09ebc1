//! Navsync's connector to Microsoft Dynamics 365 through the Dataverse Web API.
//!
//! It never knows whether it talks to Dynamics or to the project's stand-in:
//! everything it needs is configuration (environment URL, Entra authority,
//! tenant, client ID, client secret). The contract it honours is
//! `../shared/DATAVERSE.md`.
//!
//! # Layout
//! - [`environment`]: the environment URL rules (online only, HTTPS only).
//! - [`version`]: Dataverse version parsing and the 8.2 floor.
//! - [`error`]: [`CrmError`], the connector's one error type, and its
//!   classification into the four messages people see (SPEC C4).
//! - [`client`]: OAuth 2.0 client credentials with a token cache, the request
//!   pipeline (401 → refresh once, 429 → wait `Retry-After`, transient 5xx and
//!   network errors → bounded backoff) and server-driven paging.
//! - [`calls`]: typed calls (`WhoAmI`, `RetrieveVersion`, …) and
//!   [`calls::verify`], the check run when an admin connects.
//! - [`writes`]: activity upserts, contact creation and `$batch`.

pub mod calls;
pub mod client;
pub mod environment;
pub mod error;
pub mod version;
pub mod writes;

pub use calls::{FieldChoice, OptionChoice, Organization, SystemUser, VerifiedConnection, WhoAmI};
pub use client::{Client, ClientConfig, RetryPolicy, Secret};
pub use environment::EnvironmentUrl;
pub use error::{CrmError, CrmErrorKind};

/// Microsoft Entra ID's public authority; tests and the demo point
/// `ClientConfig::authority` at the stand-in instead.
pub const DEFAULT_AUTHORITY: &str = "https://login.microsoftonline.com";

/// Largest page Dataverse serves (`Prefer: odata.maxpagesize`).
pub const MAX_PAGE_SIZE: u32 = 5000;

/// Unique names of the companion solution, any of which enables writeback.
pub const COMPANION_SOLUTIONS: [&str; 3] = [
    "LinkedIn",
    "LinkedInSalesNavigatorControlsForUnifiedClient",
    "msdyn_LinkedInSalesNavigatorAnchor",
];
