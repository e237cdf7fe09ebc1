//! CRM → Navsync sync (SPEC S4, S5) and the saved accounts and leads it fills
//! (L1): the admin's progress and history, the connection-health banner, and
//! the seat holder's lists, hand saves and deletions.

use serde::{Deserialize, Serialize};

use crate::crm::{CrmProblem, is_guid};
use crate::error::FieldError;
use crate::validate::{self, Rule};

/// A run in progress.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncProgress {
    /// When it started (RFC 3339).
    pub started_at: String,
    /// A full read (first run, or after an expired delta token) rather than changes only.
    pub full: bool,
    /// What it is doing, e.g. "reading opportunities".
    pub phase: String,
    /// CRM rows read so far.
    pub rows_read: u64,
    /// 0.0–1.0 when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<f64>,
}

/// One finished (or abandoned) run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncRun {
    /// When it started (RFC 3339).
    pub started_at: String,
    /// How long it took.
    pub duration_ms: u64,
    /// Full or incremental.
    pub full: bool,
    /// CRM rows read (changed and deleted rows for an incremental run).
    pub rows_read: u64,
    /// Saved accounts and leads added, changed or removed.
    pub rows_changed: u64,
    /// HTTP requests made to the CRM (token requests and retries included).
    pub crm_requests: u64,
    /// Why it failed, when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// `GET /api/admin/crm/sync`: progress and history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncStatus {
    /// The run in progress, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running: Option<SyncProgress>,
    /// When the last successful run finished (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_sync_at: Option<String>,
    /// Sync is paused after three days of a lasting problem; only a cheap
    /// health probe runs until the cause is fixed.
    pub paused: bool,
    /// The last 20 runs, newest first.
    pub runs: Vec<SyncRun>,
    /// "Sync now" was pressed while a run was in progress: exactly one more
    /// run starts when it ends (further presses add nothing).
    #[serde(default)]
    pub queued: bool,
}

/// `GET /api/admin/crm/health`: what every admin page needs for its banner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrmHealth {
    /// The connection's lasting problem, with its reason and fix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crm_warning: Option<CrmProblem>,
    /// Sync is paused until the problem is fixed.
    pub sync_paused: bool,
}

/// Where a saved row came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SavedSource {
    /// Saved by the seat holder.
    Manual,
    /// Brought by CRM sync (S4).
    Crm,
}

/// One saved account (L1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavedAccount {
    /// Its id in Navsync.
    pub id: String,
    /// Account name.
    pub name: String,
    /// Linked to a CRM record ("In CRM").
    pub in_crm: bool,
    /// The CRM record's page, when linked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crm_url: Option<String>,
    /// `crm` while CRM sync brings it, else `manual`.
    pub source: SavedSource,
    /// The seat holder saved it themselves (it stays when sync drops it).
    pub saved_by_hand: bool,
    /// S3: the sum of the won-value field over the account's won opportunities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub won_value: Option<f64>,
}

/// One saved lead (L1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavedLead {
    /// Its id in Navsync.
    pub id: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Company name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// Linked to a CRM record ("In CRM").
    pub in_crm: bool,
    /// The CRM record's page, when linked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crm_url: Option<String>,
    /// `crm` while CRM sync brings it, else `manual`.
    pub source: SavedSource,
    /// The seat holder saved it themselves (it stays when sync drops it).
    pub saved_by_hand: bool,
}

/// A page of saved accounts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavedAccountPage {
    /// The rows, by name.
    pub items: Vec<SavedAccount>,
    /// Rows matching the query in all.
    pub total: u64,
    /// Offset of the first row.
    pub offset: u64,
    /// Page size asked for.
    pub limit: u64,
}

/// A page of saved leads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavedLeadPage {
    /// The rows, by last then first name.
    pub items: Vec<SavedLead>,
    /// Rows matching the query in all.
    pub total: u64,
    /// Offset of the first row.
    pub offset: u64,
    /// Page size asked for.
    pub limit: u64,
}

/// `POST /api/saved-accounts`: save an account by hand.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaveAccount {
    /// Account name.
    pub name: String,
    /// The CRM record's id (GUID), when it is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crm_id: Option<String>,
}

impl SaveAccount {
    /// Field rules shared by the form and the server.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        validate::collect([
            validate::check("name", &self.name, &[Rule::Required, Rule::MaxLen(200)]),
            check_crm_id(self.crm_id.as_deref()),
        ])
    }
}

/// `POST /api/saved-leads`: save a lead by hand.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaveLead {
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Company name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// The CRM contact's id (GUID), when it is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crm_id: Option<String>,
}

impl SaveLead {
    /// Field rules shared by the form and the server.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        validate::collect([
            validate::check(
                "first_name",
                &self.first_name,
                &[Rule::Required, Rule::MaxLen(100)],
            ),
            validate::check(
                "last_name",
                &self.last_name,
                &[Rule::Required, Rule::MaxLen(100)],
            ),
            validate::check(
                "email",
                self.email.as_deref().unwrap_or_default(),
                &[Rule::MaxLen(254), Rule::Email],
            ),
            validate::check(
                "company",
                self.company.as_deref().unwrap_or_default(),
                &[Rule::MaxLen(200)],
            ),
            check_crm_id(self.crm_id.as_deref()),
        ])
    }
}

fn check_crm_id(crm_id: Option<&str>) -> Option<FieldError> {
    let id = crm_id.map(str::trim).filter(|id| !id.is_empty())?;
    (!is_guid(id)).then(|| FieldError {
        field: "crm_id".into(),
        code: "guid".into(),
        message: "Enter the CRM record's ID, a GUID like 11111111-2222-4333-8444-555555555555."
            .into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_saves_are_validated() {
        assert_eq!(
            SaveAccount {
                name: "Contoso".into(),
                crm_id: None
            }
            .validate(),
            Ok(())
        );
        let bad = SaveAccount {
            name: " ".into(),
            crm_id: Some("nope".into()),
        }
        .validate()
        .unwrap_err();
        let fields: Vec<&str> = bad.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["name", "crm_id"]);
        let bad = SaveLead {
            first_name: "Ada".into(),
            last_name: String::new(),
            email: Some("not-an-email".into()),
            ..SaveLead::default()
        }
        .validate()
        .unwrap_err();
        let fields: Vec<&str> = bad.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["last_name", "email"]);
    }
}
