//! The stand-in through its router (`oneshot`) and, where a real socket matters, over
//! loopback: token endpoint, auth, functions against Microsoft's documented shapes,
//! queries, paging, metadata, service protection and every fault.

use std::collections::HashSet;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use dataverse_standin::{
    Cell, CrmData, Faults, StandIn, StandInConfig, Table, Throttle, demo_crm, router, same_shape,
    spawn,
};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use uuid::Uuid;

const API: &str = "/api/data/v9.2";
const TOKEN: &str = "/demo.onmicrosoft.com/oauth2/v2.0/token";
const ENV: &str = "http://127.0.0.1:8081";

fn fixture(name: &str) -> Value {
    let path = format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
}

async fn send(app: &Router, req: Request<Body>) -> Reply {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into()))
    };
    Reply {
        status,
        headers,
        body,
    }
}

fn get(path: &str, token: &str) -> Request<Body> {
    Request::get(path)
        .header("Authorization", format!("Bearer {token}"))
        .header("Accept", "application/json")
        .header("OData-MaxVersion", "4.0")
        .header("OData-Version", "4.0")
        .body(Body::empty())
        .unwrap()
}

fn get_prefer(path: &str, token: &str, prefer: &str) -> Request<Body> {
    let mut req = get(path, token);
    req.headers_mut().insert("Prefer", prefer.parse().unwrap());
    req
}

fn token_request(form: &str) -> Request<Body> {
    Request::post(TOKEN)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(Body::from(form.to_string()))
        .unwrap()
}

fn setup(data: CrmData) -> (StandIn, Router, String) {
    let standin = StandIn::new(StandInConfig::default(), data);
    let token = standin.issue_token();
    (standin.clone(), router(standin), token)
}

fn code(r: &Reply) -> &str {
    r.body["error"]["code"].as_str().unwrap_or("")
}

fn message(r: &Reply) -> &str {
    r.body["error"]["message"].as_str().unwrap_or("")
}

fn good_form() -> String {
    format!(
        "grant_type=client_credentials&client_id=11111111-2222-4333-8444-555555555555&client_secret=demo-secret&scope={}",
        "http%3A%2F%2F127.0.0.1%3A8081%2F.default"
    )
}

#[tokio::test]
async fn token_endpoint_issues_tokens_and_answers_each_entra_error() {
    let (standin, app, _) = setup(CrmData::empty());
    let ok = send(&app, token_request(&good_form())).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    same_shape(&fixture("token_success.json"), &ok.body).unwrap();
    assert_eq!(ok.body["expires_in"], 3599);
    let token = ok.body["access_token"].as_str().unwrap();
    assert_eq!(
        send(&app, get(&format!("{API}/WhoAmI"), token))
            .await
            .status,
        StatusCode::OK
    );

    let cases = [
        (
            "/other.onmicrosoft.com/oauth2/v2.0/token",
            good_form(),
            StatusCode::BAD_REQUEST,
            "invalid_request",
            90002,
        ),
        (
            TOKEN,
            good_form().replace("client_credentials", "password"),
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            70003,
        ),
        (
            TOKEN,
            good_form().replace("11111111-2222", "99999999-2222"),
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            700016,
        ),
        (
            TOKEN,
            good_form().replace("demo-secret", "wrong"),
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            7000215,
        ),
        (
            TOKEN,
            good_form().replace("127.0.0.1%3A8081", "other.crm.dynamics.com"),
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            500011,
        ),
    ];
    for (path, form, status, error, number) in cases {
        let req = Request::post(path)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .unwrap();
        let r = send(&app, req).await;
        assert_eq!(r.status, status, "{error}: {}", r.body);
        assert_eq!(r.body["error"], error);
        assert_eq!(r.body["error_codes"], json!([number]));
        assert!(
            r.body["error_description"]
                .as_str()
                .unwrap()
                .starts_with(&format!("AADSTS{number}:")),
            "{}",
            r.body
        );
        same_shape(&fixture("token_error_aadsts7000215.json"), &r.body).unwrap();
    }

    // Rotation: the old secret stops working, the new one works, issued tokens survive.
    standin.rotate_secret("rotated");
    let old = send(&app, token_request(&good_form())).await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    let new = send(
        &app,
        token_request(&good_form().replace("demo-secret", "rotated")),
    )
    .await;
    assert_eq!(new.status, StatusCode::OK);
    assert_eq!(
        send(&app, get(&format!("{API}/WhoAmI"), token))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(standin.stats().token_requests, 8);
}

#[tokio::test]
async fn api_refuses_missing_unknown_and_expired_tokens() {
    let config = StandInConfig {
        token_lifetime: Duration::from_millis(200),
        ..StandInConfig::default()
    };
    let standin = StandIn::new(config, CrmData::empty());
    let app = router(standin.clone());
    let none = send(
        &app,
        Request::get(format!("{API}/WhoAmI"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert!(
        none.headers["WWW-Authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer ")
    );
    same_shape(&fixture("error.json"), &none.body).unwrap();
    let forged = send(&app, get(&format!("{API}/WhoAmI"), "forged")).await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);

    let token = standin.issue_token();
    assert_eq!(
        send(&app, get(&format!("{API}/WhoAmI"), &token))
            .await
            .status,
        StatusCode::OK
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    let expired = send(&app, get(&format!("{API}/WhoAmI"), &token)).await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
    assert!(
        message(&expired).contains("ExpiredAuthTicket"),
        "{}",
        expired.body
    );

    // The expire_tokens fault invalidates tokens that were still good.
    let fresh = standin.issue_token();
    standin.update_faults(|f| f.expire_tokens = true);
    assert_eq!(
        send(&app, get(&format!("{API}/WhoAmI"), &fresh))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert!(
        !standin.faults().expire_tokens,
        "expire_tokens is an action, not kept"
    );
    let after = standin.issue_token();
    assert_eq!(
        send(&app, get(&format!("{API}/WhoAmI"), &after))
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn connect_time_functions_have_microsofts_shapes() {
    let (standin, app, token) = setup(CrmData::empty());
    let who = send(&app, get(&format!("{API}/WhoAmI"), &token)).await;
    assert_eq!(who.headers["OData-Version"], "4.0");
    same_shape(&fixture("whoami.json"), &who.body).unwrap();
    assert_eq!(
        who.body["UserId"],
        standin.data().integration_user_id.to_string()
    );
    assert!(
        who.body["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse")
    );

    for version in ["v8.2", "v9.0", "v9.1"] {
        let r = send(
            &app,
            get(&format!("/api/data/{version}/RetrieveVersion"), &token),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{version}");
    }
    let version = send(&app, get(&format!("{API}/RetrieveVersion"), &token)).await;
    same_shape(&fixture("retrieve_version.json"), &version.body).unwrap();
    assert_eq!(version.body["Version"], "9.2.25112.171");

    let org = send(
        &app,
        get(
            &format!("{API}/RetrieveCurrentOrganization(AccessType=Microsoft.Dynamics.CRM.EndpointAccessType'Default')"),
            &token,
        ),
    )
    .await;
    assert_eq!(org.status, StatusCode::OK, "{}", org.body);
    same_shape(&fixture("retrieve_current_organization.json"), &org.body).unwrap();
    assert_eq!(org.body["Detail"]["OrganizationType"], "Customer");
    assert_eq!(org.body["Detail"]["UrlName"], "navsyncdemo");

    let user = standin.data().integration_user_id;
    let privileges = send(
        &app,
        get(
            &format!("{API}/systemusers({user})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges"),
            &token,
        ),
    )
    .await;
    same_shape(&fixture("retrieve_user_privileges.json"), &privileges.body).unwrap();
    let names: Vec<&str> = privileges.body["RolePrivileges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["PrivilegeName"].as_str().unwrap())
        .collect();
    for needed in [
        "prvReadAccount",
        "prvReadOpportunity",
        "prvCreateActivity",
        "prvActOnBehalfOfAnotherUser",
    ] {
        assert!(names.contains(&needed), "{needed}");
    }
    let nobody = send(
        &app,
        get(
            &format!(
                "{API}/systemusers({})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges",
                Uuid::nil()
            ),
            &token,
        ),
    )
    .await;
    assert_eq!(
        (nobody.status, code(&nobody)),
        (StatusCode::NOT_FOUND, "0x80040217")
    );
}

#[tokio::test]
async fn query_errors_use_dataverse_codes() {
    let (_, app, token) = setup(demo_crm(30, 1));
    let unknown = send(
        &app,
        get(&format!("{API}/accounts?$select=name,Name"), &token),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(code(&unknown), "0x0");
    assert_eq!(
        message(&unknown),
        "Could not find a property named 'Name' on type 'Microsoft.Dynamics.CRM.account'."
    );
    same_shape(&fixture("error.json"), &unknown.body).unwrap();

    let skip = send(&app, get(&format!("{API}/accounts?$skip=10"), &token)).await;
    assert_eq!(
        (skip.status, code(&skip)),
        (StatusCode::BAD_REQUEST, "0x80060888")
    );
    assert_eq!(message(&skip), "The query parameter $skip is not supported");

    for bad in [
        "statecode%20eq",
        "statecode%20eq%200%20and",
        "(name%20eq%20'x'",
        "name%20eq%20'x",
    ] {
        let r = send(
            &app,
            get(&format!("{API}/opportunities?$filter={bad}"), &token),
        )
        .await;
        assert_eq!(
            (r.status, code(&r)),
            (StatusCode::BAD_REQUEST, "0x80060888"),
            "{bad}: {}",
            r.body
        );
        assert!(
            message(&r).starts_with("Syntax error at position"),
            "{}",
            r.body
        );
    }
    let typed = send(
        &app,
        get(
            &format!("{API}/opportunities?$filter=statecode%20eq%20'open'"),
            &token,
        ),
    )
    .await;
    assert_eq!(
        (typed.status, code(&typed)),
        (StatusCode::BAD_REQUEST, "0x80060888")
    );
    let unknown_in_filter = send(
        &app,
        get(
            &format!("{API}/opportunities?$filter=nope%20eq%201"),
            &token,
        ),
    )
    .await;
    assert_eq!(code(&unknown_in_filter), "0x0");
    let no_table = send(&app, get(&format!("{API}/widgets"), &token)).await;
    assert_eq!(
        (no_table.status, code(&no_table)),
        (StatusCode::NOT_FOUND, "0x8006088a")
    );
    let no_row = send(
        &app,
        get(&format!("{API}/accounts({})", Uuid::nil()), &token),
    )
    .await;
    assert_eq!(
        (no_row.status, code(&no_row)),
        (StatusCode::NOT_FOUND, "0x80040217")
    );
    assert_eq!(
        message(&no_row),
        format!("account With Id = {} Does Not Exist", Uuid::nil())
    );
}

#[tokio::test]
async fn filter_returns_exactly_the_matching_rows() {
    let (standin, app, token) = setup(demo_crm(600, 7));
    let data = standin.data().clone();
    let owner_col = Table::Opportunity.column_index("_ownerid_value").unwrap();
    let state_col = Table::Opportunity.column_index("statecode").unwrap();
    let stage_col = Table::Opportunity.column_index("salesstage").unwrap();
    let owner = match &data.rows(Table::Opportunity).values().next().unwrap()[owner_col] {
        Cell::Guid(g) => *g,
        other => panic!("{other:?}"),
    };
    let expected: HashSet<String> = data
        .rows(Table::Opportunity)
        .iter()
        .filter(|(_, r)| {
            r[state_col] == Cell::Int(0)
                && matches!(r[stage_col], Cell::Int(s) if s >= 2)
                && r[owner_col] == Cell::Guid(owner)
        })
        .map(|(id, _)| id.to_string())
        .collect();
    assert!(!expected.is_empty());
    let path = format!(
        "{API}/opportunities?$select=name,salesstage&$filter=statecode%20eq%200%20and%20salesstage%20ge%202%20and%20_ownerid_value%20eq%20{owner}&$count=true"
    );
    let r = send(&app, get(&path, &token)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let got: HashSet<String> = r.body["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["opportunityid"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(got, expected);
    assert_eq!(r.body["@odata.count"], expected.len());
    let row = &r.body["value"][0];
    let keys: HashSet<&str> = row
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        HashSet::from(["@odata.etag", "name", "salesstage", "opportunityid"])
    );
    assert!(
        row.get("salesstage@OData.Community.Display.V1.FormattedValue")
            .is_none()
    );

    // In(), contains() and not, against the same data.
    let names: Vec<String> = data
        .rows(Table::Account)
        .values()
        .take(2)
        .map(|r| match &r[1] {
            Cell::Text(t) => t.to_string(),
            _ => String::new(),
        })
        .collect();
    let in_path = format!(
        "{API}/accounts?$select=name&$filter=Microsoft.Dynamics.CRM.In(PropertyName='name',PropertyValues=['{}','{}'])",
        names[0].replace(' ', "%20").replace('\'', "''"),
        names[1].replace(' ', "%20").replace('\'', "''")
    );
    let r = send(&app, get(&in_path, &token)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for row in r.body["value"].as_array().unwrap() {
        assert!(names.contains(&row["name"].as_str().unwrap().to_string()));
    }
    let won_not_lost = send(
        &app,
        get(&format!("{API}/opportunities?$select=name&$filter=not%20(statecode%20eq%200)%20and%20contains(name,'renewal')"), &token),
    )
    .await;
    for row in won_not_lost.body["value"].as_array().unwrap() {
        assert!(
            row["name"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("renewal")
        );
    }
}

/// Follows `@odata.nextLink`s through the router; returns the pages.
async fn all_pages(app: &Router, first: &str, token: &str, prefer: &str) -> Vec<Reply> {
    let mut pages = Vec::new();
    let mut path = first.to_string();
    loop {
        let r = send(app, get_prefer(&path, token, prefer)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let next = r.body["@odata.nextLink"].as_str().map(String::from);
        pages.push(r);
        match next {
            Some(link) => {
                assert!(
                    link.starts_with(&format!("{ENV}{API}/")),
                    "absolute link: {link}"
                );
                assert!(link.contains("$skiptoken="), "{link}");
                path = link.strip_prefix(ENV).unwrap().to_string();
            }
            None => return pages,
        }
        assert!(pages.len() < 50, "runaway paging");
    }
}

#[tokio::test]
async fn paging_walks_every_row_once_with_absolute_next_links() {
    let (_, app, token) = setup(demo_crm(12_000, 3));
    let pages = all_pages(
        &app,
        &format!("{API}/opportunities?$select=name,statecode"),
        &token,
        "odata.maxpagesize=5000",
    )
    .await;
    assert_eq!(pages.len(), 3);
    assert_eq!(
        pages[0].headers["Preference-Applied"],
        "odata.maxpagesize=5000"
    );
    let sizes: Vec<usize> = pages
        .iter()
        .map(|p| p.body["value"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, vec![5000, 5000, 2000]);
    let mut seen = HashSet::new();
    for page in &pages {
        for row in page.body["value"].as_array().unwrap() {
            assert!(
                seen.insert(row["opportunityid"].as_str().unwrap().to_string()),
                "duplicate"
            );
        }
    }
    assert_eq!(seen.len(), 12_000);
    assert!(
        pages[0].body["@odata.nextLink"]
            .as_str()
            .unwrap()
            .contains("$select=name,statecode&")
    );

    // The documented sample has the same shape as a small page here.
    let small = send(
        &app,
        get_prefer(
            &format!("{API}/contacts?$select=fullname"),
            &token,
            "odata.maxpagesize=2",
        ),
    )
    .await;
    same_shape(&fixture("paged_collection.json"), &small.body).unwrap();

    // Ordered paging: descending values across pages, every open row once.
    let ordered = all_pages(
        &app,
        &format!("{API}/opportunities?$select=estimatedvalue&$filter=statecode%20eq%200&$orderby=estimatedvalue%20desc"),
        &token,
        "odata.maxpagesize=3000",
    )
    .await;
    let values: Vec<f64> = ordered
        .iter()
        .flat_map(|p| p.body["value"].as_array().unwrap().clone())
        .map(|r| r["estimatedvalue"].as_f64().unwrap())
        .collect();
    assert!(values.windows(2).all(|w| w[0] >= w[1]));
    assert!(
        values.len() > 7_000 && values.len() < 9_000,
        "{}",
        values.len()
    );

    let top = send(
        &app,
        get(&format!("{API}/opportunities?$select=name&$top=7"), &token),
    )
    .await;
    assert_eq!(top.body["value"].as_array().unwrap().len(), 7);
    assert!(top.body.get("@odata.nextLink").is_none());
    let default_page = send(
        &app,
        get(&format!("{API}/opportunities?$select=name"), &token),
    )
    .await;
    assert_eq!(default_page.body["value"].as_array().unwrap().len(), 5000);
    let bad_token = send(
        &app,
        get(&format!("{API}/opportunities?$skiptoken=nonsense"), &token),
    )
    .await;
    assert_eq!(code(&bad_token), "0x80060888");
}

#[tokio::test]
async fn paging_without_orderby_survives_changes_between_pages() {
    let (standin, app, token) = setup(demo_crm(30, 9));
    let first = send(
        &app,
        get_prefer(
            &format!("{API}/opportunities?$select=name"),
            &token,
            "odata.maxpagesize=10",
        ),
    )
    .await;
    let ids: Vec<Uuid> = first.body["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["opportunityid"].as_str().unwrap().parse().unwrap())
        .collect();
    // Deleting a row already returned must not make the next page skip one.
    standin.delete_row(Table::Opportunity, ids[0]).unwrap();
    let next = first.body["@odata.nextLink"]
        .as_str()
        .unwrap()
        .strip_prefix(ENV)
        .unwrap()
        .to_string();
    let rest = all_pages(&app, &next, &token, "odata.maxpagesize=10").await;
    let count: usize = rest
        .iter()
        .map(|p| p.body["value"].as_array().unwrap().len())
        .sum();
    assert_eq!(count, 20);
}

#[tokio::test]
async fn rows_render_etags_expansions_and_requested_annotations() {
    let (standin, app, token) = setup(demo_crm(30, 2));
    let (id, account) = {
        let data = standin.data();
        let (id, row) = data.rows(Table::Opportunity).iter().next().unwrap();
        let account = match &row[Table::Opportunity
            .column_index("_parentaccountid_value")
            .unwrap()]
        {
            Cell::Guid(g) => *g,
            _ => panic!(),
        };
        (*id, account)
    };
    let path = format!(
        "{API}/opportunities({id})?$select=name,salesstage,estimatedvalue,_ownerid_value&$expand=parentaccountid($select=name)"
    );
    let plain = send(&app, get(&path, &token)).await;
    assert_eq!(plain.status, StatusCode::OK, "{}", plain.body);
    let account_name = standin
        .data()
        .primary_name(Table::Account, account)
        .unwrap();
    assert_eq!(plain.body["parentaccountid"]["name"], account_name.as_str());
    assert_eq!(
        plain.body["parentaccountid"]["accountid"],
        account.to_string()
    );
    assert!(
        plain
            .body
            .get("salesstage@OData.Community.Display.V1.FormattedValue")
            .is_none()
    );
    let version = standin.row(Table::Opportunity, id).unwrap()["versionnumber"].clone();
    assert_eq!(plain.body["@odata.etag"], format!("W/\"{version}\""));

    let annotated = send(
        &app,
        get_prefer(&path, &token, "odata.include-annotations=\"*\""),
    )
    .await;
    let stage = annotated.body["salesstage"].as_i64().unwrap();
    let label = standin.data().sales_stages[stage as usize].label.clone();
    assert_eq!(
        annotated.body["salesstage@OData.Community.Display.V1.FormattedValue"],
        label.as_str()
    );
    assert!(
        annotated.body["estimatedvalue@OData.Community.Display.V1.FormattedValue"]
            .as_str()
            .unwrap()
            .starts_with('$')
    );
    assert_eq!(
        annotated.body["_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"],
        "systemuser"
    );
    assert!(
        annotated.headers["Preference-Applied"]
            .to_str()
            .unwrap()
            .contains("include-annotations")
    );

    // Changes bump the row version and modifiedon; deletions leave tombstones.
    let before = standin.row(Table::Opportunity, id).unwrap();
    standin
        .update_row(Table::Opportunity, id, &json!({"name": "Renamed"}))
        .unwrap();
    let after = standin.row(Table::Opportunity, id).unwrap();
    assert!(after["versionnumber"].as_i64() > before["versionnumber"].as_i64());
    assert_ne!(after["modifiedon"], before["modifiedon"]);
    let again = send(&app, get(&path, &token)).await;
    assert_eq!(again.body["name"], "Renamed");
    assert_ne!(again.body["@odata.etag"], plain.body["@odata.etag"]);
    let new_id = standin
        .create_row(Table::Account, &json!({"name": "Brand New Ltd"}))
        .unwrap();
    assert!(
        standin.row(Table::Account, new_id).unwrap()["versionnumber"].as_i64()
            > after["versionnumber"].as_i64()
    );
    standin.delete_row(Table::Account, new_id).unwrap();
    let tombstones = standin.tombstones();
    assert_eq!(tombstones.last().unwrap().id, new_id);
    assert_eq!(
        tombstones.last().unwrap().version,
        standin.data().last_version()
    );
    assert!(
        standin
            .update_row(Table::Account, new_id, &json!({}))
            .is_err()
    );
    assert!(
        standin
            .create_row(Table::Account, &json!({"nope": 1}))
            .is_err()
    );
}

#[tokio::test]
async fn metadata_describes_tables_option_sets_and_money_columns() {
    let mut data = CrmData::empty();
    data.sales_stages[0].label = "Discover".into();
    let (_, app, token) = setup(data);
    let defs = send(
        &app,
        get(&format!("{API}/EntityDefinitions?$select=LogicalName,EntitySetName&$filter=LogicalName%20eq%20'opportunity'"), &token),
    )
    .await;
    assert_eq!(defs.status, StatusCode::OK, "{}", defs.body);
    let value = defs.body["value"].as_array().unwrap();
    assert_eq!(value.len(), 1);
    assert_eq!(value[0]["EntitySetName"], "opportunities");
    assert!(value[0].get("PrimaryIdAttribute").is_none());

    let picklists = send(
        &app,
        get(&format!("{API}/EntityDefinitions(LogicalName='opportunity')/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options)"), &token),
    )
    .await;
    assert_eq!(picklists.status, StatusCode::OK, "{}", picklists.body);
    same_shape(&fixture("picklist_optionset.json"), &picklists.body).unwrap();
    let stage = picklists.body["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["LogicalName"] == "salesstage")
        .unwrap();
    let labels: Vec<(i64, &str)> = stage["OptionSet"]["Options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["Value"].as_i64().unwrap(),
                o["Label"]["UserLocalizedLabel"]["Label"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        labels,
        vec![
            (0, "Discover"),
            (1, "Develop"),
            (2, "Propose"),
            (3, "Close")
        ]
    );

    let money = send(
        &app,
        get(&format!("{API}/EntityDefinitions(LogicalName='opportunity')/Attributes/Microsoft.Dynamics.CRM.MoneyAttributeMetadata?$select=LogicalName,DisplayName"), &token),
    )
    .await;
    let money: Vec<(String, String)> = money.body["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["LogicalName"].as_str().unwrap().to_string(),
                a["DisplayName"]["UserLocalizedLabel"]["Label"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect();
    assert!(
        money.contains(&("new_wonvalue".into(), "Won Value (Navsync)".into())),
        "{money:?}"
    );
    assert!(money.contains(&("estimatedvalue".into(), "Est. Revenue".into())));
    assert_eq!(money.len(), 4);

    let bad = send(
        &app,
        get(&format!("{API}/EntityDefinitions?$select=Nope"), &token),
    )
    .await;
    assert_eq!(code(&bad), "0x0");
    let owner = send(
        &app,
        get(&format!("{API}/EntityDefinitions(LogicalName='opportunity')/Attributes(LogicalName='ownerid')?$select=LogicalName,AttributeType"), &token),
    )
    .await;
    assert_eq!(owner.body["AttributeType"], "Owner");
}

#[tokio::test]
async fn throttle_fault_answers_429_then_recovers() {
    let (standin, app, token) = setup(CrmData::empty());
    standin.update_faults(|f| {
        f.throttle = Some(Throttle {
            retry_after_secs: 2,
            requests: 2,
        })
    });
    for _ in 0..2 {
        let r = send(&app, get(&format!("{API}/WhoAmI"), &token)).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(r.headers["Retry-After"], "2");
        assert_eq!(code(&r), "0x80072322");
        same_shape(&fixture("throttle_429.json"), &r.body).unwrap();
    }
    assert_eq!(
        send(&app, get(&format!("{API}/WhoAmI"), &token))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(standin.faults().throttle, None);
    let stats = standin.stats();
    assert_eq!(
        (stats.total, stats.status(429), stats.status(200)),
        (3, 2, 1)
    );
    assert_eq!(stats.resource("WhoAmI"), 3);
}

#[tokio::test]
async fn service_protection_limits_requests_per_window() {
    let config = StandInConfig {
        request_limit: 3,
        ..StandInConfig::default()
    };
    let standin = StandIn::new(config, CrmData::empty());
    let token = standin.issue_token();
    let app = router(standin.clone());
    for _ in 0..3 {
        assert_eq!(
            send(&app, get(&format!("{API}/WhoAmI"), &token))
                .await
                .status,
            StatusCode::OK
        );
    }
    let r = send(&app, get(&format!("{API}/WhoAmI"), &token)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(code(&r), "0x80072322");
    assert_eq!(
        message(&r),
        "Number of requests exceeded the limit of 3 over time window of 300 seconds."
    );
    let wait: u64 = r.headers["Retry-After"].to_str().unwrap().parse().unwrap();
    assert!((299..=300).contains(&wait), "{wait}");
}

#[tokio::test]
async fn concurrency_limit_answers_0x80072326() {
    let config = StandInConfig {
        concurrency_limit: 0,
        ..StandInConfig::default()
    };
    let standin = StandIn::new(config, CrmData::empty());
    let token = standin.issue_token();
    let r = send(&router(standin), get(&format!("{API}/WhoAmI"), &token)).await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::TOO_MANY_REQUESTS, "0x80072326")
    );
    assert!(r.headers.contains_key("Retry-After"));
}

#[tokio::test]
async fn faults_change_what_the_connector_sees() {
    let (standin, app, token) = setup(demo_crm(30, 4));
    let user = standin.data().integration_user_id;
    let privileges_path =
        format!("{API}/systemusers({user})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges");
    let org_path = format!(
        "{API}/RetrieveCurrentOrganization(AccessType=Microsoft.Dynamics.CRM.EndpointAccessType'Default')"
    );

    standin.update_faults(|f| f.missing_privileges = vec!["prvReadOpportunity".into()]);
    let privileges = send(&app, get(&privileges_path, &token)).await;
    assert!(!privileges.body.to_string().contains("prvReadOpportunity"));
    let denied = send(
        &app,
        get(&format!("{API}/opportunities?$select=name"), &token),
    )
    .await;
    assert_eq!(
        (denied.status, code(&denied)),
        (StatusCode::FORBIDDEN, "0x80040220")
    );
    let m = message(&denied);
    assert!(
        m.starts_with(&format!("Principal user (Id={user}, type=8")),
        "{m}"
    );
    assert!(
        m.contains("is missing prvReadOpportunity privilege")
            && m.contains("OTC=3 for entity 'opportunity'"),
        "{m}"
    );
    assert_eq!(
        send(&app, get(&format!("{API}/accounts?$select=name"), &token))
            .await
            .status,
        StatusCode::OK
    );

    standin.set_faults(Faults {
        missing_tables: vec!["opportunity".into()],
        ..Faults::default()
    });
    let gone = send(&app, get(&format!("{API}/opportunities"), &token)).await;
    assert_eq!(
        (gone.status, code(&gone)),
        (StatusCode::NOT_FOUND, "0x8006088a")
    );
    let meta = send(
        &app,
        get(
            &format!("{API}/EntityDefinitions(LogicalName='opportunity')/Attributes"),
            &token,
        ),
    )
    .await;
    assert_eq!(
        (meta.status, code(&meta)),
        (StatusCode::NOT_FOUND, "0x80040217")
    );
    let listed = send(
        &app,
        get(
            &format!("{API}/EntityDefinitions?$filter=LogicalName%20eq%20'opportunity'"),
            &token,
        ),
    )
    .await;
    assert_eq!(listed.body["value"], json!([]));

    let solution_path = format!(
        "{API}/solutions?$filter=uniquename%20eq%20'LinkedInSalesNavigatorControlsForUnifiedClient'&$select=uniquename,version"
    );
    standin.clear_faults();
    let installed = send(&app, get(&solution_path, &token)).await;
    assert_eq!(installed.body["value"].as_array().unwrap().len(), 1);
    assert!(installed.body["value"][0]["version"].is_string());
    standin.update_faults(|f| f.solution_missing = true);
    assert_eq!(
        send(&app, get(&solution_path, &token)).await.body["value"],
        json!([])
    );

    standin.set_faults(Faults {
        version: Some("8.0.1.2".into()),
        sandbox: true,
        ..Faults::default()
    });
    assert_eq!(
        send(&app, get(&format!("{API}/RetrieveVersion"), &token))
            .await
            .body["Version"],
        "8.0.1.2"
    );
    let org = send(&app, get(&org_path, &token)).await;
    assert_eq!(org.body["Detail"]["OrganizationType"], "CustomerTest");
    assert_eq!(org.body["Detail"]["OrganizationVersion"], "8.0.1.2");

    standin.set_faults(Faults {
        on_premises: true,
        ..Faults::default()
    });
    let onprem = send(&app, get(&org_path, &token)).await;
    assert_eq!(onprem.body["Detail"]["TenantId"], "");
    assert_eq!(onprem.body["Detail"]["EnvironmentId"], "");
    assert!(
        onprem.body["Detail"]["OrganizationVersion"]
            .as_str()
            .unwrap()
            .starts_with("9.1.")
    );
    same_shape(&fixture("retrieve_current_organization.json"), &onprem.body).unwrap();

    standin.set_faults(Faults {
        server_error: Some(503),
        ..Faults::default()
    });
    let down = send(&app, get(&format!("{API}/WhoAmI"), &token)).await;
    assert_eq!(
        (down.status, code(&down)),
        (StatusCode::SERVICE_UNAVAILABLE, "0x80040216")
    );
    standin.clear_faults();
    assert_eq!(
        send(&app, get(&format!("{API}/WhoAmI"), &token))
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn control_routes_set_read_and_clear_faults_and_stats() {
    let (standin, app, token) = setup(CrmData::empty());
    let post = |path: &str, body: Value| {
        Request::post(path)
            .header("Content-Type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let set = send(
        &app,
        post(
            "/_standin/faults",
            json!({"sandbox": true, "missing_privileges": ["prvReadLead"]}),
        ),
    )
    .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert!(standin.faults().sandbox);
    let read = send(
        &app,
        Request::get("/_standin/faults")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(read.body["missing_privileges"], json!(["prvReadLead"]));
    let typo = send(&app, post("/_standin/faults", json!({"sandbx": true}))).await;
    assert_eq!(typo.status, StatusCode::BAD_REQUEST);
    let cleared = send(
        &app,
        Request::delete("/_standin/faults")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(cleared.status, StatusCode::NO_CONTENT);
    assert_eq!(standin.faults(), Faults::default());

    send(&app, get(&format!("{API}/WhoAmI"), &token)).await;
    send(&app, get(&format!("{API}/accounts"), &token)).await;
    let stats = send(
        &app,
        Request::get("/_standin/stats").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(stats.body["total"], 2);
    assert_eq!(stats.body["by_resource"]["accounts"], 1);
    assert_eq!(stats.body["by_status"]["200"], 2);
    send(
        &app,
        Request::post("/_standin/reset-stats")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(standin.stats().total, 0);

    let rotated = send(
        &app,
        post("/_standin/credentials", json!({"client_secret": "next"})),
    )
    .await;
    assert_eq!(rotated.status, StatusCode::NO_CONTENT);
    assert_eq!(standin.client_secret(), "next");
}

#[test]
fn demo_data_is_deterministic_and_shaped_as_described() {
    let a = demo_crm(3_000, 11);
    let b = demo_crm(3_000, 11);
    let c = demo_crm(3_000, 12);
    let ids = |d: &CrmData| {
        d.rows(Table::Opportunity)
            .keys()
            .copied()
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&a), ids(&b));
    assert_ne!(ids(&a), ids(&c));
    for table in Table::ALL {
        assert_eq!(a.rows(table), b.rows(table), "{table:?}");
    }

    assert_eq!(a.row_count(Table::Opportunity), 3_000);
    assert_eq!(a.row_count(Table::Account), 1_000);
    let contacts = a.row_count(Table::Contact);
    assert!(
        (1_000..=3_000).contains(&contacts) && contacts > 1_500,
        "{contacts}"
    );
    assert_eq!(a.row_count(Table::Lead), 300);
    assert_eq!(demo_crm(3, 1).row_count(Table::Account), 5);

    let users: Vec<Value> = a
        .rows(Table::SystemUser)
        .keys()
        .map(|id| a.row_json(Table::SystemUser, *id).unwrap())
        .collect();
    assert_eq!(users.len(), 1 + 7 + 15);
    let emails: Vec<&str> = users
        .iter()
        .filter_map(|u| u["internalemailaddress"].as_str())
        .collect();
    for person in ["sam", "alex", "jordan", "robin", "kim", "morgan", "admin"] {
        assert!(
            emails.contains(&format!("{person}@demo.test").as_str()),
            "{person}"
        );
    }
    assert!(emails.contains(&"noor.smit@demo.test"));
    assert_eq!(users.iter().filter(|u| u["isdisabled"] == true).count(), 3);
    assert!(
        users
            .iter()
            .all(|u| u["azureactivedirectoryobjectid"].is_string())
    );
    let integration = a
        .row_json(Table::SystemUser, a.integration_user_id)
        .unwrap();
    assert_eq!(integration["fullname"], "# Navsync Integration");
    assert!(integration["applicationid"].is_string());

    let demo_ids: HashSet<String> = users
        .iter()
        .filter(|u| {
            dataverse_standin::demo::DEMO_PEOPLE
                .iter()
                .any(|(email, _)| u["internalemailaddress"] == *email)
        })
        .map(|u| u["systemuserid"].as_str().unwrap().to_string())
        .collect();
    let opps: Vec<Value> = a
        .rows(Table::Opportunity)
        .keys()
        .map(|id| a.row_json(Table::Opportunity, *id).unwrap())
        .collect();
    let share = |pred: &dyn Fn(&Value) -> bool| {
        opps.iter().filter(|o| pred(o)).count() as f64 / opps.len() as f64
    };
    let open = share(&|o| o["statecode"] == 0);
    let won = share(&|o| o["statecode"] == 1);
    let lost = share(&|o| o["statecode"] == 2);
    assert!((0.66..0.74).contains(&open), "open {open}");
    assert!((0.17..0.23).contains(&won), "won {won}");
    assert!((0.07..0.13).contains(&lost), "lost {lost}");
    assert!(share(&|o| demo_ids.contains(o["_ownerid_value"].as_str().unwrap())) > 0.75);
    for stage in 0..4 {
        assert!(
            opps.iter()
                .any(|o| o["statecode"] == 0 && o["salesstage"] == stage),
            "stage {stage}"
        );
    }
    assert!(
        opps.iter()
            .filter(|o| o["statecode"] == 1)
            .all(|o| o["actualvalue"].is_number() && o["new_wonvalue"].is_number())
    );
    assert!(opps.iter().all(|o| o["estimatedvalue"].is_number()
        && o["_parentaccountid_value"].is_string()
        && o["_parentcontactid_value"].is_string()));
    assert!(
        opps.iter()
            .all(|o| o["stepname"].as_str().is_some_and(|s| s.contains('-')))
    );

    // Contacts' emails use their account's domain.
    let contact = a
        .rows(Table::Contact)
        .keys()
        .next()
        .map(|id| a.row_json(Table::Contact, *id).unwrap())
        .unwrap();
    let account = a
        .row_json(
            Table::Account,
            contact["_parentcustomerid_value"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap(),
        )
        .unwrap();
    let domain = account["websiteurl"]
        .as_str()
        .unwrap()
        .trim_start_matches("https://www.");
    let email = contact["emailaddress1"].as_str().unwrap();
    assert_eq!(
        email,
        format!(
            "{}.{}@{domain}",
            contact["firstname"].as_str().unwrap().to_lowercase(),
            contact["lastname"].as_str().unwrap().to_lowercase()
        )
    );
}

#[test]
fn demo_data_scales_to_a_hundred_thousand_opportunities() {
    let data = demo_crm(100_000, 42);
    assert_eq!(data.row_count(Table::Opportunity), 100_000);
    assert_eq!(data.row_count(Table::Account), 33_333);
}

#[tokio::test]
async fn unreachable_drops_connections_but_control_still_answers() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    let running = spawn(StandInConfig::default(), CrmData::empty())
        .await
        .unwrap();
    let token = running.standin.issue_token();
    let raw = |request: String| {
        let addr = running.addr;
        async move {
            let mut stream = TcpStream::connect(addr).await?;
            stream.write_all(request.as_bytes()).await?;
            let mut buf = Vec::new();
            match tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut buf)).await {
                Ok(Ok(_)) => Ok(String::from_utf8_lossy(&buf).into_owned()),
                Ok(Err(e)) => Err(e),
                Err(_) => Ok(String::from_utf8_lossy(&buf).into_owned()),
            }
        }
    };
    let whoami = format!(
        "GET /api/data/v9.2/WhoAmI HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n",
        running.addr
    );
    let reached: String = raw(whoami.clone()).await.unwrap();
    assert!(reached.starts_with("HTTP/1.1 200"), "{reached}");

    running.standin.update_faults(|f| f.unreachable = true);
    match raw(whoami.clone()).await {
        Ok(text) => assert!(text.is_empty(), "got a response while unreachable: {text}"),
        Err(e) => assert!(
            matches!(
                e.kind(),
                std::io::ErrorKind::ConnectionReset
                    | std::io::ErrorKind::BrokenPipe
                    | std::io::ErrorKind::ConnectionAborted
            ),
            "{e}"
        ),
    }
    let token_call = format!(
        "POST /demo.onmicrosoft.com/oauth2/v2.0/token HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 2\r\nConnection: close\r\n\r\na=",
        running.addr
    );
    assert!(raw(token_call).await.map(|t| t.is_empty()).unwrap_or(true));

    let clear = format!(
        "DELETE /_standin/faults HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        running.addr
    );
    let cleared = raw(clear).await.unwrap();
    assert!(cleared.starts_with("HTTP/1.1 204"), "{cleared}");
    let back = raw(whoami).await.unwrap();
    assert!(back.starts_with("HTTP/1.1 200"), "{back}");
    running.shutdown().await;
}
