//! SPEC S5 on CRM Settings (`section.crm-sync`): "Sync now", the run in
//! progress, the last sync, and the recent runs as a chart and a table.

use std::time::Duration;

use leptos::prelude::*;
use navsync_api::Locale;
use navsync_api::sync::SyncStatus;

use super::{CrmSyncChart, CrmSyncHistory};
use crate::api::client;
use crate::components::{ErrorView, Loading};
use crate::i18n::{Key, count, date_time, server_message};
use crate::logic::crm::local_time;
use crate::logic::sync::{
    FAST_POLL_MS, FAST_POLLS_AFTER_START, poll_interval_ms, progress_fraction,
};
use crate::state::i18n::use_i18n;

/// Reads `GET /api/admin/crm/sync` every 2 s while a run is in progress or
/// right after "Sync now", else every 30 s; polling stops when the section
/// is removed.
#[component]
pub fn CrmSyncPanel() -> impl IntoView {
    let i18n = use_i18n();
    let now = Action::new_local(|_: &()| client::sync_now());
    let status = LocalResource::new(move || {
        now.version().get();
        client::sync_status()
    });
    // The last status read, kept while the next one loads.
    let latest = Memo::new(
        move |prev: Option<&Option<SyncStatus>>| match status.get() {
            Some(Ok(status)) => Some(status),
            _ => prev.cloned().flatten(),
        },
    );
    let failure = Memo::new(move |_| match status.get() {
        Some(Err(error)) => Some(error),
        _ => None,
    });

    // One 2 s tick decides whether a read is due, so the interval can change
    // between fast and slow without re-arming timers.
    let fast_left = StoredValue::new(0_u32);
    let waited = StoredValue::new(0_u32);
    Effect::new(move |_| {
        if let Some(Ok(_)) = now.value().get() {
            fast_left.set_value(FAST_POLLS_AFTER_START);
            waited.set_value(0);
        }
    });
    let interval = set_interval_with_handle(
        move || {
            let running =
                latest.with_untracked(|s| s.as_ref().is_some_and(|s| s.running.is_some()));
            let left = fast_left.get_value();
            let waited_ms = waited.get_value().saturating_add(FAST_POLL_MS);
            if waited_ms >= poll_interval_ms(running, left) {
                waited.set_value(0);
                fast_left.set_value(left.saturating_sub(1));
                status.refetch();
            } else {
                waited.set_value(waited_ms);
            }
        },
        Duration::from_millis(u64::from(FAST_POLL_MS)),
    )
    .ok();
    on_cleanup(move || {
        if let Some(handle) = interval {
            handle.clear();
        }
    });

    let pending = now.pending();
    let started = move || matches!(now.value().get(), Some(Ok(_))) && !pending.get();
    let now_error = move || match now.value().get() {
        Some(Err(error)) if !pending.get() => Some(server_message(i18n.locale(), &error)),
        _ => None,
    };
    let runs = Signal::derive(move || {
        latest.with(|s| s.as_ref().map(|s| s.runs.clone()).unwrap_or_default())
    });

    let body = move || {
        let Some(state) = latest.get() else {
            return match failure.get() {
                Some(error) => {
                    let retry = Callback::new(move |()| status.refetch());
                    view! { <ErrorView error=error on_retry=retry /> }.into_any()
                }
                None => view! { <Loading /> }.into_any(),
            };
        };
        let locale = i18n.locale();
        let last_sync = state
            .last_sync_at
            .as_deref()
            .map(|at| format_time(locale, at))
            .unwrap_or_else(|| i18n.t(Key::CrmNoSyncYet).to_owned());
        let paused = state
            .paused
            .then(|| view! { <p class="crm-sync__paused">{i18n.t(Key::SyncPaused)}</p> });
        let running = state.running.map(|run| {
            let fraction = progress_fraction(run.progress);
            view! {
                <div class="crm-sync__running">
                    <p class="crm-sync__in-progress">{i18n.t(Key::SyncInProgress)}</p>
                    <p class="crm-sync__phase">
                        <span class="crm-sync__label">{i18n.t(Key::SyncPhase)}</span>
                        " "
                        {run.phase}
                    </p>
                    <p class="crm-sync__rows">
                        <span class="crm-sync__label">{i18n.t(Key::SyncRowsRead)}</span>
                        ": "
                        {count(locale, run.rows_read)}
                    </p>
                    <progress
                        class="crm-sync__progress"
                        max="1"
                        value=fraction
                        aria-label=i18n.t(Key::SyncInProgress)
                    ></progress>
                </div>
            }
        });
        let queued = state
            .queued
            .then(|| view! { <p class="crm-sync__queued">{i18n.t(Key::SyncQueued)}</p> });
        view! {
            <p class="crm-sync__last">
                <span class="crm-sync__label">{i18n.t(Key::CrmLastSync)}</span>
                " "
                <span class="crm-sync__last-at">{last_sync}</span>
            </p>
            {paused}
            {running}
            {queued}
        }
        .into_any()
    };

    view! {
        <section class="crm-card crm-sync" aria-labelledby="crm-sync-title">
            <h2 class="crm-card__title crm-sync__title" id="crm-sync-title">
                {move || i18n.t(Key::SyncTitle)}
            </h2>
            <div class="crm-sync__actions">
                <button
                    type="button"
                    class="button button--primary crm-sync__now"
                    disabled=move || pending.get()
                    aria-busy=move || pending.get().then_some("true")
                    on:click=move |_| {
                        now.dispatch(());
                    }
                >
                    {move || i18n.t(if pending.get() { Key::SyncStarting } else { Key::SyncNow })}
                </button>
                <p class="crm-sync__status" role="status">
                    {move || {
                        started()
                            .then(|| {
                                let queued = matches!(
                                    now.value().get(), Some(Ok(ref answer)) if answer.queued
                                );
                                i18n.t(if queued { Key::SyncQueued } else { Key::SyncStarted })
                            })
                    }}
                </p>
            </div>
            <div class="crm-sync__alert" role="alert">
                {move || now_error().map(|message| view! { <p class="form-error">{message}</p> })}
            </div>
            <div class="crm-sync__state" aria-live="polite">{body}</div>
            <CrmSyncChart runs=runs />
            <CrmSyncHistory runs=runs />
        </section>
    }
}

/// A server timestamp in the viewer's local time, or as sent if unreadable.
pub(super) fn format_time(locale: Locale, at: &str) -> String {
    local_time(at).map_or_else(|| at.to_owned(), |local| date_time(locale, &local))
}
