//! The `navsync-server` binary: reads the configuration, opens the database and
//! serves until Ctrl-C. Everything else lives in the library.

use std::process::ExitCode;

use navsync_server::{Config, build_state, config, run};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();

    let (config, addr) =
        match Config::from_env().and_then(|c| Ok((c, config::listen_addr_from_env()?))) {
            Ok(found) => found,
            Err(err) => {
                eprintln!("navsync-server: {err}");
                return ExitCode::FAILURE;
            }
        };
    let demo = config.demo;
    let state = match build_state(config).await {
        Ok(state) => state,
        Err(err) => {
            eprintln!("navsync-server: could not start: {err}");
            return ExitCode::FAILURE;
        }
    };
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("navsync-server: could not listen on {addr}: {err}");
            return ExitCode::FAILURE;
        }
    };
    let url = listener
        .local_addr()
        .map(|a| format!("http://{a}"))
        .unwrap_or_else(|_| format!("http://{addr}"));
    println!("Navsync is running at {url}");
    if demo {
        println!(
            "Demo sign-ins (password: {}):",
            navsync_server::DEMO_PASSWORD
        );
        for (email, licence) in navsync_server::demo_sign_ins() {
            println!("  {email:<20} {licence}");
        }
    }
    let shutdown = async {
        shutdown_signal().await;
        tracing::info!("shutting down");
    };
    match run(listener, state, shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("navsync-server: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Ctrl-C, or SIGTERM on Unix (how containers and service managers stop us).
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
