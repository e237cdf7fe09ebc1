//! Shown on a page the person's licence does not cover.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::Key;
use crate::state::i18n::use_i18n;

/// "You do not have access to this page", with a link home.
#[component]
pub fn NoAccess() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page no-access">
            <h1 class="page__title">{move || i18n.t(Key::NoAccessTitle)}</h1>
            <p class="no-access__text">{move || i18n.t(Key::NoAccessText)}</p>
            <A href="/">{move || i18n.t(Key::GoHome)}</A>
        </section>
    }
}
