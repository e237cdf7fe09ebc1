//! Plain-Rust helpers for the UI (no leptos, no web-sys), tested natively.

pub mod forms;
