//! The outcome of "Assign seats from CRM" (`.assign-dialog__result`).

use std::collections::HashMap;

use leptos::prelude::*;
use navsync_api::seats::AssignOutcome;

use super::CopyLink;
use crate::i18n::{Key, seats_free_text, skip_reason_key};
use crate::logic::seats::absolute_url;
use crate::state::i18n::use_i18n;

/// What an assignment did: each new person with their one-time link, then
/// the users skipped and why. Focus moves to its heading when it appears.
#[component]
pub fn AssignResult(
    /// The server's answer.
    outcome: AssignOutcome,
    /// Names of the CRM users seen, by `systemuserid`.
    names: RwSignal<HashMap<String, String>>,
    /// Closes the dialog.
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let heading = NodeRef::<leptos::html::H3>::new();
    Effect::new(move |_| {
        if let Some(heading) = heading.get() {
            let _ = heading.focus();
        }
    });
    let origin = window().location().origin().unwrap_or_default();
    let assigned = outcome
        .assigned
        .into_iter()
        .map(|done| {
            let label = format!("{} ({})", done.seat.name, done.seat.email);
            view! {
                <li class="assign-dialog__assigned" data-email=done.seat.email.clone()>
                    <CopyLink
                        url=absolute_url(&origin, &done.password_link.url)
                        id=format!("assign-link-{}", done.seat.id)
                        class="assign-dialog__link"
                        label=Signal::stored(label)
                    />
                </li>
            }
        })
        .collect_view();
    let skipped = (!outcome.skipped.is_empty()).then(|| {
        let rows = outcome
            .skipped
            .into_iter()
            .map(|skip| {
                let name = names
                    .with_untracked(|names| names.get(&skip.systemuserid).cloned())
                    .unwrap_or_else(|| skip.systemuserid.clone());
                let key = skip_reason_key(skip.reason);
                view! {
                    <li class="assign-dialog__skipped">
                        <span class="assign-dialog__skipped-name">{name}</span>
                        ": "
                        <span class="assign-dialog__skip-reason">{move || i18n.t(key)}</span>
                    </li>
                }
            })
            .collect_view();
        view! {
            <h3 class="assign-dialog__subtitle">{move || i18n.t(Key::SkippedTitle)}</h3>
            <ul class="assign-dialog__skipped-list">{rows}</ul>
        }
    });
    view! {
        <div class="assign-dialog__result">
            <h3 class="assign-dialog__subtitle" tabindex="-1" node_ref=heading>
                {move || i18n.t(Key::AssignedTitle)}
            </h3>
            <p class="assign-dialog__text">{move || i18n.t(Key::AssignedText)}</p>
            <ul class="assign-dialog__assigned-list">{assigned}</ul>
            {skipped}
            <p class="assign-dialog__free">
                {move || seats_free_text(i18n.locale(), outcome.seats_free)}
            </p>
            <div class="assign-dialog__actions">
                <button type="button" class="button button--primary assign-dialog__close" on:click=move |_| on_close.run(())>
                    {move || i18n.t(Key::Close)}
                </button>
            </div>
        </div>
    }
}
