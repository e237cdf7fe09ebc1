//! Change tracking through the router: the first tracked read and its delta link,
//! deltas with changed and deleted rows made through the test methods, refused
//! query options, and expired tokens (by the control route and by lifetime).

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use dataverse_standin::{StandIn, StandInConfig, Table, demo_crm, router};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

const API: &str = "http://127.0.0.1:8081/api/data/v9.2";

fn setup(config: StandInConfig, opportunities: usize) -> (StandIn, Router, String) {
    let standin = StandIn::new(config, demo_crm(opportunities, 7));
    let token = standin.issue_token();
    (standin.clone(), router(standin), token)
}

async fn get(app: &Router, url: &str, token: &str, prefer: &str) -> (StatusCode, Value) {
    let path = url.strip_prefix("http://127.0.0.1:8081").unwrap_or(url);
    let mut req = Request::get(path)
        .header("Host", "127.0.0.1:8081")
        .header("Authorization", format!("Bearer {token}"));
    if !prefer.is_empty() {
        req = req.header("Prefer", prefer);
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// Follows next links; returns every row and the final delta link.
async fn read_all(app: &Router, first: &str, token: &str, page: usize) -> (Vec<Value>, String) {
    let prefer = format!("odata.track-changes,odata.maxpagesize={page}");
    let mut url = first.to_string();
    let mut rows = Vec::new();
    loop {
        let (status, body) = get(app, &url, token, &prefer).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        rows.extend(body["value"].as_array().unwrap().iter().cloned());
        if let Some(next) = body["@odata.nextLink"].as_str() {
            assert!(body.get("@odata.deltaLink").is_none());
            url = next.to_string();
            continue;
        }
        let delta = body["@odata.deltaLink"]
            .as_str()
            .expect("delta link")
            .to_string();
        return (rows, delta);
    }
}

#[tokio::test]
async fn a_tracked_read_returns_every_row_then_a_delta_link_keeping_select() {
    let (standin, app, token) = setup(StandInConfig::default(), 60);
    let first = format!("{API}/opportunities?$select=name,statecode");
    let (rows, delta) = read_all(&app, &first, &token, 7).await;
    assert_eq!(rows.len(), standin.data().row_count(Table::Opportunity));
    let mut ids: Vec<&str> = rows
        .iter()
        .map(|r| r["opportunityid"].as_str().unwrap())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), rows.len(), "no row twice");
    assert!(rows[0].get("name").is_some() && rows[0].get("estimatedvalue").is_none());
    assert!(delta.starts_with(&format!(
        "{API}/opportunities?$select=name,statecode&$deltatoken="
    )));

    // Nothing changed: an empty delta and a new link.
    let (status, body) = get(&app, &delta, &token, "odata.track-changes").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["value"], json!([]));
    assert!(body["@odata.deltaLink"].as_str().is_some());
}

#[tokio::test]
async fn a_delta_returns_changed_created_and_deleted_rows_only() {
    let (standin, app, token) = setup(StandInConfig::default(), 30);
    let (_, delta) = read_all(
        &app,
        &format!("{API}/opportunities?$select=name,statecode"),
        &token,
        5000,
    )
    .await;
    let ids: Vec<_> = standin
        .data()
        .rows(Table::Opportunity)
        .keys()
        .copied()
        .take(3)
        .collect();
    standin
        .update_row(Table::Opportunity, ids[0], &json!({"statecode": 1}))
        .unwrap();
    standin.delete_row(Table::Opportunity, ids[1]).unwrap();
    let created = standin
        .create_row(Table::Opportunity, &json!({"name": "New deal"}))
        .unwrap();
    // A change in another table is not in this table's delta.
    let account = *standin.data().rows(Table::Account).keys().next().unwrap();
    standin
        .update_row(Table::Account, account, &json!({"name": "Renamed"}))
        .unwrap();

    let (status, body) = get(&app, &delta, &token, "odata.track-changes").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let value = body["value"].as_array().unwrap();
    assert_eq!(value.len(), 3, "{body}");
    let changed: Vec<&str> = value
        .iter()
        .filter_map(|r| r["opportunityid"].as_str())
        .collect();
    assert!(changed.contains(&ids[0].to_string().as_str()));
    assert!(changed.contains(&created.to_string().as_str()));
    let deleted: Vec<&Value> = value.iter().filter(|r| r["reason"] == "deleted").collect();
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0]["id"], ids[1].to_string());
    assert_eq!(
        deleted[0]["@odata.context"],
        format!("{API}/$metadata#opportunities/$deletedEntity")
    );
    let updated = value
        .iter()
        .find(|r| r["opportunityid"] == ids[0].to_string())
        .unwrap();
    assert_eq!(updated["statecode"], 1);

    // The new link starts after these changes.
    let next = body["@odata.deltaLink"].as_str().unwrap().to_string();
    let (_, body) = get(&app, &next, &token, "odata.track-changes").await;
    assert_eq!(body["value"], json!([]));
}

#[tokio::test]
async fn large_deltas_are_paged_and_every_change_comes_once() {
    let (standin, app, token) = setup(StandInConfig::default(), 100);
    let (_, delta) = read_all(
        &app,
        &format!("{API}/opportunities?$select=name"),
        &token,
        5000,
    )
    .await;
    let ids: Vec<_> = standin
        .data()
        .rows(Table::Opportunity)
        .keys()
        .copied()
        .take(25)
        .collect();
    for id in &ids {
        standin
            .update_row(Table::Opportunity, *id, &json!({"name": "changed"}))
            .unwrap();
    }
    let (rows, _) = read_all(&app, &delta, &token, 10).await;
    assert_eq!(rows.len(), 25);
    assert!(rows.iter().all(|r| r["name"] == "changed"));
}

#[tokio::test]
async fn filter_orderby_expand_and_top_are_refused_with_tracking() {
    let (_, app, token) = setup(StandInConfig::default(), 10);
    for query in [
        "$filter=statecode%20eq%200",
        "$orderby=name",
        "$expand=parentaccountid($select=name)",
        "$top=5",
    ] {
        let (status, body) = get(
            &app,
            &format!("{API}/opportunities?$select=name&{query}"),
            &token,
            "odata.track-changes",
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(body["error"]["code"], "0x80060888", "{query}");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("change tracking")
        );
    }
}

#[tokio::test]
async fn expired_tokens_answer_expired_version_stamp() {
    let (standin, app, token) = setup(StandInConfig::default(), 10);
    let (_, delta) = read_all(&app, &format!("{API}/accounts?$select=name"), &token, 5000).await;
    let (status, _) = get(&app, &delta, &token, "odata.track-changes").await;
    assert_eq!(status, StatusCode::OK);

    // The control route expires every token issued so far.
    let res = app
        .clone()
        .oneshot(
            Request::post("/_standin/expire-delta-tokens")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let (status, body) = get(&app, &delta, &token, "odata.track-changes").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "0x80044352");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("full sync")
    );
    // A new full read gives a working link again.
    let (_, fresh) = read_all(&app, &format!("{API}/accounts?$select=name"), &token, 5000).await;
    let (status, _) = get(&app, &fresh, &token, "odata.track-changes").await;
    assert_eq!(status, StatusCode::OK);
    drop(standin);

    // Tokens also expire with their lifetime.
    let (_, app, token) = setup(
        StandInConfig {
            delta_token_lifetime: Duration::ZERO,
            ..StandInConfig::default()
        },
        10,
    );
    let (_, delta) = read_all(&app, &format!("{API}/accounts?$select=name"), &token, 5000).await;
    let (status, body) = get(&app, &delta, &token, "odata.track-changes").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "0x80044352");
    // A forged token is a query error, not an expiry.
    let (status, body) = get(
        &app,
        &format!("{API}/accounts?$deltatoken=nonsense"),
        &token,
        "odata.track-changes",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "0x80060888");
}
