//! "Assign seats from CRM" (SPEC M3): `[role=dialog].assign-dialog` listing the
//! CRM's enabled users, paged and searchable, to give seats in bulk — never
//! beyond the contract's seats — and then each new person's one-time link.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use leptos::prelude::*;
use navsync_api::Licence;
use navsync_api::seats::{AssignSeats, CrmUser, CrmUserPage, check_assignment, seats_free};

use super::AssignResult;
use crate::api::client;
use crate::components::{ErrorView, Loading, ModalDialog};
use crate::i18n::{
    Key, crm_problem_keys, licence_label, seat_limit_message, seats_free_text, selected_count,
    server_message,
};
use crate::logic::seats::{
    PAGE_SIZE, SEARCH_DEBOUNCE_MS, has_next, has_previous, licence_value, page_range,
    parse_licence, previous_offset, seats_needed, select_all_state, toggle_all, toggle_one,
};
use crate::routes::{self, Page};
use crate::state::i18n::use_i18n;

/// The dialog. `seat_limit` and `seats_used` come from the seat list, so the
/// seat check here is the server's ([`check_assignment`]).
#[component]
pub fn AssignDialog(
    /// Team-member seats in the contract.
    #[prop(into)]
    seat_limit: Signal<u32>,
    /// Team-member seats in use.
    #[prop(into)]
    seats_used: Signal<u32>,
    /// Closes the dialog (Cancel, Close, Escape); the owner returns focus.
    on_close: Callback<()>,
    /// Called after seats were assigned, so the seat list refreshes.
    on_assigned: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let search = RwSignal::new(String::new());
    let q = RwSignal::new(String::new());
    let offset = RwSignal::new(0_u64);
    let selected = RwSignal::new(HashSet::<String>::new());
    let licence = RwSignal::new(Licence::TeamMember);
    // Names of the users seen, to name the skipped ones in the result.
    let names = RwSignal::new(HashMap::<String, String>::new());
    let timer = StoredValue::new_local(None::<TimeoutHandle>);

    let users = LocalResource::new(move || {
        let (q, offset) = (q.get(), offset.get());
        async move { client::crm_users(&q, offset, PAGE_SIZE).await }
    });
    // The last page read, kept while the next one loads.
    let page = Memo::new(
        move |prev: Option<&Option<CrmUserPage>>| match users.get() {
            Some(Ok(page)) => Some(page),
            _ => prev.cloned().flatten(),
        },
    );
    let failure = Memo::new(move |_| match users.get() {
        Some(Err(error)) => Some(error),
        _ => None,
    });
    Effect::new(move |_| {
        page.with(|page| {
            if let Some(page) = page {
                names.update(|names| {
                    for user in &page.items {
                        names.insert(user.systemuserid.clone(), user.name.clone());
                    }
                });
            }
        });
    });

    let assign = Action::new_local(|form: &AssignSeats| {
        let form = form.clone();
        async move { client::assign_seats(&form).await }
    });
    let pending = assign.pending();
    Effect::new(move |_| {
        if let Some(Ok(_)) = assign.value().get() {
            on_assigned.run(());
        }
    });

    let selectable = Memo::new(move |_| {
        page.with(|page| {
            page.as_ref()
                .map(|page| {
                    page.items
                        .iter()
                        .filter(|user| !user.has_seat && user.email.is_some())
                        .map(|user| user.systemuserid.clone())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let all_state = Memo::new(move |_| {
        selectable.with(|page| selected.with(|selected| select_all_state(page, selected)))
    });
    let count = Memo::new(move |_| selected.with(HashSet::len));
    let limit_check = Memo::new(move |_| {
        check_assignment(
            seat_limit.get(),
            seats_used.get(),
            seats_needed(licence.get(), count.get()),
        )
    });
    let can_submit = move || count.get() > 0 && limit_check.get().is_ok() && !pending.get();

    let on_search = move |ev: leptos::ev::Event| {
        search.set(event_target_value(&ev));
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                q.set(search.get_untracked());
                offset.set(0);
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
    let submit = move |_| {
        if !can_submit() {
            return;
        }
        let mut systemuserids: Vec<String> = selected.get_untracked().into_iter().collect();
        systemuserids.sort();
        assign.dispatch(AssignSeats {
            systemuserids,
            licence: licence.get_untracked(),
        });
    };

    let user_row = move |user: CrmUser| {
        let id = user.systemuserid.clone();
        let input_id = format!("assign-user-{id}");
        let checked = {
            let id = id.clone();
            move || selected.with(|s| s.contains(&id))
        };
        let on_change = {
            let id = id.clone();
            move |ev| {
                let on = event_target_checked(&ev);
                selected.update(|s| toggle_one(&id, s, on));
            }
        };
        view! {
            <li class="assign-dialog__user" data-email=user.email.clone().unwrap_or_default()>
                <input
                    type="checkbox"
                    class="assign-dialog__select"
                    id=input_id.clone()
                    // No email, no way to sign in: such CRM users cannot get a seat.
                    disabled=user.has_seat || user.email.is_none()
                    prop:checked=checked
                    on:change=on_change
                />
                <label class="assign-dialog__name" for=input_id>{user.name.clone()}</label>
                <span class="assign-dialog__email">
                    {match user.email.clone() {
                        Some(email) => view! { <span>{email}</span> }.into_any(),
                        None => view! { <span>{move || i18n.t(Key::NoEmail)}</span> }.into_any(),
                    }}
                </span>
                {user
                    .has_seat
                    .then(|| view! { <span class="assign-dialog__has-seat">{move || i18n.t(Key::HasSeat)}</span> })}
            </li>
        }
    };

    let list = move || {
        if let Some(error) = failure.get() {
            if error.status() == Some(409) {
                return view! {
                    <div class="assign-dialog__not-connected" role="alert">
                        <p>{move || i18n.t(Key::AssignNotConnected)}</p>
                        <a class="assign-dialog__crm-link" href=routes::path(Page::CrmSettings)>
                            {move || i18n.t(Key::GoToCrmSettings)}
                        </a>
                    </div>
                }
                .into_any();
            }
            let retry = Callback::new(move |()| users.refetch());
            return view! { <ErrorView error=error on_retry=retry /> }.into_any();
        }
        if page.with(Option::is_none) {
            return view! { <Loading /> }.into_any();
        }
        let problem = move || {
            page.with(|p| p.as_ref().and_then(|p| p.problem.clone()))
                .map(|problem| {
                    let (message, next) = crm_problem_keys(problem.kind);
                    view! {
                        <p class="assign-dialog__problem">
                            {move || i18n.t(message)} " " {move || i18n.t(next)}
                        </p>
                    }
                })
        };
        let items = move || page.with(|p| p.as_ref().map(|p| p.items.clone()).unwrap_or_default());
        let total = move || page.with(|p| p.as_ref().map_or(0, |p| p.total));
        let rows = move || page.with(|p| p.as_ref().map_or(0, |p| p.items.len()));
        let showing = move || {
            page_range(offset.get(), rows(), total())
                .map(|(first, last)| crate::i18n::showing(i18n.locale(), first, last, total()))
        };
        view! {
            {problem}
            <div class="checkbox assign-dialog__all">
                <input
                    type="checkbox"
                    class="checkbox__input assign-dialog__select-all"
                    id="assign-select-all"
                    disabled=move || selectable.with(Vec::is_empty)
                    prop:checked=move || all_state.get().checked()
                    prop:indeterminate=move || all_state.get().indeterminate()
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        selectable.with_untracked(|page| selected.update(|s| toggle_all(page, s, on)));
                    }
                />
                <label class="checkbox__label" for="assign-select-all">
                    {move || i18n.t(Key::SelectAll)}
                </label>
            </div>
            {move || {
                (rows() == 0).then(|| view! { <p class="assign-dialog__empty">{move || i18n.t(Key::CrmUsersEmpty)}</p> })
            }}
            <ul class="assign-dialog__users">
                <For each=items key=|user| (user.systemuserid.clone(), user.has_seat) children=user_row />
            </ul>
            <div class="assign-dialog__pager">
                <button
                    type="button"
                    class="button button--secondary assign-dialog__prev"
                    disabled=move || !has_previous(offset.get())
                    on:click=move |_| offset.update(|o| *o = previous_offset(*o, PAGE_SIZE))
                >
                    {move || i18n.t(Key::Previous)}
                </button>
                <p class="assign-dialog__showing">{showing}</p>
                <button
                    type="button"
                    class="button button--secondary assign-dialog__next"
                    disabled=move || !has_next(offset.get(), PAGE_SIZE, total())
                    on:click=move |_| offset.update(|o| *o += PAGE_SIZE)
                >
                    {move || i18n.t(Key::Next)}
                </button>
            </div>
        }
            .into_any()
    };

    let form = move || {
        view! {
            <div class="field">
                <label class="field__label" for="assign-search">
                    {move || i18n.t(Key::AssignSearch)}
                </label>
                <input
                    class="field__input assign-dialog__search"
                    id="assign-search"
                    type="search"
                    autocomplete="off"
                    maxlength="200"
                    prop:value=move || search.get()
                    on:input=on_search
                />
            </div>
            {list}
            <div class="field">
                <label class="field__label" for="assign-licence">
                    {move || i18n.t(Key::AssignLicence)}
                </label>
                <select
                    class="field__input field__select"
                    id="assign-licence"
                    on:change=move |ev| {
                        if let Some(l) = parse_licence(&event_target_value(&ev)) {
                            licence.set(l);
                        }
                    }
                >
                    {[Licence::TeamMember, Licence::Admin, Licence::AdminAndTeamMember]
                        .into_iter()
                        .map(|l| {
                            view! {
                                <option value=licence_value(l) prop:selected=move || licence.get() == l>
                                    {move || licence_label(i18n.locale(), l)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <p class="assign-dialog__free">
                {move || seats_free_text(i18n.locale(), seats_free(seat_limit.get(), seats_used.get()))}
                " · "
                <span class="assign-dialog__count">{move || selected_count(i18n.locale(), count.get())}</span>
            </p>
            <div class="assign-dialog__alerts" role="alert">
                {move || {
                    limit_check
                        .get()
                        .err()
                        .map(|error| {
                            view! {
                                <p class="form-error assign-dialog__limit">
                                    {move || seat_limit_message(i18n.locale(), &error)}
                                </p>
                            }
                        })
                }}
                {move || match assign.value().get() {
                    Some(Err(error)) if !pending.get() => {
                        Some(
                            view! {
                                <p class="form-error assign-dialog__error">
                                    {move || server_message(i18n.locale(), &error)}
                                </p>
                            },
                        )
                    }
                    _ => None,
                }}
            </div>
            <div class="assign-dialog__actions">
                <button type="button" class="button button--secondary assign-dialog__cancel" on:click=move |_| on_close.run(())>
                    {move || i18n.t(Key::Cancel)}
                </button>
                <button
                    type="button"
                    class="button button--primary assign-dialog__submit"
                    disabled=move || !can_submit()
                    aria-busy=move || pending.get().then_some("true")
                    on:click=submit
                >
                    {move || i18n.t(if pending.get() { Key::Assigning } else { Key::AssignSubmit })}
                </button>
            </div>
        }
    };

    let outcome = Memo::new(move |_| match assign.value().get() {
        Some(Ok(outcome)) => Some(outcome),
        _ => None,
    });
    let content = move || match outcome.get() {
        Some(outcome) => {
            view! { <AssignResult outcome=outcome names=names on_close=on_close /> }.into_any()
        }
        None => form().into_any(),
    };

    view! {
        <ModalDialog labelled_by="assign-dialog-title" class="assign-dialog" on_close=on_close>
            <h2 class="assign-dialog__title" id="assign-dialog-title">
                {move || i18n.t(Key::AssignSeatsFromCrm)}
            </h2>
            {content}
        </ModalDialog>
    }
}
