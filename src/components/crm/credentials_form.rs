//! "Update credentials": replace the app registration without disconnecting
//! (`details.crm-credentials`).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use navsync_api::{ErrorBody, FieldError};

use super::{CredentialsAction, CrmProblemAlert};
use crate::api::ApiError;
use crate::components::TextField;
use crate::i18n::{self, Key, api_error};
use crate::logic::crm::{credentials_request, outcome_problem};
use crate::logic::forms::error_for;
use crate::state::i18n::use_i18n;

/// A disclosure with tenant, client ID (both prefilled) and a new client
/// secret, checked with `UpdateCrmCredentials::validate()`. A refusal shows
/// the problem (the old credentials stay in use); a success says so and
/// empties the secret field.
#[component]
pub fn CrmCredentialsForm(
    /// The connection's tenant.
    tenant: String,
    /// The connection's client ID.
    client_id: String,
    /// The page's update-credentials action.
    update: CredentialsAction,
) -> impl IntoView {
    let i18n = use_i18n();
    let tenant = RwSignal::new(tenant);
    let client_id = RwSignal::new(client_id);
    let client_secret = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let updated = RwSignal::new(false);

    let pending = update.pending();
    Effect::new(move |_| match update.value().get() {
        Some(Ok(outcome)) if outcome.connected => {
            client_secret.set(String::new());
            updated.set(true);
        }
        Some(Err(ApiError::Server {
            body: ErrorBody {
                fields: Some(fields),
                ..
            },
            ..
        })) => errors.set(fields),
        _ => {}
    });
    let problem = move || match update.value().get() {
        Some(Ok(outcome)) if !pending.get() => outcome_problem(&outcome),
        _ => None,
    };
    let server_error = move || match update.value().get() {
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
        updated.set(false);
        let form = credentials_request(
            &tenant.get_untracked(),
            &client_id.get_untracked(),
            &client_secret.get_untracked(),
        );
        match form.validate() {
            Ok(()) => {
                errors.set(Vec::new());
                update.dispatch(form);
            }
            Err(fields) => errors.set(fields),
        }
    };

    view! {
        <details class="crm-card crm-credentials">
            <summary class="crm-credentials__summary">{move || i18n.t(Key::CrmUpdateCredentials)}</summary>
            <p class="crm-credentials__intro">{move || i18n.t(Key::CrmUpdateCredentialsIntro)}</p>
            <form class="crm-credentials__form" novalidate on:submit=on_submit>
                <TextField
                    id="crm-update-tenant"
                    label=Key::CrmTenant
                    autocomplete="off"
                    value=tenant
                    error=field_error("tenant")
                    hint=Key::CrmTenantHint
                />
                <TextField
                    id="crm-update-client-id"
                    label=Key::CrmClientId
                    autocomplete="off"
                    value=client_id
                    error=field_error("client_id")
                    hint=Key::CrmClientIdHint
                />
                <TextField
                    id="crm-update-client-secret"
                    label=Key::CrmClientSecret
                    kind="password"
                    autocomplete="off"
                    value=client_secret
                    error=field_error("client_secret")
                />
                {move || problem().map(|problem| view! { <CrmProblemAlert problem=problem /> })}
                <div class="crm-credentials__alert" role="alert">
                    {move || server_error().map(|message| view! { <p class="form-error">{message}</p> })}
                </div>
                <div class="crm-credentials__actions">
                    <button
                        type="submit"
                        class="button button--primary crm-credentials__submit"
                        disabled=move || pending.get()
                        aria-busy=move || pending.get().then_some("true")
                    >
                        {move || i18n.t(if pending.get() { Key::CrmVerifying } else { Key::CrmUpdateCredentials })}
                    </button>
                    {move || {
                        updated
                            .get()
                            .then(|| {
                                view! {
                                    <p class="crm-credentials__updated" role="status">
                                        {move || i18n.t(Key::CrmCredentialsUpdated)}
                                    </p>
                                }
                            })
                    }}
                </div>
            </form>
        </details>
    }
}
