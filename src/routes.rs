//! The one table of app routes: path, who may see it, and its navigation entry.
//!
//! Pure Rust (no leptos), so the access rules, the home page per licence and the
//! navigation are unit-tested natively, and tests can derive page lists from
//! [`ROUTES`]. The router in [`crate::app`] mounts one `<Route>` per entry.

use navsync_api::Licence;

use crate::i18n::Key;

/// Who may open a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone signed out; a signed-in person is sent to their home page.
    Public,
    /// Anyone, signed in or not, and nobody is sent away (a set-password
    /// link works whoever is signed in on this browser).
    Anyone,
    /// Anyone signed in.
    SignedIn,
    /// People with an admin licence.
    Admin,
    /// People with a team-member seat.
    TeamMember,
}

/// The app's pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// `/sign-in`.
    SignIn,
    /// `/setup` (first run).
    Setup,
    /// `/`: sends a signed-in person to their home page.
    Home,
    /// `/admin/crm-settings`.
    CrmSettings,
    /// `/admin/seats`.
    SeatManagement,
    /// `/messages`.
    Messages,
    /// `/saved-leads`.
    SavedLeads,
    /// `/saved-accounts`.
    SavedAccounts,
    /// `/set-password?token=…` (a one-time link from an admin).
    SetPassword,
    /// `/unresolved`: items no CRM contact matched (SPEC R2, H5); the
    /// organization's for admins, their own for seat holders.
    Unresolved,
}

/// A heading under which navigation links are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NavGroup {
    /// "Admin Settings".
    Admin,
    /// The team member's workspace.
    Workspace,
}

impl NavGroup {
    /// The group's heading.
    pub fn label(self) -> Key {
        match self {
            NavGroup::Admin => Key::AdminSettings,
            NavGroup::Workspace => Key::Workspace,
        }
    }

    /// A stable id fragment for the group's heading.
    pub fn slug(self) -> &'static str {
        match self {
            NavGroup::Admin => "admin",
            NavGroup::Workspace => "workspace",
        }
    }
}

/// One route of the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AppRoute {
    /// Which page.
    pub page: Page,
    /// Its path.
    pub path: &'static str,
    /// Who may open it.
    pub access: Access,
    /// Its navigation entry (group and label), if it has one.
    pub nav: Option<(NavGroup, Key)>,
}

/// Every route of the app, in navigation order. Unknown paths show the 404 page.
pub const ROUTES: &[AppRoute] = &[
    AppRoute {
        page: Page::SignIn,
        path: "/sign-in",
        access: Access::Public,
        nav: None,
    },
    AppRoute {
        page: Page::Setup,
        path: "/setup",
        access: Access::Public,
        nav: None,
    },
    AppRoute {
        page: Page::Home,
        path: "/",
        access: Access::SignedIn,
        nav: None,
    },
    AppRoute {
        page: Page::CrmSettings,
        path: "/admin/crm-settings",
        access: Access::Admin,
        nav: Some((NavGroup::Admin, Key::CrmSettings)),
    },
    AppRoute {
        page: Page::SeatManagement,
        path: "/admin/seats",
        access: Access::Admin,
        nav: Some((NavGroup::Admin, Key::SeatManagement)),
    },
    AppRoute {
        page: Page::Messages,
        path: "/messages",
        access: Access::TeamMember,
        nav: Some((NavGroup::Workspace, Key::Messages)),
    },
    AppRoute {
        page: Page::SavedLeads,
        path: "/saved-leads",
        access: Access::TeamMember,
        nav: Some((NavGroup::Workspace, Key::SavedLeads)),
    },
    AppRoute {
        page: Page::SavedAccounts,
        path: "/saved-accounts",
        access: Access::TeamMember,
        nav: Some((NavGroup::Workspace, Key::SavedAccounts)),
    },
    AppRoute {
        page: Page::Unresolved,
        path: "/unresolved",
        access: Access::SignedIn,
        nav: Some((NavGroup::Workspace, Key::Unresolved)),
    },
    AppRoute {
        page: Page::SetPassword,
        path: "/set-password",
        access: Access::Anyone,
        nav: None,
    },
];

/// The table entry of `page`.
pub fn route(page: Page) -> &'static AppRoute {
    ROUTES.iter().find(|r| r.page == page).unwrap_or(&ROUTES[0])
}

/// The path of `page`.
pub fn path(page: Page) -> &'static str {
    route(page).path
}

/// Whether a person with `licence` may open a route with `access`
/// (`None`: signed out).
pub fn allows(access: Access, licence: Option<Licence>) -> bool {
    match (access, licence) {
        (Access::Public | Access::Anyone, _) => true,
        (_, None) => false,
        (Access::SignedIn, Some(_)) => true,
        (Access::Admin, Some(l)) => l.is_admin(),
        (Access::TeamMember, Some(l)) => l.is_team_member(),
    }
}

/// Where `/` leads: the workspace for anyone with a seat, else the admin pages.
pub fn home_path(licence: Licence) -> &'static str {
    if licence.is_team_member() {
        path(Page::Messages)
    } else {
        path(Page::CrmSettings)
    }
}

/// What the session knows about the visitor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Viewer {
    /// Still asking the server.
    Unknown,
    /// Not signed in.
    SignedOut,
    /// Signed in with this licence.
    SignedIn(Licence),
}

/// What to do when `viewer` opens a route with `access`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// Wait for the session.
    Wait,
    /// Show the page.
    Show,
    /// Go to the sign-in page.
    SignIn,
    /// Go to the viewer's home page (signed-in people on a public page).
    Home,
    /// Show "You do not have access to this page".
    Forbidden,
}

/// Decides what happens when `viewer` opens a route with `access`.
pub fn gate(access: Access, viewer: Viewer) -> Gate {
    match (access, viewer) {
        // Nothing to wait for: the page looks the same to everyone.
        (Access::Anyone, _) => Gate::Show,
        (_, Viewer::Unknown) => Gate::Wait,
        (Access::Public, Viewer::SignedOut) => Gate::Show,
        (Access::Public, Viewer::SignedIn(_)) => Gate::Home,
        (_, Viewer::SignedOut) => Gate::SignIn,
        (access, Viewer::SignedIn(licence)) if allows(access, Some(licence)) => Gate::Show,
        (_, Viewer::SignedIn(_)) => Gate::Forbidden,
    }
}

/// The navigation for `licence`: groups in order, each with its routes.
pub fn nav(licence: Licence) -> Vec<(NavGroup, Vec<&'static AppRoute>)> {
    let mut groups: Vec<(NavGroup, Vec<&'static AppRoute>)> = Vec::new();
    for route in ROUTES {
        let Some((group, _)) = route.nav else {
            continue;
        };
        if !allows(route.access, Some(licence)) {
            continue;
        }
        match groups.iter_mut().find(|(g, _)| *g == group) {
            Some((_, routes)) => routes.push(route),
            None => groups.push((group, vec![route])),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nav_paths(licence: Licence) -> Vec<&'static str> {
        nav(licence)
            .into_iter()
            .flat_map(|(_, routes)| routes.into_iter().map(|r| r.path))
            .collect()
    }

    #[test]
    fn paths_are_unique_and_absolute() {
        for (i, a) in ROUTES.iter().enumerate() {
            assert!(a.path.starts_with('/'), "{}", a.path);
            assert!(
                ROUTES[i + 1..]
                    .iter()
                    .all(|b| b.path != a.path && b.page != a.page)
            );
        }
    }

    #[test]
    fn home_depends_on_licence() {
        assert_eq!(home_path(Licence::Admin), "/admin/crm-settings");
        assert_eq!(home_path(Licence::TeamMember), "/messages");
        assert_eq!(home_path(Licence::AdminAndTeamMember), "/messages");
    }

    #[test]
    fn navigation_follows_the_licence() {
        assert_eq!(
            nav_paths(Licence::Admin),
            ["/admin/crm-settings", "/admin/seats", "/unresolved"]
        );
        assert_eq!(
            nav_paths(Licence::TeamMember),
            [
                "/messages",
                "/saved-leads",
                "/saved-accounts",
                "/unresolved"
            ]
        );
        assert_eq!(nav_paths(Licence::AdminAndTeamMember).len(), 6);
        let groups: Vec<_> = nav(Licence::AdminAndTeamMember)
            .iter()
            .map(|(g, _)| *g)
            .collect();
        assert_eq!(groups, [NavGroup::Admin, NavGroup::Workspace]);
        assert_eq!(NavGroup::Admin.label(), Key::AdminSettings);
    }

    #[test]
    fn gates() {
        let admin = Viewer::SignedIn(Licence::Admin);
        let member = Viewer::SignedIn(Licence::TeamMember);
        assert_eq!(gate(Access::Admin, Viewer::Unknown), Gate::Wait);
        assert_eq!(gate(Access::Public, Viewer::SignedOut), Gate::Show);
        assert_eq!(gate(Access::Public, member), Gate::Home);
        assert_eq!(gate(Access::SignedIn, Viewer::SignedOut), Gate::SignIn);
        assert_eq!(gate(Access::Admin, admin), Gate::Show);
        assert_eq!(gate(Access::Admin, member), Gate::Forbidden);
        assert_eq!(gate(Access::TeamMember, admin), Gate::Forbidden);
        assert_eq!(
            gate(
                Access::TeamMember,
                Viewer::SignedIn(Licence::AdminAndTeamMember)
            ),
            Gate::Show
        );
    }

    #[test]
    fn set_password_is_shown_to_everyone_without_redirects() {
        assert_eq!(route(Page::SetPassword).access, Access::Anyone);
        assert_eq!(route(Page::SetPassword).nav, None);
        for viewer in [
            Viewer::Unknown,
            Viewer::SignedOut,
            Viewer::SignedIn(Licence::Admin),
            Viewer::SignedIn(Licence::TeamMember),
        ] {
            assert_eq!(gate(Access::Anyone, viewer), Gate::Show, "{viewer:?}");
        }
        assert!(allows(Access::Anyone, None));
        assert!(allows(Access::Anyone, Some(Licence::TeamMember)));
        // Public pages still send signed-in people home.
        assert_eq!(
            gate(Access::Public, Viewer::SignedIn(Licence::Admin)),
            Gate::Home
        );
    }

    #[test]
    fn every_page_has_a_route() {
        for page in [
            Page::SignIn,
            Page::Setup,
            Page::Home,
            Page::CrmSettings,
            Page::SeatManagement,
            Page::Messages,
            Page::SavedLeads,
            Page::SavedAccounts,
            Page::SetPassword,
            Page::Unresolved,
        ] {
            assert_eq!(route(page).page, page);
        }
    }
}
