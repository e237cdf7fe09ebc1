//! API tests through the router (`tower::ServiceExt::oneshot`) on a fresh
//! SQLite database per test.
//!
//! One test binary with modules (rather than one binary per file) keeps the
//! link step, the slow part of building tests, to one.

mod support;

mod audit_log;
mod auth;
mod crm;
mod csrf;
mod errors;
mod isolation;
mod messages;
mod operations;
mod roles;
mod seat_management;
mod seats;
mod security;
mod server;
mod setup;
mod sync;
mod web_app;
mod writeback;
