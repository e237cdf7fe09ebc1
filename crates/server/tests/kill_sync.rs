//! A real `navsync-server` process killed (SIGKILL) in the middle of a full
//! sync, then started again on the same data directory, ends with exactly
//! the saved accounts and leads that an undisturbed server produces from the
//! same CRM: nothing lost, nothing duplicated.
//!
//! Runs the server binary as a child process (not the in-process router), so
//! what is tested is what survives a crash: the database, the lease that
//! expires, and the next run picking the work up.

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use dataverse_standin::{Running, StandInConfig, demo_crm, spawn};
use navsync_api::paths;
use serde_json::{Value, json};

const SEAT_HOLDERS: [&str; 6] = [
    "sam@demo.test",
    "alex@demo.test",
    "jordan@demo.test",
    "robin@demo.test",
    "kim@demo.test",
    "morgan@demo.test",
];

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
            .env("NAVSYNC_SYNC_INTERVAL_SECS", "1")
            .env("NAVSYNC_SYNC_LEASE_SECS", "3")
            .env("NAVSYNC_SYNC_PAGE_SIZE", "500")
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
        assert!(
            response.status().is_success(),
            "sign-in of {email}: {}",
            response.status()
        );
        response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .expect("a session cookie")
            .to_string()
    }

    async fn get(&self, path: &str, cookie: &str) -> Value {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", cookie)
            .send()
            .await
            .expect("GET");
        assert!(
            response.status().is_success(),
            "GET {path}: {}",
            response.status()
        );
        response.json().await.expect("JSON")
    }

    async fn connect(&self, cookie: &str, crm: &Running) {
        let config = crm.standin.config();
        let response = self
            .http
            .post(format!("{}{}", self.base, paths::CRM_CONNECTION))
            .header("cookie", cookie)
            .json(&json!({
                "environment_url": crm.base_url,
                "tenant": config.tenant,
                "client_id": config.client_id,
                "client_secret": crm.standin.client_secret(),
            }))
            .send()
            .await
            .expect("connect");
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(body["connected"], true, "{body}");
    }

    /// Every seat holder's saved rows, by CRM link, with how often each occurs.
    async fn saved(&self) -> BTreeMap<String, BTreeMap<String, usize>> {
        let mut all = BTreeMap::new();
        for email in SEAT_HOLDERS {
            let cookie = self.sign_in(email).await;
            let mut rows: BTreeMap<String, usize> = BTreeMap::new();
            for (kind, path) in [
                ("account", paths::SAVED_ACCOUNTS),
                ("lead", paths::SAVED_LEADS),
            ] {
                let mut offset = 0;
                loop {
                    let page = self
                        .get(&format!("{path}?offset={offset}&limit=200"), &cookie)
                        .await;
                    let items = page["items"].as_array().cloned().unwrap_or_default();
                    for item in &items {
                        let key = format!(
                            "{kind} {}",
                            item["crm_url"].as_str().unwrap_or("(no crm link)")
                        );
                        *rows.entry(key).or_default() += 1;
                    }
                    offset += items.len() as u64;
                    if items.is_empty() || offset >= page["total"].as_u64().unwrap_or(0) {
                        break;
                    }
                }
            }
            all.insert(email.to_string(), rows);
        }
        all
    }

    async fn wait_for_successful_run(&self, cookie: &str) -> Value {
        let started = Instant::now();
        loop {
            let status = self.get(paths::CRM_SYNC, cookie).await;
            let done = status["running"].is_null()
                && status["runs"]
                    .as_array()
                    .is_some_and(|runs| runs.iter().any(|r| r["error"].is_null()));
            if done {
                return status;
            }
            assert!(
                started.elapsed() < Duration::from_secs(240),
                "no successful sync run: {status}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_sync_completes_the_work_after_restart() {
    let crm = spawn(StandInConfig::default(), demo_crm(10_000, 5))
        .await
        .expect("stand-in");

    // Reference: an undisturbed server syncs the same CRM.
    let clean_dir = tempfile::tempdir().expect("temp dir");
    let reference = {
        let server = Server::start(clean_dir.path(), &crm);
        let api = Api::ready(&server).await;
        let admin = api.sign_in("admin@demo.test").await;
        api.connect(&admin, &crm).await;
        api.wait_for_successful_run(&admin).await;
        api.saved().await
    };
    let total: usize = reference.values().map(|rows| rows.len()).sum();
    assert!(total > 500, "the reference sync saved only {total} rows");

    // Slow the CRM down so the kill lands in the middle of the full run.
    crm.standin.update_faults(|f| f.delay_ms = 40);
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path(), &crm);
    let api = Api::ready(&server).await;
    let admin = api.sign_in("admin@demo.test").await;
    api.connect(&admin, &crm).await;
    let started = Instant::now();
    loop {
        let status = api.get(paths::CRM_SYNC, &admin).await;
        if status["running"]["rows_read"].as_u64().unwrap_or(0) >= 1000 {
            break;
        }
        assert!(
            status["runs"].as_array().is_none_or(|r| r.is_empty()),
            "the run finished before it could be killed: {status}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no run in progress: {status}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server.kill();

    // Restart on the same data directory with a healthy CRM.
    crm.standin.update_faults(|f| f.delay_ms = 0);
    let server = Server::start(dir.path(), &crm);
    let api = Api::ready(&server).await;
    let admin = api.sign_in("admin@demo.test").await;
    api.wait_for_successful_run(&admin).await;
    let after = api.saved().await;

    for (email, rows) in &after {
        let duplicates: Vec<_> = rows.iter().filter(|(_, n)| **n > 1).collect();
        assert!(
            duplicates.is_empty(),
            "{email} has duplicates: {duplicates:?}"
        );
    }
    assert_eq!(
        after, reference,
        "after the crash and restart the saved rows differ from an undisturbed sync"
    );
    drop(server);
}
