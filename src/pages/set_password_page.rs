//! `/set-password?token=…` (anyone with the link): choose a password with a
//! one-time link from an admin (`POST /api/set-password`).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use navsync_api::seats::SetPassword;

use crate::api::client;
use crate::components::TextField;
use crate::i18n::{self, Key, server_message};
use crate::logic::seats::{PasswordCheck, check_password};
use crate::routes::{self, Page};
use crate::state::i18n::use_i18n;

/// New password and its repeat, checked like the server does (at least 8
/// characters) and for being equal. Success links to sign-in; a used or
/// expired link shows the server's sentence in an alert.
#[component]
pub fn SetPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let token = Memo::new(move |_| query.with(|q| q.get("token")).unwrap_or_default());
    let password = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let check = RwSignal::new(PasswordCheck::default());

    let submit = Action::new_local(|form: &SetPassword| {
        let form = form.clone();
        async move { client::set_password(&form).await }
    });
    let pending = submit.pending();
    let done = move || matches!(submit.value().get(), Some(Ok(())));
    let server_error = move || match submit.value().get() {
        Some(Err(error)) if !pending.get() => Some(server_message(i18n.locale(), &error)),
        _ => None,
    };
    let password_error = Signal::derive(move || {
        check.with(|c| {
            c.password
                .as_ref()
                .map(|e| i18n::field_error(i18n.locale(), e))
        })
    });
    let repeat_error = Signal::derive(move || {
        check
            .with(|c| c.mismatch)
            .then(|| i18n.t(Key::PasswordsDiffer).to_owned())
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let result = check_password(&password.get_untracked(), &repeat.get_untracked());
        let ok = result.is_ok();
        check.set(result);
        if ok {
            submit.dispatch(SetPassword {
                token: token.get_untracked(),
                password: password.get_untracked(),
            });
        }
    };

    let body = move || {
        if done() {
            return view! {
                <div class="set-password__done" role="status">
                    <p>{move || i18n.t(Key::PasswordSet)}</p>
                    <a class="button button--primary set-password__sign-in" href=routes::path(Page::SignIn)>
                        {move || i18n.t(Key::GoToSignIn)}
                    </a>
                </div>
            }
                .into_any();
        }
        if token.with(String::is_empty) {
            return view! {
                <p class="form-error set-password__error" role="alert">
                    {move || i18n.t(Key::ServerBadPasswordLink)}
                </p>
            }
            .into_any();
        }
        view! {
            <p class="set-password__intro">{move || i18n.t(Key::SetPasswordIntro)}</p>
            <form class="set-password__form" novalidate on:submit=on_submit>
                <TextField
                    id="set-password-new"
                    label=Key::NewPassword
                    kind="password"
                    autocomplete="new-password"
                    value=password
                    error=password_error
                    hint=Key::PasswordHint
                />
                <TextField
                    id="set-password-repeat"
                    label=Key::RepeatPassword
                    kind="password"
                    autocomplete="new-password"
                    value=repeat
                    error=repeat_error
                />
                <div class="set-password__alert" role="alert">
                    {move || server_error().map(|message| view! { <p class="form-error set-password__error">{message}</p> })}
                </div>
                <button
                    type="submit"
                    class="button button--primary set-password__submit"
                    disabled=move || pending.get()
                    aria-busy=move || pending.get().then_some("true")
                >
                    {move || i18n.t(if pending.get() { Key::SettingPassword } else { Key::SetPasswordSubmit })}
                </button>
            </form>
        }
            .into_any()
    };

    view! {
        <section class="page set-password">
            <h1 class="page__title">{move || i18n.t(Key::SetPasswordTitle)}</h1>
            {body}
        </section>
    }
}
