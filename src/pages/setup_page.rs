//! `/setup`: creates the organization on first run.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::api::client;
use crate::components::{Loading, SetupForm};
use crate::i18n::Key;
use crate::routes::{self, Page};
use crate::state::i18n::use_i18n;

/// The set-up form while no organization exists; afterwards it sends people
/// to sign in.
#[component]
pub fn SetupPage() -> impl IntoView {
    let i18n = use_i18n();
    let status = LocalResource::new(client::setup_status);
    view! {
        <section class="page setup">
            <h1 class="page__title">{move || i18n.t(Key::SetupTitle)}</h1>
            <p class="setup__intro">{move || i18n.t(Key::SetupIntro)}</p>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(status) if !status.needed => {
                            view! { <Redirect path=routes::path(Page::SignIn) /> }.into_any()
                        }
                        // If the status cannot be read, the server still refuses a
                        // second set-up (409) and the form shows that.
                        _ => view! { <SetupForm /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
