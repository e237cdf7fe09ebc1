//! The read-only seat list: a table, shown as cards on small screens (CSS).

use leptos::prelude::*;
use navsync_api::SeatPage;

use crate::i18n::{Key, licence_label};
use crate::state::i18n::use_i18n;

/// The seats of one page: name, email and licence type.
#[component]
pub fn SeatTable(
    /// The page of seats to show.
    page: SeatPage,
) -> impl IntoView {
    let i18n = use_i18n();
    if page.items.is_empty() {
        return view! { <p class="seats__empty">{move || i18n.t(Key::SeatsEmpty)}</p> }.into_any();
    }
    let rows = page
        .items
        .into_iter()
        .map(|seat| {
            let licence = seat.licence;
            view! {
                <tr class="seats__row">
                    <th scope="row" class="seats__cell seats__cell--name" data-label=move || i18n.t(Key::ColumnName)>
                        {seat.name}
                    </th>
                    <td class="seats__cell" data-label=move || i18n.t(Key::ColumnEmail)>
                        {seat.email}
                    </td>
                    <td class="seats__cell" data-label=move || i18n.t(Key::ColumnLicence)>
                        {move || licence_label(i18n.locale(), licence)}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="seats__table">
            <caption class="seats__caption">{move || i18n.t(Key::SeatsCaption)}</caption>
            <thead>
                <tr>
                    <th scope="col">{move || i18n.t(Key::ColumnName)}</th>
                    <th scope="col">{move || i18n.t(Key::ColumnEmail)}</th>
                    <th scope="col">{move || i18n.t(Key::ColumnLicence)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}
