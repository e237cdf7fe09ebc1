//! The CRM connection as admins see it (SPEC C1–C5, S1–S3): connect, status,
//! settings, credentials, disconnect.
//!
//! The client secret travels only inside [`ConnectCrm`] and
//! [`UpdateCrmCredentials`]; no response type has a field for it.

use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::validate::{self, Rule};

/// Why the CRM could not be used, in the terms people act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CrmErrorKind {
    /// The CRM could not be reached (network error or time-out).
    CouldNotConnect,
    /// The CRM API answered with an error.
    ApiError,
    /// Entra or Dataverse refused access (wrong secret, missing privilege).
    InsufficientPrivileges,
    /// A required table or its metadata is missing.
    MissingObjects,
    /// The environment URL does not parse.
    InvalidUrl,
    /// The environment URL is not HTTPS.
    NotHttps,
    /// The environment is on-premises; only Dynamics 365 online is supported.
    OnPremises,
    /// The environment is older than version 8.2.
    VersionTooOld,
    /// The environment is a sandbox.
    Sandbox,
}

impl CrmErrorKind {
    /// The sentence people see (SPEC C4 word for word where it names one).
    pub fn message(self) -> &'static str {
        match self {
            CrmErrorKind::CouldNotConnect => "Could not connect to CRM. Please try again later.",
            CrmErrorKind::ApiError => "The CRM API reported an error. Please try again later.",
            CrmErrorKind::InsufficientPrivileges => {
                "Your CRM account does not have sufficient access privileges. Please check with your CRM administrator."
            }
            CrmErrorKind::MissingObjects => {
                "Could not read the required CRM objects from your org."
            }
            CrmErrorKind::InvalidUrl => "This is not a valid environment URL.",
            CrmErrorKind::NotHttps => "The environment URL must start with https://.",
            CrmErrorKind::OnPremises => {
                "Only Dynamics 365 online is supported; on-premises environments cannot be connected."
            }
            CrmErrorKind::VersionTooOld => {
                "This Dynamics environment is older than version 8.2, which Navsync needs."
            }
            CrmErrorKind::Sandbox => {
                "This is a sandbox environment. Connect your production environment instead."
            }
        }
    }

    /// What to do next.
    pub fn next_step(self) -> &'static str {
        match self {
            CrmErrorKind::CouldNotConnect => {
                "Check the environment URL and that Dynamics is reachable, then try again."
            }
            CrmErrorKind::ApiError => {
                "Check the CRM's availability, or contact your CRM representative if it persists."
            }
            CrmErrorKind::InsufficientPrivileges => {
                "Check the tenant, client ID and client secret, and that the Integration User's security role has the read privileges listed under Prerequisites."
            }
            CrmErrorKind::MissingObjects => {
                "Ask your CRM administrator to make accounts, contacts, leads and opportunities available to the Integration User."
            }
            CrmErrorKind::InvalidUrl => {
                "Copy the address from your browser while Dynamics is open, e.g. https://yourorg.crm4.dynamics.com."
            }
            CrmErrorKind::NotHttps => {
                "Use the https:// address of your Dynamics 365 online environment."
            }
            CrmErrorKind::OnPremises => {
                "Use the address of a Dynamics 365 online environment (…dynamics.com)."
            }
            CrmErrorKind::VersionTooOld => "Upgrade the environment, or connect a newer one.",
            CrmErrorKind::Sandbox => "Use the URL of your production environment.",
        }
    }
}

/// A CRM problem as shown on the CRM Settings page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrmProblem {
    /// What kind of problem.
    pub kind: CrmErrorKind,
    /// The sentence for people (English; the app translates by `kind`).
    pub message: String,
    /// What to do next.
    pub next_step: String,
    /// The privilege Dataverse named as missing, e.g. `prvReadOpportunity`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_privilege: Option<String>,
}

impl CrmProblem {
    /// The problem of a kind, with its standard sentences.
    pub fn of(kind: CrmErrorKind, missing_privilege: Option<String>) -> Self {
        Self {
            kind,
            message: kind.message().into(),
            next_step: kind.next_step().into(),
            missing_privilege,
        }
    }
}

/// `POST /api/admin/crm/connection`: connect an environment (C2).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConnectCrm {
    /// e.g. `https://yourorg.crm4.dynamics.com`.
    pub environment_url: String,
    /// Directory (tenant) ID or domain of the app registration.
    pub tenant: String,
    /// Application (client) ID of the Integration User's app registration.
    pub client_id: String,
    /// Its client secret (write-only: never returned).
    pub client_secret: String,
}

impl std::fmt::Debug for ConnectCrm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectCrm")
            .field("environment_url", &self.environment_url)
            .field("tenant", &self.tenant)
            .field("client_id", &self.client_id)
            .field("client_secret", &"***")
            .finish()
    }
}

impl ConnectCrm {
    /// Field rules shared by the form and the server.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        validate::collect([
            validate::check(
                "environment_url",
                &self.environment_url,
                &[Rule::Required, Rule::MaxLen(300)],
            ),
            check_app_registration_tenant(&self.tenant),
            check_client_id(&self.client_id),
            validate::check(
                "client_secret",
                &self.client_secret,
                &[Rule::Required, Rule::MaxLen(500)],
            ),
        ])
    }
}

/// `PUT /api/admin/crm/credentials`: replace the app registration (e.g. a
/// rotated secret) without disconnecting.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateCrmCredentials {
    /// Directory (tenant) ID or domain.
    pub tenant: String,
    /// Application (client) ID.
    pub client_id: String,
    /// The new client secret (write-only).
    pub client_secret: String,
}

impl std::fmt::Debug for UpdateCrmCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UpdateCrmCredentials")
            .field("tenant", &self.tenant)
            .field("client_id", &self.client_id)
            .field("client_secret", &"***")
            .finish()
    }
}

impl UpdateCrmCredentials {
    /// Field rules shared by the form and the server.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        validate::collect([
            check_app_registration_tenant(&self.tenant),
            check_client_id(&self.client_id),
            validate::check(
                "client_secret",
                &self.client_secret,
                &[Rule::Required, Rule::MaxLen(500)],
            ),
        ])
    }
}

fn check_app_registration_tenant(tenant: &str) -> Option<FieldError> {
    validate::check("tenant", tenant, &[Rule::Required, Rule::MaxLen(200)]).or_else(|| {
        let ok = tenant
            .trim()
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.'));
        (!ok).then(|| FieldError {
            field: "tenant".into(),
            code: "tenant".into(),
            message: "Enter the tenant ID (a GUID) or its domain, like contoso.onmicrosoft.com."
                .into(),
        })
    })
}

fn check_client_id(client_id: &str) -> Option<FieldError> {
    validate::check("client_id", client_id, &[Rule::Required]).or_else(|| {
        (!is_guid(client_id.trim())).then(|| FieldError {
            field: "client_id".into(),
            code: "guid".into(),
            message: "Enter the application (client) ID, a GUID like 11111111-2222-4333-8444-555555555555.".into(),
        })
    })
}

/// `8-4-4-4-12` hexadecimal groups.
pub fn is_guid(value: &str) -> bool {
    let groups: Vec<&str> = value.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Admin's CRM settings (S1–S3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrmSettings {
    /// S1 "Auto sync all seat holders with CRM?" (Yes recommended).
    pub auto_sync_all: bool,
    /// S2 the sales stage value at or past which an open opportunity is in
    /// the pipeline; `None` is "Not Sure" (every open opportunity).
    pub pipeline_stage: Option<i32>,
    /// S3 the opportunity money field holding the won value; `None` is "Not Sure".
    pub won_value_field: Option<String>,
}

impl Default for CrmSettings {
    fn default() -> Self {
        Self {
            auto_sync_all: true,
            pipeline_stage: None,
            won_value_field: None,
        }
    }
}

/// One sales stage offered for S2, read from the CRM.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StageChoice {
    /// Option value.
    pub value: i32,
    /// Label from the CRM's metadata.
    pub label: String,
}

/// One money field offered for S3, read from the CRM.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MoneyFieldChoice {
    /// Logical name, e.g. `actualvalue`.
    pub logical_name: String,
    /// Display name from the CRM's metadata.
    pub label: String,
}

/// The connection's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConnectionState {
    /// No CRM connected.
    NotConnected,
    /// Connected and healthy.
    Connected,
    /// Connected, but the last attempt to use it failed lastingly (see `problem`).
    Warning,
}

/// `GET /api/admin/crm`: everything the CRM Settings page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrmStatus {
    /// Connected or not.
    pub state: ConnectionState,
    /// The connected environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection: Option<CrmConnection>,
    /// The lasting problem, when `state` is `warning`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<CrmProblem>,
    /// S1–S3.
    pub settings: CrmSettings,
    /// S2 choices from the CRM (empty when not connected).
    pub stage_choices: Vec<StageChoice>,
    /// S3 choices from the CRM (empty when not connected).
    pub money_field_choices: Vec<MoneyFieldChoice>,
}

/// The connected environment (never includes the secret).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrmConnection {
    /// Environment URL.
    pub environment_url: String,
    /// Tenant of the app registration.
    pub tenant: String,
    /// Client ID of the app registration.
    pub client_id: String,
    /// The organization's name in Dynamics.
    pub organization_name: String,
    /// Dynamics version.
    pub version: String,
    /// When it was connected (RFC 3339).
    pub connected_at: String,
    /// Who connected it.
    pub connected_by: String,
    /// When the credentials were last replaced (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials_updated_at: Option<String>,
    /// When the last sync finished (RFC 3339); `None` before the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_sync_at: Option<String>,
    /// The Integration User may impersonate seat holders.
    pub can_impersonate: bool,
}

/// Answer to connect and update-credentials: either connected, or the
/// problem (nothing was saved).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConnectOutcome {
    /// True when the environment was verified and saved.
    pub connected: bool,
    /// Why not, when `connected` is false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<CrmProblem>,
    /// The status after the attempt.
    pub status: CrmStatus,
}

/// `GET /api/admin/crm/disconnect-preview`: what clean-up would remove.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisconnectPreview {
    /// Saved accounts that came from the CRM.
    pub accounts: u64,
    /// Saved leads that came from the CRM.
    pub leads: u64,
}

/// `POST /api/admin/crm/disconnect` (C5).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisconnectCrm {
    /// "Yes, clean up all previously imported CRM data".
    pub clean_up: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connect() -> ConnectCrm {
        ConnectCrm {
            environment_url: "https://contoso.crm4.dynamics.com".into(),
            tenant: "contoso.onmicrosoft.com".into(),
            client_id: "11111111-2222-4333-8444-555555555555".into(),
            client_secret: "s3cret~value".into(),
        }
    }

    #[test]
    fn valid_connect_passes() {
        assert_eq!(connect().validate(), Ok(()));
    }

    #[test]
    fn connect_rejects_bad_ids() {
        let mut bad = connect();
        bad.client_id = "not-a-guid".into();
        bad.tenant = "contoso onmicrosoft".into();
        bad.client_secret = String::new();
        let fields = bad.validate().unwrap_err();
        let codes: Vec<_> = fields
            .iter()
            .map(|f| (f.field.as_str(), f.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            [
                ("tenant", "tenant"),
                ("client_id", "guid"),
                ("client_secret", "required")
            ]
        );
    }

    #[test]
    fn secrets_never_debug_print() {
        let text = format!("{:?}", connect());
        assert!(!text.contains("s3cret"), "{text}");
        let update = UpdateCrmCredentials {
            tenant: "t".into(),
            client_id: "c".into(),
            client_secret: "s3cret".into(),
        };
        assert!(!format!("{update:?}").contains("s3cret"));
    }

    #[test]
    fn c4_messages_are_word_for_word() {
        assert_eq!(
            CrmErrorKind::CouldNotConnect.message(),
            "Could not connect to CRM. Please try again later."
        );
        assert_eq!(
            CrmErrorKind::InsufficientPrivileges.message(),
            "Your CRM account does not have sufficient access privileges. Please check with your CRM administrator."
        );
        assert_eq!(
            CrmErrorKind::MissingObjects.message(),
            "Could not read the required CRM objects from your org."
        );
        assert_eq!(
            CrmErrorKind::ApiError.message(),
            "The CRM API reported an error. Please try again later."
        );
    }

    #[test]
    fn guid_shape() {
        assert!(is_guid("11111111-2222-4333-8444-555555555555"));
        assert!(!is_guid("11111111-2222-4333-8444-55555555555"));
        assert!(!is_guid("1111111g-2222-4333-8444-555555555555"));
    }
}

/// The contact column that holds LinkedIn profile URLs when nothing else is configured.
pub const DEFAULT_PROFILE_URL_COLUMN: &str = "new_linkedinurl";

/// Writeback matching (R3): email first, then the LinkedIn profile URL in
/// this contact column, then first and last name with company.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WritebackMatching {
    /// Logical name of the contact column holding the LinkedIn profile URL
    /// (a custom column, default `new_linkedinurl`): lower-case letters,
    /// digits and `_`, starting with a letter, at most 50 characters.
    pub profile_url_column: String,
}

impl WritebackMatching {
    /// Field errors, empty when valid.
    pub fn validate(&self) -> Vec<FieldError> {
        let c = self.profile_url_column.trim();
        let mut chars = c.chars();
        let ok = chars.next().is_some_and(|c| c.is_ascii_lowercase())
            && c.len() <= 50
            && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if ok {
            Vec::new()
        } else {
            vec![FieldError {
                field: "profile_url_column".into(),
                code: "invalid".into(),
                message: "Enter the column's logical name, e.g. new_linkedinurl: lower-case letters, digits and _, starting with a letter, at most 50 characters.".into(),
            }]
        }
    }
}
