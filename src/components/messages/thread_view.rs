//! The open thread (`.thread`): the counterpart's heading, "Copy thread"
//! (`input.thread__copy-thread`, indeterminate when mixed), the messages, the
//! reply form and, on phones, "Back to inbox" (`button.thread__back`).
//! Opening a thread with unread messages marks them read.

use leptos::prelude::*;
use navsync_api::messages::{Thread, ThreadMessage};

use super::{CopyChange, CopyTarget, CopyToggles, MessageItem, ReplyForm, RetryAction, SendAction};
use crate::api::client;
use crate::components::{ErrorView, Loading};
use crate::i18n::Key;
use crate::logic::messages::{checkbox_state, copy_mix, thread_toggle};
use crate::state::i18n::use_i18n;

/// Thread `id`, read again after every save, retry and reply.
#[component]
pub fn ThreadView(
    /// The thread's id.
    id: String,
    /// The page's copy toggles.
    toggles: CopyToggles,
    /// Writes a failed message again.
    retry: RetryAction,
    /// Sends a reply.
    send: SendAction,
    /// Closes the thread (phones: back to the inbox).
    on_back: Callback<()>,
    /// The thread's unread messages were marked read on the server.
    on_read: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let thread_id = StoredValue::new(id);
    let data = LocalResource::new(move || {
        toggles.action.version().get();
        retry.version().get();
        send.version().get();
        let id = thread_id.get_value();
        async move { client::thread(&id).await }
    });
    // The last thread read, kept while the next read runs.
    let thread = Memo::new(move |prev: Option<&Option<Thread>>| match data.get() {
        Some(Ok(thread)) => Some(thread),
        _ => prev.cloned().flatten(),
    });
    // Opening a thread with unread messages marks it read, once.
    let marked = StoredValue::new(false);
    Effect::new(move |_| {
        let unread = thread.with(|t| t.as_ref().is_some_and(|t| t.summary.unread > 0));
        if unread && !marked.get_value() {
            marked.set_value(true);
            let id = thread_id.get_value();
            leptos::task::spawn_local(async move {
                if client::mark_read(&id).await.is_ok() {
                    on_read.run(());
                }
            });
        }
    });
    let mix = Memo::new(move |_| {
        thread.with(|t| {
            let messages = t.as_ref().map_or(&[][..], |t| t.messages.as_slice());
            let id = thread_id.with_value(String::clone);
            let ticked = messages
                .iter()
                .filter(|m| toggles.message_ticked(&id, &m.id, m.copy_to_crm))
                .count();
            copy_mix(ticked, messages.len())
        })
    });
    let on_copy_thread = move |_| {
        toggles.toggle(CopyChange {
            target: CopyTarget::Thread(thread_id.get_value()),
            copy: thread_toggle(mix.get_untracked()),
        });
    };
    // Keyed on what a message shows, so a new CRM state re-renders it.
    let message_key = |m: &ThreadMessage| (m.id.clone(), m.copy_to_crm, format!("{:?}", m.crm));
    let loaded = Memo::new(move |_| thread.with(Option::is_some));
    // Only the first read swaps the view, so later reads keep the reply's text.
    let body = move || {
        if !loaded.get() {
            return match data.get() {
                Some(Err(error)) => {
                    let retry = Callback::new(move |()| data.refetch());
                    view! { <ErrorView error=error on_retry=retry /> }.into_any()
                }
                _ => view! { <Loading /> }.into_any(),
            };
        }
        view! {
            <h2 class="thread__title" id="thread-title">
                {move || thread.with(|t| t.as_ref().map(|t| t.summary.participant.name.clone()))}
            </h2>
            <div class="thread__copy thread__copy--all">
                <input
                    class="thread__copy-thread"
                    type="checkbox"
                    id="thread-copy-thread"
                    prop:checked=move || checkbox_state(mix.get()).0
                    prop:indeterminate=move || checkbox_state(mix.get()).1
                    on:change=on_copy_thread
                />
                <label for="thread-copy-thread">{move || i18n.t(Key::CopyThread)}</label>
            </div>
            <ul class="thread__messages" aria-labelledby="thread-title">
                <For
                    each=move || thread.with(|t| t.as_ref().map(|t| t.messages.clone()).unwrap_or_default())
                    key=message_key
                    children=move |message| {
                        view! {
                            <MessageItem
                                thread=thread_id.get_value()
                                message=message
                                toggles=toggles
                                retry=retry
                            />
                        }
                    }
                />
            </ul>
            <ReplyForm thread=thread_id.get_value() send=send />
        }
        .into_any()
    };
    view! {
        <section class="thread">
            <button type="button" class="button thread__back" on:click=move |_| on_back.run(())>
                {move || i18n.t(Key::BackToInbox)}
            </button>
            {body}
        </section>
    }
}
