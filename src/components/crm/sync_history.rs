//! The recent runs (`table.crm-sync__history`): start time, duration, full or
//! incremental, rows read, rows changed, CRM requests and error.

use leptos::prelude::*;
use navsync_api::sync::SyncRun;

use super::sync_panel::format_time;
use crate::i18n::{Key, count, duration};
use crate::state::i18n::use_i18n;

/// One row per run, newest first; "No runs yet." without any.
#[component]
pub fn CrmSyncHistory(
    /// The runs, newest first.
    #[prop(into)]
    runs: Signal<Vec<SyncRun>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let rows = move || {
        let locale = i18n.locale();
        runs.get()
            .into_iter()
            .map(|run| {
                let kind = i18n.t(if run.full { Key::SyncFull } else { Key::SyncIncremental });
                let failed = run.error.is_some();
                view! {
                    <tr class="crm-sync__run" class:crm-sync__run--failed=failed>
                        <td class="crm-sync__cell">{format_time(locale, &run.started_at)}</td>
                        <td class="crm-sync__cell crm-sync__cell--number">{duration(locale, run.duration_ms)}</td>
                        <td class="crm-sync__cell">{kind}</td>
                        <td class="crm-sync__cell crm-sync__cell--number">{count(locale, run.rows_read)}</td>
                        <td class="crm-sync__cell crm-sync__cell--number">{count(locale, run.rows_changed)}</td>
                        <td class="crm-sync__cell crm-sync__cell--number">{count(locale, run.crm_requests)}</td>
                        <td class="crm-sync__cell crm-sync__cell--error">{run.error}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    move || {
        if runs.with(Vec::is_empty) {
            return view! { <p class="crm-sync__no-runs">{move || i18n.t(Key::SyncNoRuns)}</p> }
                .into_any();
        }
        view! {
            <div class="crm-sync__table-wrap">
                <table class="crm-sync__history">
                    <caption class="crm-sync__caption">{move || i18n.t(Key::SyncHistory)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || i18n.t(Key::SyncStartedAt)}</th>
                            <th scope="col">{move || i18n.t(Key::SyncDuration)}</th>
                            <th scope="col">{move || i18n.t(Key::SyncKind)}</th>
                            <th scope="col">{move || i18n.t(Key::SyncRowsRead)}</th>
                            <th scope="col">{move || i18n.t(Key::SyncRowsChanged)}</th>
                            <th scope="col">{move || i18n.t(Key::SyncCrmRequests)}</th>
                            <th scope="col">{move || i18n.t(Key::SyncError)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    }
}
