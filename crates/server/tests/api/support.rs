//! Test helpers: a fresh app on a temporary database and dist directory, and
//! small request/response helpers.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use navsync_server::{AppState, Config, app, build_state};
use serde_json::Value;
use tempfile::TempDir;
use tower::ServiceExt;

/// The inline loader script of the test `index.html` (like Trunk's).
pub const INLINE_SCRIPT: &str =
    "import init from '/navsync-0123456789abcdef.js';init('/navsync-0123456789abcdef_bg.wasm');";

/// A hashed asset in the test dist directory.
pub const HASHED_ASSET: &str = "/navsync-0123456789abcdef_bg.wasm";

/// An app on its own temporary database and dist directory.
pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    _data: TempDir,
    _dist: TempDir,
}

/// A buffered response.
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl TestResponse {
    /// The body as JSON (panics with the body text when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|err| {
            panic!(
                "body is not JSON ({err}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `name=value` part of the `Set-Cookie` header, to send back.
    pub fn session_cookie(&self) -> String {
        let set_cookie = self.header("set-cookie").expect("Set-Cookie header");
        set_cookie.split(';').next().unwrap_or_default().to_owned()
    }

    /// Asserts an error body with this status and code.
    pub fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.text());
        assert_eq!(
            self.header("content-type"),
            Some("application/json"),
            "error responses are JSON"
        );
        let body = self.json();
        assert_eq!(body["code"], code, "body: {body}");
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "a message for people: {body}"
        );
    }
}

impl TestApp {
    /// An empty database (set-up needed) and a built web app.
    pub async fn new() -> Self {
        Self::build(false, true).await
    }

    /// The demo organization seeded.
    pub async fn demo() -> Self {
        Self::build(true, true).await
    }

    /// The demo organization seeded, but no web app built.
    pub async fn demo_without_dist() -> Self {
        Self::build(true, false).await
    }

    /// The demo organization seeded, with a configuration changed by `change`
    /// (e.g. the Entra authority pointed at a stand-in).
    pub async fn demo_with(change: impl FnOnce(&mut Config)) -> Self {
        Self::build_with(true, true, change).await
    }

    /// The data directory (database, key file).
    pub fn data_dir(&self) -> &std::path::Path {
        self._data.path()
    }

    async fn build(demo: bool, with_dist: bool) -> Self {
        Self::build_with(demo, with_dist, |_| {}).await
    }

    async fn build_with(demo: bool, with_dist: bool, change: impl FnOnce(&mut Config)) -> Self {
        let data = TempDir::new().expect("temp data dir");
        let dist = TempDir::new().expect("temp dist dir");
        if with_dist {
            std::fs::write(
                dist.path().join("index.html"),
                format!(
                    "<!DOCTYPE html><html><head><title>Navsync</title>\
                     <script type=\"module\">{INLINE_SCRIPT}</script></head><body></body></html>"
                ),
            )
            .expect("write index.html");
            std::fs::write(dist.path().join(&HASHED_ASSET[1..]), b"\0asm fake")
                .expect("write asset");
        }
        let mut config = Config::for_tests(data.path(), dist.path());
        config.demo = demo;
        change(&mut config);
        let state = build_state(config).await.expect("build state");
        Self::from_state(state, data, dist)
    }

    /// Rebuilds the router around a changed state (e.g. another throttle).
    pub fn with_state(self, state: AppState) -> Self {
        Self::from_state(state, self._data, self._dist)
    }

    fn from_state(state: AppState, data: TempDir, dist: TempDir) -> Self {
        Self {
            router: app(state.clone()),
            state,
            _data: data,
            _dist: dist,
        }
    }

    /// Sends a request through the router.
    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        TestResponse {
            status,
            headers,
            body,
        }
    }

    /// `GET path`, with a session cookie when given.
    pub async fn get(&self, path: &str, cookie: Option<&str>) -> TestResponse {
        let mut request = Request::get(path);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).expect("request"))
            .await
    }

    /// A JSON request, with a session cookie when given.
    pub async fn json(
        &self,
        method: Method,
        path: &str,
        body: &Value,
        cookie: Option<&str>,
    ) -> TestResponse {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::from(body.to_string())).expect("request"))
            .await
    }

    /// `POST /api/session`.
    pub async fn sign_in(&self, email: &str, password: &str) -> TestResponse {
        self.json(
            Method::POST,
            "/api/session",
            &serde_json::json!({ "email": email, "password": password }),
            None,
        )
        .await
    }

    /// Signs in (asserting success) and returns the cookie to send back.
    pub async fn cookie_for(&self, email: &str) -> String {
        let response = self.sign_in(email, navsync_server::DEMO_PASSWORD).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        response.session_cookie()
    }
}
