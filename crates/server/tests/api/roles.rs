//! Role rules, driven by the live OpenAPI document: every operation carries a
//! role marker (`x-navsync-role`), the server refuses exactly whom the marker
//! excludes, every route the code registers is documented (and the reverse),
//! and routes on a person's own rows refuse everyone else.
//!
//! Routes added later are covered without editing this file; a route without
//! a marker fails `every_operation_has_a_role_marker`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use axum::http::Method;

use crate::operations::{Operation, Role, call, document, fill_path, operations, session_for};
use crate::support::{TestApp, TestResponse};

/// Admin only, no seat.
const ADMIN_ONLY: &str = "admin@demo.test";
/// A seat holder, not an admin.
const SEAT_HOLDER: &str = "sam@demo.test";
/// Another seat holder of the same organization.
const OTHER_SEAT_HOLDER: &str = "alex@demo.test";
/// Admin and seat holder.
const BOTH: &str = "morgan@demo.test";

fn assert_not_refused(op: &Operation, who: &str, response: &TestResponse) {
    let status = response.status.as_u16();
    assert!(
        status != 401 && status != 403 && status < 500,
        "{} as {who} ({:?}) should pass the role check, answered {status}: {}",
        op.name(),
        op.role,
        response.text()
    );
}

fn expect_error(op: &Operation, who: &str, response: &TestResponse, status: u16, code: &str) {
    assert_eq!(
        response.status.as_u16(),
        status,
        "{} ({:?}) as {who} must answer {status} {code}: {}",
        op.name(),
        op.role,
        response.text()
    );
    response.assert_error(status, code);
}

#[tokio::test]
async fn every_operation_has_a_role_marker() {
    let app = TestApp::demo().await;
    let doc = document(&app).await;
    let mut problems = Vec::new();
    for op in operations(&doc) {
        match op.role {
            None => problems.push(format!(
                "{}: x-navsync-role is {:?}; add extensions((\"x-navsync-role\" = json!(\"public|signed_in|team_member|admin\"))) to its #[utoipa::path]",
                op.name(),
                op.role_text
            )),
            Some(Role::Public) if op.needs_session => problems.push(format!(
                "{}: public, but documents the session_cookie requirement",
                op.name()
            )),
            Some(role) if role != Role::Public && !op.needs_session => problems.push(format!(
                "{}: {role:?}, but lacks security((\"session_cookie\" = []))",
                op.name()
            )),
            _ => {}
        }
        if let Some(owner) = op.owner.as_ref().filter(|o| *o != "person") {
            problems.push(format!("{}: unknown x-navsync-owner {owner:?}", op.name()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
async fn every_route_refuses_whom_its_role_excludes() {
    let app = TestApp::demo().await;
    let doc = document(&app).await;
    for op in operations(&doc) {
        let Some(role) = op.role else {
            panic!("{} has no role marker", op.name());
        };
        let path = op.concrete_path();
        if role != Role::Public {
            let anonymous = call(&app, &op, &path, None).await;
            expect_error(&op, "nobody", &anonymous, 401, "unauthenticated");
            let expired = "navsync_session=not-a-real-session";
            let response = call(&app, &op, &path, Some(expired)).await;
            expect_error(&op, "an expired session", &response, 401, "unauthenticated");
        }
        let refused: &[&str] = match role {
            Role::Admin => &[SEAT_HOLDER],
            Role::TeamMember => &[ADMIN_ONLY],
            Role::SignedIn | Role::Public => &[],
        };
        for who in refused {
            let cookie = session_for(&app, who).await;
            let response = call(&app, &op, &path, Some(&cookie)).await;
            expect_error(&op, who, &response, 403, "forbidden");
        }
        let allowed: &[&str] = match role {
            Role::Admin => &[ADMIN_ONLY, BOTH],
            Role::TeamMember => &[SEAT_HOLDER, BOTH],
            Role::SignedIn => &[ADMIN_ONLY, SEAT_HOLDER],
            Role::Public => &[],
        };
        for who in allowed {
            // A fresh session each time: a route may end the one it was given.
            let cookie = session_for(&app, who).await;
            let response = call(&app, &op, &path, Some(&cookie)).await;
            assert_not_refused(&op, who, &response);
        }
        if role == Role::Public {
            let response = call(&app, &op, &path, None).await;
            let body: serde_json::Value =
                serde_json::from_slice(&response.body).unwrap_or_default();
            assert!(
                response.status.as_u16() < 500
                    && !matches!(body["code"].as_str(), Some("unauthenticated" | "forbidden")),
                "public {} refused or failed: {} {}",
                op.name(),
                response.status,
                response.text()
            );
        }
    }
}

/// A concrete path of `op` naming a row owned by `owner` (creating the row),
/// for operations marked `x-navsync-owner = person` that take ids. Add an arm
/// here for every such route; a missing arm fails the test below.
async fn path_to_row_owned_by(app: &TestApp, op: &Operation, owner: &str) -> Option<String> {
    let store = &app.state.store;
    let person = store.find_person_by_email(owner).await.ok()??;
    let (organization, person) = (&person.organization_id, &person.id);
    match (op.method.as_str(), op.path.as_str()) {
        ("DELETE", navsync_api::paths::SAVED_ACCOUNT) => {
            let id = store
                .save_account_by_hand(organization, person, "Owned", None, None)
                .await
                .ok()?;
            Some(format!("/api/saved-accounts/{id}"))
        }
        ("DELETE", navsync_api::paths::SAVED_LEAD) => {
            let id = store
                .save_lead_by_hand(organization, person, "Ow", "Ned", None, None, None, None)
                .await
                .ok()?;
            Some(format!("/api/saved-leads/{id}"))
        }
        (
            _,
            navsync_api::paths::THREAD
            | navsync_api::paths::THREAD_MESSAGES
            | navsync_api::paths::THREAD_COPY
            | navsync_api::paths::THREAD_READ,
        ) => {
            let (threads, _) = store
                .list_threads(organization, person, None, 0, 1)
                .await
                .ok()?;
            let id = &threads.first()?.id;
            Some(navsync_api::paths::with_id(&op.path, id))
        }
        ("PUT", navsync_api::paths::MESSAGE_COPY) | ("POST", navsync_api::paths::MESSAGE_RETRY) => {
            let (threads, _) = store
                .list_threads(organization, person, None, 0, 1)
                .await
                .ok()?;
            let thread = store
                .thread(organization, person, &threads.first()?.id)
                .await
                .ok()??;
            Some(navsync_api::paths::with_id(
                &op.path,
                &thread.messages.first()?.id,
            ))
        }
        ("PUT", navsync_api::paths::NOTE_COPY) => {
            let lead = store
                .save_lead_by_hand(organization, person, "No", "Te", None, None, None, None)
                .await
                .ok()?;
            let note = store
                .add_note(
                    organization,
                    person,
                    navsync_api::messages::NoteSubject::Lead,
                    &lead,
                    "A note",
                    false,
                    0,
                )
                .await
                .ok()??;
            Some(navsync_api::paths::with_id(&op.path, &note))
        }
        (
            "POST",
            navsync_api::paths::UNRESOLVED_LINK | navsync_api::paths::UNRESOLVED_CREATE_CONTACT,
        ) => {
            let (threads, _) = store
                .list_threads(organization, person, None, 0, 1)
                .await
                .ok()?;
            let thread = store
                .thread(organization, person, &threads.first()?.id)
                .await
                .ok()??;
            let message = &thread.messages.first()?.id;
            store
                .finish_outbox_item(message, "unresolved", None, Some("no match"))
                .await
                .ok()?;
            Some(navsync_api::paths::with_id(&op.path, message))
        }
        _ => None,
    }
}

#[tokio::test]
async fn routes_on_a_persons_own_rows_refuse_everyone_else() {
    let app = TestApp::demo().await;
    let doc = document(&app).await;
    let other_email_seen = |response: &TestResponse| response.text().contains(OTHER_SEAT_HOLDER);
    for op in operations(&doc) {
        let role = op
            .role
            .unwrap_or_else(|| panic!("{} has no role marker", op.name()));
        let who = match role {
            Role::Public => continue,
            Role::Admin => BOTH,
            Role::TeamMember | Role::SignedIn => SEAT_HOLDER,
        };
        // An id that names nothing (or another organization's row) is a 404,
        // never someone's data or a server error.
        if op.has_path_params() {
            let cookie = session_for(&app, who).await;
            let response = call(&app, &op, &op.concrete_path(), Some(&cookie)).await;
            let status = response.status.as_u16();
            assert!(
                matches!(status, 400 | 403 | 404 | 409 | 422),
                "{} with a random id answered {status}: {}",
                op.name(),
                response.text()
            );
        }
        if op.owner.as_deref() != Some("person") {
            continue;
        }
        if op.has_path_params() {
            let path = path_to_row_owned_by(&app, &op, OTHER_SEAT_HOLDER)
                .await
                .unwrap_or_else(|| {
                    panic!(
                        "{} is marked x-navsync-owner=person: add an arm to path_to_row_owned_by in tests/api/roles.rs",
                        op.name()
                    )
                });
            let cookie = session_for(&app, who).await;
            let response = call(&app, &op, &path, Some(&cookie)).await;
            let status = response.status.as_u16();
            assert!(
                status == 404 || status == 403,
                "{} on {OTHER_SEAT_HOLDER}'s row answered {status} to {who}: {}",
                op.name(),
                response.text()
            );
        } else if op.method == Method::GET {
            // No id: the route acts on the caller's own rows only.
            let cookie = session_for(&app, who).await;
            let response = call(&app, &op, &op.path, Some(&cookie)).await;
            assert_eq!(response.status.as_u16(), 200, "{}", op.name());
            assert!(
                !other_email_seen(&response),
                "{} as {who} shows {OTHER_SEAT_HOLDER}: {}",
                op.name(),
                response.text()
            );
            assert!(response.text().contains(who), "{}", op.name());
        }
    }
}

/// `pub const NAME: &str = "/api/…";` of `crates/api/src/paths.rs`.
fn path_constants() -> BTreeMap<String, String> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../api/src/paths.rs");
    let text = std::fs::read_to_string(&file).expect("paths.rs");
    text.lines()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix("pub const ")?;
            let (name, rest) = rest.split_once(':')?;
            let value = rest.split('"').nth(1)?;
            Some((name.trim().to_owned(), value.to_owned()))
        })
        .collect()
}

/// The text inside the parentheses that open at `open` (balanced).
fn balanced(text: &str, open: usize) -> &str {
    let mut depth = 0;
    for (i, c) in text[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &text[open + 1..open + i];
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced parentheses after {}", &text[open..open + 40]);
}

/// Every `(METHOD, path)` the server's code registers under `/api` with
/// `.route(path, get(…).post(…))`, read from the sources in `src/` (the
/// router cannot list its routes at run time). The JSON 404 catch-alls are
/// left out.
fn registered_routes() -> BTreeSet<(String, String)> {
    let constants = path_constants();
    let mut files = Vec::new();
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("src dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut routes = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("source file");
        let mut from = 0;
        while let Some(at) = text[from..].find(".route(").map(|i| from + i) {
            let open = at + ".route".len();
            let args = balanced(&text, open);
            from = open + args.len();
            let (path_expr, methods) = args.split_once(',').expect(".route(path, methods)");
            let path_expr = path_expr.trim();
            let path = if let Some(name) = path_expr.strip_prefix("paths::") {
                constants
                    .get(name)
                    .unwrap_or_else(|| panic!("{name} is not in paths.rs"))
                    .clone()
            } else if let Some(literal) = path_expr.strip_prefix('"') {
                literal.trim_end_matches('"').to_owned()
            } else {
                panic!(
                    "{}: route path {path_expr} is neither paths::X nor a literal",
                    file.display()
                );
            };
            if !path.starts_with("/api")
                || matches!(path.as_str(), "/api" | "/api/" | "/api/{*rest}")
            {
                continue;
            }
            let mut found = false;
            for method in ["get", "post", "put", "delete", "patch", "any"] {
                let mut search = 0;
                while let Some(i) = methods[search..]
                    .find(&format!("{method}("))
                    .map(|i| search + i)
                {
                    search = i + method.len();
                    let before = methods[..i].chars().last();
                    if before.is_none_or(|c| !(c.is_alphanumeric() || c == '_')) {
                        assert_ne!(method, "any", "{path}: `any` routes cannot be documented");
                        routes.insert((method.to_uppercase(), path.clone()));
                        found = true;
                    }
                }
            }
            assert!(
                found,
                "{}: no method found in .route({args})",
                file.display()
            );
        }
    }
    routes
}

#[tokio::test]
async fn openapi_operations_equal_the_routers_routes() {
    let app = TestApp::demo().await;
    let doc = document(&app).await;
    let documented: BTreeSet<(String, String)> = operations(&doc)
        .iter()
        .map(|op| (op.method.to_string(), op.path.clone()))
        .collect();
    let registered = registered_routes();
    let undocumented: Vec<_> = registered.difference(&documented).collect();
    let unrouted: Vec<_> = documented.difference(&registered).collect();
    assert!(
        undocumented.is_empty() && unrouted.is_empty(),
        "routes without a #[utoipa::path] in ApiDoc: {undocumented:?}\n\
         documented but not registered: {unrouted:?}"
    );
    // And at run time: every documented operation is routed, and every other
    // method on a documented path is the JSON 405.
    for op in operations(&doc) {
        let path = op.concrete_path();
        let status = call(&app, &op, &path, None).await.status.as_u16();
        assert!(
            status != 404 && status != 405 || op.has_path_params() && status == 404,
            "{} answered {status}",
            op.name()
        );
        for method in [
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ] {
            if documented.contains(&(method.to_string(), op.path.clone())) {
                continue;
            }
            let other = Operation {
                method: method.clone(),
                has_body: false,
                ..op.clone()
            };
            call(&app, &other, &path, None)
                .await
                .assert_error(405, "bad_request");
        }
    }
    // Sanity: the parser sees the routes this file was written against.
    assert!(registered.contains(&(
        "GET".into(),
        fill_path("/api/admin/seats", |_| String::new())
    )));
}
