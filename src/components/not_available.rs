//! The honest state of a page whose feature is not built yet.

use leptos::prelude::*;

use crate::i18n::Key;
use crate::state::i18n::use_i18n;

/// Says the page is not available yet and what it will hold.
#[component]
pub fn NotAvailable(
    /// One sentence on what this page will hold.
    detail: Key,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="not-available">
            <p class="not-available__lead">{move || i18n.t(Key::NotAvailable)}</p>
            <p class="not-available__detail">{move || i18n.t(detail)}</p>
        </div>
    }
}
