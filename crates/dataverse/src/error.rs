//! The connector's one error type and its classification into what people see.
//!
//! SPEC C4 names four messages; [`CrmErrorKind`] adds the C1 refusals (not
//! online, not HTTPS, too old, sandbox) and a bad URL, each with its own
//! sentence. The `Display` text of [`CrmError`] is for logs: it never contains
//! the client secret or a token.

use std::time::Duration;

/// Dataverse's `ExpiredVersionStamp` error code: a delta token is past its retention.
pub const EXPIRED_VERSION_STAMP: &str = "0x80044352";
/// Dataverse's error code for an update of a closed activity.
pub const CLOSED_ACTIVITY: &str = "0x80043b1d";

/// What went wrong, in the terms people act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CrmErrorKind {
    /// Network error or time-out (C4 "Could not connect to CRM").
    CouldNotConnect,
    /// The CRM answered with an error we have no better name for (C4).
    ApiError,
    /// Entra refused the app registration, or Dataverse said 401/403 (C4).
    InsufficientPrivileges,
    /// A required table or its metadata is missing (C4).
    MissingObjects,
    /// The URL does not parse.
    InvalidUrl,
    /// The URL is not HTTPS (C1).
    NotHttps,
    /// The environment is on-premises, not Dynamics 365 online (C1).
    OnPremises,
    /// The environment is older than 8.2 (C1).
    VersionTooOld,
    /// The environment is a sandbox (C1).
    Sandbox,
}

/// Everything that can go wrong talking to Dynamics.
#[derive(Debug, thiserror::Error)]
pub enum CrmError {
    /// The environment URL does not parse; the text says how to fix it.
    #[error("invalid environment URL: {0}")]
    InvalidUrl(String),
    /// Plain `http://` to a non-loopback host.
    #[error("the environment URL is not https")]
    NotHttps,
    /// Not a Dynamics 365 online host.
    #[error("the environment is not Dynamics 365 online")]
    OnPremises,
    /// `RetrieveVersion` reported a version below 8.2.
    #[error("the environment's version {0} is older than 8.2")]
    VersionTooOld(String),
    /// `RetrieveCurrentOrganization` reported a sandbox.
    #[error("the environment is a sandbox")]
    Sandbox,
    /// Network error, refused connection or time-out (after retries).
    #[error("could not reach the CRM: {0}")]
    Unreachable(String),
    /// Entra or Dataverse refused access.
    #[error("access denied: {detail}")]
    AccessDenied {
        /// The privilege Dataverse named, e.g. `prvReadOpportunity`.
        missing_privilege: Option<String>,
        /// Entra's or Dataverse's explanation (AADSTS code, error code).
        detail: String,
    },
    /// A required table or its metadata is missing.
    #[error("required CRM objects are missing: {0}")]
    MissingObjects(String),
    /// Still throttled after waiting as long as the retry policy allows.
    #[error("the CRM kept throttling; last Retry-After {retry_after:?}")]
    Throttled {
        /// The last `Retry-After` the CRM sent.
        retry_after: Duration,
    },
    /// A change-tracking delta link is no longer valid (Dataverse's
    /// `ExpiredVersionStamp`, `0x80044352`, or 410 Gone): read the table in full again.
    #[error("the change-tracking delta token has expired; a full sync is needed")]
    DeltaTokenExpired,
    /// Any other error answer.
    #[error("CRM API error {status} {code}: {message}")]
    Api {
        /// HTTP status.
        status: u16,
        /// Dataverse error code (`0x…`) or Entra error name, if any.
        code: String,
        /// The CRM's message.
        message: String,
    },
}

impl CrmError {
    /// The class people see.
    pub fn kind(&self) -> CrmErrorKind {
        match self {
            CrmError::InvalidUrl(_) => CrmErrorKind::InvalidUrl,
            CrmError::NotHttps => CrmErrorKind::NotHttps,
            CrmError::OnPremises => CrmErrorKind::OnPremises,
            CrmError::VersionTooOld(_) => CrmErrorKind::VersionTooOld,
            CrmError::Sandbox => CrmErrorKind::Sandbox,
            CrmError::Unreachable(_) => CrmErrorKind::CouldNotConnect,
            CrmError::AccessDenied { .. } => CrmErrorKind::InsufficientPrivileges,
            CrmError::MissingObjects(_) => CrmErrorKind::MissingObjects,
            CrmError::Throttled { .. } | CrmError::Api { .. } | CrmError::DeltaTokenExpired => {
                CrmErrorKind::ApiError
            }
        }
    }

    /// Dataverse refused to update a closed (completed or canceled) activity
    /// (400, `0x80043b1d`): the row with that id exists and is closed.
    pub fn is_closed_activity(&self) -> bool {
        matches!(self, CrmError::Api { status: 400, code, .. } if code.eq_ignore_ascii_case(CLOSED_ACTIVITY))
    }

    /// The privilege Dataverse named as missing, if any.
    pub fn missing_privilege(&self) -> Option<&str> {
        match self {
            CrmError::AccessDenied {
                missing_privilege, ..
            } => missing_privilege.as_deref(),
            _ => None,
        }
    }

    /// True for failures that may pass by themselves (network, 5xx, throttling):
    /// a worker retries these later rather than flagging the connection.
    pub fn is_transient(&self) -> bool {
        match self {
            CrmError::Unreachable(_) | CrmError::Throttled { .. } => true,
            CrmError::Api { status, .. } => *status >= 500,
            _ => false,
        }
    }

    /// Classifies a Dataverse error answer (`{"error":{"code","message"}}`).
    pub fn from_dataverse(status: u16, code: &str, message: &str) -> Self {
        if code.eq_ignore_ascii_case(EXPIRED_VERSION_STAMP) || status == 410 {
            return CrmError::DeltaTokenExpired;
        }
        if code.eq_ignore_ascii_case("0x80040220") || status == 401 || status == 403 {
            return CrmError::AccessDenied {
                missing_privilege: missing_privilege_in(message),
                detail: format!("{status} {code}"),
            };
        }
        if status == 404 {
            return CrmError::MissingObjects(format!("{code}: {message}"));
        }
        CrmError::Api {
            status,
            code: code.to_string(),
            message: message.to_string(),
        }
    }

    /// Classifies an Entra token endpoint error answer. Every refusal of the
    /// app registration (wrong secret, unknown client or tenant, bad scope) is
    /// a privileges problem for the admin; only 5xx is Entra's own trouble.
    pub fn from_entra(status: u16, error: &str, description: &str) -> Self {
        if status >= 500 {
            return CrmError::Api {
                status,
                code: error.to_string(),
                message: first_line(description).to_string(),
            };
        }
        CrmError::AccessDenied {
            missing_privilege: None,
            detail: format!("{error}: {}", first_line(description)),
        }
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default().trim()
}

/// Finds the `prv…` privilege name in a Dataverse "missing privilege" message.
pub fn missing_privilege_in(message: &str) -> Option<String> {
    message
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .find(|word| word.len() > 3 && word.starts_with("prv"))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn privilege_name_is_read_from_the_message() {
        let message = "Principal user (Id=6e8b, type=8, roleCount=1, privilegeCount=11, accessMode=0), \
                       is missing prvReadOpportunity privilege (Id=4fb3) on OTC=3 for entity 'opportunity'.";
        let err = CrmError::from_dataverse(403, "0x80040220", message);
        assert_eq!(err.kind(), CrmErrorKind::InsufficientPrivileges);
        assert_eq!(err.missing_privilege(), Some("prvReadOpportunity"));
        assert_eq!(missing_privilege_in("no privilege here"), None);
    }

    #[test]
    fn classification_follows_c4() {
        assert_eq!(
            CrmError::from_dataverse(401, "", "").kind(),
            CrmErrorKind::InsufficientPrivileges
        );
        assert_eq!(
            CrmError::from_dataverse(404, "0x80060888", "Resource not found").kind(),
            CrmErrorKind::MissingObjects
        );
        assert_eq!(
            CrmError::from_dataverse(400, "0x0", "bad").kind(),
            CrmErrorKind::ApiError
        );
        assert_eq!(
            CrmError::from_entra(
                401,
                "invalid_client",
                "AADSTS7000215: Invalid client secret"
            )
            .kind(),
            CrmErrorKind::InsufficientPrivileges
        );
        assert_eq!(
            CrmError::from_entra(503, "temporarily_unavailable", "x").kind(),
            CrmErrorKind::ApiError
        );
        assert_eq!(
            CrmError::Unreachable("refused".into()).kind(),
            CrmErrorKind::CouldNotConnect
        );
    }

    #[test]
    fn expired_delta_tokens_are_their_own_error() {
        let err = CrmError::from_dataverse(400, "0x80044352", "Version stamp ... expired");
        assert!(matches!(err, CrmError::DeltaTokenExpired));
        assert!(!err.is_transient());
        assert!(matches!(
            CrmError::from_dataverse(410, "", ""),
            CrmError::DeltaTokenExpired
        ));
    }

    #[test]
    fn closed_activity_refusals_are_recognised() {
        assert!(CrmError::from_dataverse(400, "0x80043B1D", "closed").is_closed_activity());
        assert!(!CrmError::from_dataverse(400, "0x0", "bad").is_closed_activity());
        assert!(!CrmError::from_dataverse(500, "0x80043b1d", "").is_closed_activity());
    }

    #[test]
    fn transient_errors() {
        assert!(CrmError::Unreachable("x".into()).is_transient());
        assert!(CrmError::from_dataverse(503, "0x0", "busy").is_transient());
        assert!(!CrmError::from_dataverse(403, "0x80040220", "").is_transient());
        assert!(!CrmError::Sandbox.is_transient());
    }
}
