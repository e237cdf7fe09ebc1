//! Writeback benchmark (not a timed test): 10,000 ticked messages queued in
//! the outbox (half to counterparts who match a CRM contact by email, half to
//! people the CRM does not know), written to a Dataverse stand-in twice in the
//! same run, each time on a fresh server and a fresh stand-in:
//!
//! 1. **batched**: Navsync's writeback flush (`$batch` of up to 1,000 upserts,
//!    contacts read once per flush), under Dataverse's service-protection
//!    limits (6,000 requests per 5 minutes per user);
//! 2. **one-by-one**: the same items, matching and upserts, one `PATCH` per
//!    item. Its stand-in's request limit is lifted, otherwise it would wait
//!    out Dataverse's limit (10,000 requests > 6,000 per 5 minutes).
//!
//! Prints CRM requests as counted by the stand-in, wall time, and duplicates
//! (activities or tasks in the stand-in beyond one per item, by id and by
//! content).
//!
//! With `<latency ms>`, the stand-in answers every request that much later
//! (`delay_ms` fault), a stand-in for the network round trip to Dynamics.
//!
//! `cargo run --release --example writeback_bench -p navsync-server [-- <items> [<latency ms>]]`

use std::collections::HashSet;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, header};
use dataverse_standin::api::writes::WriteSet;
use dataverse_standin::{Running, StandInConfig, Table, demo_crm, spawn};
use navsync_api::messages::{Direction, ThreadKind};
use navsync_api::{OrganizationId, PersonId};
use navsync_server::store::{NewThread, now_unix};
use navsync_server::writeback::matching::{Counterpart, DEFAULT_PROFILE_COLUMN, match_contact};
use navsync_server::writeback::outbox::{flush_organization, plan, read_contacts};
use navsync_server::{AppState, Config, build_state};
use serde_json::json;
use tower::ServiceExt;

type Error = Box<dyn std::error::Error>;

const THREADS: usize = 10;

struct World {
    crm: Running,
    state: AppState,
    organization: OrganizationId,
    _data: tempfile::TempDir,
}

async fn world(items: usize, lift_limit: bool) -> Result<World, Error> {
    let mut config = StandInConfig::default();
    if lift_limit {
        config.request_limit = usize::MAX / 2;
    }
    let crm = spawn(config, demo_crm(300, 42)).await?;
    let data = tempfile::TempDir::new()?;
    let mut server = Config::for_tests(data.path(), data.path());
    server.demo = true;
    server.entra_authority = crm.base_url.clone();
    let state = build_state(server).await?;
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
        .clone()
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
    if !connect.status().is_success() {
        return Err("connect failed".into());
    }
    let refresh = app
        .oneshot(
            Request::post(navsync_api::paths::CRM_USERS_REFRESH)
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::COOKIE, &cookie)
                .body(Body::from("{}"))?,
        )
        .await?;
    if !refresh.status().is_success() {
        return Err("CRM user refresh failed".into());
    }
    let sam = state
        .store
        .find_person_by_email("sam@demo.test")
        .await?
        .ok_or("no demo seat holder")?;
    seed(&state, &crm, &sam.organization_id, &sam.id, items).await?;
    Ok(World {
        crm,
        organization: sam.organization_id,
        state,
        _data: data,
    })
}

/// `THREADS` threads sharing `items` messages: the even ones with a CRM
/// contact's email, the odd ones with people the CRM does not know.
async fn seed(
    state: &AppState,
    crm: &Running,
    organization: &OrganizationId,
    person: &PersonId,
    items: usize,
) -> Result<(), Error> {
    let contacts: Vec<(String, String, String)> = crm
        .standin
        .data()
        .rows(Table::Contact)
        .keys()
        .take(THREADS)
        .filter_map(|id| {
            let row = crm.standin.data().row_json(Table::Contact, *id)?;
            Some((
                row["firstname"].as_str()?.to_string(),
                row["lastname"].as_str()?.to_string(),
                row["emailaddress1"].as_str()?.to_string(),
            ))
        })
        .collect();
    let now = now_unix();
    let per_thread = items.div_ceil(THREADS);
    for t in 0..THREADS {
        let count = per_thread.min(items.saturating_sub(t * per_thread));
        let (first, last, email) = if t % 2 == 0 {
            let (f, l, e) = contacts.get(t).ok_or("too few demo contacts")?.clone();
            (f, l, Some(e))
        } else {
            ("Unknown".to_string(), format!("Person {t}"), None)
        };
        let thread = NewThread {
            kind: if t % 4 < 2 {
                ThreadKind::Message
            } else {
                ThreadKind::Inmail
            },
            subject: format!("Bench thread {t}"),
            first_name: first,
            last_name: last,
            email,
            profile_url: None,
            company: None,
            messages: (0..count)
                .map(|i| {
                    let at = now - 1_000_000 + i64::try_from(i).unwrap_or(0);
                    (
                        Direction::Outbound,
                        format!("Bench message {t}-{i}"),
                        at,
                        false,
                    )
                })
                .collect(),
        };
        let id = state
            .store
            .insert_thread(organization, person, &thread, now)
            .await?;
        state
            .store
            .set_thread_copy(organization, person, &id, true, now)
            .await?;
    }
    Ok(())
}

/// Rows in the stand-in beyond one per item: by id and by content.
fn duplicates(crm: &Running) -> (usize, usize, usize) {
    let mut rows = 0;
    let mut ids = HashSet::new();
    let mut bodies = HashSet::new();
    for set in [WriteSet::InMail, WriteSet::Message, WriteSet::Task] {
        for row in crm.standin.written(set) {
            rows += 1;
            ids.insert(row["activityid"].as_str().unwrap_or_default().to_string());
            let body = row["description"].as_str().unwrap_or_default();
            // A task carries the message text first, then why it is unresolved.
            bodies.insert(body.split("\n\n").next().unwrap_or(body).to_string());
        }
    }
    (rows, rows - ids.len(), rows - bodies.len())
}

fn report(label: &str, world: &World, wall: Duration, left: u64) {
    let stats = world.crm.standin.stats();
    let (rows, dup_ids, dup_bodies) = duplicates(&world.crm);
    println!(
        "{label:<11} wall={:.2}s crm_requests(stand-in)={} token_requests={} by_resource={:?} by_status={:?} write_ops={:?} rows_in_crm={rows} duplicates_by_id={dup_ids} duplicates_by_content={dup_bodies} left_in_outbox={left}",
        wall.as_secs_f64(),
        stats.total,
        stats.token_requests,
        stats.by_resource,
        stats.by_status,
        stats.writes,
    );
}

async fn batched(items: usize, latency_ms: u64) -> Result<(), Error> {
    let w = world(items, false).await?;
    w.crm.standin.update_faults(|f| f.delay_ms = latency_ms);
    let queued = w.state.store.outbox_len(&w.organization).await?;
    println!("batched: {queued} items queued");
    w.crm.standin.reset_stats();
    let t = Instant::now();
    let flushed = flush_organization(&w.state, &w.organization).await;
    let wall = t.elapsed();
    println!("batched: {flushed:?}");
    let left = w.state.store.outbox_len(&w.organization).await?;
    report("batched", &w, wall, left);
    w.crm.shutdown().await;
    Ok(())
}

async fn one_by_one(items: usize, latency_ms: u64) -> Result<(), Error> {
    let w = world(items, true).await?;
    w.crm.standin.update_faults(|f| f.delay_ms = latency_ms);
    let queued = w.state.store.outbox_len(&w.organization).await?;
    println!("one-by-one: {queued} items queued");
    w.crm.standin.reset_stats();
    let t = Instant::now();
    let client = navsync_server::crm::client_for(&w.state, &w.organization)
        .await
        .map_err(|e| format!("{e:?}"))?
        .ok_or("not connected")?;
    let candidates = read_contacts(&client, Some(DEFAULT_PROFILE_COLUMN)).await?;
    loop {
        let due = w
            .state
            .store
            .due_outbox(&w.organization, now_unix(), 1_000)
            .await?;
        if due.is_empty() {
            break;
        }
        let mut done = Vec::new();
        for item in &due {
            let owner = w
                .state
                .store
                .crm_user_by_email(&w.organization, &item.person_email)
                .await?;
            let who = Counterpart {
                first_name: item.first_name.clone(),
                last_name: item.last_name.clone(),
                email: item.email.clone(),
                profile_url: item.profile_url.clone(),
                company: item.company.clone(),
            };
            let matched = match_contact(&who, &candidates).map(|m| m.contact_id);
            let p = plan(
                &w.organization,
                item,
                matched,
                owner.as_ref().map(|o| o.0.as_str()),
                None,
            );
            let set = p.op.path.split('(').next().unwrap_or_default().to_string();
            let body = p.op.body.clone().unwrap_or_default();
            client.upsert_activity(&set, &p.crm_id, &body, None).await?;
            done.push((item.item_id.clone(), p.state, Some(p.crm_id), p.reason));
        }
        w.state.store.finish_outbox_items(&done).await?;
    }
    let wall = t.elapsed();
    let left = w.state.store.outbox_len(&w.organization).await?;
    report("one-by-one", &w, wall, left);
    w.crm.shutdown().await;
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let items: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let latency_ms: u64 = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(0);
    println!("{items} items, stand-in latency {latency_ms} ms per request");
    batched(items, latency_ms).await?;
    one_by_one(items, latency_ms).await?;
    Ok(())
}
