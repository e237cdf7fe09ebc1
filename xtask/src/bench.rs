//! `cargo xtask bench-load`: HTTP load figures on loopback against the release
//! server (`--profile server`) with the demo organization plus 10,000 seat
//! holders (`NAVSYNC_BENCH_SEED`). Uses `oha` when installed, else `wrk`.
//!
//! Measures `/api/health` (the baseline), sign-in (Argon2, on its own), a page
//! of 50 seats out of 10,000, and the issue-7 routes when the document has
//! them; prints a Markdown table and writes it to `BENCHMARKS.md` under
//! "Load (oha)" with the command, date and machine.

use std::process::Command;

use crate::serve::Server;
use crate::{cargo, root, sh, step};

/// Seat holders seeded for the seat-list figure.
const SEATS: u32 = 10_000;
/// Seconds per measured route.
const SECONDS: u32 = 10;
/// Concurrent connections for the cheap routes.
const CONNECTIONS: u32 = 16;
/// Concurrent connections for sign-in (Argon2 is CPU-bound on 2 cores).
const SIGN_IN_CONNECTIONS: u32 = 2;
/// The goal for list routes: share of health's throughput, and p99.
const GOAL_SHARE: f64 = 0.5;
const GOAL_P99_MS: f64 = 10.0;

/// One measured route.
struct Figure {
    name: String,
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
}

/// The load generator found on this machine.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tool {
    Oha,
    Wrk,
}

/// A request to measure.
struct Target<'a> {
    name: &'a str,
    method: &'a str,
    path: String,
    body: Option<&'a str>,
    cookie: Option<&'a str>,
    connections: u32,
}

/// Builds the release server, seeds, measures, prints and records.
pub fn bench_load() -> Result<(), String> {
    let tool = if works("oha") {
        Tool::Oha
    } else if works("wrk") {
        Tool::Wrk
    } else {
        return Err("neither oha (`cargo install --locked oha`) nor wrk (`apt-get install -y wrk`) is installed".into());
    };
    step("release build of the server", || {
        sh(cargo().args([
            "build",
            "--profile",
            "server",
            "-p",
            "navsync-server",
            "--locked",
        ]))
    })?;
    let seats = SEATS.to_string();
    let server = step("start the server with 10,000 seats", || {
        Server::start("server", &[("NAVSYNC_BENCH_SEED", &seats)])
    })?;
    let admin = server.sign_in("admin@demo.test")?;
    let sign_in_body = r#"{"email":"sam@demo.test","password":"navsync-demo"}"#;
    let mut targets = vec![
        Target {
            name: "GET /api/health",
            method: "GET",
            path: "/api/health".into(),
            body: None,
            cookie: None,
            connections: CONNECTIONS,
        },
        Target {
            name: "GET /api/admin/seats?limit=50&offset=5000 (of 10,000)",
            method: "GET",
            path: "/api/admin/seats?limit=50&offset=5000".into(),
            body: None,
            cookie: Some(&admin),
            connections: CONNECTIONS,
        },
        Target {
            name: "POST /api/session (sign-in, Argon2)",
            method: "POST",
            path: "/api/session".into(),
            body: Some(sign_in_body),
            cookie: None,
            connections: SIGN_IN_CONNECTIONS,
        },
    ];
    let notes: Vec<&str> = Vec::new();
    let team_member = server.sign_in("morgan@demo.test")?;
    let threads = server.request("GET", "/api/threads?limit=1", None, Some(&team_member))?;
    let thread = first_id(&threads)
        .ok_or_else(|| format!("the demo seat holder has no thread to measure: {threads}"))?;
    targets.push(Target {
        name: "GET /api/threads (inbox, first page of 50)",
        method: "GET",
        path: "/api/threads".into(),
        body: None,
        cookie: Some(&team_member),
        connections: CONNECTIONS,
    });
    targets.push(Target {
        name: "PUT /api/threads/{id}/copy (Copy thread toggle)",
        method: "PUT",
        path: format!("/api/threads/{thread}/copy"),
        body: Some(r#"{"copy":true}"#),
        cookie: Some(&team_member),
        connections: CONNECTIONS,
    });
    let mut figures = Vec::new();
    for target in &targets {
        let figure = step(&format!("load: {}", target.name), || {
            measure(tool, &server, target)
        })?;
        figures.push(figure);
    }
    let table = render(tool, &figures, &notes)?;
    println!("\n{table}");
    write_section(&table)?;
    println!("xtask: written to BENCHMARKS.md (section \"Load (oha)\")");
    Ok(())
}

fn works(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success() || !o.stdout.is_empty() || !o.stderr.is_empty())
}

fn measure(tool: Tool, server: &Server, target: &Target<'_>) -> Result<Figure, String> {
    let url = format!("{}{}", server.url(), target.path);
    let output = match tool {
        Tool::Oha => {
            let mut cmd = Command::new("oha");
            cmd.args([
                "-z",
                &format!("{SECONDS}s"),
                "-c",
                &target.connections.to_string(),
            ])
            .args(["--no-tui", "--output-format", "json", "-m", target.method]);
            if let Some(body) = target.body {
                cmd.args(["-d", body, "-T", "application/json"]);
            }
            if let Some(cookie) = target.cookie {
                cmd.args(["-H", &format!("Cookie: {cookie}")]);
            }
            cmd.arg(&url).output()
        }
        Tool::Wrk => {
            let script =
                std::env::temp_dir().join(format!("navsync-wrk-{}.lua", std::process::id()));
            let mut lua = format!("wrk.method = \"{}\"\n", target.method);
            if let Some(body) = target.body {
                lua.push_str(&format!(
                    "wrk.body = '{body}'\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
                ));
            }
            if let Some(cookie) = target.cookie {
                lua.push_str(&format!("wrk.headers[\"Cookie\"] = \"{cookie}\"\n"));
            }
            std::fs::write(&script, lua).map_err(|e| e.to_string())?;
            Command::new("wrk")
                .args(["-t", "2", "-c", &target.connections.to_string()])
                .args(["-d", &format!("{SECONDS}s"), "--latency", "-s"])
                .arg(&script)
                .arg(&url)
                .output()
        }
    }
    .map_err(|e| format!("could not run the load tool: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.status.success() {
        return Err(format!(
            "load tool failed: {text}{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let (rps, p50_ms, p99_ms) = match tool {
        Tool::Oha => parse_oha(&text),
        Tool::Wrk => parse_wrk(&text),
    }
    .ok_or_else(|| format!("could not read the load tool's output:\n{text}"))?;
    // Errors would make the figures meaningless (e.g. a 401 storm).
    if tool == Tool::Wrk && text.contains("Non-2xx or 3xx responses") {
        return Err(format!("{}: non-2xx responses:\n{text}", target.name));
    }
    if tool == Tool::Oha && !oha_all_ok(&text) {
        return Err(format!("{}: non-2xx responses:\n{text}", target.name));
    }
    println!(
        "xtask: {:.0} req/s, p50 {p50_ms:.2} ms, p99 {p99_ms:.2} ms",
        rps
    );
    Ok(Figure {
        name: target.name.to_owned(),
        rps,
        p50_ms,
        p99_ms,
    })
}

/// The first `"id":"…"` value in a JSON document (the first item of a page).
fn first_id(json: &str) -> Option<&str> {
    let start = json.find("\"id\":\"")? + 6;
    let len = json[start..].find('"')?;
    Some(&json[start..start + len])
}

/// The number after `"key":` in `json`, searching from `from`.
fn json_number(json: &str, from: usize, key: &str) -> Option<f64> {
    let at = json[from..].find(&format!("\"{key}\""))? + from;
    let rest = json[at + key.len() + 2..]
        .trim_start()
        .strip_prefix(':')?
        .trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+')))
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

fn parse_oha(json: &str) -> Option<(f64, f64, f64)> {
    let rps = json_number(json, 0, "requestsPerSec")?;
    let percentiles = json.find("\"latencyPercentiles\"")?;
    let p50 = json_number(json, percentiles, "p50")? * 1000.0;
    let p99 = json_number(json, percentiles, "p99")? * 1000.0;
    Some((rps, p50, p99))
}

fn oha_all_ok(json: &str) -> bool {
    let Some(at) = json.find("\"statusCodeDistribution\"") else {
        return false;
    };
    let section = &json[at..];
    let section = &section[..section.find('}').unwrap_or(section.len())];
    section.matches('"').count() >= 4
        && !section
            .split('"')
            .skip(3)
            .step_by(2)
            .any(|code| code.parse::<u16>().is_ok_and(|c| !(200..300).contains(&c)))
}

/// `1.23ms` / `850.00us` / `1.02s` in milliseconds.
fn wrk_duration_ms(text: &str) -> Option<f64> {
    let text = text.trim();
    let (number, factor) = if let Some(n) = text.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = text.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1000.0)
    } else {
        return None;
    };
    number.parse::<f64>().ok().map(|n| n * factor)
}

fn parse_wrk(text: &str) -> Option<(f64, f64, f64)> {
    let mut rps = None;
    let (mut p50, mut p99) = (None, None);
    for line in text.lines().map(str::trim) {
        if let Some(value) = line.strip_prefix("Requests/sec:") {
            rps = value.trim().parse().ok();
        } else if let Some(value) = line.strip_prefix("50%") {
            p50 = wrk_duration_ms(value);
        } else if let Some(value) = line.strip_prefix("99%") {
            p99 = wrk_duration_ms(value);
        }
    }
    Some((rps?, p50?, p99?))
}

pub(crate) fn shell_line(cmd: &str, args: &[&str]) -> String {
    Command::new(cmd)
        .args(args)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

fn render(tool: Tool, figures: &[Figure], notes: &[&str]) -> Result<String, String> {
    let health = figures
        .first()
        .map(|f| f.rps)
        .filter(|r| *r > 0.0)
        .ok_or("no health figure")?;
    let date = shell_line("date", &["-u", "+%Y-%m-%dT%H:%M:%SZ"]);
    let cores = shell_line("nproc", &[]);
    let model = shell_line("lscpu", &[])
        .lines()
        .find_map(|l| l.strip_prefix("Model name:").map(|m| m.trim().to_owned()))
        .unwrap_or_else(|| "unknown CPU".into());
    let tool_line = match tool {
        Tool::Oha => format!(
            "oha, {SECONDS} s per route, {CONNECTIONS} connections ({SIGN_IN_CONNECTIONS} for sign-in)"
        ),
        Tool::Wrk => format!(
            "wrk (oha was not installed), 2 threads, {SECONDS} s per route, {CONNECTIONS} connections ({SIGN_IN_CONNECTIONS} for sign-in)"
        ),
    };
    let mut out = String::new();
    out.push_str(&format!(
        "Command: `cargo xtask bench-load` — {tool_line}; release server (`--profile server`), \
         demo organization + {SEATS} seat holders, loopback, load generator on the same machine.\n\n\
         Date: {date}. Machine: {cores} cores, {model}.\n\n\
         | route | requests/s | p50 | p99 | vs health |\n|---|---:|---:|---:|---:|\n"
    ));
    for f in figures {
        out.push_str(&format!(
            "| {} | {:.0} | {:.2} ms | {:.2} ms | {:.0} % |\n",
            f.name,
            f.rps,
            f.p50_ms,
            f.p99_ms,
            100.0 * f.rps / health
        ));
    }
    out.push('\n');
    let lists = figures
        .iter()
        .filter(|f| f.name.starts_with("GET ") && !f.name.contains("/api/health"));
    for f in lists {
        let share = f.rps / health;
        out.push_str(&format!(
            "Goal for the list route {} (≥ {:.0} % of health, p99 ≤ {GOAL_P99_MS:.0} ms): {} — {:.0} %, p99 {:.2} ms.\n",
            f.name,
            GOAL_SHARE * 100.0,
            if share >= GOAL_SHARE && f.p99_ms <= GOAL_P99_MS { "met" } else { "NOT met" },
            share * 100.0,
            f.p99_ms
        ));
    }
    for note in notes {
        out.push_str(&format!("\nNote: {note}.\n"));
    }
    Ok(out)
}

/// Replaces (or appends) the "## Load (oha)" section of `BENCHMARKS.md`.
fn write_section(table: &str) -> Result<(), String> {
    write_benchmarks_section("## Load (oha)", table)
}

/// Replaces (or appends) the section under `HEADING` of `BENCHMARKS.md`,
/// keeping every other section.
pub(crate) fn write_benchmarks_section(heading: &str, table: &str) -> Result<(), String> {
    let path = root().join("BENCHMARKS.md");
    let existing = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        "# Benchmarks\n\nMeasured figures, each with its command, date and machine.\n".into()
    });
    let section = format!("{heading}\n\n{table}");
    let updated = match existing.find(heading) {
        Some(start) => {
            let after = start + heading.len();
            let end = existing[after..]
                .find("\n## ")
                .map(|i| after + i + 1)
                .unwrap_or(existing.len());
            format!(
                "{}{section}{}",
                &existing[..start],
                if end < existing.len() {
                    format!("\n{}", &existing[end..])
                } else {
                    String::new()
                }
            )
        }
        None => format!(
            "{}\n{section}",
            existing.trim_end_matches('\n').to_owned() + "\n"
        ),
    };
    std::fs::write(&path, updated).map_err(|e| format!("could not write BENCHMARKS.md: {e}"))
}

#[cfg(test)]
mod tests {
    use super::first_id;

    #[test]
    fn first_id_is_the_first_items_id() {
        let page = r#"{"items":[{"id":"t-1","subject":"Hi"},{"id":"t-2"}],"total":2}"#;
        assert_eq!(first_id(page), Some("t-1"));
        assert_eq!(first_id(r#"{"items":[],"total":0}"#), None);
    }
}
