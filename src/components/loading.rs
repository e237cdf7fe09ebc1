//! The loading indicator, announced to screen readers.

use leptos::prelude::*;

use crate::i18n::Key;
use crate::state::i18n::use_i18n;

/// A polite "Loading…" status.
#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="loading" role="status">
            <span class="loading__spinner" aria-hidden="true"></span>
            {move || i18n.t(Key::Loading)}
        </p>
    }
}
