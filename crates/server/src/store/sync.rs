//! CRM sync storage: the lease (one run per organization across processes),
//! delta links, run history and progress, the mirror of CRM rows, and the
//! saved accounts and leads (sync's writes and the seat holder's lists, hand
//! saves and deletions).

use std::collections::HashSet;

use navsync_api::sync::{SavedAccount, SavedLead, SavedSource};
use navsync_api::{OrganizationId, PersonId};
use sqlx::{QueryBuilder, Sqlite, Transaction};

use super::{Store, StoreError, now_unix};
use crate::sync::rules::{Account, Contact, CrmUser, Desired, Opportunity, SeatHolder};

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

/// What changed in the mirror that can change what the rules give.
#[derive(Clone, Debug, Default)]
pub struct Affected {
    /// CRM owners whose open opportunities changed (before and after).
    pub owners: HashSet<String>,
    /// Accounts whose name, contacts or won opportunities changed.
    pub accounts: HashSet<String>,
    /// Contacts that changed.
    pub contacts: HashSet<String>,
    /// A CRM user changed (emails decide the matching): recompute everyone.
    pub users: bool,
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

    /// Writes one page of `systemusers` (upserts, then deletions).
    pub async fn mirror_users(
        &self,
        organization: &OrganizationId,
        seen: &str,
        rows: &[CrmUser],
        deleted: &[String],
        affected: &mut Affected,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        for u in rows {
            let old: Option<(Option<String>,)> =
                sqlx::query_as("SELECT email FROM crm_users WHERE organization_id = ? AND id = ?")
                    .bind(organization.as_str())
                    .bind(&u.id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if old.as_ref().map(|o| &o.0) != Some(&u.email) {
                affected.users = true;
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
        affected.users |= delete_ids(&mut tx, "crm_users", organization, deleted).await? > 0;
        tx.commit().await?;
        Ok(())
    }

    /// Writes one page of `accounts`.
    pub async fn mirror_accounts(
        &self,
        organization: &OrganizationId,
        seen: &str,
        rows: &[Account],
        deleted: &[String],
        affected: &mut Affected,
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
            affected.accounts.insert(a.id.clone());
        }
        delete_ids(&mut tx, "crm_accounts", organization, deleted).await?;
        affected.accounts.extend(deleted.iter().cloned());
        tx.commit().await?;
        Ok(())
    }

    /// Writes one page of `contacts`.
    pub async fn mirror_contacts(
        &self,
        organization: &OrganizationId,
        seen: &str,
        rows: &[Contact],
        deleted: &[String],
        affected: &mut Affected,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        for c in rows.iter() {
            let old: Option<(Option<String>,)> = sqlx::query_as(
                "SELECT account_id FROM crm_contacts WHERE organization_id = ? AND id = ?",
            )
            .bind(organization.as_str())
            .bind(&c.id)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some((Some(old),)) = old {
                affected.accounts.insert(old);
            }
            if let Some(account) = &c.account_id {
                affected.accounts.insert(account.clone());
            }
            affected.contacts.insert(c.id.clone());
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
        for id in deleted {
            let old: Option<(Option<String>,)> = sqlx::query_as(
                "SELECT account_id FROM crm_contacts WHERE organization_id = ? AND id = ?",
            )
            .bind(organization.as_str())
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some((Some(old),)) = old {
                affected.accounts.insert(old);
            }
            affected.contacts.insert(id.clone());
        }
        delete_ids(&mut tx, "crm_contacts", organization, deleted).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Writes one page of `opportunities`.
    pub async fn mirror_opportunities(
        &self,
        organization: &OrganizationId,
        seen: &str,
        rows: &[Opportunity],
        deleted: &[String],
        affected: &mut Affected,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let ids = rows
            .iter()
            .map(|o| o.id.clone())
            .chain(deleted.iter().cloned());
        for id in ids {
            let old: Option<(Option<String>, Option<String>)> = sqlx::query_as(
                "SELECT owner_id, account_id FROM crm_opportunities WHERE organization_id = ? AND id = ?",
            )
            .bind(organization.as_str())
            .bind(&id)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some((owner, account)) = old {
                affected.owners.extend(owner);
                affected.accounts.extend(account);
            }
        }
        for o in rows {
            affected.owners.extend(o.owner_id.clone());
            affected.accounts.extend(o.account_id.clone());
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

    /// CRM owners of open opportunities on these accounts or with these contacts.
    pub async fn owners_of(
        &self,
        organization: &OrganizationId,
        accounts: &[String],
        contacts: &[String],
    ) -> Result<HashSet<String>, StoreError> {
        let mut owners = HashSet::new();
        for chunk in accounts.chunks(500) {
            let mut qb = QueryBuilder::new(
                "SELECT DISTINCT owner_id FROM crm_opportunities WHERE state = 0 AND organization_id = ",
            );
            qb.push_bind(organization.as_str());
            qb.push(" AND account_id IN ");
            in_list(&mut qb, chunk);
            let rows: Vec<(Option<String>,)> = qb.build_query_as().fetch_all(&self.pool).await?;
            owners.extend(rows.into_iter().filter_map(|r| r.0));
        }
        for chunk in contacts.chunks(500) {
            let mut qb = QueryBuilder::new(
                "SELECT DISTINCT owner_id FROM crm_opportunities WHERE state = 0 AND organization_id = ",
            );
            qb.push_bind(organization.as_str());
            qb.push(" AND contact_id IN ");
            in_list(&mut qb, chunk);
            let rows: Vec<(Option<String>,)> = qb.build_query_as().fetch_all(&self.pool).await?;
            owners.extend(rows.into_iter().filter_map(|r| r.0));
        }
        Ok(owners)
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

    /// Makes the CRM-brought saved rows of `persons` equal `desired`: inserts
    /// and updates what it lists, and for rows it no longer lists deletes them,
    /// or — when saved by hand too — keeps them as hand-saved. Returns the rows
    /// added, changed or removed.
    pub async fn apply_desired(
        &self,
        organization: &OrganizationId,
        persons: &[PersonId],
        desired: &Desired,
    ) -> Result<u64, StoreError> {
        let org = organization.as_str();
        let mut changed = 0u64;
        let mut tx = self.write_tx().await?;
        let wanted_accounts: HashSet<(&str, &str)> = desired
            .accounts
            .iter()
            .map(|a| (a.person_id.as_str(), a.crm_id.as_str()))
            .collect();
        let wanted_leads: HashSet<(&str, &str)> = desired
            .leads
            .iter()
            .map(|l| (l.person_id.as_str(), l.crm_id.as_str()))
            .collect();
        let now = now_unix();
        for a in &desired.accounts {
            let done = sqlx::query(
                "INSERT INTO saved_accounts (id, organization_id, person_id, name, crm_id, crm_url, \
                 source, created_at, won_value) VALUES (?, ?, ?, ?, ?, ?, 'crm', ?, ?) \
                 ON CONFLICT (organization_id, person_id, crm_id) WHERE crm_id IS NOT NULL DO UPDATE SET \
                 name = excluded.name, crm_url = excluded.crm_url, won_value = excluded.won_value, \
                 saved_by_hand = (saved_accounts.saved_by_hand OR saved_accounts.source = 'manual'), \
                 source = 'crm' \
                 WHERE saved_accounts.name IS NOT excluded.name OR saved_accounts.crm_url IS NOT excluded.crm_url \
                 OR saved_accounts.won_value IS NOT excluded.won_value OR saved_accounts.source <> 'crm'",
            )
            .bind(uuid::Uuid::new_v4().to_string())
            .bind(org)
            .bind(a.person_id.as_str())
            .bind(&a.name)
            .bind(&a.crm_id)
            .bind(&a.crm_url)
            .bind(now)
            .bind(a.won_value)
            .execute(&mut *tx)
            .await?;
            changed += done.rows_affected();
        }
        for l in &desired.leads {
            let done = sqlx::query(
                "INSERT INTO saved_leads (id, organization_id, person_id, first_name, last_name, email, \
                 company, crm_id, crm_url, source, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'crm', ?) \
                 ON CONFLICT (organization_id, person_id, crm_id) WHERE crm_id IS NOT NULL DO UPDATE SET \
                 first_name = excluded.first_name, last_name = excluded.last_name, email = excluded.email, \
                 company = excluded.company, crm_url = excluded.crm_url, \
                 saved_by_hand = (saved_leads.saved_by_hand OR saved_leads.source = 'manual'), \
                 source = 'crm' \
                 WHERE saved_leads.first_name IS NOT excluded.first_name \
                 OR saved_leads.last_name IS NOT excluded.last_name OR saved_leads.email IS NOT excluded.email \
                 OR saved_leads.company IS NOT excluded.company OR saved_leads.crm_url IS NOT excluded.crm_url \
                 OR saved_leads.source <> 'crm'",
            )
            .bind(uuid::Uuid::new_v4().to_string())
            .bind(org)
            .bind(l.person_id.as_str())
            .bind(&l.first_name)
            .bind(&l.last_name)
            .bind(&l.email)
            .bind(&l.company)
            .bind(&l.crm_id)
            .bind(&l.crm_url)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            changed += done.rows_affected();
        }
        for person in persons {
            for (table, wanted) in [
                ("saved_accounts", &wanted_accounts),
                ("saved_leads", &wanted_leads),
            ] {
                let rows: Vec<(String, String, bool)> = sqlx::query_as(&format!(
                    "SELECT id, crm_id, saved_by_hand FROM {table} \
                     WHERE organization_id = ? AND person_id = ? AND source = 'crm' AND crm_id IS NOT NULL"
                ))
                .bind(org)
                .bind(person.as_str())
                .fetch_all(&mut *tx)
                .await?;
                for (id, crm_id, by_hand) in rows {
                    if wanted.contains(&(person.as_str(), crm_id.as_str())) {
                        continue;
                    }
                    let sql = if by_hand {
                        format!(
                            "UPDATE {table} SET source = 'manual', saved_by_hand = 1 WHERE id = ?"
                        )
                    } else {
                        format!("DELETE FROM {table} WHERE id = ?")
                    };
                    changed += sqlx::query(&sql)
                        .bind(&id)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                }
            }
        }
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
