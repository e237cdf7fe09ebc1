//! A local stand-in for Microsoft Dataverse (the Dynamics 365 Web API) and the Entra ID
//! token endpoint, faithful enough that a connector passing against it works against a
//! real environment. Navsync's demo and tests use it in place of Dynamics.
//!
//! What it serves (see `/work/shared/DATAVERSE.md` for the contract):
//! - `POST /{tenant}/oauth2/v2.0/token`: the client-credentials grant, with Entra's
//!   `AADSTS...` errors.
//! - `/api/data/{v8.2|v9.0|v9.1|v9.2}/`: `WhoAmI`, `RetrieveVersion`,
//!   `RetrieveCurrentOrganization`, `RetrieveUserPrivileges`, `EntityDefinitions` (with
//!   `Attributes` and option sets) and read queries on `accounts`, `contacts`, `leads`,
//!   `opportunities`, `systemusers` and `solutions`, with server-driven paging, Dataverse's
//!   error bodies and codes, and service-protection limits (429 + `Retry-After`).
//! - Writes (`api::writes`, `api::batch`): `li_inmails`, `li_messages` (companion
//!   solution), `tasks` and `annotations` with `POST` create, `PATCH` upsert, reads with
//!   `$filter`, `@odata.bind` lookups, state/status pairs, read-only closed activities,
//!   `CallerObjectId` impersonation, `POST contacts`, and `POST $batch` with atomic
//!   change sets. Every write is counted in [`Stats::writes`].
//! - `/_standin/`: fault injection, request counters and secret rotation for tests. A
//!   real Dataverse has nothing there.
//!
//! # Using it from a test
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use dataverse_standin::{Faults, StandInConfig, demo_crm, spawn};
//!
//! let running = spawn(StandInConfig::default(), demo_crm(200, 42)).await?;
//! let token = running.standin.issue_token(); // or POST the token endpoint
//! running.standin.update_faults(|f| f.sandbox = true);
//! // ... point the connector at running.base_url ...
//! running.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! # Layout
//! - [`config`]: [`StandInConfig`] (credentials, token lifetime, limits).
//! - [`store`]: the in-memory CRM ([`CrmData`], [`Cell`]), its schema ([`Table`],
//!   columns, option sets), row versions and tombstones.
//! - [`demo`]: [`demo_crm`], the deterministic demo data generator.
//! - [`query`]: OData query options, the `Prefer` header, paging cookies, and
//!   `query::filter`, the `$filter` parser and evaluator.
//! - [`api`]: the Web API gate (count, auth, faults, limits) and handlers:
//!   `api::functions`, `api::metadata`, `api::collections`, `api::changes` (change
//!   tracking: `Prefer: odata.track-changes`, delta links, deleted entities), `api::error`,
//!   `api::writes` and `api::batch` (writes and `$batch`).
//! - [`token`]: the Entra token endpoint.
//! - [`control`]: [`Faults`] and the `/_standin/` routes.
//! - [`limiter`], [`stats`]: service protection and request counters.
//! - [`listener`]: the TCP listener that makes `unreachable` a real connection failure.
//! - [`shape`]: [`same_shape`], for checking responses against `fixtures/`.
//! - `standin`: [`StandIn`], the shared state and its in-process test methods.

pub mod api;
pub mod config;
pub mod control;
pub mod demo;
pub mod limiter;
pub mod listener;
pub mod query;
pub mod shape;
mod standin;
pub mod stats;
pub mod store;
pub mod token;

use std::future::Future;
use std::io;
use std::net::SocketAddr;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use config::StandInConfig;
pub use control::{Faults, Throttle};
pub use demo::demo_crm;
pub use shape::same_shape;
pub use standin::StandIn;
pub use stats::Stats;
pub use store::schema::Table;
pub use store::{Cell, CrmData, StoreError, Tombstone};

/// All routes: token endpoint, Web API and control surface.
pub fn router(standin: StandIn) -> Router {
    Router::new()
        .merge(api::router(standin.clone()))
        .merge(token::router())
        .merge(control::router())
        .with_state(standin)
}

/// Serves `standin` on `listener` until `shutdown` resolves. Sets the stand-in's base URL
/// from the listener's address unless the config fixed one.
pub async fn run(
    listener: TcpListener,
    standin: StandIn,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    if standin.config().base_url.is_none() {
        let addr = listener.local_addr()?;
        standin.set_base_url(format!("http://{addr}"));
    }
    let listener = listener::FaultyListener::new(listener, standin.unreachable_flag());
    axum::serve(listener, router(standin))
        .with_graceful_shutdown(shutdown)
        .await
}

/// A stand-in serving on a loopback port, for tests.
pub struct Running {
    /// `http://127.0.0.1:<port>`: the environment URL and token host.
    pub base_url: String,
    /// The bound address.
    pub addr: SocketAddr,
    /// The shared state, for in-process fault injection and data changes.
    pub standin: StandIn,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<io::Result<()>>,
}

impl Running {
    /// The token endpoint URL for the configured tenant.
    pub fn token_url(&self) -> String {
        format!(
            "{}/{}/oauth2/v2.0/token",
            self.base_url,
            self.standin.config().tenant
        )
    }

    /// The Web API root, `.../api/data/v9.2`.
    pub fn api_url(&self) -> String {
        format!("{}/api/data/v9.2", self.base_url)
    }

    /// Stops the server and waits for it.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
    }
}

/// Binds `127.0.0.1:0` and serves a new stand-in over `data` in the background.
pub async fn spawn(config: StandInConfig, data: CrmData) -> io::Result<Running> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let standin = StandIn::new(config, data);
    if standin.config().base_url.is_none() {
        standin.set_base_url(format!("http://{addr}"));
    }
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(run(listener, standin.clone(), async {
        let _ = rx.await;
    }));
    Ok(Running {
        base_url: standin.base_url(),
        addr,
        standin,
        shutdown: Some(tx),
        task,
    })
}
