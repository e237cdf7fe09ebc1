//! The main navigation, built from [`crate::routes::nav`].

use leptos::prelude::*;
use leptos_router::components::A;
use navsync_api::Licence;

use crate::i18n::Key;
use crate::routes;
use crate::state::i18n::use_i18n;

/// The element id of the navigation (the menu button's `aria-controls`).
pub const NAV_ID: &str = "shell-nav";

/// Links to the pages `licence` may open, grouped; the current one carries
/// `aria-current="page"`. Choosing a link closes the small-screen menu.
#[component]
pub fn NavMenu(
    /// The signed-in person's licence.
    licence: Licence,
    /// Whether the small-screen menu is open.
    open: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let groups = routes::nav(licence)
        .into_iter()
        .map(|(group, links)| {
            let heading_id = format!("nav-group-{}", group.slug());
            let links = links
                .into_iter()
                .map(|route| {
                    let label = route.nav.map_or(Key::AppName, |(_, label)| label);
                    view! {
                        <li class="shell__nav-item">
                            <A href=route.path>{move || i18n.t(label)}</A>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class="shell__nav-group">
                    <p class="shell__nav-heading" id=heading_id.clone()>
                        {move || i18n.t(group.label())}
                    </p>
                    <ul class="shell__nav-list" aria-labelledby=heading_id>
                        {links}
                    </ul>
                </div>
            }
        })
        .collect_view();
    view! {
        <nav
            id=NAV_ID
            class="shell__nav"
            class:shell__nav--open=move || open.get()
            aria-label=move || i18n.t(Key::MainNavigation)
            on:click=move |ev| {
                // Clicks bubble up from the links: close the menu after a choice.
                let on_link = event_target::<web_sys::Element>(&ev).closest("a").ok().flatten().is_some();
                if on_link {
                    open.set(false);
                }
            }
        >
            {groups}
        </nav>
    }
}
