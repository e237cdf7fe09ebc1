//! SPEC W1, W2, W4 and R3: the admin's writeback choices and the matching
//! column (`section.crm-writeback`), shown while a CRM is connected.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use navsync_api::ErrorBody;
use navsync_api::crm::WritebackMatching;
use navsync_api::messages::{WritebackSettings, WritebackStatus};

use crate::api::{ApiError, client};
use crate::components::{ErrorView, Loading, TextField};
use crate::i18n::{Key, api_error};
use crate::logic::writeback::{Companion, column_error, companion, refusal_key, to_settings};
use crate::state::i18n::use_i18n;

/// The "Activity writeback" card: loads the choices (the server checks the
/// companion solution on every load, so a page refresh checks again) and the
/// matching column, each with its own form.
#[component]
pub fn CrmWriteback(
    /// The Integration User may impersonate seat holders (W4).
    #[prop(into)]
    can_impersonate: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let status = LocalResource::new(client::writeback_status);
    let matching = LocalResource::new(client::writeback_matching);
    let choices = move || match status.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(error)) => {
            let retry = Callback::new(move |()| status.refetch());
            view! { <ErrorView error=error on_retry=retry /> }.into_any()
        }
        Some(Ok(start)) => {
            view! { <WritebackChoices start=start can_impersonate=can_impersonate /> }.into_any()
        }
    };
    let column = move || match matching.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(error)) => {
            let retry = Callback::new(move |()| matching.refetch());
            view! { <ErrorView error=error on_retry=retry /> }.into_any()
        }
        Some(Ok(start)) => view! { <MatchingColumn start=start /> }.into_any(),
    };
    view! {
        <section class="crm-card crm-writeback" aria-labelledby="crm-writeback-title">
            <h2 class="crm-card__title" id="crm-writeback-title">{move || i18n.t(Key::WritebackTitle)}</h2>
            {choices}
            <h3 class="crm-writeback__subtitle" id="crm-matching-title">
                {move || i18n.t(Key::WritebackMatchingTitle)}
            </h3>
            {column}
        </section>
    }
}

/// One radio of a group.
#[component]
fn Radio(
    id: &'static str,
    name: &'static str,
    label: Key,
    #[prop(into)] checked: Signal<bool>,
    on_pick: Callback<()>,
    #[prop(optional)] extra: Option<Key>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="radio">
            <input
                class="radio__input"
                type="radio"
                id=id
                name=name
                prop:checked=move || checked.get()
                on:change=move |_| on_pick.run(())
            />
            <label class="radio__label" for=id>
                {move || i18n.t(label)}
                {extra
                    .map(|extra| {
                        view! {
                            " "
                            <span class="crm-settings__recommended">{move || i18n.t(extra)}</span>
                        }
                    })}
            </label>
        </div>
    }
}

/// One checkbox bound to `value`.
#[component]
fn Check(
    id: &'static str,
    label: Key,
    value: RwSignal<bool>,
    #[prop(optional)] described_by: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="checkbox">
            <input
                class="checkbox__input"
                type="checkbox"
                id=id
                aria-describedby=described_by
                prop:checked=move || value.get()
                on:change=move |ev| value.set(event_target_checked(&ev))
            />
            <label class="checkbox__label" for=id>
                {move || i18n.t(label)}
            </label>
        </div>
    }
}

/// W1 Yes/No with the companion solution's state, W2 the item types, W4
/// impersonation, and Save. A refused save changes nothing on the server;
/// the form keeps what was picked and says why.
#[component]
fn WritebackChoices(start: WritebackStatus, can_impersonate: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let s = start.settings.clone();
    let enabled = RwSignal::new(s.enabled);
    let all_items = RwSignal::new(s.all_items);
    let inmails = RwSignal::new(s.inmails);
    let messages = RwSignal::new(s.messages);
    let notes = RwSignal::new(s.notes);
    let impersonation = RwSignal::new(s.impersonation);
    let check = RwSignal::new(companion(&start));
    let get_it_url = start.get_it_url.clone();
    let not_sent = RwSignal::new(None::<Key>);
    let saved = RwSignal::new(false);

    let save = Action::new_local(|settings: &WritebackSettings| {
        let settings = settings.clone();
        async move { client::update_writeback(&settings).await }
    });
    let pending = save.pending();
    Effect::new(move |_| match save.value().get() {
        Some(Ok(status)) => {
            check.set(companion(&status));
            saved.set(true);
        }
        Some(Err(ApiError::Server { body, .. }))
            if refusal_key(&body) == Some(Key::WritebackRefusedNotInstalled) =>
        {
            check.set(Companion::Missing);
        }
        _ => {}
    });
    // Any change makes "Writeback settings saved." and a local refusal stale.
    Effect::new(move |first: Option<()>| {
        enabled.track();
        all_items.track();
        inmails.track();
        messages.track();
        notes.track();
        impersonation.track();
        if first.is_some() {
            saved.set(false);
            not_sent.set(None);
        }
    });
    let alert = move || {
        if let Some(key) = not_sent.get() {
            return Some(i18n.t(key).to_owned());
        }
        match save.value().get() {
            Some(Err(error)) if !pending.get() => Some(match &error {
                ApiError::Server { body, .. } => refusal_key(body)
                    .map(|key| i18n.t(key).to_owned())
                    .unwrap_or_else(|| api_error(i18n.locale(), &error)),
                ApiError::Network(_) => api_error(i18n.locale(), &error),
            }),
            _ => None,
        }
    };
    let notice = move || match check.get() {
        Companion::Installed => None,
        Companion::Missing => {
            let url = get_it_url.clone();
            Some(
                view! {
                    <div class="crm-writeback__missing" id="crm-writeback-check">
                        <p class="crm-writeback__missing-text">{move || i18n.t(Key::WritebackMissing)}</p>
                        <p class="crm-writeback__get-it-row">
                            <a
                                class="button crm-writeback__get-it"
                                href=url
                                target="_blank"
                                rel="noopener noreferrer"
                            >
                                {move || i18n.t(Key::WritebackGetItNow)}
                            </a>
                        </p>
                        <p class="crm-writeback__refresh">{move || i18n.t(Key::WritebackRefreshHint)}</p>
                    </div>
                }
                    .into_any(),
            )
        }
        Companion::Unknown => Some(
            view! {
                <p class="crm-writeback__missing crm-writeback__unknown" id="crm-writeback-check">
                    {move || i18n.t(Key::WritebackUnknown)}
                </p>
            }
            .into_any(),
        ),
    };
    let described_by =
        move || (check.get() != Companion::Installed).then_some("crm-writeback-check");

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let form = WritebackSettings {
            enabled: enabled.get_untracked(),
            all_items: all_items.get_untracked(),
            inmails: inmails.get_untracked(),
            messages: messages.get_untracked(),
            notes: notes.get_untracked(),
            impersonation: impersonation.get_untracked(),
        };
        saved.set(false);
        match to_settings(&form) {
            Ok(settings) => {
                not_sent.set(None);
                save.dispatch(settings);
            }
            Err(key) => {
                save.clear();
                not_sent.set(Some(key));
            }
        }
    };

    let items = move || {
        enabled.get().then(|| {
            view! {
                <fieldset class="crm-settings__group crm-writeback__items">
                    <legend class="crm-settings__legend">{move || i18n.t(Key::WritebackItems)}</legend>
                    <Radio
                        id="crm-writeback-all"
                        name="writeback-items"
                        label=Key::WritebackAllItems
                        extra=Key::WritebackRecommended
                        checked=Signal::derive(move || all_items.get())
                        on_pick=Callback::new(move |()| all_items.set(true))
                    />
                    <Radio
                        id="crm-writeback-choose"
                        name="writeback-items"
                        label=Key::WritebackChooseItems
                        checked=Signal::derive(move || !all_items.get())
                        on_pick=Callback::new(move |()| all_items.set(false))
                    />
                    {move || {
                        (!all_items.get())
                            .then(|| {
                                view! {
                                    <div class="crm-writeback__types">
                                        <Check id="crm-writeback-inmails" label=Key::WritebackInmails value=inmails />
                                        <Check id="crm-writeback-messages" label=Key::WritebackMessages value=messages />
                                        <Check id="crm-writeback-notes" label=Key::WritebackNotes value=notes />
                                    </div>
                                }
                            })
                    }}
                </fieldset>
                <Check
                    id="crm-writeback-impersonation"
                    label=Key::WritebackImpersonation
                    value=impersonation
                    described_by="crm-writeback-impersonation-hint"
                />
                <p class="field__hint crm-writeback__hint" id="crm-writeback-impersonation-hint">
                    {move || i18n.t(Key::WritebackImpersonationHint)}
                </p>
                {move || {
                    (impersonation.get() && !can_impersonate.get())
                        .then(|| {
                            view! {
                                <p class="crm-writeback__fallback">
                                    {move || i18n.t(Key::WritebackImpersonationFallback)}
                                </p>
                            }
                        })
                }}
            }
        })
    };

    view! {
        <form class="crm-writeback__form" novalidate on:submit=on_submit>
            <fieldset class="crm-settings__group" aria-describedby=described_by>
                <legend class="crm-settings__legend">{move || i18n.t(Key::WritebackEnable)}</legend>
                {notice}
                <div class="crm-settings__choices">
                    <Radio
                        id="crm-writeback-yes"
                        name="writeback-enabled"
                        label=Key::Yes
                        checked=Signal::derive(move || enabled.get())
                        on_pick=Callback::new(move |()| enabled.set(true))
                    />
                    <Radio
                        id="crm-writeback-no"
                        name="writeback-enabled"
                        label=Key::No
                        checked=Signal::derive(move || !enabled.get())
                        on_pick=Callback::new(move |()| enabled.set(false))
                    />
                </div>
            </fieldset>
            {items}
            <div class="crm-writeback__alert" role="alert">
                {move || alert().map(|message| view! { <p class="form-error">{message}</p> })}
            </div>
            <div class="crm-settings__actions">
                <button
                    type="submit"
                    class="button button--primary crm-settings__save crm-writeback__save"
                    disabled=move || pending.get()
                    aria-busy=move || pending.get().then_some("true")
                >
                    {move || i18n.t(if pending.get() { Key::Saving } else { Key::WritebackSave })}
                </button>
                <div role="status">
                    {move || {
                        saved
                            .get()
                            .then(|| {
                                view! {
                                    <p class="crm-settings__saved crm-writeback__saved">
                                        {move || i18n.t(Key::WritebackSaved)}
                                    </p>
                                }
                            })
                    }}
                </div>
            </div>
        </form>
    }
}

/// R3: the contact column holding LinkedIn profile URLs, with the server's
/// refusal (not a column name, or no such column in the CRM) at the field.
#[component]
fn MatchingColumn(start: WritebackMatching) -> impl IntoView {
    let i18n = use_i18n();
    let column = RwSignal::new(start.profile_url_column);
    let sent = RwSignal::new(String::new());
    let saved = RwSignal::new(false);
    let save = Action::new_local(|matching: &WritebackMatching| {
        let matching = matching.clone();
        async move { client::update_writeback_matching(&matching).await }
    });
    let pending = save.pending();
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            saved.set(true);
        }
    });
    Effect::new(move |first: Option<()>| {
        column.track();
        if first.is_some() {
            saved.set(false);
        }
    });
    let field_error = Signal::derive(move || match save.value().get() {
        Some(Err(ApiError::Server {
            body: ErrorBody {
                fields: Some(fields),
                ..
            },
            ..
        })) if !pending.get() => fields
            .iter()
            .find(|f| f.field == "profile_url_column")
            .map(|f| column_error(i18n.locale(), f, &sent.get())),
        _ => None,
    });
    let alert = move || match save.value().get() {
        Some(Err(
            ref error @ (ApiError::Network(_)
            | ApiError::Server {
                body: ErrorBody { fields: None, .. },
                ..
            }),
        )) if !pending.get() => Some(api_error(i18n.locale(), error)),
        _ => None,
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let value = column.get_untracked();
        saved.set(false);
        sent.set(value.clone());
        save.dispatch(WritebackMatching {
            profile_url_column: value,
        });
    };
    view! {
        <form class="crm-writeback__matching" novalidate on:submit=on_submit aria-labelledby="crm-matching-title">
            <p class="field__hint crm-writeback__matching-intro">{move || i18n.t(Key::WritebackMatchingIntro)}</p>
            <TextField
                id="crm-writeback-column"
                label=Key::WritebackProfileColumn
                hint=Key::WritebackProfileColumnHint
                autocomplete="off"
                value=column
                error=field_error
            />
            <div class="crm-writeback__alert" role="alert">
                {move || alert().map(|message| view! { <p class="form-error">{message}</p> })}
            </div>
            <div class="crm-settings__actions">
                <button
                    type="submit"
                    class="button crm-settings__save crm-writeback__save-column"
                    disabled=move || pending.get()
                    aria-busy=move || pending.get().then_some("true")
                >
                    {move || i18n.t(if pending.get() { Key::Saving } else { Key::WritebackSaveColumn })}
                </button>
                <div role="status">
                    {move || {
                        saved
                            .get()
                            .then(|| {
                                view! {
                                    <p class="crm-settings__saved crm-writeback__column-saved">
                                        {move || i18n.t(Key::WritebackColumnSaved)}
                                    </p>
                                }
                            })
                    }}
                </div>
            </div>
        </form>
    }
}
