//! One seat (`tr.seats__row[data-email]`).

use leptos::prelude::*;
use navsync_api::Seat;

use super::{SeatRowMenu, use_seats};
use crate::i18n::{Key, licence_label, not_in_crm_key, select_label};
use crate::logic::seats::toggle_one;
use crate::state::i18n::use_i18n;

/// Checkbox, name, email, licence, CRM sync state, the "In CRM" badge (or why
/// not) and the "…" menu.
#[component]
pub fn SeatRow(
    /// The seat.
    seat: Seat,
) -> impl IntoView {
    let i18n = use_i18n();
    let seats = use_seats();
    let id = seat.id.clone();
    let selectable = seat.licence.is_team_member();
    let checked = {
        let id = id.clone();
        move || seats.selected.with(|s| s.contains(&id))
    };
    let on_change = {
        let id = id.clone();
        move |ev| {
            let on = event_target_checked(&ev);
            seats.selected.update(|s| toggle_one(&id, s, on));
        }
    };
    let name = seat.name.clone();
    let select_name = move || select_label(i18n.locale(), &name);
    let licence = seat.licence;
    let active = seat.crm_sync_active;
    let crm = if seat.in_crm {
        view! { <span class="seats__badge seats__badge--in-crm">{move || i18n.t(Key::InCrm)}</span> }
            .into_any()
    } else {
        let key = seat.not_in_crm_reason.map(not_in_crm_key);
        view! { <span class="seats__reason">{move || key.map(|key| i18n.t(key))}</span> }.into_any()
    };
    let (name, email) = (seat.name.clone(), seat.email.clone());
    let data_email = seat.email.clone();
    view! {
        <tr class="seats__row" data-email=data_email>
            <td class="seats__cell seats__cell--select">
                <input
                    type="checkbox"
                    class="seats__select"
                    aria-label=select_name
                    disabled=!selectable
                    prop:checked=checked
                    on:change=on_change
                />
            </td>
            <th scope="row" class="seats__cell seats__cell--name" data-label=move || i18n.t(Key::ColumnName)>
                {name}
            </th>
            <td class="seats__cell seats__cell--email" data-label=move || i18n.t(Key::ColumnEmail)>
                {email}
            </td>
            <td class="seats__cell" data-label=move || i18n.t(Key::ColumnLicence)>
                {move || licence_label(i18n.locale(), licence)}
            </td>
            <td class="seats__cell seats__cell--sync" data-label=move || i18n.t(Key::SeatsCrmSync)>
                {move || i18n.t(if active { Key::SyncOn } else { Key::SyncOff })}
            </td>
            <td class="seats__cell seats__cell--crm" data-label=move || i18n.t(Key::ColumnCrm)>
                {crm}
            </td>
            <td class="seats__cell seats__cell--actions">
                <SeatRowMenu seat=seat />
            </td>
        </tr>
    }
}
