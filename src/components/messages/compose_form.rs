//! "New message" (`details.messages__compose`): to whom (name, optional
//! email), subject and the first message; sending opens the new thread.

use leptos::prelude::*;
use navsync_api::messages::{ComposeThread, Participant, ThreadKind};

use crate::api::client;
use crate::components::ErrorView;
use crate::i18n::Key;
use crate::state::i18n::use_i18n;

/// The compose form; `on_sent` gets the new thread's id.
#[component]
pub fn ComposeForm(
    /// Called with the new thread's id once it is sent.
    on_sent: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let subject = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    let send = Action::new_local(move |form: &ComposeThread| {
        let form = form.clone();
        async move {
            let result = client::compose(&form).await;
            if let Ok(id) = &result {
                for field in [name, email, subject, body] {
                    field.set(String::new());
                }
                on_sent.run(id.clone());
            }
            result
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let to = name.get_untracked().trim().to_owned();
        let text = body.get_untracked().trim().to_owned();
        if to.is_empty() || text.is_empty() {
            missing.set(true);
            return;
        }
        missing.set(false);
        let mail = email.get_untracked().trim().to_owned();
        send.dispatch(ComposeThread {
            kind: ThreadKind::Message,
            subject: subject.get_untracked().trim().to_owned(),
            to: Participant {
                name: to,
                email: (!mail.is_empty()).then_some(mail),
                profile_url: None,
                company: None,
            },
            body: text,
            copy_to_crm: None,
        });
    };
    let field = move |id: &'static str, label: Key, value: RwSignal<String>, kind: &'static str| {
        view! {
            <label class="field__label" for=id>{move || i18n.t(label)}</label>
            <input
                id=id
                class="field__input"
                type=kind
                autocomplete="off"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        }
    };
    view! {
        <details class="messages__compose">
            <summary class="messages__compose-summary">{move || i18n.t(Key::ComposeTitle)}</summary>
            <form class="messages__compose-form" on:submit=on_submit novalidate=true>
                {field("compose-name", Key::ComposeName, name, "text")}
                {field("compose-email", Key::ComposeEmail, email, "email")}
                {field("compose-subject", Key::ComposeSubject, subject, "text")}
                <label class="field__label" for="compose-body">{move || i18n.t(Key::ComposeBody)}</label>
                <textarea
                    id="compose-body"
                    class="field__input"
                    rows="3"
                    maxlength=navsync_api::messages::MAX_BODY_CHARS.to_string()
                    prop:value=move || body.get()
                    on:input=move |ev| body.set(event_target_value(&ev))
                ></textarea>
                {move || {
                    missing
                        .get()
                        .then(|| view! { <p class="field__error" role="alert">{move || i18n.t(Key::ComposeMissing)}</p> })
                }}
                {move || send.value().get().and_then(Result::err).map(|error| view! { <ErrorView error=error /> })}
                <button type="submit" class="button button--primary messages__compose-send" disabled=move || send.pending().get()>
                    {move || i18n.t(if send.pending().get() { Key::ThreadSending } else { Key::ThreadSend })}
                </button>
            </form>
        </details>
    }
}
