//! A saved row's markers: "In CRM" (`.saved__in-crm`, a link to the CRM
//! record when there is one) and "Saved by hand" (`.saved__by-hand`).

use leptos::prelude::*;

use crate::i18n::{Key, open_in_crm};
use crate::state::i18n::use_i18n;

/// The markers of one row; nothing when it is neither in the CRM nor saved by hand.
#[component]
pub fn SavedMarkers(
    /// The row's name, for the link's accessible name.
    name: String,
    /// Linked to a CRM record.
    in_crm: bool,
    /// The CRM record's page.
    crm_url: Option<String>,
    /// Saved by the seat holder.
    saved_by_hand: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let in_crm = in_crm.then(|| match crm_url {
        Some(url) => view! {
            <a
                class="saved__marker saved__in-crm"
                href=url
                target="_blank"
                rel="noopener noreferrer"
                aria-label=move || open_in_crm(i18n.locale(), &name)
            >
                {move || i18n.t(Key::InCrm)}
            </a>
        }
        .into_any(),
        None => {
            view! { <span class="saved__marker saved__in-crm">{move || i18n.t(Key::InCrm)}</span> }
                .into_any()
        }
    });
    let by_hand = saved_by_hand.then(|| {
        view! { <span class="saved__marker saved__by-hand">{move || i18n.t(Key::SavedByHand)}</span> }
    });
    view! {
        <div class="saved__markers">
            {in_crm}
            {by_hand}
        </div>
    }
}
