//! An accessible modal dialog: `div[role=dialog][aria-modal=true]` over a
//! backdrop, labelled by its heading, with focus kept inside.

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// What can take focus inside the dialog, in document order.
const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), \
                         select:not([disabled]), textarea:not([disabled]), \
                         [tabindex]:not([tabindex='-1'])";

/// Shows `children` as a modal dialog. On opening, focus moves to its first
/// focusable element; Tab and Shift+Tab cycle inside it; Escape calls
/// `on_close`. The owner closes it and returns focus to the opener.
#[component]
pub fn ModalDialog(
    /// The element id of the heading that names the dialog.
    labelled_by: &'static str,
    /// The dialog's own class (BEM block of its owner), e.g. `crm-disconnect__dialog`.
    class: &'static str,
    /// Called on Escape.
    on_close: Callback<()>,
    /// The dialog's content, including its heading and buttons.
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(dialog) = dialog.get() {
            match focusables(&dialog).first() {
                Some(first) => {
                    let _ = first.focus();
                }
                None => {
                    let _ = dialog.focus();
                }
            }
        }
    });
    let on_keydown = move |ev: KeyboardEvent| match ev.key().as_str() {
        "Escape" => {
            // Handled here: the shell's Escape (closing the menu) must not run too.
            ev.prevent_default();
            ev.stop_propagation();
            on_close.run(());
        }
        "Tab" => {
            if let Some(dialog) = dialog.get_untracked() {
                keep_tab_inside(&dialog, &ev);
            }
        }
        _ => {}
    };
    view! {
        <div
            class="modal"
            // A click beside the dialog must not move focus out of it.
            on:mousedown=move |ev| {
                if event_target::<Element>(&ev).class_list().contains("modal") {
                    ev.prevent_default();
                }
            }
        >
            <div
                class=format!("modal__dialog {class}")
                role="dialog"
                aria-modal="true"
                aria-labelledby=labelled_by
                tabindex="-1"
                node_ref=dialog
                on:keydown=on_keydown
            >
                {children()}
            </div>
        </div>
    }
}

/// The focusable elements inside `root`.
fn focusables(root: &Element) -> Vec<HtmlElement> {
    let Ok(list) = root.query_selector_all(FOCUSABLE) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<HtmlElement>().ok())
        .collect()
}

/// Wraps Tab from the last element to the first, and Shift+Tab from the
/// first (or from the dialog itself) to the last.
fn keep_tab_inside(dialog: &Element, ev: &KeyboardEvent) {
    let items = focusables(dialog);
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        ev.prevent_default();
        return;
    };
    let active = document().active_element();
    let at = active.and_then(|active| {
        items
            .iter()
            .position(|item| item.unchecked_ref::<Element>() == &active)
    });
    let target = match (ev.shift_key(), at) {
        (true, None | Some(0)) => Some(last),
        (false, None) => Some(first),
        (false, Some(i)) if i + 1 == items.len() => Some(first),
        _ => None,
    };
    if let Some(target) = target {
        ev.prevent_default();
        let _ = target.focus();
    }
}
