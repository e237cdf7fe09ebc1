//! "Copy set-password link" (`.seat-link__dialog`): asks the server for a new
//! one-time link and shows it, absolute, with a Copy button.

use leptos::prelude::*;
use navsync_api::Seat;

use super::{CopyLink, use_seats};
use crate::api::client;
use crate::components::{Loading, ModalDialog};
use crate::i18n::{Key, password_link_for, server_message};
use crate::logic::seats::absolute_url;
use crate::state::i18n::use_i18n;

/// Creates the link when it opens (older links of the person stop working).
#[component]
pub fn PasswordLinkDialog(
    /// The seat whose link to make.
    seat: Seat,
) -> impl IntoView {
    let i18n = use_i18n();
    let seats = use_seats();
    let create = Action::new_local(|id: &navsync_api::PersonId| {
        let id = id.clone();
        async move { client::password_link(&id).await }
    });
    create.dispatch(seat.id.clone());
    let close = {
        let id = seat.id.clone();
        Callback::new(move |()| seats.close_dialog(&id))
    };
    let name = seat.name.clone();
    let body = move || match create.value().get() {
        None => view! { <Loading /> }.into_any(),
        Some(Ok(link)) => {
            let origin = window().location().origin().unwrap_or_default();
            let name = name.clone();
            view! {
                <CopyLink
                    url=absolute_url(&origin, &link.url)
                    id="seat-link-url".to_owned()
                    class="seat-link__url"
                    label=Signal::derive(move || password_link_for(i18n.locale(), &name))
                />
            }
            .into_any()
        }
        Some(Err(error)) => view! {
            <p class="form-error seat-link__error" role="alert">
                {move || server_message(i18n.locale(), &error)}
            </p>
        }
        .into_any(),
    };
    view! {
        <ModalDialog labelled_by="seat-link-title" class="seat-dialog seat-link__dialog" on_close=close>
            <h2 class="seat-dialog__title" id="seat-link-title">
                {move || i18n.t(Key::PasswordLinkTitle)}
            </h2>
            <p class="seat-link__text">{move || i18n.t(Key::PasswordLinkText)}</p>
            {body}
            <div class="seat-dialog__actions">
                <button type="button" class="button button--secondary seat-dialog__close" on:click=move |_| close.run(())>
                    {move || i18n.t(Key::Close)}
                </button>
            </div>
        </ModalDialog>
    }
}
