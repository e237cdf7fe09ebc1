//! A real `navsync-server` process killed (SIGKILL) in the middle of an
//! activity writeback flush, then started again on the same data directory:
//! every ticked message reaches the CRM exactly once and ends copied.
//!
//! The kill lands in the worst place: the stand-in has carried out a whole
//! `$batch` of upserts but holds its answer back (`response_delay_ms`), so the
//! dead server never learned that those 1,000 items are in the CRM. After the
//! restart they are sent again; the deterministic ids and `PATCH` upserts must
//! make that a no-op, also for activities that are already closed.

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use dataverse_standin::api::writes::WriteSet;
use dataverse_standin::{Running, StandInConfig, Table, demo_crm, spawn};
use navsync_api::messages::{Direction, ThreadKind};
use navsync_api::paths;
use navsync_server::Store;
use navsync_server::store::NewThread;
use serde_json::{Value, json};

/// Ticked messages: three `$batch` requests of at most 1,000.
const ITEMS: usize = 3_000;

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(data_dir: &Path, crm: &Running) -> Server {
        let port = free_port();
        let child = Command::new(env!("CARGO_BIN_EXE_navsync-server"))
            .env("NAVSYNC_DEMO", "1")
            .env("NAVSYNC_PORT", port.to_string())
            .env("NAVSYNC_DATA_DIR", data_dir)
            .env("NAVSYNC_DIST_DIR", data_dir.join("no-dist"))
            .env("NAVSYNC_ENTRA_AUTHORITY", &crm.base_url)
            .env("NAVSYNC_CRM_INSECURE_LOOPBACK", "1")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start navsync-server");
        Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        }
    }

    fn kill(mut self) {
        // SIGKILL: no shutdown handler runs.
        self.child.kill().expect("kill the server");
        self.child.wait().expect("reap the server");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Api {
    http: reqwest::Client,
    base: String,
}

impl Api {
    async fn ready(server: &Server) -> Api {
        let http = reqwest::Client::new();
        let started = Instant::now();
        loop {
            if let Ok(r) = http
                .get(format!("{}{}", server.base, paths::HEALTH))
                .send()
                .await
                && r.status().is_success()
            {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "server never became healthy"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Api {
            http,
            base: server.base.clone(),
        }
    }

    async fn sign_in(&self, email: &str) -> String {
        let response = self
            .http
            .post(format!("{}{}", self.base, paths::SESSION))
            .json(&json!({"email": email, "password": "navsync-demo"}))
            .send()
            .await
            .expect("sign in");
        assert!(response.status().is_success(), "sign-in of {email}");
        response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .expect("a session cookie")
            .to_string()
    }

    async fn send(&self, method: reqwest::Method, path: &str, cookie: &str, body: Value) -> Value {
        let response = self
            .http
            .request(method.clone(), format!("{}{path}", self.base))
            .header("cookie", cookie)
            .json(&body)
            .send()
            .await
            .expect("request");
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        assert!(status.is_success(), "{method} {path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    async fn get(&self, path: &str, cookie: &str) -> Value {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", cookie)
            .send()
            .await
            .expect("GET");
        assert!(response.status().is_success(), "GET {path}");
        response.json().await.expect("JSON")
    }
}

fn crm_state_counts(thread: &Value) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for m in thread["messages"].as_array().into_iter().flatten() {
        *counts
            .entry(m["crm"]["state"].as_str().unwrap_or("?").to_string())
            .or_default() += 1;
    }
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_flush_delivers_every_item_once_after_restart() {
    let crm = spawn(StandInConfig::default(), demo_crm(20, 7))
        .await
        .expect("stand-in");
    let account = crm
        .standin
        .create_row(Table::Account, &json!({"name": "Brightwave"}))
        .unwrap();
    let contact = crm
        .standin
        .create_row(
            Table::Contact,
            &json!({"firstname": "Nora", "lastname": "Hendriks",
                    "emailaddress1": "nora.hendriks@brightwave.example",
                    "_parentcustomerid_value": account.to_string()}),
        )
        .unwrap();

    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path(), &crm);
    let api = Api::ready(&server).await;
    let admin = api.sign_in("admin@demo.test").await;
    let config = crm.standin.config();
    let connected = api
        .send(
            reqwest::Method::POST,
            paths::CRM_CONNECTION,
            &admin,
            json!({
                "environment_url": crm.base_url,
                "tenant": config.tenant,
                "client_id": config.client_id,
                "client_secret": crm.standin.client_secret(),
            }),
        )
        .await;
    assert_eq!(connected["connected"], true, "{connected}");
    api.send(
        reqwest::Method::POST,
        paths::CRM_USERS_REFRESH,
        &admin,
        json!({}),
    )
    .await;
    api.send(
        reqwest::Method::PUT,
        paths::CRM_WRITEBACK,
        &admin,
        json!({"enabled": true, "all_items": true, "inmails": true, "messages": true,
               "notes": true, "impersonation": false}),
    )
    .await;

    // A long thread for Sam, written next to the running server (SQLite WAL).
    let store = Store::open(&dir.path().join("navsync.db"))
        .await
        .expect("open the server's database");
    let sam = store
        .find_person_by_email("sam@demo.test")
        .await
        .unwrap()
        .expect("demo seat holder");
    let now = chrono::Utc::now().timestamp();
    let thread_id = store
        .insert_thread(
            &sam.organization_id,
            &sam.id,
            &NewThread {
                kind: ThreadKind::Message,
                subject: "A long conversation".into(),
                first_name: "Nora".into(),
                last_name: "Hendriks".into(),
                email: Some("nora.hendriks@brightwave.example".into()),
                profile_url: None,
                company: Some("Brightwave".into()),
                messages: (0..ITEMS)
                    .map(|i| {
                        let i = i64::try_from(i).unwrap();
                        (
                            Direction::Outbound,
                            format!("Message number {i}"),
                            now - 100_000 + i,
                            false,
                        )
                    })
                    .collect(),
            },
            now,
        )
        .await
        .unwrap();
    drop(store);

    // The CRM answers 1.5 s after carrying each request out.
    crm.standin.update_faults(|f| f.response_delay_ms = 1_500);
    let cookie = api.sign_in("sam@demo.test").await;
    api.send(
        reqwest::Method::PUT,
        &paths::THREAD_COPY.replace("{id}", &thread_id),
        &cookie,
        json!({"copy": true}),
    )
    .await;

    // Kill once the second batch is in the CRM but before its answer arrives.
    let started = Instant::now();
    let written = |crm: &Running| {
        crm.standin
            .stats()
            .writes
            .get("li_messages")
            .copied()
            .unwrap_or(0)
    };
    while written(&crm) < 2_000 {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the flush never got to its second batch ({} writes)",
            written(&crm)
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.kill();
    let before_restart = crm_state_counts(&{
        let store = Store::open(&dir.path().join("navsync.db")).await.unwrap();
        let t = store
            .thread(&sam.organization_id, &sam.id, &thread_id)
            .await
            .unwrap()
            .unwrap();
        serde_json::to_value(t).unwrap()
    });
    assert!(
        before_restart.get("waiting").copied().unwrap_or(0) >= 1_000,
        "the kill did not land mid-flush: {before_restart:?}"
    );

    // Restart on the same data directory with a healthy CRM.
    crm.standin.clear_faults();
    let server = Server::start(dir.path(), &crm);
    let api = Api::ready(&server).await;
    let cookie = api.sign_in("sam@demo.test").await;
    let started = Instant::now();
    let thread = loop {
        let thread = api
            .get(&paths::THREAD.replace("{id}", &thread_id), &cookie)
            .await;
        let counts = crm_state_counts(&thread);
        if counts.get("copied").copied() == Some(ITEMS) {
            break thread;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "not every item ended copied after the restart: {counts:?}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    };

    // In the CRM: exactly one closed activity per message, on Nora's contact.
    let rows = crm.standin.written(WriteSet::Message);
    let mut by_id: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_body: BTreeMap<String, usize> = BTreeMap::new();
    for row in &rows {
        *by_id
            .entry(row["activityid"].as_str().unwrap_or("?").to_string())
            .or_default() += 1;
        *by_body
            .entry(row["description"].as_str().unwrap_or("?").to_string())
            .or_default() += 1;
        assert_eq!(row["statecode"], 1, "closed: {row}");
        assert_eq!(
            row["_regardingobjectid_value"],
            contact.to_string(),
            "{row}"
        );
    }
    assert_eq!(rows.len(), ITEMS, "one activity per ticked message");
    assert!(by_id.values().all(|n| *n == 1));
    let twice: Vec<_> = by_body.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "duplicated content: {twice:?}");
    assert_eq!(by_body.len(), ITEMS);
    assert!(crm.standin.written(WriteSet::Task).is_empty());
    // Every message's recorded CRM id is one of those activities.
    for m in thread["messages"].as_array().unwrap() {
        let id = m["crm"]["crm_id"].as_str().unwrap();
        assert_eq!(by_id.get(id), Some(&1), "{m}");
    }
    // The batch whose answer was lost went out again (as upserts), nothing more.
    let writes = written(&crm);
    assert!(
        (ITEMS as u64..=ITEMS as u64 + 1_000).contains(&writes),
        "{writes} write operations for {ITEMS} items"
    );
    drop(server);
}
