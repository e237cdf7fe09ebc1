//! SPEC C1: what must be in place before connecting (`section.crm-prerequisites`).

use leptos::prelude::*;

use crate::i18n::Key;
use crate::state::i18n::use_i18n;

/// Dynamics 365 online 8.2+, the Integration User's app registration and its
/// security role.
#[component]
pub fn CrmPrerequisites() -> impl IntoView {
    let i18n = use_i18n();
    let items = [
        Key::CrmPrerequisiteOnline,
        Key::CrmPrerequisiteAppRegistration,
        Key::CrmPrerequisiteRole,
    ]
    .into_iter()
    .map(|key| view! { <li class="crm-prerequisites__item">{move || i18n.t(key)}</li> })
    .collect_view();
    view! {
        <section class="crm-card crm-prerequisites" aria-labelledby="crm-prerequisites-title">
            <h2 class="crm-card__title" id="crm-prerequisites-title">
                {move || i18n.t(Key::CrmPrerequisitesTitle)}
            </h2>
            <ul class="crm-prerequisites__list">{items}</ul>
        </section>
    }
}
