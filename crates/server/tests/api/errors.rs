//! Every failure is a JSON `ErrorBody`: malformed bodies, wrong types, missing
//! content type, oversized bodies, unknown paths and wrong methods.

use axum::body::Body;
use axum::http::{Method, Request};
use serde_json::json;

use crate::support::TestApp;

fn post(path: &str, content_type: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    let mut request = Request::post(path);
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    request.body(body.into()).unwrap()
}

#[tokio::test]
async fn malformed_json_is_a_json_400() {
    let app = TestApp::demo().await;
    let response = app
        .send(post(
            "/api/session",
            Some("application/json"),
            r#"{"email": "sam@demo.test", "#,
        ))
        .await;
    response.assert_error(400, "bad_request");
    assert!(
        response.json()["message"]
            .as_str()
            .unwrap()
            .contains("not valid JSON")
    );
}

#[tokio::test]
async fn wrong_field_type_is_a_json_400_that_does_not_echo_the_value() {
    let app = TestApp::demo().await;
    let response = app
        .json(
            Method::POST,
            "/api/session",
            &json!({ "email": "sam@demo.test", "password": ["hunter2-secret"] }),
            None,
        )
        .await;
    response.assert_error(400, "bad_request");
    let message = response.json()["message"].as_str().unwrap().to_owned();
    assert!(message.contains("password"), "{message}");
    assert!(!response.text().contains("hunter2"), "{message}");
    let missing = app
        .json(
            Method::POST,
            "/api/session",
            &json!({ "email": "a@b.cd" }),
            None,
        )
        .await;
    missing.assert_error(400, "bad_request");
    assert!(missing.text().contains("`password`"));
}

#[tokio::test]
async fn missing_content_type_is_a_json_415() {
    let app = TestApp::demo().await;
    let body = r#"{"email":"sam@demo.test","password":"navsync-demo"}"#;
    app.send(post("/api/session", None, body))
        .await
        .assert_error(415, "unsupported_media_type");
    app.send(post("/api/session", Some("text/plain"), body))
        .await
        .assert_error(415, "unsupported_media_type");
}

#[tokio::test]
async fn oversized_body_is_a_json_413() {
    let app = TestApp::demo().await;
    let big = json!({ "email": "sam@demo.test", "password": "x".repeat(100 * 1024) });
    app.json(Method::POST, "/api/session", &big, None)
        .await
        .assert_error(413, "payload_too_large");
    // Just under the limit is read (and then refused for its content, not its size).
    let fits = json!({ "email": "sam@demo.test", "password": "x".repeat(60 * 1024) });
    let response = app.json(Method::POST, "/api/session", &fits, None).await;
    assert_ne!(response.status.as_u16(), 413);
}

#[tokio::test]
async fn unknown_api_paths_and_wrong_methods_are_json() {
    let app = TestApp::demo().await;
    for path in ["/api/nope", "/api/admin/nope/deeper", "/api", "/api/"] {
        app.get(path, None).await.assert_error(404, "not_found");
    }
    let wrong_method = app
        .json(Method::PATCH, "/api/health", &json!({}), None)
        .await;
    wrong_method.assert_error(405, "bad_request");
}
