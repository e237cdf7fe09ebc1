//! Who is signed in, in context.
//!
//! Loaded once at start (`GET /api/me`) and then written by sign-in, set-up and
//! sign-out. It is app state rather than a page read, so it lives in a signal
//! instead of a `LocalResource`; route guards derive from it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use navsync_api::Me;

use crate::api::{ApiError, client};
use crate::routes::Viewer;
use crate::state::i18n::I18n;

/// What the app knows about the session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionState {
    /// Asking the server.
    Loading,
    /// Nobody is signed in.
    SignedOut,
    /// Signed in.
    SignedIn(Me),
    /// The server could not tell (network or server error).
    Failed(ApiError),
}

/// Handle on the session (cheap to copy).
#[derive(Clone, Copy)]
pub struct Session {
    state: RwSignal<SessionState>,
    i18n: I18n,
}

impl Session {
    /// The session state (tracked).
    pub fn state(&self) -> SessionState {
        self.state.get()
    }

    /// The signed-in person and organization (tracked).
    pub fn me(&self) -> Option<Me> {
        self.state.with(|s| match s {
            SessionState::SignedIn(me) => Some(me.clone()),
            _ => None,
        })
    }

    /// Whether someone is signed in, without subscribing.
    pub fn is_signed_in_untracked(&self) -> bool {
        self.state
            .with_untracked(|s| matches!(s, SessionState::SignedIn(_)))
    }

    /// The visitor as the route guards see them (tracked).
    pub fn viewer(&self) -> Viewer {
        self.state.with(|s| match s {
            SessionState::Loading | SessionState::Failed(_) => Viewer::Unknown,
            SessionState::SignedOut => Viewer::SignedOut,
            SessionState::SignedIn(me) => Viewer::SignedIn(me.person.licence),
        })
    }

    /// Records a sign-in and switches to the person's saved language.
    pub fn signed_in(&self, me: Me) {
        self.i18n.set(me.person.locale);
        self.state.set(SessionState::SignedIn(me));
    }

    /// Records a sign-out.
    pub fn signed_out(&self) {
        self.state.set(SessionState::SignedOut);
    }

    /// Asks the server again who is signed in.
    pub fn reload(&self) {
        let session = *self;
        session.state.set(SessionState::Loading);
        spawn_local(async move {
            match client::me().await {
                Ok(me) => session.signed_in(me),
                Err(ApiError::Server { status: 401, .. }) => session.signed_out(),
                Err(error) => session.state.set(SessionState::Failed(error)),
            }
        });
    }
}

/// Provides the session and starts loading it.
pub fn provide_session(i18n: I18n) -> Session {
    let session = Session {
        state: RwSignal::new(SessionState::Loading),
        i18n,
    };
    provide_context(session);
    session.reload();
    session
}

/// The session handle provided by [`provide_session`].
pub fn use_session() -> Session {
    expect_context::<Session>()
}
