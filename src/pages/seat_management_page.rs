//! `/admin/seats` (admins): Seat Management (SPEC M1–M4). The seat list is
//! paged on the server (50 rows), searched, filtered and sorted; rows are
//! keyed so a change re-renders only the rows it touches. Per-seat "…" menus,
//! bulk CRM sync of the selection, and "Assign seats from CRM".

use leptos::prelude::*;
use navsync_api::SeatPage;
use wasm_bindgen::JsCast;

use crate::api::client;
use crate::components::seats::{
    AssignDialog, HEADING_ID, LicenceDialog, PasswordLinkDialog, RemoveSeatDialog, SeatBulkBar,
    SeatDialog, SeatPager, SeatTable, SeatToolbar, provide_seats, restore_focus,
};
use crate::components::{ErrorView, Loading};
use crate::i18n::{Key, crm_sync_summary, seats_usage, server_message};
use crate::logic::seats::SeatQuery;
use crate::state::i18n::use_i18n;

/// The page: usage line, "Assign seats from CRM", toolbar, bulk bar, outcome
/// and error lines, the table and its pager, and the open dialog.
#[component]
pub fn SeatManagementPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = RwSignal::new(SeatQuery::default());
    // Bumped after "Assign seats from CRM" so the list is read again.
    let refresh = RwSignal::new(0_u32);
    let auto_sync_all = RwSignal::new(false);
    let seats = provide_seats(auto_sync_all.into());

    let list = LocalResource::new(move || {
        let query = query.get();
        seats.sync.version().get();
        seats.bulk.version().get();
        seats.licence.version().get();
        seats.remove.version().get();
        refresh.get();
        async move { client::seats(&query).await }
    });
    // The last page read, kept while the next one loads so the table stays.
    let page = Memo::new(move |prev: Option<&Option<SeatPage>>| match list.get() {
        Some(Ok(page)) => Some(page),
        _ => prev.cloned().flatten(),
    });
    let failure = Memo::new(move |_| match list.get() {
        Some(Err(error)) => Some(error),
        _ => None,
    });
    Effect::new(move |_| {
        if let Some(auto) = page.with(|p| p.as_ref().map(|p| p.auto_sync_all)) {
            auto_sync_all.set(auto);
        }
    });
    let loaded = Memo::new(move |_| page.with(Option::is_some));
    let rows =
        Memo::new(move |_| page.with(|p| p.as_ref().map(|p| p.items.clone()).unwrap_or_default()));
    Effect::new(move |_| {
        rows.track();
        restore_focus(&seats);
    });
    let row_count = Signal::derive(move || rows.with(Vec::len));
    let total = Signal::derive(move || page.with(|p| p.as_ref().map_or(0, |p| p.total)));
    let seat_limit = Signal::derive(move || page.with(|p| p.as_ref().map_or(0, |p| p.seat_limit)));
    let seats_used = Signal::derive(move || page.with(|p| p.as_ref().map_or(0, |p| p.seats_used)));

    // A click outside the open row menu closes it.
    let outside = window_event_listener(leptos::ev::click, move |ev| {
        if seats.open_menu.with_untracked(Option::is_none) {
            return;
        }
        let inside = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest(".seats__actions").ok().flatten())
            .is_some();
        if !inside {
            seats.open_menu.set(None);
        }
    });
    on_cleanup(move || outside.remove());

    let usage = move || {
        page.with(|p| {
            p.as_ref()
                .map(|p| seats_usage(i18n.locale(), p.seats_used, p.seat_limit))
        })
    };
    let summary = move || match seats.bulk.value().get() {
        Some(Ok((enabled, summary))) => Some(crm_sync_summary(i18n.locale(), enabled, summary)),
        _ => None,
    };
    let error = move || {
        seats.error.get().map(|error| {
            view! { <p class="form-error">{move || server_message(i18n.locale(), &error)}</p> }
        })
    };

    let assign_open = RwSignal::new(false);
    let opener = NodeRef::<leptos::html::Button>::new();
    let close_assign = Callback::new(move |()| {
        assign_open.set(false);
        if let Some(button) = opener.get_untracked() {
            let _ = button.focus();
        }
    });
    let assigned = Callback::new(move |()| refresh.update(|n| *n += 1));

    let table = move || {
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
                    .then(|| view! { <p class="seats__empty">{move || i18n.t(Key::SeatsNoMatch)}</p> })
            }}
            <div class="seats__list" class:seats__list--hidden=move || row_count.get() == 0>
                <SeatTable rows=rows />
            </div>
            <SeatPager query=query rows=row_count total=total />
        }
            .into_any()
    };

    let dialog = move || {
        seats.dialog.get().map(|dialog| match dialog {
            SeatDialog::Licence(seat) => view! { <LicenceDialog seat=seat /> }.into_any(),
            SeatDialog::Link(seat) => view! { <PasswordLinkDialog seat=seat /> }.into_any(),
            SeatDialog::Remove(seat) => view! { <RemoveSeatDialog seat=seat /> }.into_any(),
        })
    };

    view! {
        <section class="page seats">
            <h1 class="page__title" id=HEADING_ID tabindex="-1">
                {move || i18n.t(Key::SeatManagement)}
            </h1>
            <div class="seats__top">
                <p class="seats__usage">{usage}</p>
                <button
                    type="button"
                    class="button button--primary seats__assign-open"
                    aria-haspopup="dialog"
                    node_ref=opener
                    on:click=move |_| assign_open.set(true)
                >
                    {move || i18n.t(Key::AssignSeatsFromCrm)}
                </button>
            </div>
            <SeatToolbar query=query />
            <SeatBulkBar />
            <p class="seats__summary" role="status">{summary}</p>
            <div class="seats__error" role="alert">{error}</div>
            {table}
            {dialog}
            {move || {
                assign_open
                    .get()
                    .then(|| {
                        view! {
                            <AssignDialog
                                seat_limit=seat_limit
                                seats_used=seats_used
                                on_close=close_assign
                                on_assigned=assigned
                            />
                        }
                    })
            }}
        </section>
    }
}
