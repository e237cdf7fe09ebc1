//! Connecting Dynamics 365 through the API (SPEC C1–C5, S1–S3), against the
//! Dataverse stand-in on loopback: connect, refusals, admin-only access,
//! settings, credential rotation, disconnect with clean-up, and the client
//! secret never appearing in the database, the logs or a response.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use axum::http::{Method, StatusCode};
use dataverse_standin::{Running, StandInConfig, Table, demo_crm, spawn};
use navsync_api::crm::CrmErrorKind;
use navsync_api::{Licence, OrganizationId, paths};
use navsync_server::store::{NewOrganization, NewPerson};
use serde_json::{Value, json};

use crate::support::{TestApp, TestResponse};

/// An app with the demo organization, a stand-in CRM it may reach, and a
/// signed-in admin.
struct Crm {
    app: TestApp,
    crm: Running,
    admin: String,
}

async fn standin(config: StandInConfig) -> Running {
    spawn(config, demo_crm(10, 11)).await.expect("stand-in")
}

async fn setup_with(config: StandInConfig) -> Crm {
    let crm = standin(config).await;
    let authority = crm.base_url.clone();
    let app = TestApp::demo_with(move |c| c.entra_authority = authority).await;
    let admin = app.cookie_for("admin@demo.test").await;
    Crm { app, crm, admin }
}

async fn setup() -> Crm {
    setup_with(StandInConfig::default()).await
}

fn connect_body(crm: &Running, secret: &str) -> Value {
    let config = crm.standin.config();
    json!({
        "environment_url": crm.base_url,
        "tenant": config.tenant,
        "client_id": config.client_id,
        "client_secret": secret,
    })
}

impl Crm {
    async fn connect_with(&self, body: &Value) -> TestResponse {
        self.app
            .json(Method::POST, paths::CRM_CONNECTION, body, Some(&self.admin))
            .await
    }

    async fn connect(&self) -> Value {
        let response = self
            .connect_with(&connect_body(&self.crm, &self.crm.standin.client_secret()))
            .await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        let outcome = response.json();
        assert_eq!(outcome["connected"], true, "{outcome}");
        outcome
    }

    async fn status(&self) -> Value {
        let response = self.app.get(paths::CRM, Some(&self.admin)).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        response.json()
    }

    async fn organization(&self) -> OrganizationId {
        self.app
            .state
            .store
            .find_person_by_email("admin@demo.test")
            .await
            .unwrap()
            .unwrap()
            .organization_id
    }

    async fn refused(&self, body: &Value) -> Value {
        let response = self.connect_with(body).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        let outcome = response.json();
        assert_eq!(outcome["connected"], false, "{outcome}");
        assert_eq!(outcome["status"]["state"], "not_connected", "{outcome}");
        outcome["problem"].clone()
    }
}

fn kind(value: &Value) -> CrmErrorKind {
    serde_json::from_value(value["kind"].clone()).unwrap_or_else(|_| panic!("{value}"))
}

#[tokio::test]
async fn connecting_saves_a_verified_connection_with_its_choices() {
    let t = setup().await;
    let before = t.status().await;
    assert_eq!(before["state"], "not_connected");
    assert_eq!(before["settings"]["auto_sync_all"], true);

    let outcome = t.connect().await;
    let status = &outcome["status"];
    assert_eq!(status["state"], "connected");
    assert!(outcome.get("problem").is_none());
    let connection = &status["connection"];
    assert_eq!(connection["environment_url"], t.crm.base_url);
    assert_eq!(connection["client_id"], t.crm.standin.config().client_id);
    assert_eq!(connection["connected_by"], "Avery Admin");
    assert_eq!(connection["organization_name"], "Navsync Demo");
    assert_eq!(connection["can_impersonate"], true);
    assert!(connection.get("client_secret").is_none());
    let expected: Vec<Value> = t
        .crm
        .standin
        .data()
        .options(Table::Opportunity, "salesstage")
        .iter()
        .map(|o| json!({"value": o.value, "label": o.label}))
        .collect();
    assert_eq!(status["stage_choices"], Value::Array(expected));
    let money: Vec<&str> = status["money_field_choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["logical_name"].as_str().unwrap())
        .collect();
    assert!(money.contains(&"actualvalue"), "{money:?}");
    assert_eq!(t.status().await, *status, "GET shows the same status");

    let org = t.organization().await;
    let audit = t
        .app
        .state
        .store
        .audit_entries(&org, "crm.connect")
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert!(audit[0].1.contains(&t.crm.base_url), "{}", audit[0].1);

    // The stored (sealed) secret gives a working client.
    let client = navsync_server::crm::client_for(&t.app.state, &org)
        .await
        .unwrap()
        .expect("connected");
    assert!(client.who_am_i().await.is_ok());

    // A second connection is a conflict: disconnect or update credentials instead.
    t.connect_with(&connect_body(&t.crm, "demo-secret"))
        .await
        .assert_error(409, "conflict");
}

#[tokio::test]
async fn every_crm_route_is_for_admins_only() {
    let t = setup().await;
    let seat_holder = t.app.cookie_for("sam@demo.test").await;
    let body = connect_body(&t.crm, "demo-secret");
    let routes: [(Method, &str, Option<Value>); 6] = [
        (Method::GET, paths::CRM, None),
        (Method::POST, paths::CRM_CONNECTION, Some(body.clone())),
        (
            Method::PUT,
            paths::CRM_CREDENTIALS,
            Some(
                json!({"tenant": "demo.onmicrosoft.com", "client_id": body["client_id"], "client_secret": "x"}),
            ),
        ),
        (
            Method::PUT,
            paths::CRM_SETTINGS,
            Some(json!({"auto_sync_all": false, "pipeline_stage": null, "won_value_field": null})),
        ),
        (Method::GET, paths::CRM_DISCONNECT_PREVIEW, None),
        (
            Method::POST,
            paths::CRM_DISCONNECT,
            Some(json!({"clean_up": true})),
        ),
    ];
    for (method, path, body) in routes {
        for (cookie, status, code) in [
            (None, 401, "unauthenticated"),
            (Some(seat_holder.as_str()), 403, "forbidden"),
        ] {
            let response = match &body {
                Some(body) => t.app.json(method.clone(), path, body, cookie).await,
                None => t.app.get(path, cookie).await,
            };
            response.assert_error(status, code);
        }
    }
    assert_eq!(t.status().await["state"], "not_connected");
    assert_eq!(
        t.crm.standin.stats().token_requests,
        0,
        "never reached the CRM"
    );
}

#[tokio::test]
async fn bad_input_is_422_with_the_fields() {
    let t = setup().await;
    let response = t
        .connect_with(&json!({
            "environment_url": "",
            "tenant": "not a tenant",
            "client_id": "not-a-guid",
            "client_secret": "",
        }))
        .await;
    response.assert_error(422, "validation_failed");
    let fields: Vec<String> = response.json()["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        fields,
        ["environment_url", "tenant", "client_id", "client_secret"]
    );
    t.connect_with(&json!({"environment_url": 5}))
        .await
        .assert_error(400, "bad_request");
    assert_eq!(t.status().await["state"], "not_connected");
    assert_eq!(t.crm.standin.stats().token_requests, 0);
}

#[tokio::test]
async fn a_refused_connection_saves_nothing() {
    let t = setup().await;
    let good = connect_body(&t.crm, "demo-secret");
    let with_url = |url: &str| {
        let mut body = good.clone();
        body["environment_url"] = json!(url);
        body
    };

    let problem = t
        .refused(&with_url("http://contoso.crm4.dynamics.com"))
        .await;
    assert_eq!(kind(&problem), CrmErrorKind::NotHttps);
    assert_eq!(problem["message"], CrmErrorKind::NotHttps.message());
    assert_eq!(problem["next_step"], CrmErrorKind::NotHttps.next_step());
    let problem = t.refused(&with_url("https://crm.contoso.local")).await;
    assert_eq!(kind(&problem), CrmErrorKind::OnPremises);

    let problem = t.refused(&connect_body(&t.crm, "wrong-secret")).await;
    assert_eq!(kind(&problem), CrmErrorKind::InsufficientPrivileges);
    assert_eq!(
        problem["message"],
        "Your CRM account does not have sufficient access privileges. Please check with your CRM administrator."
    );

    let standin = &t.crm.standin;
    standin.update_faults(|f| f.sandbox = true);
    assert_eq!(kind(&t.refused(&good).await), CrmErrorKind::Sandbox);
    standin.clear_faults();
    standin.update_faults(|f| f.version = Some("8.0.0.1".into()));
    assert_eq!(kind(&t.refused(&good).await), CrmErrorKind::VersionTooOld);
    standin.clear_faults();
    standin.update_faults(|f| f.missing_privileges = vec!["prvReadLead".into()]);
    let problem = t.refused(&good).await;
    assert_eq!(kind(&problem), CrmErrorKind::InsufficientPrivileges);
    assert_eq!(problem["missing_privilege"], "prvReadLead");
    standin.clear_faults();
    standin.update_faults(|f| f.missing_tables = vec!["opportunity".into()]);
    assert_eq!(kind(&t.refused(&good).await), CrmErrorKind::MissingObjects);
    standin.clear_faults();
    standin.update_faults(|f| f.server_error = Some(503));
    assert_eq!(kind(&t.refused(&good).await), CrmErrorKind::ApiError);
    standin.clear_faults();
    standin.update_faults(|f| f.unreachable = true);
    assert_eq!(kind(&t.refused(&good).await), CrmErrorKind::CouldNotConnect);
    standin.clear_faults();

    let org = t.organization().await;
    let store = &t.app.state.store;
    assert!(store.find_crm_connection(&org).await.unwrap().is_none());
    assert!(
        store
            .audit_entries(&org, "crm.connect")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(t.status().await["state"], "not_connected");
    // Once the CRM is fine, the same admin connects.
    t.connect().await;
}

#[tokio::test]
async fn settings_must_be_among_the_crms_choices() {
    let t = setup().await;
    let put = |body: Value| {
        let app = &t.app;
        let admin = t.admin.clone();
        async move {
            app.json(Method::PUT, paths::CRM_SETTINGS, &body, Some(&admin))
                .await
        }
    };
    let valid =
        json!({"auto_sync_all": false, "pipeline_stage": 2, "won_value_field": "actualvalue"});
    put(valid.clone()).await.assert_error(409, "conflict");

    t.connect().await;
    let response = put(valid.clone()).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.json()["settings"], valid);
    assert_eq!(t.status().await["settings"], valid);

    let response =
        put(json!({"auto_sync_all": true, "pipeline_stage": 99, "won_value_field": "nope"})).await;
    response.assert_error(422, "validation_failed");
    let fields: Vec<String> = response.json()["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, ["pipeline_stage", "won_value_field"]);
    assert_eq!(t.status().await["settings"], valid, "nothing saved");

    let not_sure = json!({"auto_sync_all": true, "pipeline_stage": null, "won_value_field": null});
    let response = put(not_sure.clone()).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(t.status().await["settings"], not_sure);
    let org = t.organization().await;
    let audit = t
        .app
        .state
        .store
        .audit_entries(&org, "crm.settings")
        .await
        .unwrap();
    assert_eq!(audit.len(), 2);
}

#[tokio::test]
async fn credentials_are_replaced_only_when_the_new_ones_work() {
    let t = setup().await;
    let update = |secret: &str| {
        json!({
            "tenant": t.crm.standin.config().tenant,
            "client_id": t.crm.standin.config().client_id,
            "client_secret": secret,
        })
    };
    t.app
        .json(
            Method::PUT,
            paths::CRM_CREDENTIALS,
            &update("demo-secret"),
            Some(&t.admin),
        )
        .await
        .assert_error(409, "conflict");
    t.connect().await;
    let org = t.organization().await;
    let stored_secret = || async {
        let record = t
            .app
            .state
            .store
            .find_crm_connection(&org)
            .await
            .unwrap()
            .unwrap();
        t.app
            .state
            .secret_key
            .open(&org, &record.credentials.secret)
            .unwrap()
            .expose()
            .to_owned()
    };
    assert_eq!(stored_secret().await, "demo-secret");

    // The app registration's secret is rotated in Entra.
    t.crm.standin.rotate_secret("rotated-secret-2");
    let response = t
        .app
        .json(
            Method::PUT,
            paths::CRM_CREDENTIALS,
            &update("demo-secret"),
            Some(&t.admin),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let outcome = response.json();
    assert_eq!(outcome["connected"], false);
    assert_eq!(
        kind(&outcome["problem"]),
        CrmErrorKind::InsufficientPrivileges
    );
    assert_eq!(
        outcome["status"]["state"], "connected",
        "old connection kept"
    );
    assert!(
        outcome["status"]["connection"]
            .get("credentials_updated_at")
            .is_none()
    );
    assert_eq!(stored_secret().await, "demo-secret", "old credentials kept");

    t.app
        .json(
            Method::PUT,
            paths::CRM_CREDENTIALS,
            &json!({"tenant": "", "client_id": "x", "client_secret": ""}),
            Some(&t.admin),
        )
        .await
        .assert_error(422, "validation_failed");

    let response = t
        .app
        .json(
            Method::PUT,
            paths::CRM_CREDENTIALS,
            &update("rotated-secret-2"),
            Some(&t.admin),
        )
        .await;
    let outcome = response.json();
    assert_eq!(outcome["connected"], true, "{outcome}");
    assert_eq!(outcome["status"]["state"], "connected");
    assert!(outcome["status"]["connection"]["credentials_updated_at"].is_string());
    assert_eq!(stored_secret().await, "rotated-secret-2");
    let audit = t
        .app
        .state
        .store
        .audit_entries(&org, "crm.credentials")
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
}

/// Inserts a saved account and a saved lead with `source` for a person.
async fn save_rows(pool: &sqlx::SqlitePool, org: &str, person: &str, source: &str, name: &str) {
    sqlx::query(
        "INSERT INTO saved_accounts (id, organization_id, person_id, name, source, created_at) \
         VALUES (?, ?, ?, ?, ?, 0)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(org)
    .bind(person)
    .bind(name)
    .bind(source)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO saved_leads (id, organization_id, person_id, first_name, last_name, source, created_at) \
         VALUES (?, ?, ?, 'Lee', ?, ?, 0)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(org)
    .bind(person)
    .bind(name)
    .bind(source)
    .execute(pool)
    .await
    .unwrap();
}

async fn names(pool: &sqlx::SqlitePool, table: &str) -> Vec<String> {
    let column = if table == "saved_accounts" {
        "name"
    } else {
        "last_name"
    };
    let rows: Vec<(String,)> = sqlx::query_as(&format!("SELECT {column} FROM {table} ORDER BY 1"))
        .fetch_all(pool)
        .await
        .unwrap();
    rows.into_iter().map(|(n,)| n).collect()
}

#[tokio::test]
async fn disconnect_cleans_up_only_crm_data_and_reconnecting_works() {
    let t = setup().await;
    let store = &t.app.state.store;
    let sam = store
        .find_person_by_email("sam@demo.test")
        .await
        .unwrap()
        .unwrap();
    let (other_org, other_people) = store
        .create_organization_with_people(
            &NewOrganization {
                name: "Other".into(),
                seat_limit: 2,
            },
            &[NewPerson {
                name: "Olga".into(),
                email: "olga@other.test".into(),
                password_hash: None,
                licence: Licence::AdminAndTeamMember,
            }],
        )
        .await
        .unwrap();
    let pool = sqlx::SqlitePool::connect(&format!(
        "sqlite://{}",
        t.app.state.config.database_path().display()
    ))
    .await
    .unwrap();
    let org = sam.organization_id.as_str();
    save_rows(&pool, org, sam.id.as_str(), "crm", "crm-1").await;
    save_rows(&pool, org, sam.id.as_str(), "crm", "crm-2").await;
    save_rows(&pool, org, sam.id.as_str(), "manual", "manual-1").await;
    save_rows(
        &pool,
        other_org.as_str(),
        other_people[0].as_str(),
        "crm",
        "other-crm",
    )
    .await;

    let disconnect = |clean_up: bool| {
        let app = &t.app;
        let admin = t.admin.clone();
        async move {
            app.json(
                Method::POST,
                paths::CRM_DISCONNECT,
                &json!({"clean_up": clean_up}),
                Some(&admin),
            )
            .await
        }
    };
    disconnect(true).await.assert_error(409, "conflict");
    t.connect().await;
    let preview = t
        .app
        .get(paths::CRM_DISCONNECT_PREVIEW, Some(&t.admin))
        .await
        .json();
    assert_eq!(preview, json!({"accounts": 2, "leads": 2}));

    // Without clean-up, imported data stays.
    let response = disconnect(false).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.json()["state"], "not_connected");
    assert_eq!(
        names(&pool, "saved_accounts").await,
        ["crm-1", "crm-2", "manual-1", "other-crm"]
    );

    // Reconnect, then disconnect with clean-up.
    t.connect().await;
    let response = disconnect(true).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.json()["state"], "not_connected");
    assert_eq!(
        names(&pool, "saved_accounts").await,
        ["manual-1", "other-crm"]
    );
    assert_eq!(names(&pool, "saved_leads").await, ["manual-1", "other-crm"]);
    let preview = t
        .app
        .get(paths::CRM_DISCONNECT_PREVIEW, Some(&t.admin))
        .await
        .json();
    assert_eq!(preview, json!({"accounts": 0, "leads": 0}));
    let secrets: Vec<(String,)> = sqlx::query_as("SELECT organization_id FROM crm_connections")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert!(secrets.is_empty(), "the encrypted secret is gone too");
    let audit = store
        .audit_entries(&sam.organization_id, "crm.disconnect")
        .await
        .unwrap();
    assert_eq!(audit.len(), 2);
    assert!(
        audit[1].1.contains("2 saved accounts and 2 saved leads"),
        "{}",
        audit[1].1
    );

    // Reconnect as another app registration (e.g. a dedicated Integration User).
    let other = standin(StandInConfig {
        client_id: "99999999-8888-4777-8666-555555555555".into(),
        client_secret: "integration-user-secret".into(),
        ..StandInConfig::default()
    })
    .await;
    let app = TestApp::demo_with({
        let authority = other.base_url.clone();
        move |c| c.entra_authority = authority
    })
    .await;
    let admin = app.cookie_for("admin@demo.test").await;
    let response = app
        .json(
            Method::POST,
            paths::CRM_CONNECTION,
            &connect_body(&other, "integration-user-secret"),
            Some(&admin),
        )
        .await;
    let outcome = response.json();
    assert_eq!(outcome["connected"], true, "{outcome}");
    let second = Crm {
        app,
        crm: other,
        admin,
    };
    second
        .app
        .json(
            Method::POST,
            paths::CRM_DISCONNECT,
            &json!({"clean_up": false}),
            Some(&second.admin),
        )
        .await;
    let response = second
        .app
        .json(
            Method::POST,
            paths::CRM_CONNECTION,
            &connect_body(&second.crm, "integration-user-secret"),
            Some(&second.admin),
        )
        .await;
    assert_eq!(
        response.json()["status"]["connection"]["client_id"],
        "99999999-8888-4777-8666-555555555555"
    );
}

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl Write for LogBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every log line of this test binary from the moment it is first called: a
/// global subscriber (a thread-local one misses callsites whose interest
/// other tests' threads cached while it was not installed).
fn captured_logs() -> &'static LogBuffer {
    static LOGS: OnceLock<LogBuffer> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = LogBuffer::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only global subscriber");
        logs
    })
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn the_client_secret_is_never_stored_in_clear_logged_or_returned() {
    const SECRET: &str = "Zq9~Distinctive-CLIENT-secret-7781";
    const WRONG: &str = "Wr0ng~Another-CLIENT-secret-4411";
    let logs = captured_logs();

    let t = setup_with(StandInConfig {
        client_secret: SECRET.into(),
        ..StandInConfig::default()
    })
    .await;
    let mut bodies = Vec::new();
    let refused = t.connect_with(&connect_body(&t.crm, WRONG)).await;
    assert_eq!(refused.json()["connected"], false);
    bodies.push(refused.body);
    let connected = t.connect_with(&connect_body(&t.crm, SECRET)).await;
    assert_eq!(connected.json()["connected"], true, "{}", connected.text());
    bodies.push(connected.body);
    let update = json!({
        "tenant": t.crm.standin.config().tenant,
        "client_id": t.crm.standin.config().client_id,
        "client_secret": WRONG,
    });
    bodies.push(
        t.app
            .json(Method::PUT, paths::CRM_CREDENTIALS, &update, Some(&t.admin))
            .await
            .body,
    );
    bodies.push(t.app.get(paths::CRM, Some(&t.admin)).await.body);
    bodies.push(t.app.get(paths::OPENAPI, None).await.body);
    for body in &bodies {
        assert!(
            !contains(body, SECRET) && !contains(body, WRONG),
            "{}",
            String::from_utf8_lossy(body)
        );
    }

    let org = t.organization().await;
    assert!(
        t.app
            .state
            .store
            .find_crm_connection(&org)
            .await
            .unwrap()
            .is_some()
    );
    let mut files = 0;
    for name in ["navsync.db", "navsync.db-wal", "navsync.db-shm"] {
        let path = t.app.data_dir().join(name);
        if let Ok(bytes) = std::fs::read(&path) {
            files += 1;
            assert!(!contains(&bytes, SECRET), "{name} holds the secret");
            assert!(!contains(&bytes, WRONG), "{name} holds the wrong secret");
        }
    }
    assert!(files >= 2, "the database and its WAL were read");
    let key_file = std::fs::read(t.app.data_dir().join("secret.key")).unwrap();
    assert!(!contains(&key_file, SECRET));

    let logs = logs.0.lock().unwrap().clone();
    let text = String::from_utf8_lossy(&logs);
    let ours = format!("organization={org}");
    for line in [
        "CRM connected",
        "CRM connect failed",
        "CRM update credentials failed",
    ] {
        assert!(
            text.lines().any(|l| l.contains(line) && l.contains(&ours)),
            "this test's logs were captured ({line}): {text}"
        );
    }
    assert!(!text.contains(SECRET) && !text.contains(WRONG), "{text}");
    assert!(!format!("{:?}", t.app.state).contains(SECRET));
}

#[tokio::test]
async fn a_wrong_secret_key_is_a_clear_startup_error() {
    let t = setup().await;
    t.connect().await;
    let mut config = navsync_server::Config::for_tests(t.app.data_dir(), t.app.data_dir());
    // Same database, but another key than the one the secret was sealed with.
    config.secret_key = Some(navsync_dataverse::Secret::new(
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    ));
    let err = navsync_server::build_state(config.clone())
        .await
        .expect_err("the key does not open the stored secret");
    assert!(err.to_string().contains("NAVSYNC_SECRET_KEY"), "{err}");
    config.secret_key = Some(navsync_dataverse::Secret::new("too short"));
    let err = navsync_server::build_state(config.clone())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("NAVSYNC_SECRET_KEY"), "{err}");
    // With the key file it was sealed with, the server starts.
    config.secret_key = None;
    assert!(navsync_server::build_state(config).await.is_ok());
}
