//! Cross-site request refusal and security headers.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::support::{INLINE_SCRIPT, TestApp};

fn sign_in_request(headers: &[(&str, &str)], content_type: &str, body: &str) -> Request<Body> {
    let mut request = Request::post("/api/session")
        .header("host", "localhost:8080")
        .header("content-type", content_type);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(Body::from(body.to_owned())).unwrap()
}

const GOOD: &str = r#"{"email":"sam@demo.test","password":"navsync-demo"}"#;

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let app = TestApp::demo().await;
    let evil_origin = app
        .send(sign_in_request(
            &[("origin", "https://evil.example")],
            "application/json",
            GOOD,
        ))
        .await;
    evil_origin.assert_error(403, "cross_site_request");
    assert!(evil_origin.header("set-cookie").is_none());
    let form = app
        .send(sign_in_request(
            &[("sec-fetch-site", "cross-site")],
            "application/x-www-form-urlencoded",
            "email=sam%40demo.test&password=navsync-demo",
        ))
        .await;
    form.assert_error(403, "cross_site_request");
    // The same request from the app itself is fine.
    let same = app
        .send(sign_in_request(
            &[
                ("origin", "http://localhost:8080"),
                ("sec-fetch-site", "same-origin"),
            ],
            "application/json",
            GOOD,
        ))
        .await;
    assert_eq!(same.status, StatusCode::OK, "{}", same.text());
    // A same-site form post without Origin still fails: it is not JSON.
    app.send(sign_in_request(
        &[],
        "application/x-www-form-urlencoded",
        "email=x",
    ))
    .await
    .assert_error(415, "unsupported_media_type");
}

fn assert_security_headers(response: &crate::support::TestResponse) {
    assert_eq!(response.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(response.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(response.header("x-frame-options"), Some("DENY"));
    assert_eq!(
        response.header("cross-origin-opener-policy"),
        Some("same-origin")
    );
    let csp = response.header("content-security-policy").expect("CSP");
    for directive in [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ] {
        assert!(csp.contains(directive), "{directive} missing from {csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
}

#[tokio::test]
async fn security_headers_on_api_and_app_with_the_inline_script_hash() {
    let app = TestApp::demo().await;
    let api = app.get("/api/health", None).await;
    assert_security_headers(&api);
    let error = app.get("/api/me", None).await;
    assert_security_headers(&error);

    let index = app.get("/", None).await;
    assert_eq!(index.status, StatusCode::OK);
    assert!(index.text().contains(INLINE_SCRIPT));
    assert_security_headers(&index);
    let hash =
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(INLINE_SCRIPT.as_bytes()));
    let csp = index.header("content-security-policy").unwrap();
    assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
}
