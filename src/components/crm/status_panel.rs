//! SPEC C3: the connection's status block (`section.crm-status`).

use leptos::prelude::*;
use navsync_api::Locale;
use navsync_api::crm::{CrmConnection, CrmProblem};

use super::CrmProblemAlert;
use crate::i18n::{Key, date_time};
use crate::logic::crm::local_time;
use crate::state::i18n::use_i18n;

/// "Connected to Microsoft Dynamics", "Successfully connected, sync in
/// progress" right after connecting, the environment's details and "Last
/// sync:" in the viewer's local time; in the warning state, the problem.
#[component]
pub fn CrmStatusPanel(
    /// The connected environment.
    #[prop(into)]
    connection: Signal<Option<CrmConnection>>,
    /// The lasting problem (warning state).
    #[prop(into)]
    problem: Signal<Option<CrmProblem>>,
    /// Whether this page has just connected.
    #[prop(into)]
    just_connected: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let heading = NodeRef::<leptos::html::H2>::new();
    // After connecting the form is gone: move focus to what replaced it.
    Effect::new(move |_| {
        if let Some(heading) = heading.get()
            && just_connected.get_untracked()
        {
            let _ = heading.focus();
        }
    });
    let when = move |at: &str| format_time(i18n.locale(), at);
    let details = move || {
        connection.get().map(|c| {
            let connected_at = when(&c.connected_at);
            let updated_at = c.credentials_updated_at.as_deref().map(when);
            let last_sync = c
                .last_sync_at
                .as_deref()
                .map(when)
                .unwrap_or_else(|| i18n.t(Key::CrmNoSyncYet).to_owned());
            view! {
                <dl class="crm-status__details">
                    <div class="crm-status__row">
                        <dt class="crm-status__term">{i18n.t(Key::CrmEnvironmentUrl)}</dt>
                        <dd class="crm-status__value crm-status__url">
                            <a href=c.environment_url.clone() target="_blank" rel="noopener noreferrer">
                                {c.environment_url.clone()}
                            </a>
                        </dd>
                    </div>
                    <div class="crm-status__row">
                        <dt class="crm-status__term">{i18n.t(Key::CrmOrganization)}</dt>
                        <dd class="crm-status__value crm-status__organization">{c.organization_name}</dd>
                    </div>
                    <div class="crm-status__row">
                        <dt class="crm-status__term">{i18n.t(Key::CrmVersion)}</dt>
                        <dd class="crm-status__value crm-status__version">{c.version}</dd>
                    </div>
                    <div class="crm-status__row">
                        <dt class="crm-status__term">{i18n.t(Key::CrmConnectedBy)}</dt>
                        <dd class="crm-status__value crm-status__connected-by">{c.connected_by}</dd>
                    </div>
                    <div class="crm-status__row">
                        <dt class="crm-status__term">{i18n.t(Key::CrmConnectedAt)}</dt>
                        <dd class="crm-status__value crm-status__connected-at">{connected_at}</dd>
                    </div>
                    {updated_at
                        .map(|at| {
                            view! {
                                <div class="crm-status__row">
                                    <dt class="crm-status__term">{i18n.t(Key::CrmCredentialsUpdatedAt)}</dt>
                                    <dd class="crm-status__value crm-status__credentials-updated">{at}</dd>
                                </div>
                            }
                        })}
                </dl>
                <p class="crm-status__last-sync">
                    <span class="crm-status__last-sync-label">{i18n.t(Key::CrmLastSync)}</span>
                    " "
                    <span class="crm-status__last-sync-at">{last_sync}</span>
                </p>
            }
        })
    };
    view! {
        <section class="crm-card crm-status" aria-labelledby="crm-status-title">
            <h2 class="crm-card__title crm-status__title" id="crm-status-title" tabindex="-1" node_ref=heading>
                {move || i18n.t(Key::CrmConnectedTitle)}
            </h2>
            <div class="crm-status__progress" role="status">
                {move || {
                    just_connected
                        .get()
                        .then(|| view! { <p class="crm-status__just-connected">{i18n.t(Key::CrmJustConnected)}</p> })
                }}
            </div>
            {move || problem.get().map(|problem| view! { <CrmProblemAlert problem=problem /> })}
            {details}
        </section>
    }
}

/// A server timestamp in the viewer's local time, or as sent if unreadable.
fn format_time(locale: Locale, at: &str) -> String {
    local_time(at).map_or_else(|| at.to_owned(), |local| date_time(locale, &local))
}
