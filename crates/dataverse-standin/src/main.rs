//! `dataverse-standin [--port 8081] [--bind 127.0.0.1] [--opportunities 2000] [--seed 42]`
//! (or `STANDIN_PORT`, `STANDIN_BIND`, `STANDIN_OPPORTUNITIES`, `STANDIN_SEED`): serves the
//! demo CRM until Ctrl-C.

use std::process::ExitCode;

use dataverse_standin::{StandIn, StandInConfig, demo_crm, run};

fn setting(args: &[String], flag: &str, env: &str, default: &str) -> String {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1).cloned())
        .or_else(|| std::env::var(env).ok())
        .unwrap_or_else(|| default.to_string())
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!(
            "dataverse-standin [--port 8081] [--bind 127.0.0.1] [--opportunities 2000] [--seed 42] [--exit-with-parent PID]"
        );
        return ExitCode::SUCCESS;
    }
    let port = setting(&args, "--port", "STANDIN_PORT", "8081");
    let bind = setting(&args, "--bind", "STANDIN_BIND", "127.0.0.1");
    let (Ok(opportunities), Ok(seed)) = (
        setting(&args, "--opportunities", "STANDIN_OPPORTUNITIES", "2000").parse::<usize>(),
        setting(&args, "--seed", "STANDIN_SEED", "42").parse::<u64>(),
    ) else {
        eprintln!("--opportunities and --seed take whole numbers");
        return ExitCode::from(2);
    };
    let listener = match tokio::net::TcpListener::bind(format!("{bind}:{port}")).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot bind {bind}:{port}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let config = StandInConfig::default();
    let base = match listener.local_addr() {
        Ok(addr) => format!("http://{addr}"),
        Err(e) => {
            eprintln!("no local address: {e}");
            return ExitCode::FAILURE;
        }
    };
    let standin = StandIn::new(config.clone(), demo_crm(opportunities, seed));
    // The demo secret is printed on purpose: it is a fixed, public test credential.
    println!("Dataverse stand-in at {base}");
    println!("  environment URL : {base}");
    println!("  Web API         : {base}/api/data/v9.2/");
    println!(
        "  token endpoint  : {base}/{}/oauth2/v2.0/token",
        config.tenant
    );
    println!("  tenant          : {}", config.tenant);
    println!("  client id       : {}", config.client_id);
    println!("  client secret   : {}", config.client_secret);
    println!("  opportunities   : {opportunities} (seed {seed})");
    // `--exit-with-parent PID`: `cargo xtask run` starts the stand-in and then
    // becomes the Navsync server; when that process is gone, so is the demo.
    let parent: Option<u32> = setting(&args, "--exit-with-parent", "STANDIN_PARENT_PID", "")
        .parse()
        .ok();
    let shutdown = async move {
        let orphaned = async {
            match parent {
                Some(pid) => loop {
                    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                    if std::os::unix::process::parent_id() != pid {
                        break;
                    }
                },
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            () = orphaned => {}
        }
    };
    match run(listener, standin, shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("server error: {e}");
            ExitCode::FAILURE
        }
    }
}
