//! Notes on a seat holder's saved leads and accounts (SPEC H3) and their
//! place in the writeback outbox: scoped to one person, queued in the same
//! transaction as the tick.

use navsync_api::messages::{Note, NoteSubject};
use navsync_api::{OrganizationId, PersonId};

use super::messages::crm_copy;
use super::{Store, StoreError};

/// A queued note with what the writeback worker needs to write it.
#[derive(Clone, Debug)]
pub struct NoteItem {
    /// The note id (also the outbox key).
    pub item_id: String,
    /// Lead or account.
    pub subject_kind: NoteSubject,
    /// The CRM id of the lead's contact or the account, when known.
    pub crm_id: Option<String>,
    /// The lead's or account's name.
    pub subject_name: String,
    /// The text.
    pub body: String,
    /// The seat holder's sign-in email.
    pub person_email: String,
    /// Failed attempts so far.
    pub attempts: i64,
}

fn subject_str(kind: NoteSubject) -> &'static str {
    match kind {
        NoteSubject::Lead => "lead",
        NoteSubject::Account => "account",
    }
}

fn subject_of(s: &str) -> NoteSubject {
    if s == "account" {
        NoteSubject::Account
    } else {
        NoteSubject::Lead
    }
}

fn rfc3339(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Store {
    /// The person's notes, newest first.
    pub async fn list_notes(
        &self,
        organization: &OrganizationId,
        person: &PersonId,
    ) -> Result<Vec<Note>, StoreError> {
        type Row = (
            String,
            String,
            String,
            String,
            i64,
            bool,
            String,
            Option<String>,
            Option<String>,
        );
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, subject_kind, subject_id, body, created_at, copy_to_crm, crm_state, crm_id, crm_reason \
             FROM notes WHERE organization_id = ?1 AND person_id = ?2 ORDER BY created_at DESC, id",
        )
        .bind(organization.as_str())
        .bind(person.as_str())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| Note {
                id: r.0,
                subject_kind: subject_of(&r.1),
                subject_id: r.2,
                body: r.3,
                created_at: rfc3339(r.4),
                copy_to_crm: r.5,
                crm: crm_copy(&r.6, r.7, r.8),
            })
            .collect())
    }

    /// Adds a note on one of the person's saved leads or accounts, queued for
    /// the CRM when `copy`; `None` when the subject is not theirs.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_note(
        &self,
        organization: &OrganizationId,
        person: &PersonId,
        kind: NoteSubject,
        subject_id: &str,
        body: &str,
        copy: bool,
        now: i64,
    ) -> Result<Option<String>, StoreError> {
        let table = match kind {
            NoteSubject::Lead => "saved_leads",
            NoteSubject::Account => "saved_accounts",
        };
        let mut tx = self.write_tx().await?;
        let owned: Option<(String,)> = sqlx::query_as(&format!(
            "SELECT id FROM {table} WHERE id = ?1 AND organization_id = ?2 AND person_id = ?3"
        ))
        .bind(subject_id)
        .bind(organization.as_str())
        .bind(person.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        if owned.is_none() {
            return Ok(None);
        }
        let id = uuid::Uuid::new_v4().to_string();
        sqlx::query(
            "INSERT INTO notes (id, organization_id, person_id, subject_kind, subject_id, body, created_at, \
             copy_to_crm, crm_state) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )
        .bind(&id)
        .bind(organization.as_str())
        .bind(person.as_str())
        .bind(subject_str(kind))
        .bind(subject_id)
        .bind(body)
        .bind(now)
        .bind(copy)
        .bind(if copy { "waiting" } else { "not_copied" })
        .execute(&mut *tx)
        .await?;
        if copy {
            sqlx::query(
                "INSERT OR IGNORE INTO writeback_outbox (item_id, organization_id, item_kind, enqueued_at) \
                 VALUES (?1, ?2, 'note', ?3)",
            )
            .bind(&id)
            .bind(organization.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(Some(id))
    }

    /// Ticks or unticks one of the person's notes (the same rules as for
    /// messages); `false` when it is not theirs.
    pub async fn set_note_copy(
        &self,
        organization: &OrganizationId,
        person: &PersonId,
        note_id: &str,
        copy: bool,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write_tx().await?;
        let state: Option<(String,)> = sqlx::query_as(
            "SELECT crm_state FROM notes WHERE id = ?1 AND organization_id = ?2 AND person_id = ?3",
        )
        .bind(note_id)
        .bind(organization.as_str())
        .bind(person.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        let Some((state,)) = state else {
            return Ok(false);
        };
        let next = match (copy, state.as_str()) {
            (true, "not_copied" | "failed") => "waiting",
            (false, "waiting") => "not_copied",
            (_, other) => other,
        };
        sqlx::query("UPDATE notes SET copy_to_crm = ?2, crm_state = ?3 WHERE id = ?1")
            .bind(note_id)
            .bind(copy)
            .bind(next)
            .execute(&mut *tx)
            .await?;
        if next == "waiting" {
            sqlx::query(
                "INSERT OR IGNORE INTO writeback_outbox (item_id, organization_id, item_kind, enqueued_at) \
                 VALUES (?1, ?2, 'note', ?3)",
            )
            .bind(note_id)
            .bind(organization.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        } else if !copy {
            sqlx::query("DELETE FROM writeback_outbox WHERE item_id = ?1")
                .bind(note_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Up to `limit` queued notes of the organization due at `now`, oldest first.
    pub async fn due_notes(
        &self,
        organization: &OrganizationId,
        now: i64,
        limit: u64,
    ) -> Result<Vec<NoteItem>, StoreError> {
        type Row = (
            String,
            String,
            Option<String>,
            Option<String>,
            String,
            String,
            i64,
        );
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT n.id, n.subject_kind, \
             COALESCE(l.crm_id, a.crm_id), \
             COALESCE(l.first_name || ' ' || l.last_name, a.name), \
             n.body, p.email, o.attempts \
             FROM writeback_outbox o JOIN notes n ON n.id = o.item_id JOIN people p ON p.id = n.person_id \
             LEFT JOIN saved_leads l ON n.subject_kind = 'lead' AND l.id = n.subject_id \
             LEFT JOIN saved_accounts a ON n.subject_kind = 'account' AND a.id = n.subject_id \
             WHERE o.organization_id = ?1 AND o.item_kind = 'note' AND o.next_attempt_at <= ?2 \
             ORDER BY o.enqueued_at, o.item_id LIMIT ?3",
        )
        .bind(organization.as_str())
        .bind(now)
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| NoteItem {
                item_id: r.0,
                subject_kind: subject_of(&r.1),
                crm_id: r.2,
                subject_name: r.3.unwrap_or_default(),
                body: r.4,
                person_email: r.5,
                attempts: r.6,
            })
            .collect())
    }

    /// Records where a note ended up and takes it out of the queue.
    pub async fn finish_note(
        &self,
        note_id: &str,
        state: &str,
        crm_id: Option<&str>,
        reason: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "UPDATE notes SET crm_state = ?2, crm_id = COALESCE(?3, crm_id), crm_reason = ?4 WHERE id = ?1",
        )
        .bind(note_id)
        .bind(state)
        .bind(crm_id)
        .bind(reason)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM writeback_outbox WHERE item_id = ?1")
            .bind(note_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
