//! A message's CRM state (`.thread__crm-state`, SPEC H4): not copied,
//! waiting, copied (`.thread__crm-copied`: the matching rule that found the
//! contact, and "Open in CRM" `a.thread__crm-link` to the CRM record),
//! unresolved or failed (with the reason and a "Retry" button
//! `button.thread__retry`). Only the message whose state changed re-renders.

use leptos::prelude::*;
use navsync_api::messages::{CrmCopy, MatchRule};

use super::RetryAction;
use crate::i18n::Key;
use crate::state::i18n::use_i18n;

/// What "Copied" says: which rule matched, when one did.
fn copied_key(rule: Option<MatchRule>) -> Key {
    match rule {
        Some(MatchRule::Email) => Key::CrmStateCopiedByEmail,
        Some(MatchRule::ProfileUrl) => Key::CrmStateCopiedByProfileUrl,
        Some(MatchRule::NameAndCompany) => Key::CrmStateCopiedByNameAndCompany,
        None => Key::CrmStateCopied,
    }
}

/// The state of message `id`; `ticked` is what its checkbox shows now.
#[component]
pub fn CrmState(
    /// The message's id, for "Retry".
    id: String,
    /// Its CRM state on the server.
    crm: Signal<CrmCopy>,
    /// "Copy message to CRM" as shown.
    ticked: Signal<bool>,
    /// Writes a failed message again.
    retry: RetryAction,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: Key| move || i18n.t(key);
    let id = StoredValue::new(id);
    let copied = Memo::new(move |_| crm.with(|c| matches!(c, CrmCopy::Copied { .. })));
    let body = move || {
        match crm.get() {
        CrmCopy::NotCopied => view! { <span>{t(Key::CrmStateNotCopied)}</span> }.into_any(),
        CrmCopy::Waiting => view! { <span>{t(Key::CrmStateWaiting)}</span> }.into_any(),
        CrmCopy::Copied { url, rule, .. } => view! {
            <span class="thread__crm-copied">{t(copied_key(rule))}</span>
            {url
                .map(|url| {
                    view! {
                        " "
                        <a class="thread__crm-link" href=url target="_blank" rel="noopener noreferrer">
                            {t(Key::CrmStateOpen)}
                        </a>
                    }
                })}
        }
        .into_any(),
        CrmCopy::Unresolved { reason } => view! {
            <span>{t(Key::CrmStateUnresolved)}</span>
            " "
            <span class="thread__crm-reason">{reason}</span>
        }
        .into_any(),
        CrmCopy::Failed { reason } => view! {
            <span>{t(Key::CrmStateFailed)}</span>
            " "
            <span class="thread__crm-reason">{reason}</span>
            " "
            <button
                type="button"
                class="button thread__retry"
                disabled=move || retry.pending().get()
                on:click=move |_| {
                    retry.dispatch(id.get_value());
                }
            >
                {t(Key::CrmRetry)}
            </button>
        }
        .into_any(),
    }
    };
    view! {
        <p class="thread__crm-state">
            {body}
            {move || {
                (copied.get() && !ticked.get())
                    .then(|| view! { <span class="thread__crm-stays">" " {t(Key::CrmStateStays)}</span> })
            }}
        </p>
    }
}
