//! One saved account (`li.saved__row`): name, won value, markers and its notes.

use leptos::prelude::*;
use navsync_api::sync::SavedAccount;

use super::{Removal, SavedMarkers, SavedRemoveButton};
use crate::components::notes::{Notes, NotesPanel};
use crate::i18n::{Key, amount};
use crate::state::i18n::use_i18n;
use navsync_api::messages::NoteSubject;

/// The account as a row (a card on small screens); the won value (S3) is
/// formatted for the current language when the server has one.
#[component]
pub fn SavedAccountRow(
    /// The account.
    account: SavedAccount,
    /// The page's removal.
    removal: Removal,
    /// The page's notes.
    notes: Notes,
) -> impl IntoView {
    let i18n = use_i18n();
    let won = account.won_value.map(|value| {
        view! {
            <span class="saved__detail saved__won-value">
                {move || i18n.t(Key::WonValue)}
                ": "
                {move || amount(i18n.locale(), value)}
            </span>
        }
    });
    view! {
        <li class="saved__row">
            <div class="saved__main">
                <p class="saved__name">{account.name.clone()}</p>
                <p class="saved__details">{won}</p>
            </div>
            <SavedMarkers
                name=account.name.clone()
                in_crm=account.in_crm
                crm_url=account.crm_url
                saved_by_hand=account.saved_by_hand
            />
            <SavedRemoveButton id=account.id.clone() saved_by_hand=account.saved_by_hand removal=removal />
            <NotesPanel notes=notes kind=NoteSubject::Account subject_id=account.id name=account.name />
        </li>
    }
}
