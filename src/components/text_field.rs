//! A labelled text input with its hint and validation message.

use leptos::prelude::*;

use crate::i18n::Key;
use crate::state::i18n::use_i18n;

/// A labelled input bound to `value`; an error sets `aria-invalid` and is
/// linked with `aria-describedby` (its element id is `{id}-error`).
#[component]
pub fn TextField(
    /// The input's element id.
    id: &'static str,
    /// The label.
    label: Key,
    /// The input type (`text`, `email`, `password`, `number`).
    #[prop(default = "text")]
    kind: &'static str,
    /// The `autocomplete` token.
    autocomplete: &'static str,
    /// The value, two-way.
    value: RwSignal<String>,
    /// The translated error to show, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// A hint shown under the label.
    #[prop(optional)]
    hint: Option<Key>,
    /// An example value shown while the input is empty (never instead of a label).
    #[prop(optional)]
    placeholder: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let invalid = move || error.with(Option::is_some);
    let described_by = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if invalid() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:field--invalid=invalid>
            <label class="field__label" for=id>
                {move || i18n.t(label)}
            </label>
            {hint.map(|hint| view! { <p class="field__hint" id=hint_id>{move || i18n.t(hint)}</p> })}
            <input
                class="field__input"
                id=id
                name=id
                type=kind
                autocomplete=autocomplete
                placeholder=placeholder
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || invalid().then_some("true")
                aria-describedby=described_by
            />
            {move || {
                error.get().map(|message| view! { <p class="field__error" id=error_id.clone()>{message}</p> })
            }}
        </div>
    }
}
