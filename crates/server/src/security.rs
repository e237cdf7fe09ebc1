//! Browser-facing protections: security headers on every response, a Content
//! Security Policy without `'unsafe-inline'`, and the cross-site request check.
//!
//! The CSP allows inline scripts only by hash: at start-up the server hashes
//! every inline `<script>` of `dist/index.html` (Trunk injects one module loader)
//! so a rebuilt app needs no configuration change.

use axum::Router;
use axum::extract::Request;
use axum::http::header::{HOST, ORIGIN};
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::error::AppError;

/// The Content-Security-Policy allowing these inline-script hashes
/// (`'sha256-…'` sources).
pub fn content_security_policy(script_hashes: &[String]) -> String {
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    for hash in script_hashes {
        script_src.push(' ');
        script_src.push_str(hash);
    }
    format!(
        "default-src 'self'; script-src {script_src}; style-src 'self'; img-src 'self' data:; \
         font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// The CSP source (`'sha256-<base64>'`) of every inline `<script>` in `html`.
/// Scripts with a `src` attribute are loaded from `'self'` and skipped.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut hashes = Vec::new();
    let mut from = 0;
    while let Some(start) = lower[from..].find("<script").map(|i| from + i) {
        let Some(open_end) = lower[start..].find('>').map(|i| start + i) else {
            break;
        };
        let Some(close) = lower[open_end..].find("</script").map(|i| open_end + i) else {
            break;
        };
        let attributes = &lower[start + "<script".len()..open_end];
        let has_src = attributes
            .split(|c: char| c.is_whitespace())
            .any(|attr| attr.starts_with("src=") || attr == "src");
        if !has_src {
            // Hash the original (not lower-cased) body, byte for byte, as browsers do.
            let body = &html[open_end + 1..close];
            let digest = Sha256::digest(body.as_bytes());
            hashes.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        from = close;
    }
    hashes
}

/// Adds the security headers (with `csp`) to every response of `router`.
pub fn with_headers(router: Router, csp: &str) -> Router {
    let csp = HeaderValue::from_str(csp).unwrap_or_else(|_| {
        tracing::error!("the computed CSP is not a valid header; using a strict one");
        HeaderValue::from_static("default-src 'self'; object-src 'none'; frame-ancestors 'none'")
    });
    let fixed: [(HeaderName, &'static str); 4] = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ];
    let mut router = router.layer(SetResponseHeaderLayer::overriding(
        header::CONTENT_SECURITY_POLICY,
        csp,
    ));
    for (name, value) in fixed {
        router = router.layer(SetResponseHeaderLayer::overriding(
            name,
            HeaderValue::from_static(value),
        ));
    }
    router
}

/// Middleware: refuses state-changing `/api/*` requests that come from another
/// site, judged by `Sec-Fetch-Site` and by `Origin` against `Host`.
pub async fn reject_cross_site(request: Request, next: Next) -> Response {
    if is_cross_site(&request) {
        tracing::info!(method = %request.method(), path = request.uri().path(), "cross-site request refused");
        return AppError::CrossSiteRequest.into_response();
    }
    next.run(request).await
}

fn is_cross_site(request: &Request) -> bool {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe || !request.uri().path().starts_with("/api/") {
        return false;
    }
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site") {
        let site = site
            .to_str()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if site != "same-origin" && site != "none" {
            return true;
        }
    }
    if let Some(origin) = headers.get(ORIGIN) {
        let host = headers
            .get(HOST)
            .and_then(|h| h.to_str().ok())
            .map(str::to_owned)
            .or_else(|| request.uri().authority().map(|a| a.as_str().to_owned()));
        return match (origin.to_str().ok().and_then(origin_host), host) {
            (Some((scheme, origin_host)), Some(host)) => {
                strip_default_port(&origin_host, &scheme)
                    != strip_default_port(&host.to_ascii_lowercase(), &scheme)
            }
            // `Origin: null`, an unparsable origin or no host to compare: refuse.
            _ => true,
        };
    }
    false
}

/// `https://Example.com:8443/x` → `("https", "example.com:8443")`.
fn origin_host(origin: &str) -> Option<(String, String)> {
    let (scheme, rest) = origin.trim().split_once("://")?;
    let host = rest.split('/').next()?.to_ascii_lowercase();
    (!host.is_empty()).then(|| (scheme.to_ascii_lowercase(), host))
}

fn strip_default_port(host: &str, scheme: &str) -> String {
    let default = match scheme {
        "https" => ":443",
        "http" => ":80",
        _ => "",
    };
    if let Some(stripped) = host.strip_suffix(default).filter(|_| !default.is_empty()) {
        return stripped.to_owned();
    }
    host.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    #[test]
    fn hashes_only_inline_scripts() {
        let html = r#"<html><head>
<script src="/app.js"></script>
<SCRIPT type="module">import init from '/navsync-0123456789abcdef.js';init();</SCRIPT>
</head><body><script>a()</script></body></html>"#;
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 2);
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(
            b"import init from '/navsync-0123456789abcdef.js';init();",
        ));
        assert_eq!(hashes[0], format!("'sha256-{expected}'"));
        let csp = content_security_policy(&hashes);
        assert!(csp.contains(&hashes[0]) && csp.contains(&hashes[1]));
        assert!(!csp.contains("unsafe-inline"));
    }

    #[test]
    fn no_scripts_no_hashes() {
        assert!(inline_script_hashes("<html><script src=x.js></script>").is_empty());
        assert!(
            content_security_policy(&[])
                .starts_with("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; ")
        );
    }

    fn request(method: Method, path: &str, headers: &[(&str, &str)]) -> Request {
        let mut builder = Request::builder().method(method).uri(path);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Body::empty()).unwrap()
    }

    #[test]
    fn cross_site_rules() {
        let host = ("host", "localhost:8080");
        let post = |headers: &[(&str, &str)]| {
            is_cross_site(&request(Method::POST, "/api/session", headers))
        };
        assert!(!post(&[host]));
        assert!(!post(&[host, ("origin", "http://localhost:8080")]));
        assert!(!post(&[host, ("sec-fetch-site", "same-origin")]));
        assert!(!post(&[host, ("sec-fetch-site", "none")]));
        assert!(post(&[host, ("origin", "https://evil.example")]));
        assert!(post(&[host, ("origin", "http://localhost:9999")]));
        assert!(post(&[host, ("origin", "null")]));
        assert!(post(&[host, ("sec-fetch-site", "cross-site")]));
        assert!(post(&[host, ("sec-fetch-site", "same-site")]));
        assert!(!post(&[
            ("host", "example.com"),
            ("origin", "https://example.com:443")
        ]));
        // Reads and non-API paths are not checked.
        assert!(!is_cross_site(&request(
            Method::GET,
            "/api/me",
            &[("sec-fetch-site", "cross-site")]
        )));
        assert!(!is_cross_site(&request(
            Method::POST,
            "/x",
            &[("sec-fetch-site", "cross-site")]
        )));
    }
}
