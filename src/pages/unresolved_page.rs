//! `/unresolved` (SPEC R2, H4, H5): the items written to the CRM as open
//! tasks because no contact matched — the organization's for admins, the
//! seat holder's own otherwise (the server decides). Each row
//! (`li.unresolved__item[data-item-id]`) says who, what and why nothing
//! matched, and resolves it: "Create contact in CRM"
//! (`button.unresolved__create`) or linking an existing contact by its id or
//! its Dynamics link (`form.unresolved__link`). A resolved row stays, saying
//! "Copied to the CRM" with a link to the contact (`a.unresolved__crm-link`).

use leptos::prelude::*;
use navsync_api::messages::{Resolved, ThreadKind, UnresolvedItem};

use crate::api::{ApiError, client};
use crate::components::{ErrorView, Loading};
use crate::i18n::{Key, api_error};
use crate::logic::unresolved::contact_id;
use crate::state::i18n::use_i18n;
use crate::state::session::use_session;

/// How to resolve an item.
#[derive(Clone, Debug)]
enum Resolve {
    /// Create the contact from the counterpart.
    Create,
    /// Link to the contact with this id.
    Link(String),
}

type ResolveAction = Action<Resolve, Result<Resolved, ApiError>>;

/// The page: an introduction, then the items or "nothing unresolved".
#[component]
pub fn UnresolvedPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let admin = move || session.me().is_some_and(|me| me.person.licence.is_admin());
    let list = LocalResource::new(client::unresolved);
    let body = move || match list.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(error)) => {
            let retry = Callback::new(move |()| list.refetch());
            view! { <ErrorView error=error on_retry=retry /> }.into_any()
        }
        Some(Ok(page)) if page.items.is_empty() => view! {
            <p class="unresolved__empty">{move || i18n.t(Key::UnresolvedEmpty)}</p>
        }
        .into_any(),
        Some(Ok(page)) => {
            let rows = page
                .items
                .into_iter()
                .map(|item| view! { <UnresolvedRow item=item /> })
                .collect_view();
            view! { <ul class="unresolved__list">{rows}</ul> }.into_any()
        }
    };
    view! {
        <section class="page unresolved">
            <h1 class="page__title">{move || i18n.t(Key::Unresolved)}</h1>
            <p class="unresolved__intro">
                {move || {
                    i18n.t(if admin() { Key::UnresolvedIntroAdmin } else { Key::UnresolvedIntroOwn })
                }}
            </p>
            {body}
        </section>
    }
}

/// One unresolved item with its two ways of resolving it.
#[component]
fn UnresolvedRow(item: UnresolvedItem) -> impl IntoView {
    let i18n = use_i18n();
    let UnresolvedItem {
        id,
        kind,
        owner,
        participant,
        snippet,
        reason,
        ..
    } = item;
    let item_id = StoredValue::new(id.clone());
    let action: ResolveAction = Action::new_local(move |how: &Resolve| {
        let how = how.clone();
        let id = item_id.get_value();
        async move {
            match how {
                Resolve::Create => client::create_contact(&id).await,
                Resolve::Link(contact) => client::link_contact(&id, &contact).await,
            }
        }
    });
    let contact = RwSignal::new(String::new());
    let invalid = RwSignal::new(false);
    let input_id = format!("unresolved-contact-{id}");
    let error_id = format!("{input_id}-error");
    let heading_id = format!("unresolved-person-{id}");
    let done = move || matches!(action.value().get(), Some(Ok(_)));
    let busy = move || action.pending().get() || done();
    let on_link = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match contact.with(|c| contact_id(c)) {
            Some(found) => {
                invalid.set(false);
                action.dispatch(Resolve::Link(found));
            }
            None => invalid.set(true),
        }
    };
    let kind_key = match kind {
        ThreadKind::Inmail => Key::MessagesKindInmail,
        ThreadKind::Message => Key::MessagesKindMessage,
    };
    let details = [participant.company, participant.email]
        .into_iter()
        .flatten()
        .map(|d| view! { " · " <span>{d}</span> })
        .collect_view();
    let outcome = move || {
        match action.value().get() {
        Some(Ok(resolved)) => view! {
            <p class="unresolved__status unresolved__status--done" role="status">
                <span>{move || i18n.t(Key::CrmStateCopied)}</span>
                {resolved
                    .url
                    .map(|url| {
                        view! {
                            " "
                            <a class="unresolved__crm-link" href=url target="_blank" rel="noopener noreferrer">
                                {move || i18n.t(Key::CrmStateOpen)}
                            </a>
                        }
                    })}
            </p>
        }
        .into_any(),
        Some(Err(error)) => view! {
            <p class="unresolved__status unresolved__status--error" role="alert">
                {move || api_error(i18n.locale(), &error)}
            </p>
        }
        .into_any(),
        None => ().into_any(),
    }
    };
    view! {
        <li class="unresolved__item" data-item-id=id>
            <h2 class="unresolved__person" id=heading_id>{participant.name}</h2>
            <p class="unresolved__meta">
                <span class="unresolved__kind">{move || i18n.t(kind_key)}</span>
                {details}
            </p>
            <p class="unresolved__owner">
                {move || i18n.t(Key::UnresolvedOwner)} " " <span>{owner}</span>
            </p>
            <p class="unresolved__snippet">{snippet}</p>
            <p class="unresolved__reason">
                {move || i18n.t(Key::UnresolvedReason)} " " <span>{reason}</span>
            </p>
            {outcome}
            <div class="unresolved__actions" hidden=done>
                <button
                    type="button"
                    class="button button--primary unresolved__create"
                    disabled=busy
                    on:click=move |_| {
                        action.dispatch(Resolve::Create);
                    }
                >
                    {move || i18n.t(Key::UnresolvedCreateContact)}
                </button>
                <form class="unresolved__link" on:submit=on_link novalidate=true>
                    <label class="unresolved__link-label" for=input_id.clone()>
                        {move || i18n.t(Key::UnresolvedContactField)}
                    </label>
                    <div class="unresolved__link-row">
                        <input
                            id=input_id
                            class="field__input unresolved__contact"
                            type="text"
                            autocomplete="off"
                            spellcheck="false"
                            aria-invalid=move || invalid.get().then_some("true")
                            aria-describedby=move || invalid.get().then(|| error_id.clone())
                            prop:value=move || contact.get()
                            on:input=move |ev| contact.set(event_target_value(&ev))
                        />
                        <button type="submit" class="button unresolved__link-button" disabled=busy>
                            {move || i18n.t(Key::UnresolvedLink)}
                        </button>
                    </div>
                    {
                        let error_id = format!("unresolved-contact-{}-error", item_id.get_value());
                        move || {
                            invalid
                                .get()
                                .then(|| {
                                    view! {
                                        <p class="field__error" id=error_id.clone()>
                                            {move || i18n.t(Key::UnresolvedBadContact)}
                                        </p>
                                    }
                                })
                        }
                    }
                </form>
            </div>
        </li>
    }
}
