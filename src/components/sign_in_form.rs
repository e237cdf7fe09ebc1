//! The sign-in form (`form.sign-in__form`).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use navsync_api::{FieldError, SignIn};

use crate::api::client;
use crate::components::TextField;
use crate::i18n::{self, Key, api_error};
use crate::logic::forms::error_for;
use crate::state::i18n::use_i18n;
use crate::state::session::use_session;

/// Email and password, checked with [`SignIn::validate`] before sending.
/// On success the session is set, and the route guard takes the person home.
#[component]
pub fn SignInForm() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());

    let submit = Action::new_local(|form: &SignIn| {
        let form = form.clone();
        async move { client::sign_in(&form).await }
    });
    let pending = submit.pending();
    Effect::new(move |_| {
        if let Some(Ok(me)) = submit.value().get() {
            session.signed_in(me);
        }
    });
    let server_error = move || match submit.value().get() {
        Some(Err(error)) => Some(api_error(i18n.locale(), &error)),
        _ => None,
    };
    let field_error = move |field: &'static str| {
        Signal::derive(move || {
            errors.with(|list| error_for(list, field).map(|e| i18n::field_error(i18n.locale(), e)))
        })
    };

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let form = SignIn {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        match form.validate() {
            Ok(()) => {
                errors.set(Vec::new());
                submit.dispatch(form);
            }
            Err(fields) => errors.set(fields),
        }
    };

    view! {
        <form class="sign-in__form" novalidate on:submit=on_submit>
            <TextField
                id="sign-in-email"
                label=Key::Email
                kind="email"
                autocomplete="username"
                value=email
                error=field_error("email")
            />
            <TextField
                id="sign-in-password"
                label=Key::Password
                kind="password"
                autocomplete="current-password"
                value=password
                error=field_error("password")
            />
            <div class="sign-in__alert" role="alert">
                {move || server_error().map(|message| view! { <p class="form-error">{message}</p> })}
            </div>
            <button
                type="submit"
                class="button button--primary sign-in__submit"
                disabled=move || pending.get()
                aria-busy=move || pending.get().then_some("true")
            >
                {move || i18n.t(if pending.get() { Key::SigningIn } else { Key::SignInSubmit })}
            </button>
        </form>
    }
}
