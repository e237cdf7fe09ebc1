//! [`StandInConfig`]: credentials the token endpoint accepts, token lifetime and the
//! service-protection limits.

use std::time::Duration;

/// The client id the stand-in accepts unless configured otherwise.
pub const DEFAULT_CLIENT_ID: &str = "11111111-2222-4333-8444-555555555555";

/// How a stand-in behaves; `Default` gives the documented demo values.
#[derive(Debug, Clone)]
pub struct StandInConfig {
    /// The Entra tenant in the token URL (`/{tenant}/oauth2/v2.0/token`).
    pub tenant: String,
    /// The app registration's client id.
    pub client_id: String,
    /// The app registration's client secret (can be rotated at run time).
    pub client_secret: String,
    /// Lifetime of issued tokens (`expires_in`); Entra's is about an hour.
    pub token_lifetime: Duration,
    /// Service protection: requests per user per window (Dataverse: 6,000).
    pub request_limit: usize,
    /// Service protection: concurrent requests per user (Dataverse: 52).
    pub concurrency_limit: usize,
    /// Service protection: the sliding window (Dataverse: 300 s).
    pub window: Duration,
    /// The environment URL, e.g. `http://127.0.0.1:8081`; `run` fills it from the
    /// listener's address when `None`.
    pub base_url: Option<String>,
    /// How long a change-tracking delta token stays valid (Dataverse: 7 days by
    /// default, an organization setting).
    pub delta_token_lifetime: Duration,
}

impl Default for StandInConfig {
    fn default() -> Self {
        StandInConfig {
            tenant: "demo.onmicrosoft.com".into(),
            client_id: DEFAULT_CLIENT_ID.into(),
            client_secret: "demo-secret".into(),
            token_lifetime: Duration::from_secs(3599),
            request_limit: 6_000,
            concurrency_limit: 52,
            window: Duration::from_secs(300),
            base_url: None,
            delta_token_lifetime: Duration::from_secs(7 * 24 * 3600),
        }
    }
}
