//! A saved list's labelled search box (`#saved-leads-search`,
//! `#saved-accounts-search`), debounced.

use std::time::Duration;

use leptos::prelude::*;

use crate::i18n::Key;
use crate::logic::seats::SEARCH_DEBOUNCE_MS;
use crate::logic::sync::SavedQuery;
use crate::state::i18n::use_i18n;

/// Updates `query.q` once typing pauses (~200 ms), back on page 1.
#[component]
pub fn SavedSearch(
    /// The input's element id.
    id: &'static str,
    /// Its label.
    label: Key,
    /// The list's query.
    query: RwSignal<SavedQuery>,
) -> impl IntoView {
    let i18n = use_i18n();
    let search = RwSignal::new(query.get_untracked().q);
    let timer = StoredValue::new_local(None::<TimeoutHandle>);
    let on_input = move |ev: leptos::ev::Event| {
        search.set(event_target_value(&ev));
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                let text = search.get_untracked();
                if query.with_untracked(|q| q.q != text) {
                    query.update(|q| {
                        q.q = text;
                        q.offset = 0;
                    });
                }
            },
            Duration::from_millis(SEARCH_DEBOUNCE_MS),
        )
        .ok();
        timer.set_value(handle);
    };
    on_cleanup(move || {
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
    });
    view! {
        <div class="saved__search">
            <label class="saved__search-label" for=id>
                {move || i18n.t(label)}
            </label>
            <input
                class="field__input saved__search-input"
                id=id
                type="search"
                autocomplete="off"
                maxlength="200"
                prop:value=move || search.get()
                on:input=on_input
            />
        </div>
    }
}
