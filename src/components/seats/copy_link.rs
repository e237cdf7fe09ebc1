//! A read-only link with a Copy button (clipboard API; when that is missing
//! or refused, the link is left selected for Ctrl+C).

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::i18n::Key;
use crate::state::i18n::use_i18n;

/// What the last Copy did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Copied {
    Yes,
    Failed,
}

/// Shows `url` in a labelled read-only input (`input.{class}`) and a Copy
/// button; the outcome is announced in a status line.
#[component]
pub fn CopyLink(
    /// The absolute URL.
    url: String,
    /// The input's element id.
    id: String,
    /// The input's class, e.g. `assign-dialog__link`.
    class: &'static str,
    /// The visible label (translated).
    #[prop(into)]
    label: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let input = NodeRef::<leptos::html::Input>::new();
    let copied = RwSignal::new(None::<Copied>);
    let copy = {
        let url = url.clone();
        move |_| {
            // Selected first: if the clipboard is unavailable, Ctrl+C still works.
            if let Some(input) = input.get_untracked() {
                input.select();
            }
            let clipboard = window().navigator().clipboard();
            if clipboard
                .unchecked_ref::<wasm_bindgen::JsValue>()
                .is_undefined()
            {
                copied.set(Some(Copied::Failed));
                return;
            }
            // One-shot callbacks; `forget` hands them to the promise, which
            // drops its references once settled.
            let done = Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(move |_| {
                copied.set(Some(Copied::Yes));
            });
            let failed = Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(move |_| {
                copied.set(Some(Copied::Failed));
                if let Some(input) = input.get_untracked() {
                    input.select();
                }
            });
            let _ = clipboard.write_text(&url).then2(&done, &failed);
            done.forget();
            failed.forget();
        }
    };
    let status = move || {
        copied.get().map(|c| {
            i18n.t(match c {
                Copied::Yes => Key::Copied,
                Copied::Failed => Key::CopyFailed,
            })
        })
    };
    let status_id = format!("{id}-status");
    view! {
        <div class="copy-link">
            <label class="copy-link__label" for=id.clone()>{move || label.get()}</label>
            <div class="copy-link__row">
                <input
                    class=format!("field__input copy-link__input {class}")
                    id=id
                    type="text"
                    readonly
                    value=url
                    node_ref=input
                    aria-describedby=status_id.clone()
                    on:focus=move |_| {
                        if let Some(input) = input.get_untracked() {
                            input.select();
                        }
                    }
                />
                <button type="button" class="button copy-link__copy" on:click=copy>
                    {move || i18n.t(Key::Copy)}
                </button>
            </div>
            <p class="copy-link__status" id=status_id role="status">{status}</p>
        </div>
    }
}
