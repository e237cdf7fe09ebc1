//! A labelled `<select>` with its hint and validation message.

use leptos::prelude::*;

use crate::i18n::Key;
use crate::state::i18n::use_i18n;

/// A labelled select bound to `value`. `options` are (value, label) pairs;
/// `extra` is one more translated option after them (e.g. "Not Sure" with
/// value ""). An error sets `aria-invalid` and has the element id `{id}-error`.
#[component]
pub fn SelectField(
    /// The select's element id.
    id: &'static str,
    /// The label.
    label: Key,
    /// The options, as (value, label).
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    /// A last, translated option: (value, label key).
    #[prop(optional)]
    extra: Option<(&'static str, Key)>,
    /// The selected value, two-way.
    value: RwSignal<String>,
    /// The translated error to show, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// A hint shown under the label.
    #[prop(optional)]
    hint: Option<Key>,
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
    // `selected` per option rather than the select's value: the options may
    // arrive after the value is set.
    let choices = move || {
        options
            .get()
            .into_iter()
            .map(|(option, text)| {
                let selected = {
                    let option = option.clone();
                    move || value.with(|v| *v == option)
                };
                view! { <option value=option prop:selected=selected>{text}</option> }
            })
            .collect_view()
    };
    let extra = extra.map(|(option, key)| {
        view! {
            <option value=option prop:selected=move || value.with(|v| v == option)>
                {move || i18n.t(key)}
            </option>
        }
    });
    view! {
        <div class="field" class:field--invalid=invalid>
            <label class="field__label" for=id>
                {move || i18n.t(label)}
            </label>
            {hint.map(|hint| view! { <p class="field__hint" id=hint_id>{move || i18n.t(hint)}</p> })}
            <select
                class="field__input field__select"
                id=id
                name=id
                on:change=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || invalid().then_some("true")
                aria-describedby=described_by
            >
                {choices}
                {extra}
            </select>
            {move || {
                error.get().map(|message| view! { <p class="field__error" id=error_id.clone()>{message}</p> })
            }}
        </div>
    }
}
