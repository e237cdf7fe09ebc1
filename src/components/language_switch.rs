//! The language switch (`select#language-switch`).

use leptos::prelude::*;
use navsync_api::{Locale, UpdatePreferences};

use crate::api::client;
use crate::i18n::Key;
use crate::state::i18n::use_i18n;
use crate::state::session::use_session;

/// Switches the UI language at once; when signed in, also saves it to the
/// person's preferences.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let save = Action::new_local(|locale: &Locale| {
        let prefs = UpdatePreferences { locale: *locale };
        async move { client::update_preferences(&prefs).await }
    });
    // The UI has switched already; a failed save only loses the preference.
    Effect::new(move |_| {
        if let Some(Err(error)) = save.value().get() {
            leptos::logging::warn!("could not save the language preference: {error}");
        }
    });
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(locale) = Locale::from_tag(&event_target_value(&ev)) {
            i18n.set(locale);
            if session.is_signed_in_untracked() {
                save.dispatch(locale);
            }
        }
    };
    view! {
        <div class="language-switch">
            <label class="sr-only" for="language-switch">
                {move || i18n.t(Key::Language)}
            </label>
            <select id="language-switch" class="language-switch__select" on:change=on_change>
                <option value="en" lang="en" prop:selected=move || i18n.locale() == Locale::En>
                    {move || i18n.t(Key::LanguageEnglish)}
                </option>
                <option value="nl" lang="nl" prop:selected=move || i18n.locale() == Locale::Nl>
                    {move || i18n.t(Key::LanguageDutch)}
                </option>
            </select>
        </div>
    }
}
