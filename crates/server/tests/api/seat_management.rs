//! Seat Management through the API (SPEC M1–M4), against the Dataverse
//! stand-in on loopback: admin-only access, the "In CRM" badge and its
//! reasons, per-seat and bulk CRM sync (all or nothing, locked by S1 Yes),
//! "Assign seats from CRM" within the seat limit, licences and the last
//! admin, removing seats, set-password links, other organizations' ids, and
//! the seat list at 10,000 seats.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use dataverse_standin::{Running, StandInConfig, Table, demo_crm, spawn};
use navsync_api::{Licence, OrganizationId, PersonId, paths};
use navsync_server::store::{NewOrganization, NewPerson};
use serde_json::{Value, json};
use sqlx::SqlitePool;
use sqlx::sqlite::SqliteConnectOptions;

use crate::support::{TestApp, TestResponse};

/// Admin only, no seat.
const ADMIN: &str = "admin@demo.test";
/// A seat holder, not an admin.
const SAM: &str = "sam@demo.test";
/// Admin and seat holder.
const MORGAN: &str = "morgan@demo.test";

/// An app with the demo organization, a stand-in CRM it may reach (not yet
/// connected), and a signed-in admin.
struct Seats {
    app: TestApp,
    crm: Running,
    admin: String,
    org: OrganizationId,
}

async fn setup() -> Seats {
    let crm = spawn(StandInConfig::default(), demo_crm(10, 11))
        .await
        .expect("stand-in");
    let authority = crm.base_url.clone();
    let app = TestApp::demo_with(move |c| c.entra_authority = authority).await;
    let admin = app.cookie_for(ADMIN).await;
    let org = app
        .state
        .store
        .find_person_by_email(ADMIN)
        .await
        .unwrap()
        .unwrap()
        .organization_id;
    Seats {
        app,
        crm,
        admin,
        org,
    }
}

impl Seats {
    /// Connects the stand-in through the CRM connect route.
    async fn connect(&self) {
        let config = self.crm.standin.config();
        let body = json!({
            "environment_url": self.crm.base_url,
            "tenant": config.tenant,
            "client_id": config.client_id,
            "client_secret": self.crm.standin.client_secret(),
        });
        let response = self
            .app
            .json(
                Method::POST,
                paths::CRM_CONNECTION,
                &body,
                Some(&self.admin),
            )
            .await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        assert_eq!(response.json()["connected"], true, "{}", response.text());
    }

    /// S1 "Auto sync all seat holders with CRM?".
    async fn set_auto_sync_all(&self, yes: bool) {
        let body = json!({"auto_sync_all": yes, "pipeline_stage": null, "won_value_field": null});
        let response = self
            .app
            .json(Method::PUT, paths::CRM_SETTINGS, &body, Some(&self.admin))
            .await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    }

    async fn get(&self, path: &str) -> TestResponse {
        self.app.get(path, Some(&self.admin)).await
    }

    async fn send(&self, method: Method, path: &str, body: &Value) -> TestResponse {
        self.app.json(method, path, body, Some(&self.admin)).await
    }

    async fn delete(&self, path: &str) -> TestResponse {
        self.app
            .send(
                axum::http::Request::delete(path)
                    .header(axum::http::header::COOKIE, &self.admin)
                    .body(axum::body::Body::empty())
                    .expect("request"),
            )
            .await
    }

    /// The seat list rows by email (all of the demo organization).
    async fn seats(&self) -> HashMap<String, Value> {
        let response = self.get(&format!("{}?limit=200", paths::SEATS)).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        response.json()["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|s| (s["email"].as_str().expect("email").to_owned(), s.clone()))
            .collect()
    }

    async fn id_of(&self, email: &str) -> String {
        self.seats().await[email]["id"]
            .as_str()
            .expect("id")
            .to_owned()
    }

    /// The CRM's enabled users by email: systemuserid.
    async fn crm_user_ids(&self) -> HashMap<String, String> {
        let response = self.get(&format!("{}?limit=200", paths::CRM_USERS)).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        response.json()["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|u| {
                Some((
                    u["email"].as_str()?.to_owned(),
                    u["systemuserid"].as_str()?.to_owned(),
                ))
            })
            .collect()
    }

    /// A new set-password link for `person`; its token.
    async fn password_link(&self, person: &str) -> String {
        let path = with_id(paths::SEAT_PASSWORD_LINK, person);
        let response = self.send(Method::POST, &path, &json!({})).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        let body = response.json();
        assert!(body["expires_at"].is_string());
        body["url"]
            .as_str()
            .unwrap()
            .trim_start_matches("/set-password?token=")
            .to_owned()
    }

    /// `POST /api/set-password` without a session.
    async fn set_password(&self, token: String, password: &str) -> TestResponse {
        let body = json!({"token": token, "password": password});
        self.app
            .json(Method::POST, paths::SET_PASSWORD, &body, None)
            .await
    }

    async fn audit(&self, action: &str) -> Vec<String> {
        self.app
            .state
            .store
            .audit_entries(&self.org, action)
            .await
            .unwrap()
            .into_iter()
            .map(|(_, detail)| detail)
            .collect()
    }

    async fn people_count(&self) -> i64 {
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM people")
            .fetch_one(&db(&self.app).await)
            .await
            .unwrap();
        count
    }
}

/// A second connection to the test database, for what the API cannot do
/// (shrinking the contract, ageing a link).
async fn db(app: &TestApp) -> SqlitePool {
    SqlitePool::connect_with(
        SqliteConnectOptions::new()
            .filename(app.state.config.database_path())
            .foreign_keys(true),
    )
    .await
    .expect("database")
}

/// `GET` the seat list with `query` as the 10,000-seat organization's admin,
/// asserting success and a bounded time.
async fn fetch_seats(app: &TestApp, cookie: &str, query: impl AsRef<str>) -> Value {
    let query = query.as_ref();
    let started = Instant::now();
    let response = app
        .get(&format!("{}?{query}", paths::SEATS), Some(cookie))
        .await;
    let elapsed = started.elapsed();
    assert_eq!(
        response.status,
        StatusCode::OK,
        "{query}: {}",
        response.text()
    );
    assert!(
        elapsed < Duration::from_secs(5),
        "{query} took {elapsed:?} at 10,000 seats"
    );
    response.json()
}

async fn set_seat_limit(app: &TestApp, limit: i64) {
    sqlx::query("UPDATE organizations SET seat_limit = ?")
        .bind(limit)
        .execute(&db(app).await)
        .await
        .unwrap();
}

/// The stand-in's CRM users as JSON rows.
fn crm_users(t: &Seats) -> Vec<(uuid::Uuid, Value)> {
    // Collect the ids first: `row` takes the data lock again.
    let ids: Vec<uuid::Uuid> = t
        .crm
        .standin
        .data()
        .rows(Table::SystemUser)
        .keys()
        .copied()
        .collect();
    ids.into_iter()
        .filter_map(|id| Some((id, t.crm.standin.row(Table::SystemUser, id)?)))
        .collect()
}

fn with_id(template: &str, id: &str) -> String {
    paths::with_id(template, id)
}

#[tokio::test]
async fn every_seat_route_needs_an_admin() {
    let t = setup().await;
    let seat_holder = t.app.cookie_for(SAM).await;
    let sam = t.id_of(SAM).await;
    let routes: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, paths::SEATS.into(), None),
        (Method::GET, paths::CRM_USERS.into(), None),
        (
            Method::POST,
            paths::CRM_USERS_REFRESH.into(),
            Some(json!({})),
        ),
        (
            Method::POST,
            paths::SEATS_CRM_SYNC.into(),
            Some(json!({"person_ids": [sam], "enabled": false})),
        ),
        (
            Method::POST,
            paths::SEATS_ASSIGN.into(),
            Some(json!({"systemuserids": ["x"], "licence": "team_member"})),
        ),
        (
            Method::PUT,
            with_id(paths::SEAT_CRM_SYNC, &sam),
            Some(json!({"enabled": false})),
        ),
        (
            Method::PUT,
            with_id(paths::SEAT_LICENCE, &sam),
            Some(json!({"licence": "admin"})),
        ),
        (
            Method::POST,
            with_id(paths::SEAT_PASSWORD_LINK, &sam),
            Some(json!({})),
        ),
        (Method::DELETE, with_id(paths::SEAT, &sam), Some(json!({}))),
    ];
    for (method, path, body) in &routes {
        for (cookie, status, code) in [
            (None, 401, "unauthenticated"),
            (Some(seat_holder.as_str()), 403, "forbidden"),
        ] {
            let response = match body {
                Some(body) => t.app.json(method.clone(), path, body, cookie).await,
                None => t.app.get(path, cookie).await,
            };
            assert_eq!(response.status.as_u16(), status, "{method} {path}");
            response.assert_error(status, code);
        }
    }
    let seats = t.seats().await;
    assert_eq!(seats[SAM]["licence"], "team_member", "nothing changed");
    assert!(t.audit("seats.remove").await.is_empty());
}

#[tokio::test]
async fn the_in_crm_badge_and_its_reasons() {
    let t = setup().await;
    // Not connected: no badge for anyone.
    let page = t.get(paths::SEATS).await.json();
    assert_eq!(page["crm_connected"], false);
    for seat in page["items"].as_array().unwrap() {
        assert_eq!(seat["in_crm"], false, "{seat}");
        assert_eq!(seat["not_in_crm_reason"], "not_connected", "{seat}");
    }

    // Kim's CRM user gets another email before the connect reads the users.
    let kim_user = crm_users(&t)
        .into_iter()
        .find(|(_, row)| row["internalemailaddress"] == "kim@demo.test")
        .map(|(id, _)| id)
        .expect("kim's CRM user");
    t.crm
        .standin
        .update_row(
            Table::SystemUser,
            kim_user,
            &json!({"internalemailaddress": "kim.novak@elsewhere.test"}),
        )
        .expect("update");
    t.connect().await;
    let seats = t.seats().await;
    assert_eq!(seats[SAM]["in_crm"], true, "{}", seats[SAM]);
    assert!(seats[SAM].get("not_in_crm_reason").is_none());
    assert_eq!(seats[SAM]["crm_sync_active"], true);
    assert_eq!(seats[MORGAN]["in_crm"], true);
    assert_eq!(seats["kim@demo.test"]["in_crm"], false);
    assert_eq!(seats["kim@demo.test"]["not_in_crm_reason"], "no_crm_user");
    // The admin-only person holds no seat, so nothing syncs for them.
    assert_eq!(seats[ADMIN]["crm_sync_active"], false);
    assert_eq!(seats[ADMIN]["not_in_crm_reason"], "sync_off");

    // S1 No and Sam's sync off: sync_off.
    t.set_auto_sync_all(false).await;
    let sam = seats[SAM]["id"].as_str().unwrap();
    let response = t
        .send(
            Method::PUT,
            &with_id(paths::SEAT_CRM_SYNC, sam),
            &json!({"enabled": false}),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let seat = response.json();
    assert_eq!(seat["crm_sync_enabled"], false);
    assert_eq!(seat["crm_sync_active"], false);
    assert_eq!(seat["in_crm"], false);
    assert_eq!(seat["not_in_crm_reason"], "sync_off");

    // Filters agree with the badge.
    let emails = |page: &Value| -> Vec<String> {
        let mut emails: Vec<String> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["email"].as_str().unwrap().to_owned())
            .collect();
        emails.sort();
        emails
    };
    let unmatched = t
        .get(&format!("{}?matched=false", paths::SEATS))
        .await
        .json();
    assert_eq!(emails(&unmatched), ["kim@demo.test"]);
    let off = t.get(&format!("{}?sync=off", paths::SEATS)).await.json();
    assert_eq!(emails(&off), [ADMIN, SAM]);
    assert_eq!(off["total"], 2);
    let on_and_matched = t
        .get(&format!("{}?sync=on&matched=true", paths::SEATS))
        .await
        .json();
    assert!(
        on_and_matched["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["in_crm"] == true)
    );
    assert_eq!(on_and_matched["total"], 4, "{on_and_matched}");

    // A refresh after the CRM user is fixed brings the badge.
    t.crm
        .standin
        .update_row(
            Table::SystemUser,
            kim_user,
            &json!({"internalemailaddress": "Kim@Demo.Test"}),
        )
        .expect("update");
    let refreshed = t
        .send(Method::POST, paths::CRM_USERS_REFRESH, &json!({}))
        .await;
    assert_eq!(refreshed.status, StatusCode::OK, "{}", refreshed.text());
    assert_eq!(refreshed.json()["refreshed"], true);
    assert_eq!(t.seats().await["kim@demo.test"]["in_crm"], true);
}

#[tokio::test]
async fn s1_yes_refuses_per_seat_sync_changes() {
    let t = setup().await;
    t.connect().await;
    let sam = t.id_of(SAM).await;
    let single = t
        .send(
            Method::PUT,
            &with_id(paths::SEAT_CRM_SYNC, &sam),
            &json!({"enabled": false}),
        )
        .await;
    single.assert_error(409, "conflict");
    assert_eq!(
        single.json()["message"],
        "Every seat holder syncs while 'Auto sync all seat holders with CRM?' is Yes."
    );
    let bulk = t
        .send(
            Method::POST,
            paths::SEATS_CRM_SYNC,
            &json!({"person_ids": [sam], "enabled": false}),
        )
        .await;
    bulk.assert_error(409, "conflict");
    assert_eq!(t.seats().await[SAM]["crm_sync_enabled"], true);
    assert!(t.audit("seats.crm_sync").await.is_empty());
    // With No, the same change goes through.
    t.set_auto_sync_all(false).await;
    let response = t
        .send(
            Method::PUT,
            &with_id(paths::SEAT_CRM_SYNC, &sam),
            &json!({"enabled": false}),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(t.audit("seats.crm_sync").await.len(), 1);
}

#[tokio::test]
async fn bulk_crm_sync_is_all_or_nothing() {
    let t = setup().await;
    t.connect().await;
    t.set_auto_sync_all(false).await;
    let seats = t.seats().await;
    let id = |email: &str| seats[email]["id"].as_str().unwrap().to_owned();
    let (sam, alex, admin) = (id(SAM), id("alex@demo.test"), id(ADMIN));
    let bulk = |ids: Vec<String>, enabled: bool| json!({"person_ids": ids, "enabled": enabled});

    let unknown = uuid::Uuid::new_v4().to_string();
    t.send(
        Method::POST,
        paths::SEATS_CRM_SYNC,
        &bulk(vec![sam.clone(), alex.clone(), unknown], false),
    )
    .await
    .assert_error(404, "not_found");
    let no_seat = t
        .send(
            Method::POST,
            paths::SEATS_CRM_SYNC,
            &bulk(vec![sam.clone(), admin], false),
        )
        .await;
    no_seat.assert_error(422, "validation_failed");
    assert_eq!(no_seat.json()["fields"][0]["code"], "not_seat_holder");
    t.send(Method::POST, paths::SEATS_CRM_SYNC, &bulk(vec![], false))
        .await
        .assert_error(422, "validation_failed");
    let after = t.seats().await;
    assert_eq!(after[SAM]["crm_sync_enabled"], true, "nothing changed");
    assert_eq!(after["alex@demo.test"]["crm_sync_enabled"], true);
    assert!(t.audit("seats.crm_sync").await.is_empty());

    let response = t
        .send(
            Method::POST,
            paths::SEATS_CRM_SYNC,
            &bulk(vec![sam.clone(), alex.clone(), sam.clone()], false),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.json(), json!({"changed": 2, "unchanged": 0}));
    let again = t
        .send(
            Method::POST,
            paths::SEATS_CRM_SYNC,
            &bulk(vec![sam.clone(), id("kim@demo.test")], false),
        )
        .await;
    assert_eq!(again.json(), json!({"changed": 1, "unchanged": 1}));
    let after = t.seats().await;
    assert_eq!(after[SAM]["crm_sync_enabled"], false);
    assert_eq!(after["alex@demo.test"]["crm_sync_enabled"], false);
    assert_eq!(after["jordan@demo.test"]["crm_sync_enabled"], true);
    let audit = t.audit("seats.crm_sync").await;
    assert_eq!(audit.len(), 2);
    assert!(audit[0].contains("sam@demo.test"), "{audit:?}");
}

#[tokio::test]
async fn crm_users_are_listed_marked_and_refreshed() {
    let t = setup().await;
    t.get(paths::CRM_USERS).await.assert_error(409, "conflict");
    t.connect().await;
    let expected_enabled = crm_users(&t)
        .iter()
        .filter(|(_, row)| row["isdisabled"] == false)
        .count();
    let page = t
        .get(&format!("{}?limit=200", paths::CRM_USERS))
        .await
        .json();
    assert_eq!(page["total"], expected_enabled, "{page}");
    assert!(page["refreshed_at"].is_string());
    assert_eq!(page["seats_free"], 25 - 6);
    let items = page["items"].as_array().unwrap();
    let sam = items.iter().find(|u| u["email"] == SAM).expect("sam");
    assert_eq!(sam["has_seat"], true);
    assert_eq!(sam["person_id"], t.id_of(SAM).await);
    let noor = items
        .iter()
        .find(|u| u["email"] == "noor.smit@demo.test")
        .expect("noor");
    assert_eq!(noor["has_seat"], false);
    assert!(noor["person_id"].is_null());
    assert!(
        !items.iter().any(|u| u["email"] == "old.sales@demo.test"),
        "disabled users are not offered"
    );
    let search = t.get(&format!("{}?q=NOOR", paths::CRM_USERS)).await.json();
    assert_eq!(search["total"], 1);
    t.get(&format!("{}?refresh=maybe", paths::CRM_USERS))
        .await
        .assert_error(400, "bad_request");

    // A new CRM user appears on refresh=true, or once the list is stale.
    t.crm
        .standin
        .create_row(
            Table::SystemUser,
            &json!({"fullname": "Nina New", "internalemailaddress": "nina@demo.test", "isdisabled": false}),
        )
        .expect("create");
    let cached = t.get(&format!("{}?q=nina", paths::CRM_USERS)).await.json();
    assert_eq!(cached["total"], 0, "fresh lists are not read again");
    let refreshed = t
        .get(&format!("{}?q=nina&refresh=true", paths::CRM_USERS))
        .await
        .json();
    assert_eq!(refreshed["total"], 1);
    t.crm
        .standin
        .create_row(
            Table::SystemUser,
            &json!({"fullname": "Oscar Old", "internalemailaddress": "oscar@demo.test", "isdisabled": false}),
        )
        .expect("create");
    sqlx::query("UPDATE crm_directory_refreshes SET refreshed_at = refreshed_at - 301")
        .execute(&db(&t.app).await)
        .await
        .unwrap();
    let stale = t.get(&format!("{}?q=oscar", paths::CRM_USERS)).await.json();
    assert_eq!(stale["total"], 1, "a stale list is read again");
}

#[tokio::test]
async fn assigning_seats_stops_exactly_at_the_limit() {
    let t = setup().await;
    t.connect().await;
    // Six team-member seats are in use; leave three free.
    set_seat_limit(&t.app, 9).await;
    let users = t.crm_user_ids().await;
    let pick =
        |emails: &[&str]| -> Vec<String> { emails.iter().map(|e| users[*e].clone()).collect() };
    let four = pick(&[
        "noor.smit@demo.test",
        "lars.berg@demo.test",
        "ines.costa@demo.test",
        "tomas.kral@demo.test",
    ]);
    let people_before = t.people_count().await;

    let over = t
        .send(
            Method::POST,
            paths::SEATS_ASSIGN,
            &json!({"systemuserids": four, "licence": "team_member"}),
        )
        .await;
    over.assert_error(409, "conflict");
    assert_eq!(
        over.json()["message"],
        "Not enough seats: 4 team-member seats asked for, but only 3 of 9 are free. \
         Nothing was changed."
    );
    assert_eq!(
        t.people_count().await,
        people_before,
        "nothing half-assigned"
    );
    assert!(t.audit("seats.assign").await.is_empty());

    // Exactly the free seats, plus someone who already has one (skipped, not counted).
    let mut three = four[..3].to_vec();
    three.push(users[SAM].clone());
    let response = t
        .send(
            Method::POST,
            paths::SEATS_ASSIGN,
            &json!({"systemuserids": three, "licence": "team_member"}),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let outcome = response.json();
    let assigned = outcome["assigned"].as_array().unwrap();
    assert_eq!(assigned.len(), 3, "{outcome}");
    assert_eq!(assigned[0]["seat"]["email"], "noor.smit@demo.test");
    assert_eq!(assigned[0]["seat"]["name"], "Noor Smit");
    assert_eq!(assigned[0]["seat"]["licence"], "team_member");
    assert_eq!(assigned[0]["seat"]["in_crm"], true);
    assert_eq!(outcome["skipped"][0]["reason"], "already_has_seat");
    assert_eq!(outcome["skipped"][0]["person_id"], t.id_of(SAM).await);
    assert_eq!(outcome["seats_free"], 0);
    assert_eq!(t.people_count().await, people_before + 3);
    let url = assigned[0]["password_link"]["url"].as_str().unwrap();
    assert!(url.starts_with("/set-password?token="), "{url}");

    // The link lets Noor choose a password and sign in.
    let token = url.trim_start_matches("/set-password?token=");
    let set = t
        .app
        .json(
            Method::POST,
            paths::SET_PASSWORD,
            &json!({"token": token, "password": "noor-password"}),
            None,
        )
        .await;
    assert_eq!(set.status, StatusCode::NO_CONTENT, "{}", set.text());
    assert_eq!(
        t.app
            .sign_in("noor.smit@demo.test", "noor-password")
            .await
            .status,
        StatusCode::OK
    );

    // One more team member is refused; an admin-only licence takes no seat.
    let fifth = pick(&["mei.tanaka@demo.test"]);
    t.send(
        Method::POST,
        paths::SEATS_ASSIGN,
        &json!({"systemuserids": fifth, "licence": "admin_and_team_member"}),
    )
    .await
    .assert_error(409, "conflict");
    let admin_only = t
        .send(
            Method::POST,
            paths::SEATS_ASSIGN,
            &json!({"systemuserids": fifth, "licence": "admin"}),
        )
        .await;
    assert_eq!(admin_only.status, StatusCode::OK, "{}", admin_only.text());
    assert_eq!(admin_only.json()["assigned"][0]["seat"]["licence"], "admin");
    let audit = t.audit("seats.assign").await;
    assert_eq!(audit.len(), 2);
    assert!(audit[0].contains("noor.smit@demo.test"), "{audit:?}");
    assert!(
        !audit.iter().any(|a| a.contains(token)),
        "no tokens in the log"
    );
}

#[tokio::test]
async fn the_last_admin_cannot_be_removed_or_demoted() {
    let t = setup().await;
    let seats = t.seats().await;
    let admin = seats[ADMIN]["id"].as_str().unwrap().to_owned();
    let morgan = seats[MORGAN]["id"].as_str().unwrap().to_owned();
    let demote = json!({"licence": "team_member"});
    // Two admins: Morgan may be demoted.
    let response = t
        .send(Method::PUT, &with_id(paths::SEAT_LICENCE, &morgan), &demote)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.json()["licence"], "team_member");

    // Now the admin is the last one.
    let demoted = t
        .send(Method::PUT, &with_id(paths::SEAT_LICENCE, &admin), &demote)
        .await;
    demoted.assert_error(409, "conflict");
    assert!(
        demoted.json()["message"]
            .as_str()
            .unwrap()
            .contains("last admin")
    );
    t.delete(&with_id(paths::SEAT, &admin))
        .await
        .assert_error(409, "conflict");
    assert_eq!(
        t.seats().await[ADMIN]["licence"],
        "admin",
        "nothing changed"
    );

    // Promoting Morgan back makes room again.
    let promote = json!({"licence": "admin_and_team_member"});
    let response = t
        .send(
            Method::PUT,
            &with_id(paths::SEAT_LICENCE, &morgan),
            &promote,
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let removed = t.delete(&with_id(paths::SEAT, &admin)).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.text());
    let audit = t.audit("seats.licence").await;
    assert_eq!(audit.len(), 2, "{audit:?}");
}

#[tokio::test]
async fn a_new_team_member_licence_needs_a_free_seat() {
    let t = setup().await;
    set_seat_limit(&t.app, 6).await;
    let admin = t.id_of(ADMIN).await;
    t.send(
        Method::PUT,
        &with_id(paths::SEAT_LICENCE, &admin),
        &json!({"licence": "admin_and_team_member"}),
    )
    .await
    .assert_error(409, "conflict");
    assert_eq!(t.seats().await[ADMIN]["licence"], "admin");
    set_seat_limit(&t.app, 7).await;
    let response = t
        .send(
            Method::PUT,
            &with_id(paths::SEAT_LICENCE, &admin),
            &json!({"licence": "admin_and_team_member"}),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(t.seats().await[ADMIN]["licence"], "admin_and_team_member");
}

#[tokio::test]
async fn removing_a_seat_ends_sessions_and_removes_saved_rows() {
    let t = setup().await;
    let sam_cookie = t.app.cookie_for(SAM).await;
    let sam = t.id_of(SAM).await;
    let org = t.org.clone();
    let pool = db(&t.app).await;
    sqlx::query(
        "INSERT INTO saved_leads (id, organization_id, person_id, first_name, last_name, created_at) \
         VALUES ('lead-1', ?, ?, 'Lee', 'Lead', 0)",
    )
    .bind(org.as_str())
    .bind(&sam)
    .execute(&pool)
    .await
    .unwrap();
    let removed = t.delete(&with_id(paths::SEAT, &sam)).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.text());
    t.app
        .get(paths::ME, Some(&sam_cookie))
        .await
        .assert_error(401, "unauthenticated");
    assert!(!t.seats().await.contains_key(SAM));
    let (leads,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM saved_leads")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(leads, 0);
    t.delete(&with_id(paths::SEAT, &sam))
        .await
        .assert_error(404, "not_found");
    let audit = t.audit("seats.remove").await;
    assert_eq!(audit, ["removed sam@demo.test (team_member)"]);
}

#[tokio::test]
async fn a_password_link_works_once_expires_and_ends_sessions() {
    let t = setup().await;
    let sam = t.id_of(SAM).await;
    let sam_cookie = t.app.cookie_for(SAM).await;
    // A newer link replaces the older one.
    let older = t.password_link(&sam).await;
    let token = t.password_link(&sam).await;
    t.set_password(older, "brand-new-password")
        .await
        .assert_error(400, "bad_request");
    t.set_password(token.clone(), "short")
        .await
        .assert_error(422, "validation_failed");
    let response = t.set_password(token.clone(), "brand-new-password").await;
    assert_eq!(
        response.status,
        StatusCode::NO_CONTENT,
        "{}",
        response.text()
    );
    t.app
        .get(paths::ME, Some(&sam_cookie))
        .await
        .assert_error(401, "unauthenticated");
    assert_eq!(
        t.app.sign_in(SAM, "brand-new-password").await.status,
        StatusCode::OK
    );
    // Used once: never again.
    let reused = t.set_password(token.clone(), "another-password").await;
    reused.assert_error(400, "bad_request");
    assert!(
        reused.json()["message"]
            .as_str()
            .unwrap()
            .contains("new link")
    );
    assert_eq!(
        t.app.sign_in(SAM, "another-password").await.status,
        StatusCode::UNAUTHORIZED
    );

    // An expired link does nothing.
    let expiring = t.password_link(&sam).await;
    sqlx::query("UPDATE password_links SET expires_at = strftime('%s', 'now') - 1")
        .execute(&db(&t.app).await)
        .await
        .unwrap();
    t.set_password(expiring, "third-password")
        .await
        .assert_error(400, "bad_request");
    t.set_password("not-a-token".into(), "third-password")
        .await
        .assert_error(400, "bad_request");
    assert_eq!(
        t.app.sign_in(SAM, "brand-new-password").await.status,
        StatusCode::OK
    );
    let audit = t.audit("seats.password_link").await;
    assert_eq!(audit.len(), 3);
    assert!(
        audit
            .iter()
            .all(|a| a == "new set-password link for sam@demo.test")
    );
}

#[tokio::test]
async fn another_organizations_seats_are_not_found() {
    let t = setup().await;
    let (_, other) = t
        .app
        .state
        .store
        .create_organization_with_admin(
            &NewOrganization {
                name: "Other".into(),
                seat_limit: 5,
            },
            &NewPerson {
                name: "Olive Other".into(),
                email: "olive@other.test".into(),
                password_hash: None,
                licence: Licence::AdminAndTeamMember,
            },
        )
        .await
        .unwrap();
    let id = other.as_str();
    t.send(
        Method::PUT,
        &with_id(paths::SEAT_LICENCE, id),
        &json!({"licence": "admin"}),
    )
    .await
    .assert_error(404, "not_found");
    t.send(
        Method::POST,
        &with_id(paths::SEAT_PASSWORD_LINK, id),
        &json!({}),
    )
    .await
    .assert_error(404, "not_found");
    t.delete(&with_id(paths::SEAT, id))
        .await
        .assert_error(404, "not_found");
    t.connect().await;
    t.set_auto_sync_all(false).await;
    t.send(
        Method::PUT,
        &with_id(paths::SEAT_CRM_SYNC, id),
        &json!({"enabled": false}),
    )
    .await
    .assert_error(404, "not_found");
    t.send(
        Method::POST,
        paths::SEATS_CRM_SYNC,
        &json!({"person_ids": [id], "enabled": false}),
    )
    .await
    .assert_error(404, "not_found");
    let olive = t
        .app
        .state
        .store
        .find_person_by_email("olive@other.test")
        .await
        .unwrap()
        .expect("still there");
    assert_eq!(olive.licence, Licence::AdminAndTeamMember);
    assert!(olive.crm_sync_enabled);
    assert!(!t.seats().await.contains_key("olive@other.test"));
}

#[tokio::test]
async fn ten_thousand_seats_page_filter_and_sort() {
    let app = TestApp::new().await;
    const N: usize = 10_000;
    let licences = [
        Licence::TeamMember,
        Licence::AdminAndTeamMember,
        Licence::Admin,
    ];
    // Names in mixed case and an order unlike the emails', so each sort shows.
    let people: Vec<NewPerson> = (0..N)
        .map(|i| NewPerson {
            name: format!(
                "{} {:05}",
                if i % 2 == 0 { "person" } else { "Person" },
                (i * 7919) % N
            ),
            email: format!("p{i:05}@big.test"),
            password_hash: None,
            licence: licences[i % 7 % 3],
        })
        .collect();
    let started = Instant::now();
    let (org, ids) = app
        .state
        .store
        .create_organization_with_people(
            &NewOrganization {
                name: "Big".into(),
                seat_limit: 10_000,
            },
            &people,
        )
        .await
        .unwrap();
    eprintln!("seeded {N} people in {:?}", started.elapsed());
    let admin_index = (0..N).find(|i| people[*i].licence.is_admin()).unwrap();
    let cookie = navsync_server::auth::start_session(&app.state, &org, &ids[admin_index])
        .await
        .unwrap();
    let cookie = cookie.split(';').next().unwrap().to_owned();
    let emails = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["email"].as_str().unwrap().to_owned())
            .collect()
    };
    let ids_by_email: HashMap<String, PersonId> = people
        .iter()
        .zip(&ids)
        .map(|(p, id)| (p.email.clone(), id.clone()))
        .collect();
    assert_eq!(ids_by_email.len(), N);

    // Name, ascending (any case, then id): page through a few pages.
    let mut by_name: Vec<&NewPerson> = people.iter().collect();
    by_name.sort_by(|a, b| {
        (a.name.to_ascii_lowercase(), &ids_by_email[&a.email])
            .cmp(&(b.name.to_ascii_lowercase(), &ids_by_email[&b.email]))
    });
    for offset in [0, 200, 5_000, 9_900] {
        let page = fetch_seats(&app, &cookie, format!("offset={offset}&limit=200")).await;
        assert_eq!(page["total"], N);
        let expected: Vec<String> = by_name
            .iter()
            .skip(offset)
            .take(200)
            .map(|p| p.email.clone())
            .collect();
        assert_eq!(emails(&page), expected, "offset {offset}");
    }
    let past_the_end = fetch_seats(&app, &cookie, "offset=10000").await;
    assert_eq!(emails(&past_the_end).len(), 0);

    // Email, descending.
    let page = fetch_seats(&app, &cookie, "sort=email&order=desc&limit=3").await;
    assert_eq!(
        emails(&page),
        ["p09999@big.test", "p09998@big.test", "p09997@big.test"]
    );

    // Licence filter and sort.
    let admins = people
        .iter()
        .filter(|p| p.licence == Licence::Admin)
        .count();
    let page = fetch_seats(&app, &cookie, "licence=admin&limit=200&offset=0").await;
    assert_eq!(page["total"], admins);
    assert!(
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["licence"] == "admin")
    );
    let rank = |l: Licence| match l {
        Licence::Admin => 0,
        Licence::AdminAndTeamMember => 1,
        Licence::TeamMember => 2,
    };
    let mut by_licence: Vec<&NewPerson> = people.iter().collect();
    by_licence.sort_by(|a, b| {
        (
            rank(a.licence),
            a.name.to_ascii_lowercase(),
            &ids_by_email[&a.email],
        )
            .cmp(&(
                rank(b.licence),
                b.name.to_ascii_lowercase(),
                &ids_by_email[&b.email],
            ))
    });
    let offset = admins - 100;
    let page = fetch_seats(
        &app,
        &cookie,
        format!("sort=licence&offset={offset}&limit=200"),
    )
    .await;
    let expected: Vec<String> = by_licence
        .iter()
        .skip(offset)
        .take(200)
        .map(|p| p.email.clone())
        .collect();
    assert_eq!(emails(&page), expected, "across the admin / both boundary");
    let page = fetch_seats(&app, &cookie, "sort=licence&order=desc&limit=5").await;
    let expected: Vec<String> = by_licence
        .iter()
        .rev()
        .take(5)
        .map(|p| p.email.clone())
        .collect();
    assert_eq!(emails(&page), expected);

    // Search, combined with filters.
    let page = fetch_seats(&app, &cookie, "q=P0999&limit=200").await;
    assert_eq!(page["total"], 10, "p09990…p09999");
    let team = people.iter().filter(|p| p.licence.is_team_member()).count();
    let page = fetch_seats(&app, &cookie, "sync=on&limit=1").await;
    assert_eq!(page["total"], team, "S1 Yes: every seat holder syncs");
    let page = fetch_seats(&app, &cookie, "sync=off&licence=team_member").await;
    assert_eq!(page["total"], 0);
    let page = fetch_seats(&app, &cookie, "matched=true").await;
    assert_eq!(page["total"], 0, "not connected: nobody is matched");

    // Bad values are a JSON 400.
    for query in [
        "sort=age",
        "order=up",
        "licence=owner",
        "sync=maybe",
        "matched=yes",
    ] {
        let response = app
            .get(&format!("{}?{query}", paths::SEATS), Some(&cookie))
            .await;
        response.assert_error(400, "bad_request");
    }
    let long = "x".repeat(201);
    app.get(&format!("{}?q={long}", paths::SEATS), Some(&cookie))
        .await
        .assert_error(400, "bad_request");
}
