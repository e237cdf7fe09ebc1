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

/// An opportunity as the stand-in holds it.
#[derive(Clone, Debug)]
struct Opp {
    id: Uuid,
    state: i64,
    stage: Option<i64>,
    owner: String,
    account: String,
}

impl Synced {
    fn opportunities(&self) -> Vec<Opp> {
        let standin = &self.crm.standin;
        let ids: Vec<Uuid> = standin
            .data()
            .rows(Table::Opportunity)
            .keys()
            .copied()
            .collect();
        ids.into_iter()
            .filter_map(|id| {
                let row = standin.row(Table::Opportunity, id)?;
                Some(Opp {
                    id,
                    state: row["statecode"].as_i64().unwrap_or(0),
                    stage: row["salesstage"].as_i64(),
                    owner: row["_ownerid_value"].as_str()?.to_string(),
                    account: row["_parentaccountid_value"].as_str()?.to_string(),
                })
            })
            .collect()
    }

    fn user(&self, email: &str) -> String {
        let data = self.crm.standin.data();
        let column = Table::SystemUser
            .column_index("internalemailaddress")
            .unwrap();
        data.rows(Table::SystemUser)
            .iter()
            .find(|(_, r)| r[column] == dataverse_standin::Cell::text(email))
            .unwrap()
            .0
            .to_string()
    }

    fn contacts_of(&self, account: &str) -> Vec<Uuid> {
        let data = self.crm.standin.data();
        let column = Table::Contact
            .column_index("_parentcustomerid_value")
            .unwrap();
        let account = dataverse_standin::Cell::Guid(Uuid::parse_str(account).unwrap());
        data.rows(Table::Contact)
            .iter()
            .filter(|(_, r)| r[column] == account)
            .map(|(id, _)| *id)
            .collect()
    }

    async fn organization(&self) -> navsync_api::OrganizationId {
        self.app
            .state
            .store
            .find_person_by_email("admin@demo.test")
            .await
            .unwrap()
            .unwrap()
            .organization_id
    }

    /// Every saved row of the organization, all columns, in a stable order.
    async fn snapshot(&self) -> Vec<String> {
        let pool = sqlx::SqlitePool::connect(&format!(
            "sqlite://{}",
            self.app.state.config.database_path().display()
        ))
        .await
        .unwrap();
        type AccountRow = (
            String,
            String,
            String,
            Option<String>,
            Option<String>,
            String,
            bool,
            Option<f64>,
        );
        let accounts: Vec<AccountRow> = sqlx::query_as(
            "SELECT id, person_id, name, crm_id, crm_url, source, saved_by_hand, won_value \
                 FROM saved_accounts ORDER BY person_id, crm_id, id",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        type LeadRow = (
            String,
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
        let leads: Vec<LeadRow> = sqlx::query_as(
            "SELECT id, person_id, first_name, last_name, email, company, crm_id, crm_url, source, \
             saved_by_hand FROM saved_leads ORDER BY person_id, crm_id, id",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        pool.close().await;
        accounts
            .iter()
            .map(|r| format!("account {r:?}"))
            .chain(leads.iter().map(|r| format!("lead {r:?}")))
            .collect()
    }

    /// What `rules::evaluate` (the specification) gives over the whole mirror,
    /// as (kind, person, CRM id, name or full name, won value or company).
    async fn oracle(&self) -> BTreeSet<String> {
        use navsync_server::sync::rules;
        let store = &self.app.state.store;
        let organization = self.organization().await;
        let settings = store.crm_settings(&organization).await.unwrap();
        let holders = store.seat_holders(&organization).await.unwrap();
        let users = store.crm_users(&organization).await.unwrap();
        let owners = rules::owner_ids(&settings, &holders, &users);
        let rows = store.rule_rows(&organization, &owners).await.unwrap();
        let accounts = rows
            .accounts
            .into_iter()
            .map(|a| (a.id.clone(), a))
            .collect();
        let desired = rules::evaluate(&rules::Inputs {
            settings: &settings,
            environment_url: &self.crm.base_url,
            holders: &holders,
            users: &users,
            opportunities: &rows.opportunities,
            accounts: &accounts,
            contacts: &rows.contacts,
        });
        desired
            .accounts
            .iter()
            .map(|a| {
                format!(
                    "account {} {} {} {} {:?}",
                    a.person_id.as_str(),
                    a.crm_id,
                    a.name,
                    a.crm_url,
                    a.won_value
                )
            })
            .chain(desired.leads.iter().map(|l| {
                format!(
                    "lead {} {} {} {} {:?} {:?} {}",
                    l.person_id.as_str(),
                    l.crm_id,
                    l.first_name,
                    l.last_name,
                    l.email,
                    l.company,
                    l.crm_url
                )
            }))
            .collect()
    }

    /// The CRM-brought rows in the oracle's form.
    async fn crm_rows(&self) -> BTreeSet<String> {
        let pool = sqlx::SqlitePool::connect(&format!(
            "sqlite://{}",
            self.app.state.config.database_path().display()
        ))
        .await
        .unwrap();
        let accounts: Vec<(String, String, String, String, Option<f64>)> = sqlx::query_as(
            "SELECT person_id, crm_id, name, crm_url, won_value FROM saved_accounts WHERE source = 'crm'",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        type LeadRow = (
            String,
            String,
            String,
            String,
            Option<String>,
            Option<String>,
            String,
        );
        let leads: Vec<LeadRow> = sqlx::query_as(
            "SELECT person_id, crm_id, first_name, last_name, email, company, crm_url \
             FROM saved_leads WHERE source = 'crm'",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        pool.close().await;
        accounts
            .into_iter()
            .map(|a| format!("account {} {} {} {} {:?}", a.0, a.1, a.2, a.3, a.4))
            .chain(leads.into_iter().map(|l| {
                format!(
                    "lead {} {} {} {} {:?} {:?} {}",
                    l.0, l.1, l.2, l.3, l.4, l.5, l.6
                )
            }))
            .collect()
    }
}

#[tokio::test]
async fn an_incremental_run_gives_what_a_full_recompute_gives_after_mixed_changes() {
    let t = setup(400).await;
    let response = t
        .app
        .json(
            Method::PUT,
            paths::CRM_SETTINGS,
            &json!({"auto_sync_all": true, "pipeline_stage": 1, "won_value_field": "actualvalue"}),
            Some(&t.admin),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(t.sync().await["full"], true);
    assert_eq!(t.crm_rows().await, t.oracle().await, "full run = rules");

    let sam = t.user("sam@demo.test");
    let kim = t.user("kim@demo.test");
    let opps = t.opportunities();
    let in_pipeline =
        |o: &&Opp, owner: &str| o.state == 0 && o.stage.unwrap_or(-1) >= 1 && o.owner == owner;
    let sams: Vec<&Opp> = opps.iter().filter(|o| in_pipeline(o, &sam)).collect();
    let kims: Vec<&Opp> = opps.iter().filter(|o| in_pipeline(o, &kim)).collect();
    assert!(
        sams.len() >= 8 && kims.len() >= 3,
        "{} {}",
        sams.len(),
        kims.len()
    );
    let standin = &t.crm.standin;
    let sam_cookie = t.app.cookie_for("sam@demo.test").await;
    // Sam also saves by hand the account whose opportunity drops below the stage.
    let response = t
        .app
        .json(
            Method::POST,
            paths::SAVED_ACCOUNTS,
            &json!({"name": "Mine too", "crm_id": sams[0].account}),
            Some(&sam_cookie),
        )
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());

    // Stage drop, close as won, owner change, deletion.
    standin
        .update_row(Table::Opportunity, sams[0].id, &json!({"salesstage": 0}))
        .unwrap();
    standin
        .update_row(
            Table::Opportunity,
            sams[1].id,
            &json!({"statecode": 1, "statuscode": 3, "actualvalue": 12340.0}),
        )
        .unwrap();
    standin
        .update_row(
            Table::Opportunity,
            sams[2].id,
            &json!({"_ownerid_value": kim}),
        )
        .unwrap();
    standin.delete_row(Table::Opportunity, kims[0].id).unwrap();
    // A won value changes on an account in someone's pipeline.
    let won = opps
        .iter()
        .find(|o| o.state == 1 && sams[3..].iter().any(|s| s.account == o.account))
        .or_else(|| opps.iter().find(|o| o.state == 1))
        .unwrap();
    standin
        .update_row(
            Table::Opportunity,
            won.id,
            &json!({"actualvalue": 777770.0}),
        )
        .unwrap();
    // A contact moves from an account in sam's pipeline to one in kim's; another is deleted.
    let moved = t.contacts_of(&sams[4].account)[0];
    standin
        .update_row(
            Table::Contact,
            moved,
            &json!({"_parentcustomerid_value": kims[1].account}),
        )
        .unwrap();
    if let Some(gone) = t.contacts_of(&sams[5].account).first()
        && *gone != moved
    {
        standin.delete_row(Table::Contact, *gone).unwrap();
    }
    // An account is renamed, another deleted.
    standin
        .update_row(
            Table::Account,
            Uuid::parse_str(&sams[6].account).unwrap(),
            &json!({"name": "Renamed Ltd"}),
        )
        .unwrap();
    standin
        .delete_row(Table::Account, Uuid::parse_str(&kims[2].account).unwrap())
        .unwrap();
    // An opportunity's own contact becomes one of another account.
    let elsewhere = t.contacts_of(&kims[1].account)[0];
    standin
        .update_row(
            Table::Opportunity,
            sams[7].id,
            &json!({"_parentcontactid_value": elsewhere.to_string()}),
        )
        .unwrap();
    // A new account with a contact and an opportunity of sam's at the last stage.
    let account = standin
        .create_row(Table::Account, &json!({"name": "Brand New BV"}))
        .unwrap();
    let contact = standin
        .create_row(
            Table::Contact,
            &json!({"firstname": "Nova", "lastname": "Neu", "emailaddress1": "nova@new.example",
                    "_parentcustomerid_value": account.to_string()}),
        )
        .unwrap();
    standin
        .create_row(
            Table::Opportunity,
            &json!({"name": "New deal", "statecode": 0, "statuscode": 1, "salesstage": 3,
                    "_ownerid_value": sam, "_parentaccountid_value": account.to_string(),
                    "_parentcontactid_value": contact.to_string()}),
        )
        .unwrap();
    // A lost opportunity is reopened at a stage in the pipeline.
    if let Some(lost) = opps.iter().find(|o| o.state == 2) {
        standin
            .update_row(
                Table::Opportunity,
                lost.id,
                &json!({"statecode": 0, "statuscode": 1, "salesstage": 2}),
            )
            .unwrap();
    }

    let run = t.sync().await;
    assert_eq!(run["full"], false, "{run}");
    assert!(run["rows_changed"].as_u64().unwrap() > 0, "{run}");
    let incremental = t.snapshot().await;
    assert_eq!(
        t.crm_rows().await,
        t.oracle().await,
        "incremental run = rules"
    );
    let sams_saved = saved(&t.app, &sam_cookie, paths::SAVED_ACCOUNTS).await;
    assert!(sams_saved.iter().any(|a| a["name"] == "Brand New BV"));
    assert!(sams_saved.iter().any(|a| a["name"] == "Renamed Ltd"));
    let kept = sams_saved.iter().find(|a| {
        a["crm_url"]
            .as_str()
            .is_some_and(|u| u.contains(&sams[0].account))
    });
    assert!(
        kept.is_some_and(|a| a["saved_by_hand"] == true),
        "the hand-saved account stays: {kept:?}"
    );

    // A full recompute of the rules over the same mirror changes nothing.
    let organization = t.organization().await;
    t.app
        .state
        .store
        .set_rules_fingerprint(&organization, "")
        .await
        .unwrap();
    let run = t.sync().await;
    assert_eq!(
        run["rows_changed"], 0,
        "full recompute after incremental: {run}"
    );
    assert_eq!(t.snapshot().await, incremental);
}

#[tokio::test]
async fn changes_read_before_a_failed_run_are_applied_by_the_next_one() {
    let t = setup(90).await;
    t.sync().await;
    let sam = t.user("sam@demo.test");
    let opp = t
        .opportunities()
        .into_iter()
        .find(|o| o.state == 0 && o.owner == sam)
        .unwrap();
    t.crm
        .standin
        .update_row(
            Table::Account,
            Uuid::parse_str(&opp.account).unwrap(),
            &json!({"name": "Renamed Before The Failure"}),
        )
        .unwrap();
    // Accounts are read (and their delta link saved); opportunities then fail.
    t.crm
        .standin
        .update_faults(|f| f.missing_privileges = vec!["prvReadOpportunity".into()]);
    let run = t.sync().await;
    assert!(run["error"].is_string(), "{run}");
    let organization = t.organization().await;
    assert!(
        t.app
            .state
            .store
            .sync_pending_count(&organization)
            .await
            .unwrap()
            > 0,
        "the touched account waits for the rules"
    );
    t.crm.standin.clear_faults();
    let run = t.sync().await;
    assert_eq!(run["full"], false, "{run}");
    let sam_cookie = t.app.cookie_for("sam@demo.test").await;
    let names: Vec<Value> = saved(&t.app, &sam_cookie, paths::SAVED_ACCOUNTS)
        .await
        .into_iter()
        .map(|a| a["name"].clone())
        .collect();
    assert!(
        names.contains(&json!("Renamed Before The Failure")),
        "{names:?}"
    );
    assert_eq!(
        t.app
            .state
            .store
            .sync_pending_count(&organization)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn sync_now_during_a_run_is_queued_once() {
    let t = setup(60).await;
    t.sync().await;
    // Slow the next run down: its first two CRM requests wait a second each.
    t.crm.standin.update_faults(|f| {
        f.throttle = Some(Throttle {
            retry_after_secs: 1,
            requests: 2,
        })
    });
    let press = || async {
        let response = t
            .app
            .json(Method::POST, paths::CRM_SYNC, &json!({}), Some(&t.admin))
            .await;
        assert_eq!(response.status, StatusCode::ACCEPTED, "{}", response.text());
        response.json()
    };
    let first = press().await;
    assert_eq!(first["queued"], false, "nothing was running: {first}");
    let mut running = false;
    for _ in 0..200 {
        let status = t.app.get(paths::CRM_SYNC, Some(&t.admin)).await.json();
        if status["running"].is_object() {
            running = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(running, "the run did not start");
    for _ in 0..3 {
        let answer = press().await;
        assert_eq!(answer["queued"], true, "{answer}");
        assert!(answer["running"].is_object(), "{answer}");
    }
    let status = t.app.get(paths::CRM_SYNC, Some(&t.admin)).await.json();
    assert_eq!(status["queued"], true, "{status}");

    // The run in progress, then exactly one more: not four, not side by side.
    let organization = t.organization().await;
    let mut finished = Vec::new();
    // Up to 60 s: the runs are short, but a loaded 2-core CI machine is slow.
    for _ in 0..3000 {
        let status = t.app.get(paths::CRM_SYNC, Some(&t.admin)).await.json();
        let runs = t
            .app
            .state
            .store
            .sync_runs(&organization, 10)
            .await
            .unwrap();
        if status["running"].is_null() && status["queued"] == false && runs.len() >= 3 {
            finished = runs;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        !finished.is_empty(),
        "the run in progress and the queued one did not both finish within 60 s"
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let runs = t
        .app
        .state
        .store
        .sync_runs(&organization, 10)
        .await
        .unwrap();
    assert_eq!(
        runs.len(),
        3,
        "the first sync, the pressed run, one queued: {runs:?}"
    );
    assert_eq!(runs, finished, "nothing ran later");
    let (queued_run, pressed_run) = (&runs[0], &runs[1]);
    assert!(
        runs.iter()
            .all(|r| r.finished_at.is_some() && r.error.is_none()),
        "{runs:?}"
    );
    assert!(
        queued_run.started_at >= pressed_run.finished_at.unwrap(),
        "the queued run started after the pressed one ended: {runs:?}"
    );
    let status = t.app.get(paths::CRM_SYNC, Some(&t.admin)).await.json();
    assert_eq!(status["queued"], false, "{status}");
}
