//! CRM → Navsync sync (SPEC S4, S5): open opportunities at or past the
//! pipeline stage become saved accounts and leads of their owners' seat
//! holders, within a minute.
//!
//! - [`worker`] runs every `NAVSYNC_SYNC_INTERVAL_SECS` (30 s) for every
//!   connected organization; "Sync now" calls [`sync_now`].
//! - One run per organization at a time, across server processes: a lease row
//!   (`sync_leases`) taken with an atomic upsert and renewed every third of its
//!   TTL while the run lasts. A killed process's lease simply expires.
//! - Each run reads `systemusers`, `accounts`, `contacts` and `opportunities`
//!   with change tracking: the first read of a table is full, later ones follow
//!   the stored delta link; an expired delta token means a full read again.
//!   Rows go into a mirror; an incremental read also marks the accounts and
//!   contacts it touched pending (in the same transaction), and the rules
//!   pass — SQL set operations in one write transaction — recomputes only the
//!   saved rows those can change, so its cost follows the change, not the
//!   CRM's size. A full read, an abandoned run, or a change of the settings,
//!   seat holders or CRM users recomputes everything.
//! - Mirror writes and saved-row writes are idempotent upserts, and delta links
//!   are saved only after their table was read completely, so a run that fails
//!   or is killed is simply done again by the next one, without duplicates.
//! - A lasting failure (not [`CrmError::is_transient`]) sets the connection's
//!   problem; after three days of it sync pauses — only a `WhoAmI` probe per
//!   interval — and resumes when the probe passes or credentials are replaced.
//!   Sync never deletes saved data because the CRM failed.
//!
//! # Layout
//! - this file: the worker, a run, progress and history.
//! - [`rules`]: S1–S4 as a pure function.

pub mod rules;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat};
use navsync_api::OrganizationId;
use navsync_api::sync::{SyncProgress, SyncRun, SyncStatus};
use navsync_dataverse::{Client, CrmError};
use serde_json::Value;
use tokio::sync::watch;

use crate::AppState;
use crate::crm::convert::problem_of;
use crate::error::AppError;
use crate::store::{RuleScope, RunTotals, StoreError, StoredProblem};
use rules::{Account, Contact, CrmUser, Opportunity};

/// After this long with a lasting problem, sync pauses (SPEC: a 3-day buffer).
pub const PAUSE_AFTER_SECS: i64 = 3 * 24 * 3600;

/// The CRM tables a run reads, in order (users first: they decide matching).
pub const TABLES: [&str; 4] = ["systemusers", "accounts", "contacts", "opportunities"];

/// Why a run stopped.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The CRM failed.
    #[error(transparent)]
    Crm(#[from] CrmError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Anything else (e.g. the stored secret does not open).
    #[error("{0}")]
    Other(String),
}

/// How a call to [`run_organization`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A run finished.
    Synced,
    /// Another run (here or in another process) holds the lease.
    Busy,
    /// Sync is paused and the probe still fails.
    Paused,
    /// No connection.
    NotConnected,
    /// The run failed (recorded in the history).
    Failed,
}

/// The periodic worker; returns when `stop` turns true (or its sender is dropped).
pub async fn worker(state: AppState, mut stop: watch::Receiver<bool>) {
    let Some(interval) = state.config.sync_interval else {
        return;
    };
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticker.tick() => {
                let organizations = match state.store.crm_organizations().await {
                    Ok(organizations) => organizations,
                    Err(err) => {
                        tracing::warn!(error = %err, "sync: could not list organizations");
                        continue;
                    }
                };
                for organization in organizations {
                    tokio::select! {
                        _ = run_organization(&state, &organization) => {}
                        _ = stop.changed() => return,
                    }
                }
            }
            changed = stop.changed() => {
                if changed.is_err() || *stop.borrow() {
                    return;
                }
            }
        }
    }
}

/// "Sync now": asks for a run and starts one in the background. When a run
/// is in progress (here or in another process) the request waits for it:
/// exactly one more run starts after it ends, however often "Sync now" is
/// pressed meanwhile. Returns whether the request was queued so.
pub async fn sync_now(state: &AppState, organization: &OrganizationId) -> Result<bool, StoreError> {
    let queued = state.store.request_sync_run(organization).await?;
    let state = state.clone();
    let organization = organization.clone();
    tokio::spawn(async move {
        run_organization(&state, &organization).await;
    });
    Ok(queued)
}

/// Runs for one organization under its lease: one run, then another as long
/// as "Sync now" asked for one meanwhile.
pub async fn run_organization(state: &AppState, organization: &OrganizationId) -> Outcome {
    loop {
        let outcome = run_once(state, organization).await;
        if outcome == Outcome::Busy {
            // The lease's holder runs what was asked for after its run.
            return outcome;
        }
        match state.store.sync_queue(organization).await {
            Ok((true, _)) => continue,
            _ => return outcome,
        }
    }
}

/// One run under the lease (it takes any pending "Sync now" request).
async fn run_once(state: &AppState, organization: &OrganizationId) -> Outcome {
    let holder = uuid::Uuid::new_v4().to_string();
    let ttl = i64::try_from(state.config.sync_lease_ttl.as_secs().max(1)).unwrap_or(30);
    match state
        .store
        .acquire_sync_lease(organization, &holder, ttl)
        .await
    {
        Ok(true) => {}
        Ok(false) => return Outcome::Busy,
        Err(err) => {
            tracing::warn!(error = %err, "sync: could not take the lease");
            return Outcome::Busy;
        }
    }
    if let Err(err) = state.store.take_sync_request(organization).await {
        tracing::warn!(error = %err, "sync: could not take the run request");
    }
    let renewer = {
        let store = state.store.clone();
        let organization = organization.clone();
        let holder = holder.clone();
        let every = state.config.sync_lease_ttl / 3;
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(every.max(Duration::from_millis(200))).await;
                if !matches!(
                    store.renew_sync_lease(&organization, &holder, ttl).await,
                    Ok(true)
                ) {
                    tracing::warn!("sync: lease lost");
                    return;
                }
            }
        })
    };
    let outcome = guarded_run(state, organization).await;
    renewer.abort();
    if let Err(err) = state.store.release_sync_lease(organization, &holder).await {
        tracing::warn!(error = %err, "sync: could not release the lease");
    }
    outcome
}

async fn guarded_run(state: &AppState, organization: &OrganizationId) -> Outcome {
    let record = match state.store.find_crm_connection(organization).await {
        Ok(Some(record)) => record,
        Ok(None) => return Outcome::NotConnected,
        Err(err) => {
            tracing::warn!(error = %err, "sync: could not read the connection");
            return Outcome::Failed;
        }
    };
    let client = match crate::crm::client_for(state, organization).await {
        Ok(Some(client)) => Arc::new(client),
        Ok(None) => return Outcome::NotConnected,
        Err(err) => {
            tracing::error!(error = %err, "sync: no CRM client");
            return Outcome::Failed;
        }
    };
    let paused = state
        .store
        .sync_state(organization)
        .await
        .map(|s| s.1)
        .unwrap_or(false);
    if paused {
        // Credentials replaced (problem cleared) or the probe passes: resume.
        let fixed = record.problem.is_none() || client.who_am_i().await.is_ok();
        if !fixed {
            return Outcome::Paused;
        }
        let _ = state.store.set_sync_paused(organization, false).await;
        let _ = state.store.set_crm_problem(organization, None).await;
        tracing::info!(organization = %organization, "sync resumed");
    }
    let run = uuid::Uuid::new_v4().to_string();
    let abandoned = state
        .store
        .close_abandoned_runs(organization)
        .await
        .unwrap_or(true);
    if let Err(err) = state.store.start_sync_run(organization, &run).await {
        tracing::warn!(error = %err, "sync: could not record the run");
        return Outcome::Failed;
    }
    let before = client.requests_sent();
    let mut totals = RunTotals::default();
    let result = sync_run(
        state,
        organization,
        &record.environment_url,
        &client,
        &run,
        abandoned,
        &mut totals,
    )
    .await;
    totals.crm_requests = client.requests_sent().saturating_sub(before);
    let error = result.as_ref().err().map(|e| e.to_string());
    // The connection's health first, so whoever sees the run finished also
    // sees the problem it found (or its clearing).
    let outcome = match result {
        Ok(()) => {
            if record.problem.is_some() {
                let _ = state.store.set_crm_problem(organization, None).await;
            }
            Outcome::Synced
        }
        Err(SyncError::Crm(err)) if !err.is_transient() => {
            tracing::warn!(organization = %organization, error = %err, "sync: lasting CRM failure");
            let since = record
                .problem
                .as_ref()
                .map_or_else(crate::store::now_unix, |p| p.since);
            let problem = problem_of(&err);
            let _ = state
                .store
                .set_crm_problem(
                    organization,
                    Some(&StoredProblem {
                        kind: problem.kind,
                        missing_privilege: problem.missing_privilege,
                        since,
                    }),
                )
                .await;
            if crate::store::now_unix() - since >= PAUSE_AFTER_SECS {
                tracing::warn!(organization = %organization, "sync paused after three days of failures");
                let _ = state.store.set_sync_paused(organization, true).await;
            }
            Outcome::Failed
        }
        Err(err) => {
            tracing::info!(organization = %organization, error = %err, "sync: run failed; retrying next tick");
            Outcome::Failed
        }
    };
    if let Err(err) = state
        .store
        .finish_sync_run(organization, &run, &totals, error.as_deref())
        .await
    {
        tracing::warn!(error = %err, "sync: could not record the end of the run");
    }
    outcome
}

/// The `$select` of a table (the won-value field joins the opportunity's).
fn columns(table: &str, won_field: Option<&str>) -> String {
    match table {
        "systemusers" => "systemuserid,internalemailaddress".into(),
        "accounts" => "accountid,name".into(),
        "contacts" => "contactid,firstname,lastname,emailaddress1,_parentcustomerid_value".into(),
        _ => {
            let mut c = "opportunityid,statecode,salesstage,_ownerid_value,\
                         _parentaccountid_value,_parentcontactid_value"
                .to_string();
            if let Some(field) = won_field {
                c.push(',');
                c.push_str(field);
            }
            c
        }
    }
}

fn text(row: &Value, key: &str) -> Option<String> {
    row.get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .filter(|s| !s.is_empty())
}

/// One page of rows in the mirror; deleted entities split out.
async fn mirror_page(
    state: &AppState,
    organization: &OrganizationId,
    table: &str,
    seen: &str,
    won_field: Option<&str>,
    rows: &[Value],
    track: bool,
) -> Result<(), StoreError> {
    let mut deleted = Vec::new();
    let mut live = Vec::new();
    for row in rows {
        if row.get("reason").and_then(Value::as_str) == Some("deleted") {
            deleted.extend(text(row, "id"));
        } else {
            live.push(row);
        }
    }
    let store = &state.store;
    match table {
        "systemusers" => {
            let users: Vec<CrmUser> = live
                .iter()
                .filter_map(|r| {
                    Some(CrmUser {
                        id: text(r, "systemuserid")?,
                        email: text(r, "internalemailaddress"),
                    })
                })
                .collect();
            store
                .mirror_users(organization, seen, &users, &deleted)
                .await
                .map(|_| ())
        }
        "accounts" => {
            let accounts: Vec<Account> = live
                .iter()
                .filter_map(|r| {
                    Some(Account {
                        id: text(r, "accountid")?,
                        name: text(r, "name").unwrap_or_default(),
                    })
                })
                .collect();
            store
                .mirror_accounts(organization, seen, &accounts, &deleted, track)
                .await
        }
        "contacts" => {
            let contacts: Vec<Contact> = live
                .iter()
                .filter_map(|r| {
                    Some(Contact {
                        id: text(r, "contactid")?,
                        first_name: text(r, "firstname").unwrap_or_default(),
                        last_name: text(r, "lastname").unwrap_or_default(),
                        email: text(r, "emailaddress1"),
                        account_id: text(r, "_parentcustomerid_value"),
                    })
                })
                .collect();
            store
                .mirror_contacts(organization, seen, &contacts, &deleted, track)
                .await
        }
        _ => {
            let opportunities: Vec<Opportunity> = live
                .iter()
                .filter_map(|r| {
                    Some(Opportunity {
                        id: text(r, "opportunityid")?,
                        state: r.get("statecode").and_then(Value::as_i64).unwrap_or(0),
                        stage: r.get("salesstage").and_then(Value::as_i64),
                        owner_id: text(r, "_ownerid_value"),
                        account_id: text(r, "_parentaccountid_value"),
                        contact_id: text(r, "_parentcontactid_value"),
                        won_value: won_field.and_then(|f| r.get(f)).and_then(Value::as_f64),
                    })
                })
                .collect();
            store
                .mirror_opportunities(organization, seen, &opportunities, &deleted, track)
                .await
        }
    }
}

/// Reads one table (full, or from its delta link) into the mirror; true when full.
#[allow(clippy::too_many_arguments)]
async fn read_table(
    state: &AppState,
    organization: &OrganizationId,
    client: &Client,
    run: &str,
    index: usize,
    won_field: Option<&str>,
    totals: &mut RunTotals,
) -> Result<bool, SyncError> {
    let table = TABLES[index];
    let select = columns(table, won_field);
    let stored = state.store.sync_table(organization, table).await?;
    let page_size = state.config.sync_page_size;
    let mut full = !matches!(&stored, Some((_, c)) if *c == select);
    let mut next = match (&stored, full) {
        (Some((link, _)), false) => link.clone(),
        _ => format!("{table}?$select={select}"),
    };
    if full {
        // The rules must then recompute everyone, even if this run stops early.
        state.store.set_rules_fingerprint(organization, "").await?;
    }
    let mut rows_in_table = 0u64;
    loop {
        let page = match client
            .get_page(&next, page_size, Some("odata.track-changes"))
            .await
        {
            Ok(page) => page,
            Err(CrmError::DeltaTokenExpired) if !full => {
                tracing::info!(
                    table,
                    "sync: delta token expired; reading the table in full"
                );
                full = true;
                state.store.set_rules_fingerprint(organization, "").await?;
                next = format!("{table}?$select={select}");
                continue;
            }
            Err(err) => return Err(err.into()),
        };
        rows_in_table += page.rows.len() as u64;
        totals.rows_read += page.rows.len() as u64;
        mirror_page(
            state,
            organization,
            table,
            run,
            won_field,
            &page.rows,
            !full,
        )
        .await?;
        state
            .store
            .sync_progress(
                run,
                totals.full || full,
                &format!("reading {table}"),
                totals.rows_read,
                Some(index as f64 / (TABLES.len() as f64 + 1.0)),
            )
            .await?;
        match (page.next_link, page.delta_link) {
            (Some(link), _) => next = link,
            (None, Some(delta)) => {
                if full {
                    state.store.sweep_mirror(organization, table, run).await?;
                }
                state
                    .store
                    .save_sync_table(organization, table, &delta, &select)
                    .await?;
                break;
            }
            (None, None) => {
                return Err(SyncError::Other(format!(
                    "the CRM gave no delta link for {table}"
                )));
            }
        }
    }
    tracing::debug!(table, rows = rows_in_table, full, "sync: table read");
    Ok(full)
}

fn fingerprint(
    settings: &navsync_api::crm::CrmSettings,
    env: &str,
    holders: &[rules::SeatHolder],
) -> String {
    let mut text = format!(
        "{}|{:?}|{:?}|{env}",
        settings.auto_sync_all, settings.pipeline_stage, settings.won_value_field
    );
    for h in holders {
        text.push_str(&format!(
            "|{}:{}:{}",
            h.person_id,
            h.email.to_lowercase(),
            h.crm_sync_enabled
        ));
    }
    text
}

async fn sync_run(
    state: &AppState,
    organization: &OrganizationId,
    environment_url: &str,
    client: &Client,
    run: &str,
    abandoned: bool,
    totals: &mut RunTotals,
) -> Result<(), SyncError> {
    let store = &state.store;
    let settings = store.crm_settings(organization).await?;
    let won_field = settings.won_value_field.clone();
    for index in 0..TABLES.len() {
        let full = read_table(
            state,
            organization,
            client,
            run,
            index,
            won_field.as_deref(),
            totals,
        )
        .await?;
        totals.full |= full;
    }
    store
        .sync_progress(
            run,
            totals.full,
            "applying rules",
            totals.rows_read,
            Some(0.9),
        )
        .await?;
    let holders = store.seat_holders(organization).await?;
    let users = store.crm_users(organization).await?;
    let print = fingerprint(&settings, environment_url, &holders);
    let (old_print, _) = store.sync_state(organization).await?;
    // Everyone after a full read, an abandoned run, or a change of the
    // settings, the seat holders or the CRM users (which clear the stored
    // fingerprint); otherwise only what the pending rows can change.
    let owners = rules::owner_map(&settings, &holders, &users);
    totals.rows_changed = store
        .apply_rules(
            organization,
            &RuleScope {
                full: totals.full || abandoned || old_print != print,
                owners: &owners,
                pipeline_stage: settings.pipeline_stage,
                won_value: settings.won_value_field.is_some(),
                environment_url,
                fingerprint: &print,
            },
        )
        .await?;
    Ok(())
}

fn rfc3339(unix: i64) -> String {
    DateTime::from_timestamp(unix, 0)
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// Progress and the last 20 runs.
pub async fn status(
    state: &AppState,
    organization: &OrganizationId,
) -> Result<SyncStatus, AppError> {
    let store = &state.store;
    let records = store.sync_runs(organization, 21).await?;
    let running = records
        .iter()
        .find(|r| r.finished_at.is_none())
        .map(|r| SyncProgress {
            started_at: rfc3339(r.started_at),
            full: r.full,
            phase: r.phase.clone(),
            rows_read: u64::try_from(r.rows_read).unwrap_or(0),
            progress: r.progress,
        });
    let runs: Vec<SyncRun> = records
        .iter()
        .filter(|r| r.finished_at.is_some())
        .take(20)
        .map(|r| SyncRun {
            started_at: rfc3339(r.started_at),
            duration_ms: u64::try_from(r.duration_ms.unwrap_or(0)).unwrap_or(0),
            full: r.full,
            rows_read: u64::try_from(r.rows_read).unwrap_or(0),
            rows_changed: u64::try_from(r.rows_changed).unwrap_or(0),
            crm_requests: u64::try_from(r.crm_requests).unwrap_or(0),
            error: r.error.clone(),
        })
        .collect();
    let last_sync_at = store
        .find_crm_connection(organization)
        .await?
        .and_then(|c| c.last_sync_at)
        .map(rfc3339);
    let (_, paused) = store.sync_state(organization).await?;
    let (requested, lease_held) = store.sync_queue(organization).await?;
    Ok(SyncStatus {
        running,
        last_sync_at,
        paused,
        runs,
        queued: requested && lease_held,
    })
}
