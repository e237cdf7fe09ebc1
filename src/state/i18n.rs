//! The current UI language, in context.
//!
//! Before sign-in it comes from localStorage (`navsync.locale`) or the browser
//! language; after sign-in from the person's saved preference. Every change
//! sets `<html lang>` and is remembered in localStorage.

use leptos::prelude::*;
use navsync_api::Locale;

use crate::i18n::{Key, text};

/// The localStorage key of the chosen language.
const STORAGE_KEY: &str = "navsync.locale";

/// Handle on the current locale (cheap to copy).
#[derive(Clone, Copy)]
pub struct I18n {
    locale: RwSignal<Locale>,
}

impl I18n {
    /// The current locale (tracked).
    pub fn locale(&self) -> Locale {
        self.locale.get()
    }

    /// The current locale without subscribing.
    pub fn locale_untracked(&self) -> Locale {
        self.locale.get_untracked()
    }

    /// The string for `key` in the current locale (tracked).
    pub fn t(&self, key: Key) -> &'static str {
        text(self.locale.get(), key)
    }

    /// Switches the UI language and remembers it in this browser.
    pub fn set(&self, locale: Locale) {
        self.locale.set(locale);
        store(locale);
    }
}

/// Provides the locale to the app and keeps `<html lang>` in step with it.
pub fn provide_i18n() -> I18n {
    let initial = stored().or_else(browser_locale).unwrap_or_default();
    let i18n = I18n {
        locale: RwSignal::new(initial),
    };
    Effect::new(move |_| set_document_lang(i18n.locale()));
    provide_context(i18n);
    i18n
}

/// The locale handle provided by [`provide_i18n`].
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

fn stored() -> Option<Locale> {
    let storage = window().local_storage().ok().flatten()?;
    let tag = storage.get_item(STORAGE_KEY).ok().flatten()?;
    Locale::from_tag(&tag)
}

fn store(locale: Locale) {
    // Private browsing may refuse storage; the choice then lasts for this page only.
    if let Ok(Some(storage)) = window().local_storage() {
        let _ = storage.set_item(STORAGE_KEY, locale.tag());
    }
}

fn browser_locale() -> Option<Locale> {
    Locale::from_tag(&window().navigator().language()?)
}

fn set_document_lang(locale: Locale) {
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("lang", locale.tag());
    }
}
