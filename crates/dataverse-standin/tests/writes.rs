//! The stand-in's write sets (`li_inmails`, `li_messages`, `tasks`, `annotations`) and
//! `$batch`, through the router: creates, upserts, binds, state pairs, closed activities,
//! impersonation, the companion-solution fault, atomic change sets and write counters.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use dataverse_standin::api::writes::WriteSet;
use dataverse_standin::{CrmData, StandIn, StandInConfig, Table, router};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use uuid::Uuid;

const API: &str = "/api/data/v9.2";

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    text: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }

    fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }
}

async fn send(app: &Router, req: Request<Body>) -> Reply {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        text: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

fn request(
    method: &str,
    path: &str,
    token: &str,
    body: Option<Value>,
    extra: &[(&str, &str)],
) -> Request<Body> {
    let mut builder = Request::builder()
        .method(method)
        .uri(format!("{API}/{path}"))
        .header("Authorization", format!("Bearer {token}"))
        .header("Accept", "application/json")
        .header("OData-Version", "4.0");
    for (name, value) in extra {
        builder = builder.header(*name, *value);
    }
    match body {
        Some(b) => builder
            .header("Content-Type", "application/json")
            .body(Body::from(b.to_string()))
            .unwrap(),
        None => builder.body(Body::empty()).unwrap(),
    }
}

struct World {
    standin: StandIn,
    app: Router,
    token: String,
    contact: Uuid,
    user: Uuid,
    user_aad: Uuid,
}

fn world() -> World {
    let standin = StandIn::new(StandInConfig::default(), CrmData::empty());
    let contact = standin
        .create_row(Table::Contact, &json!({"firstname": "Ada", "lastname": "Lovelace", "emailaddress1": "ada@example.com"}))
        .unwrap();
    let user_aad = Uuid::new_v4();
    let user = standin
        .create_row(
            Table::SystemUser,
            &json!({"fullname": "Sam Seller", "internalemailaddress": "sam@example.com", "azureactivedirectoryobjectid": user_aad.to_string()}),
        )
        .unwrap();
    let token = standin.issue_token();
    World {
        app: router(standin.clone()),
        standin,
        token,
        contact,
        user,
        user_aad,
    }
}

fn inmail(w: &World, subject: &str) -> Value {
    json!({
        "subject": subject,
        "description": "Hello there",
        "regardingobjectid_contact_li_inmail@odata.bind": format!("/contacts({})", w.contact),
        "ownerid@odata.bind": format!("/systemusers({})", w.user),
    })
}

#[tokio::test]
async fn post_creates_every_time_and_patch_upserts_once() {
    let w = world();
    let task = json!({"subject": "Follow up", "regardingobjectid_contact_task@odata.bind": format!("/contacts({})", w.contact)});
    for _ in 0..2 {
        let r = send(
            &w.app,
            request("POST", "tasks", &w.token, Some(task.clone()), &[]),
        )
        .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
        let entity = r.headers["OData-EntityId"].to_str().unwrap();
        assert!(entity.contains("/api/data/v9.2/tasks("), "{entity}");
    }
    assert_eq!(
        w.standin.written(WriteSet::Task).len(),
        2,
        "no hidden dedupe"
    );

    let r = send(
        &w.app,
        request(
            "POST",
            "tasks",
            &w.token,
            Some(task.clone()),
            &[("Prefer", "return=representation")],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let row = r.json();
    assert_eq!(row["statecode"], 0);
    assert_eq!(row["statuscode"], 2);
    assert_eq!(row["_regardingobjectid_value"], w.contact.to_string());
    assert_eq!(
        row["_createdby_value"],
        w.standin.data().integration_user_id.to_string()
    );

    let id = Uuid::new_v4();
    let missing = send(
        &w.app,
        request(
            "PATCH",
            &format!("li_inmails({id})"),
            &w.token,
            Some(inmail(&w, "Hi")),
            &[("If-Match", "*")],
        ),
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    for _ in 0..3 {
        let r = send(
            &w.app,
            request(
                "PATCH",
                &format!("li_inmails({id})"),
                &w.token,
                Some(inmail(&w, "Hi")),
                &[],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    }
    let rows = w.standin.written(WriteSet::InMail);
    assert_eq!(rows.len(), 1, "upsert by id is idempotent");
    assert_eq!(rows[0]["activityid"], id.to_string());
    assert_eq!(rows[0]["_ownerid_value"], w.user.to_string());

    let filter = format!(
        "li_inmails?$filter=_regardingobjectid_value%20eq%20{}",
        w.contact
    );
    let r = send(&w.app, request("GET", &filter, &w.token, None, &[])).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["value"].as_array().unwrap().len(), 1);
    let none = format!(
        "li_inmails?$filter=_regardingobjectid_value%20eq%20{}",
        Uuid::new_v4()
    );
    let r = send(&w.app, request("GET", &none, &w.token, None, &[])).await;
    assert_eq!(r.json()["value"].as_array().unwrap().len(), 0);
    let r = send(
        &w.app,
        request("GET", &format!("li_inmails({id})"), &w.token, None, &[]),
    )
    .await;
    assert_eq!(r.json()["subject"], "Hi");

    let stats = w.standin.stats();
    assert_eq!(stats.writes["tasks"], 3);
    assert_eq!(stats.writes["li_inmails"], 4);
    assert_eq!(stats.resource("li_inmails"), 7);
}

#[tokio::test]
async fn binds_and_state_pairs_are_validated() {
    let w = world();
    let bad_bind = json!({"subject": "x", "regardingobjectid_contact_task@odata.bind": format!("/contacts({})", Uuid::new_v4())});
    let r = send(
        &w.app,
        request("POST", "tasks", &w.token, Some(bad_bind), &[]),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.code(), "0x80040217");

    let bad_owner =
        json!({"subject": "x", "ownerid@odata.bind": format!("/systemusers({})", Uuid::new_v4())});
    let r = send(
        &w.app,
        request("POST", "tasks", &w.token, Some(bad_owner), &[]),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let bad_pair = json!({"subject": "x", "statecode": 1, "statuscode": 2});
    let r = send(
        &w.app,
        request("POST", "tasks", &w.token, Some(bad_pair), &[]),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.code(), "0x80040203");

    let unknown = json!({"subject": "x", "nope": 1});
    let r = send(
        &w.app,
        request("POST", "tasks", &w.token, Some(unknown), &[]),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);

    let note = json!({"subject": "Note", "notetext": "Met at a fair", "objectid_contact@odata.bind": format!("/contacts({})", w.contact)});
    let r = send(
        &w.app,
        request("POST", "annotations", &w.token, Some(note), &[]),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let notes = w.standin.written(WriteSet::Annotation);
    assert_eq!(notes[0]["_objectid_value"], w.contact.to_string());
    assert!(notes[0].get("statecode").is_none(), "notes have no state");
}

#[tokio::test]
async fn a_completed_activity_is_read_only_until_reopened() {
    let w = world();
    let id = Uuid::new_v4();
    let path = format!("li_messages({id})");
    let mut closed = inmail(&w, "Closed");
    closed
        .as_object_mut()
        .unwrap()
        .remove("regardingobjectid_contact_li_inmail@odata.bind");
    closed["regardingobjectid_contact_li_message@odata.bind"] =
        json!(format!("/contacts({})", w.contact));
    closed["statecode"] = json!(1);
    let r = send(
        &w.app,
        request("PATCH", &path, &w.token, Some(closed.clone()), &[]),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert_eq!(w.standin.written(WriteSet::Message)[0]["statuscode"], 2);

    // A retried identical upsert changes nothing and succeeds.
    let r = send(
        &w.app,
        request("PATCH", &path, &w.token, Some(closed.clone()), &[]),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);

    let r = send(
        &w.app,
        request(
            "PATCH",
            &path,
            &w.token,
            Some(json!({"subject": "Edited"})),
            &[],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.code(), "0x80043b1d");

    let r = send(
        &w.app,
        request("PATCH", &path, &w.token, Some(json!({"statecode": 0})), &[]),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let r = send(
        &w.app,
        request(
            "PATCH",
            &path,
            &w.token,
            Some(json!({"subject": "Edited"})),
            &[],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let row = &w.standin.written(WriteSet::Message)[0];
    assert_eq!(row["subject"], "Edited");
    assert_eq!(row["statuscode"], 1);
}

#[tokio::test]
async fn impersonation_sets_creator_and_needs_the_privilege() {
    let w = world();
    let aad = w.user_aad.to_string();
    let r = send(
        &w.app,
        request(
            "POST",
            "tasks",
            &w.token,
            Some(json!({"subject": "x"})),
            &[("CallerObjectId", &aad)],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let row = &w.standin.written(WriteSet::Task)[0];
    assert_eq!(row["_createdby_value"], w.user.to_string());
    assert_eq!(
        row["_createdonbehalfby_value"],
        w.standin.data().integration_user_id.to_string()
    );

    w.standin
        .update_faults(|f| f.missing_privileges = vec!["prvActOnBehalfOfAnotherUser".into()]);
    let r = send(
        &w.app,
        request(
            "POST",
            "tasks",
            &w.token,
            Some(json!({"subject": "y"})),
            &[("CallerObjectId", &aad)],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.code(), "0x80040220");
    let r = send(
        &w.app,
        request(
            "POST",
            "tasks",
            &w.token,
            Some(json!({"subject": "y"})),
            &[],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "plain writes still work");
}

#[tokio::test]
async fn companion_tables_vanish_without_the_solution() {
    let w = world();
    w.standin.update_faults(|f| f.solution_missing = true);
    let r = send(
        &w.app,
        request("POST", "li_inmails", &w.token, Some(inmail(&w, "x")), &[]),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = send(&w.app, request("GET", "li_messages", &w.token, None, &[])).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = send(
        &w.app,
        request(
            "POST",
            "tasks",
            &w.token,
            Some(json!({"subject": "x"})),
            &[],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
}

fn part(method: &str, path: &str, body: Option<&Value>, content_id: Option<usize>) -> String {
    let mut s =
        String::from("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n");
    if let Some(id) = content_id {
        s.push_str(&format!("Content-ID: {id}\r\n"));
    }
    s.push_str(&format!("\r\n{method} {API}/{path} HTTP/1.1\r\n"));
    match body {
        Some(b) => s.push_str(&format!("Content-Type: application/json\r\n\r\n{b}\r\n")),
        None => s.push_str("\r\n"),
    }
    s
}

fn batch_body(parts: &[String], change_set: &[String]) -> String {
    let mut s = String::new();
    for p in parts {
        s.push_str(&format!("--batch_b\r\n{p}"));
    }
    if !change_set.is_empty() {
        s.push_str("--batch_b\r\nContent-Type: multipart/mixed; boundary=changeset_c\r\n\r\n");
        for p in change_set {
            s.push_str(&format!("--changeset_c\r\n{p}"));
        }
        s.push_str("--changeset_c--\r\n");
    }
    s.push_str("--batch_b--\r\n");
    s
}

fn batch_request(token: &str, body: String, prefer: Option<&str>) -> Request<Body> {
    let mut builder = Request::post(format!("{API}/$batch"))
        .header("Authorization", format!("Bearer {token}"))
        .header("Content-Type", "multipart/mixed; boundary=batch_b");
    if let Some(p) = prefer {
        builder = builder.header("Prefer", p);
    }
    builder.body(Body::from(body)).unwrap()
}

#[tokio::test]
async fn batch_runs_parts_and_change_sets_atomically() {
    let w = world();
    let ok = json!({"subject": "ok"});
    let a = Uuid::new_v4();
    let b = Uuid::new_v4();
    let body = batch_body(
        &[
            part("PATCH", &format!("tasks({a})"), Some(&ok), None),
            part("GET", "tasks", None, None),
        ],
        &[
            part("POST", "tasks", Some(&ok), Some(1)),
            part("PATCH", &format!("tasks({b})"), Some(&ok), Some(2)),
        ],
    );
    let r = send(&w.app, batch_request(&w.token, body, None)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let content_type = r.headers["content-type"].to_str().unwrap();
    assert!(content_type.starts_with("multipart/mixed; boundary=batchresponse_"));
    assert_eq!(
        r.text.matches("HTTP/1.1 204 No Content").count(),
        3,
        "{}",
        r.text
    );
    assert_eq!(r.text.matches("HTTP/1.1 200 OK").count(), 1);
    assert!(r.text.contains("changesetresponse_"));
    assert!(r.text.contains("Content-ID: 2"));
    assert_eq!(w.standin.written(WriteSet::Task).len(), 3);
    assert_eq!(w.standin.stats().writes["tasks"], 3);
    assert_eq!(w.standin.stats().resource("$batch"), 1);

    // One failure rolls the whole change set back.
    let c = Uuid::new_v4();
    let bad = json!({"subject": "x", "statecode": 1, "statuscode": 6});
    let body = batch_body(
        &[],
        &[
            part("PATCH", &format!("tasks({c})"), Some(&ok), Some(1)),
            part("POST", "tasks", Some(&bad), Some(2)),
        ],
    );
    let r = send(&w.app, batch_request(&w.token, body, None)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("HTTP/1.1 400 Bad Request"), "{}", r.text);
    assert!(r.text.contains("0x80040203"));
    assert_eq!(w.standin.written(WriteSet::Task).len(), 3, "rolled back");

    // Without continue-on-error the batch stops at the first failure; with it, it goes on.
    let d = Uuid::new_v4();
    let parts = [
        part("POST", "tasks", Some(&bad), None),
        part("PATCH", &format!("tasks({d})"), Some(&ok), None),
    ];
    let r = send(
        &w.app,
        batch_request(&w.token, batch_body(&parts, &[]), None),
    )
    .await;
    assert!(!r.text.contains("204 No Content"), "{}", r.text);
    let r = send(
        &w.app,
        batch_request(
            &w.token,
            batch_body(&parts, &[]),
            Some("odata.continue-on-error"),
        ),
    )
    .await;
    assert!(r.text.contains("204 No Content"), "{}", r.text);
    assert_eq!(w.standin.written(WriteSet::Task).len(), 4);
}

#[tokio::test]
async fn batch_refuses_gets_in_change_sets_and_oversized_batches() {
    let w = world();
    let body = batch_body(&[], &[part("GET", "tasks", None, Some(1))]);
    let r = send(&w.app, batch_request(&w.token, body, None)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);

    let ok = json!({"subject": "ok"});
    let parts: Vec<String> = (0..1_001)
        .map(|_| part("POST", "tasks", Some(&ok), None))
        .collect();
    let r = send(
        &w.app,
        batch_request(&w.token, batch_body(&parts, &[]), None),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(w.standin.written(WriteSet::Task).is_empty());

    let parts: Vec<String> = (0..1_000)
        .map(|_| part("POST", "tasks", Some(&ok), None))
        .collect();
    let r = send(
        &w.app,
        batch_request(&w.token, batch_body(&parts, &[]), None),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(w.standin.written(WriteSet::Task).len(), 1_000);
}
