//! The recent runs' durations as a small bar chart (`svg.crm-sync__chart`).

use leptos::prelude::*;
use navsync_api::sync::SyncRun;

use crate::i18n::sync_chart_label;
use crate::logic::sync::{duration_bars, longest_ms};
use crate::state::i18n::use_i18n;

const WIDTH: f64 = 300.0;
const HEIGHT: f64 = 60.0;

/// Oldest run on the left; a failed run's bar is marked. An image with an
/// accessible summary; the table next to it holds the numbers.
#[component]
pub fn CrmSyncChart(
    /// The runs, newest first.
    #[prop(into)]
    runs: Signal<Vec<SyncRun>>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        runs.with(|runs| {
            if runs.is_empty() {
                return None;
            }
            let label = sync_chart_label(i18n.locale(), runs.len(), longest_ms(runs));
            let failed: Vec<bool> = runs.iter().rev().map(|r| r.error.is_some()).collect();
            let bars = duration_bars(runs, WIDTH, HEIGHT)
                .into_iter()
                .zip(failed)
                .map(|(bar, failed)| {
                    view! {
                        <rect
                            class="crm-sync__bar"
                            class:crm-sync__bar--failed=failed
                            x=format!("{:.2}", bar.x)
                            y=format!("{:.2}", bar.y)
                            width=format!("{:.2}", bar.width)
                            height=format!("{:.2}", bar.height)
                        ></rect>
                    }
                })
                .collect_view();
            Some(view! {
                <svg
                    class="crm-sync__chart"
                    role="img"
                    aria-label=label
                    viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                    preserveAspectRatio="none"
                    focusable="false"
                >
                    {bars}
                </svg>
            })
        })
    }
}
