//! [`StandIn`]: the state every route shares — the CRM data, the active faults, issued
//! tokens, the current client secret, the limiter and the counters — with the Rust methods
//! in-process tests use instead of the HTTP control surface.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Instant;

use rand::Rng;
use serde_json::Value;
use uuid::Uuid;

use crate::config::StandInConfig;
use crate::control::Faults;
use crate::limiter::Limiter;
use crate::stats::Stats;
use crate::store::schema::Table;
use crate::store::{CrmData, StoreError, Tombstone};

/// A token this stand-in issued.
#[derive(Debug, Clone)]
pub(crate) struct IssuedToken {
    pub user: Uuid,
    pub expires: Instant,
}

struct Inner {
    config: StandInConfig,
    data: RwLock<CrmData>,
    faults: Mutex<Faults>,
    /// Mirrors `faults.unreachable` for the listener's per-read check, which must be cheap.
    unreachable: Arc<AtomicBool>,
    stats: Mutex<Stats>,
    tokens: Mutex<HashMap<String, IssuedToken>>,
    secret: Mutex<String>,
    base_url: Mutex<String>,
    limiter: Limiter,
    /// Bumped by [`StandIn::expire_delta_tokens`]; tokens of an older epoch are expired.
    delta_epoch: AtomicU64,
    writes: Mutex<crate::api::writes::WriteStore>,
}

/// The shared state of one stand-in. Cheap to clone; all clones see the same data.
#[derive(Clone)]
pub struct StandIn {
    inner: Arc<Inner>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding a lock leaves plain data behind; keep serving it.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl StandIn {
    /// A stand-in over `data`.
    pub fn new(config: StandInConfig, data: CrmData) -> StandIn {
        let base_url = config
            .base_url
            .clone()
            .unwrap_or_else(|| "http://127.0.0.1:8081".into());
        StandIn {
            inner: Arc::new(Inner {
                secret: Mutex::new(config.client_secret.clone()),
                config,
                data: RwLock::new(data),
                faults: Mutex::new(Faults::default()),
                unreachable: Arc::new(AtomicBool::new(false)),
                stats: Mutex::new(Stats::default()),
                tokens: Mutex::new(HashMap::new()),
                base_url: Mutex::new(base_url),
                limiter: Limiter::new(),
                delta_epoch: AtomicU64::new(1),
                writes: Mutex::new(Default::default()),
            }),
        }
    }

    /// The configuration it was made with.
    pub fn config(&self) -> &StandInConfig {
        &self.inner.config
    }

    /// The environment URL (`scope` must be this plus `/.default`).
    pub fn base_url(&self) -> String {
        lock(&self.inner.base_url).clone()
    }

    pub(crate) fn set_base_url(&self, url: String) {
        *lock(&self.inner.base_url) = url;
    }

    /// Read access to the CRM data.
    pub fn data(&self) -> RwLockReadGuard<'_, CrmData> {
        self.inner.data.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Write access to the CRM data (for tests that reshape it).
    pub fn data_mut(&self) -> RwLockWriteGuard<'_, CrmData> {
        self.inner.data.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Creates a row; see [`CrmData::create_row`].
    pub fn create_row(&self, table: Table, fields: &Value) -> Result<Uuid, StoreError> {
        self.data_mut().create_row(table, fields)
    }

    /// Updates a row; see [`CrmData::update_row`].
    pub fn update_row(&self, table: Table, id: Uuid, fields: &Value) -> Result<(), StoreError> {
        self.data_mut().update_row(table, id, fields)
    }

    /// Deletes a row, leaving a tombstone; see [`CrmData::delete_row`].
    pub fn delete_row(&self, table: Table, id: Uuid) -> Result<(), StoreError> {
        self.data_mut().delete_row(table, id)
    }

    /// A row as JSON, if it exists.
    pub fn row(&self, table: Table, id: Uuid) -> Option<Value> {
        self.data().row_json(table, id)
    }

    /// Deletions so far.
    pub fn tombstones(&self) -> Vec<Tombstone> {
        self.data().tombstones().to_vec()
    }

    /// The active faults.
    pub fn faults(&self) -> Faults {
        lock(&self.inner.faults).clone()
    }

    /// Replaces the active faults. `expire_tokens` is an action: it invalidates every
    /// token issued so far and is not kept.
    pub fn set_faults(&self, mut faults: Faults) {
        if faults.expire_tokens {
            self.expire_tokens();
            faults.expire_tokens = false;
        }
        self.inner
            .unreachable
            .store(faults.unreachable, Ordering::SeqCst);
        *lock(&self.inner.faults) = faults;
    }

    /// Changes the active faults in place.
    pub fn update_faults(&self, change: impl FnOnce(&mut Faults)) {
        let mut faults = self.faults();
        change(&mut faults);
        self.set_faults(faults);
    }

    /// Clears every fault.
    pub fn clear_faults(&self) {
        self.set_faults(Faults::default());
    }

    pub(crate) fn unreachable_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.inner.unreachable)
    }

    /// Takes one request off a `throttle` fault; returns its `Retry-After` if throttled.
    pub(crate) fn take_throttle(&self) -> Option<u64> {
        let mut faults = lock(&self.inner.faults);
        let throttle = faults.throttle.as_mut()?;
        if throttle.requests == 0 {
            faults.throttle = None;
            return None;
        }
        throttle.requests -= 1;
        let wait = throttle.retry_after_secs;
        if throttle.requests == 0 {
            faults.throttle = None;
        }
        Some(wait)
    }

    /// A snapshot of the request counters.
    pub fn stats(&self) -> Stats {
        lock(&self.inner.stats).clone()
    }

    /// Zeroes the request counters.
    pub fn reset_stats(&self) {
        *lock(&self.inner.stats) = Stats::default();
    }

    pub(crate) fn record_request(&self, resource: &str, status: u16) {
        lock(&self.inner.stats).record(resource, status);
    }

    /// Counts one write operation (alone or inside a `$batch`) to `set`.
    pub(crate) fn record_write(&self, set: &str) {
        *lock(&self.inner.stats)
            .writes
            .entry(set.to_string())
            .or_default() += 1;
    }

    /// The store of written activities and notes; held across a `$batch` change set.
    pub(crate) fn write_store(&self) -> MutexGuard<'_, crate::api::writes::WriteStore> {
        lock(&self.inner.writes)
    }

    /// The rows written to `set` (`tasks`, `li_inmails`, ...), for tests.
    pub fn written(&self, set: crate::api::writes::WriteSet) -> Vec<Value> {
        self.write_store().rows(set)
    }

    pub(crate) fn record_token_request(&self) {
        lock(&self.inner.stats).token_requests += 1;
    }

    /// The client secret the token endpoint currently accepts.
    pub fn client_secret(&self) -> String {
        lock(&self.inner.secret).clone()
    }

    /// Rotates the client secret; tokens already issued stay valid, as in Entra.
    pub fn rotate_secret(&self, secret: impl Into<String>) {
        *lock(&self.inner.secret) = secret.into();
    }

    /// Invalidates every token issued so far.
    pub fn expire_tokens(&self) {
        lock(&self.inner.tokens).clear();
    }

    /// Issues a token for the Integration User without going through the token endpoint.
    pub fn issue_token(&self) -> String {
        let token: String = {
            let mut rng = rand::thread_rng();
            (0..48)
                .map(|_| {
                    char::from(
                        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                            [rng.gen_range(0..64)],
                    )
                })
                .collect()
        };
        let user = self.data().integration_user_id;
        let mut tokens = lock(&self.inner.tokens);
        let now = Instant::now();
        tokens.retain(|_, t| t.expires > now);
        tokens.insert(
            token.clone(),
            IssuedToken {
                user,
                expires: now + self.inner.config.token_lifetime,
            },
        );
        token
    }

    /// The user a token acts as, if it is one of ours and unexpired.
    pub(crate) fn check_token(&self, token: &str) -> Result<Uuid, TokenProblem> {
        let tokens = lock(&self.inner.tokens);
        match tokens.get(token) {
            None => Err(TokenProblem::Unknown),
            Some(t) if t.expires <= Instant::now() => Err(TokenProblem::Expired),
            Some(t) => Ok(t.user),
        }
    }

    pub(crate) fn limiter(&self) -> &Limiter {
        &self.inner.limiter
    }

    /// Expires every change-tracking delta token issued so far: their next use is
    /// answered with Dataverse's `ExpiredVersionStamp` error, as after the
    /// organization's retention period.
    pub fn expire_delta_tokens(&self) {
        self.inner.delta_epoch.fetch_add(1, Ordering::SeqCst);
    }

    /// A delta token for "changes after row version `as_of`": the version, the
    /// expiry epoch and the issue time (unix seconds), like Dataverse's
    /// `<version>!<timestamp>` tokens, opaque to clients.
    pub(crate) fn delta_token(&self, as_of: u64) -> String {
        let epoch = self.inner.delta_epoch.load(Ordering::SeqCst);
        let issued = chrono::Utc::now().timestamp();
        format!("{as_of}!{epoch}!{issued}")
    }

    /// The row version a delta token was issued at, if it is still valid.
    pub(crate) fn check_delta_token(&self, token: &str) -> Result<u64, DeltaTokenProblem> {
        let mut parts = token.split('!');
        let (Some(version), Some(epoch), Some(issued), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(DeltaTokenProblem::Malformed);
        };
        let parse = |s: &str| s.parse::<i64>().map_err(|_| DeltaTokenProblem::Malformed);
        let (version, epoch, issued) = (parse(version)?, parse(epoch)?, parse(issued)?);
        let lifetime =
            i64::try_from(self.inner.config.delta_token_lifetime.as_secs()).unwrap_or(i64::MAX);
        let current = self.inner.delta_epoch.load(Ordering::SeqCst) as i64;
        if epoch != current || issued.saturating_add(lifetime) <= chrono::Utc::now().timestamp() {
            return Err(DeltaTokenProblem::Expired);
        }
        u64::try_from(version).map_err(|_| DeltaTokenProblem::Malformed)
    }
}

/// Why a delta token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DeltaTokenProblem {
    /// Not a token this stand-in made.
    Malformed,
    /// Older than the retention period, or expired by the control surface.
    Expired,
}

/// Why a bearer token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenProblem {
    Unknown,
    Expired,
}
