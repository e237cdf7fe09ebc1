//! End-to-end harness: the real Navsync server on a loopback port with a fresh
//! SQLite database, the release build of the app from `dist/`, and headless
//! Chromium driven through ChromeDriver (WebDriver) by fantoccini.
//!
//! Nothing here skips: a missing `dist/` or ChromeDriver fails the test with
//! the command that fixes it, so CI can never go green without a browser.
//!
//! # Layout
//! - [`Viewport`]: the two sizes every flow runs at.
//! - [`App`]: a running server (in-process) on `127.0.0.1:0`.
//! - [`Browser`]: a ChromeDriver process plus one WebDriver session, with the
//!   few helpers the flows need (wait for an element, read text, sign in).

use std::net::TcpListener as StdListener;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use tokio::process::{Child, Command};

/// How long a flow waits for something to appear before it fails.
pub const WAIT: Duration = Duration::from_secs(15);

/// Demo password of every demo person (demo mode only).
pub const DEMO_PASSWORD: &str = "navsync-demo";

/// A browser window size.
#[derive(Clone, Copy, Debug)]
pub struct Viewport {
    /// Name used in failure messages.
    pub name: &'static str,
    /// CSS pixels wide.
    pub width: u32,
    /// CSS pixels high.
    pub height: u32,
}

/// Desktop: 1280×800.
pub const DESKTOP: Viewport = Viewport {
    name: "desktop",
    width: 1280,
    height: 800,
};
/// Phone: 390×844.
pub const PHONE: Viewport = Viewport {
    name: "phone",
    width: 390,
    height: 844,
};

/// Every viewport a flow must pass at.
pub const VIEWPORTS: [Viewport; 2] = [DESKTOP, PHONE];

type Error = Box<dyn std::error::Error + Send + Sync>;
/// Result of a harness step.
pub type Result<T> = std::result::Result<T, Error>;

fn dist_dir() -> Result<PathBuf> {
    let dist = std::env::var_os("NAVSYNC_E2E_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist"));
    if !dist.join("index.html").exists() {
        return Err(format!(
            "{} has no index.html: build the app first (`cargo xtask build`, or run everything with `cargo xtask test`)",
            dist.display()
        )
        .into());
    }
    Ok(dist)
}

/// A running Navsync server with the demo organization on a fresh database.
pub struct App {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    /// The Dataverse stand-in the server's connector is pointed at, if any.
    pub crm: Option<dataverse_standin::Running>,
    _data: tempfile::TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl App {
    /// Starts the server in-process on a free loopback port.
    pub async fn start() -> Result<Self> {
        Self::start_inner(None, |_| {}).await
    }

    /// Starts a Dataverse stand-in with a small demo CRM, then the server
    /// with its Entra authority pointed at the stand-in (as `cargo xtask run` does).
    pub async fn start_with_crm() -> Result<Self> {
        Self::start_with_crm_configured(|_| {}).await
    }

    /// [`App::start_with_crm`] with a change to the server's configuration
    /// (e.g. the production sync schedule instead of the tests' none).
    pub async fn start_with_crm_configured(
        configure: impl FnOnce(&mut navsync_server::config::Config),
    ) -> Result<Self> {
        let crm = dataverse_standin::spawn(
            dataverse_standin::StandInConfig::default(),
            dataverse_standin::demo_crm(300, 42),
        )
        .await?;
        Self::start_inner(Some(crm), configure).await
    }

    async fn start_inner(
        crm: Option<dataverse_standin::Running>,
        configure: impl FnOnce(&mut navsync_server::config::Config),
    ) -> Result<Self> {
        let data = tempfile::tempdir()?;
        let mut config = navsync_server::config::Config::for_tests(data.path(), &dist_dir()?);
        config.demo = true;
        if let Some(crm) = &crm {
            config.entra_authority = crm.base_url.clone();
            config.crm_allow_insecure_loopback = true;
        }
        configure(&mut config);
        let state = navsync_server::build_state(config).await?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let shutdown = async {
                let _ = rx.await;
            };
            if let Err(e) = navsync_server::run(listener, state, shutdown).await {
                eprintln!("server stopped with an error: {e}");
            }
        });
        Ok(Self {
            url,
            crm,
            _data: data,
            shutdown: Some(tx),
        })
    }

    /// The absolute URL of an app path.
    pub fn at(&self, path: &str) -> String {
        format!("{}{}", self.url, path)
    }

    /// The stand-in (panics when the app was started without one: a test bug).
    pub fn crm(&self) -> &dataverse_standin::Running {
        self.crm
            .as_ref()
            .expect("start the app with App::start_with_crm()")
    }

    /// Sets the stand-in's faults through its control endpoint, over HTTP,
    /// the way a person demonstrating a failure would (never through
    /// anything the connector sends). `faults` is the whole fault set.
    pub async fn inject_faults(&self, faults: serde_json::Value) -> Result<()> {
        let url = format!("{}/_standin/faults", self.crm().base_url);
        let response = reqwest::Client::new()
            .post(&url)
            .json(&faults)
            .send()
            .await?;
        if !response.status().is_success() {
            return Err(format!(
                "{url} answered {}: {}",
                response.status(),
                response.text().await?
            )
            .into());
        }
        Ok(())
    }

    /// Clears the stand-in's faults through its control endpoint.
    pub async fn clear_faults(&self) -> Result<()> {
        let url = format!("{}/_standin/faults", self.crm().base_url);
        reqwest::Client::new()
            .delete(&url)
            .send()
            .await?
            .error_for_status()?;
        Ok(())
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

fn free_port() -> Result<u16> {
    Ok(StdListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// A ChromeDriver process and one headless Chromium session at a viewport.
pub struct Browser {
    /// The WebDriver session.
    pub client: Client,
    /// The viewport it was opened at.
    pub viewport: Viewport,
    _driver: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts ChromeDriver on a free port and opens headless Chromium.
    pub async fn open(viewport: Viewport) -> Result<Self> {
        let chromedriver =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let port = free_port()?;
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| {
                format!(
                    "cannot start {chromedriver}: {e} (install it with `cargo xtask setup --test`)"
                )
            })?;
        let profile = tempfile::tempdir()?;
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-extensions",
                    format!("--user-data-dir={}", profile.path().display()),
                    format!("--window-size={},{}", viewport.width, viewport.height),
                ],
            }),
        );
        let webdriver = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&webdriver)
                .await
            {
                Ok(client) => break client,
                Err(e) if started.elapsed() < WAIT => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => {
                    return Err(format!("cannot open Chromium via {chromedriver}: {e}").into());
                }
            }
        };
        let browser = Self {
            client,
            viewport,
            _driver: driver,
            _profile: profile,
        };
        browser.fit_viewport().await?;
        Ok(browser)
    }

    /// Makes the page's layout viewport exactly the wanted size (window
    /// chrome differs between Chromium versions, so measure and correct).
    async fn fit_viewport(&self) -> Result<()> {
        for _ in 0..3 {
            let inner = self
                .client
                .execute("return [window.innerWidth, window.innerHeight];", vec![])
                .await?;
            let (w, h) = (
                inner[0].as_u64().unwrap_or(0) as i64,
                inner[1].as_u64().unwrap_or(0) as i64,
            );
            let (want_w, want_h) = (self.viewport.width as i64, self.viewport.height as i64);
            if w == want_w && h == want_h {
                return Ok(());
            }
            let (outer_w, outer_h) = self.client.get_window_size().await?;
            let new_w = (outer_w as i64 + want_w - w).max(want_w) as u32;
            let new_h = (outer_h as i64 + want_h - h).max(want_h) as u32;
            self.client.set_window_size(new_w, new_h).await?;
        }
        let inner = self
            .client
            .execute("return [window.innerWidth, window.innerHeight];", vec![])
            .await?;
        Err(format!(
            "{}: could not size the viewport to {}x{} (got {inner})",
            self.viewport.name, self.viewport.width, self.viewport.height
        )
        .into())
    }

    /// Opens a URL.
    pub async fn goto(&self, url: &str) -> Result<()> {
        self.client.goto(url).await?;
        Ok(())
    }

    /// Waits until an element matching `css` exists and returns it.
    pub async fn wait_for(&self, css: &str) -> Result<Element> {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .map_err(|e| format!("{}: `{css}` did not appear: {e}", self.viewport.name).into())
    }

    /// Waits until the element matching `css` contains `text`.
    pub async fn wait_for_text(&self, css: &str, text: &str) -> Result<Element> {
        let started = Instant::now();
        loop {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                if let Ok(t) = el.text().await {
                    if t.contains(text) {
                        return Ok(el);
                    }
                    if started.elapsed() > WAIT {
                        return Err(format!(
                            "{}: `{css}` says {t:?}, expected it to contain {text:?}",
                            self.viewport.name
                        )
                        .into());
                    }
                }
            } else if started.elapsed() > WAIT {
                return Err(format!("{}: `{css}` never appeared", self.viewport.name).into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the path of the current URL is `path`.
    pub async fn wait_for_path(&self, path: &str) -> Result<()> {
        let started = Instant::now();
        loop {
            let url = self.client.current_url().await?;
            if url.path() == path {
                return Ok(());
            }
            if started.elapsed() > WAIT {
                return Err(format!(
                    "{}: expected to be at {path}, still at {}",
                    self.viewport.name,
                    url.path()
                )
                .into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Texts of every element matching `css` that is displayed.
    pub async fn visible_texts(&self, css: &str) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for el in self.client.find_all(Locator::Css(css)).await? {
            if el.is_displayed().await? {
                out.push(el.text().await?.trim().to_string());
            }
        }
        Ok(out)
    }

    /// Fills the sign-in form and submits it.
    pub async fn sign_in(&self, app: &App, email: &str, password: &str) -> Result<()> {
        self.goto(&app.at("/sign-in")).await?;
        let email_input = self.wait_for("#sign-in-email").await?;
        email_input.send_keys(email).await?;
        self.wait_for("#sign-in-password")
            .await?
            .send_keys(password)
            .await?;
        self.wait_for(".sign-in__form button[type=submit]")
            .await?
            .click()
            .await?;
        Ok(())
    }

    /// Saves a screenshot under `target/e2e-screenshots/` (for people
    /// looking at a failure); errors are ignored.
    pub async fn screenshot(&self, name: &str) {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/e2e-screenshots");
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(dir.join(format!("{name}-{}.png", self.viewport.name)), png);
        }
    }

    /// Ends the WebDriver session (closes Chromium).
    pub async fn close(self) -> Result<()> {
        self.client.close().await?;
        Ok(())
    }
}

/// One axe-core finding of impact "serious" or "critical".
#[derive(Debug)]
pub struct AxeViolation {
    /// Rule id, e.g. `color-contrast`.
    pub id: String,
    /// `serious` or `critical`.
    pub impact: String,
    /// What the rule checks.
    pub help: String,
    /// CSS targets of the failing nodes.
    pub targets: Vec<String>,
}

fn axe_source() -> Result<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "cannot read {}: {e} (install the test tools with `cargo xtask setup --test`)",
            path.display()
        )
        .into()
    })
}

impl Browser {
    /// Runs axe-core (WCAG 2.x A/AA rules) on the current page and returns the
    /// serious and critical violations.
    pub async fn axe(&self) -> Result<Vec<AxeViolation>> {
        let loaded = self
            .client
            .execute("return typeof window.axe !== 'undefined';", vec![])
            .await?;
        if loaded != serde_json::Value::Bool(true) {
            self.client.execute(&axe_source()?, vec![]).await?;
        }
        let result = self
            .client
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                   axe.run(document, {
                     runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
                     resultTypes: ['violations']
                   }).then(r => done(r.violations.map(v => ({
                     id: v.id, impact: v.impact || '', help: v.help,
                     targets: v.nodes.map(n => n.target.join(' '))
                   })))).catch(e => done({ error: String(e) }));"#,
                vec![],
            )
            .await?;
        if let Some(err) = result.get("error") {
            return Err(format!("axe-core failed: {err}").into());
        }
        let list = result.as_array().cloned().unwrap_or_default();
        Ok(list
            .into_iter()
            .filter_map(|v| {
                let text = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
                let impact = text("impact");
                matches!(impact.as_str(), "serious" | "critical").then(|| AxeViolation {
                    id: text("id"),
                    impact,
                    help: text("help"),
                    targets: v
                        .get("targets")
                        .and_then(|t| t.as_array())
                        .map(|t| {
                            t.iter()
                                .filter_map(|x| x.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default(),
                })
            })
            .collect())
    }
}

impl Browser {
    /// Waits until no element matches `css` (e.g. a loading indicator).
    pub async fn wait_for_no(&self, css: &str) -> Result<()> {
        let started = Instant::now();
        loop {
            if self.client.find_all(Locator::Css(css)).await?.is_empty() {
                return Ok(());
            }
            if started.elapsed() > WAIT {
                return Err(format!("{}: `{css}` is still there", self.viewport.name).into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// Direct JSON calls to the app's API, for setting up a flow's preconditions
/// (the flows themselves go through the browser).
pub struct ApiSession {
    http: reqwest::Client,
    base: String,
    cookie: String,
}

impl App {
    /// Signs in through the API (not the browser) and returns the session.
    pub async fn api_session(&self, email: &str) -> Result<ApiSession> {
        let http = reqwest::Client::new();
        let response = http
            .post(self.at("/api/session"))
            .json(&json!({"email": email, "password": DEMO_PASSWORD}))
            .send()
            .await?;
        if !response.status().is_success() {
            return Err(format!("API sign-in of {email}: {}", response.status()).into());
        }
        let cookie = response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .ok_or("no session cookie")?
            .to_string();
        Ok(ApiSession {
            http,
            base: self.url.clone(),
            cookie,
        })
    }

    /// Connects the demo CRM (the stand-in) as `admin@demo.test` through the API.
    pub async fn connect_crm(&self) -> Result<ApiSession> {
        let admin = self.api_session("admin@demo.test").await?;
        let crm = self.crm();
        let config = crm.standin.config();
        let outcome = admin
            .send(
                "POST",
                "/api/admin/crm/connection",
                Some(json!({
                    "environment_url": crm.base_url,
                    "tenant": config.tenant,
                    "client_id": config.client_id,
                    "client_secret": crm.standin.client_secret(),
                })),
            )
            .await?;
        if outcome["connected"] != serde_json::Value::Bool(true) {
            return Err(format!("connecting the stand-in failed: {outcome}").into());
        }
        Ok(admin)
    }
}

impl ApiSession {
    /// Sends a request with an optional JSON body; fails on a non-2xx answer.
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Result<serde_json::Value> {
        let method = reqwest::Method::from_bytes(method.as_bytes())?;
        let mut request = self
            .http
            .request(method.clone(), format!("{}{path}", self.base))
            .header("cookie", &self.cookie);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await?;
        let status = response.status();
        let text = response.text().await?;
        if !status.is_success() {
            return Err(format!("{method} {path}: {status}: {text}").into());
        }
        Ok(if text.is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_str(&text)?
        })
    }

    /// "Sync now", then waits until a run has finished without error.
    pub async fn sync_now(&self) -> Result<()> {
        self.send("POST", "/api/admin/crm/sync", Some(json!({})))
            .await?;
        let started = Instant::now();
        loop {
            let status = self.send("GET", "/api/admin/crm/sync", None).await?;
            let finished = status["running"].is_null()
                && status["runs"]
                    .as_array()
                    .is_some_and(|runs| runs.iter().any(|r| r["error"].is_null()));
            if finished {
                return Ok(());
            }
            if started.elapsed() > Duration::from_secs(60) {
                return Err(format!("no successful sync run: {status}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Browser {
    /// Finds `css` and clicks it, finding it again when the app re-rendered
    /// the element between the two steps (a stale element reference).
    pub async fn click(&self, css: &str) -> Result<()> {
        let started = Instant::now();
        loop {
            let element = self.wait_for(css).await?;
            match element.click().await {
                Ok(()) => return Ok(()),
                Err(e) if started.elapsed() < WAIT && e.to_string().contains("stale element") => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => {
                    return Err(format!("{}: clicking `{css}`: {e}", self.viewport.name).into());
                }
            }
        }
    }

    /// Sends keys to the element matching `css`, re-finding it when stale.
    pub async fn keys(&self, css: &str, keys: &str) -> Result<()> {
        let started = Instant::now();
        loop {
            let element = self.wait_for(css).await?;
            match element.send_keys(keys).await {
                Ok(()) => return Ok(()),
                Err(e) if started.elapsed() < WAIT && e.to_string().contains("stale element") => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => {
                    return Err(format!("{}: typing into `{css}`: {e}", self.viewport.name).into());
                }
            }
        }
    }
}
