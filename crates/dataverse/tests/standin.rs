//! The connector against the Dataverse stand-in over real loopback HTTP: the
//! connection check and each C1/C4 refusal, token refresh, paging past 5,000
//! rows, waiting out throttling, and the parsers on the stand-in's fixtures
//! of Microsoft's documented responses.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use dataverse_standin::{
    CrmData, Running, StandInConfig, Table, Throttle, demo_crm, same_shape, spawn,
};
use navsync_dataverse::calls::{self, parse_picklist};
use navsync_dataverse::{
    Client, ClientConfig, CrmError, CrmErrorKind, EnvironmentUrl, RetryPolicy, Secret,
};
use serde_json::{Value, json};

/// Short backoffs so network-error retries do not slow the tests;
/// `Retry-After` is honoured regardless.
fn quick_retry() -> RetryPolicy {
    RetryPolicy {
        transient_retries: 1,
        base_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(20),
        ..RetryPolicy::default()
    }
}

async fn standin(data: CrmData) -> Running {
    spawn(StandInConfig::default(), data)
        .await
        .expect("stand-in starts")
}

fn client_with_secret(running: &Running, secret: &str) -> Client {
    let config = running.standin.config();
    let environment = EnvironmentUrl::parse(&running.base_url, true).expect("loopback URL");
    let mut client = ClientConfig::new(
        environment,
        config.tenant.clone(),
        config.client_id.clone(),
        Secret::new(secret),
    );
    client.authority = running.base_url.clone();
    client.retry = quick_retry();
    Client::new(client).expect("client")
}

fn client(running: &Running) -> Client {
    client_with_secret(running, &running.standin.client_secret())
}

async fn verify_err(running: &Running) -> CrmError {
    calls::verify(&client(running))
        .await
        .expect_err("verify must fail")
}

#[tokio::test]
async fn verify_reads_identity_version_stages_and_money_fields() {
    let running = standin(demo_crm(20, 7)).await;
    let verified = calls::verify(&client(&running)).await.expect("verified");
    let data = running.standin.data().clone();
    assert_eq!(verified.who.user_id, data.integration_user_id.to_string());
    assert_eq!(verified.version, data.organization.version);
    assert_eq!(
        verified.organization.friendly_name,
        data.organization.friendly_name
    );
    let expected: Vec<(i32, String)> = data
        .options(Table::Opportunity, "salesstage")
        .iter()
        .map(|o| (i32::try_from(o.value).unwrap(), o.label.clone()))
        .collect();
    let stages: Vec<(i32, String)> = verified
        .sales_stages
        .iter()
        .map(|s| (s.value, s.label.clone()))
        .collect();
    assert!(!stages.is_empty());
    assert_eq!(stages, expected, "stages come from the stand-in's metadata");
    let money: Vec<&str> = verified
        .money_fields
        .iter()
        .map(|f| f.logical_name.as_str())
        .collect();
    assert!(money.contains(&"estimatedvalue"), "{money:?}");
    assert!(money.contains(&"actualvalue"), "{money:?}");
    assert!(money.iter().all(|m| !m.ends_with("_base")), "{money:?}");
    assert!(verified.can_impersonate);
    running.shutdown().await;
}

#[tokio::test]
async fn c1_refusals() {
    // URL rules: plain http to a real host, and on-premises hosts.
    for (url, kind) in [
        ("http://contoso.crm4.dynamics.com", CrmErrorKind::NotHttps),
        ("http://10.0.0.5:8081", CrmErrorKind::NotHttps),
        ("https://crm.contoso.local", CrmErrorKind::OnPremises),
        ("https://crm.contoso.com/contoso", CrmErrorKind::OnPremises),
    ] {
        let err = EnvironmentUrl::parse(url, true).expect_err(url);
        assert_eq!(err.kind(), kind, "{url}");
    }

    let running = standin(demo_crm(5, 1)).await;
    running
        .standin
        .update_faults(|f| f.version = Some("8.0.1.79".into()));
    let err = verify_err(&running).await;
    assert_eq!(err.kind(), CrmErrorKind::VersionTooOld, "{err}");
    assert!(err.to_string().contains("8.0.1.79"));

    running.standin.clear_faults();
    running.standin.update_faults(|f| f.sandbox = true);
    assert_eq!(verify_err(&running).await.kind(), CrmErrorKind::Sandbox);

    running.standin.clear_faults();
    assert!(calls::verify(&client(&running)).await.is_ok());
    running.shutdown().await;
}

#[tokio::test]
async fn c4_failures_are_classified() {
    let running = standin(demo_crm(5, 2)).await;

    running.standin.update_faults(|f| f.unreachable = true);
    let err = verify_err(&running).await;
    assert_eq!(err.kind(), CrmErrorKind::CouldNotConnect, "{err}");
    running.standin.clear_faults();

    let err = calls::verify(&client_with_secret(&running, "wrong-secret"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CrmErrorKind::InsufficientPrivileges, "{err}");
    assert!(err.to_string().contains("invalid_client"), "{err}");
    assert!(!err.to_string().contains("wrong-secret"), "{err}");

    running
        .standin
        .update_faults(|f| f.missing_privileges = vec!["prvReadOpportunity".into()]);
    let err = verify_err(&running).await;
    assert_eq!(err.kind(), CrmErrorKind::InsufficientPrivileges);
    assert_eq!(err.missing_privilege(), Some("prvReadOpportunity"));
    running.standin.clear_faults();

    running
        .standin
        .update_faults(|f| f.missing_tables = vec!["opportunity".into()]);
    assert_eq!(
        verify_err(&running).await.kind(),
        CrmErrorKind::MissingObjects
    );
    running.standin.clear_faults();

    running
        .standin
        .update_faults(|f| f.server_error = Some(500));
    let err = verify_err(&running).await;
    assert_eq!(err.kind(), CrmErrorKind::ApiError, "{err}");
    running.standin.clear_faults();

    assert!(calls::verify(&client(&running)).await.is_ok());
    running.shutdown().await;
}

#[tokio::test]
async fn an_expired_token_is_refreshed_once() {
    let running = standin(demo_crm(5, 3)).await;
    let client = client(&running);
    client.who_am_i().await.expect("first call");
    assert_eq!(running.standin.stats().token_requests, 1);

    running.standin.expire_tokens();
    let who = client.who_am_i().await.expect("refreshed and retried");
    assert_eq!(
        who.user_id,
        running.standin.data().integration_user_id.to_string()
    );
    let stats = running.standin.stats();
    assert_eq!(stats.token_requests, 2, "one refresh");
    assert_eq!(stats.status(401), 1, "one refused request");
    assert_eq!(stats.resource("WhoAmI"), 3);

    // A token that keeps being refused fails after the one refresh.
    running.standin.expire_tokens();
    running.standin.rotate_secret("rotated");
    let err = client.who_am_i().await.unwrap_err();
    assert_eq!(err.kind(), CrmErrorKind::InsufficientPrivileges);
    running.shutdown().await;
}

#[tokio::test]
async fn get_all_follows_every_page_past_5000_rows() {
    let running = standin(demo_crm(5, 4)).await;
    {
        let mut data = running.standin.data_mut();
        for i in 0..12_000 {
            data.create_row(
                Table::Contact,
                &json!({"firstname": "Page", "lastname": format!("Tester {i:05}")}),
            )
            .expect("row");
        }
    }
    let total = running.standin.data().row_count(Table::Contact);
    assert!(total > 12_000);
    running.standin.reset_stats();

    let rows = client(&running)
        .get_all("contacts?$select=contactid,lastname")
        .await
        .expect("all pages");
    assert_eq!(rows.len(), total);
    let ids: HashSet<&str> = rows
        .iter()
        .map(|r| r["contactid"].as_str().expect("id"))
        .collect();
    assert_eq!(ids.len(), total, "every row exactly once");
    assert_eq!(
        running.standin.stats().resource("contacts"),
        u64::try_from(total.div_ceil(5000)).unwrap(),
        "one request per 5,000-row page"
    );
    running.shutdown().await;
}

#[tokio::test]
async fn throttling_is_waited_out_for_retry_after() {
    let running = standin(demo_crm(5, 5)).await;
    let client = client(&running);
    client.who_am_i().await.expect("token cached");
    running.standin.reset_stats();
    running.standin.update_faults(|f| {
        f.throttle = Some(Throttle {
            retry_after_secs: 2,
            requests: 1,
        });
    });

    let started = Instant::now();
    client.retrieve_version().await.expect("after waiting");
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_secs(2), "{elapsed:?}");
    let stats = running.standin.stats();
    assert_eq!(stats.resource("RetrieveVersion"), 2, "one 429, one success");
    assert_eq!(stats.status(429), 1);
    running.shutdown().await;
}

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/../dataverse-standin/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).expect("fixture JSON")
}

#[test]
fn parsers_accept_microsofts_documented_responses() {
    let who: navsync_dataverse::WhoAmI =
        serde_json::from_value(fixture("whoami.json")).expect("WhoAmI");
    assert_eq!(who.user_id, "00000000-0000-0000-0000-000000000000");

    let detail = fixture("retrieve_current_organization.json")["Detail"].clone();
    let organization: navsync_dataverse::Organization =
        serde_json::from_value(detail).expect("OrganizationDetail");
    assert_eq!(organization.friendly_name, "Contoso");
    assert_eq!(organization.organization_type, "Customer");
    assert_eq!(organization.organization_version, "9.2.25112.171");

    let picklist = fixture("picklist_optionset.json");
    let options = parse_picklist(&picklist, "accountcategorycode").expect("options");
    assert_eq!(options[0].value, 1);
    assert_eq!(options[0].label, "Preferred Customer");
}

#[tokio::test]
async fn the_standins_answers_have_the_documented_shapes() {
    let running = standin(demo_crm(5, 6)).await;
    let client = client(&running);
    for (path, name) in [
        ("WhoAmI", "whoami.json"),
        ("RetrieveVersion", "retrieve_version.json"),
        (
            "RetrieveCurrentOrganization(AccessType=Microsoft.Dynamics.CRM.EndpointAccessType'Default')",
            "retrieve_current_organization.json",
        ),
    ] {
        let live = client.get(path).await.expect(path);
        same_shape(&fixture(name), &live).unwrap_or_else(|diff| panic!("{path}:\n{diff}"));
    }
    running.shutdown().await;
}
