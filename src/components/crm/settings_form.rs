//! SPEC S1–S3: the CRM settings (`form.crm-settings`).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use navsync_api::crm::{CrmSettings, MoneyFieldChoice, StageChoice};
use navsync_api::{ErrorBody, FieldError};

use super::SettingsAction;
use crate::api::ApiError;
use crate::components::SelectField;
use crate::i18n::{self, Key, api_error};
use crate::logic::crm::{SettingsForm, money_field_options, stage_options};
use crate::logic::forms::error_for;
use crate::state::i18n::use_i18n;

/// S1 as a Yes/No radio group, S2 and S3 as selects of the CRM's choices plus
/// "Not Sure", and Save. "Settings saved." shows until the next change.
#[component]
pub fn CrmSettingsForm(
    /// The saved settings the form starts from.
    settings: CrmSettings,
    /// S2's choices from the CRM.
    #[prop(into)]
    stage_choices: Signal<Vec<StageChoice>>,
    /// S3's choices from the CRM.
    #[prop(into)]
    money_field_choices: Signal<Vec<MoneyFieldChoice>>,
    /// The page's save action; a success refetches the page's status.
    save: SettingsAction,
) -> impl IntoView {
    let i18n = use_i18n();
    let start = SettingsForm::from(&settings);
    let auto_sync_all = RwSignal::new(start.auto_sync_all);
    let pipeline_stage = RwSignal::new(start.pipeline_stage);
    let won_value_field = RwSignal::new(start.won_value_field);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let saved = RwSignal::new(false);

    let pending = save.pending();
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => saved.set(true),
        Some(Err(ApiError::Server {
            body: ErrorBody {
                fields: Some(fields),
                ..
            },
            ..
        })) => errors.set(fields),
        _ => {}
    });
    // Any change makes "Settings saved." stale.
    Effect::new(move |first: Option<()>| {
        auto_sync_all.track();
        pipeline_stage.track();
        won_value_field.track();
        if first.is_some() {
            saved.set(false);
        }
    });
    let server_error = move || match save.value().get() {
        Some(Err(error)) if !pending.get() => Some(api_error(i18n.locale(), &error)),
        _ => None,
    };
    let field_error = move |field: &'static str| {
        Signal::derive(move || {
            errors.with(|list| error_for(list, field).map(|e| i18n::field_error(i18n.locale(), e)))
        })
    };
    let stages = Signal::derive(move || stage_choices.with(|c| stage_options(c)));
    let money_fields = Signal::derive(move || money_field_choices.with(|c| money_field_options(c)));

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let form = SettingsForm {
            auto_sync_all: auto_sync_all.get_untracked(),
            pipeline_stage: pipeline_stage.get_untracked(),
            won_value_field: won_value_field.get_untracked(),
        };
        errors.set(Vec::new());
        saved.set(false);
        save.dispatch(form.to_settings());
    };

    view! {
        <section class="crm-card crm-settings-section" aria-labelledby="crm-settings-title">
            <h2 class="crm-card__title" id="crm-settings-title">{move || i18n.t(Key::CrmSettingsTitle)}</h2>
            <form class="crm-settings" novalidate on:submit=on_submit>
                <fieldset class="crm-settings__group" aria-describedby="crm-auto-sync-all-hint">
                    <legend class="crm-settings__legend">{move || i18n.t(Key::CrmAutoSyncAll)}</legend>
                    <p class="field__hint" id="crm-auto-sync-all-hint">
                        <span class="crm-settings__recommended">{move || i18n.t(Key::CrmYesRecommended)}</span>
                        " "
                        {move || i18n.t(Key::CrmAutoSyncHint)}
                    </p>
                    <div class="crm-settings__choices">
                        <div class="radio">
                            <input
                                class="radio__input"
                                type="radio"
                                id="crm-auto-sync-all-yes"
                                name="auto-sync-all"
                                value="yes"
                                prop:checked=move || auto_sync_all.get()
                                on:change=move |_| auto_sync_all.set(true)
                            />
                            <label class="radio__label" for="crm-auto-sync-all-yes">
                                {move || i18n.t(Key::Yes)}
                            </label>
                        </div>
                        <div class="radio">
                            <input
                                class="radio__input"
                                type="radio"
                                id="crm-auto-sync-all-no"
                                name="auto-sync-all"
                                value="no"
                                prop:checked=move || !auto_sync_all.get()
                                on:change=move |_| auto_sync_all.set(false)
                            />
                            <label class="radio__label" for="crm-auto-sync-all-no">
                                {move || i18n.t(Key::No)}
                            </label>
                        </div>
                    </div>
                </fieldset>
                <SelectField
                    id="crm-pipeline-stage"
                    label=Key::CrmPipelineStage
                    hint=Key::CrmPipelineStageHint
                    options=stages
                    extra=("", Key::NotSure)
                    value=pipeline_stage
                    error=field_error("pipeline_stage")
                />
                <SelectField
                    id="crm-won-value-field"
                    label=Key::CrmWonValueField
                    options=money_fields
                    extra=("", Key::NotSure)
                    value=won_value_field
                    error=field_error("won_value_field")
                />
                <div class="crm-settings__alert" role="alert">
                    {move || server_error().map(|message| view! { <p class="form-error">{message}</p> })}
                </div>
                <div class="crm-settings__actions">
                    <button
                        type="submit"
                        class="button button--primary crm-settings__save"
                        disabled=move || pending.get()
                        aria-busy=move || pending.get().then_some("true")
                    >
                        {move || i18n.t(if pending.get() { Key::Saving } else { Key::CrmSaveSettings })}
                    </button>
                    {move || {
                        saved
                            .get()
                            .then(|| {
                                view! {
                                    <p class="crm-settings__saved" role="status">
                                        {move || i18n.t(Key::CrmSettingsSaved)}
                                    </p>
                                }
                            })
                    }}
                </div>
            </form>
        </section>
    }
}
