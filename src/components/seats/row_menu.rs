//! A row's "…" menu (SPEC M2): `button.seats__menu-button` opening
//! `ul.seats__menu[role=menu]` of `[role=menuitem]` buttons.

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use navsync_api::Seat;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

use super::{SeatDialog, focus_menu_button, menu_button_id, use_seats};
use crate::i18n::{Key, actions_for};
use crate::logic::seats::menu_move;
use crate::state::i18n::use_i18n;

/// The menu button and, while open, its items: "Enable CRM Sync" or "Disable
/// CRM Sync" for team-member seats (or, while S1 is Yes, a disabled item that
/// explains why not), "Change licence type", "Copy set-password link" and
/// "Remove seat".
///
/// Keyboard as in the WAI-ARIA menu button pattern: Enter, Space and
/// ArrowDown open it on the first item (ArrowUp on the last); ArrowUp,
/// ArrowDown, Home and End move; Escape closes it back onto the button; Tab
/// closes it and moves on. A click elsewhere closes it (see the page).
#[component]
pub fn SeatRowMenu(
    /// The row's seat.
    seat: Seat,
) -> impl IntoView {
    let i18n = use_i18n();
    let seats = use_seats();
    let id = seat.id.clone();
    let button_id = menu_button_id(&id);
    let menu_id = format!("seat-menu-list-{id}");
    let menu = NodeRef::<leptos::html::Ul>::new();
    // Where focus goes when the menu opens: the first item, or the last (ArrowUp).
    let start_at_end = StoredValue::new(false);

    let is_open = {
        let id = id.clone();
        Memo::new(move |_| seats.open_menu.with(|open| open.as_ref() == Some(&id)))
    };
    let open = {
        let id = id.clone();
        move |at_end: bool| {
            start_at_end.set_value(at_end);
            seats.open_menu.set(Some(id.clone()));
        }
    };
    let close = {
        let id = id.clone();
        move || {
            seats.open_menu.update(|open| {
                if open.as_ref() == Some(&id) {
                    *open = None;
                }
            });
        }
    };
    Effect::new(move |_| {
        if let Some(menu) = menu.get() {
            let items = items(&menu);
            let target = if start_at_end.get_value() {
                items.last()
            } else {
                items.first()
            };
            if let Some(item) = target {
                let _ = item.focus();
            }
        }
    });

    let on_button_click = {
        let open = open.clone();
        let close = close.clone();
        move |_| {
            if is_open.get_untracked() {
                close();
            } else {
                open(false);
            }
        }
    };
    let on_button_keydown = {
        let open = open.clone();
        move |ev: KeyboardEvent| match ev.key().as_str() {
            // Enter and Space open through the button's click.
            "ArrowDown" | "ArrowUp" => {
                ev.prevent_default();
                open(ev.key() == "ArrowUp");
            }
            _ => {}
        }
    };
    let on_menu_keydown = {
        let id = id.clone();
        let close = close.clone();
        move |ev: KeyboardEvent| {
            let Some(menu) = menu.get_untracked() else {
                return;
            };
            match ev.key().as_str() {
                "Escape" => {
                    ev.prevent_default();
                    ev.stop_propagation();
                    close();
                    focus_menu_button(&id);
                }
                "Tab" => {
                    // Focus the button first, so Tab moves on from there.
                    focus_menu_button(&id);
                    close();
                }
                key => {
                    let items = items(&menu);
                    let current = document().active_element().and_then(|active| {
                        items
                            .iter()
                            .position(|item| item.unchecked_ref::<Element>() == &active)
                    });
                    if let Some(next) = menu_move(key, current, items.len()) {
                        ev.prevent_default();
                        if let Some(item) = items.get(next) {
                            let _ = item.focus();
                        }
                    }
                }
            }
        }
    };

    let name = seat.name.clone();
    let label = move || actions_for(i18n.locale(), &name);
    let button_dom_id = button_id.clone();
    let controls = menu_id.clone();
    let team_member = seat.licence.is_team_member();
    let enabled = seat.crm_sync_enabled;
    let items_view = move || {
        is_open.get().then(|| {
            let sync_item = team_member.then(|| {
                if seats.auto_sync_all.get() {
                    view! {
                        <li role="none">
                            <button type="button" role="menuitem" tabindex="-1" class="seats__menu-item seats__menu-note" aria-disabled="true">
                                {move || i18n.t(Key::AutoSyncAllNote)}
                            </button>
                        </li>
                    }
                        .into_any()
                } else {
                    let id = id.clone();
                    let close = close.clone();
                    view! {
                        <li role="none">
                            <button
                                type="button"
                                role="menuitem"
                                tabindex="-1"
                                class="seats__menu-item seats__menu-item--sync"
                                on:click=move |_| {
                                    seats.sync.dispatch((id.clone(), !enabled));
                                    close();
                                    focus_menu_button(&id);
                                    seats.refocus.set(Some(id.clone()));
                                }
                            >
                                {move || i18n.t(if enabled { Key::DisableCrmSync } else { Key::EnableCrmSync })}
                            </button>
                        </li>
                    }
                        .into_any()
                }
            });
            let open_dialog = {
                let seat = seat.clone();
                let close = close.clone();
                move |make: fn(Seat) -> SeatDialog| {
                    let seat = seat.clone();
                    let close = close.clone();
                    move |_| {
                        close();
                        seats.dialog.set(Some(make(seat.clone())));
                    }
                }
            };
            view! {
                <ul class="seats__menu" role="menu" id=menu_id.clone() aria-labelledby=button_id.clone() node_ref=menu on:keydown=on_menu_keydown.clone()>
                    {sync_item}
                    <li role="none">
                        <button type="button" role="menuitem" tabindex="-1" class="seats__menu-item seats__menu-item--licence" on:click=open_dialog(SeatDialog::Licence)>
                            {move || i18n.t(Key::ChangeLicence)}
                        </button>
                    </li>
                    <li role="none">
                        <button type="button" role="menuitem" tabindex="-1" class="seats__menu-item seats__menu-item--link" on:click=open_dialog(SeatDialog::Link)>
                            {move || i18n.t(Key::CopyPasswordLink)}
                        </button>
                    </li>
                    <li role="none">
                        <button type="button" role="menuitem" tabindex="-1" class="seats__menu-item seats__menu-item--remove" on:click=open_dialog(SeatDialog::Remove)>
                            {move || i18n.t(Key::RemoveSeat)}
                        </button>
                    </li>
                </ul>
            }
        })
    };

    view! {
        <div class="seats__actions">
            <button
                type="button"
                class="seats__menu-button"
                id=button_dom_id
                aria-label=label
                aria-haspopup="menu"
                aria-expanded=move || if is_open.get() { "true" } else { "false" }
                aria-controls=move || is_open.get().then(|| controls.clone())
                on:click=on_button_click
                on:keydown=on_button_keydown
            >
                <span aria-hidden="true">"…"</span>
            </button>
            {items_view}
        </div>
    }
}

/// The menu's items, in order.
fn items(menu: &Element) -> Vec<HtmlElement> {
    let Ok(list) = menu.query_selector_all("[role=menuitem]") else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<HtmlElement>().ok())
        .collect()
}
