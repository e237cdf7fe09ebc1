//! The Seat Management page's parts (SPEC M1–M4), one component per file, and
//! the page-wide state they share through context ([`provide_seats`] /
//! [`use_seats`]): the selection, the open row menu, the open dialog, the
//! write actions and their outcome.

pub mod assign_dialog;
pub mod assign_result;
pub mod bulk_bar;
pub mod copy_link;
pub mod licence_dialog;
pub mod link_dialog;
pub mod pager;
pub mod remove_dialog;
pub mod row;
pub mod row_menu;
pub mod table;
pub mod toolbar;

pub use assign_dialog::AssignDialog;
pub use assign_result::AssignResult;
pub use bulk_bar::SeatBulkBar;
pub use copy_link::CopyLink;
pub use licence_dialog::LicenceDialog;
pub use link_dialog::PasswordLinkDialog;
pub use pager::SeatPager;
pub use remove_dialog::RemoveSeatDialog;
pub use row::SeatRow;
pub use row_menu::SeatRowMenu;
pub use table::SeatTable;
pub use toolbar::SeatToolbar;

use std::collections::HashSet;

use leptos::prelude::*;
use navsync_api::seats::{BulkCrmSync, CrmSyncSummary};
use navsync_api::{Licence, PersonId, Seat};

use crate::api::{ApiError, client};

/// A dialog opened from a row's menu.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SeatDialog {
    /// "Change licence type".
    Licence(Seat),
    /// "Copy set-password link".
    Link(Seat),
    /// "Remove seat".
    Remove(Seat),
}

impl SeatDialog {
    /// The seat the dialog is about.
    pub fn seat(&self) -> &Seat {
        match self {
            SeatDialog::Licence(seat) | SeatDialog::Link(seat) | SeatDialog::Remove(seat) => seat,
        }
    }
}

/// `PUT /api/admin/seats/{id}/crm-sync`.
pub type SyncAction = Action<(PersonId, bool), Result<Seat, ApiError>>;
/// `POST /api/admin/seats/crm-sync`; the answer keeps whether it enabled.
pub type BulkAction = Action<BulkCrmSync, Result<(bool, CrmSyncSummary), ApiError>>;
/// `PUT /api/admin/seats/{id}/licence`.
pub type LicenceAction = Action<(PersonId, Licence), Result<Seat, ApiError>>;
/// `DELETE /api/admin/seats/{id}`.
pub type RemoveAction = Action<PersonId, Result<(), ApiError>>;

/// The page-wide state of Seat Management (cheap to copy).
#[derive(Clone, Copy)]
pub struct SeatsState {
    /// The selected seats (on this and other pages of the same query).
    pub selected: RwSignal<HashSet<PersonId>>,
    /// The row whose "…" menu is open.
    pub open_menu: RwSignal<Option<PersonId>>,
    /// The dialog opened from a row menu.
    pub dialog: RwSignal<Option<SeatDialog>>,
    /// S1 is Yes: per-seat switches are locked.
    pub auto_sync_all: Signal<bool>,
    /// The last failed write, shown in `.seats__error`.
    pub error: RwSignal<Option<ApiError>>,
    /// The row whose menu button gets focus back once the list is read again
    /// (a changed row is rendered anew, and the focused button with it).
    pub refocus: RwSignal<Option<PersonId>>,
    /// Per-seat sync.
    pub sync: SyncAction,
    /// Bulk sync.
    pub bulk: BulkAction,
    /// Licence changes.
    pub licence: LicenceAction,
    /// Removals.
    pub remove: RemoveAction,
}

impl SeatsState {
    /// Closes the dialog and puts focus back on the menu button of its row,
    /// or on the page heading when the row is gone (e.g. removed).
    pub fn close_dialog(&self, id: &PersonId) {
        self.dialog.set(None);
        focus_menu_button(id);
        self.refocus.set(Some(id.clone()));
    }
}

/// The element id of a row's menu button.
pub fn menu_button_id(id: &PersonId) -> String {
    format!("seat-menu-{id}")
}

/// The element id of the page heading (focusable), where focus goes when
/// the element it should return to is gone.
pub const HEADING_ID: &str = "seats-title";

/// Focuses a row's menu button, or the page heading when the row is gone.
pub fn focus_menu_button(id: &PersonId) {
    use wasm_bindgen::JsCast;
    let doc = document();
    if let Some(target) = doc
        .get_element_by_id(&menu_button_id(id))
        .or_else(|| doc.get_element_by_id(HEADING_ID))
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = target.focus();
    }
}

/// Creates the page's state and actions and provides them to its parts.
/// Every write's failure lands in `error`; a success clears it.
pub fn provide_seats(auto_sync_all: Signal<bool>) -> SeatsState {
    let sync: SyncAction = Action::new_local(|(id, enabled): &(PersonId, bool)| {
        let (id, enabled) = (id.clone(), *enabled);
        async move { client::set_crm_sync(&id, enabled).await }
    });
    let bulk: BulkAction = Action::new_local(|form: &BulkCrmSync| {
        let form = form.clone();
        async move {
            client::bulk_crm_sync(&form)
                .await
                .map(|summary| (form.enabled, summary))
        }
    });
    let licence: LicenceAction = Action::new_local(|(id, licence): &(PersonId, Licence)| {
        let (id, licence) = (id.clone(), *licence);
        async move { client::change_licence(&id, licence).await }
    });
    let remove: RemoveAction = Action::new_local(|id: &PersonId| {
        let id = id.clone();
        async move { client::remove_seat(&id).await }
    });
    let state = SeatsState {
        selected: RwSignal::new(HashSet::new()),
        open_menu: RwSignal::new(None),
        dialog: RwSignal::new(None),
        auto_sync_all,
        error: RwSignal::new(None),
        refocus: RwSignal::new(None),
        sync,
        bulk,
        licence,
        remove,
    };
    let error = state.error;
    let record = move |outcome: Option<Result<(), ApiError>>| match outcome {
        Some(Ok(())) => error.set(None),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    };
    Effect::new(move |_| record(sync.value().get().map(|r| r.map(drop))));
    Effect::new(move |_| record(bulk.value().get().map(|r| r.map(drop))));
    Effect::new(move |_| record(licence.value().get().map(|r| r.map(drop))));
    Effect::new(move |_| record(remove.value().get()));
    provide_context(state);
    state
}

/// The state provided by [`provide_seats`].
pub fn use_seats() -> SeatsState {
    expect_context::<SeatsState>()
}

/// After the rows change, puts focus back on the menu button of the row in
/// `refocus` — only when focus was lost with the old row (it is on the page
/// body), so nothing the person moved to since is taken away.
pub fn restore_focus(state: &SeatsState) {
    let Some(id) = state.refocus.get_untracked() else {
        return;
    };
    state.refocus.set(None);
    // After the keyed list has put the new row in place.
    request_animation_frame(move || {
        let doc = document();
        let lost = match (doc.active_element(), doc.body()) {
            (None, _) => true,
            (Some(active), Some(body)) => active == *body.as_ref(),
            (Some(_), None) => false,
        };
        if lost {
            focus_menu_button(&id);
        }
    });
}
