//! The confirmation dialog of "Disconnect CRM Sync" (`.crm-disconnect__dialog`).

use leptos::prelude::*;
use navsync_api::crm::DisconnectCrm;

use super::DisconnectAction;
use crate::api::client;
use crate::components::ModalDialog;
use crate::i18n::{Key, api_error, clean_up_summary};
use crate::state::i18n::use_i18n;

/// Asks for confirmation, with "Yes, clean up all previously imported CRM
/// data"; when that is ticked it says how many accounts and leads go (asked
/// from the server when the dialog opens).
#[component]
pub fn CrmDisconnectDialog(
    /// The page's disconnect action.
    disconnect: DisconnectAction,
    /// Closes the dialog (Cancel, Escape).
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let clean_up = RwSignal::new(false);
    let preview = LocalResource::new(client::crm_disconnect_preview);
    let pending = disconnect.pending();
    let summary = move || {
        clean_up.get().then(|| match preview.get() {
            None => i18n.t(Key::Loading).to_owned(),
            Some(Ok(preview)) => clean_up_summary(i18n.locale(), &preview),
            Some(Err(error)) => api_error(i18n.locale(), &error),
        })
    };
    let error = move || match disconnect.value().get() {
        Some(Err(error)) if !pending.get() => Some(api_error(i18n.locale(), &error)),
        _ => None,
    };
    view! {
        <ModalDialog labelled_by="crm-disconnect-title" class="crm-disconnect__dialog" on_close=on_close>
            <h2 class="crm-disconnect__title" id="crm-disconnect-title">
                {move || i18n.t(Key::CrmDisconnect)}
            </h2>
            <p class="crm-disconnect__text">{move || i18n.t(Key::CrmDisconnectText)}</p>
            <div class="checkbox">
                <input
                    class="checkbox__input"
                    type="checkbox"
                    id="crm-clean-up"
                    prop:checked=move || clean_up.get()
                    on:change=move |ev| clean_up.set(event_target_checked(&ev))
                />
                <label class="checkbox__label" for="crm-clean-up">
                    {move || i18n.t(Key::CrmCleanUp)}
                </label>
            </div>
            <p class="crm-disconnect__summary" aria-live="polite">
                {summary}
            </p>
            <div class="crm-disconnect__alert" role="alert">
                {move || error().map(|message| view! { <p class="form-error">{message}</p> })}
            </div>
            <div class="crm-disconnect__actions">
                <button type="button" class="button button--secondary crm-disconnect__cancel" on:click=move |_| on_close.run(())>
                    {move || i18n.t(Key::Cancel)}
                </button>
                <button
                    type="button"
                    class="button button--danger crm-disconnect__confirm"
                    disabled=move || pending.get()
                    aria-busy=move || pending.get().then_some("true")
                    on:click=move |_| {
                        disconnect.dispatch(DisconnectCrm {
                            clean_up: clean_up.get_untracked(),
                        });
                    }
                >
                    {move || i18n.t(if pending.get() { Key::CrmDisconnecting } else { Key::CrmDisconnect })}
                </button>
            </div>
        </ModalDialog>
    }
}
