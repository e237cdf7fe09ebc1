//! A saved row's "Remove" (hand-saved rows) or why it cannot be removed (rows
//! only CRM sync brought), and the server's answer for this row.

use leptos::prelude::*;

use super::Removal;
use crate::i18n::{Key, saved_error};
use crate::state::i18n::use_i18n;

/// "Remove" for a hand-saved row; for a CRM-only row the server's reason
/// (`.saved__crm-only`). A refusal shows on the row (`.saved__row-error`).
#[component]
pub fn SavedRemoveButton(
    /// The row's id.
    id: String,
    /// Saved by the seat holder (only such rows can be removed).
    saved_by_hand: bool,
    /// The page's removal.
    removal: Removal,
) -> impl IntoView {
    let i18n = use_i18n();
    let pending = removal.action.pending();
    let this_row = {
        let id = id.clone();
        move || removal.row.with(|row| row.as_deref() == Some(id.as_str()))
    };
    let busy = {
        let this_row = this_row.clone();
        move || pending.get() && this_row()
    };
    let error = {
        let this_row = this_row.clone();
        move || match removal.action.value().get() {
            Some(Err(error)) if this_row() && !pending.get() => {
                Some(saved_error(i18n.locale(), &error))
            }
            _ => None,
        }
    };
    let control = if saved_by_hand {
        let label_busy = busy.clone();
        view! {
            <button
                type="button"
                class="button button--secondary saved__remove"
                disabled=move || pending.get()
                aria-busy=move || busy().then_some("true")
                on:click=move |_| {
                    removal.row.set(Some(id.clone()));
                    removal.action.dispatch(id.clone());
                }
            >
                {move || i18n.t(if label_busy() { Key::Removing } else { Key::Remove })}
            </button>
        }
        .into_any()
    } else {
        view! { <p class="saved__crm-only">{move || i18n.t(Key::SavedFromCrm)}</p> }.into_any()
    };
    view! {
        <div class="saved__actions">
            {control}
            <p class="saved__row-error" role="alert">{error}</p>
        </div>
    }
}
