//! Health and first-run set-up.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::support::TestApp;

fn setup_form() -> serde_json::Value {
    json!({
        "organization_name": "Acme",
        "seat_limit": 10,
        "admin_name": "Ada Admin",
        "email": "Ada@Acme.test",
        "password": "long enough",
        "also_team_member": true
    })
}

#[tokio::test]
async fn health_answers_ok_with_the_version() {
    let app = TestApp::new().await;
    let response = app.get("/api/health", None).await;
    assert_eq!(response.status, StatusCode::OK);
    let body = response.json();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn setup_creates_the_organization_and_signs_the_admin_in_once() {
    let app = TestApp::new().await;
    let status = app.get("/api/setup", None).await.json();
    assert_eq!(status, json!({ "needed": true, "demo": false }));

    let response = app
        .json(Method::POST, "/api/setup", &setup_form(), None)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let me = response.json();
    assert_eq!(me["person"]["email"], "ada@acme.test");
    assert_eq!(me["person"]["licence"], "admin_and_team_member");
    assert_eq!(me["organization"]["name"], "Acme");
    assert_eq!(me["organization"]["seat_limit"], 10);
    assert_eq!(me["organization"]["seats_used"], 1);

    let cookie = response.session_cookie();
    let again = app.get("/api/me", Some(&cookie)).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json()["person"]["name"], "Ada Admin");
    assert_eq!(app.get("/api/setup", None).await.json()["needed"], false);

    let mut second = setup_form();
    second["email"] = json!("eve@evil.test");
    app.json(Method::POST, "/api/setup", &second, None)
        .await
        .assert_error(409, "conflict");
    // The first admin can sign in with their password.
    assert_eq!(
        app.sign_in("ada@acme.test", "long enough").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn setup_admin_only_takes_no_seat() {
    let app = TestApp::new().await;
    let mut form = setup_form();
    form["also_team_member"] = json!(false);
    let me = app
        .json(Method::POST, "/api/setup", &form, None)
        .await
        .json();
    assert_eq!(me["person"]["licence"], "admin");
    assert_eq!(me["organization"]["seats_used"], 0);
}

#[tokio::test]
async fn setup_reports_invalid_fields() {
    let app = TestApp::new().await;
    let mut form = setup_form();
    form["email"] = json!("not-an-email");
    form["password"] = json!("short");
    let response = app.json(Method::POST, "/api/setup", &form, None).await;
    response.assert_error(422, "validation_failed");
    let fields: Vec<_> = response.json()["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(fields, ["email", "password"]);
    assert_eq!(app.get("/api/setup", None).await.json()["needed"], true);
}

#[tokio::test]
async fn demo_mode_needs_no_setup() {
    let app = TestApp::demo().await;
    let status = app.get("/api/setup", None).await.json();
    assert_eq!(status, json!({ "needed": false, "demo": true }));
    app.json(Method::POST, "/api/setup", &setup_form(), None)
        .await
        .assert_error(409, "conflict");
}

#[tokio::test]
async fn demo_seeding_is_idempotent_across_restarts() {
    let data = tempfile::TempDir::new().unwrap();
    let mut config = navsync_server::Config::for_tests(data.path(), data.path().join("no-dist"));
    config.demo = true;
    let first = navsync_server::build_state(config.clone()).await.unwrap();
    first.store.ping().await.unwrap();
    drop(first);
    let second = navsync_server::build_state(config).await.unwrap();
    assert!(data.path().join("navsync.db").is_file());
    let admin = second
        .store
        .find_person_by_email("admin@demo.test")
        .await
        .unwrap()
        .expect("demo admin");
    let (_, total) = second
        .store
        .list_seats(&admin.organization_id, 0, 50, None)
        .await
        .unwrap();
    assert_eq!(total, 7);
    assert!(!second.store.is_empty().await.unwrap());
}
