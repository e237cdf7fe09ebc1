//! Request counters: every Web API request (whatever its outcome) and every token
//! request, so benchmarks can report "requests as counted by the stand-in".

use std::collections::BTreeMap;

use serde::Serialize;

/// A snapshot of the counters, as `GET /_standin/stats` returns it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Web API requests under `/api/data/`.
    pub total: u64,
    /// Web API requests by first path segment without its key (`opportunities`, `WhoAmI`,
    /// `EntityDefinitions`, ...).
    pub by_resource: BTreeMap<String, u64>,
    /// Web API requests by response status.
    pub by_status: BTreeMap<u16, u64>,
    /// Requests to the token endpoint.
    pub token_requests: u64,
    /// Write operations per entity set, counting each operation inside a `$batch`.
    pub writes: BTreeMap<String, u64>,
}

impl Stats {
    /// Counts one Web API request.
    pub fn record(&mut self, resource: &str, status: u16) {
        self.total += 1;
        *self.by_resource.entry(resource.to_string()).or_default() += 1;
        *self.by_status.entry(status).or_default() += 1;
    }

    /// Requests that got this status.
    pub fn status(&self, status: u16) -> u64 {
        self.by_status.get(&status).copied().unwrap_or(0)
    }

    /// Requests to this resource.
    pub fn resource(&self, resource: &str) -> u64 {
        self.by_resource.get(resource).copied().unwrap_or(0)
    }
}

/// The resource a Web API path counts under: its first segment, without `(key)` or `()`.
pub fn resource_of(rest: &str) -> String {
    let first = rest.split('/').next().unwrap_or("");
    first.split('(').next().unwrap_or("").to_string()
}
