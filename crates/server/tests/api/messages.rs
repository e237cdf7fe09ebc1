//! Seat holders' InMails and messages (SPEC H1, H2, H4): the inbox and thread
//! view show only the caller's own rows; ticking queues an item for the CRM
//! exactly once, unticking a waiting item takes it out again; replies follow
//! the organization's writeback choice (W2).

use axum::http::{Method, StatusCode};
use navsync_api::paths;
use navsync_server::store::{WritebackChoice, now_unix};
use serde_json::{Value, json};

use crate::support::TestApp;

const SAM: &str = "sam@demo.test";
const ALEX: &str = "alex@demo.test";
const ADMIN_ONLY: &str = "admin@demo.test";

async fn threads(app: &TestApp, cookie: &str) -> Value {
    let response = app.get("/api/threads", Some(cookie)).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    response.json()
}

async fn thread(app: &TestApp, cookie: &str, id: &str) -> Value {
    let response = app.get(&format!("/api/threads/{id}"), Some(cookie)).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    response.json()
}

async fn outbox(app: &TestApp, email: &str) -> u64 {
    let person = app
        .state
        .store
        .find_person_by_email(email)
        .await
        .unwrap()
        .unwrap();
    app.state
        .store
        .outbox_len(&person.organization_id)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_inbox_shows_own_threads_with_unread_and_last_message() {
    let app = TestApp::demo().await;
    let sam = app.cookie_for(SAM).await;
    let page = threads(&app, &sam).await;
    assert_eq!(page["total"], 3);
    let items = page["items"].as_array().unwrap();
    assert_eq!(
        items[0]["participant"]["name"], "Pieter de Boer",
        "newest first"
    );
    assert_eq!(items[0]["unread"], 1);
    assert_eq!(items[0]["copy"], "none");
    assert!(
        items[0]["last_message"]
            .as_str()
            .unwrap()
            .starts_with("Thanks")
    );

    let found = app
        .get("/api/threads?q=brightwave", Some(&sam))
        .await
        .json();
    assert_eq!(found["total"], 1);

    let view = thread(&app, &sam, items[0]["id"].as_str().unwrap()).await;
    let messages = view["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 3);
    assert_eq!(messages[0]["direction"], "inbound");
    assert_eq!(messages[0]["crm"]["state"], "not_copied");
}

#[tokio::test]
async fn a_seat_holder_never_sees_or_changes_anothers_threads() {
    let app = TestApp::demo().await;
    let sam = app.cookie_for(SAM).await;
    let alex = app.cookie_for(ALEX).await;
    let sams = threads(&app, &sam).await;
    let alexs = threads(&app, &alex).await;
    let sam_ids: Vec<&str> = sams["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    for t in alexs["items"].as_array().unwrap() {
        assert!(!sam_ids.contains(&t["id"].as_str().unwrap()));
    }
    let id = sam_ids[0];
    let message = thread(&app, &sam, id).await["messages"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        app.get(&format!("/api/threads/{id}"), Some(&alex))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let copy = json!({"copy": true});
    for (method, path, body) in [
        (Method::PUT, format!("/api/threads/{id}/copy"), copy.clone()),
        (
            Method::PUT,
            format!("/api/messages/{message}/copy"),
            copy.clone(),
        ),
        (
            Method::POST,
            format!("/api/threads/{id}/messages"),
            json!({"body": "hi"}),
        ),
    ] {
        let response = app.json(method, &path, &body, Some(&alex)).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(outbox(&app, SAM).await, 0);
    assert_eq!(
        thread(&app, &sam, id).await["messages"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[tokio::test]
async fn ticking_queues_once_and_unticking_a_waiting_item_dequeues_it() {
    let app = TestApp::demo().await;
    let sam = app.cookie_for(SAM).await;
    let id = threads(&app, &sam).await["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let message = thread(&app, &sam, &id).await["messages"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/api/messages/{message}/copy");
    for _ in 0..2 {
        let r = app
            .json(Method::PUT, &path, &json!({"copy": true}), Some(&sam))
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    }
    assert_eq!(outbox(&app, SAM).await, 1);
    let view = thread(&app, &sam, &id).await;
    assert_eq!(view["messages"][0]["crm"]["state"], "waiting");
    assert_eq!(view["messages"][0]["copy_to_crm"], true);
    assert_eq!(view["summary"]["copy"], "some");

    let r = app
        .json(Method::PUT, &path, &json!({"copy": false}), Some(&sam))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(outbox(&app, SAM).await, 0);
    assert_eq!(
        thread(&app, &sam, &id).await["messages"][0]["crm"]["state"],
        "not_copied"
    );

    let r = app
        .json(
            Method::PUT,
            &format!("/api/threads/{id}/copy"),
            &json!({"copy": true}),
            Some(&sam),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(outbox(&app, SAM).await, 3);
    assert_eq!(thread(&app, &sam, &id).await["summary"]["copy"], "all");

    let r = app
        .json(Method::PUT, &path, &json!({"copy": "yes"}), Some(&sam))
        .await;
    assert!(r.status.is_client_error());
}

#[tokio::test]
async fn replies_follow_the_writeback_choice_unless_told() {
    let app = TestApp::demo().await;
    let sam = app.cookie_for(SAM).await;
    let page = threads(&app, &sam).await;
    let items = page["items"].as_array().unwrap();
    let message_thread = items.iter().find(|t| t["kind"] == "message").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let inmail_thread = items.iter().find(|t| t["kind"] == "inmail").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let person = app
        .state
        .store
        .find_person_by_email(SAM)
        .await
        .unwrap()
        .unwrap();
    let choice = WritebackChoice {
        enabled: true,
        all_items: false,
        inmails: false,
        messages: true,
        notes: false,
        impersonation: false,
    };
    app.state
        .store
        .save_writeback_choice(&person.organization_id, choice, now_unix())
        .await
        .unwrap();

    let send = |thread: String, body: Value| {
        let app = &app;
        let sam = &sam;
        async move {
            let r = app
                .json(
                    Method::POST,
                    &format!("/api/threads/{thread}/messages"),
                    &body,
                    Some(sam),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
            r.json()["id"].as_str().unwrap().to_string()
        }
    };
    let a = send(
        message_thread.clone(),
        json!({"body": "Looking forward to it"}),
    )
    .await;
    let b = send(inmail_thread.clone(), json!({"body": "See you Tuesday"})).await;
    let c = send(
        inmail_thread.clone(),
        json!({"body": "Copy this one", "copy_to_crm": true}),
    )
    .await;
    assert_eq!(outbox(&app, SAM).await, 2);
    let state_of = |v: &Value, id: &str| {
        v["messages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id)
            .unwrap()["crm"]["state"]
            .clone()
    };
    let messages = thread(&app, &sam, &message_thread).await;
    assert_eq!(state_of(&messages, &a), "waiting", "messages are chosen");
    let inmails = thread(&app, &sam, &inmail_thread).await;
    assert_eq!(state_of(&inmails, &b), "not_copied", "InMails are not");
    assert_eq!(state_of(&inmails, &c), "waiting", "unless ticked");

    let empty = app
        .json(
            Method::POST,
            &format!("/api/threads/{inmail_thread}/messages"),
            &json!({"body": "  "}),
            Some(&sam),
        )
        .await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn message_routes_refuse_strangers_and_admin_only_people() {
    let app = TestApp::demo().await;
    assert_eq!(
        app.get("/api/threads", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let admin = app.cookie_for(ADMIN_ONLY).await;
    assert_eq!(
        app.get("/api/threads", Some(&admin)).await.status,
        StatusCode::FORBIDDEN
    );
    let r = app
        .json(
            Method::PUT,
            "/api/messages/nope/copy",
            &json!({"copy": true}),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn composing_starts_a_thread_that_only_its_author_sees() {
    let app = TestApp::demo().await;
    let sam = app.cookie_for(SAM).await;
    let alex = app.cookie_for(ALEX).await;
    let compose = json!({
        "kind": "message",
        "subject": "Hello",
        "to": {"name": "Ada Lovelace", "email": "ada@example.com", "company": "Engines"},
        "body": "Shall we meet?",
        "copy_to_crm": true,
    });
    let r = app
        .json(Method::POST, "/api/threads", &compose, Some(&sam))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_string();
    let view = thread(&app, &sam, &id).await;
    assert_eq!(view["summary"]["participant"]["name"], "Ada Lovelace");
    assert_eq!(view["messages"][0]["direction"], "outbound");
    assert_eq!(view["messages"][0]["crm"]["state"], "waiting");
    assert_eq!(outbox(&app, SAM).await, 1);
    assert_eq!(threads(&app, &sam).await["total"], 4);
    assert_eq!(threads(&app, &alex).await["total"], 3);
    let mut empty = compose.clone();
    empty["body"] = json!(" ");
    let r = app
        .json(Method::POST, "/api/threads", &empty, Some(&sam))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn opening_a_thread_marks_it_read_for_its_owner_only() {
    let app = TestApp::demo().await;
    let sam = app.cookie_for(SAM).await;
    let alex = app.cookie_for(ALEX).await;
    let page = threads(&app, &sam).await;
    let first = &page["items"][0];
    assert_eq!(first["unread"], 1);
    let id = first["id"].as_str().unwrap().to_string();
    let path = format!("/api/threads/{id}/read");

    // Someone else's thread, a thread that does not exist, no seat: refused.
    let r = app.json(Method::POST, &path, &json!({}), Some(&alex)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .json(
            Method::POST,
            "/api/threads/nope/read",
            &json!({}),
            Some(&sam),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let admin = app.cookie_for(ADMIN_ONLY).await;
    let r = app
        .json(Method::POST, &path, &json!({}), Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(threads(&app, &sam).await["items"][0]["unread"], 1);

    let r = app.json(Method::POST, &path, &json!({}), Some(&sam)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    let after = threads(&app, &sam).await;
    let same = after["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id.as_str())
        .unwrap();
    assert_eq!(same["unread"], 0);
    let view = thread(&app, &sam, &id).await;
    assert!(
        view["messages"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["unread"] == false)
    );
    // The other threads keep their unread messages; again is harmless.
    assert!(
        after["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["unread"].as_u64() > Some(0))
    );
    let r = app.json(Method::POST, &path, &json!({}), Some(&sam)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn the_notes_list_says_whether_copy_to_crm_starts_ticked() {
    let app = TestApp::demo().await;
    let sam = app.cookie_for(SAM).await;
    let page = app.get("/api/notes", Some(&sam)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    assert_eq!(page.json()["copy_default"], false, "writeback off");
    let person = app
        .state
        .store
        .find_person_by_email(SAM)
        .await
        .unwrap()
        .unwrap();
    let mut choice = WritebackChoice {
        enabled: true,
        all_items: false,
        inmails: true,
        messages: true,
        notes: false,
        impersonation: false,
    };
    app.state
        .store
        .save_writeback_choice(&person.organization_id, choice, now_unix())
        .await
        .unwrap();
    let page = app.get("/api/notes", Some(&sam)).await.json();
    assert_eq!(page["copy_default"], false, "notes not chosen");
    choice.notes = true;
    app.state
        .store
        .save_writeback_choice(&person.organization_id, choice, now_unix())
        .await
        .unwrap();
    let page = app.get("/api/notes", Some(&sam)).await.json();
    assert_eq!(page["copy_default"], true);
}

#[tokio::test]
async fn a_copied_message_says_which_rule_matched_and_links_to_its_crm_record() {
    let w = crate::writeback::setup().await;
    w.tick_thread("Nora Hendriks").await;
    w.tick_thread("Lena Vos").await;
    w.flush().await;
    let base = w.crm.base_url.trim_end_matches('/').to_string();

    // Matched by email: the rule and the li_inmail / li_message record.
    let nora = w.thread_by("Nora Hendriks").await;
    let entity = match nora["summary"]["kind"].as_str() {
        Some("inmail") => "li_inmail",
        _ => "li_message",
    };
    for m in nora["messages"].as_array().unwrap() {
        let crm = &m["crm"];
        assert_eq!(crm["state"], "copied", "{m}");
        assert_eq!(crm["rule"], "email", "{m}");
        let id = crm["crm_id"].as_str().unwrap();
        assert!(!id.is_empty());
        assert_eq!(
            crm["url"],
            format!("{base}/main.aspx?etn={entity}&id={id}&pagetype=entityrecord"),
            "{m}"
        );
    }

    // Unresolved: no rule, no link.
    let lena = w.thread_by("Lena Vos").await;
    let crm = &lena["messages"][0]["crm"];
    assert_eq!(crm["state"], "unresolved", "{crm}");
    assert!(
        crm.get("rule").is_none() && crm.get("url").is_none(),
        "{crm}"
    );

    // Resolved by hand: copied with its link, and no rule.
    let report = w.app.get(paths::UNRESOLVED, Some(&w.sam)).await.json();
    let item = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["participant"]["name"] == "Lena Vos")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = w
        .app
        .json(
            Method::POST,
            &format!("/api/unresolved/{item}/create-contact"),
            &json!({}),
            Some(&w.sam),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let lena = w.thread_by("Lena Vos").await;
    let crm = &lena["messages"][0]["crm"];
    assert_eq!(crm["state"], "copied", "{crm}");
    assert!(crm.get("rule").is_none(), "{crm}");
    assert!(
        crm["url"]
            .as_str()
            .is_some_and(|u| u.starts_with(&format!("{base}/main.aspx?etn="))),
        "{crm}"
    );
}
