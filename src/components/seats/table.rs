//! The seat list (`table.seats__table`), shown as cards on small screens
//! (CSS, with `data-label` for the cell labels). Rows are keyed, so a change
//! re-renders only the rows it touches.

use leptos::prelude::*;
use navsync_api::seats::NotInCrmReason;
use navsync_api::{Licence, PersonId, Seat};

use super::{SeatRow, use_seats};
use crate::i18n::Key;
use crate::logic::seats::{select_all_state, toggle_all};
use crate::state::i18n::use_i18n;

/// What identifies a row's rendering: the seat and every field it shows.
type RowKey = (
    PersonId,
    String,
    String,
    Licence,
    bool,
    bool,
    bool,
    Option<NotInCrmReason>,
);

fn row_key(seat: &Seat) -> RowKey {
    (
        seat.id.clone(),
        seat.name.clone(),
        seat.email.clone(),
        seat.licence,
        seat.crm_sync_enabled,
        seat.crm_sync_active,
        seat.in_crm,
        seat.not_in_crm_reason,
    )
}

/// The rows of one page with the header checkbox "Select all on this page"
/// (`input.seats__select-all`, indeterminate when some are selected). Only
/// team-member seats can be selected: CRM sync is theirs.
#[component]
pub fn SeatTable(
    /// The seats of the page.
    rows: Memo<Vec<Seat>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let seats = use_seats();
    let selectable = Memo::new(move |_| {
        rows.with(|rows| {
            rows.iter()
                .filter(|seat| seat.licence.is_team_member())
                .map(|seat| seat.id.clone())
                .collect::<Vec<_>>()
        })
    });
    let state = Memo::new(move |_| {
        selectable.with(|page| {
            seats
                .selected
                .with(|selected| select_all_state(page, selected))
        })
    });
    view! {
        <table class="seats__table">
            <caption class="seats__caption">{move || i18n.t(Key::SeatsCaption)}</caption>
            <thead>
                <tr>
                    <th scope="col" class="seats__head seats__head--select" data-label=move || i18n.t(Key::SelectAllOnPage)>
                        <input
                            type="checkbox"
                            class="seats__select-all"
                            aria-label=move || i18n.t(Key::SelectAllOnPage)
                            disabled=move || selectable.with(Vec::is_empty)
                            prop:checked=move || state.get().checked()
                            prop:indeterminate=move || state.get().indeterminate()
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                selectable
                                    .with_untracked(|page| {
                                        seats.selected.update(|selected| toggle_all(page, selected, on));
                                    });
                            }
                        />
                    </th>
                    <th scope="col">{move || i18n.t(Key::ColumnName)}</th>
                    <th scope="col">{move || i18n.t(Key::ColumnEmail)}</th>
                    <th scope="col">{move || i18n.t(Key::ColumnLicence)}</th>
                    <th scope="col">{move || i18n.t(Key::SeatsCrmSync)}</th>
                    <th scope="col">{move || i18n.t(Key::ColumnCrm)}</th>
                    <th scope="col" class="seats__head seats__head--actions">
                        <span class="sr-only">{move || i18n.t(Key::ColumnActions)}</span>
                    </th>
                </tr>
            </thead>
            <tbody>
                <For each=move || rows.get() key=row_key let:seat>
                    <SeatRow seat=seat />
                </For>
            </tbody>
        </table>
    }
}
