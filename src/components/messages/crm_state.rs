//! A message's CRM state (`.thread__crm-state`, SPEC H4): not copied,
//! waiting, copied (with a link to the CRM record), unresolved or failed
//! (with the reason and a "Retry" button `button.thread__retry`).

use leptos::prelude::*;
use navsync_api::messages::CrmCopy;

use super::RetryAction;
use crate::i18n::Key;
use crate::state::i18n::use_i18n;

/// The state of message `id`; `ticked` is what its checkbox shows now.
#[component]
pub fn CrmState(
    /// The message's id, for "Retry".
    id: String,
    /// Its CRM state on the server.
    crm: CrmCopy,
    /// "Copy message to CRM" as shown.
    ticked: Signal<bool>,
    /// Writes a failed message again.
    retry: RetryAction,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: Key| move || i18n.t(key);
    let copied = matches!(crm, CrmCopy::Copied { .. });
    let body = match crm {
        CrmCopy::NotCopied => view! { <span>{t(Key::CrmStateNotCopied)}</span> }.into_any(),
        CrmCopy::Waiting => view! { <span>{t(Key::CrmStateWaiting)}</span> }.into_any(),
        CrmCopy::Copied { url, .. } => view! {
            <span>{t(Key::CrmStateCopied)}</span>
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
                    retry.dispatch(id.clone());
                }
            >
                {t(Key::CrmRetry)}
            </button>
        }
        .into_any(),
    };
    view! {
        <p class="thread__crm-state">
            {body}
            {move || {
                (copied && !ticked.get())
                    .then(|| view! { <span class="thread__crm-stays">" " {t(Key::CrmStateStays)}</span> })
            }}
        </p>
    }
}
