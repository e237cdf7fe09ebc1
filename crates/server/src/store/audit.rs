//! The audit log. Entries are written by the changes they record, in the same
//! transaction (see [`super::crm`], and here the writeback settings:
//! `writeback.settings`, `writeback.matching`).

use navsync_api::{OrganizationId, PersonId};

use super::messages::{WritebackChoice, upsert_profile_column_in, upsert_writeback_choice_in};
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

/// Records one admin action in the audit log inside `tx`.
async fn audit_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    organization: &OrganizationId,
    actor: &PersonId,
    action: &str,
    detail: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (id, organization_id, person_id, action, detail, created_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(organization.as_str())
    .bind(actor.as_str())
    .bind(action)
    .bind(detail)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The writeback choices in words, for the audit log.
pub fn describe_writeback(c: &WritebackChoice) -> String {
    if !c.enabled {
        return "off".into();
    }
    let items = if c.all_items {
        "all items".to_string()
    } else {
        let chosen: Vec<&str> = [
            (c.inmails, "InMails"),
            (c.messages, "messages"),
            (c.notes, "notes"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect();
        if chosen.is_empty() {
            "no items".into()
        } else {
            chosen.join(", ")
        }
    };
    let impersonation = if c.impersonation {
        "as the seat holder"
    } else {
        "as the Integration User"
    };
    format!("on, {items}, {impersonation}")
}

impl Store {
    /// Saves the writeback choices and, when they change, records
    /// `writeback.settings` (before → after) in the audit log, in one
    /// transaction. True when they changed.
    pub async fn save_writeback_choice_audited(
        &self,
        organization: &OrganizationId,
        actor: &PersonId,
        choice: WritebackChoice,
        now: i64,
    ) -> Result<bool, StoreError> {
        let before = self.writeback_choice(organization).await?;
        let mut tx = self.write_tx().await?;
        upsert_writeback_choice_in(&mut tx, organization, choice, now).await?;
        let changed = before != choice;
        if changed {
            let detail = format!(
                "Writeback: {} → {}",
                describe_writeback(&before),
                describe_writeback(&choice)
            );
            audit_in(
                &mut tx,
                organization,
                actor,
                "writeback.settings",
                &detail,
                now,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// Saves the LinkedIn profile URL column (R3) and, when it changes,
    /// records `writeback.matching` in the audit log, in one transaction.
    pub async fn save_writeback_profile_column_audited(
        &self,
        organization: &OrganizationId,
        actor: &PersonId,
        column: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let before = self.writeback_profile_column(organization).await?;
        let mut tx = self.write_tx().await?;
        upsert_profile_column_in(&mut tx, organization, column, now).await?;
        let changed = before != column;
        if changed {
            let detail = format!("LinkedIn profile URL column: {before} → {column}");
            audit_in(
                &mut tx,
                organization,
                actor,
                "writeback.matching",
                &detail,
                now,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(changed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writeback_choices_in_words() {
        let mut c = WritebackChoice::default();
        assert_eq!(describe_writeback(&c), "off");
        c.enabled = true;
        assert_eq!(
            describe_writeback(&c),
            "on, all items, as the Integration User"
        );
        c.all_items = false;
        c.messages = false;
        c.impersonation = true;
        assert_eq!(
            describe_writeback(&c),
            "on, InMails, notes, as the seat holder"
        );
    }
}
