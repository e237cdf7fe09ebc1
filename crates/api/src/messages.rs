//! InMails, messages and their copy to the CRM (SPEC H1, H2, H4): the inbox of
//! threads, the thread view, replies, and the "Copy message to CRM" / "Copy
//! thread" checkboxes with each item's CRM state.

use serde::{Deserialize, Serialize};

/// An InMail thread or a message thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ThreadKind {
    /// An InMail conversation (written back as `li_inmail`).
    Inmail,
    /// A message conversation (written back as `li_message`).
    Message,
}

/// Who wrote a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The counterpart wrote it.
    Inbound,
    /// The seat holder wrote it.
    Outbound,
}

/// The person on the other side of a thread.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Participant {
    /// Full name.
    pub name: String,
    /// Email, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// LinkedIn profile URL, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_url: Option<String>,
    /// Company, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
}

/// Where an item stands with the CRM (H4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum CrmCopy {
    /// Not ticked: stays out of the CRM.
    NotCopied,
    /// Ticked and queued for the CRM.
    Waiting,
    /// In the CRM.
    Copied {
        /// The CRM activity's id.
        crm_id: String,
        /// A link to it, when the CRM is connected.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        url: Option<String>,
        /// The matching rule that found the contact (R3); absent when a
        /// person resolved the item by hand.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rule: Option<MatchRule>,
    },
    /// Written as an open task: no contact matched (R2).
    Unresolved {
        /// Why nothing matched.
        reason: String,
    },
    /// Could not be written; can be retried.
    Failed {
        /// Why.
        reason: String,
    },
}

/// The matching rule (R3) that found an item's CRM contact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MatchRule {
    /// Same email address.
    Email,
    /// Same LinkedIn profile URL on the CRM contact.
    ProfileUrl,
    /// Same first and last name with the same company.
    NameAndCompany,
}

/// Whether a thread's messages are ticked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CopyMix {
    /// Every message is ticked.
    All,
    /// Some are.
    Some,
    /// None is.
    None,
}

/// One thread in the inbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThreadSummary {
    /// Its id.
    pub id: String,
    /// InMail or message.
    pub kind: ThreadKind,
    /// Subject line.
    pub subject: String,
    /// The counterpart.
    pub participant: Participant,
    /// Unread messages.
    pub unread: u32,
    /// The newest message's text, shortened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_message: Option<String>,
    /// When the newest message was sent (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_at: Option<String>,
    /// Whether its messages are ticked for the CRM.
    pub copy: CopyMix,
}

/// A page of the inbox, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThreadPage {
    /// The threads.
    pub items: Vec<ThreadSummary>,
    /// Threads matching the query in all.
    pub total: u64,
}

/// One message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThreadMessage {
    /// Its id.
    pub id: String,
    /// Who wrote it.
    pub direction: Direction,
    /// The text.
    pub body: String,
    /// When it was sent (RFC 3339).
    pub sent_at: String,
    /// Not read yet.
    pub unread: bool,
    /// "Copy message to CRM".
    pub copy_to_crm: bool,
    /// Its CRM state.
    pub crm: CrmCopy,
}

/// A thread with its messages, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Thread {
    /// The thread.
    pub summary: ThreadSummary,
    /// Its messages.
    pub messages: Vec<ThreadMessage>,
}

/// `PUT .../copy`: tick or untick.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetCopy {
    /// Copy to the CRM.
    pub copy: bool,
}

/// `POST /api/threads/{id}/messages`: a reply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SendMessage {
    /// The text (1–8,000 characters).
    pub body: String,
    /// "Copy message to CRM"; the organization's writeback choice when absent.
    #[serde(default)]
    pub copy_to_crm: Option<bool>,
}

/// The longest message body accepted.
pub const MAX_BODY_CHARS: usize = 8_000;

/// The admin's writeback choices (W1, W2, W4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WritebackSettings {
    /// W1: "Enable Sales Navigator to sync back data to your CRM?"
    pub enabled: bool,
    /// W2: "Sync back all data items" (otherwise only the chosen types).
    pub all_items: bool,
    /// W2: InMails chosen.
    pub inmails: bool,
    /// W2: messages chosen.
    pub messages: bool,
    /// W2: notes chosen.
    pub notes: bool,
    /// W4: write as the seat holder (impersonation), so they are the creator too.
    pub impersonation: bool,
}

/// `GET /api/admin/crm/writeback`: the choices and the companion solution check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WritebackStatus {
    /// The saved choices.
    pub settings: WritebackSettings,
    /// A CRM is connected.
    pub connected: bool,
    /// The companion solution is installed; `None` when it could not be checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installed: Option<bool>,
    /// "Get it now": where to get the companion solution.
    pub get_it_url: String,
}

/// One item of the unresolved report (R2): written as an open task because no
/// CRM contact matched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnresolvedItem {
    /// The message's id.
    pub id: String,
    /// Its thread.
    pub thread_id: String,
    /// InMail or message.
    pub kind: ThreadKind,
    /// The seat holder it belongs to.
    pub owner: String,
    /// The counterpart no contact matched.
    pub participant: Participant,
    /// The message text, shortened.
    pub snippet: String,
    /// Why nothing matched.
    pub reason: String,
    /// The open task in the CRM.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
}

/// The unresolved report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnresolvedPage {
    /// The items, newest first.
    pub items: Vec<UnresolvedItem>,
}

/// `POST /api/unresolved/{id}/link`: the CRM contact the item belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LinkContact {
    /// The contact's `contactid` (a GUID).
    pub contact_id: String,
}

/// The outcome of resolving an item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Resolved {
    /// The contact it is now on.
    pub contact_id: String,
    /// The closed activity written there.
    pub activity_id: String,
    /// A link to the contact in the CRM.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// `POST /api/threads`: a new InMail or message to someone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ComposeThread {
    /// InMail or message.
    pub kind: ThreadKind,
    /// Subject line (may be empty for messages).
    #[serde(default)]
    pub subject: String,
    /// The recipient.
    pub to: Participant,
    /// The first message (1–8,000 characters).
    pub body: String,
    /// "Copy message to CRM"; the organization's writeback choice when absent.
    #[serde(default)]
    pub copy_to_crm: Option<bool>,
}

/// What a note is on (H3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoteSubject {
    /// A saved lead.
    Lead,
    /// A saved account.
    Account,
}

/// A note on a saved lead or account, with "Copy to CRM" and its CRM state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Note {
    /// Its id.
    pub id: String,
    /// Lead or account.
    pub subject_kind: NoteSubject,
    /// The saved lead's or account's id.
    pub subject_id: String,
    /// The text.
    pub body: String,
    /// When it was written (RFC 3339).
    pub created_at: String,
    /// "Copy to CRM".
    pub copy_to_crm: bool,
    /// Its CRM state.
    pub crm: CrmCopy,
}

/// The caller's notes, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotePage {
    /// The notes.
    pub items: Vec<Note>,
    /// Whether "Copy to CRM" starts ticked on a new note (the admin's
    /// writeback choice, W2).
    #[serde(default)]
    pub copy_default: bool,
}

/// `POST /api/notes`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewNote {
    /// Lead or account.
    pub subject_kind: NoteSubject,
    /// The saved lead's or account's id (one of the caller's).
    pub subject_id: String,
    /// The text (1–8,000 characters).
    pub body: String,
    /// "Copy to CRM"; the organization's writeback choice when absent.
    #[serde(default)]
    pub copy_to_crm: Option<bool>,
}
