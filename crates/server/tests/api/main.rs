//! API tests through the router (`tower::ServiceExt::oneshot`) on a fresh
//! SQLite database per test.
//!
//! One test binary with modules (rather than one binary per file) keeps the
//! link step, the slow part of building tests, to one.

mod support;

mod auth;
mod crm;
mod errors;
mod isolation;
mod seats;
mod security;
mod server;
mod setup;
mod web_app;
