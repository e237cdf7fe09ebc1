//! The connector's writes against the stand-in over loopback: idempotent
//! activity upserts (with and without impersonation), contact creation, and
//! `$batch` with per-operation results, through throttling.

use std::time::Duration;

use dataverse_standin::api::writes::WriteSet;
use dataverse_standin::{CrmData, Running, StandInConfig, Table, Throttle, spawn};
use navsync_dataverse::writes::BatchOp;
use navsync_dataverse::{Client, ClientConfig, EnvironmentUrl, RetryPolicy, Secret};
use serde_json::json;

async fn setup() -> (Running, Client, String, String) {
    let data = CrmData::empty();
    let running = spawn(StandInConfig::default(), data)
        .await
        .expect("stand-in");
    let contact = running
        .standin
        .create_row(
            Table::Contact,
            &json!({"firstname": "Ada", "lastname": "Lovelace"}),
        )
        .unwrap()
        .to_string();
    let aad = "6f1d1f5e-7c55-4d1e-9a43-9b0f0f7e5a11".to_string();
    running
        .standin
        .create_row(
            Table::SystemUser,
            &json!({"fullname": "Sam", "azureactivedirectoryobjectid": aad}),
        )
        .unwrap();
    let config = running.standin.config();
    let environment = EnvironmentUrl::parse(&running.base_url, true).expect("loopback URL");
    let mut cc = ClientConfig::new(
        environment,
        config.tenant.clone(),
        config.client_id.clone(),
        Secret::new(running.standin.client_secret()),
    );
    cc.authority = running.base_url.clone();
    cc.retry = RetryPolicy {
        transient_retries: 1,
        base_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(20),
        ..RetryPolicy::default()
    };
    let client = Client::new(cc).expect("client");
    (running, client, contact, aad)
}

#[tokio::test]
async fn upsert_activity_is_idempotent_and_can_impersonate() {
    let (running, client, contact, aad) = setup().await;
    let id = "0b0a1c2d-3e4f-5061-7283-94a5b6c7d8e9";
    let body = json!({
        "subject": "InMail",
        "statecode": 1,
        "regardingobjectid_contact_li_inmail@odata.bind": format!("/contacts({contact})"),
    });
    for _ in 0..3 {
        client
            .upsert_activity("li_inmails", id, &body, Some(&aad))
            .await
            .expect("upsert");
    }
    let rows = running.standin.written(WriteSet::InMail);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["statuscode"], 2);
    assert!(!rows[0]["_createdonbehalfby_value"].is_null());
    assert_eq!(running.standin.stats().writes["li_inmails"], 3);

    let new_contact = client
        .create_contact(&json!({"firstname": "Grace", "lastname": "Hopper", "emailaddress1": "grace@example.com"}))
        .await
        .expect("create contact");
    let row = running
        .standin
        .row(Table::Contact, new_contact.parse().unwrap())
        .expect("contact exists");
    assert_eq!(row["fullname"], "Grace Hopper");
    running.shutdown().await;
}

#[tokio::test]
async fn batch_returns_one_result_per_op_and_waits_out_throttling() {
    let (running, client, contact, _) = setup().await;
    let ok = |subject: &str| {
        json!({
            "subject": subject,
            "regardingobjectid_contact_task@odata.bind": format!("/contacts({contact})"),
        })
    };
    let bad = json!({"subject": "x", "regardingobjectid_contact_task@odata.bind": "/contacts(00000000-0000-0000-0000-000000000001)"});
    let ops = vec![
        BatchOp::upsert(
            "tasks",
            "10000000-0000-0000-0000-000000000001",
            ok("a"),
            None,
        ),
        BatchOp::upsert("tasks", "10000000-0000-0000-0000-000000000002", bad, None),
        BatchOp::upsert(
            "tasks",
            "10000000-0000-0000-0000-000000000003",
            ok("c"),
            None,
        ),
    ];
    running.standin.update_faults(|f| {
        f.throttle = Some(Throttle {
            retry_after_secs: 1,
            requests: 1,
        })
    });
    let results = client.batch(&ops).await.expect("batch");
    let statuses: Vec<u16> = results.iter().map(|r| r.status).collect();
    assert_eq!(statuses, vec![204, 404, 204]);
    assert!(results[1].error.is_some());
    assert_eq!(running.standin.written(WriteSet::Task).len(), 2);

    // Sending the same batch again changes nothing: ids make it idempotent.
    client.batch(&ops).await.expect("batch again");
    assert_eq!(running.standin.written(WriteSet::Task).len(), 2);
    assert_eq!(running.standin.stats().status(429), 1);
    running.shutdown().await;
}
