//! `cargo xtask fuzz`: property-based API fuzzing with schemathesis against a
//! real server (debug build, demo mode, temporary data, a free port), once as
//! an admin and once as a seat holder, driven by `/api/openapi.json`.
//!
//! Fails on server errors (5xx) and on responses that break the document
//! (undocumented status codes, bodies or content types). Bounded to
//! [`MAX_SECONDS_PER_PASS`] per pass so it fits in CI on 2 cores.

use std::process::Command;
use std::time::Instant;

use crate::serve::Server;
use crate::{cargo, sh, step};

/// The schemathesis version TOOLCHAIN.md records as working.
const SCHEMATHESIS: &str = "schemathesis==4.32.5";

/// Time budget of one pass (`st run --max-time`).
const MAX_SECONDS_PER_PASS: u32 = 60;

/// Examples per operation and phase.
const MAX_EXAMPLES: u32 = 40;

/// The checks that hold for this API. Left out, with reasons:
/// - `positive_data_acceptance`: valid-looking bodies are still refused by
///   design (409 before a CRM is connected, 401 for unknown sign-ins).
/// - `use_after_free`, `ensure_resource_availability`: need stateful links
///   the document does not declare.
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
response_headers_conformance,response_schema_conformance,negative_data_rejection,\
missing_required_header,ignored_auth";

/// Installs schemathesis when `st --version` is missing, builds and starts
/// the server, and runs both passes.
pub fn fuzz() -> Result<(), String> {
    step("schemathesis", ensure_schemathesis)?;
    step("debug build of the server", || {
        sh(cargo().args(["build", "-p", "navsync-server", "--locked"]))
    })?;
    let server = step("start the server", || Server::start("debug", &[]))?;
    // Sign both in first: the fuzzed sign-ins of the first pass trip the
    // (correct) per-address throttle for the second.
    let people = [
        ("admin", "admin@demo.test"),
        ("seat holder", "sam@demo.test"),
    ];
    let mut passes = Vec::new();
    for (who, email) in people {
        passes.push((who, email, server.sign_in(email)?));
    }
    for (who, email, cookie) in passes {
        step(&format!("fuzz the API as {who} ({email})"), || {
            run_pass(&server, &cookie, who)
        })?;
    }
    Ok(())
}

fn ensure_schemathesis() -> Result<(), String> {
    let found = Command::new("st")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Ok(());
    }
    sh(Command::new("python3").args(["-m", "pip", "install", "--quiet", SCHEMATHESIS]))
}

fn run_pass(server: &Server, cookie: &str, who: &str) -> Result<(), String> {
    let started = Instant::now();
    let report = crate::root().join(format!("target/schemathesis-{}.xml", who.replace(' ', "-")));
    // Scheme-aware auth (not a plain header), so schemathesis knows which
    // requests are meant to lack the cookie and expects 401 for them.
    let token = cookie.split_once('=').map(|(_, t)| t).unwrap_or(cookie);
    let config = std::env::temp_dir().join(format!("navsync-st-{}.toml", std::process::id()));
    std::fs::write(
        &config,
        format!("[auth.openapi.session_cookie]\napi_key = \"{token}\"\n"),
    )
    .map_err(|e| format!("could not write {}: {e}", config.display()))?;
    sh(Command::new("st")
        .arg("--config-file")
        .arg(&config)
        .args(["run", &format!("{}/api/openapi.json", server.url())])
        .args(["--checks", CHECKS])
        .args(["--phases", "examples,coverage,fuzzing"])
        .args(["--max-examples", &MAX_EXAMPLES.to_string()])
        .args(["--max-time", &MAX_SECONDS_PER_PASS.to_string()])
        .args(["--workers", "2"])
        .args(["--request-timeout", "10"])
        .args(["--seed", "4"])
        // Signing out would end the session the rest of the pass uses.
        .args(["--exclude-operation-id", "sign_out"])
        .args(["--report", "junit", "--report-junit-path"])
        .arg(&report)
        .env("NO_COLOR", "1"))?;
    println!(
        "xtask: fuzz pass as {who} clean in {:.0}s (JUnit: {})",
        started.elapsed().as_secs_f64(),
        report.display()
    );
    Ok(())
}
