//! The reply form of a thread: `textarea#thread-reply` (labelled) and
//! `button.thread__send`.

use leptos::prelude::*;

use super::SendAction;
use crate::components::ErrorView;
use crate::i18n::Key;
use crate::state::i18n::use_i18n;

/// Replies in thread `thread`; the text is cleared once it is sent.
#[component]
pub fn ReplyForm(
    /// The thread's id.
    thread: String,
    /// The page's send action.
    send: SendAction,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let thread = StoredValue::new(thread);
    let pending = send.pending();
    Effect::new(move |_| {
        if let Some(Ok(())) = send.value().get() {
            text.set(String::new());
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = text.get_untracked();
        if !body.trim().is_empty() && !pending.get_untracked() {
            send.dispatch((thread.get_value(), body));
        }
    };
    view! {
        <form class="thread__reply" on:submit=on_submit>
            <label class="thread__reply-label" for="thread-reply">
                {move || i18n.t(Key::ThreadReply)}
            </label>
            <textarea
                class="field__input thread__reply-input"
                id="thread-reply"
                rows="3"
                maxlength=navsync_api::messages::MAX_BODY_CHARS.to_string()
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
            ></textarea>
            {move || {
                send.value().get().and_then(Result::err).map(|error| view! { <ErrorView error=error /> })
            }}
            <button type="submit" class="button thread__send" disabled=move || pending.get()>
                {move || i18n.t(if pending.get() { Key::ThreadSending } else { Key::ThreadSend })}
            </button>
        </form>
    }
}
