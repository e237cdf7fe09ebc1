//! The saved lists' parts (SPEC L1), one component per file, shared by
//! `/saved-leads` and `/saved-accounts`, and the types of their write actions.

pub mod account_form;
pub mod account_row;
pub mod crm_marker;
pub mod lead_form;
pub mod lead_row;
pub mod pager;
pub mod remove_button;
pub mod search;

pub use account_form::SaveAccountForm;
pub use account_row::SavedAccountRow;
pub use crm_marker::SavedMarkers;
pub use lead_form::SaveLeadForm;
pub use lead_row::SavedLeadRow;
pub use pager::SavedPager;
pub use remove_button::SavedRemoveButton;
pub use search::SavedSearch;

use leptos::prelude::{Action, RwSignal};
use navsync_api::sync::{SaveAccount, SaveLead};

use crate::api::ApiError;

/// `POST /api/saved-leads`, owned by the page so its list refetches.
pub type SaveLeadAction = Action<SaveLead, Result<(), ApiError>>;
/// `POST /api/saved-accounts`.
pub type SaveAccountAction = Action<SaveAccount, Result<(), ApiError>>;
/// `DELETE /api/saved-leads/{id}` or `/api/saved-accounts/{id}`, by row id.
pub type RemoveAction = Action<String, Result<(), ApiError>>;

/// A page's removal: the action and the id of the row it last ran for, so
/// the answer shows on that row.
#[derive(Clone, Copy)]
pub struct Removal {
    /// The delete action.
    pub action: RemoveAction,
    /// The row it last ran for.
    pub row: RwSignal<Option<String>>,
}
