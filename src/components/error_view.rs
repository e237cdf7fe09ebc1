//! The one view for every failed load: the translated message and, where the
//! load can be repeated, a retry button.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::{Key, api_error};
use crate::state::i18n::use_i18n;

/// Shows `error` in the current language.
#[component]
pub fn ErrorView(
    /// What went wrong.
    error: ApiError,
    /// Repeats the failed load; without it no retry button is shown.
    #[prop(optional)]
    on_retry: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let message = move || api_error(i18n.locale(), &error);
    view! {
        <div class="error-view" role="alert">
            <h2 class="error-view__title">{move || i18n.t(Key::ErrorTitle)}</h2>
            <p class="error-view__message">{message}</p>
            {on_retry
                .map(|retry| {
                    view! {
                        <button type="button" class="button error-view__retry" on:click=move |_| retry.run(())>
                            {move || i18n.t(Key::Retry)}
                        </button>
                    }
                })}
        </div>
    }
}
