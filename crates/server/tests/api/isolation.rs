//! Organizations never see each other's data.

use axum::http::StatusCode;
use navsync_api::Licence;
use navsync_server::store::{NewOrganization, NewPerson};

use crate::support::TestApp;

#[tokio::test]
async fn an_admin_never_sees_another_organizations_seats() {
    let app = TestApp::demo().await;
    let hash = navsync_server::auth::password::hash_blocking("other-password").unwrap();
    let person = |name: &str, email: &str, licence| NewPerson {
        name: name.into(),
        email: email.into(),
        password_hash: Some(hash.clone()),
        licence,
    };
    app.state
        .store
        .create_organization_with_people(
            &NewOrganization {
                name: "Other Org".into(),
                seat_limit: 5,
            },
            &[
                person("Olga Other", "olga@other.test", Licence::AdminAndTeamMember),
                person("Sam Otherside", "sam.o@other.test", Licence::TeamMember),
            ],
        )
        .await
        .unwrap();

    let demo_admin = app.cookie_for("admin@demo.test").await;
    let all = app
        .get("/api/admin/seats?limit=200", Some(&demo_admin))
        .await
        .json();
    assert_eq!(all["total"], 7);
    let emails: Vec<_> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["email"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        emails.iter().all(|e| e.ends_with("@demo.test")),
        "{emails:?}"
    );
    for q in ["other", "olga", "sam"] {
        let page = app
            .get(&format!("/api/admin/seats?q={q}"), Some(&demo_admin))
            .await
            .json();
        for seat in page["items"].as_array().unwrap() {
            assert!(
                seat["email"].as_str().unwrap().ends_with("@demo.test"),
                "q={q}: {seat}"
            );
        }
    }
    let sam = app
        .get("/api/admin/seats?q=sam", Some(&demo_admin))
        .await
        .json();
    assert_eq!(sam["total"], 1);
    assert_eq!(sam["items"][0]["name"], "Sam Peeters");

    let other = app.sign_in("olga@other.test", "other-password").await;
    assert_eq!(other.status, StatusCode::OK);
    let other_cookie = other.session_cookie();
    let theirs = app
        .get("/api/admin/seats?q=demo", Some(&other_cookie))
        .await
        .json();
    assert_eq!(theirs["total"], 0);
    let theirs = app
        .get("/api/admin/seats", Some(&other_cookie))
        .await
        .json();
    assert_eq!(theirs["total"], 2);
    let me = app.get("/api/me", Some(&other_cookie)).await.json();
    assert_eq!(me["organization"]["name"], "Other Org");
    assert_eq!(me["organization"]["seats_used"], 2);
}
