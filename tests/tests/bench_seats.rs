//! Benchmark (not a gate; `#[ignore]`d): Seat Management with 10,000 seats in
//! headless Chromium at desktop size — time to the first rows, the
//! synchronous cost of one filter keystroke and the time until its results
//! are shown, and select-all. Figures go to BENCHMARKS.md by hand with the
//! command:
//!
//! `cargo xtask build && NAVSYNC_E2E_DIST=dist cargo test --release -p navsync-e2e --test bench_seats -- --ignored --nocapture`

use navsync_e2e::{App, Browser, DEMO_PASSWORD, DESKTOP, Result};
use serde_json::Value;

const RUNS: usize = 5;

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

async fn measure(browser: &Browser, script: &str) -> Result<f64> {
    let value: Value = browser.client.execute_async(script, vec![]).await?;
    value
        .as_f64()
        .ok_or_else(|| format!("the page answered {value}").into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run with --ignored --nocapture"]
async fn seat_management_with_10000_seats() -> Result<()> {
    // SAFETY of set_var: this test binary runs this one test, before any
    // thread reads the environment.
    unsafe { std::env::set_var("NAVSYNC_BENCH_SEED", "10000") };
    let app = App::start().await?;
    let browser = Browser::open(DESKTOP).await?;
    browser
        .sign_in(&app, "admin@demo.test", DEMO_PASSWORD)
        .await?;
    browser.wait_for(".shell__sign-out").await?;

    let (mut first_rows, mut keystroke_sync, mut keystroke_shown, mut select_all) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        browser.goto(&app.at("/admin/seats")).await?;
        // Time from navigation start until 50 rows are in the table.
        first_rows.push(
            measure(
                &browser,
                r#"const done = arguments[arguments.length - 1];
                   const check = () => document.querySelectorAll('tr.seats__row').length >= 50
                       ? done(performance.now()) : requestAnimationFrame(check);
                   check();"#,
            )
            .await?,
        );
        // One keystroke: the synchronous work of the input handler, then the
        // time until the filtered page is shown (includes the 200 ms debounce
        // and the server round trip).
        let both: Value = browser
            .client
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                   const input = document.querySelector('#seats-search');
                   const before = document.querySelector('.seats__showing')?.textContent;
                   const t0 = performance.now();
                   input.value = 'person 01';
                   input.dispatchEvent(new Event('input', { bubbles: true }));
                   const sync = performance.now() - t0;
                   const check = () => {
                     const now = document.querySelector('.seats__showing')?.textContent;
                     if (now && now !== before) done([sync, performance.now() - t0]);
                     else requestAnimationFrame(check);
                   };
                   check();"#,
                vec![],
            )
            .await?;
        keystroke_sync.push(both[0].as_f64().unwrap_or(f64::NAN));
        keystroke_shown.push(both[1].as_f64().unwrap_or(f64::NAN));
        // Select all rows of the page: click until every row box is ticked.
        select_all.push(
            measure(
                &browser,
                r#"const done = arguments[arguments.length - 1];
                   const box = document.querySelector('input.seats__select-all');
                   const t0 = performance.now();
                   box.click();
                   const check = () => {
                     const rows = [...document.querySelectorAll('input.seats__select:not([disabled])')];
                     if (rows.length && rows.every(r => r.checked)) done(performance.now() - t0);
                     else requestAnimationFrame(check);
                   };
                   check();"#,
            )
            .await?,
        );
    }
    println!(
        "seats benchmark ({RUNS} runs, median ms): first rows {:.1}, keystroke handler {:.2}, \
         keystroke to filtered page {:.1}, select-all {:.1}",
        median(first_rows.clone()),
        median(keystroke_sync.clone()),
        median(keystroke_shown.clone()),
        median(select_all.clone())
    );
    println!("raw first rows {first_rows:?}");
    println!("raw keystroke handler {keystroke_sync:?}");
    println!("raw keystroke to filtered page {keystroke_shown:?}");
    println!("raw select-all {select_all:?}");
    browser.close().await
}
