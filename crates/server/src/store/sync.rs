//! CRM sync storage: the lease (one run per organization across processes),
//! delta links, run history and progress, the mirror of CRM rows, and the
//! saved accounts and leads (sync's writes and the seat holder's lists, hand
//! saves and deletions).

use std::collections::HashSet;

use navsync_api::sync::{SavedAccount, SavedLead, SavedSource};
use navsync_api::{OrganizationId, PersonId};
use sqlx::{QueryBuilder, Sqlite, Transaction};

use super::{Store, StoreError, now_unix};
use crate::sync::rules::{Account, Contact, CrmUser, Opportunity, SeatHolder};

/// One run as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct SyncRunRecord {
    /// Started (unix seconds).
    pub started_at: i64,
    /// Finished (unix seconds); `None` while running.
    pub finished_at: Option<i64>,
    /// Duration when finished.
    pub duration_ms: Option<i64>,
    /// Full or incremental.
    pub full: bool,
    /// Current phase.
    pub phase: String,
    /// Progress 0–1 when known.
    pub progress: Option<f64>,
    /// CRM rows read.
    pub rows_read: i64,
    /// Saved rows changed.
    pub rows_changed: i64,
    /// CRM requests.
    pub crm_requests: i64,
    /// Error text.
    pub error: Option<String>,
}

/// What a run found when it finished.
#[derive(Clone, Debug, Default)]
pub struct RunTotals {
    /// Full or incremental.
    pub full: bool,
    /// CRM rows read.
    pub rows_read: u64,
    /// Saved rows changed.
    pub rows_changed: u64,
    /// CRM requests.
    pub crm_requests: u64,
}

/// What [`Store::apply_rules`] applies.
#[derive(Clone, Debug)]
pub struct RuleScope<'a> {
    /// Recompute every saved row (a full run, or the settings, seat holders or
    /// CRM users changed); otherwise only what the pending rows can change.
    pub full: bool,
    /// CRM user id → seat holder with sync on, matched by email
    /// ([`crate::sync::rules::owner_map`]).
    pub owners: &'a [(String, PersonId)],
    /// S2: the lowest `salesstage` option value; `None` for "Not Sure".
    pub pipeline_stage: Option<i32>,
    /// S3 is set: saved accounts carry the sum over their won opportunities.
    pub won_value: bool,
    /// The environment URL, for links to CRM records.
    pub environment_url: &'a str,
    /// The rules' fingerprint to store with the result.
    pub fingerprint: &'a str,
}

/// Why a hand deletion was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeleteSaved {
    /// Removed (or, when CRM sync brings it too, no longer hand-saved).
    Deleted,
    /// No such row of this person.
    NotFound,
    /// CRM sync brought it and it was not saved by hand.
    FromCrm,
}

/// The rules' inputs for some CRM owners.
#[derive(Clone, Debug, Default)]
pub struct RuleRows {
    /// Open opportunities of the owners and won ones of their accounts.
    pub opportunities: Vec<Opportunity>,
    /// Their accounts.
    pub accounts: Vec<Account>,
    /// Their contacts and their accounts' contacts.
    pub contacts: Vec<Contact>,
}

/// A random (version 4) UUID made by SQLite, for rows inserted by a set operation.
const NEW_ID: &str = "(lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || \
     substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || \
     substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))))";

/// Marks accounts or contacts pending for the rules (`kind` 'account' or 'contact').
async fn mark_pending(
    tx: &mut Transaction<'static, Sqlite>,
    organization: &OrganizationId,
    kind: &str,
    ids: &[&str],
) -> Result<(), StoreError> {
    if ids.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT OR IGNORE INTO sync_pending (organization_id, kind, id) \
         SELECT ?1, ?2, value FROM json_each(?3)",
    )
    .bind(organization.as_str())
    .bind(kind)
    .bind(serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Empties the rules pass's temporary tables (per connection).
async fn clear_rule_temps(tx: &mut Transaction<'static, Sqlite>) -> Result<(), StoreError> {
    for table in [
        "sync_owner",
        "sync_scope_accounts",
        "sync_scope_contacts",
        "sync_want_accounts",
        "sync_want_leads",
    ] {
        sqlx::query(&format!("DELETE FROM temp.{table}"))
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

fn in_list<'a>(qb: &mut QueryBuilder<'a, Sqlite>, items: &'a [String]) {
    qb.push("(");
    let mut sep = qb.separated(", ");
    for item in items {
        sep.push_bind(item.as_str());
    }
    if items.is_empty() {
        sep.push("NULL");
    }
    qb.push(")");
}

const OWNED_OPEN: &str = "SELECT {col} FROM crm_opportunities WHERE organization_id = ";

impl Store {
    /// Takes the organization's sync lease for `holder` when it is free or
    /// expired (or already `holder`'s); true when taken.
    pub async fn acquire_sync_lease(
        &self,
        organization: &OrganizationId,
        holder: &str,
        ttl_secs: i64,
    ) -> Result<bool, StoreError> {
        let now = now_unix();
        let done = sqlx::query(
            "INSERT INTO sync_leases (organization_id, holder, expires_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT (organization_id) DO UPDATE SET holder = excluded.holder, \
             expires_at = excluded.expires_at \
             WHERE sync_leases.expires_at <= ?4 OR sync_leases.holder = excluded.holder",
        )
        .bind(organization.as_str())
        .bind(holder)
        .bind(now + ttl_secs)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Extends `holder`'s lease; false when it was lost.
    pub async fn renew_sync_lease(
        &self,
        organization: &OrganizationId,
        holder: &str,
        ttl_secs: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE sync_leases SET expires_at = ? WHERE organization_id = ? AND holder = ?",
        )
        .bind(now_unix() + ttl_secs)
        .bind(organization.as_str())
        .bind(holder)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Gives the lease back.
    pub async fn release_sync_lease(
        &self,
        organization: &OrganizationId,
        holder: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sync_leases WHERE organization_id = ? AND holder = ?")
            .bind(organization.as_str())
            .bind(holder)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The delta link and `$select` of a table's last complete read.
    pub async fn sync_table(
        &self,
        organization: &OrganizationId,
        table: &str,
    ) -> Result<Option<(String, String)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT delta_link, columns FROM sync_tables WHERE organization_id = ? AND table_name = ?",
        )
        .bind(organization.as_str())
        .bind(table)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Saves a table's new delta link.
    pub async fn save_sync_table(
        &self,
        organization: &OrganizationId,
        table: &str,
        delta_link: &str,
        columns: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sync_tables (organization_id, table_name, delta_link, columns) \
             VALUES (?, ?, ?, ?) ON CONFLICT (organization_id, table_name) DO UPDATE SET \
             delta_link = excluded.delta_link, columns = excluded.columns",
        )
        .bind(organization.as_str())
        .bind(table)
        .bind(delta_link)
        .bind(columns)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The rules' fingerprint and whether sync is paused.
    pub async fn sync_state(
        &self,
        organization: &OrganizationId,
    ) -> Result<(String, bool), StoreError> {
        let row: Option<(String, bool)> = sqlx::query_as(
            "SELECT rules_fingerprint, paused FROM sync_state WHERE organization_id = ?",
        )
        .bind(organization.as_str())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.unwrap_or_default())
    }

    /// Saves the rules' fingerprint.
    pub async fn set_rules_fingerprint(
        &self,
        organization: &OrganizationId,
        fingerprint: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sync_state (organization_id, rules_fingerprint) VALUES (?, ?) \
             ON CONFLICT (organization_id) DO UPDATE SET rules_fingerprint = excluded.rules_fingerprint",
        )
        .bind(organization.as_str())
        .bind(fingerprint)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// "Sync now": asks for a run after the one in progress, if any; true
    /// when a run is in progress (the request is then queued behind it).
    pub async fn request_sync_run(
        &self,
        organization: &OrganizationId,
    ) -> Result<bool, StoreError> {
        sqlx::query(
            "INSERT INTO sync_state (organization_id, run_requested) VALUES (?, 1) \
             ON CONFLICT (organization_id) DO UPDATE SET run_requested = 1",
        )
        .bind(organization.as_str())
        .execute(&self.pool)
        .await?;
        Ok(self.sync_queue(organization).await?.1)
    }

    /// Takes the request for a run (a run starting under the lease); true when
    /// there was one.
    pub async fn take_sync_request(
        &self,
        organization: &OrganizationId,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE sync_state SET run_requested = 0 WHERE organization_id = ? AND run_requested",
        )
        .bind(organization.as_str())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Whether a run was asked for, and whether a run holds the lease now.
    pub async fn sync_queue(
        &self,
        organization: &OrganizationId,
    ) -> Result<(bool, bool), StoreError> {
        let (requested, running): (bool, bool) = sqlx::query_as(
            "SELECT COALESCE((SELECT run_requested FROM sync_state WHERE organization_id = ?1), 0), \
             EXISTS (SELECT 1 FROM sync_leases WHERE organization_id = ?1 AND expires_at > ?2)",
        )
        .bind(organization.as_str())
        .bind(now_unix())
        .fetch_one(&self.pool)
        .await?;
        Ok((requested, running))
    }

    /// Pauses or resumes sync.
    pub async fn set_sync_paused(
        &self,
        organization: &OrganizationId,
        paused: bool,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sync_state (organization_id, paused) VALUES (?, ?) \
             ON CONFLICT (organization_id) DO UPDATE SET paused = excluded.paused",
        )
        .bind(organization.as_str())
        .bind(paused)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Closes runs left unfinished by a stopped process; true when there was one
    /// (its changes may be half applied, so the next run recomputes everyone).
    pub async fn close_abandoned_runs(
        &self,
        organization: &OrganizationId,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE sync_runs SET finished_at = heartbeat_at, \
             duration_ms = MAX(0, heartbeat_at * 1000 - started_ms), \
             error = 'abandoned: the server stopped during the run' \
             WHERE organization_id = ? AND finished_at IS NULL",
        )
        .bind(organization.as_str())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Records a new run.
    pub async fn start_sync_run(
        &self,
        organization: &OrganizationId,
        run: &str,
    ) -> Result<(), StoreError> {
        let now = chrono::Utc::now();
        sqlx::query(
            "INSERT INTO sync_runs (id, organization_id, started_at, started_ms, full, phase, heartbeat_at) \
             VALUES (?, ?, ?, ?, 0, 'starting', ?)",
        )
        .bind(run)
        .bind(organization.as_str())
        .bind(now.timestamp())
        .bind(now.timestamp_millis())
        .bind(now.timestamp())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Updates a run's progress (and heartbeat).
    pub async fn sync_progress(
        &self,
        run: &str,
        full: bool,
        phase: &str,
        rows_read: u64,
        progress: Option<f64>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE sync_runs SET full = ?, phase = ?, rows_read = ?, progress = ?, heartbeat_at = ? \
             WHERE id = ?",
        )
        .bind(full)
        .bind(phase)
        .bind(i64::try_from(rows_read).unwrap_or(i64::MAX))
        .bind(progress)
        .bind(now_unix())
        .bind(run)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Finishes a run; on success also sets the connection's `last_sync_at`.
    /// Keeps the last 100 runs.
    pub async fn finish_sync_run(
        &self,
        organization: &OrganizationId,
        run: &str,
        totals: &RunTotals,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        let now = chrono::Utc::now();
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "UPDATE sync_runs SET finished_at = ?, duration_ms = MAX(0, ? - started_ms), full = ?, \
             rows_read = ?, rows_changed = ?, crm_requests = ?, error = ?, phase = 'finished', \
             progress = 1.0 WHERE id = ?",
        )
        .bind(now.timestamp())
        .bind(now.timestamp_millis())
        .bind(totals.full)
        .bind(i64::try_from(totals.rows_read).unwrap_or(i64::MAX))
        .bind(i64::try_from(totals.rows_changed).unwrap_or(i64::MAX))
        .bind(i64::try_from(totals.crm_requests).unwrap_or(i64::MAX))
        .bind(error)
        .bind(run)
        .execute(&mut *tx)
        .await?;
        if error.is_none() {
            sqlx::query("UPDATE crm_connections SET last_sync_at = ? WHERE organization_id = ?")
                .bind(now.timestamp())
                .bind(organization.as_str())
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "DELETE FROM sync_runs WHERE organization_id = ?1 AND id NOT IN \
             (SELECT id FROM sync_runs WHERE organization_id = ?1 ORDER BY started_ms DESC LIMIT 100)",
        )
        .bind(organization.as_str())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The last `limit` runs, newest first (running ones included).
    pub async fn sync_runs(
        &self,
        organization: &OrganizationId,
        limit: u32,
    ) -> Result<Vec<SyncRunRecord>, StoreError> {
        type Row = (
            i64,
            Option<i64>,
            Option<i64>,
            bool,
            String,
            Option<f64>,
            i64,
            i64,
            i64,
            Option<String>,
        );
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT started_at, finished_at, duration_ms, full, phase, progress, rows_read, \
             rows_changed, crm_requests, error FROM sync_runs WHERE organization_id = ? \
             ORDER BY started_ms DESC LIMIT ?",
        )
        .bind(organization.as_str())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| SyncRunRecord {
                started_at: r.0,
                finished_at: r.1,
                duration_ms: r.2,
                full: r.3,
                phase: r.4,
                progress: r.5,
                rows_read: r.6,
                rows_changed: r.7,
                crm_requests: r.8,
                error: r.9,
            })
            .collect())
    }

    /// Every organization with a CRM connection.
    pub async fn crm_organizations(&self) -> Result<Vec<OrganizationId>, StoreError> {
        let rows: Vec<(String,)> = sqlx::query_as("SELECT organization_id FROM crm_connections")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(|(o,)| OrganizationId(o)).collect())
    }

    /// The organization's seat holders (team-member licence).
    pub async fn seat_holders(
        &self,
        organization: &OrganizationId,
    ) -> Result<Vec<SeatHolder>, StoreError> {
        let rows: Vec<(String, String, bool)> = sqlx::query_as(
            "SELECT id, email, crm_sync_enabled FROM people \
             WHERE organization_id = ? AND is_team_member ORDER BY id",
        )
        .bind(organization.as_str())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, email, crm_sync_enabled)| SeatHolder {
                person_id: PersonId(id),
                email,
                crm_sync_enabled,
            })
            .collect())
    }

    /// The mirrored CRM users.
    pub async fn crm_users(
        &self,
        organization: &OrganizationId,
    ) -> Result<Vec<CrmUser>, StoreError> {
        let rows: Vec<(String, Option<String>)> =
            sqlx::query_as("SELECT id, email FROM crm_users WHERE organization_id = ?")
                .bind(organization.as_str())
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .map(|(id, email)| CrmUser { id, email })
            .collect())
    }

    /// Writes one page of `systemusers` (upserts, then deletions). A changed
    /// email or a deleted user changes the matching of seat holders, so it
    /// clears the rules' fingerprint in the same transaction: the next rules
    /// pass recomputes everyone, even when this run stops before it.
    pub async fn mirror_users(
        &self,
        organization: &OrganizationId,
        seen: &str,
        rows: &[CrmUser],
        deleted: &[String],
    ) -> Result<bool, StoreError> {
        let mut tx = self.write_tx().await?;
        let mut changed = false;
        for u in rows {
            let old: Option<(Option<String>,)> =
                sqlx::query_as("SELECT email FROM crm_users WHERE organization_id = ? AND id = ?")
                    .bind(organization.as_str())
                    .bind(&u.id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if old.as_ref().map(|o| &o.0) != Some(&u.email) {
                changed = true;
            }
            sqlx::query(
                "INSERT INTO crm_users (organization_id, id, email, seen) VALUES (?, ?, ?, ?) \
                 ON CONFLICT (organization_id, id) DO UPDATE SET email = excluded.email, seen = excluded.seen",
            )
            .bind(organization.as_str())
            .bind(&u.id)
            .bind(&u.email)
            .bind(seen)
            .execute(&mut *tx)
            .await?;
        }
        changed |= delete_ids(&mut tx, "crm_users", organization, deleted).await? > 0;
        if changed {
            sqlx::query("UPDATE sync_state SET rules_fingerprint = '' WHERE organization_id = ?")
                .bind(organization.as_str())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// Writes one page of `accounts`; with `track` (an incremental read) marks
    /// the accounts pending for the rules.
    pub async fn mirror_accounts(
        &self,
        organization: &OrganizationId,
        seen: &str,
        rows: &[Account],
        deleted: &[String],
        track: bool,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        for a in rows {
            sqlx::query(
                "INSERT INTO crm_accounts (organization_id, id, name, seen) VALUES (?, ?, ?, ?) \
                 ON CONFLICT (organization_id, id) DO UPDATE SET name = excluded.name, seen = excluded.seen",
            )
            .bind(organization.as_str())
            .bind(&a.id)
            .bind(&a.name)
            .bind(seen)
            .execute(&mut *tx)
            .await?;
        }
        delete_ids(&mut tx, "crm_accounts", organization, deleted).await?;
        if track {
            let ids: Vec<&str> = rows
                .iter()
                .map(|a| a.id.as_str())
                .chain(deleted.iter().map(String::as_str))
                .collect();
            mark_pending(&mut tx, organization, "account", &ids).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Writes one page of `contacts`; with `track` marks the contacts pending
    /// (a contact's leads depend only on its own row and its account's name).
    pub async fn mirror_contacts(
        &self,
        organization: &OrganizationId,
        seen: &str,
        rows: &[Contact],
        deleted: &[String],
        track: bool,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        for c in rows {
            sqlx::query(
                "INSERT INTO crm_contacts (organization_id, id, first_name, last_name, email, account_id, seen) \
                 VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (organization_id, id) DO UPDATE SET \
                 first_name = excluded.first_name, last_name = excluded.last_name, \
                 email = excluded.email, account_id = excluded.account_id, seen = excluded.seen",
            )
            .bind(organization.as_str())
            .bind(&c.id)
            .bind(&c.first_name)
            .bind(&c.last_name)
            .bind(&c.email)
            .bind(&c.account_id)
            .bind(seen)
            .execute(&mut *tx)
            .await?;
        }
        delete_ids(&mut tx, "crm_contacts", organization, deleted).await?;
        if track {
            let ids: Vec<&str> = rows
                .iter()
                .map(|c| c.id.as_str())
                .chain(deleted.iter().map(String::as_str))
                .collect();
            mark_pending(&mut tx, organization, "contact", &ids).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Writes one page of `opportunities`; with `track` marks pending the
    /// accounts and contacts each changed or deleted opportunity pointed at
    /// before and points at now.
    pub async fn mirror_opportunities(
        &self,
        organization: &OrganizationId,
        seen: &str,
        rows: &[Opportunity],
        deleted: &[String],
        track: bool,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        if track && !(rows.is_empty() && deleted.is_empty()) {
            let ids: Vec<&str> = rows
                .iter()
                .map(|o| o.id.as_str())
                .chain(deleted.iter().map(String::as_str))
                .collect();
            let ids = serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into());
            // What they pointed at before this page (looked up by key).
            for (kind, column) in [("account", "account_id"), ("contact", "contact_id")] {
                sqlx::query(&format!(
                    "INSERT OR IGNORE INTO sync_pending (organization_id, kind, id) \
                     SELECT o.organization_id, '{kind}', o.{column} FROM json_each(?2) j \
                     CROSS JOIN crm_opportunities o ON o.organization_id = ?1 AND o.id = j.value \
                     WHERE o.{column} IS NOT NULL"
                ))
                .bind(organization.as_str())
                .bind(&ids)
                .execute(&mut *tx)
                .await?;
            }
            let accounts: Vec<&str> = rows
                .iter()
                .filter_map(|o| o.account_id.as_deref())
                .collect();
            mark_pending(&mut tx, organization, "account", &accounts).await?;
            let contacts: Vec<&str> = rows
                .iter()
                .filter_map(|o| o.contact_id.as_deref())
                .collect();
            mark_pending(&mut tx, organization, "contact", &contacts).await?;
        }
        for o in rows {
            sqlx::query(
                "INSERT INTO crm_opportunities (organization_id, id, state, stage, owner_id, \
                 account_id, contact_id, won_value, seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) \
                 ON CONFLICT (organization_id, id) DO UPDATE SET state = excluded.state, \
                 stage = excluded.stage, owner_id = excluded.owner_id, account_id = excluded.account_id, \
                 contact_id = excluded.contact_id, won_value = excluded.won_value, seen = excluded.seen",
            )
            .bind(organization.as_str())
            .bind(&o.id)
            .bind(o.state)
            .bind(o.stage)
            .bind(&o.owner_id)
            .bind(&o.account_id)
            .bind(&o.contact_id)
            .bind(o.won_value)
            .bind(seen)
            .execute(&mut *tx)
            .await?;
        }
        delete_ids(&mut tx, "crm_opportunities", organization, deleted).await?;
        tx.commit().await?;
        Ok(())
    }

    /// How many accounts and contacts wait for the rules (tests, diagnostics).
    pub async fn sync_pending_count(
        &self,
        organization: &OrganizationId,
    ) -> Result<u64, StoreError> {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM sync_pending WHERE organization_id = ?")
                .bind(organization.as_str())
                .fetch_one(&self.pool)
                .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// After a full read of `table` in run `seen`: deletes the mirrored rows it
    /// did not see (deleted in the CRM meanwhile).
    pub async fn sweep_mirror(
        &self,
        organization: &OrganizationId,
        table: &str,
        seen: &str,
    ) -> Result<u64, StoreError> {
        let table = mirror_table(table)?;
        let done = sqlx::query(&format!(
            "DELETE FROM {table} WHERE organization_id = ? AND seen <> ?"
        ))
        .bind(organization.as_str())
        .bind(seen)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    /// The rules' inputs for these CRM owners (few: one per seat holder).
    pub async fn rule_rows(
        &self,
        organization: &OrganizationId,
        owners: &[String],
    ) -> Result<RuleRows, StoreError> {
        let org = organization.as_str();
        let open = |qb: &mut QueryBuilder<'_, Sqlite>, column: &str| {
            qb.push(OWNED_OPEN.replace("{col}", column));
            qb.push_bind(org.to_owned());
            qb.push(" AND state = 0 AND owner_id IN ");
        };
        let mut qb = QueryBuilder::new(
            "SELECT id, state, stage, owner_id, account_id, contact_id, won_value \
             FROM crm_opportunities WHERE organization_id = ",
        );
        qb.push_bind(org);
        qb.push(" AND ((state = 0 AND owner_id IN ");
        in_list(&mut qb, owners);
        qb.push(") OR (state = 1 AND account_id IN (");
        open(&mut qb, "account_id");
        in_list(&mut qb, owners);
        qb.push(")))");
        type OppRow = (
            String,
            i64,
            Option<i64>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<f64>,
        );
        let opportunities: Vec<OppRow> = qb.build_query_as().fetch_all(&self.pool).await?;
        let mut qb =
            QueryBuilder::new("SELECT id, name FROM crm_accounts WHERE organization_id = ");
        qb.push_bind(org);
        qb.push(" AND id IN (");
        open(&mut qb, "account_id");
        in_list(&mut qb, owners);
        qb.push(")");
        let accounts: Vec<(String, String)> = qb.build_query_as().fetch_all(&self.pool).await?;
        let mut qb = QueryBuilder::new(
            "SELECT id, first_name, last_name, email, account_id FROM crm_contacts WHERE organization_id = ",
        );
        qb.push_bind(org);
        qb.push(" AND (id IN (");
        open(&mut qb, "contact_id");
        in_list(&mut qb, owners);
        qb.push(") OR account_id IN (");
        open(&mut qb, "account_id");
        in_list(&mut qb, owners);
        qb.push("))");
        type ContactRow = (String, String, String, Option<String>, Option<String>);
        let contacts: Vec<ContactRow> = qb.build_query_as().fetch_all(&self.pool).await?;
        // Contacts of other accounts (an opportunity's contact) need their company name.
        let mut accounts: Vec<Account> = accounts
            .into_iter()
            .map(|(id, name)| Account { id, name })
            .collect();
        let known: HashSet<String> = accounts.iter().map(|a| a.id.clone()).collect();
        let extra: Vec<String> = contacts
            .iter()
            .filter_map(|c| c.4.clone())
            .filter(|a| !known.contains(a))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        for chunk in extra.chunks(500) {
            let mut qb =
                QueryBuilder::new("SELECT id, name FROM crm_accounts WHERE organization_id = ");
            qb.push_bind(org);
            qb.push(" AND id IN ");
            in_list(&mut qb, chunk);
            let rows: Vec<(String, String)> = qb.build_query_as().fetch_all(&self.pool).await?;
            accounts.extend(rows.into_iter().map(|(id, name)| Account { id, name }));
        }
        Ok(RuleRows {
            opportunities: opportunities
                .into_iter()
                .map(|r| Opportunity {
                    id: r.0,
                    state: r.1,
                    stage: r.2,
                    owner_id: r.3,
                    account_id: r.4,
                    contact_id: r.5,
                    won_value: r.6,
                })
                .collect(),
            accounts,
            contacts: contacts
                .into_iter()
                .map(|r| Contact {
                    id: r.0,
                    first_name: r.1,
                    last_name: r.2,
                    email: r.3,
                    account_id: r.4,
                })
                .collect(),
        })
    }

    /// Applies the rules (S1–S4) to the mirror in one write transaction, with
    /// SQL set operations, and makes the CRM-brought saved rows of the
    /// organization's seat holders equal what the rules give: inserts and
    /// updates what they give, and deletes what they no longer give — or, when
    /// the seat holder saved it by hand too, keeps it as hand-saved.
    ///
    /// With [`RuleScope::full`] every saved row is recomputed; otherwise only
    /// those the pending accounts and contacts can change: the saved accounts
    /// of a pending account, and the saved leads of a pending contact or of a
    /// contact of a pending account — for every seat holder. Both give the
    /// same rows ([`crate::sync::rules::evaluate`] is the specification).
    /// Clears the pending marks and stores `fingerprint` in the same
    /// transaction. Returns the saved rows added, changed or removed.
    pub async fn apply_rules(
        &self,
        organization: &OrganizationId,
        scope: &RuleScope<'_>,
    ) -> Result<u64, StoreError> {
        let org = organization.as_str();
        let mut tx = self.write_tx().await?;
        for sql in [
            "CREATE TEMP TABLE IF NOT EXISTS sync_owner (owner_id TEXT NOT NULL, \
             person_id TEXT NOT NULL, PRIMARY KEY (owner_id, person_id)) WITHOUT ROWID",
            "CREATE TEMP TABLE IF NOT EXISTS sync_scope_accounts (id TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID",
            "CREATE TEMP TABLE IF NOT EXISTS sync_scope_contacts (id TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID",
            "CREATE TEMP TABLE IF NOT EXISTS sync_want_accounts (person_id TEXT NOT NULL, \
             crm_id TEXT NOT NULL, name TEXT NOT NULL, won_value REAL, \
             PRIMARY KEY (person_id, crm_id)) WITHOUT ROWID",
            "CREATE TEMP TABLE IF NOT EXISTS sync_want_leads (person_id TEXT NOT NULL, \
             crm_id TEXT NOT NULL, first_name TEXT NOT NULL, last_name TEXT NOT NULL, \
             email TEXT, company TEXT, PRIMARY KEY (person_id, crm_id)) WITHOUT ROWID",
        ] {
            sqlx::query(sql).execute(&mut *tx).await?;
        }
        clear_rule_temps(&mut tx).await?;
        let owners: Vec<(&str, &str)> = scope
            .owners
            .iter()
            .map(|(owner, person)| (owner.as_str(), person.as_str()))
            .collect();
        sqlx::query(
            "INSERT OR IGNORE INTO temp.sync_owner (owner_id, person_id) \
             SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?)",
        )
        .bind(serde_json::to_string(&owners).unwrap_or_else(|_| "[]".into()))
        .execute(&mut *tx)
        .await?;
        if !scope.full {
            for sql in [
                "INSERT OR IGNORE INTO temp.sync_scope_accounts (id) \
                 SELECT id FROM sync_pending WHERE organization_id = ?1 AND kind = 'account'",
                "INSERT OR IGNORE INTO temp.sync_scope_contacts (id) \
                 SELECT id FROM sync_pending WHERE organization_id = ?1 AND kind = 'contact'",
                "INSERT OR IGNORE INTO temp.sync_scope_contacts (id) \
                 SELECT c.id FROM temp.sync_scope_accounts s CROSS JOIN crm_contacts c \
                 ON c.organization_id = ?1 AND c.account_id = s.id",
            ] {
                sqlx::query(sql).bind(org).execute(&mut *tx).await?;
            }
        }
        // What the rules give. Open opportunities (statecode 0) at or past the
        // stage (every open one for "Not Sure"), owned by a matched CRM user.
        let (opportunities_of_accounts, contacts) = if scope.full {
            ("crm_opportunities o", "crm_contacts c")
        } else {
            (
                "temp.sync_scope_accounts s CROSS JOIN crm_opportunities o \
                 ON o.organization_id = ?1 AND o.account_id = s.id",
                "temp.sync_scope_contacts s CROSS JOIN crm_contacts c \
                 ON c.organization_id = ?1 AND c.id = s.id",
            )
        };
        const PIPELINE: &str = "o.state = 0 AND (?2 IS NULL OR o.stage >= ?2)";
        sqlx::query(&format!(
            "INSERT OR IGNORE INTO temp.sync_want_accounts (person_id, crm_id, name, won_value) \
             SELECT m.person_id, a.id, a.name, CASE WHEN ?3 THEN \
               (SELECT TOTAL(w.won_value) FROM crm_opportunities w \
                WHERE w.organization_id = ?1 AND w.account_id = a.id AND w.state = 1) END \
             FROM {opportunities_of_accounts} \
             CROSS JOIN temp.sync_owner m ON m.owner_id = o.owner_id \
             CROSS JOIN crm_accounts a ON a.organization_id = o.organization_id AND a.id = o.account_id \
             WHERE o.organization_id = ?1 AND {PIPELINE}"
        ))
        .bind(org)
        .bind(scope.pipeline_stage)
        .bind(scope.won_value)
        .execute(&mut *tx)
        .await?;
        // A lead: the opportunity's own contact, and every contact of its account.
        for join in ["o.contact_id = c.id", "o.account_id = c.account_id"] {
            sqlx::query(&format!(
                "INSERT OR IGNORE INTO temp.sync_want_leads \
                 (person_id, crm_id, first_name, last_name, email, company) \
                 SELECT m.person_id, c.id, c.first_name, c.last_name, c.email, \
                   (SELECT a.name FROM crm_accounts a WHERE a.organization_id = ?1 AND a.id = c.account_id) \
                 FROM {contacts} \
                 CROSS JOIN crm_opportunities o ON o.organization_id = c.organization_id AND {join} \
                 CROSS JOIN temp.sync_owner m ON m.owner_id = o.owner_id \
                 WHERE c.organization_id = ?1 AND {PIPELINE}"
            ))
            .bind(org)
            .bind(scope.pipeline_stage)
            .execute(&mut *tx)
            .await?;
        }
        let base = scope.environment_url.trim_end_matches('/');
        let now = now_unix();
        let mut changed = 0u64;
        changed += sqlx::query(&format!(
            "INSERT INTO saved_accounts (id, organization_id, person_id, name, crm_id, crm_url, \
             source, created_at, won_value) \
             SELECT {NEW_ID}, ?1, w.person_id, w.name, w.crm_id, \
               ?2 || w.crm_id || '&pagetype=entityrecord', 'crm', ?3, w.won_value \
             FROM temp.sync_want_accounts w WHERE true \
             ON CONFLICT (organization_id, person_id, crm_id) WHERE crm_id IS NOT NULL DO UPDATE SET \
             name = excluded.name, crm_url = excluded.crm_url, won_value = excluded.won_value, \
             saved_by_hand = (saved_accounts.saved_by_hand OR saved_accounts.source = 'manual'), \
             source = 'crm' \
             WHERE saved_accounts.name IS NOT excluded.name OR saved_accounts.crm_url IS NOT excluded.crm_url \
             OR saved_accounts.won_value IS NOT excluded.won_value OR saved_accounts.source <> 'crm'"
        ))
        .bind(org)
        .bind(format!("{base}/main.aspx?etn=account&id="))
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        changed += sqlx::query(&format!(
            "INSERT INTO saved_leads (id, organization_id, person_id, first_name, last_name, email, \
             company, crm_id, crm_url, source, created_at) \
             SELECT {NEW_ID}, ?1, w.person_id, w.first_name, w.last_name, w.email, w.company, \
               w.crm_id, ?2 || w.crm_id || '&pagetype=entityrecord', 'crm', ?3 \
             FROM temp.sync_want_leads w WHERE true \
             ON CONFLICT (organization_id, person_id, crm_id) WHERE crm_id IS NOT NULL DO UPDATE SET \
             first_name = excluded.first_name, last_name = excluded.last_name, email = excluded.email, \
             company = excluded.company, crm_url = excluded.crm_url, \
             saved_by_hand = (saved_leads.saved_by_hand OR saved_leads.source = 'manual'), \
             source = 'crm' \
             WHERE saved_leads.first_name IS NOT excluded.first_name \
             OR saved_leads.last_name IS NOT excluded.last_name OR saved_leads.email IS NOT excluded.email \
             OR saved_leads.company IS NOT excluded.company OR saved_leads.crm_url IS NOT excluded.crm_url \
             OR saved_leads.source <> 'crm'"
        ))
        .bind(org)
        .bind(format!("{base}/main.aspx?etn=contact&id="))
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        // What the rules no longer give, of the seat holders, in scope (driven
        // by the scope, so an incremental pass never reads every saved row).
        for (table, want, scope_table) in [
            (
                "saved_accounts",
                "sync_want_accounts",
                "sync_scope_accounts",
            ),
            ("saved_leads", "sync_want_leads", "sync_scope_contacts"),
        ] {
            let rows = if scope.full {
                format!("{table} t WHERE t.organization_id = ?1 AND t.crm_id IS NOT NULL AND")
            } else {
                format!(
                    "temp.{scope_table} s CROSS JOIN {table} t \
                     ON t.organization_id = ?1 AND t.crm_id = s.id WHERE"
                )
            };
            // `+t.person_id`: look rows up by CRM id, not by person.
            let stale = format!(
                "SELECT t.id FROM {rows} t.source = 'crm' \
                 AND +t.person_id IN (SELECT id FROM people WHERE organization_id = ?1 AND is_team_member) \
                 AND NOT EXISTS (SELECT 1 FROM temp.{want} w \
                   WHERE w.person_id = t.person_id AND w.crm_id = t.crm_id)"
            );
            changed += sqlx::query(&format!(
                "UPDATE {table} SET source = 'manual', saved_by_hand = 1 \
                 WHERE id IN ({stale} AND t.saved_by_hand)"
            ))
            .bind(org)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            changed += sqlx::query(&format!(
                "DELETE FROM {table} WHERE id IN ({stale} AND NOT t.saved_by_hand)"
            ))
            .bind(org)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        sqlx::query("DELETE FROM sync_pending WHERE organization_id = ?")
            .bind(org)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sync_state (organization_id, rules_fingerprint) VALUES (?, ?) \
             ON CONFLICT (organization_id) DO UPDATE SET rules_fingerprint = excluded.rules_fingerprint",
        )
        .bind(org)
        .bind(scope.fingerprint)
        .execute(&mut *tx)
        .await?;
        clear_rule_temps(&mut tx).await?;
        tx.commit().await?;
        Ok(changed)
    }

    /// A page of a person's saved accounts by name; `q` searches the name.
    pub async fn list_saved_accounts(
        &self,
        organization: &OrganizationId,
        person: &PersonId,
        q: Option<&str>,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<SavedAccount>, u64), StoreError> {
        let pattern = like_pattern(q);
        let (total,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM saved_accounts WHERE organization_id = ?1 AND person_id = ?2 \
             AND (?3 IS NULL OR name LIKE ?3 ESCAPE '\\')",
        )
        .bind(organization.as_str())
        .bind(person.as_str())
        .bind(&pattern)
        .fetch_one(&self.pool)
        .await?;
        type Row = (
            String,
            String,
            Option<String>,
            Option<String>,
            String,
            bool,
            Option<f64>,
        );
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, name, crm_id, crm_url, source, saved_by_hand, won_value FROM saved_accounts \
             WHERE organization_id = ?1 AND person_id = ?2 AND (?3 IS NULL OR name LIKE ?3 ESCAPE '\\') \
             ORDER BY name COLLATE NOCASE, id LIMIT ?4 OFFSET ?5",
        )
        .bind(organization.as_str())
        .bind(person.as_str())
        .bind(&pattern)
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        let items = rows
            .into_iter()
            .map(|r| {
                let source = source_of(&r.4);
                SavedAccount {
                    id: r.0,
                    name: r.1,
                    in_crm: r.2.is_some(),
                    crm_url: r.3,
                    saved_by_hand: r.5 || source == SavedSource::Manual,
                    source,
                    won_value: r.6,
                }
            })
            .collect();
        Ok((items, u64::try_from(total).unwrap_or(0)))
    }

    /// A page of a person's saved leads by last then first name; `q` searches
    /// names, email and company.
    pub async fn list_saved_leads(
        &self,
        organization: &OrganizationId,
        person: &PersonId,
        q: Option<&str>,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<SavedLead>, u64), StoreError> {
        let pattern = like_pattern(q);
        const MATCH: &str = "(?3 IS NULL OR first_name LIKE ?3 ESCAPE '\\' OR last_name LIKE ?3 ESCAPE '\\' \
             OR (first_name || ' ' || last_name) LIKE ?3 ESCAPE '\\' \
             OR email LIKE ?3 ESCAPE '\\' OR company LIKE ?3 ESCAPE '\\')";
        let (total,): (i64,) = sqlx::query_as(&format!(
            "SELECT COUNT(*) FROM saved_leads WHERE organization_id = ?1 AND person_id = ?2 AND {MATCH}"
        ))
        .bind(organization.as_str())
        .bind(person.as_str())
        .bind(&pattern)
        .fetch_one(&self.pool)
        .await?;
        type Row = (
            String,
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            String,
            bool,
        );
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT id, first_name, last_name, email, company, crm_id, crm_url, source, saved_by_hand \
             FROM saved_leads WHERE organization_id = ?1 AND person_id = ?2 AND {MATCH} \
             ORDER BY last_name COLLATE NOCASE, first_name COLLATE NOCASE, id LIMIT ?4 OFFSET ?5"
        ))
        .bind(organization.as_str())
        .bind(person.as_str())
        .bind(&pattern)
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        let items = rows
            .into_iter()
            .map(|r| {
                let source = source_of(&r.7);
                SavedLead {
                    id: r.0,
                    first_name: r.1,
                    last_name: r.2,
                    email: r.3,
                    company: r.4,
                    in_crm: r.5.is_some(),
                    crm_url: r.6,
                    saved_by_hand: r.8 || source == SavedSource::Manual,
                    source,
                }
            })
            .collect();
        Ok((items, u64::try_from(total).unwrap_or(0)))
    }

    /// Saves an account by hand; when the person already has the CRM id (from
    /// sync), marks that row saved by hand instead. Returns the row's id.
    pub async fn save_account_by_hand(
        &self,
        organization: &OrganizationId,
        person: &PersonId,
        name: &str,
        crm_id: Option<&str>,
        crm_url: Option<&str>,
    ) -> Result<String, StoreError> {
        let mut tx = self.write_tx().await?;
        if let Some(crm_id) = crm_id {
            let existing: Option<(String,)> = sqlx::query_as(
                "UPDATE saved_accounts SET saved_by_hand = 1 WHERE organization_id = ? \
                 AND person_id = ? AND crm_id = ? RETURNING id",
            )
            .bind(organization.as_str())
            .bind(person.as_str())
            .bind(crm_id)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some((id,)) = existing {
                tx.commit().await?;
                return Ok(id);
            }
        }
        let id = uuid::Uuid::new_v4().to_string();
        sqlx::query(
            "INSERT INTO saved_accounts (id, organization_id, person_id, name, crm_id, crm_url, \
             source, saved_by_hand, created_at) VALUES (?, ?, ?, ?, ?, ?, 'manual', 1, ?)",
        )
        .bind(&id)
        .bind(organization.as_str())
        .bind(person.as_str())
        .bind(name)
        .bind(crm_id)
        .bind(crm_url)
        .bind(now_unix())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Saves a lead by hand (see [`Store::save_account_by_hand`]).
    #[allow(clippy::too_many_arguments)]
    pub async fn save_lead_by_hand(
        &self,
        organization: &OrganizationId,
        person: &PersonId,
        first_name: &str,
        last_name: &str,
        email: Option<&str>,
        company: Option<&str>,
        crm_id: Option<&str>,
        crm_url: Option<&str>,
    ) -> Result<String, StoreError> {
        let mut tx = self.write_tx().await?;
        if let Some(crm_id) = crm_id {
            let existing: Option<(String,)> = sqlx::query_as(
                "UPDATE saved_leads SET saved_by_hand = 1 WHERE organization_id = ? \
                 AND person_id = ? AND crm_id = ? RETURNING id",
            )
            .bind(organization.as_str())
            .bind(person.as_str())
            .bind(crm_id)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some((id,)) = existing {
                tx.commit().await?;
                return Ok(id);
            }
        }
        let id = uuid::Uuid::new_v4().to_string();
        sqlx::query(
            "INSERT INTO saved_leads (id, organization_id, person_id, first_name, last_name, email, \
             company, crm_id, crm_url, source, saved_by_hand, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'manual', 1, ?)",
        )
        .bind(&id)
        .bind(organization.as_str())
        .bind(person.as_str())
        .bind(first_name)
        .bind(last_name)
        .bind(email)
        .bind(company)
        .bind(crm_id)
        .bind(crm_url)
        .bind(now_unix())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Removes a person's hand-saved account or lead (`table` is
    /// `saved_accounts` or `saved_leads`). A row CRM sync brings too only loses
    /// its hand-saved mark; one only sync brought is refused.
    pub async fn delete_saved(
        &self,
        organization: &OrganizationId,
        person: &PersonId,
        leads: bool,
        id: &str,
    ) -> Result<DeleteSaved, StoreError> {
        let table = if leads {
            "saved_leads"
        } else {
            "saved_accounts"
        };
        let mut tx = self.write_tx().await?;
        let row: Option<(String, bool)> = sqlx::query_as(&format!(
            "SELECT source, saved_by_hand FROM {table} WHERE organization_id = ? AND person_id = ? AND id = ?"
        ))
        .bind(organization.as_str())
        .bind(person.as_str())
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let outcome = match row {
            None => DeleteSaved::NotFound,
            Some((source, _)) if source == "manual" => {
                sqlx::query(&format!("DELETE FROM {table} WHERE id = ?"))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                DeleteSaved::Deleted
            }
            Some((_, true)) => {
                sqlx::query(&format!(
                    "UPDATE {table} SET saved_by_hand = 0 WHERE id = ?"
                ))
                .bind(id)
                .execute(&mut *tx)
                .await?;
                DeleteSaved::Deleted
            }
            Some(_) => DeleteSaved::FromCrm,
        };
        tx.commit().await?;
        Ok(outcome)
    }
}

/// Disconnect clean-up of sync data, inside the disconnect's transaction: the
/// mirror, delta links, sync state and lease always (they belong to the
/// connection); with `saved`, also every saved row only the CRM brought, and
/// the CRM links of hand-saved rows.
pub(super) async fn clean_up_sync(
    tx: &mut Transaction<'static, Sqlite>,
    organization: &OrganizationId,
    saved: bool,
) -> Result<(), StoreError> {
    let mut statements = vec![
        "DELETE FROM crm_users WHERE organization_id = ?",
        "DELETE FROM crm_accounts WHERE organization_id = ?",
        "DELETE FROM crm_contacts WHERE organization_id = ?",
        "DELETE FROM crm_opportunities WHERE organization_id = ?",
        "DELETE FROM sync_tables WHERE organization_id = ?",
        "DELETE FROM sync_state WHERE organization_id = ?",
        "DELETE FROM sync_pending WHERE organization_id = ?",
    ];
    if saved {
        statements.extend([
            "UPDATE saved_accounts SET source = 'manual', saved_by_hand = 1, crm_id = NULL, \
             crm_url = NULL, won_value = NULL WHERE organization_id = ? \
             AND (source = 'manual' OR saved_by_hand = 1)",
            "UPDATE saved_leads SET source = 'manual', saved_by_hand = 1, crm_id = NULL, \
             crm_url = NULL WHERE organization_id = ? AND (source = 'manual' OR saved_by_hand = 1)",
        ]);
    }
    for sql in statements {
        sqlx::query(sql)
            .bind(organization.as_str())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

async fn delete_ids(
    tx: &mut Transaction<'static, Sqlite>,
    table: &str,
    organization: &OrganizationId,
    ids: &[String],
) -> Result<u64, StoreError> {
    let mut deleted = 0;
    for chunk in ids.chunks(500) {
        let mut qb = QueryBuilder::new(format!("DELETE FROM {table} WHERE organization_id = "));
        qb.push_bind(organization.as_str());
        qb.push(" AND id IN ");
        in_list(&mut qb, chunk);
        deleted += qb.build().execute(&mut **tx).await?.rows_affected();
    }
    Ok(deleted)
}

fn mirror_table(table: &str) -> Result<&'static str, StoreError> {
    Ok(match table {
        "systemusers" => "crm_users",
        "accounts" => "crm_accounts",
        "contacts" => "crm_contacts",
        "opportunities" => "crm_opportunities",
        _ => {
            return Err(StoreError::Database(sqlx::Error::Protocol(format!(
                "no mirror for {table}"
            ))));
        }
    })
}

fn source_of(source: &str) -> SavedSource {
    if source == "crm" {
        SavedSource::Crm
    } else {
        SavedSource::Manual
    }
}

pub(super) fn like_pattern(q: Option<&str>) -> Option<String> {
    let q = q.map(str::trim).filter(|q| !q.is_empty())?;
    let escaped: String = q
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            _ => vec![c],
        })
        .collect();
    Some(format!("%{escaped}%"))
}
