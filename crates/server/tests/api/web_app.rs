//! The built web app: SPA fallback, cache headers, the not-built notice, and
//! the OpenAPI document.

use axum::http::StatusCode;
use navsync_api::paths;

use crate::support::{HASHED_ASSET, INLINE_SCRIPT, TestApp};

#[tokio::test]
async fn client_routes_get_index_html_without_caching() {
    let app = TestApp::demo().await;
    for path in ["/", "/index.html", "/admin/seats", "/sign-in"] {
        let response = app.get(path, None).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
        assert!(response.text().contains(INLINE_SCRIPT), "{path}");
        assert_eq!(response.header("cache-control"), Some("no-cache"), "{path}");
    }
}

#[tokio::test]
async fn hashed_assets_are_immutable() {
    let app = TestApp::demo().await;
    let response = app.get(HASHED_ASSET, None).await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.body, b"\0asm fake");
    assert_eq!(
        response.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
}

#[tokio::test]
async fn without_a_built_app_pages_say_so_and_the_api_works() {
    let app = TestApp::demo_without_dist().await;
    let page = app.get("/admin/seats", None).await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.text().contains("cargo xtask run"), "{}", page.text());
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    assert_eq!(app.get("/api/health", None).await.status, StatusCode::OK);
    app.get("/api/nope", None)
        .await
        .assert_error(404, "not_found");
}

#[tokio::test]
async fn openapi_lists_every_route() {
    let app = TestApp::new().await;
    let response = app.get(paths::OPENAPI, None).await;
    assert_eq!(response.status, StatusCode::OK);
    let doc = response.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let expected = [
        (paths::HEALTH, "get"),
        (paths::OPENAPI, "get"),
        (paths::SETUP, "get"),
        (paths::SETUP, "post"),
        (paths::SESSION, "post"),
        (paths::SESSION, "delete"),
        (paths::ME, "get"),
        (paths::ME_PREFERENCES, "put"),
        (paths::SEATS, "get"),
        (paths::CRM, "get"),
        (paths::CRM_CONNECTION, "post"),
        (paths::CRM_CREDENTIALS, "put"),
        (paths::CRM_SETTINGS, "put"),
        (paths::CRM_DISCONNECT_PREVIEW, "get"),
        (paths::CRM_DISCONNECT, "post"),
        (paths::AUDIT_LOG, "get"),
        (paths::SEATS_CRM_SYNC, "post"),
        (paths::SEATS_ASSIGN, "post"),
        (paths::SEAT, "delete"),
        (paths::SEAT_CRM_SYNC, "put"),
        (paths::SEAT_LICENCE, "put"),
        (paths::SEAT_PASSWORD_LINK, "post"),
        (paths::CRM_USERS, "get"),
        (paths::CRM_USERS_REFRESH, "post"),
        (paths::SET_PASSWORD, "post"),
        (paths::CRM_SYNC, "get"),
        (paths::CRM_SYNC, "post"),
        (paths::CRM_HEALTH, "get"),
        (paths::SAVED_ACCOUNTS, "get"),
        (paths::SAVED_ACCOUNTS, "post"),
        (paths::SAVED_ACCOUNT, "delete"),
        (paths::SAVED_LEADS, "get"),
        (paths::SAVED_LEADS, "post"),
        (paths::SAVED_LEAD, "delete"),
        (paths::THREADS, "get"),
        (paths::THREADS, "post"),
        (paths::THREAD, "get"),
        (paths::THREAD_MESSAGES, "post"),
        (paths::THREAD_COPY, "put"),
        (paths::THREAD_READ, "post"),
        (paths::MESSAGE_COPY, "put"),
        (paths::MESSAGE_RETRY, "post"),
        (paths::CRM_WRITEBACK, "get"),
        (paths::CRM_WRITEBACK, "put"),
        (paths::CRM_WRITEBACK_MATCHING, "get"),
        (paths::CRM_WRITEBACK_MATCHING, "put"),
        (paths::UNRESOLVED, "get"),
        (paths::NOTES, "get"),
        (paths::NOTES, "post"),
        (paths::NOTE_COPY, "put"),
        (paths::UNRESOLVED_CREATE_CONTACT, "post"),
        (paths::UNRESOLVED_LINK, "post"),
    ];
    for (path, method) in expected {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} missing"
        );
    }
    let listed: usize = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|ops| ops.as_object().unwrap().len())
        .sum();
    assert_eq!(listed, expected.len(), "no undocumented extras");
    assert!(doc["components"]["securitySchemes"]["session_cookie"].is_object());
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    assert!(doc["paths"][paths::SEATS]["get"]["responses"]["403"].is_object());
    assert!(doc["components"]["schemas"]["CrmStatus"].is_object());
    assert!(doc["components"]["schemas"]["ConnectOutcome"].is_object());
    assert!(doc["paths"][paths::CRM_CONNECTION]["post"]["responses"]["409"].is_object());
    // Every documented operation is actually routed (not a JSON 404 or 405).
    for (path, method) in expected {
        let request = axum::http::Request::builder()
            .method(method.to_uppercase().as_str())
            .uri(path)
            .header("content-type", "application/json")
            .body(axum::body::Body::from("{}"))
            .unwrap();
        let status = app.send(request).await.status.as_u16();
        assert!(
            status != 404 && status != 405,
            "{method} {path} answered {status}"
        );
    }
}
