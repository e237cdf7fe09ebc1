//! Reading the audit log. Entries are written by the changes they record, in
//! the same transaction (see [`super::crm`]); this file only reads them.

use navsync_api::OrganizationId;

use super::{Store, StoreError};

/// An audit entry as stored, with the actor's name at read time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditRecord {
    /// The entry's id.
    pub id: String,
    /// The actor's name; `None` once that person is deleted.
    pub actor_name: Option<String>,
    /// `crm.connect`, `crm.credentials`, ….
    pub action: String,
    /// Free text.
    pub detail: String,
    /// Unix seconds.
    pub created_at: i64,
}

impl Store {
    /// One page of an organization's audit log, newest first, and the total.
    pub async fn list_audit_log(
        &self,
        organization: &OrganizationId,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<AuditRecord>, u64), StoreError> {
        let (total,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE organization_id = ?")
                .bind(organization.as_str())
                .fetch_one(&self.pool)
                .await?;
        // The join repeats the organization so a name never crosses organizations.
        let rows: Vec<(String, Option<String>, String, String, i64)> = sqlx::query_as(
            "SELECT a.id, p.name, a.action, a.detail, a.created_at FROM audit_log a \
             LEFT JOIN people p ON p.id = a.person_id AND p.organization_id = a.organization_id \
             WHERE a.organization_id = ? \
             ORDER BY a.created_at DESC, a.rowid DESC LIMIT ? OFFSET ?",
        )
        .bind(organization.as_str())
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        let entries = rows
            .into_iter()
            .map(|(id, actor_name, action, detail, created_at)| AuditRecord {
                id,
                actor_name,
                action,
                detail,
                created_at,
            })
            .collect();
        Ok((entries, u64::try_from(total).unwrap_or(0)))
    }
}
