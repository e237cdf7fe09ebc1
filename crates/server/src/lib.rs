//! Navsync's server: the JSON API under `/api`, and the built web app for every
//! other path.
//!
//! Start it with [`build_state`] (opens the database, runs migrations, seeds the
//! demo), [`app`] (the router) and [`run`] (serves until a shutdown future
//! resolves). Tests call [`app`] with `tower::ServiceExt::oneshot`, or [`run`] on
//! a listener bound to port 0.
//!
//! ```no_run
//! # async fn start() -> Result<(), Box<dyn std::error::Error>> {
//! let config = navsync_server::Config::for_tests("/tmp/navsync-data", "dist");
//! let state = navsync_server::build_state(config).await?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! navsync_server::run(listener, state, async { let _ = tokio::signal::ctrl_c().await; }).await?;
//! # Ok(()) }
//! ```
//!
//! # Layout
//! - [`config`]: `NAVSYNC_*` environment variables.
//! - [`store`]: the database; the only place with SQL.
//! - [`auth`]: passwords, sessions, throttling, the `CurrentUser`/`RequireAdmin` extractors.
//! - [`routes`]: one `router()` per API resource, and the OpenAPI document.
//! - [`error`]: `AppError` (every error is an `ErrorBody`) and the `ApiJson` extractor.
//! - [`security`]: security headers, CSP hashes, the cross-site request check.
//! - [`static_files`]: the web app from `dist/`, with SPA fallback and cache headers.
//! - [`demo`]: the seeded demo organization.
//! - [`bench_seed`]: extra seat holders for load benchmarks (demo only).
//! - [`crm`]: connecting Dynamics 365 (SPEC C1–C5) and the CRM settings (S1–S3).
//! - [`seats`]: Seat Management (SPEC M1–M4): badge, sync switches, assigning, links.
//! - [`secrets`]: the key and encryption of CRM secrets at rest.
//! - [`sync`]: CRM → Navsync sync (S4, S5): the worker, runs, the rules.
//! - [`writeback`]: Navsync → CRM activity writeback (W1–W4, R1–R3).

pub mod auth;
pub mod bench_seed;
pub mod config;
pub mod crm;
pub mod demo;
pub mod error;
pub mod routes;
pub mod seats;
pub mod secrets;
pub mod security;
pub mod static_files;
pub mod store;
pub mod sync;
pub mod writeback;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnFailure, DefaultOnResponse, TraceLayer};
use tracing::Level;

pub use auth::throttle::{Throttle, ThrottleLimits};
pub use config::{Config, ConfigError};
pub use demo::{DEMO_PASSWORD, demo_sign_ins};
pub use store::{Store, StoreError};

/// How often expired sessions and stale throttle entries are cleaned up.
pub const CLEANUP_INTERVAL: Duration = Duration::from_secs(10 * 60);

/// Everything the handlers share. Cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// The configuration read at start-up.
    pub config: Arc<Config>,
    /// The sign-in throttle (replace it to test with other limits or a manual clock).
    pub throttle: Arc<Throttle>,
    /// The Content-Security-Policy sent with every response.
    pub csp: Arc<str>,
    /// The key CRM secrets are sealed with (never logged).
    pub secret_key: Arc<secrets::SecretKey>,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The database could not be opened, migrated or seeded.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The key for CRM secrets is missing, malformed, or does not open the stored secrets.
    #[error(transparent)]
    SecretKey(#[from] secrets::SecretError),
    /// The demo password could not be hashed.
    #[error("could not seed the demo organization: {0}")]
    Seed(String),
}

/// Opens the database (`<data_dir>/navsync.db`), runs the migrations, loads the
/// key for CRM secrets (and checks that it opens the stored ones), seeds the
/// demo organization when `config.demo`, and computes the CSP from
/// `<dist_dir>/index.html`.
pub async fn build_state(config: Config) -> Result<AppState, StartupError> {
    let store = Store::open(&config.database_path()).await?;
    let secret_key = secrets::SecretKey::load(config.secret_key.as_ref(), &config.data_dir)?;
    // A wrong key is a start-up error, not a surprise at the first sync.
    for (organization, sealed) in store.crm_secrets().await? {
        secret_key.open(&organization, &sealed)?;
    }
    if config.demo {
        demo::seed(&store).await?;
        bench_seed::seed_from_env(&store).await?;
    }
    let hashes = match std::fs::read_to_string(config.index_html()) {
        Ok(html) => security::inline_script_hashes(&html),
        Err(_) => Vec::new(),
    };
    Ok(AppState {
        store,
        csp: security::content_security_policy(&hashes).into(),
        config: Arc::new(config),
        throttle: Arc::new(Throttle::default()),
        secret_key: Arc::new(secret_key),
    })
}

/// The whole application: the API, the web app, and the layers every response
/// passes through (security headers, panic catcher, tracing, body limit, CSRF).
pub fn app(state: AppState) -> Router {
    let csp = state.csp.clone();
    let web_app = static_files::router(&state.config.dist_dir);
    let router = routes::router()
        .fallback_service(web_app)
        .layer(DefaultBodyLimit::max(error::BODY_LIMIT))
        .layer(middleware::from_fn(security::reject_cross_site))
        .with_state(state)
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(
            // Spans carry method and path only: never bodies, cookies or tokens.
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::DEBUG))
                .on_response(DefaultOnResponse::new().level(Level::DEBUG))
                // Internal errors and panics are logged where they happen, with context.
                .on_failure(DefaultOnFailure::new().level(Level::DEBUG)),
        );
    security::with_headers(router, &csp)
}

/// Serves [`app`] on `listener` until `shutdown` resolves, then finishes the
/// requests in flight. Also runs the periodic clean-up of expired sessions,
/// which stops with the server.
pub async fn run(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let syncer = tokio::spawn(sync::worker(state.clone(), stop_rx.clone()));
    let writer = tokio::spawn(writeback::outbox::worker(state.clone(), stop_rx.clone()));
    let cleaner = tokio::spawn(clean_up_periodically(state.clone(), stop_rx));
    let service = app(state).into_make_service_with_connect_info::<SocketAddr>();
    let result = axum::serve(listener, service)
        .with_graceful_shutdown(async move {
            shutdown.await;
            let _ = stop_tx.send(true);
        })
        .await;
    // If serve failed before shutdown, the sender is dropped here, which stops the cleaner too.
    if let Err(err) = syncer.await {
        tracing::error!(error = %err, "sync worker failed");
    }
    if let Err(err) = writer.await {
        tracing::error!(error = %err, "writeback worker failed");
    }
    if let Err(err) = cleaner.await {
        tracing::error!(error = %err, "session clean-up task failed");
    }
    result
}

/// Deletes expired sessions and stale throttle entries now; returns how many
/// sessions were deleted.
pub async fn clean_up(state: &AppState) -> Result<u64, StoreError> {
    state.throttle.prune();
    state.store.delete_expired_sessions(store::now_unix()).await
}

async fn clean_up_periodically(state: AppState, mut stop: tokio::sync::watch::Receiver<bool>) {
    let mut interval = tokio::time::interval(CLEANUP_INTERVAL);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = interval.tick() => match clean_up(&state).await {
                Ok(0) => {}
                Ok(deleted) => tracing::debug!(deleted, "expired sessions deleted"),
                Err(err) => tracing::warn!(error = %err, "could not delete expired sessions"),
            },
            changed = stop.changed() => {
                if changed.is_err() || *stop.borrow() {
                    break;
                }
            }
        }
    }
}
