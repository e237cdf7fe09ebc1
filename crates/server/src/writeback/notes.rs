//! Notes into the CRM (SPEC H3, R1): a note on a saved lead or account that
//! is linked to a CRM record becomes an `annotation` on that contact or
//! account, written with a `PATCH` upsert of a deterministic id (never twice).
//! A note whose lead or account has no CRM record becomes an open task that
//! carries it, listed as unresolved (R2).

use navsync_api::OrganizationId;
use navsync_api::messages::NoteSubject;
use navsync_dataverse::writes::{BatchOp, MAX_BATCH};
use serde_json::json;

use super::outbox::{Flushed, activity_id, defer_keys, task_id};
use crate::AppState;
use crate::store::{NoteItem, now_unix};

const NO_RECORD: &str =
    "This lead or account has no CRM record yet; the note waits as an open task.";

async fn defer(state: &AppState, items: &[NoteItem], why: &str, flushed: &mut Flushed) {
    let keys: Vec<(String, i64)> = items
        .iter()
        .map(|i| (i.item_id.clone(), i.attempts))
        .collect();
    defer_keys(state, &keys, why, flushed).await;
}

fn handled(f: &Flushed) -> usize {
    f.copied + f.unresolved + f.failed + f.deferred
}

/// Writes the organization's due notes into the CRM: rounds of up to
/// [`MAX_BATCH`] notes, one `$batch` each, until none is due or the CRM
/// refuses a whole batch.
pub async fn flush_notes(state: &AppState, organization: &OrganizationId) -> Flushed {
    let mut flushed = Flushed::default();
    let mut client = None;
    // Bounded like the messages' flush: each round finishes or defers its notes.
    for _ in 0..10_000 {
        let before = handled(&flushed);
        let go_on = flush_round(state, organization, &mut client, &mut flushed).await;
        if !go_on || handled(&flushed) == before {
            break;
        }
    }
    flushed
}

/// One round; false when nothing was due or the flush should stop.
async fn flush_round(
    state: &AppState,
    organization: &OrganizationId,
    client: &mut Option<navsync_dataverse::Client>,
    flushed: &mut Flushed,
) -> bool {
    let items = match state
        .store
        .due_notes(organization, now_unix(), MAX_BATCH as u64)
        .await
    {
        Ok(items) if !items.is_empty() => items,
        Ok(_) => return false,
        Err(err) => {
            tracing::warn!(error = %err, "writeback: could not read queued notes");
            return false;
        }
    };
    if client.is_none() {
        match crate::crm::client_for(state, organization).await {
            Ok(Some(c)) => *client = Some(c),
            _ => {
                defer(state, &items, "no CRM connection", flushed).await;
                return false;
            }
        }
    }
    let Some(client) = client.as_ref() else {
        return false;
    };
    let mut ops = Vec::with_capacity(items.len());
    let mut plans = Vec::with_capacity(items.len());
    for item in &items {
        let owner = state
            .store
            .crm_user_by_email(organization, &item.person_email)
            .await
            .ok()
            .flatten();
        let mut body = match (&item.crm_id, item.subject_kind) {
            (Some(id), NoteSubject::Lead) => json!({
                "subject": format!("Note on {}", item.subject_name),
                "notetext": item.body,
                "objectid_contact@odata.bind": format!("/contacts({id})"),
            }),
            (Some(id), NoteSubject::Account) => json!({
                "subject": format!("Note on {}", item.subject_name),
                "notetext": item.body,
                "objectid_account@odata.bind": format!("/accounts({id})"),
            }),
            (None, _) => json!({
                "subject": format!("Unresolved note on {}", item.subject_name),
                "description": format!("{}\n\n{NO_RECORD}", item.body),
                "statecode": 0,
                "statuscode": 2,
            }),
        };
        if let Some((owner, _)) = &owner {
            body["ownerid@odata.bind"] = json!(format!("/systemusers({owner})"));
        }
        let (set, id, state_name) = if item.crm_id.is_some() {
            (
                "annotations",
                activity_id(organization, &item.item_id),
                "copied",
            )
        } else {
            ("tasks", task_id(organization, &item.item_id), "unresolved")
        };
        ops.push(BatchOp::upsert(set, &id, body, None));
        plans.push((id, state_name));
    }
    let results = match client.batch(&ops).await {
        Ok(r) if r.len() == ops.len() => r,
        Ok(_) => {
            defer(state, &items, "incomplete batch answer", flushed).await;
            return false;
        }
        Err(err) => {
            defer(state, &items, &err.to_string(), flushed).await;
            return false;
        }
    };
    for ((item, (id, state_name)), result) in items.iter().zip(plans).zip(results) {
        let outcome = match result.error {
            None => {
                let reason = (state_name == "unresolved").then_some(NO_RECORD);
                if state_name == "copied" {
                    flushed.copied += 1;
                } else {
                    flushed.unresolved += 1;
                }
                state
                    .store
                    .finish_note(&item.item_id, state_name, Some(&id), reason)
                    .await
            }
            Some(error) if error.is_transient() || result.status >= 500 => {
                defer(
                    state,
                    std::slice::from_ref(item),
                    &error.to_string(),
                    flushed,
                )
                .await;
                Ok(())
            }
            Some(error) => {
                flushed.failed += 1;
                state
                    .store
                    .finish_note(&item.item_id, "failed", None, Some(&error.to_string()))
                    .await
            }
        };
        if let Err(err) = outcome {
            tracing::warn!(error = %err, "writeback: could not record a note's outcome");
        }
    }
    true
}
