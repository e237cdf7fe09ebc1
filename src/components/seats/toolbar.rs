//! The seat list's toolbar (`.seats__toolbar`): search `#seats-search`
//! (debounced), filters `#seats-filter-licence`, `#seats-filter-sync`,
//! `#seats-filter-matched` and sort `#seats-sort`.

use std::time::Duration;

use leptos::prelude::*;
use navsync_api::Licence;

use super::use_seats;
use crate::i18n::{Key, licence_label};
use crate::logic::seats::{
    SEARCH_DEBOUNCE_MS, SORT_OPTIONS, SeatQuery, licence_value, parse_licence, parse_matched,
    parse_sort_option, parse_sync, sort_option_value,
};
use crate::state::i18n::use_i18n;

/// Changes `query`; every change starts again from page 1 and clears the
/// selection (it belonged to the previous list).
#[component]
pub fn SeatToolbar(
    /// The seat list's query.
    query: RwSignal<SeatQuery>,
) -> impl IntoView {
    let i18n = use_i18n();
    let seats = use_seats();
    let search = RwSignal::new(query.get_untracked().q);
    let timer = StoredValue::new_local(None::<TimeoutHandle>);

    let apply = move |change: Box<dyn FnOnce(&mut SeatQuery)>| {
        seats.selected.update(|s| s.clear());
        query.update(|q| {
            change(q);
            q.offset = 0;
        });
    };
    // Typing only updates the input; the list is asked for once typing pauses.
    let on_search = move |ev: leptos::ev::Event| {
        search.set(event_target_value(&ev));
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                let text = search.get_untracked();
                if query.with_untracked(|q| q.q != text) {
                    apply(Box::new(move |q| q.q = text));
                }
            },
            Duration::from_millis(SEARCH_DEBOUNCE_MS),
        )
        .ok();
        timer.set_value(handle);
    };
    on_cleanup(move || {
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
    });

    let licences = [
        Licence::Admin,
        Licence::TeamMember,
        Licence::AdminAndTeamMember,
    ];
    let sort_key = |value: &str| match value {
        "name-asc" => Key::SortNameAsc,
        "name-desc" => Key::SortNameDesc,
        "email-asc" => Key::SortEmailAsc,
        "email-desc" => Key::SortEmailDesc,
        "licence-asc" => Key::SortLicenceAsc,
        _ => Key::SortLicenceDesc,
    };

    view! {
        <div class="seats__toolbar">
            <div class="seats__control seats__control--search">
                <label class="seats__control-label" for="seats-search">
                    {move || i18n.t(Key::SeatsSearch)}
                </label>
                <input
                    class="field__input seats__search"
                    id="seats-search"
                    type="search"
                    autocomplete="off"
                    maxlength="200"
                    prop:value=move || search.get()
                    on:input=on_search
                />
            </div>
            <div class="seats__control">
                <label class="seats__control-label" for="seats-filter-licence">
                    {move || i18n.t(Key::ColumnLicence)}
                </label>
                <select
                    class="field__input field__select seats__filter"
                    id="seats-filter-licence"
                    on:change=move |ev| {
                        let licence = parse_licence(&event_target_value(&ev));
                        apply(Box::new(move |q| q.licence = licence));
                    }
                >
                    <option value="all">{move || i18n.t(Key::FilterAll)}</option>
                    {licences
                        .into_iter()
                        .map(|licence| {
                            view! {
                                <option
                                    value=licence_value(licence)
                                    prop:selected=move || query.with(|q| q.licence == Some(licence))
                                >
                                    {move || licence_label(i18n.locale(), licence)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="seats__control">
                <label class="seats__control-label" for="seats-filter-sync">
                    {move || i18n.t(Key::SeatsCrmSync)}
                </label>
                <select
                    class="field__input field__select seats__filter"
                    id="seats-filter-sync"
                    on:change=move |ev| {
                        let sync = parse_sync(&event_target_value(&ev));
                        apply(Box::new(move |q| q.sync = sync));
                    }
                >
                    <option value="all">{move || i18n.t(Key::FilterAll)}</option>
                    <option value="on">{move || i18n.t(Key::SyncOn)}</option>
                    <option value="off">{move || i18n.t(Key::SyncOff)}</option>
                </select>
            </div>
            <div class="seats__control">
                <label class="seats__control-label" for="seats-filter-matched">
                    {move || i18n.t(Key::SeatsMatched)}
                </label>
                <select
                    class="field__input field__select seats__filter"
                    id="seats-filter-matched"
                    on:change=move |ev| {
                        let matched = parse_matched(&event_target_value(&ev));
                        apply(Box::new(move |q| q.matched = matched));
                    }
                >
                    <option value="all">{move || i18n.t(Key::FilterAll)}</option>
                    <option value="true">{move || i18n.t(Key::MatchedYes)}</option>
                    <option value="false">{move || i18n.t(Key::MatchedNo)}</option>
                </select>
            </div>
            <div class="seats__control">
                <label class="seats__control-label" for="seats-sort">
                    {move || i18n.t(Key::SortBy)}
                </label>
                <select
                    class="field__input field__select seats__filter"
                    id="seats-sort"
                    on:change=move |ev| {
                        let (sort, order) = parse_sort_option(&event_target_value(&ev));
                        apply(
                            Box::new(move |q| {
                                q.sort = sort;
                                q.order = order;
                            }),
                        );
                    }
                >
                    {SORT_OPTIONS
                        .into_iter()
                        .map(|(sort, order)| {
                            let value = sort_option_value(sort, order);
                            let key = sort_key(&value);
                            view! {
                                <option
                                    value=value
                                    prop:selected=move || query.with(|q| q.sort == sort && q.order == order)
                                >
                                    {move || i18n.t(key)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
        </div>
    }
}
