//! One saved lead (`li.saved__row`): name, company, email, markers and its notes.

use leptos::prelude::*;
use navsync_api::sync::SavedLead;

use super::{Removal, SavedMarkers, SavedRemoveButton};
use crate::components::notes::{Notes, NotesPanel};
use crate::logic::sync::lead_name;
use navsync_api::messages::NoteSubject;

/// The lead as a row (a card on small screens).
#[component]
pub fn SavedLeadRow(
    /// The lead.
    lead: SavedLead,
    /// The page's removal.
    removal: Removal,
    /// The page's notes.
    notes: Notes,
) -> impl IntoView {
    let name = lead_name(&lead);
    let email = lead.email.map(|email| {
        let href = format!("mailto:{email}");
        view! {
            <a class="saved__detail saved__email" href=href>
                {email}
            </a>
        }
    });
    let company = lead
        .company
        .map(|company| view! { <span class="saved__detail saved__company">{company}</span> });
    view! {
        <li class="saved__row">
            <div class="saved__main">
                <p class="saved__name">{name.clone()}</p>
                <p class="saved__details">{company} {email}</p>
            </div>
            <SavedMarkers name=name.clone() in_crm=lead.in_crm crm_url=lead.crm_url saved_by_hand=lead.saved_by_hand />
            <SavedRemoveButton id=lead.id.clone() saved_by_hand=lead.saved_by_hand removal=removal />
            <NotesPanel notes=notes kind=NoteSubject::Lead subject_id=lead.id name=name />
        </li>
    }
}
