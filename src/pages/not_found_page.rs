//! Any unknown path.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::Key;
use crate::state::i18n::use_i18n;

/// "Page not found", with a link home.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page not-found">
            <h1 class="page__title">{move || i18n.t(Key::NotFoundTitle)}</h1>
            <p>{move || i18n.t(Key::NotFoundText)}</p>
            <A href="/">{move || i18n.t(Key::GoHome)}</A>
        </section>
    }
}
