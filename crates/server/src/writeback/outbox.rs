//! The writeback worker: flushes the durable `writeback_outbox` into the CRM.
//!
//! Each due item gets a deterministic CRM activity id ([`activity_id`]: a
//! UUID v5 of the organization id and the item id) and is written with a
//! `PATCH` upsert inside `$batch` requests of at most 1,000 operations, so a
//! retry after a lost response, a restart or a crash never makes a second
//! activity. Matched items become **closed** `li_inmail` / `li_message`
//! activities regarding the contact (W3, R1); unmatched ones an **open** task
//! that carries the item (W3, R2). The owner is the seat holder's CRM user
//! (matched by email in the CRM directory). With impersonation on (W4) the
//! write is made as the seat holder (`CallerObjectId`); a 403 for the missing
//! `prvActOnBehalfOfAnotherUser` falls back to a plain write and says so.
//!
//! Nothing is dropped: the CRM unreachable, a 5xx or a 429 beyond the
//! connector's patience keep the item queued with exponential backoff; only a
//! definite refusal (4xx) marks it failed, from where the seat holder retries.
//!
//! One flush reads the CRM's accounts and contacts once (with the
//! organization's LinkedIn profile URL column, R3) and then sends every due
//! item in rounds of [`MAX_BATCH`], recording each round in one transaction:
//! 10,000 items take 12 CRM requests (see BENCHMARKS.md). Queuing an item
//! wakes the worker ([`wake`]), so a ticked item goes out within about
//! [`WAKE_DEBOUNCE`] plus one flush rather than at the next [`TICK`]. An item
//! whose id is already a closed activity (the answer to an earlier write was
//! lost) ends copied: it is in the CRM, once.

use std::collections::HashMap;
use std::time::Duration;

use navsync_api::OrganizationId;
use navsync_api::messages::ThreadKind;
use navsync_dataverse::writes::{BatchOp, MAX_BATCH};
use navsync_dataverse::{Client, CrmError};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::sync::watch;

use super::matching::{
    ContactCandidate, Counterpart, DEFAULT_PROFILE_COLUMN, NoMatch, match_contact,
};
use crate::AppState;
use crate::store::{OutboxItem, now_unix};

/// How often the worker looks for due items.
pub const TICK: Duration = Duration::from_secs(2);
/// The longest wait between two attempts of one item.
pub const MAX_BACKOFF_SECS: i64 = 300;

/// Namespace of Navsync's CRM activity ids.
const NAMESPACE: &str = "navsync.writeback.v1";

/// The CRM id of an item's activity: the same for the same organization and
/// item on every attempt (UUID version 5 layout over a SHA-256 digest).
pub fn activity_id(organization: &OrganizationId, item_id: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(NAMESPACE.as_bytes());
    hash.update([0]);
    hash.update(organization.as_str().as_bytes());
    hash.update([0]);
    hash.update(item_id.as_bytes());
    let digest = hash.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_sha1_bytes(bytes)
        .into_uuid()
        .to_string()
}

/// What one flush did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Flushed {
    /// Written as closed activities on a contact.
    pub copied: usize,
    /// Written as open tasks (no match).
    pub unresolved: usize,
    /// Refused by the CRM; marked failed.
    pub failed: usize,
    /// Kept queued for a later attempt.
    pub deferred: usize,
}

/// How long the worker waits after a wake-up before reading the outbox: the
/// ticking transaction commits meanwhile, and a burst of ticks (a whole
/// thread) goes out in one flush.
pub const WAKE_DEBOUNCE: Duration = Duration::from_millis(200);

static WAKE: tokio::sync::Notify = tokio::sync::Notify::const_new();

/// Wakes the worker now instead of at its next [`TICK`]: called whenever an
/// item is queued. A wake-up while the worker is busy is remembered.
pub fn wake() {
    WAKE.notify_one();
}

/// Runs until `stop`: flushes every organization with due items every
/// [`TICK`], and shortly after an item is queued ([`wake`]).
pub async fn worker(state: AppState, mut stop: watch::Receiver<bool>) {
    let mut ticker = tokio::time::interval(TICK);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticker.tick() => {}
            _ = WAKE.notified() => {
                tokio::select! {
                    _ = tokio::time::sleep(WAKE_DEBOUNCE) => {}
                    _ = stop.changed() => return,
                }
            }
            changed = stop.changed() => {
                if changed.is_err() || *stop.borrow() {
                    return;
                }
                continue;
            }
        }
        let organizations = match state.store.outbox_organizations(now_unix()).await {
            Ok(o) => o,
            Err(err) => {
                tracing::warn!(error = %err, "writeback: could not read the outbox");
                continue;
            }
        };
        for organization in organizations {
            tokio::select! {
                _ = flush_organization(&state, &organization) => {}
                _ = stop.changed() => return,
            }
        }
    }
}

fn backoff(attempts: i64) -> i64 {
    let exp = u32::try_from(attempts.clamp(0, 16)).unwrap_or(16);
    2_i64.saturating_pow(exp).min(MAX_BACKOFF_SECS)
}

async fn defer_all(state: &AppState, items: &[OutboxItem], why: &str, flushed: &mut Flushed) {
    let keys: Vec<(String, i64)> = items
        .iter()
        .map(|i| (i.item_id.clone(), i.attempts))
        .collect();
    defer_keys(state, &keys, why, flushed).await;
}

/// Keeps queued items (`(item id, attempts so far)`, messages or notes) for
/// a later try with [`backoff`], in one transaction.
pub(super) async fn defer_keys(
    state: &AppState,
    keys: &[(String, i64)],
    why: &str,
    flushed: &mut Flushed,
) {
    if let Err(err) = state
        .store
        .defer_outbox_items(keys, why, now_unix(), backoff)
        .await
    {
        tracing::warn!(error = %err, "writeback: could not defer items");
    }
    flushed.deferred += keys.len();
}

/// Whether `column` can be a Dataverse column's logical name (so it is safe
/// in a `$select`): a letter, then letters, digits or `_`, at most 50.
pub fn valid_column(column: &str) -> bool {
    let mut chars = column.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && column.len() <= 50
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Every CRM contact as a matching candidate, with the LinkedIn profile URL
/// read from `profile_column` when given.
pub async fn read_contacts(
    client: &Client,
    profile_column: Option<&str>,
) -> Result<Vec<ContactCandidate>, CrmError> {
    let accounts: HashMap<String, String> = client
        .get_all("accounts?$select=accountid,name")
        .await?
        .into_iter()
        .filter_map(|a| {
            Some((
                a["accountid"].as_str()?.to_string(),
                a["name"].as_str()?.to_string(),
            ))
        })
        .collect();
    let text = |v: &Value, k: &str| v[k].as_str().map(str::to_string);
    let profile_column = profile_column.filter(|c| valid_column(c));
    let extra = profile_column.map(|c| format!(",{c}")).unwrap_or_default();
    Ok(client
        .get_all(&format!(
            "contacts?$select=contactid,firstname,lastname,emailaddress1,_parentcustomerid_value{extra}"
        ))
        .await?
        .into_iter()
        .filter_map(|c| {
            Some(ContactCandidate {
                id: c["contactid"].as_str()?.to_string(),
                first_name: text(&c, "firstname"),
                last_name: text(&c, "lastname"),
                email: text(&c, "emailaddress1"),
                profile_url: profile_column.and_then(|col| text(&c, col)),
                account_name: c["_parentcustomerid_value"]
                    .as_str()
                    .and_then(|a| accounts.get(a).cloned()),
            })
        })
        .collect())
}

fn rfc3339(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The CRM id of the open task that carries an unresolved item. Tasks and
/// activities share Dataverse's `activitypointer` ids, so it differs from
/// [`activity_id`].
pub fn task_id(organization: &OrganizationId, item_id: &str) -> String {
    activity_id(organization, &format!("task:{item_id}"))
}

/// How an item is written: the operation and where it ends up.
pub struct Planned {
    /// The outbox item.
    pub item_id: String,
    /// The upsert.
    pub op: BatchOp,
    /// `copied` or `unresolved`.
    pub state: &'static str,
    /// Why it is unresolved.
    pub reason: Option<String>,
    /// The CRM row's id.
    pub crm_id: String,
}

/// The upsert that writes `item`: a closed activity regarding the matched
/// contact, or an open task carrying it.
pub fn plan(
    organization: &OrganizationId,
    item: &OutboxItem,
    matched: Result<String, NoMatch>,
    owner: Option<&str>,
    caller: Option<&str>,
) -> Planned {
    let id = activity_id(organization, &item.item_id);
    let task = task_id(organization, &item.item_id);
    let who = format!("{} {}", item.first_name, item.last_name)
        .trim()
        .to_string();
    let (set, table, label) = match item.kind {
        ThreadKind::Inmail => ("li_inmails", "li_inmail", "InMail"),
        ThreadKind::Message => ("li_messages", "li_message", "Message"),
    };
    let mut body = json!({
        "description": item.body,
        "actualend": rfc3339(item.sent_at),
    });
    if let Some(owner) = owner {
        body["ownerid@odata.bind"] = json!(format!("/systemusers({owner})"));
    }
    match matched {
        Ok(contact) => {
            body["subject"] = json!(if item.subject.is_empty() {
                format!("{label} with {who}")
            } else {
                item.subject.clone()
            });
            body["statecode"] = json!(1);
            body["statuscode"] = json!(2);
            body[format!("regardingobjectid_contact_{table}@odata.bind")] =
                json!(format!("/contacts({contact})"));
            Planned {
                item_id: item.item_id.clone(),
                op: BatchOp::upsert(set, &id, body, caller),
                state: "copied",
                reason: None,
                crm_id: id,
            }
        }
        Err(why) => {
            let reason = why.explain();
            body["subject"] = json!(format!("Unresolved {label} with {who}"));
            body["description"] = json!(format!("{}\n\n{}\n{reason}", item.body, item.subject));
            body["statecode"] = json!(0);
            body["statuscode"] = json!(2);
            Planned {
                item_id: item.item_id.clone(),
                op: BatchOp::upsert("tasks", &task, body, caller),
                state: "unresolved",
                reason: Some(reason),
                crm_id: task,
            }
        }
    }
}

/// Matches `item`'s counterpart against the CRM contacts (R3) and plans its
/// write; the plan's reason records the rule that matched, or why none did.
pub fn plan_item(
    organization: &OrganizationId,
    item: &OutboxItem,
    candidates: &[ContactCandidate],
    owner: Option<&str>,
    caller: Option<&str>,
) -> Planned {
    let counterpart = Counterpart {
        first_name: item.first_name.clone(),
        last_name: item.last_name.clone(),
        email: item.email.clone(),
        profile_url: item.profile_url.clone(),
        company: item.company.clone(),
    };
    let matched = match_contact(&counterpart, candidates);
    let rule = matched.as_ref().ok().map(|m| m.rule);
    let mut p = plan(
        organization,
        item,
        matched.map(|m| m.contact_id),
        owner,
        caller,
    );
    if let Some(rule) = rule {
        p.reason = Some(rule.explain().to_string());
    }
    p
}

fn lacks_impersonation(error: &CrmError) -> bool {
    matches!(error, CrmError::AccessDenied { .. })
        && error
            .missing_privilege()
            .is_none_or(|p| p.contains("ActOnBehalfOfAnotherUser"))
}

/// Writes the organization's due messages and notes into the CRM (see the
/// module docs and [`super::notes`]).
pub async fn flush_organization(state: &AppState, organization: &OrganizationId) -> Flushed {
    let messages = flush_messages(state, organization).await;
    let notes = super::notes::flush_notes(state, organization).await;
    Flushed {
        copied: messages.copied + notes.copied,
        unresolved: messages.unresolved + notes.unresolved,
        failed: messages.failed + notes.failed,
        deferred: messages.deferred + notes.deferred,
    }
}

/// What one flush knows about the CRM: read once, used for every round.
struct Session {
    client: Client,
    candidates: Vec<ContactCandidate>,
    impersonate: bool,
    owners: HashMap<String, Option<(String, Option<String>)>>,
}

/// Opens the CRM session of a flush, or says why not (the items stay queued).
async fn open_session(state: &AppState, organization: &OrganizationId) -> Result<Session, String> {
    let client = match crate::crm::client_for(state, organization).await {
        Ok(Some(client)) => client,
        Ok(None) => return Err("no CRM is connected".into()),
        Err(err) => {
            tracing::warn!(error = ?err, "writeback: no CRM client");
            return Err("the CRM connection could not be opened".into());
        }
    };
    let column = state
        .store
        .writeback_profile_column(organization)
        .await
        .unwrap_or_else(|_| DEFAULT_PROFILE_COLUMN.to_string());
    let candidates = match read_contacts(&client, Some(&column)).await {
        Ok(c) => c,
        // A profile column the CRM does not know must not hold up the other
        // rules: read again without it.
        Err(err) if !err.is_transient() && !matches!(err, CrmError::AccessDenied { .. }) => {
            tracing::warn!(error = %err, column, "writeback: contacts unreadable with the LinkedIn profile column; matching without it");
            read_contacts(&client, None)
                .await
                .map_err(|e| e.to_string())?
        }
        Err(err) => {
            tracing::info!(error = %err, "writeback: CRM not available; items stay queued");
            return Err(err.to_string());
        }
    };
    let impersonate = state
        .store
        .writeback_choice(organization)
        .await
        .map(|c| c.impersonation)
        .unwrap_or(false);
    Ok(Session {
        client,
        candidates,
        impersonate,
        owners: HashMap::new(),
    })
}

/// Writes every due message of the organization: the contacts are read once,
/// then rounds of up to [`MAX_BATCH`] items go out as one `$batch` each until
/// nothing is due. A whole-batch failure (CRM down, throttled beyond
/// patience) defers that round and ends the flush.
async fn flush_messages(state: &AppState, organization: &OrganizationId) -> Flushed {
    let mut flushed = Flushed::default();
    let mut session: Option<Session> = None;
    // Bounded: each round finishes or defers its items, so they are not due
    // again in this flush; the bound only guards against a database that
    // cannot record outcomes.
    for _ in 0..10_000 {
        let items = match state
            .store
            .due_outbox(organization, now_unix(), MAX_BATCH as u64)
            .await
        {
            Ok(items) if !items.is_empty() => items,
            Ok(_) => break,
            Err(err) => {
                tracing::warn!(error = %err, "writeback: could not read the outbox");
                break;
            }
        };
        if session.is_none() {
            match open_session(state, organization).await {
                Ok(s) => session = Some(s),
                Err(why) => {
                    defer_all(state, &items, &why, &mut flushed).await;
                    break;
                }
            }
        }
        let Some(session) = session.as_mut() else {
            break;
        };
        let before = flushed.clone();
        let go_on = flush_round(state, organization, session, &items, &mut flushed).await;
        let progress = flushed.copied + flushed.unresolved + flushed.failed + flushed.deferred
            > before.copied + before.unresolved + before.failed + before.deferred;
        if !go_on || !progress {
            break;
        }
    }
    flushed
}

/// One `$batch` of `items`; false when the CRM refused the whole batch (the
/// items are deferred and the flush should stop).
async fn flush_round(
    state: &AppState,
    organization: &OrganizationId,
    session: &mut Session,
    items: &[OutboxItem],
    flushed: &mut Flushed,
) -> bool {
    let mut planned = Vec::with_capacity(items.len());
    for item in items {
        if !session.owners.contains_key(&item.person_email) {
            let user = state
                .store
                .crm_user_by_email(organization, &item.person_email)
                .await
                .ok()
                .flatten();
            session.owners.insert(item.person_email.clone(), user);
        }
        let user = session.owners.get(&item.person_email).cloned().flatten();
        let caller = if session.impersonate {
            user.as_ref().and_then(|u| u.1.as_deref())
        } else {
            None
        };
        let p = plan_item(
            organization,
            item,
            &session.candidates,
            user.as_ref().map(|u| u.0.as_str()),
            caller,
        );
        planned.push(p);
    }
    let client = &session.client;
    let ops: Vec<BatchOp> = planned.iter().map(|p| p.op.clone()).collect();
    let results = match client.batch(&ops).await {
        Ok(r) if r.len() == ops.len() => r,
        Ok(_) => {
            defer_all(
                state,
                items,
                "the CRM's batch answer was incomplete",
                flushed,
            )
            .await;
            return false;
        }
        Err(err) => {
            tracing::info!(error = %err, "writeback: batch failed; items stay queued");
            defer_all(state, items, &err.to_string(), flushed).await;
            return false;
        }
    };
    let mut done: Vec<(String, &'static str, Option<String>, Option<String>)> = Vec::new();
    let mut later: Vec<(&OutboxItem, String)> = Vec::new();
    let mut fallback = Vec::new();
    for ((item, plan), result) in items.iter().zip(planned).zip(results) {
        match result.error {
            None => done.push(outcome(&plan, None)),
            Some(error) if plan.op.caller_object_id.is_some() && lacks_impersonation(&error) => {
                fallback.push((item, plan));
            }
            Some(error) if error.is_transient() || result.status == 429 || result.status >= 500 => {
                later.push((item, error.to_string()));
            }
            // Our deterministic id is already a closed activity: the item
            // reached the CRM before (an answer lost to a crash) and closed
            // activities are not updated. It is there, once.
            Some(error) if plan.state == "copied" && error.is_closed_activity() => {
                done.push(outcome(&plan, Some(ALREADY_CLOSED)));
            }
            Some(error) => {
                done.push((
                    item.item_id.clone(),
                    "failed",
                    None,
                    Some(error.to_string()),
                ));
            }
        }
    }
    if !fallback.is_empty() {
        tracing::warn!(
            items = fallback.len(),
            "writeback: impersonation refused (prvActOnBehalfOfAnotherUser missing); writing as the Integration User"
        );
        let ops: Vec<BatchOp> = fallback
            .iter()
            .map(|(_, p)| BatchOp {
                caller_object_id: None,
                ..p.op.clone()
            })
            .collect();
        match client.batch(&ops).await {
            Ok(results) if results.len() == ops.len() => {
                for ((item, plan), result) in fallback.iter().zip(results) {
                    if result.error.is_none() {
                        done.push(outcome(plan, Some(FALLBACK_NOTE)));
                    } else {
                        later.push((item, "impersonation fallback failed".into()));
                    }
                }
            }
            _ => {
                for (item, _) in &fallback {
                    later.push((item, "impersonation fallback failed".into()));
                }
            }
        }
    }
    record(state, &done, flushed).await;
    for (item, why) in later {
        defer_all(state, std::slice::from_ref(item), &why, flushed).await;
    }
    true
}

/// Said of an item whose closed activity was already in the CRM.
const ALREADY_CLOSED: &str = "Already in the CRM as a closed activity, which is not updated";

/// Said of an item written without impersonation after the CRM refused it.
const FALLBACK_NOTE: &str = "Written as the Integration User: impersonation is not allowed for it";

/// `(item id, state, CRM id, reason)` of a written item: the rule that
/// matched (copied) or why none did (unresolved), plus `note`.
fn outcome(
    plan: &Planned,
    note: Option<&str>,
) -> (String, &'static str, Option<String>, Option<String>) {
    let reason = match (&plan.reason, note) {
        (Some(r), Some(n)) => Some(format!("{r}. {n}.")),
        (Some(r), None) => Some(r.clone()),
        (None, Some(n)) => Some(n.to_string()),
        (None, None) => None,
    };
    (
        plan.item_id.clone(),
        plan.state,
        Some(plan.crm_id.clone()),
        reason,
    )
}

/// Records a round's outcomes in one transaction.
async fn record(
    state: &AppState,
    done: &[(String, &'static str, Option<String>, Option<String>)],
    flushed: &mut Flushed,
) {
    if let Err(err) = state.store.finish_outbox_items(done).await {
        tracing::warn!(error = %err, "writeback: could not record a round's outcomes");
        return;
    }
    for (_, state, _, _) in done {
        match *state {
            "copied" => flushed.copied += 1,
            "unresolved" => flushed.unresolved += 1,
            _ => flushed.failed += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activity_ids_are_stable_per_organization_and_item() {
        let a = OrganizationId("org-a".into());
        let b = OrganizationId("org-b".into());
        assert_eq!(activity_id(&a, "m1"), activity_id(&a, "m1"));
        assert_ne!(activity_id(&a, "m1"), activity_id(&a, "m2"));
        assert_ne!(activity_id(&a, "m1"), activity_id(&b, "m1"));
        let id = uuid::Uuid::parse_str(&activity_id(&a, "m1")).unwrap();
        assert_eq!(id.get_version_num(), 5);
    }

    #[test]
    fn backoff_grows_and_is_bounded() {
        assert_eq!(backoff(0), 1);
        assert_eq!(backoff(3), 8);
        assert_eq!(backoff(40), MAX_BACKOFF_SECS);
    }

    fn item(email: Option<&str>, url: Option<&str>, company: Option<&str>) -> OutboxItem {
        OutboxItem {
            item_id: "m1".into(),
            kind: ThreadKind::Message,
            subject: "Hello".into(),
            body: "Hi".into(),
            direction: navsync_api::messages::Direction::Outbound,
            sent_at: 1_700_000_000,
            first_name: "Ada".into(),
            last_name: "Lovelace".into(),
            email: email.map(str::to_string),
            profile_url: url.map(str::to_string),
            company: company.map(str::to_string),
            person_email: "sam@demo.test".into(),
            attempts: 0,
        }
    }

    fn candidate(id: &str, email: Option<&str>, url: Option<&str>) -> ContactCandidate {
        ContactCandidate {
            id: id.into(),
            first_name: Some("Ada".into()),
            last_name: Some("Lovelace".into()),
            email: email.map(str::to_string),
            profile_url: url.map(str::to_string),
            account_name: Some("Engines".into()),
        }
    }

    #[test]
    fn each_item_records_the_rule_that_matched_in_order_or_why_none_did() {
        let org = OrganizationId("org".into());
        let crm = [
            candidate("by-email", Some("ada@x.com"), None),
            candidate("by-url", None, Some("https://linkedin.com/in/ada")),
        ];
        let target = |p: &Planned| {
            p.op.body.as_ref().unwrap()["regardingobjectid_contact_li_message@odata.bind"]
                .as_str()
                .map(str::to_string)
        };
        // Email first, even when the URL and the name fit other contacts.
        let p = plan_item(
            &org,
            &item(
                Some("ADA@x.com"),
                Some("linkedin.com/in/ada"),
                Some("Engines"),
            ),
            &crm,
            None,
            None,
        );
        assert_eq!(p.state, "copied");
        assert_eq!(target(&p).as_deref(), Some("/contacts(by-email)"));
        assert_eq!(p.reason.as_deref(), Some("Matched by email address"));
        // No email match: the LinkedIn profile URL decides before the name
        // (which fits both contacts).
        let p = plan_item(
            &org,
            &item(
                Some("other@x.com"),
                Some("www.linkedin.com/in/ada/"),
                Some("Engines"),
            ),
            &crm,
            None,
            None,
        );
        assert_eq!(target(&p).as_deref(), Some("/contacts(by-url)"));
        assert_eq!(p.reason.as_deref(), Some("Matched by LinkedIn profile URL"));
        // Only the name with company: both fit, so it is ambiguous → task.
        let p = plan_item(&org, &item(None, None, Some("Engines")), &crm, None, None);
        assert_eq!(p.state, "unresolved");
        assert!(p.op.path.starts_with("tasks("), "{}", p.op.path);
        assert!(
            p.reason.as_deref().unwrap().contains("2 CRM contacts fit"),
            "{:?}",
            p.reason
        );
        // Name with company and one fitting contact.
        let p = plan_item(
            &org,
            &item(None, None, Some("Engines")),
            &crm[..1],
            None,
            None,
        );
        assert_eq!(
            p.reason.as_deref(),
            Some("Matched by first and last name with company")
        );
        // Nothing to match on.
        let p = plan_item(&org, &item(None, None, None), &crm, None, None);
        assert_eq!(p.state, "unresolved");
        assert_eq!(
            p.reason.as_deref(),
            Some("No email, LinkedIn profile URL or company is known for this person.")
        );
    }

    #[test]
    fn only_column_names_reach_the_select() {
        assert!(valid_column("new_linkedinurl"));
        assert!(valid_column("cr9f3_profile2"));
        assert!(!valid_column(""));
        assert!(!valid_column("New_LinkedIn"));
        assert!(!valid_column("a,b"));
        assert!(!valid_column("x&$filter=1"));
        assert!(!valid_column(&"a".repeat(51)));
    }
}
