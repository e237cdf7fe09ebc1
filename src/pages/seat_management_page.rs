//! `/admin/seats`: the organization's seats, read-only for now.

use leptos::prelude::*;

use crate::api::client;
use crate::components::{ErrorView, Loading, SeatTable};
use crate::i18n::{Key, seats_used};
use crate::state::i18n::use_i18n;
use crate::state::session::use_session;

/// The first 50 seats and the organization's seat usage.
#[component]
pub fn SeatManagementPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let seats = LocalResource::new(|| client::seats(0, 50));
    let usage = move || {
        session.me().map(|me| {
            seats_used(
                i18n.locale(),
                me.organization.seats_used,
                me.organization.seat_limit,
            )
        })
    };
    view! {
        <section class="page seats">
            <h1 class="page__title">{move || i18n.t(Key::SeatManagement)}</h1>
            <p class="seats__usage">{usage}</p>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match seats.await {
                        Ok(page) => view! { <SeatTable page=page /> }.into_any(),
                        Err(error) => {
                            let retry = Callback::new(move |()| seats.refetch());
                            view! { <ErrorView error=error on_retry=retry /> }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}
