//! The Messages view's parts (SPEC H1, H2, H4, H6), one component per file,
//! and the copy toggles they share: optimistic, retried with backoff on a
//! flaky connection, rolled back with an alert when they cannot be saved.

pub mod compose_form;
pub mod copy_alert;
pub mod crm_state;
pub mod message_item;
pub mod reply_form;
pub mod thread_row;
pub mod thread_view;

pub use compose_form::ComposeForm;
pub use copy_alert::CopyAlert;
pub use crm_state::CrmState;
pub use message_item::MessageItem;
pub use reply_form::ReplyForm;
pub use thread_row::ThreadRow;
pub use thread_view::ThreadView;

use std::cell::Cell;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use leptos::prelude::*;
use navsync_api::messages::{CrmCopy, Direction, ThreadMessage};

use crate::api::{ApiError, client};
use crate::logic::messages::backoff_ms;

/// What a copy toggle saves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CopyTarget {
    /// "Copy thread": every message of the thread.
    Thread(String),
    /// "Copy message to CRM": one message of the thread.
    Message {
        /// The thread.
        thread: String,
        /// The message.
        message: String,
    },
}

/// One tick or untick.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyChange {
    /// What it is on.
    pub target: CopyTarget,
    /// Ticked.
    pub copy: bool,
}

/// The page's copy toggles: the save action, the values shown before the
/// server confirms them, and the last change that could not be saved.
#[derive(Clone, Copy)]
pub struct CopyToggles {
    /// Saves a change, retrying network errors with backoff.
    pub action: Action<CopyChange, Result<(), ApiError>>,
    /// Threads ticked or unticked as a whole, by thread id.
    pub threads: RwSignal<HashMap<String, bool>>,
    /// Messages ticked or unticked, by (thread id, message id).
    pub messages: RwSignal<HashMap<(String, String), bool>>,
    /// The change rolled back after its last try, for "Not saved — Retry".
    pub failed: RwSignal<Option<CopyChange>>,
}

impl CopyToggles {
    /// The toggles of one page.
    pub fn new() -> Self {
        let threads = RwSignal::new(HashMap::new());
        let messages = RwSignal::new(HashMap::new());
        let failed = RwSignal::new(None);
        let action = Action::new_local(move |change: &CopyChange| {
            let change = change.clone();
            async move {
                let result = save(&change).await;
                if result.is_err() {
                    // Roll back: the server's value shows again.
                    match &change.target {
                        CopyTarget::Thread(id) => threads.update(|t| {
                            t.remove(id);
                        }),
                        CopyTarget::Message { thread, message } => messages.update(|m| {
                            m.remove(&(thread.clone(), message.clone()));
                        }),
                    }
                    failed.set(Some(change));
                }
                result
            }
        });
        Self {
            action,
            threads,
            messages,
            failed,
        }
    }

    /// Shows `change` at once and saves it.
    pub fn toggle(&self, change: CopyChange) {
        self.failed.set(None);
        match &change.target {
            CopyTarget::Thread(id) => {
                self.threads.update(|t| {
                    t.insert(id.clone(), change.copy);
                });
                // A whole-thread change overrides earlier single ticks.
                self.messages
                    .update(|m| m.retain(|(thread, _), _| thread != id));
            }
            CopyTarget::Message { thread, message } => self.messages.update(|m| {
                m.insert((thread.clone(), message.clone()), change.copy);
            }),
        }
        self.action.dispatch(change);
    }

    /// The pending toggles of thread `thread`, without tracking them (the
    /// caller tracks `threads` and `messages` once): the whole-thread choice,
    /// and the single messages' choices by message id. A message shows its
    /// single choice, else the thread's, else the server's value.
    pub fn pending_untracked(&self, thread: &str) -> (Option<bool>, HashMap<String, bool>) {
        let whole = self.threads.with_untracked(|t| t.get(thread).copied());
        let singles = self.messages.with_untracked(|m| {
            m.iter()
                .filter(|((t, _), _)| t == thread)
                .map(|((_, message), copy)| (message.clone(), *copy))
                .collect()
        });
        (whole, singles)
    }
}

/// One message of the open thread as shown: what never changes, and one
/// signal per thing that does, so a change re-renders only that message.
#[derive(Clone)]
pub struct MessageCell {
    /// The message's id.
    pub id: String,
    /// Who wrote it.
    pub direction: Direction,
    /// The text.
    pub body: String,
    /// When it was sent (RFC 3339).
    pub sent_at: String,
    /// "Copy message to CRM" as shown (a pending toggle, else the server's).
    pub ticked: RwSignal<bool>,
    /// Its CRM state on the server.
    pub crm: RwSignal<CrmCopy>,
}

impl MessageCell {
    /// The cell of `message`, shown ticked or not.
    pub fn new(message: &ThreadMessage, ticked: bool) -> Self {
        Self {
            id: message.id.clone(),
            direction: message.direction,
            body: message.body.clone(),
            sent_at: message.sent_at.clone(),
            ticked: RwSignal::new(ticked),
            crm: RwSignal::new(message.crm.clone()),
        }
    }

    /// Shows `ticked` and `crm`, notifying only what changed.
    pub fn refresh(&self, ticked: bool, crm: &CrmCopy) {
        if self.ticked.get_untracked() != ticked {
            self.ticked.set(ticked);
        }
        if self.crm.with_untracked(|c| c != crm) {
            self.crm.set(crm.clone());
        }
    }
}

impl Default for CopyToggles {
    fn default() -> Self {
        Self::new()
    }
}

/// Sends one change, trying again after each network error as
/// [`backoff_ms`] says; other errors are final at once.
async fn save(change: &CopyChange) -> Result<(), ApiError> {
    let mut failed_tries = 0;
    loop {
        let result = match &change.target {
            CopyTarget::Thread(id) => client::set_thread_copy(id, change.copy).await,
            CopyTarget::Message { message, .. } => {
                client::set_message_copy(message, change.copy).await
            }
        };
        failed_tries += 1;
        match (result, backoff_ms(failed_tries)) {
            (Err(ApiError::Network(_)), Some(wait)) => sleep(u64::from(wait)).await,
            (result, _) => return result,
        }
    }
}

/// Waits `ms` milliseconds on the browser's timer.
fn sleep(ms: u64) -> Sleep {
    let state = Rc::new(SleepState::default());
    let done = Rc::clone(&state);
    set_timeout(
        move || {
            done.ready.set(true);
            if let Some(waker) = done.waker.take() {
                waker.wake();
            }
        },
        Duration::from_millis(ms),
    );
    Sleep { state }
}

#[derive(Default)]
struct SleepState {
    ready: Cell<bool>,
    waker: Cell<Option<Waker>>,
}

/// The future of [`sleep`].
struct Sleep {
    state: Rc<SleepState>,
}

impl Future for Sleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.state.ready.get() {
            Poll::Ready(())
        } else {
            self.state.waker.set(Some(cx.waker().clone()));
            Poll::Pending
        }
    }
}

/// `POST /api/messages/{id}/retry`, by message id.
pub type RetryAction = Action<String, Result<(), ApiError>>;

/// `POST /api/threads/{id}/messages`: (thread id, text).
pub type SendAction = Action<(String, String), Result<(), ApiError>>;
