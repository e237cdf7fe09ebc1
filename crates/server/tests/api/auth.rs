//! Sign-in, sessions, sign-out, throttling and licences.

use std::sync::Arc;
use std::time::Duration;

use axum::http::{Method, StatusCode};
use navsync_api::Licence;
use navsync_server::auth::session;
use navsync_server::auth::throttle::ManualClock;
use navsync_server::store::{NewOrganization, NewPerson, now_unix};
use navsync_server::{AppState, Throttle, ThrottleLimits};
use serde_json::json;

use crate::support::TestApp;

#[tokio::test]
async fn demo_people_sign_in_with_a_strict_http_only_cookie() {
    let app = TestApp::demo().await;
    for (email, licence) in [
        ("admin@demo.test", "admin"),
        ("SAM@demo.test", "team_member"),
    ] {
        let response = app.sign_in(email, navsync_server::DEMO_PASSWORD).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        let me = response.json();
        assert_eq!(me["person"]["licence"], licence);
        assert_eq!(me["organization"]["name"], "Demo Company");
        assert_eq!(me["organization"]["seats_used"], 6);
        let cookie = response.header("set-cookie").expect("cookie");
        assert!(cookie.starts_with("navsync_session="), "{cookie}");
        for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
            assert!(cookie.contains(attribute), "{attribute} missing: {cookie}");
        }
        assert!(!cookie.contains("Secure"), "plain-HTTP default: {cookie}");
        let me_again = app.get("/api/me", Some(&response.session_cookie())).await;
        assert_eq!(me_again.status, StatusCode::OK);
        assert_eq!(me_again.json()["person"]["email"], email.to_lowercase());
    }
}

#[tokio::test]
async fn secure_cookies_when_configured() {
    let app = TestApp::demo().await;
    let mut state = app.state.clone();
    let mut config = (*state.config).clone();
    config.secure_cookies = true;
    state.config = Arc::new(config);
    let app = app.with_state(state);
    let response = app
        .sign_in("sam@demo.test", navsync_server::DEMO_PASSWORD)
        .await;
    assert!(
        response
            .header("set-cookie")
            .is_some_and(|c| c.ends_with("; Secure"))
    );
}

#[tokio::test]
async fn wrong_password_unknown_email_and_no_password_look_the_same() {
    let app = TestApp::demo().await;
    app.state
        .store
        .create_organization_with_admin(
            &NewOrganization {
                name: "Other".into(),
                seat_limit: 1,
            },
            &NewPerson {
                name: "No Password".into(),
                email: "nopass@other.test".into(),
                password_hash: None,
                licence: Licence::Admin,
            },
        )
        .await
        .expect("org");
    let wrong = app.sign_in("sam@demo.test", "wrong password").await;
    let unknown = app
        .sign_in("nobody@demo.test", navsync_server::DEMO_PASSWORD)
        .await;
    let no_password = app.sign_in("nopass@other.test", "").await;
    let no_password2 = app.sign_in("nopass@other.test", "anything").await;
    wrong.assert_error(401, "invalid_credentials");
    assert_eq!(
        wrong.json()["message"],
        "The email or password is not correct."
    );
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(wrong.body, no_password2.body);
    assert!(wrong.header("set-cookie").is_none());
    // An empty password is a form error, not a hint about the account.
    no_password.assert_error(422, "validation_failed");
}

#[tokio::test]
async fn sixth_rapid_failure_is_throttled_without_checking_the_password() {
    let app = TestApp::demo().await;
    for _ in 0..5 {
        app.sign_in("sam@demo.test", "wrong")
            .await
            .assert_error(401, "invalid_credentials");
    }
    let throttled = app
        .sign_in("Sam@demo.test", navsync_server::DEMO_PASSWORD)
        .await;
    throttled.assert_error(429, "too_many_requests");
    let retry: u64 = throttled
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("seconds");
    assert!((1..=900).contains(&retry), "{retry}");
    // Another email is not affected.
    assert_eq!(
        app.sign_in("alex@demo.test", navsync_server::DEMO_PASSWORD)
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn throttle_lock_ends_and_success_clears_it() {
    let app = TestApp::demo().await;
    let clock = Arc::new(ManualClock::new());
    let state = AppState {
        throttle: Arc::new(Throttle::new(ThrottleLimits::default(), clock.clone())),
        ..app.state.clone()
    };
    let app = app.with_state(state);
    for _ in 0..5 {
        app.sign_in("kim@demo.test", "wrong").await;
    }
    app.sign_in("kim@demo.test", navsync_server::DEMO_PASSWORD)
        .await
        .assert_error(429, "too_many_requests");
    clock.advance(Duration::from_secs(31));
    assert_eq!(
        app.sign_in("kim@demo.test", navsync_server::DEMO_PASSWORD)
            .await
            .status,
        StatusCode::OK
    );
    // The success cleared the counter: four new failures do not lock.
    for _ in 0..4 {
        app.sign_in("kim@demo.test", "wrong").await;
    }
    assert_eq!(
        app.sign_in("kim@demo.test", navsync_server::DEMO_PASSWORD)
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn me_needs_a_valid_unexpired_session() {
    let app = TestApp::demo().await;
    app.get("/api/me", None)
        .await
        .assert_error(401, "unauthenticated");
    app.get("/api/me", Some("navsync_session=garbage"))
        .await
        .assert_error(401, "unauthenticated");
    let unknown = format!("navsync_session={}", session::new_token());
    app.get("/api/me", Some(&unknown))
        .await
        .assert_error(401, "unauthenticated");

    let sam = app
        .state
        .store
        .find_person_by_email("sam@demo.test")
        .await
        .unwrap()
        .unwrap();
    let token = session::new_token();
    app.state
        .store
        .create_session(
            &session::hash_token(&token),
            &sam.organization_id,
            &sam.id,
            now_unix() - 1,
        )
        .await
        .unwrap();
    let expired = format!("navsync_session={token}");
    app.get("/api/me", Some(&expired))
        .await
        .assert_error(401, "unauthenticated");
    // The periodic clean-up removes it.
    assert_eq!(navsync_server::clean_up(&app.state).await.unwrap(), 1);
}

#[tokio::test]
async fn the_database_stores_only_the_token_hash() {
    let app = TestApp::demo().await;
    let cookie = app.cookie_for("sam@demo.test").await;
    let token = cookie.trim_start_matches("navsync_session=");
    let store = &app.state.store;
    assert!(
        store
            .find_session(token, now_unix())
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .find_session(&session::hash_token(token), now_unix())
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn sign_out_makes_the_cookie_useless() {
    let app = TestApp::demo().await;
    let cookie = app.cookie_for("sam@demo.test").await;
    assert_eq!(
        app.get("/api/me", Some(&cookie)).await.status,
        StatusCode::OK
    );
    let request = axum::http::Request::delete("/api/session")
        .header("cookie", &cookie)
        .body(axum::body::Body::empty())
        .unwrap();
    let response = app.send(request).await;
    assert_eq!(response.status, StatusCode::NO_CONTENT);
    assert!(
        response
            .header("set-cookie")
            .is_some_and(|c| c.contains("Max-Age=0"))
    );
    app.get("/api/me", Some(&cookie))
        .await
        .assert_error(401, "unauthenticated");
    // Signing out without a session is fine too.
    let request = axum::http::Request::delete("/api/session")
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(app.send(request).await.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn preferences_persist_the_locale() {
    let app = TestApp::demo().await;
    let cookie = app.cookie_for("alex@demo.test").await;
    assert_eq!(
        app.get("/api/me", Some(&cookie)).await.json()["person"]["locale"],
        "en"
    );
    let response = app
        .json(
            Method::PUT,
            "/api/me/preferences",
            &json!({ "locale": "nl" }),
            Some(&cookie),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.json()["person"]["locale"], "nl");
    assert_eq!(
        app.get("/api/me", Some(&cookie)).await.json()["person"]["locale"],
        "nl"
    );
    // A fresh sign-in sees it too.
    let again = app
        .sign_in("alex@demo.test", navsync_server::DEMO_PASSWORD)
        .await;
    assert_eq!(again.json()["person"]["locale"], "nl");
    app.json(
        Method::PUT,
        "/api/me/preferences",
        &json!({ "locale": "de" }),
        Some(&cookie),
    )
    .await
    .assert_error(400, "bad_request");
    app.json(
        Method::PUT,
        "/api/me/preferences",
        &json!({ "locale": "nl" }),
        None,
    )
    .await
    .assert_error(401, "unauthenticated");
}

#[tokio::test]
async fn seats_are_for_admins_only() {
    let app = TestApp::demo().await;
    app.get("/api/admin/seats", None)
        .await
        .assert_error(401, "unauthenticated");
    let sam = app.cookie_for("sam@demo.test").await;
    app.get("/api/admin/seats", Some(&sam))
        .await
        .assert_error(403, "forbidden");
    for admin in ["admin@demo.test", "morgan@demo.test"] {
        let cookie = app.cookie_for(admin).await;
        let response = app.get("/api/admin/seats", Some(&cookie)).await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "{admin}: {}",
            response.text()
        );
        assert_eq!(response.json()["total"], 7);
    }
}
