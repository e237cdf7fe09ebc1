//! Threads, messages and the writeback outbox (SPEC H1, H2, H4, W2): every
//! query is scoped to one organization and one person, so a seat holder never
//! reads or changes another's rows. Ticking an item and queueing it in
//! `writeback_outbox` happen in one transaction.

use navsync_api::messages::{
    CopyMix, CrmCopy, Direction, MatchRule, Participant, Thread, ThreadKind, ThreadMessage,
    ThreadSummary,
};
use navsync_api::{OrganizationId, PersonId};
use sqlx::{Sqlite, Transaction};

use super::sync::like_pattern;
use super::{Store, StoreError};
use crate::writeback::matching::Rule;

/// A thread to insert (demo data, tests).
#[derive(Clone, Debug)]
pub struct NewThread {
    /// InMail or message.
    pub kind: ThreadKind,
    /// Subject line.
    pub subject: String,
    /// Counterpart's first name.
    pub first_name: String,
    /// Counterpart's last name.
    pub last_name: String,
    /// Counterpart's email.
    pub email: Option<String>,
    /// Counterpart's LinkedIn profile URL.
    pub profile_url: Option<String>,
    /// Counterpart's company.
    pub company: Option<String>,
    /// Messages: direction, body, sent at (unix seconds), unread.
    pub messages: Vec<(Direction, String, i64, bool)>,
}

/// The organization's writeback choices (W1, W2, W4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WritebackChoice {
    /// W1: writeback on.
    pub enabled: bool,
    /// W2: every item type.
    pub all_items: bool,
    /// W2: InMails chosen.
    pub inmails: bool,
    /// W2: messages chosen.
    pub messages: bool,
    /// W2: notes chosen.
    pub notes: bool,
    /// W4: write as the seat holder.
    pub impersonation: bool,
}

impl Default for WritebackChoice {
    fn default() -> Self {
        WritebackChoice {
            enabled: false,
            all_items: true,
            inmails: true,
            messages: true,
            notes: true,
            impersonation: false,
        }
    }
}

impl WritebackChoice {
    /// Whether a new item of this thread kind is ticked by default (H2).
    pub fn copies(&self, kind: ThreadKind) -> bool {
        self.enabled
            && (self.all_items
                || match kind {
                    ThreadKind::Inmail => self.inmails,
                    ThreadKind::Message => self.messages,
                })
    }
}

fn rfc3339(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn kind_of(s: &str) -> ThreadKind {
    if s == "inmail" {
        ThreadKind::Inmail
    } else {
        ThreadKind::Message
    }
}

fn kind_str(k: ThreadKind) -> &'static str {
    match k {
        ThreadKind::Inmail => "inmail",
        ThreadKind::Message => "message",
    }
}

fn direction_str(d: Direction) -> &'static str {
    match d {
        Direction::Inbound => "inbound",
        Direction::Outbound => "outbound",
    }
}

/// The rule recorded in a copied item's `crm_reason` (the writeback stores
/// [`Rule::explain`], possibly followed by a note); `None` when a person
/// resolved it by hand.
pub fn match_rule(reason: Option<&str>) -> Option<MatchRule> {
    let reason = reason?;
    [
        (Rule::Email, MatchRule::Email),
        (Rule::ProfileUrl, MatchRule::ProfileUrl),
        (Rule::NameAndCompany, MatchRule::NameAndCompany),
    ]
    .into_iter()
    .find(|(rule, _)| reason.starts_with(rule.explain()))
    .map(|(_, wire)| wire)
}

/// The wire state of a stored `crm_state`.
pub fn crm_copy(state: &str, crm_id: Option<String>, reason: Option<String>) -> CrmCopy {
    match state {
        "waiting" => CrmCopy::Waiting,
        "copied" => CrmCopy::Copied {
            crm_id: crm_id.unwrap_or_default(),
            url: None,
            rule: match_rule(reason.as_deref()),
        },
        "unresolved" => CrmCopy::Unresolved {
            reason: reason.unwrap_or_default(),
        },
        "failed" => CrmCopy::Failed {
            reason: reason.unwrap_or_default(),
        },
        _ => CrmCopy::NotCopied,
    }
}

fn snippet(body: &str) -> String {
    const MAX: usize = 120;
    if body.chars().count() <= MAX {
        body.to_string()
    } else {
        let cut: String = body.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

type SummaryRow = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
    Option<String>,
    Option<i64>,
    i64,
    i64,
);

const SUMMARY_SELECT: &str = "SELECT t.id, t.kind, t.subject, t.counterpart_first, t.counterpart_last, \
     t.counterpart_email, t.counterpart_url, t.counterpart_company, \
     (SELECT COUNT(*) FROM thread_messages m WHERE m.thread_id = t.id AND m.unread = 1), \
     (SELECT m.body FROM thread_messages m WHERE m.thread_id = t.id ORDER BY m.sent_at DESC, m.id DESC LIMIT 1), \
     (SELECT MAX(m.sent_at) FROM thread_messages m WHERE m.thread_id = t.id), \
     (SELECT COUNT(*) FROM thread_messages m WHERE m.thread_id = t.id AND m.copy_to_crm = 1), \
     (SELECT COUNT(*) FROM thread_messages m WHERE m.thread_id = t.id) \
     FROM threads t";

fn summary(r: SummaryRow) -> ThreadSummary {
    let name = format!("{} {}", r.3, r.4).trim().to_string();
    ThreadSummary {
        id: r.0,
        kind: kind_of(&r.1),
        subject: r.2,
        participant: Participant {
            name,
            email: r.5,
            profile_url: r.6,
            company: r.7,
        },
        unread: u32::try_from(r.8).unwrap_or(0),
        last_message: r.9.as_deref().map(snippet),
        last_at: r.10.map(rfc3339),
        copy: match (r.11, r.12) {
            (0, _) => CopyMix::None,
            (ticked, all) if ticked == all => CopyMix::All,
            _ => CopyMix::Some,
        },
    }
}

async fn enqueue(
    tx: &mut Transaction<'_, Sqlite>,
    organization: &OrganizationId,
    item_id: &str,
    kind: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT OR IGNORE INTO writeback_outbox (item_id, organization_id, item_kind, enqueued_at) \
         VALUES (?1, ?2, ?3, ?4)",
    )
    .bind(item_id)
    .bind(organization.as_str())
    .bind(kind)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    crate::writeback::outbox::wake();
    Ok(())
}

/// Ticks or unticks one message inside `tx`. Ticking a not-copied or failed
/// message queues it; unticking a waiting one takes it out of the queue; an
/// item already in the CRM stays there (its state keeps saying so).
async fn set_copy_in(
    tx: &mut Transaction<'_, Sqlite>,
    organization: &OrganizationId,
    message_id: &str,
    copy: bool,
    now: i64,
) -> Result<(), StoreError> {
    let (state,): (String,) = sqlx::query_as("SELECT crm_state FROM thread_messages WHERE id = ?1")
        .bind(message_id)
        .fetch_one(&mut **tx)
        .await?;
    let next = match (copy, state.as_str()) {
        (true, "not_copied" | "failed") => "waiting",
        (false, "waiting") => "not_copied",
        (_, other) => other,
    };
    sqlx::query("UPDATE thread_messages SET copy_to_crm = ?2, crm_state = ?3 WHERE id = ?1")
        .bind(message_id)
        .bind(copy)
        .bind(next)
        .execute(&mut **tx)
        .await?;
    if next == "waiting" {
        enqueue(tx, organization, message_id, "message", now).await?;
    } else if !copy {
        sqlx::query("DELETE FROM writeback_outbox WHERE item_id = ?1")
            .bind(message_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Upserts the organization's writeback choices inside `tx`.
pub(super) async fn upsert_writeback_choice_in(
    tx: &mut Transaction<'_, Sqlite>,
    organization: &OrganizationId,
    choice: WritebackChoice,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO writeback_settings \
         (organization_id, enabled, all_items, inmails, messages, notes, impersonation, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
         ON CONFLICT (organization_id) DO UPDATE SET enabled = ?2, all_items = ?3, inmails = ?4, \
         messages = ?5, notes = ?6, impersonation = ?7, updated_at = ?8",
    )
    .bind(organization.as_str())
    .bind(choice.enabled)
    .bind(choice.all_items)
    .bind(choice.inmails)
    .bind(choice.messages)
    .bind(choice.notes)
    .bind(choice.impersonation)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Upserts the organization's LinkedIn profile URL column (R3) inside `tx`.
pub(super) async fn upsert_profile_column_in(
    tx: &mut Transaction<'_, Sqlite>,
    organization: &OrganizationId,
    column: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO writeback_settings (organization_id, profile_url_column, updated_at) \
         VALUES (?1, ?2, ?3) \
         ON CONFLICT (organization_id) DO UPDATE SET profile_url_column = ?2, updated_at = ?3",
    )
    .bind(organization.as_str())
    .bind(column)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// The organization's writeback choices (defaults when never saved).
    pub async fn writeback_choice(
        &self,
        organization: &OrganizationId,
    ) -> Result<WritebackChoice, StoreError> {
        let row: Option<(bool, bool, bool, bool, bool, bool)> = sqlx::query_as(
            "SELECT enabled, all_items, inmails, messages, notes, impersonation \
             FROM writeback_settings WHERE organization_id = ?1",
        )
        .bind(organization.as_str())
        .fetch_optional(&self.pool)
        .await?;
        Ok(
            row.map_or_else(WritebackChoice::default, |r| WritebackChoice {
                enabled: r.0,
                all_items: r.1,
                inmails: r.2,
                messages: r.3,
                notes: r.4,
                impersonation: r.5,
            }),
        )
    }

    /// Saves the organization's writeback choices.
    pub async fn save_writeback_choice(
        &self,
        organization: &OrganizationId,
        choice: WritebackChoice,
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        upsert_writeback_choice_in(&mut tx, organization, choice, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// R3: the contact column holding LinkedIn profile URLs for the
    /// organization ([`crate::writeback::matching::DEFAULT_PROFILE_COLUMN`]
    /// unless configured).
    pub async fn writeback_profile_column(
        &self,
        organization: &OrganizationId,
    ) -> Result<String, StoreError> {
        let row: Option<(Option<String>,)> = sqlx::query_as(
            "SELECT profile_url_column FROM writeback_settings WHERE organization_id = ?1",
        )
        .bind(organization.as_str())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row
            .and_then(|r| r.0)
            .unwrap_or_else(|| crate::writeback::matching::DEFAULT_PROFILE_COLUMN.to_string()))
    }

    /// Inserts a thread with its messages for `person`; returns its id.
    pub async fn insert_thread(
        &self,
        organization: &OrganizationId,
        person: &PersonId,
        thread: &NewThread,
        now: i64,
    ) -> Result<String, StoreError> {
        let id = uuid::Uuid::new_v4().to_string();
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "INSERT INTO threads (id, organization_id, person_id, kind, subject, counterpart_first, \
             counterpart_last, counterpart_email, counterpart_url, counterpart_company, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )
        .bind(&id)
        .bind(organization.as_str())
        .bind(person.as_str())
        .bind(kind_str(thread.kind))
        .bind(&thread.subject)
        .bind(&thread.first_name)
        .bind(&thread.last_name)
        .bind(&thread.email)
        .bind(&thread.profile_url)
        .bind(&thread.company)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        for (direction, body, sent_at, unread) in &thread.messages {
            sqlx::query(
                "INSERT INTO thread_messages (id, thread_id, direction, body, sent_at, unread) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .bind(uuid::Uuid::new_v4().to_string())
            .bind(&id)
            .bind(direction_str(*direction))
            .bind(body)
            .bind(sent_at)
            .bind(unread)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// The person's threads, newest activity first.
    pub async fn list_threads(
        &self,
        organization: &OrganizationId,
        person: &PersonId,
        q: Option<&str>,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<ThreadSummary>, u64), StoreError> {
        let pattern = like_pattern(q);
        let filter = "WHERE t.organization_id = ?1 AND t.person_id = ?2 AND (?3 IS NULL OR \
             t.subject LIKE ?3 ESCAPE '\\' OR (t.counterpart_first || ' ' || t.counterpart_last) LIKE ?3 ESCAPE '\\' \
             OR t.counterpart_company LIKE ?3 ESCAPE '\\')";
        let (total,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM threads t {filter}"))
            .bind(organization.as_str())
            .bind(person.as_str())
            .bind(&pattern)
            .fetch_one(&self.pool)
            .await?;
        let sql = format!(
            "{SUMMARY_SELECT} {filter} ORDER BY \
             (SELECT MAX(m.sent_at) FROM thread_messages m WHERE m.thread_id = t.id) DESC, t.id \
             LIMIT ?4 OFFSET ?5"
        );
        let rows: Vec<SummaryRow> = sqlx::query_as(&sql)
            .bind(organization.as_str())
            .bind(person.as_str())
            .bind(&pattern)
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .bind(i64::try_from(offset).unwrap_or(i64::MAX))
            .fetch_all(&self.pool)
            .await?;
        Ok((
            rows.into_iter().map(summary).collect(),
            u64::try_from(total).unwrap_or(0),
        ))
    }

    /// One of the person's threads with its messages, oldest first; `None`
    /// when it is not theirs.
    pub async fn thread(
        &self,
        organization: &OrganizationId,
        person: &PersonId,
        thread_id: &str,
    ) -> Result<Option<Thread>, StoreError> {
        let sql = format!(
            "{SUMMARY_SELECT} WHERE t.organization_id = ?1 AND t.person_id = ?2 AND t.id = ?3"
        );
        let row: Option<SummaryRow> = sqlx::query_as(&sql)
            .bind(organization.as_str())
            .bind(person.as_str())
            .bind(thread_id)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        type MessageRow = (
            String,
            String,
            String,
            i64,
            bool,
            bool,
            String,
            Option<String>,
            Option<String>,
        );
        let messages: Vec<MessageRow> = sqlx::query_as(
            "SELECT id, direction, body, sent_at, unread, copy_to_crm, crm_state, crm_id, crm_reason \
             FROM thread_messages WHERE thread_id = ?1 ORDER BY sent_at, id",
        )
        .bind(thread_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(Some(Thread {
            summary: summary(row),
            messages: messages
                .into_iter()
                .map(|m| ThreadMessage {
                    id: m.0,
                    direction: if m.1 == "inbound" {
                        Direction::Inbound
                    } else {
                        Direction::Outbound
                    },
                    body: m.2,
                    sent_at: rfc3339(m.3),
                    unread: m.4,
                    copy_to_crm: m.5,
                    crm: crm_copy(&m.6, m.7, m.8),
                })
                .collect(),
        }))
    }

    /// Adds the person's reply to their thread, queued for the CRM when
    /// `copy`; `None` when the thread is not theirs.
    pub async fn add_reply(
        &self,
        organization: &OrganizationId,
        person: &PersonId,
        thread_id: &str,
        body: &str,
        copy: bool,
        now: i64,
    ) -> Result<Option<String>, StoreError> {
        let mut tx = self.write_tx().await?;
        let owned: Option<(String,)> = sqlx::query_as(
            "SELECT id FROM threads WHERE id = ?1 AND organization_id = ?2 AND person_id = ?3",
        )
        .bind(thread_id)
        .bind(organization.as_str())
        .bind(person.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        if owned.is_none() {
            return Ok(None);
        }
        let id = uuid::Uuid::new_v4().to_string();
        sqlx::query(
            "INSERT INTO thread_messages (id, thread_id, direction, body, sent_at) \
             VALUES (?1, ?2, 'outbound', ?3, ?4)",
        )
        .bind(&id)
        .bind(thread_id)
        .bind(body)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        set_copy_in(&mut tx, organization, &id, copy, now).await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    /// Marks every message of one of the person's threads read; `false` when
    /// the thread is not theirs.
    pub async fn mark_thread_read(
        &self,
        organization: &OrganizationId,
        person: &PersonId,
        thread_id: &str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write_tx().await?;
        let (owned,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM threads WHERE id = ?1 AND organization_id = ?2 AND person_id = ?3",
        )
        .bind(thread_id)
        .bind(organization.as_str())
        .bind(person.as_str())
        .fetch_one(&mut *tx)
        .await?;
        if owned == 0 {
            return Ok(false);
        }
        sqlx::query("UPDATE thread_messages SET unread = 0 WHERE thread_id = ?1 AND unread = 1")
            .bind(thread_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Ticks or unticks one of the person's messages; `false` when it is not
    /// theirs.
    pub async fn set_message_copy(
        &self,
        organization: &OrganizationId,
        person: &PersonId,
        message_id: &str,
        copy: bool,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write_tx().await?;
        let owned: Option<(String,)> = sqlx::query_as(
            "SELECT m.id FROM thread_messages m JOIN threads t ON t.id = m.thread_id \
             WHERE m.id = ?1 AND t.organization_id = ?2 AND t.person_id = ?3",
        )
        .bind(message_id)
        .bind(organization.as_str())
        .bind(person.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        if owned.is_none() {
            return Ok(false);
        }
        set_copy_in(&mut tx, organization, message_id, copy, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Ticks or unticks every message of one of the person's threads; `false`
    /// when it is not theirs.
    pub async fn set_thread_copy(
        &self,
        organization: &OrganizationId,
        person: &PersonId,
        thread_id: &str,
        copy: bool,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write_tx().await?;
        let ids: Vec<(String,)> = sqlx::query_as(
            "SELECT m.id FROM thread_messages m JOIN threads t ON t.id = m.thread_id \
             WHERE t.id = ?1 AND t.organization_id = ?2 AND t.person_id = ?3",
        )
        .bind(thread_id)
        .bind(organization.as_str())
        .bind(person.as_str())
        .fetch_all(&mut *tx)
        .await?;
        let (owned,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM threads WHERE id = ?1 AND organization_id = ?2 AND person_id = ?3",
        )
        .bind(thread_id)
        .bind(organization.as_str())
        .bind(person.as_str())
        .fetch_one(&mut *tx)
        .await?;
        if owned == 0 {
            return Ok(false);
        }
        for (id,) in ids {
            set_copy_in(&mut tx, organization, &id, copy, now).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Whether the message is in one of the person's threads.
    pub async fn owns_message(
        &self,
        organization: &OrganizationId,
        person: &PersonId,
        message_id: &str,
    ) -> Result<bool, StoreError> {
        let found: Option<(String,)> = sqlx::query_as(
            "SELECT m.id FROM thread_messages m JOIN threads t ON t.id = m.thread_id \
             WHERE m.id = ?1 AND t.organization_id = ?2 AND t.person_id = ?3",
        )
        .bind(message_id)
        .bind(organization.as_str())
        .bind(person.as_str())
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    /// Items queued for the CRM in the organization.
    pub async fn outbox_len(&self, organization: &OrganizationId) -> Result<u64, StoreError> {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM writeback_outbox WHERE organization_id = ?1")
                .bind(organization.as_str())
                .fetch_one(&self.pool)
                .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

/// A queued message with what the writeback worker needs to write it.
#[derive(Clone, Debug)]
pub struct OutboxItem {
    /// The message id (also the outbox key).
    pub item_id: String,
    /// InMail or message.
    pub kind: ThreadKind,
    /// The thread's subject.
    pub subject: String,
    /// The message text.
    pub body: String,
    /// Who wrote it.
    pub direction: Direction,
    /// When it was sent (unix seconds).
    pub sent_at: i64,
    /// Counterpart's first name.
    pub first_name: String,
    /// Counterpart's last name.
    pub last_name: String,
    /// Counterpart's email.
    pub email: Option<String>,
    /// Counterpart's profile URL.
    pub profile_url: Option<String>,
    /// Counterpart's company.
    pub company: Option<String>,
    /// The seat holder's sign-in email (to find their CRM user).
    pub person_email: String,
    /// Failed attempts so far.
    pub attempts: i64,
}

type OutboxRow = (
    String,
    String,
    String,
    String,
    String,
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    i64,
);

impl Store {
    /// Organizations with items due for the CRM at `now`.
    pub async fn outbox_organizations(&self, now: i64) -> Result<Vec<OrganizationId>, StoreError> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT DISTINCT organization_id FROM writeback_outbox WHERE next_attempt_at <= ?1",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(id,)| OrganizationId(id)).collect())
    }

    /// Up to `limit` queued messages of the organization due at `now`, oldest first.
    pub async fn due_outbox(
        &self,
        organization: &OrganizationId,
        now: i64,
        limit: u64,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        let rows: Vec<OutboxRow> = sqlx::query_as(
            "SELECT m.id, t.kind, t.subject, m.body, m.direction, m.sent_at, t.counterpart_first, \
             t.counterpart_last, t.counterpart_email, t.counterpart_url, t.counterpart_company, \
             p.email, o.attempts \
             FROM writeback_outbox o \
             JOIN thread_messages m ON m.id = o.item_id \
             JOIN threads t ON t.id = m.thread_id \
             JOIN people p ON p.id = t.person_id \
             WHERE o.organization_id = ?1 AND o.item_kind = 'message' AND o.next_attempt_at <= ?2 \
             ORDER BY o.enqueued_at, o.item_id LIMIT ?3",
        )
        .bind(organization.as_str())
        .bind(now)
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(outbox_item).collect())
    }
}

fn outbox_item(r: OutboxRow) -> OutboxItem {
    OutboxItem {
        item_id: r.0,
        kind: kind_of(&r.1),
        subject: r.2,
        body: r.3,
        direction: if r.4 == "inbound" {
            Direction::Inbound
        } else {
            Direction::Outbound
        },
        sent_at: r.5,
        first_name: r.6,
        last_name: r.7,
        email: r.8,
        profile_url: r.9,
        company: r.10,
        person_email: r.11,
        attempts: r.12,
    }
}

impl Store {
    /// Records where a message ended up (`copied`, `unresolved`, `failed`) and
    /// takes it out of the queue, in one transaction.
    pub async fn finish_outbox_item(
        &self,
        item_id: &str,
        state: &str,
        crm_id: Option<&str>,
        reason: Option<&str>,
    ) -> Result<(), StoreError> {
        self.finish_outbox_items(&[(
            item_id.to_owned(),
            state,
            crm_id.map(str::to_owned),
            reason.map(str::to_owned),
        )])
        .await
    }

    /// [`Store::finish_outbox_item`] for many messages in one transaction
    /// (one flush round): `(item id, state, CRM id, reason)`.
    pub async fn finish_outbox_items(
        &self,
        items: &[(String, &str, Option<String>, Option<String>)],
    ) -> Result<(), StoreError> {
        if items.is_empty() {
            return Ok(());
        }
        let mut tx = self.write_tx().await?;
        for (item_id, state, crm_id, reason) in items {
            sqlx::query(
                "UPDATE thread_messages SET crm_state = ?2, crm_id = COALESCE(?3, crm_id), crm_reason = ?4 \
                 WHERE id = ?1",
            )
            .bind(item_id)
            .bind(state)
            .bind(crm_id)
            .bind(reason)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM writeback_outbox WHERE item_id = ?1")
                .bind(item_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Keeps items queued after a failed attempt, in one transaction:
    /// `(item id, attempts so far)`; each waits `backoff(attempts)` seconds.
    pub async fn defer_outbox_items(
        &self,
        items: &[(String, i64)],
        error: &str,
        now: i64,
        backoff: fn(i64) -> i64,
    ) -> Result<(), StoreError> {
        if items.is_empty() {
            return Ok(());
        }
        let mut tx = self.write_tx().await?;
        for (item_id, attempts) in items {
            sqlx::query(
                "UPDATE writeback_outbox SET attempts = attempts + 1, next_attempt_at = ?2, last_error = ?3 \
                 WHERE item_id = ?1",
            )
            .bind(item_id)
            .bind(now + backoff(*attempts))
            .bind(error)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The CRM user (`systemuserid`, Entra object id) with this email, from
    /// the CRM directory Seat Management reads.
    pub async fn crm_user_by_email(
        &self,
        organization: &OrganizationId,
        email: &str,
    ) -> Result<Option<(String, Option<String>)>, StoreError> {
        let row: Option<(String, Option<String>)> = sqlx::query_as(
            "SELECT systemuserid, azure_object_id FROM crm_directory \
             WHERE organization_id = ?1 AND email = ?2 AND isdisabled = 0",
        )
        .bind(organization.as_str())
        .bind(email.to_lowercase())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row)
    }
}

impl Store {
    /// Queues one of the person's failed messages again. `None` when it is not
    /// theirs, `Some(false)` when it is not in the failed state.
    pub async fn retry_message(
        &self,
        organization: &OrganizationId,
        person: &PersonId,
        message_id: &str,
        now: i64,
    ) -> Result<Option<bool>, StoreError> {
        let mut tx = self.write_tx().await?;
        let state: Option<(String,)> = sqlx::query_as(
            "SELECT m.crm_state FROM thread_messages m JOIN threads t ON t.id = m.thread_id \
             WHERE m.id = ?1 AND t.organization_id = ?2 AND t.person_id = ?3",
        )
        .bind(message_id)
        .bind(organization.as_str())
        .bind(person.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        let Some((state,)) = state else {
            return Ok(None);
        };
        if state != "failed" {
            return Ok(Some(false));
        }
        set_copy_in(&mut tx, organization, message_id, true, now).await?;
        tx.commit().await?;
        Ok(Some(true))
    }

    /// The unresolved report: the organization's (`person` `None`) or one
    /// person's messages written as open tasks, newest first.
    pub async fn unresolved(
        &self,
        organization: &OrganizationId,
        person: Option<&PersonId>,
    ) -> Result<Vec<navsync_api::messages::UnresolvedItem>, StoreError> {
        type Row = (
            String,
            String,
            String,
            String,
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            String,
            Option<String>,
            Option<String>,
        );
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT m.id, t.id, t.kind, p.name, t.counterpart_first, t.counterpart_last, \
             t.counterpart_email, t.counterpart_url, t.counterpart_company, m.body, m.crm_reason, m.crm_id \
             FROM thread_messages m JOIN threads t ON t.id = m.thread_id JOIN people p ON p.id = t.person_id \
             WHERE t.organization_id = ?1 AND (?2 IS NULL OR t.person_id = ?2) AND m.crm_state = 'unresolved' \
             ORDER BY m.sent_at DESC, m.id",
        )
        .bind(organization.as_str())
        .bind(person.map(PersonId::as_str))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| navsync_api::messages::UnresolvedItem {
                id: r.0,
                thread_id: r.1,
                kind: kind_of(&r.2),
                owner: r.3,
                participant: Participant {
                    name: format!("{} {}", r.4, r.5).trim().to_string(),
                    email: r.6,
                    profile_url: r.7,
                    company: r.8,
                },
                snippet: snippet(&r.9),
                reason: r.10.unwrap_or_default(),
                task_id: r.11,
            })
            .collect())
    }
}

impl Store {
    /// One unresolved message as the writeback worker sees it, when it is in
    /// the organization and (for a seat holder) the person's own.
    pub async fn unresolved_item(
        &self,
        organization: &OrganizationId,
        person: Option<&PersonId>,
        message_id: &str,
    ) -> Result<Option<OutboxItem>, StoreError> {
        let row: Option<OutboxRow> = sqlx::query_as(
            "SELECT m.id, t.kind, t.subject, m.body, m.direction, m.sent_at, t.counterpart_first, \
             t.counterpart_last, t.counterpart_email, t.counterpart_url, t.counterpart_company, \
             p.email, 0 \
             FROM thread_messages m JOIN threads t ON t.id = m.thread_id JOIN people p ON p.id = t.person_id \
             WHERE m.id = ?1 AND t.organization_id = ?2 AND (?3 IS NULL OR t.person_id = ?3) \
             AND m.crm_state = 'unresolved'",
        )
        .bind(message_id)
        .bind(organization.as_str())
        .bind(person.map(PersonId::as_str))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(outbox_item))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copied_item_names_the_rule_recorded_in_its_reason() {
        let rule = |reason: Option<&str>| match crm_copy(
            "copied",
            Some("a1".into()),
            reason.map(Into::into),
        ) {
            CrmCopy::Copied { rule, .. } => rule,
            other => panic!("{other:?}"),
        };
        assert_eq!(rule(Some(Rule::Email.explain())), Some(MatchRule::Email));
        assert_eq!(
            rule(Some(Rule::ProfileUrl.explain())),
            Some(MatchRule::ProfileUrl)
        );
        assert_eq!(
            rule(Some(Rule::NameAndCompany.explain())),
            Some(MatchRule::NameAndCompany)
        );
        // With the impersonation fallback's note after it.
        let noted = format!(
            "{}. Written as the Integration User.",
            Rule::Email.explain()
        );
        assert_eq!(rule(Some(&noted)), Some(MatchRule::Email));
        // Resolved by hand, or anything else: no rule.
        assert_eq!(rule(None), None);
        assert_eq!(rule(Some("Something else")), None);
    }
}
