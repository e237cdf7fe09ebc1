//! The audit log as admins read it (`GET /api/admin/audit-log`): who changed
//! what in their organization, newest first.

use serde::{Deserialize, Serialize};

/// One entry of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// The entry's id.
    pub id: String,
    /// The name of the person who acted; `None` once that person is deleted.
    pub actor_name: Option<String>,
    /// What was done, as a dotted name: `crm.connect`, `crm.credentials`,
    /// `crm.settings`, `crm.disconnect`, `seats.*`, ….
    pub action: String,
    /// Free text for people reading the log (never a secret).
    pub detail: String,
    /// When it happened (RFC 3339, UTC).
    pub at: String,
}

/// One page of the audit log, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    /// The entries of this page, newest first.
    pub items: Vec<AuditEntry>,
    /// Entries of the organization in all.
    pub total: u64,
    /// Offset of the first entry.
    pub offset: u64,
    /// Page size used.
    pub limit: u64,
}
