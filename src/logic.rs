//! Plain-Rust helpers for the UI (no leptos, no web-sys), tested natively.

pub mod crm;
pub mod forms;
pub mod messages;
pub mod seats;
pub mod sync;
pub mod unresolved;
pub mod writeback;
