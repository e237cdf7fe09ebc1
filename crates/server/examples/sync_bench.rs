//! Sync benchmark (not a timed test): a stand-in with exactly 100,000
//! opportunities (and their accounts and contacts), a full sync, an incremental
//! sync after 100 opportunities changed, and an idle poll. Prints wall time,
//! saved rows written, and CRM requests as counted by the stand-in.
//!
//! `cargo run --release --example sync_bench -p navsync-server [-- <opportunities>]`

use std::time::Instant;

use axum::body::Body;
use axum::http::{Request, header};
use dataverse_standin::{StandInConfig, Table, demo_crm, spawn};
use navsync_server::{Config, build_state, sync};
use serde_json::json;
use tower::ServiceExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let started = Instant::now();
    let crm = spawn(StandInConfig::default(), demo_crm(count, 42)).await?;
    {
        let data = crm.standin.data();
        println!(
            "stand-in: {} opportunities, {} accounts, {} contacts, {} users (generated in {:?})",
            data.row_count(Table::Opportunity),
            data.row_count(Table::Account),
            data.row_count(Table::Contact),
            data.row_count(Table::SystemUser),
            started.elapsed()
        );
    }
    let data = tempfile::TempDir::new()?;
    let mut config = Config::for_tests(data.path(), data.path());
    config.demo = true;
    config.entra_authority = crm.base_url.clone();
    let state = build_state(config).await?;
    let app = navsync_server::app(state.clone());
    let sign_in = app
        .clone()
        .oneshot(
            Request::post("/api/session")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    json!({"email": "admin@demo.test", "password": navsync_server::DEMO_PASSWORD})
                        .to_string(),
                ))?,
        )
        .await?;
    let cookie = sign_in
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .unwrap_or_default()
        .to_owned();
    let cfg = crm.standin.config();
    let connect = app
        .oneshot(
            Request::post("/api/admin/crm/connection")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::COOKIE, &cookie)
                .body(Body::from(
                    json!({
                        "environment_url": crm.base_url,
                        "tenant": cfg.tenant,
                        "client_id": cfg.client_id,
                        "client_secret": crm.standin.client_secret(),
                    })
                    .to_string(),
                ))?,
        )
        .await?;
    assert!(connect.status().is_success(), "connect failed");
    let organization = state
        .store
        .find_person_by_email("admin@demo.test")
        .await?
        .ok_or("no admin")?
        .organization_id;

    let measure = |label: &'static str| {
        let state = state.clone();
        let organization = organization.clone();
        let standin = crm.standin.clone();
        async move {
            standin.reset_stats();
            let t = Instant::now();
            let outcome = sync::run_organization(&state, &organization).await;
            let wall = t.elapsed();
            let stats = standin.stats();
            let runs = state
                .store
                .sync_runs(&organization, 1)
                .await
                .unwrap_or_default();
            let run = runs.first();
            println!(
                "{label:<12} outcome={outcome:?} wall={:.2}s rows_read={} rows_written={} crm_requests(stand-in)={} token_requests={} by_resource={:?} error={:?}",
                wall.as_secs_f64(),
                run.map_or(0, |r| r.rows_read),
                run.map_or(0, |r| r.rows_changed),
                stats.total,
                stats.token_requests,
                stats.by_resource,
                run.and_then(|r| r.error.clone()),
            );
            stats.total
        }
    };
    measure("full").await;
    let ids: Vec<_> = crm
        .standin
        .data()
        .rows(Table::Opportunity)
        .keys()
        .copied()
        .step_by(997)
        .take(100)
        .collect();
    for (i, id) in ids.iter().enumerate() {
        let change = if i % 2 == 0 {
            json!({"statecode": 1, "statuscode": 3})
        } else {
            json!({"salesstage": 3, "statecode": 0})
        };
        crm.standin.update_row(Table::Opportunity, *id, &change)?;
    }
    println!("changed {} opportunities", ids.len());
    measure("incremental").await;
    // Idle polls, as the 30 s schedule makes them: Web API requests per poll
    // against Dataverse's service protection budget of 6,000 per 5 minutes.
    const POLLS: u64 = 10;
    let mut idle = 0;
    for _ in 0..POLLS {
        idle += measure("idle poll").await;
    }
    let per_poll = idle as f64 / POLLS as f64;
    let per_5_min = per_poll * 10.0;
    println!(
        "idle: {idle} Web API requests in {POLLS} polls = {per_poll:.1} per 30 s poll = {per_5_min:.0} per 5 min = {:.2} % of 6,000",
        per_5_min / 6000.0 * 100.0
    );
    crm.shutdown().await;
    Ok(())
}
