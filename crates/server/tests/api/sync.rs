//! CRM → Navsync sync through the API against the Dataverse stand-in: "Sync
//! now", saved rows with CRM links, changes in the CRM, hand saves, request
//! counts of incremental runs, admin-only routes, own rows only, the warning
//! on a revoked privilege, throttling mid-run, and disconnect clean-up.

use std::collections::BTreeSet;
use std::time::Duration;

use axum::http::{Method, StatusCode};
use dataverse_standin::{Running, StandInConfig, Table, Throttle, demo_crm, spawn};
use navsync_api::paths;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::TestApp;

struct Synced {
    app: TestApp,
    crm: Running,
    admin: String,
}

async fn setup(opportunities: usize) -> Synced {
    let crm = spawn(StandInConfig::default(), demo_crm(opportunities, 11))
        .await
        .expect("stand-in");
    let authority = crm.base_url.clone();
    let app = TestApp::demo_with(move |c| c.entra_authority = authority).await;
    let admin = app.cookie_for("admin@demo.test").await;
    let config = crm.standin.config();
    let response = app
        .json(
            Method::POST,
            paths::CRM_CONNECTION,
            &json!({
                "environment_url": crm.base_url,
                "tenant": config.tenant,
                "client_id": config.client_id,
                "client_secret": crm.standin.client_secret(),
            }),
            Some(&admin),
        )
        .await;
    assert_eq!(response.json()["connected"], true, "{}", response.text());
    Synced { app, crm, admin }
}

impl Synced {
    /// "Sync now", then waits for the run to finish; returns that run.
    async fn sync(&self) -> Value {
        let before = self.runs().await.len();
        let response = self
            .app
            .json(Method::POST, paths::CRM_SYNC, &json!({}), Some(&self.admin))
            .await;
        assert_eq!(response.status, StatusCode::ACCEPTED, "{}", response.text());
        for _ in 0..600 {
            let runs = self.runs().await;
            if runs.len() > before || (before == 20 && runs[0] != self.last_seen(&runs)) {
                return runs[0].clone();
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("the sync did not finish");
    }

    fn last_seen(&self, runs: &[Value]) -> Value {
        runs[0].clone()
    }

    async fn runs(&self) -> Vec<Value> {
        let status = self.app.get(paths::CRM_SYNC, Some(&self.admin)).await;
        assert_eq!(status.status, StatusCode::OK, "{}", status.text());
        status.json()["runs"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    fn sam_user(&self) -> Uuid {
        let data = self.crm.standin.data();
        let email = Table::SystemUser
            .column_index("internalemailaddress")
            .unwrap();
        *data
            .rows(Table::SystemUser)
            .iter()
            .find(|(_, r)| r[email] == dataverse_standin::Cell::text("sam@demo.test"))
            .unwrap()
            .0
    }

    /// Accounts of the open opportunities of a CRM user (stage "Not Sure").
    fn expected_accounts(&self, user: Uuid) -> BTreeSet<String> {
        let data = self.crm.standin.data();
        let col = |n: &str| Table::Opportunity.column_index(n).unwrap();
        data.rows(Table::Opportunity)
            .values()
            .filter(|r| r[col("statecode")] == dataverse_standin::Cell::Int(0))
            .filter(|r| r[col("_ownerid_value")] == dataverse_standin::Cell::Guid(user))
            .filter_map(|r| match &r[col("_parentaccountid_value")] {
                dataverse_standin::Cell::Guid(g) => Some(g.to_string()),
                _ => None,
            })
            .collect()
    }

    fn open_opportunities_of(&self, user: Uuid, account: &str) -> Vec<Uuid> {
        let data = self.crm.standin.data();
        let col = |n: &str| Table::Opportunity.column_index(n).unwrap();
        data.rows(Table::Opportunity)
            .iter()
            .filter(|(_, r)| r[col("statecode")] == dataverse_standin::Cell::Int(0))
            .filter(|(_, r)| r[col("_ownerid_value")] == dataverse_standin::Cell::Guid(user))
            .filter(|(_, r)| {
                r[col("_parentaccountid_value")]
                    == dataverse_standin::Cell::Guid(Uuid::parse_str(account).unwrap())
            })
            .map(|(id, _)| *id)
            .collect()
    }
}

async fn saved(app: &TestApp, cookie: &str, path: &str) -> Vec<Value> {
    let response = app.get(&format!("{path}?limit=200"), Some(cookie)).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    response.json()["items"].as_array().cloned().unwrap()
}

fn crm_ids(items: &[Value]) -> BTreeSet<String> {
    items
        .iter()
        .filter(|i| i["source"] == "crm")
        .filter_map(|i| i["crm_url"].as_str())
        .map(|u| {
            u.split("id=")
                .nth(1)
                .unwrap()
                .split('&')
                .next()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[tokio::test]
async fn sync_now_brings_saved_accounts_and_leads_with_crm_links() {
    let t = setup(120).await;
    let run = t.sync().await;
    assert_eq!(run["full"], true, "{run}");
    assert!(run.get("error").is_none(), "{run}");
    assert!(run["crm_requests"].as_u64().unwrap() >= 4);
    let status = t.app.get(paths::CRM, Some(&t.admin)).await.json();
    assert!(status["connection"]["last_sync_at"].is_string(), "{status}");

    let sam = t.app.cookie_for("sam@demo.test").await;
    let accounts = saved(&t.app, &sam, paths::SAVED_ACCOUNTS).await;
    let expected = t.expected_accounts(t.sam_user());
    assert!(!expected.is_empty());
    assert_eq!(crm_ids(&accounts), expected);
    let first = &accounts[0];
    assert_eq!(first["in_crm"], true);
    assert!(
        first["crm_url"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{}/main.aspx?etn=account&id=", t.crm.base_url))
    );
    let names: Vec<&str> = accounts
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted, "ordered by name");
    let leads = saved(&t.app, &sam, paths::SAVED_LEADS).await;
    assert!(!leads.is_empty());
    assert!(
        leads
            .iter()
            .all(|l| l["in_crm"] == true && l["crm_url"].as_str().unwrap().contains("etn=contact"))
    );

    // A second run with nothing changed is incremental and changes nothing.
    let run = t.sync().await;
    assert_eq!(run["full"], false, "{run}");
    assert_eq!(run["rows_changed"], 0, "{run}");
    assert_eq!(
        crm_ids(&saved(&t.app, &sam, paths::SAVED_ACCOUNTS).await),
        expected
    );
}

#[tokio::test]
async fn crm_changes_remove_what_they_brought_unless_saved_by_hand() {
    let t = setup(150).await;
    t.sync().await;
    let sam = t.app.cookie_for("sam@demo.test").await;
    let user = t.sam_user();
    let accounts: Vec<String> = t.expected_accounts(user).into_iter().collect();
    assert!(accounts.len() >= 4, "{accounts:?}");
    let standin = &t.crm.standin;
    let kim = {
        let data = standin.data();
        let email = Table::SystemUser
            .column_index("internalemailaddress")
            .unwrap();
        *data
            .rows(Table::SystemUser)
            .iter()
            .find(|(_, r)| r[email] == dataverse_standin::Cell::text("kim@demo.test"))
            .unwrap()
            .0
    };
    // Account 0: closed as won; 1: deleted; 2: owner changed to Kim; 3: hand-saved, then closed.
    for id in t.open_opportunities_of(user, &accounts[0]) {
        standin
            .update_row(
                Table::Opportunity,
                id,
                &json!({"statecode": 1, "statuscode": 3}),
            )
            .unwrap();
    }
    for id in t.open_opportunities_of(user, &accounts[1]) {
        standin.delete_row(Table::Opportunity, id).unwrap();
    }
    for id in t.open_opportunities_of(user, &accounts[2]) {
        standin
            .update_row(
                Table::Opportunity,
                id,
                &json!({"_ownerid_value": kim.to_string()}),
            )
            .unwrap();
    }
    let response = t
        .app
        .json(
            Method::POST,
            paths::SAVED_ACCOUNTS,
            &json!({"name": "My own pick", "crm_id": accounts[3]}),
            Some(&sam),
        )
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    for id in t.open_opportunities_of(user, &accounts[3]) {
        standin
            .update_row(
                Table::Opportunity,
                id,
                &json!({"statecode": 2, "statuscode": 4}),
            )
            .unwrap();
    }
    let run = t.sync().await;
    assert_eq!(run["full"], false, "{run}");

    let now = saved(&t.app, &sam, paths::SAVED_ACCOUNTS).await;
    let ids = crm_ids(&now);
    for gone in &accounts[..4] {
        assert!(
            !ids.contains(gone),
            "{gone} should no longer come from the CRM"
        );
    }
    for kept in &accounts[4..] {
        assert!(ids.contains(kept), "{kept} is still in sam's pipeline");
    }
    let by_hand = now
        .iter()
        .find(|a| {
            a["crm_url"]
                .as_str()
                .is_some_and(|u| u.contains(&accounts[3]))
        })
        .expect("the hand-saved account stays");
    assert_eq!(by_hand["source"], "manual");
    assert_eq!(by_hand["saved_by_hand"], true);
    assert_eq!(by_hand["in_crm"], true);
    let kim_cookie = t.app.cookie_for("kim@demo.test").await;
    let kims = crm_ids(&saved(&t.app, &kim_cookie, paths::SAVED_ACCOUNTS).await);
    assert!(kims.contains(&accounts[2]), "the new owner gets it");

    // Hand deletion: a CRM-brought row is refused; the hand-saved one goes.
    let crm_row = now.iter().find(|a| a["source"] == "crm").unwrap();
    let response = t
        .app
        .send(
            axum::http::Request::delete(format!(
                "/api/saved-accounts/{}",
                crm_row["id"].as_str().unwrap()
            ))
            .header("cookie", &sam)
            .body(axum::body::Body::empty())
            .unwrap(),
        )
        .await;
    response.assert_error(409, "conflict");
    // Another seat holder cannot see or delete sam's rows.
    let response = t
        .app
        .send(
            axum::http::Request::delete(format!(
                "/api/saved-accounts/{}",
                by_hand["id"].as_str().unwrap()
            ))
            .header("cookie", &kim_cookie)
            .body(axum::body::Body::empty())
            .unwrap(),
        )
        .await;
    response.assert_error(404, "not_found");
    assert!(
        saved(&t.app, &kim_cookie, paths::SAVED_ACCOUNTS)
            .await
            .iter()
            .all(|a| a["id"] != by_hand["id"])
    );

    // Disconnect with clean-up: CRM-only rows go, the hand-saved one stays unlinked.
    let response = t
        .app
        .json(
            Method::POST,
            paths::CRM_DISCONNECT,
            &json!({"clean_up": true}),
            Some(&t.admin),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let left = saved(&t.app, &sam, paths::SAVED_ACCOUNTS).await;
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(left[0]["name"], by_hand["name"]);
    assert_eq!(left[0]["in_crm"], false);
    assert!(left[0].get("crm_url").is_none());
    assert!(saved(&t.app, &sam, paths::SAVED_LEADS).await.is_empty());
}

#[tokio::test]
async fn incremental_runs_cost_requests_in_proportion_to_the_change() {
    let t = setup(1000).await;
    let standin = &t.crm.standin;
    standin.reset_stats();
    t.sync().await;
    let stats = standin.stats();
    for table in ["systemusers", "accounts", "contacts", "opportunities"] {
        let rows = standin
            .data()
            .row_count(Table::from_entity_set(table).unwrap());
        assert!(
            stats.resource(table) as usize <= rows.div_ceil(5000) + 10,
            "{table}: {stats:?}"
        );
    }
    standin.reset_stats();
    let run = t.sync().await;
    let stats = standin.stats();
    for table in ["systemusers", "accounts", "contacts", "opportunities"] {
        assert_eq!(
            stats.resource(table),
            1,
            "idle: one request per table: {stats:?}"
        );
    }
    assert_eq!(stats.total, 4, "{stats:?}");
    assert_eq!(run["rows_read"], 0);

    let ids: Vec<Uuid> = standin
        .data()
        .rows(Table::Opportunity)
        .keys()
        .copied()
        .take(100)
        .collect();
    for id in ids {
        standin
            .update_row(Table::Opportunity, id, &json!({"salesstage": 3}))
            .unwrap();
    }
    standin.reset_stats();
    let run = t.sync().await;
    assert_eq!(run["rows_read"], 100, "{run}");
    assert_eq!(standin.stats().total, 4);

    // An expired delta token falls back to a full read of every table.
    standin.expire_delta_tokens();
    let run = t.sync().await;
    assert_eq!(run["full"], true, "{run}");
    assert!(run.get("error").is_none(), "{run}");
}

#[tokio::test]
async fn sync_routes_are_for_admins_and_saved_lists_for_seat_holders() {
    let t = setup(20).await;
    let sam = t.app.cookie_for("sam@demo.test").await;
    for path in [paths::CRM_SYNC, paths::CRM_HEALTH] {
        t.app
            .get(path, None)
            .await
            .assert_error(401, "unauthenticated");
        t.app
            .get(path, Some(&sam))
            .await
            .assert_error(403, "forbidden");
    }
    t.app
        .json(Method::POST, paths::CRM_SYNC, &json!({}), Some(&sam))
        .await
        .assert_error(403, "forbidden");
    for path in [paths::SAVED_ACCOUNTS, paths::SAVED_LEADS] {
        t.app
            .get(path, None)
            .await
            .assert_error(401, "unauthenticated");
        t.app
            .get(path, Some(&t.admin))
            .await
            .assert_error(403, "forbidden");
    }
    t.app
        .json(
            Method::POST,
            paths::SAVED_LEADS,
            &json!({"first_name": "", "last_name": "X", "email": "nope"}),
            Some(&sam),
        )
        .await
        .assert_error(422, "validation_failed");
}

#[tokio::test]
async fn s1_no_syncs_only_seats_with_their_switch_on() {
    let t = setup(120).await;
    let response = t
        .app
        .json(
            Method::PUT,
            paths::CRM_SETTINGS,
            &json!({"auto_sync_all": false, "pipeline_stage": null, "won_value_field": "actualvalue"}),
            Some(&t.admin),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let store = &t.app.state.store;
    let sam = store
        .find_person_by_email("sam@demo.test")
        .await
        .unwrap()
        .unwrap();
    let kim = store
        .find_person_by_email("kim@demo.test")
        .await
        .unwrap()
        .unwrap();
    let pool = sqlx::SqlitePool::connect(&format!(
        "sqlite://{}",
        t.app.state.config.database_path().display()
    ))
    .await
    .unwrap();
    sqlx::query("UPDATE people SET crm_sync_enabled = (id = ?)")
        .bind(sam.id.as_str())
        .execute(&pool)
        .await
        .unwrap();
    t.sync().await;
    let sam_cookie = t.app.cookie_for("sam@demo.test").await;
    let kim_cookie = t.app.cookie_for("kim@demo.test").await;
    let accounts = saved(&t.app, &sam_cookie, paths::SAVED_ACCOUNTS).await;
    assert!(!accounts.is_empty());
    assert!(
        accounts.iter().all(|a| a["won_value"].is_number()),
        "S3 set"
    );
    assert!(
        saved(&t.app, &kim_cookie, paths::SAVED_ACCOUNTS)
            .await
            .is_empty()
    );
    let _ = kim;
}

#[tokio::test]
async fn a_revoked_privilege_warns_and_recovers_when_fixed() {
    let t = setup(30).await;
    t.crm
        .standin
        .update_faults(|f| f.missing_privileges = vec!["prvReadOpportunity".into()]);
    let run = t.sync().await;
    assert!(run["error"].is_string(), "{run}");
    let health = t.app.get(paths::CRM_HEALTH, Some(&t.admin)).await.json();
    assert_eq!(
        health["crm_warning"]["kind"], "insufficient_privileges",
        "{health}"
    );
    assert_eq!(
        health["crm_warning"]["missing_privilege"],
        "prvReadOpportunity"
    );
    let status = t.app.get(paths::CRM, Some(&t.admin)).await.json();
    assert_eq!(status["state"], "warning");

    t.crm.standin.clear_faults();
    let run = t.sync().await;
    assert!(run.get("error").is_none(), "{run}");
    let health = t.app.get(paths::CRM_HEALTH, Some(&t.admin)).await.json();
    assert!(health.get("crm_warning").is_none(), "{health}");
    assert_eq!(
        t.app.get(paths::CRM, Some(&t.admin)).await.json()["state"],
        "connected"
    );
}

#[tokio::test]
async fn throttling_mid_run_ends_with_the_same_rows_as_without() {
    let clean = setup(300).await;
    clean.sync().await;
    let sam = clean.app.cookie_for("sam@demo.test").await;
    let expected = crm_ids(&saved(&clean.app, &sam, paths::SAVED_ACCOUNTS).await);
    let expected_leads = saved(&clean.app, &sam, paths::SAVED_LEADS).await.len();

    let t = setup(300).await;
    t.crm.standin.update_faults(|f| {
        f.throttle = Some(Throttle {
            retry_after_secs: 1,
            requests: 2,
        })
    });
    let run = t.sync().await;
    assert!(run.get("error").is_none(), "{run}");
    let sam = t.app.cookie_for("sam@demo.test").await;
    let accounts = saved(&t.app, &sam, paths::SAVED_ACCOUNTS).await;
    assert_eq!(crm_ids(&accounts), expected);
    assert_eq!(accounts.len(), expected.len(), "no duplicates");
    assert_eq!(
        saved(&t.app, &sam, paths::SAVED_LEADS).await.len(),
        expected_leads
    );
}
