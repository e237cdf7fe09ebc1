//! Navsync's web app: Leptos 0.8, client-side rendered, built by Trunk.
//!
//! # Layout
//! - [`app`]: the root component (providers, router, shell).
//! - [`routes`]: the one route table: paths, access rules, navigation (pure).
//! - [`i18n`]: the one string catalogue, English and Dutch (pure).
//! - [`api`]: the typed client on gloo-net and [`api::ApiError`].
//! - [`state`]: app-wide context (`provide_x`/`use_x`): locale and session.
//! - [`pages`]: one component per route.
//! - [`components`]: shared components (shell, forms, error and loading views).
//! - [`logic`]: plain-Rust helpers for the UI, tested natively.

pub mod api;
pub mod app;
pub mod components;
pub mod i18n;
pub mod logic;
pub mod pages;
pub mod routes;
pub mod state;

pub use app::App;
