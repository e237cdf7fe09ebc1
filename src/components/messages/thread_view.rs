//! The open thread (`.thread`): the counterpart's heading, "Copy thread"
//! (`input.thread__copy-thread`, indeterminate when mixed), the messages, the
//! reply form and, on phones, "Back to inbox" (`button.thread__back`).
//! Opening a thread with unread messages marks them read.

use std::collections::HashMap;

use leptos::prelude::*;
use navsync_api::messages::Thread;

use super::{
    CopyChange, CopyTarget, CopyToggles, MessageCell, MessageItem, ReplyForm, RetryAction,
    SendAction,
};
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
    // One cell per message, updated in place: a toggle sets only the
    // signals of the messages whose shown state changed, and each row's
    // checkbox listens to its own signal alone (no row listens to a map).
    let owner = Owner::current().unwrap_or_default();
    let cells = StoredValue::new(HashMap::<String, MessageCell>::new());
    let ids = RwSignal::new(Vec::<String>::new());
    let ticked_count = RwSignal::new(0_usize);
    Effect::new(move |_| {
        toggles.threads.track();
        toggles.messages.track();
        thread.with(|t| {
            let Some(t) = t.as_ref() else { return };
            // The pending toggles of this thread, read once: O(1) per message.
            let (whole, singles) = thread_id.with_value(|id| toggles.pending_untracked(id));
            let mut ticked = 0;
            cells.update_value(|cells| {
                for m in &t.messages {
                    let shown = singles
                        .get(&m.id)
                        .copied()
                        .or(whole)
                        .unwrap_or(m.copy_to_crm);
                    ticked += usize::from(shown);
                    match cells.get(&m.id) {
                        Some(cell) => cell.refresh(shown, &m.crm),
                        None => {
                            let cell = owner.with(|| MessageCell::new(m, shown));
                            cells.insert(m.id.clone(), cell);
                        }
                    }
                }
            });
            let same_ids = ids.with_untracked(|ids| {
                ids.len() == t.messages.len()
                    && ids.iter().zip(&t.messages).all(|(a, m)| *a == m.id)
            });
            if !same_ids {
                ids.set(t.messages.iter().map(|m| m.id.clone()).collect());
            }
            if ticked_count.get_untracked() != ticked {
                ticked_count.set(ticked);
            }
        });
    });
    let mix = Memo::new(move |_| copy_mix(ticked_count.get(), ids.with(Vec::len)));
    let on_copy_thread = move |_| {
        toggles.toggle(CopyChange {
            target: CopyTarget::Thread(thread_id.get_value()),
            copy: thread_toggle(mix.get_untracked()),
        });
    };
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
                    each=move || ids.get()
                    key=String::clone
                    children=move |id| {
                        cells
                            .with_value(|cells| cells.get(&id).cloned())
                            .map(|cell| {
                                view! {
                                    <MessageItem
                                        thread=thread_id.get_value()
                                        cell=cell
                                        toggles=toggles
                                        retry=retry
                                    />
                                }
                            })
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
