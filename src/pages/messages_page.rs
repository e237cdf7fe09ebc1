//! `/messages` (team members, SPEC H1, H2, H4, H6): the inbox
//! (`.messages__inbox`, searched with `#messages-search`) and the open
//! thread (`?thread=<id>`). Two panes on desktop; on phones the thread
//! replaces the inbox.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use navsync_api::messages::{SendMessage, ThreadPage, ThreadSummary};

use crate::api::client;
use crate::components::messages::{
    ComposeForm, CopyAlert, CopyToggles, RetryAction, SendAction, ThreadRow, ThreadView,
};
use crate::components::saved::{SavedPager, SavedSearch};
use crate::components::{ErrorView, Loading};
use crate::i18n::Key;
use crate::logic::messages::checkbox_state;
use crate::logic::seats::encode;
use crate::logic::sync::SavedQuery;
use crate::routes::{Page, path};
use crate::state::i18n::use_i18n;

/// The page: inbox, open thread and the "Not saved" alert.
#[component]
pub fn MessagesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = RwSignal::new(SavedQuery::default());
    let selected = RwSignal::new(None::<String>);
    let toggles = CopyToggles::new();
    // The open thread follows `?thread=`, so the browser's back button
    // returns from a thread to the inbox on phones.
    let url = use_query_map();
    let navigate = use_navigate();
    Effect::new(move |_| {
        let id = url.with(|q| q.get("thread"));
        if selected.with_untracked(|s| *s != id) {
            selected.set(id);
        }
    });
    Effect::new(move |_| {
        let id = selected.get();
        if url.with_untracked(|q| q.get("thread")) != id {
            let page = path(Page::Messages);
            let to = id.map_or_else(
                || page.to_owned(),
                |id| format!("{page}?thread={}", encode(&id)),
            );
            navigate(&to, Default::default());
        }
    });
    let retry: RetryAction = Action::new_local(|id: &String| {
        let id = id.clone();
        async move { client::retry_message(&id).await }
    });
    let send: SendAction = Action::new_local(|(thread, body): &(String, String)| {
        let thread = thread.clone();
        let form = SendMessage {
            body: body.clone(),
            copy_to_crm: None,
        };
        async move { client::reply(&thread, &form).await }
    });
    // Bumped when an opened thread was marked read: the inbox reads again.
    let read = RwSignal::new(0_u32);
    let on_read = Callback::new(move |()| read.update(|n| *n += 1));
    let list = LocalResource::new(move || {
        read.track();
        let query = query.get();
        toggles.action.version().get();
        send.version().get();
        selected.track();
        async move { client::threads(&query).await }
    });
    // The last page read, kept while the next one loads so the list stays.
    let page = Memo::new(move |prev: Option<&Option<ThreadPage>>| match list.get() {
        Some(Ok(page)) => Some(page),
        _ => prev.cloned().flatten(),
    });
    let loaded = Memo::new(move |_| page.with(Option::is_some));
    let row_count = Signal::derive(move || page.with(|p| p.as_ref().map_or(0, |p| p.items.len())));
    let total = Signal::derive(move || page.with(|p| p.as_ref().map_or(0, |p| p.total)));
    // A new thread: show it, from the first page of the inbox.
    let on_sent = Callback::new(move |id: String| {
        query.update(|q| q.offset = 0);
        read.update(|n| *n += 1);
        selected.set(Some(id));
    });
    let rows =
        Memo::new(move |_| page.with(|p| p.as_ref().map(|p| p.items.clone()).unwrap_or_default()));
    let row_key = |t: &ThreadSummary| {
        (
            t.id.clone(),
            t.unread,
            checkbox_state(t.copy),
            t.last_at.clone(),
            t.last_message.clone(),
        )
    };
    let list_view = move || {
        if !loaded.get() {
            return match list.get() {
                Some(Err(error)) => {
                    let retry = Callback::new(move |()| list.refetch());
                    view! { <ErrorView error=error on_retry=retry /> }.into_any()
                }
                _ => view! { <Loading /> }.into_any(),
            };
        }
        view! {
            {move || {
                rows.with(Vec::is_empty)
                    .then(|| {
                        let key = if query.with(|q| q.q.trim().is_empty()) {
                            Key::MessagesEmpty
                        } else {
                            Key::MessagesNoMatch
                        };
                        view! { <p class="messages__empty">{move || i18n.t(key)}</p> }
                    })
            }}
            <ul class="messages__list" aria-labelledby="messages-inbox-title">
                <For
                    each=move || rows.get()
                    key=row_key
                    children=move |summary| {
                        view! { <ThreadRow summary=summary toggles=toggles selected=selected /> }
                    }
                />
            </ul>
            <SavedPager query=query rows=row_count total=total />
        }
        .into_any()
    };
    let on_back = Callback::new(move |()| selected.set(None));
    let thread_view = move || {
        match selected.get() {
        Some(id) => view! {
            <ThreadView id=id toggles=toggles retry=retry send=send on_back=on_back on_read=on_read />
        }
        .into_any(),
        None => view! {
            <p class="messages__choose">{move || i18n.t(Key::MessagesChoose)}</p>
        }
        .into_any(),
    }
    };
    view! {
        <section class="page messages" class:messages--open=move || selected.with(Option::is_some)>
            <h1 class="page__title">{move || i18n.t(Key::Messages)}</h1>
            <CopyAlert toggles=toggles />
            <div class="messages__panes">
                <div class="messages__inbox">
                    <h2 class="messages__inbox-title" id="messages-inbox-title">
                        {move || i18n.t(Key::MessagesInbox)}
                    </h2>
                    <SavedSearch id="messages-search" label=Key::MessagesSearch query=query />
                    <ComposeForm on_sent=on_sent />
                    {list_view}
                </div>
                <div class="messages__pane">{thread_view}</div>
            </div>
        </section>
    }
}
