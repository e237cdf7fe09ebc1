//! Notes on saved leads and accounts (SPEC H3) with "Copy to CRM" (H2) and
//! each note's CRM state (H4). The page reads the seat holder's notes once
//! ([`Notes::provide`]); each row shows its own in a disclosure
//! (`details.notes[data-subject-id]`): the notes (`li.notes__note`, with
//! `input.notes__copy`), and a form to add one (`form.notes__form`) whose
//! "Copy to CRM" box (`input.notes__new-copy`) starts as the admin's
//! writeback choice.

use leptos::prelude::*;
use navsync_api::messages::{CrmCopy, NewNote, Note, NotePage, NoteSubject};

use crate::api::{ApiError, client};
use crate::i18n::{Key, api_error, date_time, notes_summary};
use crate::logic::crm::local_time;
use crate::state::i18n::use_i18n;

/// The page's notes, read again after every write (cheap to copy).
#[derive(Clone, Copy)]
pub struct Notes {
    list: LocalResource<Result<NotePage, ApiError>>,
    written: RwSignal<u32>,
}

impl Notes {
    /// Reads the seat holder's notes.
    pub fn provide() -> Self {
        let written = RwSignal::new(0_u32);
        let list = LocalResource::new(move || {
            written.track();
            client::notes()
        });
        Self { list, written }
    }

    fn page(&self) -> Option<NotePage> {
        self.list.get().and_then(Result::ok)
    }

    /// A note was added or changed: read them again.
    fn changed(&self) {
        self.written.update(|n| *n += 1);
    }
}

/// The notes of one saved lead or account.
#[component]
pub fn NotesPanel(
    /// The page's notes.
    notes: Notes,
    /// Lead or account.
    kind: NoteSubject,
    /// Its id.
    subject_id: String,
    /// Its name, for the labels.
    name: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let subject = StoredValue::new(subject_id.clone());
    let mine = Memo::new(move |_| {
        let page = notes.page();
        let items: Vec<Note> = page
            .as_ref()
            .map(|p| {
                subject.with_value(|s| {
                    p.items
                        .iter()
                        .filter(|n| n.subject_kind == kind && &n.subject_id == s)
                        .cloned()
                        .collect()
                })
            })
            .unwrap_or_default();
        items
    });
    let copy_default = Memo::new(move |_| notes.page().is_some_and(|p| p.copy_default));
    let text = RwSignal::new(String::new());
    // `None`: follow the default until the seat holder changes the box.
    let copy_choice = RwSignal::new(None::<bool>);
    let new_copy = move || copy_choice.get().unwrap_or_else(|| copy_default.get());
    let empty = RwSignal::new(false);
    // Saved: the form empties and the list reads again; not saved: the text stays.
    let add = Action::new_local(move |form: &NewNote| {
        let form = form.clone();
        async move {
            let result = client::add_note(&form).await;
            if result.is_ok() {
                text.set(String::new());
                copy_choice.set(None);
                notes.changed();
            }
            result
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = text.get_untracked().trim().to_owned();
        if body.is_empty() {
            empty.set(true);
            return;
        }
        empty.set(false);
        add.dispatch(NewNote {
            subject_kind: kind,
            subject_id: subject.get_value(),
            body,
            copy_to_crm: Some(new_copy()),
        });
    };
    let add_error = move || match add.value().get() {
        Some(Err(error)) => Some(api_error(i18n.locale(), &error)),
        _ => None,
    };
    let field = format!("note-new-{subject_id}");
    let copy_field = format!("note-new-copy-{subject_id}");
    let error_id = format!("{field}-error");
    let name = StoredValue::new(name);
    view! {
        <details class="notes" data-subject-id=subject_id>
            <summary class="notes__summary">
                {move || notes_summary(i18n.locale(), mine.with(Vec::len))}
                <span class="sr-only">" — " {move || name.get_value()}</span>
            </summary>
            <ul class="notes__list">
                <For
                    each=move || mine.get()
                    key=|n: &Note| (n.id.clone(), n.copy_to_crm, format!("{:?}", n.crm))
                    children=move |note| view! { <NoteItem note=note notes=notes /> }
                />
            </ul>
            <form class="notes__form" on:submit=on_submit novalidate=true>
                <label class="notes__label" for=field.clone()>
                    {move || i18n.t(Key::NoteNew)}
                </label>
                <textarea
                    id=field
                    class="field__input notes__text"
                    rows="3"
                    maxlength="8000"
                    aria-invalid=move || empty.get().then_some("true")
                    aria-describedby=move || empty.get().then(|| error_id.clone())
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                ></textarea>
                {
                    let error_id = format!("note-new-{}-error", subject.get_value());
                    move || {
                        empty
                            .get()
                            .then(|| {
                                view! {
                                    <p class="field__error" id=error_id.clone()>
                                        {move || i18n.t(Key::NoteEmpty)}
                                    </p>
                                }
                            })
                    }
                }
                <div class="notes__form-row">
                    <span class="notes__copy-field">
                        <input
                            id=copy_field.clone()
                            class="notes__new-copy"
                            type="checkbox"
                            prop:checked=new_copy
                            on:change=move |ev| copy_choice.set(Some(event_target_checked(&ev)))
                        />
                        <label for=copy_field>{move || i18n.t(Key::CopyToCrm)}</label>
                    </span>
                    <button
                        type="submit"
                        class="button button--primary notes__add"
                        disabled=move || add.pending().get()
                    >
                        {move || i18n.t(if add.pending().get() { Key::NoteAdding } else { Key::NoteAdd })}
                    </button>
                </div>
                <p class="notes__error" role="alert">{add_error}</p>
            </form>
        </details>
    }
}

/// One note: text, time, "Copy to CRM" and its CRM state.
#[component]
fn NoteItem(note: Note, notes: Notes) -> impl IntoView {
    let i18n = use_i18n();
    let Note {
        id,
        body,
        created_at,
        copy_to_crm,
        crm,
        ..
    } = note;
    let box_id = format!("note-copy-{id}");
    let note_id = StoredValue::new(id.clone());
    // What the box shows while its save runs; put back when it fails.
    let shown = RwSignal::new(copy_to_crm);
    let failed = RwSignal::new(false);
    let save = Action::new_local(move |copy: &bool| {
        let copy = *copy;
        let id = note_id.get_value();
        async move {
            match client::set_note_copy(&id, copy).await {
                Ok(()) => notes.changed(),
                Err(_) => {
                    shown.set(copy_to_crm);
                    failed.set(true);
                }
            }
        }
    });
    let on_change = move |ev: leptos::ev::Event| {
        let copy = event_target_checked(&ev);
        shown.set(copy);
        failed.set(false);
        save.dispatch(copy);
    };
    let time = move || {
        local_time(&created_at)
            .map_or_else(|| created_at.clone(), |at| date_time(i18n.locale(), &at))
    };
    let copied = matches!(crm, CrmCopy::Copied { .. });
    let state = match crm {
        CrmCopy::NotCopied => view! { <span>{move || i18n.t(Key::CrmStateNotCopied)}</span> }.into_any(),
        CrmCopy::Waiting => view! { <span>{move || i18n.t(Key::CrmStateWaiting)}</span> }.into_any(),
        CrmCopy::Copied { url, .. } => view! {
            <span>{move || i18n.t(Key::CrmStateCopied)}</span>
            {url
                .map(|url| {
                    view! {
                        " "
                        <a class="notes__crm-link" href=url target="_blank" rel="noopener noreferrer">
                            {move || i18n.t(Key::CrmStateOpen)}
                        </a>
                    }
                })}
        }
        .into_any(),
        CrmCopy::Unresolved { reason } => view! {
            <span>{move || i18n.t(Key::CrmStateUnresolved)}</span>
            " "
            <span class="notes__crm-reason">{reason}</span>
        }
        .into_any(),
        CrmCopy::Failed { reason } => view! {
            <span>{move || i18n.t(Key::CrmStateFailed)}</span>
            " "
            <span class="notes__crm-reason">{reason}</span>
        }
        .into_any(),
    };
    view! {
        <li class="notes__note" data-note-id=id>
            <p class="notes__time">{time}</p>
            <p class="notes__body">{body}</p>
            <p class="notes__copy-row">
                <input
                    id=box_id.clone()
                    class="notes__copy"
                    type="checkbox"
                    prop:checked=move || shown.get()
                    on:change=on_change
                />
                <label for=box_id>{move || i18n.t(Key::CopyToCrm)}</label>
            </p>
            <p class="notes__crm-state">
                {state}
                {move || {
                    (copied && !shown.get())
                        .then(|| view! { <span class="notes__crm-stays">" " {move || i18n.t(Key::CrmStateStays)}</span> })
                }}
            </p>
            <p class="notes__error" role="alert">
                {move || failed.get().then(|| i18n.t(Key::NoteNotSaved))}
            </p>
        </li>
    }
}
