//! `/sign-in`: checks first-run set-up, then shows the sign-in form.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::api::client;
use crate::components::{Loading, SignInForm};
use crate::i18n::Key;
use crate::routes::{self, Page};
use crate::state::i18n::use_i18n;

/// Sends a fresh install to `/setup`; otherwise the form, plus the demo
/// accounts when the server runs in demo mode.
#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let status = LocalResource::new(client::setup_status);
    view! {
        <section class="page sign-in">
            <h1 class="page__title">{move || i18n.t(Key::SignInTitle)}</h1>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(status) if status.needed => {
                            view! { <Redirect path=routes::path(Page::Setup) /> }.into_any()
                        }
                        // The hint is optional; if the status cannot be read the form
                        // still works and reports its own errors.
                        result => {
                            let demo = result.is_ok_and(|status| status.demo);
                            view! {
                                {demo.then(|| view! { <DemoHint /> })}
                                <SignInForm />
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

/// The demo accounts and their password.
#[component]
fn DemoHint() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <aside class="sign-in__demo">
            <p class="sign-in__demo-title">{move || i18n.t(Key::DemoHintTitle)}</p>
            <ul class="sign-in__demo-list">
                <li>{move || i18n.t(Key::DemoHintAdmin)}</li>
                <li>{move || i18n.t(Key::DemoHintTeamMember)}</li>
                <li>{move || i18n.t(Key::DemoHintPassword)}</li>
            </ul>
        </aside>
    }
}
