//! One thread of the inbox (`li.messages__thread[data-thread-id]`): the
//! counterpart, company, kind, last message, time and unread marker
//! (`.messages__unread`), and its tri-state "Copy thread" checkbox
//! (`input.messages__copy-thread`). Clicking the thread opens it.

use leptos::prelude::*;
use navsync_api::messages::{CopyMix, ThreadKind, ThreadSummary};

use super::{CopyChange, CopyTarget, CopyToggles};
use crate::i18n::{Key, copy_thread_for};
use crate::logic::crm::local_time;
use crate::logic::messages::{SNIPPET_CHARS, checkbox_state, short_time, snippet, thread_toggle};
use crate::state::i18n::use_i18n;

/// The inbox row of `summary`.
#[component]
pub fn ThreadRow(
    /// The thread.
    summary: ThreadSummary,
    /// The page's copy toggles.
    toggles: CopyToggles,
    /// The open thread.
    selected: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let ThreadSummary {
        id,
        kind,
        participant,
        unread,
        last_message,
        last_at,
        copy,
        ..
    } = summary;
    let thread = StoredValue::new(id.clone());
    // What the checkbox shows: a pending whole-thread change, unless single
    // messages changed since (then the server's summary, refetched, says).
    let mix = Memo::new(move |_| {
        thread.with_value(|id| {
            let singles = toggles
                .messages
                .with(|m| m.keys().any(|(thread, _)| thread == id));
            match toggles.threads.with(|t| t.get(id).copied()) {
                Some(true) if !singles => CopyMix::All,
                Some(false) if !singles => CopyMix::None,
                _ => copy,
            }
        })
    });
    let on_change = move |_| {
        toggles.toggle(CopyChange {
            target: CopyTarget::Thread(thread.get_value()),
            copy: thread_toggle(mix.get_untracked()),
        });
    };
    let kind_key = match kind {
        ThreadKind::Inmail => Key::MessagesKindInmail,
        ThreadKind::Message => Key::MessagesKindMessage,
    };
    let time = last_at
        .as_deref()
        .and_then(local_time)
        .map(|at| short_time(&at, chrono::Local::now().date_naive()));
    let name = StoredValue::new(participant.name.clone());
    let has_unread = unread > 0;
    view! {
        <li
            class="messages__thread"
            class:messages__thread--selected=move || {
                thread.with_value(|id| selected.with(|s| s.as_ref() == Some(id)))
            }
            class:messages__thread--unread=has_unread
            data-thread-id=id
        >
            <input
                class="messages__copy-thread"
                type="checkbox"
                aria-label=move || name.with_value(|n| copy_thread_for(i18n.locale(), n))
                prop:checked=move || checkbox_state(mix.get()).0
                prop:indeterminate=move || checkbox_state(mix.get()).1
                on:change=on_change
            />
            <button
                type="button"
                class="messages__open"
                on:click=move |_| selected.set(Some(thread.get_value()))
            >
                <span class="messages__top">
                    <span class="messages__name">{participant.name}</span>
                    <span class="messages__time">{time}</span>
                </span>
                <span class="messages__sub">
                    <span class="messages__kind">{move || i18n.t(kind_key)}</span>
                    {participant.company.map(|c| view! { " · " <span class="messages__company">{c}</span> })}
                    {has_unread
                        .then(|| {
                            view! {
                                <span class="messages__unread">
                                    <span class="sr-only">{move || i18n.t(Key::MessagesUnread)}</span>
                                </span>
                            }
                        })}
                </span>
                <span class="messages__snippet">
                    {last_message.map(|m| snippet(&m, SNIPPET_CHARS))}
                </span>
            </button>
        </li>
    }
}
