//! The first-run set-up form (`form.setup__form`).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use navsync_api::{ErrorBody, FieldError, SetUpOrganization};

use crate::api::{ApiError, client};
use crate::components::TextField;
use crate::i18n::{self, Key, api_error};
use crate::logic::forms::{error_for, parse_count};
use crate::state::i18n::use_i18n;
use crate::state::session::use_session;

/// The fields of [`SetUpOrganization`], checked with its `validate()`;
/// the server's field errors are shown on the same fields. On success the
/// new admin is signed in and the route guard takes them home.
#[component]
pub fn SetupForm() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let organization_name = RwSignal::new(String::new());
    let seat_limit = RwSignal::new(String::from("10"));
    let admin_name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let also_team_member = RwSignal::new(true);
    let errors = RwSignal::new(Vec::<FieldError>::new());

    let submit = Action::new_local(|form: &SetUpOrganization| {
        let form = form.clone();
        async move { client::set_up(&form).await }
    });
    let pending = submit.pending();
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(me)) => session.signed_in(me),
        Some(Err(ApiError::Server {
            body: ErrorBody {
                fields: Some(fields),
                ..
            },
            ..
        })) => errors.set(fields),
        _ => {}
    });
    let server_error = move || match submit.value().get() {
        Some(Err(error)) => Some(api_error(i18n.locale(), &error)),
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
        let form = SetUpOrganization {
            organization_name: organization_name.get_untracked().trim().to_owned(),
            seat_limit: parse_count(&seat_limit.get_untracked()),
            admin_name: admin_name.get_untracked().trim().to_owned(),
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
            also_team_member: also_team_member.get_untracked(),
        };
        match form.validate() {
            Ok(()) => {
                errors.set(Vec::new());
                submit.dispatch(form);
            }
            Err(fields) => errors.set(fields),
        }
    };

    view! {
        <form class="setup__form" novalidate on:submit=on_submit>
            <TextField
                id="setup-organization-name"
                label=Key::OrganizationName
                autocomplete="organization"
                value=organization_name
                error=field_error("organization_name")
            />
            <TextField
                id="setup-seat-limit"
                label=Key::SeatCount
                kind="number"
                autocomplete="off"
                value=seat_limit
                error=field_error("seat_limit")
            />
            <TextField
                id="setup-admin-name"
                label=Key::YourName
                autocomplete="name"
                value=admin_name
                error=field_error("admin_name")
            />
            <TextField
                id="setup-email"
                label=Key::Email
                kind="email"
                autocomplete="username"
                value=email
                error=field_error("email")
            />
            <TextField
                id="setup-password"
                label=Key::Password
                kind="password"
                autocomplete="new-password"
                value=password
                error=field_error("password")
                hint=Key::PasswordHint
            />
            <div class="checkbox">
                <input
                    class="checkbox__input"
                    type="checkbox"
                    id="setup-also-team-member"
                    prop:checked=move || also_team_member.get()
                    on:change=move |ev| also_team_member.set(event_target_checked(&ev))
                />
                <label class="checkbox__label" for="setup-also-team-member">
                    {move || i18n.t(Key::AlsoTeamMember)}
                </label>
            </div>
            <div class="setup__alert" role="alert">
                {move || server_error().map(|message| view! { <p class="form-error">{message}</p> })}
            </div>
            <button
                type="submit"
                class="button button--primary setup__submit"
                disabled=move || pending.get()
                aria-busy=move || pending.get().then_some("true")
            >
                {move || i18n.t(if pending.get() { Key::SettingUp } else { Key::SetupSubmit })}
            </button>
        </form>
    }
}
