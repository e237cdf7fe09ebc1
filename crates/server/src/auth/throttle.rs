//! In-memory sign-in throttle, per normalised email and per client IP.
//!
//! After `max_failures` failed sign-ins (each within `window` of the previous
//! one) a key is locked: further attempts are refused *without* checking the
//! password, for a lockout that doubles with every further failure, capped at
//! `max_lockout`. A successful sign-in clears the email's counter. The clock and
//! limits are injectable so tests need not wait.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// A source of the current time.
pub trait Clock: Send + Sync + 'static {
    /// Now.
    fn now(&self) -> Instant;
}

/// The real monotonic clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
}

/// A clock that only moves when told to (for tests).
#[derive(Debug)]
pub struct ManualClock {
    start: Instant,
    offset: Mutex<Duration>,
}

impl ManualClock {
    /// A clock standing at the current instant.
    pub fn new() -> Self {
        Self {
            start: Instant::now(),
            offset: Mutex::new(Duration::ZERO),
        }
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        *self.offset.lock().unwrap_or_else(PoisonError::into_inner) += by;
    }
}

impl Default for ManualClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        self.start + *self.offset.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The throttle's limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThrottleLimits {
    /// Failures allowed before a key is locked.
    pub max_failures: u32,
    /// A failure is forgotten this long after the last one.
    pub window: Duration,
    /// The first lockout; each further failure doubles it.
    pub base_lockout: Duration,
    /// The longest lockout.
    pub max_lockout: Duration,
}

impl Default for ThrottleLimits {
    /// 5 failures within 15 minutes; lockouts from 30 s up to 15 minutes.
    fn default() -> Self {
        Self {
            max_failures: 5,
            window: Duration::from_secs(15 * 60),
            base_lockout: Duration::from_secs(30),
            max_lockout: Duration::from_secs(15 * 60),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Email(String),
    Ip(IpAddr),
}

#[derive(Clone, Copy, Debug)]
struct Entry {
    failures: u32,
    last_failure: Instant,
}

/// Counts failed sign-ins and refuses attempts while a key is locked.
pub struct Throttle {
    limits: ThrottleLimits,
    clock: Arc<dyn Clock>,
    entries: Mutex<HashMap<Key, Entry>>,
}

impl std::fmt::Debug for Throttle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Throttle")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl Default for Throttle {
    fn default() -> Self {
        Self::new(ThrottleLimits::default(), Arc::new(SystemClock))
    }
}

impl Throttle {
    /// A throttle with these limits and this clock.
    pub fn new(limits: ThrottleLimits, clock: Arc<dyn Clock>) -> Self {
        Self {
            limits,
            clock,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(wait)` when the email or the IP is locked; the password must then not
    /// be checked.
    pub fn check(&self, email: &str, ip: Option<IpAddr>) -> Result<(), Duration> {
        let now = self.clock.now();
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let wait = keys(email, ip)
            .filter_map(|key| entries.get(&key))
            .filter_map(|entry| {
                let lockout = self.lockout(entry.failures);
                let elapsed = now.saturating_duration_since(entry.last_failure);
                (elapsed < lockout).then(|| lockout - elapsed)
            })
            .max();
        match wait {
            Some(wait) => Err(wait),
            None => Ok(()),
        }
    }

    /// Counts a failed sign-in against the email and the IP.
    pub fn record_failure(&self, email: &str, ip: Option<IpAddr>) {
        let now = self.clock.now();
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        for key in keys(email, ip) {
            let entry = entries.entry(key).or_insert(Entry {
                failures: 0,
                last_failure: now,
            });
            if self.is_stale(entry, now) {
                entry.failures = 0;
            }
            entry.failures = entry.failures.saturating_add(1);
            entry.last_failure = now;
        }
    }

    /// Clears the email's counter after a successful sign-in.
    pub fn record_success(&self, email: &str) {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&Key::Email(normalise(email)));
    }

    /// Forgets stale entries so memory does not grow without bound.
    pub fn prune(&self) {
        let now = self.clock.now();
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|_, entry| !self.is_stale(entry, now));
    }

    /// How many keys are being tracked.
    pub fn tracked(&self) -> usize {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    fn lockout(&self, failures: u32) -> Duration {
        if failures < self.limits.max_failures {
            return Duration::ZERO;
        }
        let doublings = (failures - self.limits.max_failures).min(20);
        self.limits
            .base_lockout
            .saturating_mul(1 << doublings)
            .min(self.limits.max_lockout)
    }

    fn is_stale(&self, entry: &Entry, now: Instant) -> bool {
        let keep = self.limits.window.max(self.lockout(entry.failures));
        now.saturating_duration_since(entry.last_failure) >= keep
    }
}

fn normalise(email: &str) -> String {
    navsync_api::validate::normalize_email(email)
}

fn keys(email: &str, ip: Option<IpAddr>) -> impl Iterator<Item = Key> {
    std::iter::once(Key::Email(normalise(email))).chain(ip.map(Key::Ip))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle() -> (Throttle, Arc<ManualClock>) {
        let clock = Arc::new(ManualClock::new());
        (
            Throttle::new(ThrottleLimits::default(), clock.clone()),
            clock,
        )
    }

    fn fail(t: &Throttle, email: &str, ip: Option<IpAddr>, times: u32) {
        for _ in 0..times {
            t.record_failure(email, ip);
        }
    }

    #[test]
    fn five_failures_lock_the_email_in_any_case() {
        let (t, _) = throttle();
        fail(&t, "sam@demo.test", None, 4);
        assert_eq!(t.check("sam@demo.test", None), Ok(()));
        t.record_failure("SAM@demo.test ", None);
        assert_eq!(t.check("sam@demo.test", None), Err(Duration::from_secs(30)));
        assert!(t.check("alex@demo.test", None).is_ok());
    }

    #[test]
    fn lockout_grows_and_is_capped() {
        let (t, clock) = throttle();
        fail(&t, "a@b.cd", None, 5);
        clock.advance(Duration::from_secs(30));
        assert!(t.check("a@b.cd", None).is_ok(), "lock ends after 30 s");
        t.record_failure("a@b.cd", None);
        assert_eq!(t.check("a@b.cd", None), Err(Duration::from_secs(60)));
        fail(&t, "a@b.cd", None, 10);
        assert_eq!(t.check("a@b.cd", None), Err(Duration::from_secs(15 * 60)));
    }

    #[test]
    fn the_ip_is_locked_across_emails() {
        let (t, _) = throttle();
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        for n in 0..5 {
            t.record_failure(&format!("user{n}@demo.test"), Some(ip));
        }
        assert!(t.check("fresh@demo.test", Some(ip)).is_err());
        assert!(t.check("fresh@demo.test", None).is_ok());
    }

    #[test]
    fn success_clears_the_email_and_old_failures_are_forgotten() {
        let (t, clock) = throttle();
        fail(&t, "a@b.cd", None, 4);
        t.record_success("A@b.cd");
        fail(&t, "a@b.cd", None, 4);
        assert!(t.check("a@b.cd", None).is_ok());
        clock.advance(Duration::from_secs(15 * 60));
        t.record_failure("a@b.cd", None);
        assert!(
            t.check("a@b.cd", None).is_ok(),
            "the four old failures expired"
        );
        clock.advance(Duration::from_secs(15 * 60));
        t.prune();
        assert_eq!(t.tracked(), 0);
    }
}
