//! Applies a route's access rule from [`crate::routes::ROUTES`].

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::Redirect;

use crate::components::{ErrorView, Loading, NoAccess};
use crate::routes::{self, Access, Gate, Page};
use crate::state::session::{SessionState, use_session};

/// Shows `children` only to visitors the route of `page` allows; otherwise
/// waits, redirects (to sign-in, or home from public pages) or says "no access".
#[component]
pub fn Guard(
    /// The page being guarded.
    page: Page,
    /// The page's view.
    children: ChildrenFn,
) -> impl IntoView {
    let session = use_session();
    let access = routes::route(page).access;
    // Memos, so the page is rebuilt only when the decision changes.
    let gate = Memo::new(move |_| routes::gate(access, session.viewer()));
    // Pages open to anyone do not depend on the session, so its failure does not hide them.
    let failure = Memo::new(move |_| match session.state() {
        SessionState::Failed(error) if access != Access::Anyone => Some(error),
        _ => None,
    });
    // Redirects replace the history entry, so Back does not bounce.
    let replace = || NavigateOptions {
        replace: true,
        ..Default::default()
    };
    move || {
        if let Some(error) = failure.get() {
            let retry = Callback::new(move |()| session.reload());
            return view! { <ErrorView error=error on_retry=retry /> }.into_any();
        }
        match gate.get() {
            Gate::Wait => view! { <Loading /> }.into_any(),
            Gate::Show => children().into_any(),
            Gate::SignIn => {
                view! { <Redirect path=routes::path(Page::SignIn) options=replace() /> }.into_any()
            }
            Gate::Home => {
                view! { <Redirect path=routes::path(Page::Home) options=replace() /> }.into_any()
            }
            Gate::Forbidden => view! { <NoAccess /> }.into_any(),
        }
    }
}
