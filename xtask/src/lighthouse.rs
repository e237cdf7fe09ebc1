//! `cargo xtask bench-lighthouse`: Lighthouse (npm, its default mobile
//! settings: Moto G power emulation, simulated slow 4G, 4× CPU slowdown) in
//! headless Chromium on the sign-in page and the main pages of each role,
//! against the release server with the demo organization on loopback.
//! A benchmark, not a gate: it prints the scores and writes them to
//! `BENCHMARKS.md` under "Lighthouse" with the command, date and machine.

use std::process::Command;

use crate::serve::Server;
use crate::{build_app, cargo, root, sh, step, tools};

/// The goals of issue 4 (performance, accessibility, best practices).
const GOALS: (f64, f64, f64) = (95.0, 100.0, 95.0);

/// A page to audit and who looks at it.
struct Page {
    path: &'static str,
    who: Option<&'static str>,
}

const PAGES: [Page; 7] = [
    Page {
        path: "/sign-in",
        who: None,
    },
    Page {
        path: "/",
        who: Some("sam@demo.test"),
    },
    Page {
        path: "/messages",
        who: Some("sam@demo.test"),
    },
    Page {
        path: "/saved-leads",
        who: Some("sam@demo.test"),
    },
    Page {
        path: "/saved-accounts",
        who: Some("sam@demo.test"),
    },
    Page {
        path: "/admin/seats",
        who: Some("admin@demo.test"),
    },
    Page {
        path: "/admin/crm-settings",
        who: Some("admin@demo.test"),
    },
];

/// One audited page.
struct Score {
    page: String,
    performance: f64,
    accessibility: f64,
    best_practices: f64,
    fcp: String,
    lcp: String,
    tbt: String,
    cls: String,
}

/// Builds the app and the server, audits every page, records the table.
pub fn bench_lighthouse() -> Result<(), String> {
    tools::ensure_all(true)?;
    tools::ensure_npm_dir("bench/lighthouse", "Lighthouse")?;
    build_app()?;
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
    let server = step("start the demo server", || {
        Server::start("server", &[("NAVSYNC_SYNC_INTERVAL_SECS", "0")])
    })?;
    let mut scores = Vec::new();
    for page in &PAGES {
        let cookie = page.who.map(|who| server.sign_in(who)).transpose()?;
        let label = match page.who {
            Some(who) => format!("{} ({who})", page.path),
            None => format!("{} (signed out)", page.path),
        };
        let score = step(&format!("lighthouse {label}"), || {
            audit(
                &format!("{}{}", server.url(), page.path),
                cookie.as_deref(),
                &label,
            )
        })?;
        println!(
            "xtask: performance {:.0}, accessibility {:.0}, best practices {:.0}",
            score.performance, score.accessibility, score.best_practices
        );
        scores.push(score);
    }
    let table = render(&scores);
    println!("\n{table}");
    crate::bench::write_benchmarks_section("## Lighthouse", &table)?;
    println!("xtask: written to BENCHMARKS.md (section \"Lighthouse\")");
    Ok(())
}

fn audit(url: &str, cookie: Option<&str>, label: &str) -> Result<Score, String> {
    let report =
        std::env::temp_dir().join(format!("navsync-lighthouse-{}.json", std::process::id()));
    let mut command = Command::new("node");
    command
        .arg(root().join("bench/lighthouse/node_modules/lighthouse/cli/index.js"))
        .arg(url)
        .args([
            "--quiet",
            "--output=json",
            "--only-categories=performance,accessibility,best-practices",
            "--chrome-flags=--headless=new --no-sandbox",
        ])
        .arg(format!("--output-path={}", report.display()))
        .env("CHROME_PATH", tools::chromium_path());
    if let Some(cookie) = cookie {
        command.arg(format!("--extra-headers={{\"Cookie\":\"{cookie}\"}}"));
    }
    sh(&mut command)?;
    let json =
        std::fs::read_to_string(&report).map_err(|e| format!("no Lighthouse report: {e}"))?;
    let _ = std::fs::remove_file(&report);
    parse(&json, label)
}

/// Scores (0–100) and the four lab metrics of a Lighthouse JSON report.
fn parse(json: &str, label: &str) -> Result<Score, String> {
    let report: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("unreadable Lighthouse report: {e}"))?;
    let category = |id: &str| -> Result<f64, String> {
        report["categories"][id]["score"]
            .as_f64()
            .map(|s| (s * 100.0).round())
            .ok_or_else(|| format!("no {id} score in the Lighthouse report"))
    };
    let metric = |id: &str| -> String {
        report["audits"][id]["displayValue"]
            .as_str()
            .map(|v| v.replace('\u{a0}', " "))
            .unwrap_or_else(|| "–".into())
    };
    Ok(Score {
        page: label.to_owned(),
        performance: category("performance")?,
        accessibility: category("accessibility")?,
        best_practices: category("best-practices")?,
        fcp: metric("first-contentful-paint"),
        lcp: metric("largest-contentful-paint"),
        tbt: metric("total-blocking-time"),
        cls: metric("cumulative-layout-shift"),
    })
}

fn render(scores: &[Score]) -> String {
    let date = crate::bench::shell_line("date", &["-u", "+%Y-%m-%dT%H:%M:%SZ"]);
    let commit = crate::bench::shell_line("git", &["rev-parse", "--short", "HEAD"]);
    let cores = crate::bench::shell_line("nproc", &[]);
    let mut out = format!(
        "Command: `cargo xtask bench-lighthouse` — Lighthouse 12.8.2 (npm), default mobile \
         settings (emulated Moto G power, simulated slow 4G, 4× CPU slowdown), headless \
         Chromium, release build, demo organization, loopback; one run per page.\n\n\
         Date: {date}. Commit: {commit}. Machine: {cores} cores (ci-2core).\n\n\
         | page | performance | accessibility | best practices | FCP | LCP | TBT | CLS |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|\n"
    );
    for s in scores {
        out.push_str(&format!(
            "| {} | {:.0} | {:.0} | {:.0} | {} | {} | {} | {} |\n",
            s.page, s.performance, s.accessibility, s.best_practices, s.fcp, s.lcp, s.tbt, s.cls
        ));
    }
    let (perf, a11y, bp) = GOALS;
    let met = |value: f64, goal: f64| if value >= goal { "met" } else { "NOT met" };
    let worst = |f: fn(&Score) -> f64| scores.iter().map(f).fold(100.0, f64::min);
    out.push_str(&format!(
        "\nGoals (worst page): performance ≥ {perf:.0}: {} ({:.0}); accessibility {a11y:.0}: {} ({:.0}); \
         best practices ≥ {bp:.0}: {} ({:.0}).\n",
        met(worst(|s| s.performance), perf),
        worst(|s| s.performance),
        met(worst(|s| s.accessibility), a11y),
        worst(|s| s.accessibility),
        met(worst(|s| s.best_practices), bp),
        worst(|s| s.best_practices),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn scores_and_metrics_are_read_from_a_report() {
        let report = r#"{"audits": {
            "first-contentful-paint": {"id": "first-contentful-paint", "score": 0.9, "displayValue": "0.9 s"},
            "largest-contentful-paint": {"id": "largest-contentful-paint", "score": 0.5, "displayValue": "3.7 s"},
            "total-blocking-time": {"id": "total-blocking-time", "score": 0.4, "displayValue": "670 ms"},
            "cumulative-layout-shift": {"id": "cumulative-layout-shift", "score": 1, "displayValue": "0"}
          },
          "categories": {
            "performance": {"title": "Performance", "id": "performance", "score": 0.73},
            "accessibility": {"title": "Accessibility", "id": "accessibility", "score": 1},
            "best-practices": {"title": "Best Practices", "id": "best-practices", "score": 0.96}
          }}"#;
        let score = parse(report, "/sign-in").expect("parsed");
        assert_eq!(score.performance, 73.0);
        assert_eq!(score.accessibility, 100.0);
        assert_eq!(score.best_practices, 96.0);
        assert_eq!(score.lcp, "3.7 s");
        assert_eq!(score.tbt, "670 ms");
        assert_eq!(score.cls, "0");
    }
}
