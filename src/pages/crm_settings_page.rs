//! `/admin/crm-settings` (admins): connect Microsoft Dynamics 365, see the
//! connection's status, sync now and see recent runs (S5), set S1–S3,
//! replace credentials, disconnect; the writeback choices (W1, W2, W4) and
//! the matching column (R3).

use leptos::prelude::*;
use navsync_api::crm::{ConnectCrm, CrmSettings, CrmStatus, DisconnectCrm, UpdateCrmCredentials};

use crate::api::{ApiError, client};
use crate::components::crm::{
    ConnectAction, CredentialsAction, CrmConnectForm, CrmCredentialsForm, CrmDisconnect,
    CrmPrerequisites, CrmSettingsForm, CrmStatusPanel, DisconnectAction, SettingsAction,
};
use crate::components::crm::{CrmSyncPanel, CrmWriteback};
use crate::components::{ErrorView, Loading};
use crate::i18n::Key;
use crate::logic::crm::{CrmSections, sections};
use crate::state::i18n::use_i18n;

/// What the page shows: it changes only when the sections change, so a
/// refetch after a write leaves the forms (and what is typed in them) alone.
#[derive(Clone, Debug, PartialEq, Eq)]
enum View {
    Loading,
    Failed(ApiError),
    Ready(CrmSections),
}

/// The CRM status (`GET /api/admin/crm`), refetched after every write, and the
/// sections its state calls for (see [`sections`]).
#[component]
pub fn CrmSettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let connect: ConnectAction = Action::new_local(|form: &ConnectCrm| {
        let form = form.clone();
        async move { client::connect_crm(&form).await }
    });
    let update: CredentialsAction = Action::new_local(|form: &UpdateCrmCredentials| {
        let form = form.clone();
        async move { client::update_crm_credentials(&form).await }
    });
    let save: SettingsAction = Action::new_local(|settings: &CrmSettings| {
        let settings = settings.clone();
        async move { client::update_crm_settings(&settings).await }
    });
    let disconnect: DisconnectAction = Action::new_local(|form: &DisconnectCrm| {
        let form = form.clone();
        async move { client::disconnect_crm(&form).await }
    });
    let status = LocalResource::new(move || {
        connect.version().get();
        update.version().get();
        save.version().get();
        disconnect.version().get();
        client::crm_status()
    });

    let heading = NodeRef::<leptos::html::H1>::new();
    // After disconnecting, earlier results belong to the old connection; the
    // dialog and its opener are gone, so focus goes to the page's heading.
    Effect::new(move |_| {
        if let Some(Ok(_)) = disconnect.value().get() {
            connect.clear();
            update.clear();
            save.clear();
            if let Some(heading) = heading.get_untracked() {
                let _ = heading.focus();
            }
        }
    });

    let current = Memo::new(move |_| status.get().and_then(Result::ok));
    let view_state = Memo::new(move |_| match status.get() {
        None => View::Loading,
        Some(Err(error)) => View::Failed(error),
        Some(Ok(status)) => View::Ready(sections(status.state)),
    });
    let connection = Signal::derive(move || current.get().and_then(|s| s.connection));
    let problem = Signal::derive(move || current.get().and_then(|s| s.problem));
    let just_connected = Signal::derive(
        move || matches!(connect.value().get(), Some(Ok(outcome)) if outcome.connected),
    );
    let can_impersonate =
        Signal::derive(move || connection.get().is_some_and(|c| c.can_impersonate));
    let stage_choices =
        Signal::derive(move || current.get().map(|s| s.stage_choices).unwrap_or_default());
    let money_field_choices = Signal::derive(move || {
        current
            .get()
            .map(|s| s.money_field_choices)
            .unwrap_or_default()
    });

    let content = move || match view_state.get() {
        View::Loading => view! { <Loading /> }.into_any(),
        View::Failed(error) => {
            let retry = Callback::new(move |()| status.refetch());
            view! { <ErrorView error=error on_retry=retry /> }.into_any()
        }
        View::Ready(show) => {
            // The forms start from the status they were shown with.
            let Some(CrmStatus {
                settings,
                connection: start,
                ..
            }) = current.get_untracked()
            else {
                return view! { <Loading /> }.into_any();
            };
            let (tenant, client_id) = start.map(|c| (c.tenant, c.client_id)).unwrap_or_default();
            view! {
                {show.prerequisites.then(|| view! { <CrmPrerequisites /> })}
                {show.connect.then(|| view! { <CrmConnectForm connect=connect /> })}
                {show
                    .status
                    .then(|| {
                        view! {
                            <CrmStatusPanel
                                connection=connection
                                problem=Signal::derive(move || if show.problem { problem.get() } else { None })
                                just_connected=just_connected
                            />
                        }
                    })}
                {show.status.then(|| view! { <CrmSyncPanel /> })}
                {show
                    .settings
                    .then(|| {
                        view! {
                            <CrmSettingsForm
                                settings=settings
                                stage_choices=stage_choices
                                money_field_choices=money_field_choices
                                save=save
                            />
                        }
                    })}
                {show
                    .settings
                    .then(|| view! { <CrmWriteback can_impersonate=can_impersonate /> })}
                {show
                    .credentials
                    .then(|| view! { <CrmCredentialsForm tenant=tenant client_id=client_id update=update /> })}
                {show.disconnect.then(|| view! { <CrmDisconnect disconnect=disconnect /> })}
            }
                .into_any()
        }
    };

    view! {
        <section class="page crm-page">
            <h1 class="page__title" tabindex="-1" node_ref=heading>
                {move || i18n.t(Key::CrmSettings)}
            </h1>
            {content}
        </section>
    }
}
