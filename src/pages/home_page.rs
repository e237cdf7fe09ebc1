//! `/`: sends the signed-in person to their home page.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::Redirect;

use crate::components::Loading;
use crate::routes::home_path;
use crate::state::session::use_session;

/// Redirects admins to CRM Settings and team members to Messages.
#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    let replace = NavigateOptions {
        replace: true,
        ..Default::default()
    };
    move || match session.me() {
        Some(me) => {
            view! { <Redirect path=home_path(me.person.licence) options=replace.clone() /> }
                .into_any()
        }
        None => view! { <Loading /> }.into_any(),
    }
}
