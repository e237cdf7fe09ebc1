//! The app shell: skip link, header, navigation and `<main id="main">`.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::{ApiError, client};
use crate::components::{CrmWarningBanner, LanguageSwitch, NavMenu, nav_menu::NAV_ID};
use crate::i18n::{Key, api_error};
use crate::routes::{self, Page};
use crate::state::i18n::use_i18n;
use crate::state::session::{SessionState, use_session};

/// Wraps the routed pages. The header always holds the brand and language
/// switch; signed in, it adds the organization, the person, sign-out and the
/// navigation (behind a menu button on small screens).
#[component]
pub fn Shell(
    /// The routed pages.
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let menu_open = RwSignal::new(false);
    let menu_button = NodeRef::<leptos::html::Button>::new();

    let sign_out = Action::new_local(|_: &()| client::sign_out());
    Effect::new(move |_| {
        // A 401 means the session had ended already: signed out either way.
        if let Some(Ok(()) | Err(ApiError::Server { status: 401, .. })) = sign_out.value().get() {
            session.signed_out();
            menu_open.set(false);
            navigate(routes::path(Page::SignIn), Default::default());
        }
    });
    let sign_out_error = move || match sign_out.value().get() {
        Some(Err(error)) if error.status() != Some(401) => Some(api_error(i18n.locale(), &error)),
        _ => None,
    };

    let escape = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" && menu_open.get_untracked() {
            menu_open.set(false);
            if let Some(button) = menu_button.get_untracked() {
                let _ = button.focus();
            }
        }
    });
    on_cleanup(move || escape.remove());

    let me = Memo::new(move |_| session.me());
    let signed_in_header = move || {
        me.get().map(|me| {
            view! {
                <button
                    type="button"
                    class="shell__menu-button"
                    node_ref=menu_button
                    aria-expanded=move || if menu_open.get() { "true" } else { "false" }
                    aria-controls=NAV_ID
                    on:click=move |_| menu_open.update(|open| *open = !*open)
                >
                    <span class="shell__menu-icon" aria-hidden="true"></span>
                    {move || i18n.t(Key::Menu)}
                </button>
                <span class="shell__org">{me.organization.name}</span>
                <span class="shell__person">{me.person.name}</span>
            }
        })
    };
    let sign_out_button = move || {
        me.with(Option::is_some).then(|| {
            view! {
                <button
                    type="button"
                    class="button button--secondary shell__sign-out"
                    disabled=move || sign_out.pending().get()
                    on:click=move |_| {
                        sign_out.dispatch(());
                    }
                >
                    {move || {
                        i18n.t(if sign_out.pending().get() { Key::SigningOut } else { Key::SignOut })
                    }}
                </button>
            }
        })
    };
    // Admins see the CRM's lasting problem on every page.
    let is_admin = Memo::new(move |_| {
        me.with(|me| me.as_ref().is_some_and(|me| me.person.licence.is_admin()))
    });
    let crm_warning = move || is_admin.get().then(|| view! { <CrmWarningBanner /> });
    let nav = move || {
        me.get()
            .map(|me| view! { <NavMenu licence=me.person.licence open=menu_open /> })
    };

    view! {
        // Until the server has said who this is, the body is laid out but not
        // shown: the signed-in header (menu, organization, person) would
        // otherwise push already painted content down (layout shift).
        <div
            class="shell"
            class:shell--signed-in=move || me.with(Option::is_some)
            class:shell--loading=move || session.state() == SessionState::Loading
        >
            <a class="skip-link" href="#main">
                {move || i18n.t(Key::SkipToContent)}
            </a>
            <header class="shell__header">
                <div class="shell__identity">
                    <span class="shell__brand">{move || i18n.t(Key::AppName)}</span>
                    {signed_in_header}
                </div>
                <div class="shell__actions">
                    <LanguageSwitch />
                    {sign_out_button}
                </div>
                {move || sign_out_error().map(|message| view! { <p class="shell__error" role="alert">{message}</p> })}
            </header>
            <div class="shell__body">
                {nav}
                <main id="main" class="shell__main" tabindex="-1">
                    {crm_warning}
                    {children()}
                </main>
            </div>
        </div>
    }
}
