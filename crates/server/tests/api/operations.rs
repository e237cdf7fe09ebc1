//! The API's operations as the live OpenAPI document lists them, with the
//! role marker each one carries, and requests built from them. The gates in
//! `roles.rs` and `csrf.rs` iterate over these, so routes added later are
//! covered without editing the tests.

use axum::body::Body;
use axum::http::{Method, Request, header};
use navsync_api::paths;
use navsync_server::routes::openapi::{OWNER_EXTENSION, ROLE_EXTENSION};
use serde_json::Value;

use crate::support::{TestApp, TestResponse};

/// Who may call an operation (`x-navsync-role`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Anyone.
    Public,
    /// Any signed-in person.
    SignedIn,
    /// Seat holders.
    TeamMember,
    /// Admins.
    Admin,
}

impl Role {
    fn parse(value: &str) -> Option<Self> {
        match value {
            "public" => Some(Role::Public),
            "signed_in" => Some(Role::SignedIn),
            "team_member" => Some(Role::TeamMember),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// One documented operation.
#[derive(Clone, Debug)]
pub struct Operation {
    /// `GET`, `POST`, ….
    pub method: Method,
    /// The path template, e.g. `/api/admin/seats/{id}`.
    pub path: String,
    /// Its role marker; `None` when missing or unknown.
    pub role: Option<Role>,
    /// The raw marker, for messages.
    pub role_text: Option<String>,
    /// `x-navsync-owner` (`person` for a person's own rows).
    pub owner: Option<String>,
    /// Whether it documents a request body.
    pub has_body: bool,
    /// Whether it lists the `session_cookie` security requirement.
    pub needs_session: bool,
}

impl Operation {
    /// `GET /api/me`.
    pub fn name(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// Whether the path has `{…}` parameters.
    pub fn has_path_params(&self) -> bool {
        self.path.contains('{')
    }

    /// Whether it changes state (the CSRF check applies).
    pub fn is_state_changing(&self) -> bool {
        !matches!(self.method, Method::GET | Method::HEAD | Method::OPTIONS)
    }

    /// The path with every `{param}` replaced by a fresh random UUID.
    pub fn concrete_path(&self) -> String {
        fill_path(&self.path, |_| uuid::Uuid::new_v4().to_string())
    }
}

/// `template` with each `{name}` replaced by `value(name)`.
pub fn fill_path(template: &str, mut value: impl FnMut(&str) -> String) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let end = rest[start..]
            .find('}')
            .map(|i| start + i)
            .expect("balanced braces in path");
        out.push_str(&rest[..start]);
        out.push_str(&value(&rest[start + 1..end]));
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The live OpenAPI document of `app`.
pub async fn document(app: &TestApp) -> Value {
    let response = app.get(paths::OPENAPI, None).await;
    assert_eq!(response.status.as_u16(), 200, "{}", response.text());
    response.json()
}

/// Every operation of the document.
pub fn operations(doc: &Value) -> Vec<Operation> {
    let mut found = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let Ok(method) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            let role_text = op[ROLE_EXTENSION].as_str().map(str::to_owned);
            found.push(Operation {
                method,
                path: path.clone(),
                role: role_text.as_deref().and_then(Role::parse),
                role_text,
                owner: op[OWNER_EXTENSION].as_str().map(str::to_owned),
                has_body: op.get("requestBody").is_some(),
                needs_session: op["security"]
                    .as_array()
                    .is_some_and(|s| s.iter().any(|r| r.get("session_cookie").is_some())),
            });
        }
    }
    assert!(!found.is_empty(), "the document lists no operations");
    found
}

/// Sends `op` to `path` (a concrete path) with an empty JSON object as body
/// when it takes one, and the session cookie when given.
pub async fn call(app: &TestApp, op: &Operation, path: &str, cookie: Option<&str>) -> TestResponse {
    let mut request = Request::builder().method(op.method.clone()).uri(path);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let body = if op.has_body {
        request = request.header(header::CONTENT_TYPE, "application/json");
        Body::from("{}")
    } else {
        Body::empty()
    };
    app.send(request.body(body).expect("request")).await
}

/// A fresh session cookie for a demo person, without the cost of a password
/// check (so each call can have its own session).
pub async fn session_for(app: &TestApp, email: &str) -> String {
    let person = app
        .state
        .store
        .find_person_by_email(email)
        .await
        .expect("store")
        .unwrap_or_else(|| panic!("{email} is a demo person"));
    let set_cookie =
        navsync_server::auth::start_session(&app.state, &person.organization_id, &person.id)
            .await
            .expect("session");
    set_cookie.split(';').next().unwrap_or_default().to_owned()
}
