//! Resolving an unresolved item (SPEC H5, R2): link it to an existing CRM
//! contact, or create the contact from the counterpart first. Either way the
//! item is written as the closed activity on that contact and its open task is
//! completed. Both writes are idempotent upserts, so resolving again after a
//! lost answer changes nothing.

use navsync_api::OrganizationId;
use serde_json::json;

use super::outbox::{plan, task_id};
use crate::AppState;
use crate::error::AppError;
use crate::store::OutboxItem;

const NOT_CONNECTED: &str = "Connect the CRM first: the item can only be resolved there.";

fn crm_failed(err: navsync_dataverse::CrmError) -> AppError {
    tracing::info!(error = %err, "writeback: resolving failed in the CRM");
    AppError::Conflict("The CRM did not accept the change. Please try again later.".into())
}

/// Creates a CRM contact from the item's counterpart; returns its id.
pub async fn create_contact(
    state: &AppState,
    organization: &OrganizationId,
    item: &OutboxItem,
) -> Result<String, AppError> {
    let client = crate::crm::client_for(state, organization)
        .await?
        .ok_or_else(|| AppError::Conflict(NOT_CONNECTED.into()))?;
    let mut body = json!({
        "firstname": item.first_name,
        "lastname": item.last_name,
    });
    if let Some(email) = &item.email {
        body["emailaddress1"] = json!(email);
    }
    client.create_contact(&body).await.map_err(crm_failed)
}

/// Writes `item` as the closed activity on `contact_id`, completes its open
/// task, and records it as copied. Returns the activity's id.
pub async fn link(
    state: &AppState,
    organization: &OrganizationId,
    item: &OutboxItem,
    contact_id: &str,
) -> Result<String, AppError> {
    let client = crate::crm::client_for(state, organization)
        .await?
        .ok_or_else(|| AppError::Conflict(NOT_CONNECTED.into()))?;
    let owner = state
        .store
        .crm_user_by_email(organization, &item.person_email)
        .await?;
    let planned = plan(
        organization,
        item,
        Ok(contact_id.to_string()),
        owner.as_ref().map(|o| o.0.as_str()),
        None,
    );
    let body = planned.op.body.clone().unwrap_or_default();
    let set = planned
        .op
        .path
        .split('(')
        .next()
        .unwrap_or_default()
        .to_string();
    client
        .upsert_activity(&set, &planned.crm_id, &body, None)
        .await
        .map_err(crm_failed)?;
    client
        .upsert_activity(
            "tasks",
            &task_id(organization, &item.item_id),
            &json!({"statecode": 1, "statuscode": 5}),
            None,
        )
        .await
        .map_err(crm_failed)?;
    state
        .store
        .finish_outbox_item(&item.item_id, "copied", Some(&planned.crm_id), None)
        .await?;
    Ok(planned.crm_id)
}
