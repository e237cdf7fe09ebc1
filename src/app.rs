//! The root component: context providers, the router and the shell.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, LazyRoute, lazy_route, path};

use crate::components::{Guard, Shell};
use crate::pages::{
    CrmSettingsPage, HomePage, MessagesPage, NotFoundPage, SavedAccountsPage, SavedLeadsPage,
    SeatManagementPage, SetPasswordPage, SetupPage, SignInPage, UnresolvedPage,
};
use crate::routes::Page;
use crate::state::i18n::provide_i18n;
use crate::state::session::provide_session;

/// A route whose page (with its [`Guard`]) is split into its own wasm module,
/// downloaded when the route is first visited, so the first load (the sign-in
/// page) carries only the shell, the router and the public pages
/// (`cargo xtask build` splits the wasm; BENCHMARKS.md "First load").
macro_rules! lazy_page {
    ($route:ident, $page:expr, $view:ident) => {
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                view! { <Guard page=$page><$view /></Guard> }.into_any()
            }
        }
    };
}

lazy_page!(HomeRoute, Page::Home, HomePage);
lazy_page!(CrmSettingsRoute, Page::CrmSettings, CrmSettingsPage);
lazy_page!(
    SeatManagementRoute,
    Page::SeatManagement,
    SeatManagementPage
);
lazy_page!(MessagesRoute, Page::Messages, MessagesPage);
lazy_page!(SavedLeadsRoute, Page::SavedLeads, SavedLeadsPage);
lazy_page!(SavedAccountsRoute, Page::SavedAccounts, SavedAccountsPage);
lazy_page!(SetPasswordRoute, Page::SetPassword, SetPasswordPage);
lazy_page!(UnresolvedRoute, Page::Unresolved, UnresolvedPage);

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
                    <Route path=path!("/") view={Lazy::<HomeRoute>::new()} />
                    <Route path=path!("/admin/crm-settings") view={Lazy::<CrmSettingsRoute>::new()} />
                    <Route path=path!("/admin/seats") view={Lazy::<SeatManagementRoute>::new()} />
                    <Route path=path!("/messages") view={Lazy::<MessagesRoute>::new()} />
                    <Route path=path!("/saved-leads") view={Lazy::<SavedLeadsRoute>::new()} />
                    <Route path=path!("/saved-accounts") view={Lazy::<SavedAccountsRoute>::new()} />
                    <Route path=path!("/set-password") view={Lazy::<SetPasswordRoute>::new()} />
                    <Route path=path!("/unresolved") view={Lazy::<UnresolvedRoute>::new()} />
                </Routes>
            </Shell>
        </Router>
    }
}
