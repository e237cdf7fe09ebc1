//! The seat list: order, paging, clamping, search and bad parameters.

use axum::http::StatusCode;

use crate::support::TestApp;

fn names(page: &serde_json::Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn seats_are_ordered_paged_and_searchable() {
    let app = TestApp::demo().await;
    let admin = app.cookie_for("admin@demo.test").await;
    let all = app.get("/api/admin/seats", Some(&admin)).await.json();
    assert_eq!(
        names(&all),
        [
            "Alex de Vries",
            "Avery Admin",
            "Jordan Bakker",
            "Kim Visser",
            "Morgan Lee",
            "Robin Jansen",
            "Sam Peeters"
        ]
    );
    assert_eq!(all["offset"], 0);
    assert_eq!(all["limit"], 50);
    let first = &all["items"][0];
    assert_eq!(first["licence"], "team_member");
    assert_eq!(first["crm_sync_enabled"], true);

    let page = app
        .get("/api/admin/seats?offset=2&limit=2", Some(&admin))
        .await
        .json();
    assert_eq!(names(&page), ["Jordan Bakker", "Kim Visser"]);
    assert_eq!(page["total"], 7);

    let clamped = app
        .get("/api/admin/seats?limit=0", Some(&admin))
        .await
        .json();
    assert_eq!(clamped["limit"], 1);
    assert_eq!(names(&clamped).len(), 1);
    let clamped = app
        .get("/api/admin/seats?limit=5000", Some(&admin))
        .await
        .json();
    assert_eq!(clamped["limit"], 200);

    let by_email = app
        .get("/api/admin/seats?q=ROBIN%40DEMO", Some(&admin))
        .await
        .json();
    assert_eq!(names(&by_email), ["Robin Jansen"]);
    let by_name = app
        .get("/api/admin/seats?q=de%20vr", Some(&admin))
        .await
        .json();
    assert_eq!(names(&by_name), ["Alex de Vries"]);
    // LIKE wildcards match literally.
    for wildcard in ["%25", "_", "%5C"] {
        let none = app
            .get(&format!("/api/admin/seats?q={wildcard}"), Some(&admin))
            .await
            .json();
        assert_eq!(none["total"], 0, "q={wildcard}");
    }
    let empty_q = app.get("/api/admin/seats?q=", Some(&admin)).await.json();
    assert_eq!(empty_q["total"], 7);
}

#[tokio::test]
async fn bad_query_parameters_are_a_json_400() {
    let app = TestApp::demo().await;
    let admin = app.cookie_for("admin@demo.test").await;
    for query in ["offset=-1", "limit=ten", "offset=1.5"] {
        let response = app
            .get(&format!("/api/admin/seats?{query}"), Some(&admin))
            .await;
        response.assert_error(400, "bad_request");
    }
    assert_eq!(
        app.get("/api/admin/seats?offset=100", Some(&admin))
            .await
            .status,
        StatusCode::OK
    );
}
