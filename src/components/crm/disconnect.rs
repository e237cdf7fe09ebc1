//! SPEC C5 "Disconnect CRM Sync" (`section.crm-disconnect`).

use leptos::prelude::*;

use super::{CrmDisconnectDialog, DisconnectAction};
use crate::i18n::Key;
use crate::state::i18n::use_i18n;

/// What disconnecting does and the button that opens the confirmation
/// dialog; closing the dialog returns focus to that button.
#[component]
pub fn CrmDisconnect(
    /// The page's disconnect action; a success refetches the page's status.
    disconnect: DisconnectAction,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let opener = NodeRef::<leptos::html::Button>::new();
    let close = Callback::new(move |()| {
        open.set(false);
        if let Some(button) = opener.get_untracked() {
            let _ = button.focus();
        }
    });
    // Once disconnected the page shows the connect form instead.
    Effect::new(move |_| {
        if let Some(Ok(_)) = disconnect.value().get() {
            open.set(false);
        }
    });
    view! {
        <section class="crm-card crm-disconnect" aria-labelledby="crm-disconnect-section-title">
            <h2 class="crm-card__title" id="crm-disconnect-section-title">
                {move || i18n.t(Key::CrmDisconnect)}
            </h2>
            <p class="crm-disconnect__intro">{move || i18n.t(Key::CrmDisconnectIntro)}</p>
            <button
                type="button"
                class="button button--danger crm-disconnect__open"
                aria-haspopup="dialog"
                node_ref=opener
                on:click=move |_| {
                    // A failure from an earlier attempt is not news now.
                    disconnect.clear();
                    open.set(true);
                }
            >
                {move || i18n.t(Key::CrmDisconnect)}
            </button>
            {move || open.get().then(|| view! { <CrmDisconnectDialog disconnect=disconnect on_close=close /> })}
        </section>
    }
}
