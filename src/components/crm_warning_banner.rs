//! The CRM warning on every admin page (`.shell__crm-warning[role=alert]`):
//! the connection's lasting problem (SPEC C4) with its next step, "Sync is
//! paused" when it is, and a link to CRM Settings.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::api::client;
use crate::i18n::{Key, crm_problem_keys};
use crate::routes::{self, Page};
use crate::state::i18n::use_i18n;

/// Reads `GET /api/admin/crm/health` on load and on every navigation; shows
/// nothing while all is well or when the read fails (the pages say why).
#[component]
pub fn CrmWarningBanner() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let health = LocalResource::new(move || {
        location.pathname.track();
        client::crm_health()
    });
    move || {
        let health = health.get().and_then(Result::ok)?;
        if health.crm_warning.is_none() && !health.sync_paused {
            return None;
        }
        let problem = health.crm_warning.map(|problem| {
            let (message, next_step) = crm_problem_keys(problem.kind);
            view! {
                <p class="shell__crm-warning-message">{move || i18n.t(message)}</p>
                <p class="shell__crm-warning-next">{move || i18n.t(next_step)}</p>
            }
        });
        let paused = health.sync_paused.then(|| {
            view! { <p class="shell__crm-warning-paused">{move || i18n.t(Key::SyncPaused)}</p> }
        });
        Some(view! {
            <div class="shell__crm-warning" role="alert">
                <p class="shell__crm-warning-title">{move || i18n.t(Key::CrmWarningTitle)}</p>
                {problem}
                {paused}
                <A href=routes::path(Page::CrmSettings) attr:class="shell__crm-warning-link">
                    {move || i18n.t(Key::GoToCrmSettings)}
                </A>
            </div>
        })
    }
}
