//! Bulk "Enable CRM Sync" / "Disable CRM Sync" for the selected seats (SPEC
//! M4): `.seats__bulk` with `button.seats__bulk-enable` and
//! `button.seats__bulk-disable`.

use leptos::prelude::*;
use navsync_api::seats::BulkCrmSync;

use super::use_seats;
use crate::i18n::{Key, selected_count};
use crate::state::i18n::use_i18n;

/// Shown while something is selected. While S1 is Yes the buttons are
/// disabled and a note says why. The outcome sentence is the page's
/// `.seats__summary`.
#[component]
pub fn SeatBulkBar() -> impl IntoView {
    let i18n = use_i18n();
    let seats = use_seats();
    let count = Memo::new(move |_| seats.selected.with(|s| s.len()));
    let pending = seats.bulk.pending();
    let locked = move || seats.auto_sync_all.get() || pending.get();
    let send = move |enabled: bool| {
        let mut person_ids: Vec<_> = seats.selected.get_untracked().into_iter().collect();
        person_ids.sort();
        seats.bulk.dispatch(BulkCrmSync {
            person_ids,
            enabled,
        });
    };
    move || {
        (count.get() > 0).then(|| {
            view! {
                <div class="seats__bulk" role="group" aria-label=move || i18n.t(Key::BulkActions)>
                    <span class="seats__bulk-count">{move || selected_count(i18n.locale(), count.get())}</span>
                    <button
                        type="button"
                        class="button seats__bulk-enable"
                        disabled=locked
                        aria-describedby=move || seats.auto_sync_all.get().then_some("seats-bulk-note")
                        on:click=move |_| send(true)
                    >
                        {move || i18n.t(Key::EnableCrmSync)}
                    </button>
                    <button
                        type="button"
                        class="button seats__bulk-disable"
                        disabled=locked
                        aria-describedby=move || seats.auto_sync_all.get().then_some("seats-bulk-note")
                        on:click=move |_| send(false)
                    >
                        {move || i18n.t(Key::DisableCrmSync)}
                    </button>
                    <button
                        type="button"
                        class="button button--secondary seats__bulk-clear"
                        on:click=move |_| seats.selected.update(|s| s.clear())
                    >
                        {move || i18n.t(Key::ClearSelection)}
                    </button>
                    {move || {
                        seats
                            .auto_sync_all
                            .get()
                            .then(|| {
                                view! {
                                    <p class="seats__bulk-note" id="seats-bulk-note">
                                        {move || i18n.t(Key::AutoSyncAllNote)}
                                    </p>
                                }
                            })
                    }}
                </div>
            }
        })
    }
}
