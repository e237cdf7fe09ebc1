//! Server paging of the seat list: "Showing 51–100 of 10,000" with
//! `button.seats__prev` / `button.seats__next`.

use leptos::prelude::*;

use crate::i18n::{Key, showing};
use crate::logic::seats::{SeatQuery, has_next, has_previous, page_range, previous_offset};
use crate::state::i18n::use_i18n;

/// Moves `query` a page back or forward; `rows` and `total` are what the
/// server answered for the current page.
#[component]
pub fn SeatPager(
    /// The seat list's query.
    query: RwSignal<SeatQuery>,
    /// Rows on the current page.
    #[prop(into)]
    rows: Signal<usize>,
    /// Rows matching the query in all.
    #[prop(into)]
    total: Signal<u64>,
) -> impl IntoView {
    let i18n = use_i18n();
    let offset = move || query.with(|q| q.offset);
    let limit = move || query.with(|q| q.limit);
    let text = move || {
        page_range(offset(), rows.get(), total.get())
            .map(|(first, last)| showing(i18n.locale(), first, last, total.get()))
    };
    view! {
        <nav class="seats__pager" aria-label=move || i18n.t(Key::SeatManagement)>
            <button
                type="button"
                class="button button--secondary seats__prev"
                disabled=move || !has_previous(offset())
                on:click=move |_| query.update(|q| q.offset = previous_offset(q.offset, q.limit))
            >
                {move || i18n.t(Key::Previous)}
            </button>
            <p class="seats__showing" aria-live="polite">{text}</p>
            <button
                type="button"
                class="button button--secondary seats__next"
                disabled=move || !has_next(offset(), limit(), total.get())
                on:click=move |_| query.update(|q| q.offset += q.limit)
            >
                {move || i18n.t(Key::Next)}
            </button>
        </nav>
    }
}
