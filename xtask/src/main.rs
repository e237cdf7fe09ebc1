//! Developer commands for Navsync, run as `cargo xtask <command>`.
//!
//! - `run`   — install what is missing, build the app in release, start the
//!   server with the demo organization on http://127.0.0.1:8080.
//! - `test`  — install what is missing (incl. Chromium), then every test tier:
//!   native unit + API tests, the release build with its size budget, and the
//!   end-to-end browser tests in headless Chromium.
//! - `lint`  — `cargo fmt --check` and clippy (`-D warnings`) native and wasm32.
//! - `setup` — only the installs (`--test` adds the browser tools).
//! - `build` — only the release build of the app into `dist/`.
//!
//! # Layout
//! - `main.rs`: command dispatch and the steps.
//! - `tools.rs`: checks and installs of the toolchain pieces, each skipped when
//!   the wanted version is already there (see ../shared/TOOLCHAIN.md).
//! - `assets.rs`: precompression of `dist/` and the first-load size budget.

mod assets;
mod bench;
mod deny;
mod fuzz;
mod lighthouse;
mod serve;
mod split;
mod tools;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

/// First-load budget (issue 4): html + js + the main wasm + css of the sign-in
/// page, brotli-compressed. `cargo xtask test` fails above it.
const FIRST_LOAD_BUDGET_BYTES: u64 = 250 * 1024;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = args.first().map(String::as_str).unwrap_or("help");
    let flags: Vec<&str> = args.iter().skip(1).map(String::as_str).collect();
    let result = match command {
        "run" => run(),
        "test" => test(&flags),
        "lint" => lint(),
        "fuzz" => fuzz::fuzz(),
        "bench-load" => bench::bench_load(),
        "deny" => deny::deny(),
        "bench-lighthouse" => lighthouse::bench_lighthouse(),
        "setup" => setup(flags.contains(&"--test")),
        "build" => setup(false).and_then(|()| build_app()),
        "help" | "--help" | "-h" => {
            print_help();
            Ok(())
        }
        other => Err(format!("unknown command `{other}`; try `cargo xtask help`")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask: FAILED: {message}");
            ExitCode::FAILURE
        }
    }
}

fn print_help() {
    println!(
        "cargo xtask run          build the app and start the demo server (NAVSYNC_PORT, NAVSYNC_DATA_DIR)\n\
         cargo xtask test         run every test tier (installs what is missing)\n\
         cargo xtask lint         cargo fmt --check + clippy -D warnings (native and wasm32)\n\
         cargo xtask setup [--test]  only install what is missing\n\
         cargo xtask build        only build the app in release into dist/\n\
         cargo xtask fuzz         schemathesis against /api/openapi.json (also part of `test`)\n\
         cargo xtask bench-load   load benchmark (oha, or wrk) into BENCHMARKS.md\n\
         cargo xtask bench-lighthouse  Lighthouse (mobile) on the main pages into BENCHMARKS.md\n\
         cargo xtask deny         cargo deny: licences, bans, sources (offline)"
    );
}

/// The workspace root (the parent of this crate's directory).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// Runs a command in the workspace root, failing with its description.
pub fn sh(cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    println!("xtask: $ {shown}");
    let status = cmd
        .current_dir(root())
        .status()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} exited with {status}"))
    }
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn step<T>(name: &str, f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    println!("\nxtask: ── {name} ──");
    let started = Instant::now();
    let out = f().map_err(|e| format!("{name}: {e}"))?;
    println!(
        "xtask: {name} done in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    Ok(out)
}

fn setup(with_test_tools: bool) -> Result<(), String> {
    step("install what is missing", || {
        tools::ensure_all(with_test_tools)
    })
}

pub(crate) fn build_app() -> Result<(), String> {
    step("release build of the app (trunk)", || {
        sh(trunk().args(["build", "--release"]))?;
        split::split_app(&root().join("dist"))?;
        let report = assets::precompress_and_measure(&root().join("dist"))?;
        print!("{report}");
        Ok(())
    })
}

fn trunk() -> Command {
    let mut cmd = Command::new("trunk");
    // GitHub is unreachable here: never let Trunk try to download a tool.
    cmd.env("TRUNK_SKIP_VERSION_CHECK", "true")
        .env("TRUNK_OFFLINE", "true")
        .env("NO_COLOR", "true");
    cmd
}

fn lint() -> Result<(), String> {
    step("install what is missing", || tools::ensure_all(false))?;
    step("format check", || {
        sh(cargo().args(["fmt", "--all", "--check"]))
    })?;
    step("clippy (native)", || {
        sh(cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    step("clippy (wasm32)", || {
        sh(cargo().args([
            "clippy",
            "-p",
            "navsync",
            "-p",
            "navsync-api",
            "--target",
            "wasm32-unknown-unknown",
            "--locked",
            "--",
            "-D",
            "warnings",
        ]))
    })
}

fn test(flags: &[&str]) -> Result<(), String> {
    let started = Instant::now();
    setup(true)?;
    step("native unit and API tests", || {
        sh(cargo().args([
            "test",
            "--workspace",
            "--exclude",
            "navsync-e2e",
            "--locked",
        ]))
    })?;
    build_app()?;
    step("first-load size budget", || {
        let sizes = assets::first_load(&root().join("dist"))?;
        println!(
            "xtask: first load (brotli): {} bytes of a {} byte budget",
            sizes, FIRST_LOAD_BUDGET_BYTES
        );
        assets::check_budget(sizes, FIRST_LOAD_BUDGET_BYTES)
    })?;
    if !flags.contains(&"--no-browser") {
        step("end-to-end tests in headless Chromium", || {
            sh(cargo()
                .args([
                    "test",
                    "-p",
                    "navsync-e2e",
                    "--locked",
                    "--",
                    "--test-threads=2",
                ])
                .env("NAVSYNC_E2E_DIST", root().join("dist"))
                .env("CHROMEDRIVER", tools::chromedriver_path()))
        })?;
    }
    fuzz::fuzz()?;
    println!(
        "\nxtask: all test tiers passed in {:.0}s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn run() -> Result<(), String> {
    setup(false)?;
    build_app()?;
    step(
        "release build of the server and the Dataverse stand-in",
        || {
            sh(cargo().args([
                "build",
                "--profile",
                "server",
                "-p",
                "navsync-server",
                "-p",
                "dataverse-standin",
                "--locked",
            ]))
        },
    )?;
    let root = root();
    let data_dir = std::env::var("NAVSYNC_DATA_DIR").unwrap_or_else(|_| "./data".into());
    let port: u16 = std::env::var("NAVSYNC_PORT")
        .unwrap_or_else(|_| "8080".into())
        .parse()
        .map_err(|_| "NAVSYNC_PORT must be a port number".to_string())?;
    let standin_port = port.checked_add(1).ok_or_else(|| {
        "NAVSYNC_PORT must leave room for the stand-in on the next port".to_string()
    })?;
    let standin_url = format!("http://127.0.0.1:{standin_port}");

    // The stand-in plays Dynamics 365 and Entra ID for the demo. It exits
    // when its parent (this process, which becomes the server) is gone, and
    // Ctrl-C in the terminal reaches both.
    let standin = Command::new(root.join("target/server/dataverse-standin"))
        .current_dir(&root)
        .args(["--port", &standin_port.to_string()])
        .args(["--exit-with-parent", &std::process::id().to_string()])
        .spawn()
        .map_err(|e| format!("could not start the Dataverse stand-in: {e}"))?;
    wait_for_port(standin_port)?;
    println!(
        "\nNavsync demo: http://127.0.0.1:{port}\n\
         Sign in as admin@demo.test (admin) or sam@demo.test (seat holder),\n\
         password navsync-demo (demo only). Data: {data_dir}.\n\
         To connect the demo CRM (CRM Settings > Connect to CRM):\n\
         \x20 Environment URL {standin_url}\n\
         \x20 Tenant          demo.onmicrosoft.com\n\
         \x20 Client ID       11111111-2222-4333-8444-555555555555\n\
         \x20 Client secret   demo-secret\n\
         Ctrl-C stops both.\n"
    );
    let mut server = Command::new(root.join("target/server/navsync-server"));
    server
        .current_dir(&root)
        .env("NAVSYNC_DEMO", "1")
        .env("NAVSYNC_DIST_DIR", root.join("dist"))
        .env("NAVSYNC_DATA_DIR", &data_dir)
        .env("NAVSYNC_PORT", port.to_string())
        // Demo only: the stand-in is plain http on loopback.
        .env("NAVSYNC_CRM_INSECURE_LOOPBACK", "1")
        .env("NAVSYNC_ENTRA_AUTHORITY", &standin_url);
    // Replace this process with the server so Ctrl-C reaches it directly and
    // it shuts down cleanly.
    use std::os::unix::process::CommandExt;
    let err = server.exec();
    drop(standin);
    Err(format!("could not start the server: {err}"))
}

fn wait_for_port(port: u16) -> Result<(), String> {
    let started = Instant::now();
    while started.elapsed() < std::time::Duration::from_secs(30) {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    Err(format!("nothing listens on port {port} after 30 s"))
}
