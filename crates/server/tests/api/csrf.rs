//! Cross-site request forgery and the browser-facing headers, driven by the
//! live OpenAPI document: every state-changing operation refuses a cross-site
//! form post, and every API response carries the security headers.

use axum::body::Body;
use axum::http::{Request, header};

use crate::operations::{document, operations, session_for};
use crate::support::{INLINE_SCRIPT, TestApp, TestResponse};

/// A signed-in admin and seat holder, so no role check hides the CSRF check.
const BOTH: &str = "morgan@demo.test";

#[tokio::test]
async fn every_state_changing_route_refuses_cross_site_form_posts() {
    let app = TestApp::demo().await;
    let doc = document(&app).await;
    let mut checked = 0;
    for op in operations(&doc)
        .into_iter()
        .filter(|op| op.is_state_changing())
    {
        let path = op.concrete_path();
        let variants: [&[(&str, &str)]; 3] = [
            // What a browser sends for a form on another site.
            &[
                ("origin", "https://evil.example"),
                ("sec-fetch-site", "cross-site"),
            ],
            // Older browsers: Origin only.
            &[("origin", "https://evil.example")],
            // Fetch metadata only (same-site counts as foreign too).
            &[("sec-fetch-site", "same-site")],
        ];
        for headers in variants {
            let cookie = session_for(&app, BOTH).await;
            let mut request = Request::builder()
                .method(op.method.clone())
                .uri(&path)
                .header(header::HOST, "navsync.example")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, &cookie);
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            let response = app
                .send(request.body(Body::from("a=1&b=2")).expect("request"))
                .await;
            assert_eq!(
                response.status.as_u16(),
                403,
                "{} with {headers:?}: {}",
                op.name(),
                response.text()
            );
            response.assert_error(403, "cross_site_request");
            assert!(response.header("set-cookie").is_none(), "{}", op.name());
            // The session it carried is still good: nothing was done with it.
            assert_eq!(app.get("/api/me", Some(&cookie)).await.status.as_u16(), 200);
            checked += 1;
        }
    }
    assert!(
        checked >= 3 * 8,
        "only {checked} cross-site requests checked"
    );
}

/// The `script-src` sources of a CSP.
fn script_sources(csp: &str) -> Vec<&str> {
    csp.split(';')
        .map(str::trim)
        .find_map(|d| d.strip_prefix("script-src "))
        .expect("a script-src directive")
        .split_whitespace()
        .collect()
}

fn assert_headers(what: &str, response: &TestResponse) {
    assert_eq!(
        response.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(
        response.header("referrer-policy"),
        Some("no-referrer"),
        "{what}"
    );
    let csp = response
        .header("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no CSP"));
    let sources = script_sources(csp);
    assert_eq!(
        &sources[..2],
        ["'self'", "'wasm-unsafe-eval'"],
        "{what}: {csp}"
    );
    for source in &sources[2..] {
        assert!(
            source.starts_with("'sha256-") && source.ends_with('\''),
            "{what}: script-src allows {source}: {csp}"
        );
    }
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    assert!(!csp.contains("unsafe-eval'") || csp.contains("'wasm-unsafe-eval'"));
    assert!(
        csp.split(';').any(|d| d.trim() == "frame-ancestors 'none'"),
        "{what}: {csp}"
    );
    assert!(
        csp.split(';').any(|d| d.trim() == "object-src 'none'"),
        "{what}: {csp}"
    );
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_an_exact_script_src() {
    let app = TestApp::demo().await;
    let doc = document(&app).await;
    for op in operations(&doc) {
        let response = crate::operations::call(&app, &op, &op.concrete_path(), None).await;
        assert_headers(&op.name(), &response);
    }
    assert_headers("404", &app.get("/api/nope", None).await);
    let index = app.get("/", None).await;
    assert_headers("index.html", &index);
    // The one inline loader is allowed by its hash, and nothing else inline.
    let csp = index.header("content-security-policy").unwrap();
    let sources = script_sources(csp);
    assert_eq!(sources.len(), 3, "{csp}");
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let hash =
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(INLINE_SCRIPT.as_bytes()));
    assert_eq!(sources[2], format!("'sha256-{hash}'"));
}
