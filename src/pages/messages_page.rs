//! `/messages` (team members): not available until the CRM connection exists.

use leptos::prelude::*;

use crate::components::NotAvailable;
use crate::i18n::Key;
use crate::state::i18n::use_i18n;

/// `/messages` (team members), for now an honest "not available yet".
#[component]
pub fn MessagesPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <h1 class="page__title">{move || i18n.t(Key::Messages)}</h1>
            <NotAvailable detail=Key::MessagesSoon />
        </section>
    }
}
