//! "Remove seat" confirmation (`.seat-remove__dialog`).

use leptos::prelude::*;
use navsync_api::Seat;

use super::use_seats;
use crate::components::ModalDialog;
use crate::i18n::{Key, remove_seat_text};
use crate::state::i18n::use_i18n;

/// Says what removing `seat` does; "Remove seat" sends it and closes. A
/// refusal (e.g. the last admin) shows in the page's `.seats__error`.
#[component]
pub fn RemoveSeatDialog(
    /// The seat to remove.
    seat: Seat,
) -> impl IntoView {
    let i18n = use_i18n();
    let seats = use_seats();
    let close = {
        let id = seat.id.clone();
        Callback::new(move |()| seats.close_dialog(&id))
    };
    let confirm = {
        let id = seat.id.clone();
        move |_| {
            // A removed seat cannot stay selected.
            seats.selected.update(|s| {
                s.remove(&id);
            });
            seats.remove.dispatch(id.clone());
            seats.close_dialog(&id);
        }
    };
    let name = seat.name.clone();
    view! {
        <ModalDialog labelled_by="seat-remove-title" class="seat-dialog seat-remove__dialog" on_close=close>
            <h2 class="seat-dialog__title" id="seat-remove-title">
                {move || i18n.t(Key::RemoveSeat)}
            </h2>
            <p class="seat-remove__text">{move || remove_seat_text(i18n.locale(), &name)}</p>
            <div class="seat-dialog__actions">
                <button type="button" class="button button--secondary seat-dialog__cancel" on:click=move |_| close.run(())>
                    {move || i18n.t(Key::Cancel)}
                </button>
                <button type="button" class="button button--danger seat-remove__confirm" on:click=confirm>
                    {move || i18n.t(Key::RemoveSeat)}
                </button>
            </div>
        </ModalDialog>
    }
}
