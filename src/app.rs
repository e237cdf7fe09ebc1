//! The root component: context providers, the router and the shell.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::{Guard, Shell};
use crate::pages::{
    CrmSettingsPage, HomePage, MessagesPage, NotFoundPage, SavedAccountsPage, SavedLeadsPage,
    SeatManagementPage, SetPasswordPage, SetupPage, SignInPage, UnresolvedPage,
};
use crate::routes::Page;
use crate::state::i18n::provide_i18n;
use crate::state::session::provide_session;

/// The whole app. Each `<Route>` mirrors one entry of [`crate::routes::ROUTES`]
/// (same path) and is wrapped in a [`Guard`] that applies the entry's access.
#[component]
pub fn App() -> impl IntoView {
    let i18n = provide_i18n();
    provide_session(i18n);
    view! {
        <Router>
            <Shell>
                <Routes fallback=|| view! { <NotFoundPage /> }>
                    <Route
                        path=path!("/sign-in")
                        view=|| view! { <Guard page=Page::SignIn><SignInPage /></Guard> }
                    />
                    <Route
                        path=path!("/setup")
                        view=|| view! { <Guard page=Page::Setup><SetupPage /></Guard> }
                    />
                    <Route path=path!("/") view=|| view! { <Guard page=Page::Home><HomePage /></Guard> } />
                    <Route
                        path=path!("/admin/crm-settings")
                        view=|| view! { <Guard page=Page::CrmSettings><CrmSettingsPage /></Guard> }
                    />
                    <Route
                        path=path!("/admin/seats")
                        view=|| view! { <Guard page=Page::SeatManagement><SeatManagementPage /></Guard> }
                    />
                    <Route
                        path=path!("/messages")
                        view=|| view! { <Guard page=Page::Messages><MessagesPage /></Guard> }
                    />
                    <Route
                        path=path!("/saved-leads")
                        view=|| view! { <Guard page=Page::SavedLeads><SavedLeadsPage /></Guard> }
                    />
                    <Route
                        path=path!("/saved-accounts")
                        view=|| view! { <Guard page=Page::SavedAccounts><SavedAccountsPage /></Guard> }
                    />
                    <Route
                        path=path!("/set-password")
                        view=|| view! { <Guard page=Page::SetPassword><SetPasswordPage /></Guard> }
                    />
                    <Route
                        path=path!("/unresolved")
                        view=|| view! { <Guard page=Page::Unresolved><UnresolvedPage /></Guard> }
                    />
                </Routes>
            </Shell>
        </Router>
    }
}
