//! "Save a lead": the hand-save form (`details.saved__form`), checked with
//! `SaveLead::validate()` before it is sent.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use navsync_api::sync::SaveLead;
use navsync_api::{ErrorBody, FieldError};

use super::SaveLeadAction;
use crate::api::ApiError;
use crate::components::TextField;
use crate::i18n::{self, Key, saved_error};
use crate::logic::forms::error_for;
use crate::logic::sync::optional;
use crate::state::i18n::use_i18n;

/// First name, last name, email, company and an optional CRM record ID;
/// after a save the fields empty and "Saved." is announced.
#[component]
pub fn SaveLeadForm(
    /// The page's save action.
    save: SaveLeadAction,
) -> impl IntoView {
    let i18n = use_i18n();
    let first_name = RwSignal::new(String::new());
    let last_name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let company = RwSignal::new(String::new());
    let crm_id = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let pending = save.pending();

    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => {
            for field in [first_name, last_name, email, company, crm_id] {
                field.set(String::new());
            }
            errors.set(Vec::new());
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
    let done = move || matches!(save.value().get(), Some(Ok(()))) && !pending.get();
    let server_error = move || match save.value().get() {
        Some(Err(error)) if !pending.get() => Some(saved_error(i18n.locale(), &error)),
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
        let form = SaveLead {
            first_name: first_name.get_untracked().trim().to_owned(),
            last_name: last_name.get_untracked().trim().to_owned(),
            email: optional(&email.get_untracked()),
            company: optional(&company.get_untracked()),
            crm_id: optional(&crm_id.get_untracked()),
        };
        match form.validate() {
            Ok(()) => {
                errors.set(Vec::new());
                save.dispatch(form);
            }
            Err(fields) => errors.set(fields),
        }
    };

    view! {
        <details class="saved__form">
            <summary class="saved__form-summary">{move || i18n.t(Key::SaveLeadTitle)}</summary>
            <form class="saved__form-fields" novalidate on:submit=on_submit>
                <TextField
                    id="saved-lead-first-name"
                    label=Key::FirstName
                    autocomplete="off"
                    value=first_name
                    error=field_error("first_name")
                />
                <TextField
                    id="saved-lead-last-name"
                    label=Key::LastName
                    autocomplete="off"
                    value=last_name
                    error=field_error("last_name")
                />
                <TextField
                    id="saved-lead-email"
                    label=Key::Email
                    kind="email"
                    autocomplete="off"
                    value=email
                    error=field_error("email")
                />
                <TextField
                    id="saved-lead-company"
                    label=Key::Company
                    autocomplete="off"
                    value=company
                    error=field_error("company")
                />
                <TextField
                    id="saved-lead-crm-id"
                    label=Key::CrmRecordId
                    autocomplete="off"
                    value=crm_id
                    error=field_error("crm_id")
                    hint=Key::CrmRecordIdHint
                />
                <div class="saved__form-alert" role="alert">
                    {move || server_error().map(|message| view! { <p class="form-error">{message}</p> })}
                </div>
                <div class="saved__form-actions">
                    <button
                        type="submit"
                        class="button button--primary saved__save"
                        disabled=move || pending.get()
                        aria-busy=move || pending.get().then_some("true")
                    >
                        {move || i18n.t(if pending.get() { Key::Saving } else { Key::SaveLeadTitle })}
                    </button>
                    <p class="saved__saved" role="status">
                        {move || done().then(|| i18n.t(Key::SavedDone))}
                    </p>
                </div>
            </form>
        </details>
    }
}
