//! One message of a thread (`li.thread__message[data-message-id]`): its text,
//! time and direction, "Copy message to CRM" (`input.thread__copy-message`)
//! and its CRM state.

use leptos::prelude::*;
use navsync_api::messages::Direction;

use super::{CopyChange, CopyTarget, CopyToggles, CrmState, MessageCell, RetryAction};
use crate::i18n::{Key, date_time};
use crate::logic::crm::local_time;
use crate::state::i18n::use_i18n;

/// Message `cell` of thread `thread`.
#[component]
pub fn MessageItem(
    /// The thread's id.
    thread: String,
    /// The message, with its changing parts as signals.
    cell: MessageCell,
    /// The page's copy toggles.
    toggles: CopyToggles,
    /// Writes a failed message again.
    retry: RetryAction,
) -> impl IntoView {
    let i18n = use_i18n();
    let MessageCell {
        id,
        direction,
        body,
        sent_at,
        ticked,
        crm,
    } = cell;
    let input_id = format!("copy-message-{id}");
    let data_id = id.clone();
    let ids = StoredValue::new((thread, id.clone()));
    let on_change = move |ev: leptos::ev::Event| {
        let (thread, message) = ids.get_value();
        toggles.toggle(CopyChange {
            target: CopyTarget::Message { thread, message },
            copy: event_target_checked(&ev),
        });
    };
    let (direction_key, direction_class) = match direction {
        Direction::Inbound => (Key::MessageReceived, "thread__message--inbound"),
        Direction::Outbound => (Key::MessageSent, "thread__message--outbound"),
    };
    let time = move || {
        local_time(&sent_at).map_or_else(|| sent_at.clone(), |at| date_time(i18n.locale(), &at))
    };
    view! {
        <li class=format!("thread__message {direction_class}") data-message-id=data_id>
            <p class="thread__meta">
                <span class="thread__direction">{move || i18n.t(direction_key)}</span>
                " · "
                <span class="thread__time">{time}</span>
            </p>
            <p class="thread__body">{body}</p>
            <div class="thread__copy">
                <input
                    class="thread__copy-message"
                    type="checkbox"
                    id=input_id.clone()
                    prop:checked=move || ticked.get()
                    on:change=on_change
                />
                <label for=input_id>{move || i18n.t(Key::CopyMessageToCrm)}</label>
            </div>
            <CrmState id=id crm=crm.into() ticked=ticked.into() retry=retry />
        </li>
    }
}
