//! The `/_standin/rows` control routes: a test or a person demonstrating the
//! product changes the CRM over HTTP, and change tracking reports it.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use dataverse_standin::{StandIn, StandInConfig, Table, demo_crm, router};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

async fn send(app: &Router, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header("Host", "127.0.0.1:8081");
    if body.is_some() {
        req = req.header("Content-Type", "application/json");
    }
    let res = app
        .clone()
        .oneshot(
            req.body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
                .unwrap(),
        )
        .await
        .unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn rows_are_created_changed_and_deleted_over_http() {
    let standin = StandIn::new(StandInConfig::default(), demo_crm(20, 3));
    let app = router(standin.clone());
    let (status, body) = send(
        &app,
        "POST",
        "/_standin/rows/accounts",
        Some(json!({"name": "Over HTTP BV"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_str().unwrap().to_string();
    let uuid = uuid::Uuid::parse_str(&id).unwrap();
    assert_eq!(
        standin.row(Table::Account, uuid).unwrap()["name"],
        "Over HTTP BV"
    );

    let (status, body) = send(
        &app,
        "PATCH",
        &format!("/_standin/rows/accounts/{id}"),
        Some(json!({"name": "Renamed BV"})),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(
        standin.row(Table::Account, uuid).unwrap()["name"],
        "Renamed BV"
    );

    let (status, body) = send(
        &app,
        "PATCH",
        &format!("/_standin/rows/accounts/{id}"),
        Some(json!({"nosuchcolumn": 1})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["error"].is_string());
    let (status, _) = send(
        &app,
        "PATCH",
        "/_standin/rows/nosuchtable/00000000-0000-0000-0000-000000000001",
        Some(json!({})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, _) = send(
        &app,
        "DELETE",
        &format!("/_standin/rows/accounts/{id}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(standin.row(Table::Account, uuid).is_none());
    assert!(standin.tombstones().iter().any(|t| t.id == uuid));
    let (status, _) = send(
        &app,
        "DELETE",
        &format!("/_standin/rows/accounts/{id}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
