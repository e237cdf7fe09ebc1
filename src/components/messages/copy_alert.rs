//! "Not saved — Try again" (`.messages__alert`, `[role=alert]`): a copy toggle
//! that could not be saved after its last try, rolled back.

use leptos::prelude::*;

use super::CopyToggles;
use crate::i18n::Key;
use crate::state::i18n::use_i18n;

/// The alert of the last change that could not be saved; nothing otherwise.
#[component]
pub fn CopyAlert(
    /// The page's copy toggles.
    toggles: CopyToggles,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        toggles.failed.get().map(|change| {
            let change = StoredValue::new(change);
            view! {
                <div class="messages__alert" role="alert">
                    <span>{move || i18n.t(Key::NotSaved)}</span>
                    " "
                    <button
                        type="button"
                        class="button messages__alert-retry"
                        on:click=move |_| toggles.toggle(change.get_value())
                    >
                        {move || i18n.t(Key::Retry)}
                    </button>
                </div>
            }
        })
    }
}
