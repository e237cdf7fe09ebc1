//! `/saved-leads` (team members): the seat holder's saved leads (SPEC L1),
//! paged on the server (50 rows) and searched; rows marked "In CRM" link to
//! the CRM record. Only one page is rendered, in a keyed list, so 10,000
//! saved leads cost no more than 50.

use leptos::prelude::*;
use navsync_api::sync::{SaveLead, SavedLead, SavedLeadPage};

use crate::api::client;
use crate::components::notes::Notes;
use crate::components::saved::{
    Removal, RemoveAction, SaveLeadAction, SaveLeadForm, SavedLeadRow, SavedPager, SavedSearch,
};
use crate::components::{ErrorView, Loading};
use crate::i18n::Key;
use crate::logic::sync::{SavedQuery, fallback_offset};
use crate::state::i18n::use_i18n;

/// The page: search, the hand-save form, the list or its empty state, and the pager.
#[component]
pub fn SavedLeadsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = RwSignal::new(SavedQuery::default());
    let save: SaveLeadAction = Action::new_local(|form: &SaveLead| {
        let form = form.clone();
        async move { client::save_lead(&form).await }
    });
    let remove: RemoveAction = Action::new_local(|id: &String| {
        let id = id.clone();
        async move { client::delete_saved_lead(&id).await }
    });
    let notes = Notes::provide();
    let removal = Removal {
        action: remove,
        row: RwSignal::new(None),
    };
    let list = LocalResource::new(move || {
        let query = query.get();
        save.version().get();
        remove.version().get();
        async move { client::saved_leads(&query).await }
    });
    // The last page read, kept while the next one loads so the list stays.
    let page = Memo::new(
        move |prev: Option<&Option<SavedLeadPage>>| match list.get() {
            Some(Ok(page)) => Some(page),
            _ => prev.cloned().flatten(),
        },
    );
    let failure = Memo::new(move |_| match list.get() {
        Some(Err(error)) => Some(error),
        _ => None,
    });
    let loaded = Memo::new(move |_| page.with(Option::is_some));
    let rows =
        Memo::new(move |_| page.with(|p| p.as_ref().map(|p| p.items.clone()).unwrap_or_default()));
    let row_count = Signal::derive(move || rows.with(Vec::len));
    let total = Signal::derive(move || page.with(|p| p.as_ref().map_or(0, |p| p.total)));
    // Removing the last row of the last page leaves it empty: go back a page.
    Effect::new(move |_| {
        let Some((offset, rows, total)) =
            page.with(|p| p.as_ref().map(|p| (p.offset, p.items.len(), p.total)))
        else {
            return;
        };
        let limit = query.with_untracked(|q| q.limit);
        if let Some(back) = fallback_offset(offset, rows, total, limit) {
            query.update(|q| q.offset = back);
        }
    });
    let searching = move || query.with(|q| !q.q.trim().is_empty());
    // Keyed on what a row shows, so a sync that changes a lead re-renders it.
    let row_key = |lead: &SavedLead| {
        (
            lead.id.clone(),
            lead.first_name.clone(),
            lead.last_name.clone(),
            lead.email.clone(),
            lead.company.clone(),
            lead.crm_url.clone(),
            lead.in_crm,
            lead.saved_by_hand,
        )
    };

    let list_view = move || {
        if !loaded.get() {
            return match failure.get() {
                Some(error) => {
                    let retry = Callback::new(move |()| list.refetch());
                    view! { <ErrorView error=error on_retry=retry /> }.into_any()
                }
                None => view! { <Loading /> }.into_any(),
            };
        }
        view! {
            {move || {
                failure
                    .get()
                    .map(|error| {
                        let retry = Callback::new(move |()| list.refetch());
                        view! { <ErrorView error=error on_retry=retry /> }
                    })
            }}
            {move || {
                (row_count.get() == 0)
                    .then(|| {
                        let key = if searching() { Key::SavedNoMatch } else { Key::SavedLeadsEmpty };
                        view! { <p class="saved__empty">{move || i18n.t(key)}</p> }
                    })
            }}
            <ul class="saved__list" aria-labelledby="saved-leads-title">
                <For
                    each=move || rows.get()
                    key=row_key
                    children=move |lead| view! { <SavedLeadRow lead=lead removal=removal notes=notes /> }
                />
            </ul>
            <SavedPager query=query rows=row_count total=total />
        }
            .into_any()
    };

    view! {
        <section class="page saved">
            <h1 class="page__title" id="saved-leads-title">
                {move || i18n.t(Key::SavedLeads)}
            </h1>
            <div class="saved__top">
                <SavedSearch id="saved-leads-search" label=Key::SavedLeadsSearch query=query />
                <SaveLeadForm save=save />
            </div>
            {list_view}
        </section>
    }
}
