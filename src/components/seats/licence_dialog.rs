//! "Change licence type" (`.seat-licence__dialog`): a select and Save.

use leptos::prelude::*;
use navsync_api::{Licence, Seat};

use super::use_seats;
use crate::components::ModalDialog;
use crate::i18n::{Key, licence_label};
use crate::logic::seats::{licence_value, parse_licence};
use crate::state::i18n::use_i18n;

/// Asks for the new licence of `seat`. Save sends it and closes; a refusal
/// (e.g. the last admin) shows in the page's `.seats__error`.
#[component]
pub fn LicenceDialog(
    /// The seat to change.
    seat: Seat,
) -> impl IntoView {
    let i18n = use_i18n();
    let seats = use_seats();
    let choice = RwSignal::new(seat.licence);
    let close = {
        let id = seat.id.clone();
        Callback::new(move |()| seats.close_dialog(&id))
    };
    let save = {
        let (id, current) = (seat.id.clone(), seat.licence);
        move |_| {
            let licence = choice.get_untracked();
            if licence != current {
                seats.licence.dispatch((id.clone(), licence));
            }
            seats.close_dialog(&id);
        }
    };
    let options = [
        Licence::TeamMember,
        Licence::Admin,
        Licence::AdminAndTeamMember,
    ]
    .into_iter()
    .map(|licence| {
        view! {
            <option value=licence_value(licence) prop:selected=move || choice.get() == licence>
                {move || licence_label(i18n.locale(), licence)}
            </option>
        }
    })
    .collect_view();
    view! {
        <ModalDialog labelled_by="seat-licence-title" class="seat-dialog seat-licence__dialog" on_close=close>
            <h2 class="seat-dialog__title" id="seat-licence-title">
                {move || i18n.t(Key::ChangeLicence)}
            </h2>
            <p class="seat-dialog__person">{seat.name.clone()} " · " {seat.email.clone()}</p>
            <div class="field">
                <label class="field__label" for="seat-licence">
                    {move || i18n.t(Key::ColumnLicence)}
                </label>
                <select
                    class="field__input field__select"
                    id="seat-licence"
                    on:change=move |ev| {
                        if let Some(licence) = parse_licence(&event_target_value(&ev)) {
                            choice.set(licence);
                        }
                    }
                >
                    {options}
                </select>
            </div>
            <div class="seat-dialog__actions">
                <button type="button" class="button button--secondary seat-dialog__cancel" on:click=move |_| close.run(())>
                    {move || i18n.t(Key::Cancel)}
                </button>
                <button type="button" class="button button--primary seat-licence__save" on:click=save>
                    {move || i18n.t(Key::Save)}
                </button>
            </div>
        </ModalDialog>
    }
}
