//! SPEC C2 "Connect to CRM" (`section.crm-connect`, `form.crm-connect__form`).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use navsync_api::{ErrorBody, FieldError};

use super::{ConnectAction, CrmProblemAlert};
use crate::api::ApiError;
use crate::components::TextField;
use crate::i18n::{self, Key, api_error};
use crate::logic::crm::{connect_request, outcome_problem};
use crate::logic::forms::error_for;
use crate::state::i18n::use_i18n;

/// The environment URL and the Integration User's app registration, checked
/// with `ConnectCrm::validate()` before sending. While the server verifies
/// (which can take seconds) the button says so. A refusal shows the problem
/// and keeps everything typed, the secret too, so a retry is one click.
#[component]
pub fn CrmConnectForm(
    /// The page's connect action; a success refetches the page's status.
    connect: ConnectAction,
) -> impl IntoView {
    let i18n = use_i18n();
    let environment_url = RwSignal::new(String::new());
    let tenant = RwSignal::new(String::new());
    let client_id = RwSignal::new(String::new());
    let client_secret = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());

    let pending = connect.pending();
    // Between a success and the refreshed status the form stays busy.
    let connected = move || matches!(connect.value().get(), Some(Ok(outcome)) if outcome.connected);
    let busy = move || pending.get() || connected();
    Effect::new(move |_| {
        if let Some(Err(ApiError::Server {
            body: ErrorBody {
                fields: Some(fields),
                ..
            },
            ..
        })) = connect.value().get()
        {
            errors.set(fields);
        }
    });
    let problem = move || match connect.value().get() {
        Some(Ok(outcome)) if !pending.get() => outcome_problem(&outcome),
        _ => None,
    };
    let server_error = move || match connect.value().get() {
        Some(Err(error)) if !pending.get() => Some(api_error(i18n.locale(), &error)),
        _ => None,
    };
    let field_error = move |field: &'static str| {
        Signal::derive(move || {
            errors.with(|list| error_for(list, field).map(|e| i18n::field_error(i18n.locale(), e)))
        })
    };

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let form = connect_request(
            &environment_url.get_untracked(),
            &tenant.get_untracked(),
            &client_id.get_untracked(),
            &client_secret.get_untracked(),
        );
        match form.validate() {
            Ok(()) => {
                errors.set(Vec::new());
                connect.dispatch(form);
            }
            Err(fields) => errors.set(fields),
        }
    };

    view! {
        <section class="crm-card crm-connect" aria-labelledby="crm-connect-title">
            <h2 class="crm-card__title" id="crm-connect-title">{move || i18n.t(Key::ConnectToCrm)}</h2>
            <p class="crm-connect__intro">{move || i18n.t(Key::CrmConnectIntro)}</p>
            <p class="crm-connect__recommendation">{move || i18n.t(Key::CrmRecommendation)}</p>
            <form class="crm-connect__form" novalidate on:submit=on_submit>
                <TextField
                    id="crm-environment-url"
                    label=Key::CrmEnvironmentUrl
                    kind="url"
                    autocomplete="url"
                    value=environment_url
                    error=field_error("environment_url")
                    hint=Key::CrmEnvironmentUrlHint
                    placeholder="https://yourorg.crm4.dynamics.com"
                />
                <TextField
                    id="crm-tenant"
                    label=Key::CrmTenant
                    autocomplete="off"
                    value=tenant
                    error=field_error("tenant")
                    hint=Key::CrmTenantHint
                />
                <TextField
                    id="crm-client-id"
                    label=Key::CrmClientId
                    autocomplete="off"
                    value=client_id
                    error=field_error("client_id")
                    hint=Key::CrmClientIdHint
                />
                <TextField
                    id="crm-client-secret"
                    label=Key::CrmClientSecret
                    kind="password"
                    autocomplete="off"
                    value=client_secret
                    error=field_error("client_secret")
                />
                {move || problem().map(|problem| view! { <CrmProblemAlert problem=problem /> })}
                <div class="crm-connect__alert" role="alert">
                    {move || server_error().map(|message| view! { <p class="form-error">{message}</p> })}
                </div>
                <button
                    type="submit"
                    class="button button--primary crm-connect__submit"
                    disabled=busy
                    aria-busy=move || busy().then_some("true")
                >
                    {move || i18n.t(if busy() { Key::CrmVerifying } else { Key::ConnectToCrm })}
                </button>
            </form>
        </section>
    }
}
