//! `GET /api/admin/audit-log`: the CRM changes are in it (newest first, with
//! the actor's name), sign-ins are not, and each organization sees only its own.

use axum::http::{Method, StatusCode};
use dataverse_standin::{StandInConfig, demo_crm, spawn};
use navsync_api::{Licence, paths};
use navsync_server::store::{NewOrganization, NewPerson};
use serde_json::{Value, json};

use crate::support::TestApp;

fn actions(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|e| e["action"].as_str().expect("action").to_owned())
        .collect()
}

#[tokio::test]
async fn admins_read_their_organizations_changes_newest_first() {
    let crm = spawn(StandInConfig::default(), demo_crm(3, 3))
        .await
        .expect("stand-in");
    let authority = crm.base_url.clone();
    let app = TestApp::demo_with(move |c| c.entra_authority = authority).await;
    let admin = app.cookie_for("admin@demo.test").await;
    let seat_holder = app.cookie_for("sam@demo.test").await;

    let empty = app.get(paths::AUDIT_LOG, Some(&admin)).await;
    assert_eq!(empty.status, StatusCode::OK, "{}", empty.text());
    assert_eq!(empty.json()["total"], 0, "sign-ins are not audited");

    let config = crm.standin.config();
    let secret = crm.standin.client_secret();
    let send = |method: Method, path: &'static str, body: Value| {
        let (app, admin) = (&app, admin.clone());
        async move {
            let response = app.json(method, path, &body, Some(&admin)).await;
            assert_eq!(
                response.status,
                StatusCode::OK,
                "{path}: {}",
                response.text()
            );
        }
    };
    send(
        Method::POST,
        paths::CRM_CONNECTION,
        json!({"environment_url": crm.base_url, "tenant": config.tenant,
               "client_id": config.client_id, "client_secret": secret}),
    )
    .await;
    send(
        Method::PUT,
        paths::CRM_SETTINGS,
        json!({"auto_sync_all": true, "pipeline_stage": null, "won_value_field": null}),
    )
    .await;
    send(
        Method::PUT,
        paths::CRM_CREDENTIALS,
        json!({"tenant": config.tenant, "client_id": config.client_id, "client_secret": secret}),
    )
    .await;
    send(
        Method::POST,
        paths::CRM_DISCONNECT,
        json!({"clean_up": false}),
    )
    .await;
    // Signing in again is still not a change.
    app.cookie_for("morgan@demo.test").await;

    let response = app.get(paths::AUDIT_LOG, Some(&admin)).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let page = response.json();
    assert_eq!(page["total"], 4, "{page}");
    assert_eq!(
        actions(&page),
        [
            "crm.disconnect",
            "crm.credentials",
            "crm.settings",
            "crm.connect"
        ]
    );
    for entry in page["items"].as_array().unwrap() {
        assert_eq!(entry["actor_name"], "Avery Admin", "{entry}");
        assert!(entry["at"].as_str().unwrap().ends_with('Z'), "{entry}");
        assert!(!entry["id"].as_str().unwrap().is_empty());
    }
    assert!(!response.text().contains(&secret), "never the secret");
    assert!(
        page["items"][3]["detail"]
            .as_str()
            .unwrap()
            .contains(&crm.base_url)
    );

    let second = app
        .get(
            &format!("{}?offset=1&limit=2", paths::AUDIT_LOG),
            Some(&admin),
        )
        .await
        .json();
    assert_eq!(actions(&second), ["crm.credentials", "crm.settings"]);
    assert_eq!(
        (second["offset"].as_u64(), second["limit"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(second["total"], 4);

    app.get(&format!("{}?limit=-1", paths::AUDIT_LOG), Some(&admin))
        .await
        .assert_error(400, "bad_request");
    app.get(paths::AUDIT_LOG, Some(&seat_holder))
        .await
        .assert_error(403, "forbidden");
    app.get(paths::AUDIT_LOG, None)
        .await
        .assert_error(401, "unauthenticated");

    // Another organization's admin sees none of it.
    let hash = navsync_server::auth::password::hash_blocking("other-password").unwrap();
    app.state
        .store
        .create_organization_with_people(
            &NewOrganization {
                name: "Other Org".into(),
                seat_limit: 5,
            },
            &[NewPerson {
                name: "Olga Other".into(),
                email: "olga@other.test".into(),
                password_hash: Some(hash),
                licence: Licence::Admin,
            }],
        )
        .await
        .unwrap();
    let other = app
        .sign_in("olga@other.test", "other-password")
        .await
        .session_cookie();
    let theirs = app.get(paths::AUDIT_LOG, Some(&other)).await.json();
    assert_eq!(theirs["total"], 0, "{theirs}");
    assert_eq!(theirs["items"], json!([]));
}
