//! Service protection: a per-user sliding-window request counter and a concurrency gate,
//! answering like Dataverse does when a limit is hit.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use uuid::Uuid;

/// Which limit refused a request, and how long to wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Too many requests in the window (`0x80072322`); wait this many seconds.
    Count(u64),
    /// Too many requests in flight (`0x80072326`); wait this many seconds.
    Concurrency(u64),
}

#[derive(Default)]
struct UserWindow {
    started: VecDeque<Instant>,
    in_flight: usize,
}

/// The limiter shared by all requests.
pub struct Limiter {
    users: Arc<Mutex<HashMap<Uuid, UserWindow>>>,
}

/// Holds one concurrency slot until dropped.
pub struct Slot {
    users: Arc<Mutex<HashMap<Uuid, UserWindow>>>,
    user: Uuid,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut users = self.users.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(w) = users.get_mut(&self.user) {
            w.in_flight = w.in_flight.saturating_sub(1);
        }
    }
}

impl Limiter {
    /// A limiter with no history.
    pub fn new() -> Limiter {
        Limiter {
            users: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// Admits a request of `user` or says which limit it hit. Refused requests are not
    /// counted, so a client that waits `Retry-After` gets through.
    pub fn admit(
        &self,
        user: Uuid,
        limit: usize,
        concurrency: usize,
        window: Duration,
    ) -> Result<Slot, Refusal> {
        let now = Instant::now();
        let mut users = self.users.lock().unwrap_or_else(|e| e.into_inner());
        let w = users.entry(user).or_default();
        while w
            .started
            .front()
            .is_some_and(|t| now.duration_since(*t) >= window)
        {
            w.started.pop_front();
        }
        if w.in_flight >= concurrency {
            return Err(Refusal::Concurrency(1));
        }
        if w.started.len() >= limit {
            let wait = w.started.front().map_or(window, |oldest| {
                window.saturating_sub(now.duration_since(*oldest))
            });
            // Round up: waiting the whole Retry-After must be enough.
            let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            return Err(Refusal::Count(secs.max(1)));
        }
        w.started.push_back(now);
        w.in_flight += 1;
        Ok(Slot {
            users: Arc::clone(&self.users),
            user,
        })
    }
}

impl Default for Limiter {
    fn default() -> Self {
        Limiter::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_within_the_window_and_frees_slots() {
        let l = Limiter::new();
        let u = Uuid::nil();
        let w = Duration::from_secs(300);
        let a = l.admit(u, 2, 1, w).unwrap();
        assert_eq!(l.admit(u, 2, 1, w).err(), Some(Refusal::Concurrency(1)));
        drop(a);
        let _b = l.admit(u, 2, 5, w).unwrap();
        assert!(matches!(l.admit(u, 2, 5, w), Err(Refusal::Count(s)) if s > 290));
        // Another user has its own window.
        assert!(l.admit(Uuid::max(), 2, 5, w).is_ok());
        // A short window forgets.
        let short = Duration::from_millis(20);
        let _c = l.admit(Uuid::from_u128(7), 1, 5, short).unwrap();
        std::thread::sleep(Duration::from_millis(30));
        assert!(l.admit(Uuid::from_u128(7), 1, 5, short).is_ok());
    }
}
