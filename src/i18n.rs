//! The one catalogue of UI strings, in English and Dutch.
//!
//! Pure Rust: no leptos, no web-sys, so every string is unit-tested natively.
//! The reactive side (the current locale in context) lives in
//! [`crate::state::i18n`]. English labels quoted in the product spec are kept
//! word for word.

use chrono::{Datelike, NaiveDateTime, Timelike};
use navsync_api::crm::{CrmErrorKind, DisconnectPreview};
use navsync_api::{ErrorBody, ErrorCode, FieldError, Licence, Locale};

use crate::api::ApiError;

/// Declares [`Key`] and [`Key::ALL`] from one list, so the tests see every key.
macro_rules! keys {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        /// Identifies one UI string.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Key {
            $($(#[$doc])* $name,)*
        }

        impl Key {
            /// Every key, in declaration order.
            pub const ALL: &'static [Key] = &[$(Key::$name,)*];
        }
    };
}

keys! {
    /// Product name.
    AppName,
    /// Skip link to the main content.
    SkipToContent,
    /// Generic loading status.
    Loading,
    /// Retry button.
    Retry,
    /// Label of the language switch.
    Language,
    /// The English option (an endonym, the same in every language).
    LanguageEnglish,
    /// The Dutch option (an endonym, the same in every language).
    LanguageDutch,
    /// Accessible name of the main navigation.
    MainNavigation,
    /// Menu button on small screens.
    Menu,
    /// Sign-out button.
    SignOut,
    /// Sign-out button while signing out.
    SigningOut,
    /// Navigation group of the admin pages.
    AdminSettings,
    /// Navigation group of the team-member pages.
    Workspace,
    /// Admin page: CRM settings.
    CrmSettings,
    /// Admin page: seats.
    SeatManagement,
    /// Team-member page: messages.
    Messages,
    /// Team-member page: saved leads.
    SavedLeads,
    /// Team-member page: saved accounts.
    SavedAccounts,
    /// Sign-in page heading.
    SignInTitle,
    /// Email field label.
    Email,
    /// Password field label.
    Password,
    /// Sign-in button.
    SignInSubmit,
    /// Sign-in button while signing in.
    SigningIn,
    /// Demo-mode hint: heading.
    DemoHintTitle,
    /// Demo-mode hint: the admin account.
    DemoHintAdmin,
    /// Demo-mode hint: the team-member account.
    DemoHintTeamMember,
    /// Demo-mode hint: the password.
    DemoHintPassword,
    /// Set-up page heading.
    SetupTitle,
    /// Set-up page introduction.
    SetupIntro,
    /// Set-up field: organization name.
    OrganizationName,
    /// Set-up field: seat count.
    SeatCount,
    /// Set-up field: the first admin's name.
    YourName,
    /// Set-up field hint: password length.
    PasswordHint,
    /// Set-up checkbox: also a team-member seat.
    AlsoTeamMember,
    /// Set-up button.
    SetupSubmit,
    /// Set-up button while busy.
    SettingUp,
    /// Heading of the error view.
    ErrorTitle,
    /// The server could not be reached.
    ErrorNetwork,
    /// Malformed request.
    ErrorBadRequest,
    /// Some fields are invalid.
    ErrorValidationFailed,
    /// The session has ended.
    ErrorUnauthenticated,
    /// Not allowed.
    ErrorForbidden,
    /// Not found.
    ErrorNotFound,
    /// Conflicts with the current state.
    ErrorConflict,
    /// Wrong email or password.
    ErrorInvalidCredentials,
    /// Too many attempts, no wait time known.
    ErrorTooManyRequests,
    /// Request too large.
    ErrorPayloadTooLarge,
    /// Wrong content type.
    ErrorUnsupportedMediaType,
    /// Blocked as cross-site.
    ErrorCrossSiteRequest,
    /// Server fault.
    ErrorInternal,
    /// Field rule: required.
    FieldRequired,
    /// Field rule: email shape.
    FieldEmail,
    /// Field rule: too short (no length known).
    FieldTooShort,
    /// Field rule: too long (no length known).
    FieldTooLong,
    /// Field rule: number out of range (no bounds known).
    FieldOutOfRange,
    /// Heading of the no-access view.
    NoAccessTitle,
    /// Text of the no-access view.
    NoAccessText,
    /// Link to the start page.
    GoHome,
    /// 404 heading.
    NotFoundTitle,
    /// 404 text.
    NotFoundText,
    /// Shared text of pages that are not built yet.
    NotAvailable,
    /// What Messages will hold.
    MessagesSoon,
    /// What Saved leads will hold.
    SavedLeadsSoon,
    /// What Saved accounts will hold.
    SavedAccountsSoon,
    /// Seat table caption.
    SeatsCaption,
    /// Seat table column: name.
    ColumnName,
    /// Seat table column: email.
    ColumnEmail,
    /// Seat table column: licence type.
    ColumnLicence,
    /// No seats yet.
    SeatsEmpty,
    /// Licence: admin.
    LicenceAdmin,
    /// Licence: team member.
    LicenceTeamMember,
    /// Licence: admin and team member.
    LicenceAdminAndTeamMember,
    /// Field rule: tenant ID or domain.
    FieldTenant,
    /// Field rule: a GUID such as a client ID.
    FieldGuid,
    /// Field rule: one of the offered choices.
    FieldChoice,
    /// CRM Settings: heading of the prerequisites (C1).
    CrmPrerequisitesTitle,
    /// C1: the supported Dynamics.
    CrmPrerequisiteOnline,
    /// C1: the app registration.
    CrmPrerequisiteAppRegistration,
    /// C1: the Integration User's security role.
    CrmPrerequisiteRole,
    /// C2 "Connect to CRM": heading and button.
    ConnectToCrm,
    /// C2: what the form asks for.
    CrmConnectIntro,
    /// C2: the recommendation and its reason.
    CrmRecommendation,
    /// Field: environment URL.
    CrmEnvironmentUrl,
    /// Hint: environment URL.
    CrmEnvironmentUrlHint,
    /// Field: tenant.
    CrmTenant,
    /// Hint: tenant.
    CrmTenantHint,
    /// Field: client ID.
    CrmClientId,
    /// Hint: client ID.
    CrmClientIdHint,
    /// Field: client secret.
    CrmClientSecret,
    /// Connect and update buttons while the server verifies.
    CrmVerifying,
    /// C4: the CRM could not be reached.
    CrmProblemCouldNotConnect,
    /// C4: the CRM API answered with an error.
    CrmProblemApiError,
    /// C4: access refused.
    CrmProblemInsufficientPrivileges,
    /// C4: required tables missing.
    CrmProblemMissingObjects,
    /// The environment URL does not parse.
    CrmProblemInvalidUrl,
    /// The environment URL is not HTTPS.
    CrmProblemNotHttps,
    /// C1: on-premises refused.
    CrmProblemOnPremises,
    /// C1: older than 8.2.
    CrmProblemVersionTooOld,
    /// C1: sandbox refused.
    CrmProblemSandbox,
    /// Next step: could not connect.
    CrmNextCouldNotConnect,
    /// Next step: API error.
    CrmNextApiError,
    /// Next step: access refused.
    CrmNextInsufficientPrivileges,
    /// Next step: tables missing.
    CrmNextMissingObjects,
    /// Next step: invalid URL.
    CrmNextInvalidUrl,
    /// Next step: not HTTPS.
    CrmNextNotHttps,
    /// Next step: on-premises.
    CrmNextOnPremises,
    /// Next step: too old.
    CrmNextVersionTooOld,
    /// Next step: sandbox.
    CrmNextSandbox,
    /// Label before the privilege Dataverse named as missing.
    CrmMissingPrivilege,
    /// C3: status heading.
    CrmConnectedTitle,
    /// C3: right after connecting.
    CrmJustConnected,
    /// C3: label before the last sync's date and time.
    CrmLastSync,
    /// C3: no sync finished yet.
    CrmNoSyncYet,
    /// Status: the organization's name in Dynamics.
    CrmOrganization,
    /// Status: Dynamics version.
    CrmVersion,
    /// Status: who connected.
    CrmConnectedBy,
    /// Status: when connected.
    CrmConnectedAt,
    /// Status: when the credentials were replaced.
    CrmCredentialsUpdatedAt,
    /// Heading of the settings form (S1–S3).
    CrmSettingsTitle,
    /// S1 question.
    CrmAutoSyncAll,
    /// S1 hint.
    CrmYesRecommended,
    /// S1: what No means.
    CrmAutoSyncHint,
    /// Radio option: yes.
    Yes,
    /// Radio option: no.
    No,
    /// S2 question.
    CrmPipelineStage,
    /// S2: what Not Sure means.
    CrmPipelineStageHint,
    /// S3 question.
    CrmWonValueField,
    /// S2/S3 option "Not Sure".
    NotSure,
    /// Settings save button.
    CrmSaveSettings,
    /// Save buttons while saving.
    Saving,
    /// After saving the settings.
    CrmSettingsSaved,
    /// "Update credentials": disclosure and button.
    CrmUpdateCredentials,
    /// What updating credentials does.
    CrmUpdateCredentialsIntro,
    /// After updating the credentials.
    CrmCredentialsUpdated,
    /// C5 "Disconnect CRM Sync": heading and buttons.
    CrmDisconnect,
    /// C5: what disconnecting does, on the page.
    CrmDisconnectIntro,
    /// C5: what disconnecting does, in the dialog.
    CrmDisconnectText,
    /// C5 clean-up checkbox.
    CrmCleanUp,
    /// Cancel button.
    Cancel,
    /// Disconnect button while disconnecting.
    CrmDisconnecting,
    /// Seat Management: the search field's label.
    SeatsSearch,
    /// Filter option: everything.
    FilterAll,
    /// Filter and column: CRM sync.
    SeatsCrmSync,
    /// CRM sync state: on.
    SyncOn,
    /// CRM sync state: off.
    SyncOff,
    /// Filter: matched to a CRM user.
    SeatsMatched,
    /// Matched option: yes.
    MatchedYes,
    /// Matched option: no.
    MatchedNo,
    /// Sort select label.
    SortBy,
    /// Sort: name A–Z.
    SortNameAsc,
    /// Sort: name Z–A.
    SortNameDesc,
    /// Sort: email A–Z.
    SortEmailAsc,
    /// Sort: email Z–A.
    SortEmailDesc,
    /// Sort: licence, admins first.
    SortLicenceAsc,
    /// Sort: licence, team members first.
    SortLicenceDesc,
    /// Paging: previous page.
    Previous,
    /// Paging: next page.
    Next,
    /// Column: the "In CRM" badge or why not.
    ColumnCrm,
    /// Column: the row's actions.
    ColumnActions,
    /// Column: the row's checkbox.
    ColumnSelect,
    /// M1 the badge.
    InCrm,
    /// No badge: sync off.
    ReasonSyncOff,
    /// No badge: no CRM user with the email.
    ReasonNoCrmUser,
    /// No badge: no CRM connected.
    ReasonNotConnected,
    /// The header checkbox.
    SelectAllOnPage,
    /// M2/M4 "Enable CRM Sync".
    EnableCrmSync,
    /// M2/M4 "Disable CRM Sync".
    DisableCrmSync,
    /// Why per-seat sync is locked while S1 is Yes.
    AutoSyncAllNote,
    /// Bulk bar: clear the selection.
    ClearSelection,
    /// Bulk bar's accessible name.
    BulkActions,
    /// Row menu: change licence.
    ChangeLicence,
    /// Row menu: set-password link.
    CopyPasswordLink,
    /// Row menu and dialog: remove a seat.
    RemoveSeat,
    /// Remove button while removing.
    Removing,
    /// Save button.
    Save,
    /// Set-password link dialog: heading.
    PasswordLinkTitle,
    /// Set-password link dialog: what to do with it.
    PasswordLinkText,
    /// Copy button.
    Copy,
    /// After copying.
    Copied,
    /// The clipboard refused.
    CopyFailed,
    /// Close button.
    Close,
    /// M3 "Assign seats from CRM".
    AssignSeatsFromCrm,
    /// Assign dialog: search label.
    AssignSearch,
    /// Assign dialog: select-all label.
    SelectAll,
    /// Assign dialog: marker of users with a seat.
    HasSeat,
    /// Assign dialog: a CRM user without email.
    NoEmail,
    /// Assign dialog: licence select label.
    AssignLicence,
    /// Assign dialog: submit.
    AssignSubmit,
    /// Assign dialog: submit while busy.
    Assigning,
    /// Assign dialog: no CRM connected.
    AssignNotConnected,
    /// Link to CRM Settings.
    GoToCrmSettings,
    /// Assign result: heading of the assigned people.
    AssignedTitle,
    /// Assign result: pass the links on.
    AssignedText,
    /// Assign result: heading of the skipped users.
    SkippedTitle,
    /// Skipped: already has a seat.
    SkipAlreadyHasSeat,
    /// Skipped: email used in another organization.
    SkipEmailInUse,
    /// Skipped: no email.
    SkipNoEmail,
    /// Skipped: unknown CRM user.
    SkipNotFound,
    /// Assign dialog: nobody matches.
    CrmUsersEmpty,
    /// Seat list: nobody matches.
    SeatsNoMatch,
    /// Set-password page: heading.
    SetPasswordTitle,
    /// Set-password page: introduction.
    SetPasswordIntro,
    /// Set-password field: new password.
    NewPassword,
    /// Set-password field: repeat.
    RepeatPassword,
    /// The repeat differs.
    PasswordsDiffer,
    /// Set-password submit.
    SetPasswordSubmit,
    /// Set-password submit while busy.
    SettingPassword,
    /// Set-password success.
    PasswordSet,
    /// Link to the sign-in page.
    GoToSignIn,
    /// Server: the set-password link is not valid.
    ServerBadPasswordLink,
    /// Server: the last admin.
    ServerLastAdmin,
    /// Server: per-seat sync while S1 is Yes.
    ServerAutoSyncAll,
    /// Server: no CRM connected.
    ServerNotConnected,
    /// Saved leads: the search field's label.
    SavedLeadsSearch,
    /// Saved accounts: the search field's label.
    SavedAccountsSearch,
    /// Saved leads: none yet.
    SavedLeadsEmpty,
    /// Saved accounts: none yet.
    SavedAccountsEmpty,
    /// Saved lists: nothing matches the search.
    SavedNoMatch,
    /// Saved lists: marker of a hand-saved row.
    SavedByHand,
    /// Remove button.
    Remove,
    /// Saved leads: the hand-save form's heading and button.
    SaveLeadTitle,
    /// Saved accounts: the hand-save form's heading and button.
    SaveAccountTitle,
    /// Field: first name.
    FirstName,
    /// Field: last name.
    LastName,
    /// Field: company.
    Company,
    /// Field: account name.
    AccountName,
    /// Field: the CRM record's ID.
    CrmRecordId,
    /// Hint: the CRM record's ID.
    CrmRecordIdHint,
    /// Why a row only CRM sync brought cannot be removed (the server's sentence).
    SavedFromCrm,
    /// After a hand save.
    SavedDone,
    /// Saved accounts: the won value (S3).
    WonValue,
    /// Accessible name of a saved list's pager.
    SavedPages,
    /// CRM Settings: the sync section's heading.
    SyncTitle,
    /// S5 "Sync now".
    SyncNow,
    /// "Sync now" while asking.
    SyncStarting,
    /// After "Sync now".
    SyncStarted,
    /// A run is in progress.
    SyncInProgress,
    /// Label before the run's phase.
    SyncPhase,
    /// Rows read (label and column).
    SyncRowsRead,
    /// Column: rows changed.
    SyncRowsChanged,
    /// Column: CRM requests.
    SyncCrmRequests,
    /// Column: start time.
    SyncStartedAt,
    /// Column: duration.
    SyncDuration,
    /// Column: full or incremental.
    SyncKind,
    /// A full run.
    SyncFull,
    /// An incremental run.
    SyncIncremental,
    /// Column: error.
    SyncError,
    /// The history table's caption.
    SyncHistory,
    /// No runs yet.
    SyncNoRuns,
    /// Sync is paused after a lasting problem.
    SyncPaused,
    /// The admin pages' CRM warning banner: heading.
    CrmWarningTitle,
    /// The inbox's heading.
    MessagesInbox,
    /// Label of the inbox's search box.
    MessagesSearch,
    /// The inbox has no threads.
    MessagesEmpty,
    /// No thread matches the search.
    MessagesNoMatch,
    /// Accessible text of the unread marker.
    MessagesUnread,
    /// An InMail thread.
    MessagesKindInmail,
    /// A message thread.
    MessagesKindMessage,
    /// No thread is open.
    MessagesChoose,
    /// SPEC H2: the thread's checkbox.
    CopyThread,
    /// SPEC H2: a message's checkbox.
    CopyMessageToCrm,
    /// H4: not ticked.
    CrmStateNotCopied,
    /// H4: queued.
    CrmStateWaiting,
    /// H4: in the CRM.
    CrmStateCopied,
    /// H4: link to the CRM record.
    CrmStateOpen,
    /// H4: no contact matched.
    CrmStateUnresolved,
    /// H4: could not be written.
    CrmStateFailed,
    /// H4: unticked after it was copied.
    CrmStateStays,
    /// H4: writes a failed item again.
    CrmRetry,
    /// A toggle could not be saved; followed by a retry button.
    NotSaved,
    /// Phone layout: back from a thread to the inbox.
    BackToInbox,
    /// A message from the counterpart.
    MessageReceived,
    /// A message from the seat holder.
    MessageSent,
    /// Label of the reply box.
    ThreadReply,
    /// The reply's send button.
    ThreadSend,
    /// The send button while sending.
    ThreadSending,
    /// "Sync now" pressed while a run is in progress.
    SyncQueued,
    /// SPEC R2: the unresolved report's title and navigation entry.
    Unresolved,
    /// The report's introduction for admins.
    UnresolvedIntroAdmin,
    /// The report's introduction for seat holders.
    UnresolvedIntroOwn,
    /// Nothing in the report.
    UnresolvedEmpty,
    /// Before the seat holder an item belongs to.
    UnresolvedOwner,
    /// Before the reason no rule matched.
    UnresolvedReason,
    /// H5: creates the contact in the CRM.
    UnresolvedCreateContact,
    /// Label of the existing contact's id or link.
    UnresolvedContactField,
    /// Links the item to the contact entered.
    UnresolvedLink,
    /// The contact entered is not an id or a record link.
    UnresolvedBadContact,
    /// SPEC H2: a note's checkbox.
    CopyToCrm,
    /// Label of the new note's text.
    NoteNew,
    /// Saves the new note.
    NoteAdd,
    /// The add button while saving.
    NoteAdding,
    /// A note without text.
    NoteEmpty,
    /// A note's "Copy to CRM" could not be saved.
    NoteNotSaved,
    /// Opens the form for a new message.
    ComposeTitle,
    /// The recipient's name.
    ComposeName,
    /// The recipient's email (optional).
    ComposeEmail,
    /// The subject line.
    ComposeSubject,
    /// The first message.
    ComposeBody,
    /// Name or message left empty.
    ComposeMissing,
    /// SPEC W1–W4: the writeback card's title.
    WritebackTitle,
    /// SPEC W1, word for word.
    WritebackEnable,
    /// W1: the companion solution is missing.
    WritebackMissing,
    /// W1, word for word: where to get the companion solution.
    WritebackGetItNow,
    /// W1: a refresh checks again.
    WritebackRefreshHint,
    /// W1: the check could not be made.
    WritebackUnknown,
    /// W2: legend of the item choice.
    WritebackItems,
    /// W2, word for word.
    WritebackAllItems,
    /// W2: marks the recommended choice.
    WritebackRecommended,
    /// W2: only the chosen item types.
    WritebackChooseItems,
    /// W2: InMails.
    WritebackInmails,
    /// W2: messages.
    WritebackMessages,
    /// W2: notes.
    WritebackNotes,
    /// W4: write as the seat holder.
    WritebackImpersonation,
    /// W4: what the choice changes.
    WritebackImpersonationHint,
    /// W4: the Integration User lacks the privilege.
    WritebackImpersonationFallback,
    /// Saves the writeback choices.
    WritebackSave,
    /// The writeback choices were saved.
    WritebackSaved,
    /// W2: no item type chosen.
    WritebackChooseOne,
    /// The server refused Yes: no companion solution.
    WritebackRefusedNotInstalled,
    /// The server refused Yes: no CRM.
    WritebackRefusedNotConnected,
    /// R3: the matching part of the writeback card.
    WritebackMatchingTitle,
    /// R3: the rules in order.
    WritebackMatchingIntro,
    /// R3: the contact column with profile URLs.
    WritebackProfileColumn,
    /// R3: how to fill in the column.
    WritebackProfileColumnHint,
    /// R3: not a column name.
    WritebackColumnInvalid,
    /// Saves the matching column.
    WritebackSaveColumn,
    /// The matching column was saved.
    WritebackColumnSaved,
    /// H4, R3: in the CRM, matched by email.
    CrmStateCopiedByEmail,
    /// H4, R3: in the CRM, matched by the LinkedIn profile URL.
    CrmStateCopiedByProfileUrl,
    /// H4, R3: in the CRM, matched by first and last name with company.
    CrmStateCopiedByNameAndCompany,
}

/// The notes disclosure of a saved lead or account: "Notes (3)".
pub fn notes_summary(locale: Locale, n: usize) -> String {
    match locale {
        Locale::En => format!("Notes ({n})"),
        Locale::Nl => format!("Notities ({n})"),
    }
}

/// R3: the CRM's contact table has no column of that name.
pub fn column_not_in_crm(locale: Locale, column: &str) -> String {
    match locale {
        Locale::En => format!("The CRM's contact table has no column named {column}."),
        Locale::Nl => format!("De contacttabel van het CRM heeft geen kolom met de naam {column}."),
    }
}

/// The string for `key` in `locale`.
pub fn text(locale: Locale, key: Key) -> &'static str {
    match locale {
        Locale::En => en(key),
        Locale::Nl => nl(key),
    }
}

fn en(key: Key) -> &'static str {
    match key {
        Key::AppName => "Navsync",
        Key::SkipToContent => "Skip to main content",
        Key::Loading => "Loading…",
        Key::Retry => "Try again",
        Key::Language => "Language",
        Key::LanguageEnglish => "English",
        Key::LanguageDutch => "Nederlands",
        Key::MainNavigation => "Main navigation",
        Key::Menu => "Menu",
        Key::SignOut => "Sign out",
        Key::SigningOut => "Signing out…",
        Key::AdminSettings => "Admin Settings",
        Key::Workspace => "Workspace",
        Key::CrmSettings => "CRM Settings",
        Key::SeatManagement => "Seat Management",
        Key::Messages => "Messages",
        Key::SavedLeads => "Saved leads",
        Key::SavedAccounts => "Saved accounts",
        Key::SignInTitle => "Sign in to Navsync",
        Key::Email => "Email",
        Key::Password => "Password",
        Key::SignInSubmit => "Sign in",
        Key::SigningIn => "Signing in…",
        Key::DemoHintTitle => "Demo mode: sign in with one of these accounts.",
        Key::DemoHintAdmin => "Admin: admin@demo.test",
        Key::DemoHintTeamMember => "Team member: sam@demo.test",
        Key::DemoHintPassword => "Password for both: navsync-demo",
        Key::SetupTitle => "Set up Navsync",
        Key::SetupIntro => {
            "Create your organization and the first admin account. You can add people later."
        }
        Key::OrganizationName => "Organization name",
        Key::SeatCount => "Number of seats",
        Key::YourName => "Your name",
        Key::PasswordHint => "At least 8 characters.",
        Key::AlsoTeamMember => "I also need a team-member seat",
        Key::SetupSubmit => "Create organization",
        Key::SettingUp => "Creating organization…",
        Key::ErrorTitle => "Something went wrong",
        Key::ErrorNetwork => "Navsync could not be reached. Check your connection and try again.",
        Key::ErrorBadRequest => "The request could not be understood. Please try again.",
        Key::ErrorValidationFailed => "Some fields are not valid. Please correct them.",
        Key::ErrorUnauthenticated => "Your session has ended. Please sign in again.",
        Key::ErrorForbidden => "You do not have access to this page.",
        Key::ErrorNotFound => "This item could not be found.",
        Key::ErrorConflict => "This conflicts with the current state. Reload and try again.",
        Key::ErrorInvalidCredentials => "The email or password is not correct.",
        Key::ErrorTooManyRequests => "Too many attempts. Please wait a while and try again.",
        Key::ErrorPayloadTooLarge => "What you sent is too large.",
        Key::ErrorUnsupportedMediaType => "The request had the wrong format.",
        Key::ErrorCrossSiteRequest => "The request was blocked because it came from another site.",
        Key::ErrorInternal => "Something went wrong on the server. Please try again later.",
        Key::FieldRequired => "This field is required.",
        Key::FieldEmail => "Enter an email address like name@example.com.",
        Key::FieldTooShort => "This is too short.",
        Key::FieldTooLong => "This is too long.",
        Key::FieldOutOfRange => "This number is out of range.",
        Key::NoAccessTitle => "No access",
        Key::NoAccessText => "You do not have access to this page.",
        Key::GoHome => "Go to the start page",
        Key::NotFoundTitle => "Page not found",
        Key::NotFoundText => "There is no page at this address.",
        Key::NotAvailable => "This page is not available yet. It arrives with the CRM connection.",
        Key::MessagesSoon => {
            "Here you will read and write InMails and messages, and choose what is copied to the CRM."
        }
        Key::SavedLeadsSoon => {
            "Here you will find your saved leads, marked \"In CRM\" when they match the CRM."
        }
        Key::SavedAccountsSoon => {
            "Here you will find your saved accounts, marked \"In CRM\" when they match the CRM."
        }
        Key::SeatsCaption => "People in your organization",
        Key::ColumnName => "Name",
        Key::ColumnEmail => "Email",
        Key::ColumnLicence => "Licence type",
        Key::SeatsEmpty => "There are no people in your organization yet.",
        Key::LicenceAdmin => "Admin",
        Key::LicenceTeamMember => "Team member",
        Key::LicenceAdminAndTeamMember => "Admin and team member",
        Key::FieldTenant => {
            "Enter the tenant ID (a GUID) or its domain, like contoso.onmicrosoft.com."
        }
        Key::FieldGuid => {
            "Enter the application (client) ID, a GUID like 11111111-2222-4333-8444-555555555555."
        }
        Key::FieldChoice => "Choose one of the CRM's options, or Not Sure.",
        Key::CrmPrerequisitesTitle => "Prerequisites",
        Key::CrmPrerequisiteOnline => {
            "Microsoft Dynamics 365 online, version 8.2 or later. On-premises and sandbox environments cannot be connected."
        }
        Key::CrmPrerequisiteAppRegistration => {
            "An app registration in Microsoft Entra ID for a dedicated application user in Dynamics: the Integration User."
        }
        Key::CrmPrerequisiteRole => {
            "A security role for the Integration User that can read accounts, contacts, leads, opportunities and users."
        }
        Key::ConnectToCrm => "Connect to CRM",
        Key::CrmConnectIntro => {
            "Enter the address of your Dynamics 365 environment and the app registration Navsync signs in with."
        }
        Key::CrmRecommendation => {
            "We recommend a dedicated Integration User: whoever Navsync connects as is shown in Dynamics as the creator of every note, InMail and message written back."
        }
        Key::CrmEnvironmentUrl => "Environment URL",
        Key::CrmEnvironmentUrlHint => "The address of Dynamics in your browser.",
        Key::CrmTenant => "Tenant",
        Key::CrmTenantHint => "Directory (tenant) ID or domain, e.g. contoso.onmicrosoft.com.",
        Key::CrmClientId => "Client ID",
        Key::CrmClientIdHint => "Application (client) ID of the app registration.",
        Key::CrmClientSecret => "Client secret",
        Key::CrmVerifying => "Verifying the connection…",
        Key::CrmProblemCouldNotConnect => "Could not connect to CRM. Please try again later.",
        Key::CrmProblemApiError => "The CRM API reported an error. Please try again later.",
        Key::CrmProblemInsufficientPrivileges => {
            "Your CRM account does not have sufficient access privileges. Please check with your CRM administrator."
        }
        Key::CrmProblemMissingObjects => "Could not read the required CRM objects from your org.",
        Key::CrmProblemInvalidUrl => "This is not a valid environment URL.",
        Key::CrmProblemNotHttps => "The environment URL must start with https://.",
        Key::CrmProblemOnPremises => {
            "Only Dynamics 365 online is supported; on-premises environments cannot be connected."
        }
        Key::CrmProblemVersionTooOld => {
            "This Dynamics environment is older than version 8.2, which Navsync needs."
        }
        Key::CrmProblemSandbox => {
            "This is a sandbox environment. Connect your production environment instead."
        }
        Key::CrmNextCouldNotConnect => {
            "Check the environment URL and that Dynamics is reachable, then try again."
        }
        Key::CrmNextApiError => {
            "Check the CRM's availability, or contact your CRM representative if it persists."
        }
        Key::CrmNextInsufficientPrivileges => {
            "Check the tenant, client ID and client secret, and that the Integration User's security role has the read privileges listed under Prerequisites."
        }
        Key::CrmNextMissingObjects => {
            "Ask your CRM administrator to make accounts, contacts, leads and opportunities available to the Integration User."
        }
        Key::CrmNextInvalidUrl => {
            "Copy the address from your browser while Dynamics is open, e.g. https://yourorg.crm4.dynamics.com."
        }
        Key::CrmNextNotHttps => "Use the https:// address of your Dynamics 365 online environment.",
        Key::CrmNextOnPremises => {
            "Use the address of a Dynamics 365 online environment (…dynamics.com)."
        }
        Key::CrmNextVersionTooOld => "Upgrade the environment, or connect a newer one.",
        Key::CrmNextSandbox => "Use the URL of your production environment.",
        Key::CrmMissingPrivilege => "Missing privilege:",
        Key::CrmConnectedTitle => "Connected to Microsoft Dynamics",
        Key::CrmJustConnected => "Successfully connected, sync in progress",
        Key::CrmLastSync => "Last sync:",
        Key::CrmNoSyncYet => "No sync has run yet",
        Key::CrmOrganization => "Organization",
        Key::CrmVersion => "Version",
        Key::CrmConnectedBy => "Connected by",
        Key::CrmConnectedAt => "Connected on",
        Key::CrmCredentialsUpdatedAt => "Credentials updated on",
        Key::CrmSettingsTitle => "Sync settings",
        Key::CrmAutoSyncAll => "Auto sync all seat holders with CRM?",
        Key::CrmYesRecommended => "(Yes recommended)",
        Key::CrmAutoSyncHint => "With No, you switch sync on per seat in Seat Management.",
        Key::Yes => "Yes",
        Key::No => "No",
        Key::CrmPipelineStage => {
            "In which stage does your sales team consider an opportunity to be in the pipeline?"
        }
        Key::CrmPipelineStageHint => "Not Sure counts every open opportunity.",
        Key::CrmWonValueField => "Where do you store the value of a won opportunity?",
        Key::NotSure => "Not Sure",
        Key::CrmSaveSettings => "Save settings",
        Key::Saving => "Saving…",
        Key::CrmSettingsSaved => "Settings saved.",
        Key::CrmUpdateCredentials => "Update credentials",
        Key::CrmUpdateCredentialsIntro => {
            "Replace the app registration, e.g. after rotating the client secret. The current connection stays until the new credentials pass the check."
        }
        Key::CrmCredentialsUpdated => "Credentials updated.",
        Key::CrmDisconnect => "Disconnect CRM Sync",
        Key::CrmDisconnectIntro => {
            "Stops syncing with Microsoft Dynamics. You can connect again later, also with another app registration."
        }
        Key::CrmDisconnectText => {
            "Navsync stops syncing with Microsoft Dynamics and forgets the client secret. Accounts and leads that came from the CRM stay unless you clean them up."
        }
        Key::CrmCleanUp => "Yes, clean up all previously imported CRM data",
        Key::Cancel => "Cancel",
        Key::CrmDisconnecting => "Disconnecting…",
        Key::SeatsSearch => "Search by name or email",
        Key::FilterAll => "All",
        Key::SeatsCrmSync => "CRM sync",
        Key::SyncOn => "On",
        Key::SyncOff => "Off",
        Key::SeatsMatched => "CRM user",
        Key::MatchedYes => "Matched to a CRM user",
        Key::MatchedNo => "Not matched",
        Key::SortBy => "Sort by",
        Key::SortNameAsc => "Name (A–Z)",
        Key::SortNameDesc => "Name (Z–A)",
        Key::SortEmailAsc => "Email (A–Z)",
        Key::SortEmailDesc => "Email (Z–A)",
        Key::SortLicenceAsc => "Licence type (admins first)",
        Key::SortLicenceDesc => "Licence type (team members first)",
        Key::Previous => "Previous",
        Key::Next => "Next",
        Key::ColumnCrm => "CRM",
        Key::ColumnActions => "Actions",
        Key::ColumnSelect => "Select",
        Key::InCrm => "In CRM",
        Key::ReasonSyncOff => "CRM sync is off",
        Key::ReasonNoCrmUser => "No CRM user with this email",
        Key::ReasonNotConnected => "CRM not connected",
        Key::SelectAllOnPage => "Select all on this page",
        Key::EnableCrmSync => "Enable CRM Sync",
        Key::DisableCrmSync => "Disable CRM Sync",
        Key::AutoSyncAllNote => {
            "Every seat holder syncs while \"Auto sync all seat holders with CRM?\" is Yes."
        }
        Key::ClearSelection => "Clear selection",
        Key::BulkActions => "Selected seats",
        Key::ChangeLicence => "Change licence type",
        Key::CopyPasswordLink => "Copy set-password link",
        Key::RemoveSeat => "Remove seat",
        Key::Removing => "Removing…",
        Key::Save => "Save",
        Key::PasswordLinkTitle => "Set-password link",
        Key::PasswordLinkText => {
            "Pass this link on to the person. It works once, for 72 hours; older links no longer work."
        }
        Key::Copy => "Copy",
        Key::Copied => "Copied to the clipboard.",
        Key::CopyFailed => {
            "Copying is not possible here. The link is selected: press Ctrl+C (⌘C on a Mac) to copy it."
        }
        Key::Close => "Close",
        Key::AssignSeatsFromCrm => "Assign seats from CRM",
        Key::AssignSearch => "Search CRM users",
        Key::SelectAll => "Select all",
        Key::HasSeat => "Has a seat",
        Key::NoEmail => "No email",
        Key::AssignLicence => "Licence type of the new seats",
        Key::AssignSubmit => "Assign seats",
        Key::Assigning => "Assigning seats…",
        Key::AssignNotConnected => {
            "No CRM is connected, so there are no CRM users to assign seats to."
        }
        Key::GoToCrmSettings => "Go to CRM Settings",
        Key::AssignedTitle => "Seats assigned",
        Key::AssignedText => {
            "Each new person chooses a password with their one-time link. Pass the links on now: they are shown only once."
        }
        Key::SkippedTitle => "Not assigned",
        Key::SkipAlreadyHasSeat => "Already has a seat",
        Key::SkipEmailInUse => "This email is used in another organization",
        Key::SkipNoEmail => "No email address in the CRM",
        Key::SkipNotFound => "No longer an enabled CRM user",
        Key::CrmUsersEmpty => "No CRM users match.",
        Key::SeatsNoMatch => "No seats match the search and filters.",
        Key::SetPasswordTitle => "Choose your password",
        Key::SetPasswordIntro => "Choose the password you will sign in to Navsync with.",
        Key::NewPassword => "New password",
        Key::RepeatPassword => "Repeat the new password",
        Key::PasswordsDiffer => "The passwords are not the same.",
        Key::SetPasswordSubmit => "Set password",
        Key::SettingPassword => "Setting password…",
        Key::PasswordSet => "Your password is set. You can now sign in with it.",
        Key::GoToSignIn => "Go to sign in",
        Key::ServerBadPasswordLink => {
            "This link is not valid: it was already used, replaced by a newer one, or has expired. Ask your admin for a new link."
        }
        Key::ServerLastAdmin => {
            "This is the organization's last admin. Give someone else an admin licence first."
        }
        Key::ServerAutoSyncAll => {
            "Every seat holder syncs while 'Auto sync all seat holders with CRM?' is Yes."
        }
        Key::ServerNotConnected => "No CRM is connected. Connect one first.",
        Key::SavedLeadsSearch => "Search saved leads",
        Key::SavedAccountsSearch => "Search saved accounts",
        Key::SavedLeadsEmpty => {
            "No saved leads yet. Leads from your open opportunities appear here after the next CRM sync."
        }
        Key::SavedAccountsEmpty => {
            "No saved accounts yet. Accounts from your open opportunities appear here after the next CRM sync."
        }
        Key::SavedNoMatch => "Nothing matches your search.",
        Key::SavedByHand => "Saved by hand",
        Key::Remove => "Remove",
        Key::SaveLeadTitle => "Save a lead",
        Key::SaveAccountTitle => "Save an account",
        Key::FirstName => "First name",
        Key::LastName => "Last name",
        Key::Company => "Company",
        Key::AccountName => "Account name",
        Key::CrmRecordId => "CRM record ID",
        Key::CrmRecordIdHint => {
            "Optional. Links this row to its CRM record, e.g. 11111111-2222-4333-8444-555555555555."
        }
        Key::SavedFromCrm => {
            "CRM sync brought this and keeps it while its opportunity is in your pipeline; it cannot be deleted by hand."
        }
        Key::SavedDone => "Saved.",
        Key::WonValue => "Won value",
        Key::SavedPages => "Pages",
        Key::SyncTitle => "Sync",
        Key::SyncNow => "Sync now",
        Key::SyncStarting => "Starting…",
        Key::SyncStarted => "Sync started",
        Key::SyncInProgress => "Sync in progress",
        Key::SyncPhase => "Phase:",
        Key::SyncRowsRead => "Rows read",
        Key::SyncRowsChanged => "Rows changed",
        Key::SyncCrmRequests => "CRM requests",
        Key::SyncStartedAt => "Started",
        Key::SyncDuration => "Duration",
        Key::SyncKind => "Kind",
        Key::SyncFull => "Full",
        Key::SyncIncremental => "Incremental",
        Key::SyncError => "Error",
        Key::SyncHistory => "Recent runs",
        Key::SyncNoRuns => "No runs yet.",
        Key::SyncPaused => "Sync is paused",
        Key::CrmWarningTitle => "CRM connection problem",
        Key::MessagesInbox => "Inbox",
        Key::MessagesSearch => "Search messages",
        Key::MessagesEmpty => "No messages yet.",
        Key::MessagesNoMatch => "No conversations match your search.",
        Key::MessagesUnread => "Unread",
        Key::MessagesKindInmail => "InMail",
        Key::MessagesKindMessage => "Message",
        Key::MessagesChoose => "Choose a conversation to read it.",
        Key::CopyThread => "Copy thread",
        Key::CopyMessageToCrm => "Copy message to CRM",
        Key::CrmStateNotCopied => "Not copied to the CRM",
        Key::CrmStateWaiting => "Waiting for the CRM",
        Key::CrmStateCopied => "Copied to the CRM",
        Key::CrmStateOpen => "Open in CRM",
        Key::CrmStateUnresolved => "Unresolved: no match in the CRM.",
        Key::CrmStateFailed => "Could not be copied to the CRM.",
        Key::CrmStateStays => "Unticked: the copy already in the CRM stays there.",
        Key::CrmRetry => "Retry",
        Key::NotSaved => "Not saved —",
        Key::BackToInbox => "Back to inbox",
        Key::MessageReceived => "Received",
        Key::MessageSent => "Sent",
        Key::ThreadReply => "Reply",
        Key::ThreadSend => "Send",
        Key::ThreadSending => "Sending…",
        Key::SyncQueued => "Queued: another sync starts when this one ends.",
        Key::Unresolved => "Unresolved items",
        Key::UnresolvedIntroAdmin => {
            "Items of your organization that went to the CRM as open tasks because no CRM contact matched the person. Create the contact or link an existing one, and the item is copied to that contact."
        }
        Key::UnresolvedIntroOwn => {
            "Your items that went to the CRM as open tasks because no CRM contact matched the person. Create the contact or link an existing one, and the item is copied to that contact."
        }
        Key::UnresolvedEmpty => {
            "Nothing unresolved: every item copied to the CRM found its contact."
        }
        Key::UnresolvedOwner => "Seat holder:",
        Key::UnresolvedReason => "Why no contact matched:",
        Key::UnresolvedCreateContact => "Create contact in CRM",
        Key::UnresolvedContactField => {
            "Or link an existing CRM contact (its ID or its link from Dynamics)"
        }
        Key::UnresolvedLink => "Link",
        Key::UnresolvedBadContact => {
            "Enter the contact's ID (a GUID such as 0f8fad5b-d9cb-469f-a165-70867728950e) or paste its link from Dynamics."
        }
        Key::CopyToCrm => "Copy to CRM",
        Key::NoteNew => "New note",
        Key::NoteAdd => "Add note",
        Key::NoteAdding => "Adding…",
        Key::NoteEmpty => "Write the note first.",
        Key::NoteNotSaved => "Not saved: the box is back as it was. Try again.",
        Key::ComposeTitle => "New message",
        Key::ComposeName => "To (name)",
        Key::ComposeEmail => "Email (optional)",
        Key::ComposeSubject => "Subject",
        Key::ComposeBody => "Message",
        Key::ComposeMissing => "Enter the recipient's name and a message.",
        Key::WritebackTitle => "Activity writeback",
        Key::WritebackEnable => "Enable Sales Navigator to sync back data to your CRM?",
        Key::WritebackMissing => {
            "The companion solution is not installed in your CRM, so writeback cannot be switched on yet."
        }
        Key::WritebackGetItNow => "Get it now",
        Key::WritebackRefreshHint => "After installing it, refresh this page to check again.",
        Key::WritebackUnknown => {
            "Could not check the companion solution in your CRM just now. Refresh this page to check again."
        }
        Key::WritebackItems => "What to sync back",
        Key::WritebackAllItems => "Sync back all data items",
        Key::WritebackRecommended => "(recommended)",
        Key::WritebackChooseItems => "Choose the item types",
        Key::WritebackInmails => "InMails",
        Key::WritebackMessages => "Messages",
        Key::WritebackNotes => "Notes",
        Key::WritebackImpersonation => {
            "Write as the seat holder (impersonation), so the seat holder is the creator too"
        }
        Key::WritebackImpersonationHint => {
            "The seat holder is always the owner of what is written back. Without this, the Integration User is its creator."
        }
        Key::WritebackImpersonationFallback => {
            "The Integration User lacks the privilege to act on behalf of other users (prvActOnBehalfOfAnotherUser), so items are written as the Integration User, with the seat holder as owner. Ask your CRM administrator to add this privilege to the Integration User's role."
        }
        Key::WritebackSave => "Save writeback settings",
        Key::WritebackSaved => "Writeback settings saved.",
        Key::WritebackChooseOne => "Choose at least one item type, or sync back all data items.",
        Key::WritebackRefusedNotInstalled => {
            "Not saved: the companion solution is not installed in your CRM. Install it (\"Get it now\"), then refresh this page."
        }
        Key::WritebackRefusedNotConnected => {
            "Not saved: connect the CRM before switching writeback on."
        }
        Key::WritebackMatchingTitle => "Matching contacts",
        Key::WritebackMatchingIntro => {
            "People are matched to CRM contacts by email first, then by LinkedIn profile URL, then by first and last name with company."
        }
        Key::WritebackProfileColumn => "Contact column with the LinkedIn profile URL",
        Key::WritebackProfileColumnHint => "The column's logical name, e.g. new_linkedinurl.",
        Key::WritebackColumnInvalid => {
            "Enter the column's logical name, e.g. new_linkedinurl: lower-case letters, digits and _, starting with a letter, at most 50 characters."
        }
        Key::WritebackSaveColumn => "Save column",
        Key::WritebackColumnSaved => "Column saved.",
        Key::CrmStateCopiedByEmail => "Copied to the CRM — matched by email",
        Key::CrmStateCopiedByProfileUrl => "Copied to the CRM — matched by LinkedIn profile URL",
        Key::CrmStateCopiedByNameAndCompany => "Copied to the CRM — matched by name and company",
    }
}

fn nl(key: Key) -> &'static str {
    match key {
        Key::AppName => "Navsync",
        Key::SkipToContent => "Direct naar de inhoud",
        Key::Loading => "Bezig met laden…",
        Key::Retry => "Opnieuw proberen",
        Key::Language => "Taal",
        Key::LanguageEnglish => "English",
        Key::LanguageDutch => "Nederlands",
        Key::MainNavigation => "Hoofdnavigatie",
        Key::Menu => "Menu",
        Key::SignOut => "Afmelden",
        Key::SigningOut => "Bezig met afmelden…",
        Key::AdminSettings => "Beheerinstellingen",
        Key::Workspace => "Werkruimte",
        Key::CrmSettings => "CRM-instellingen",
        Key::SeatManagement => "Seatbeheer",
        Key::Messages => "Berichten",
        Key::SavedLeads => "Opgeslagen leads",
        Key::SavedAccounts => "Opgeslagen accounts",
        Key::SignInTitle => "Aanmelden bij Navsync",
        Key::Email => "E-mailadres",
        Key::Password => "Wachtwoord",
        Key::SignInSubmit => "Aanmelden",
        Key::SigningIn => "Bezig met aanmelden…",
        Key::DemoHintTitle => "Demomodus: meld je aan met een van deze accounts.",
        Key::DemoHintAdmin => "Beheerder: admin@demo.test",
        Key::DemoHintTeamMember => "Teamlid: sam@demo.test",
        Key::DemoHintPassword => "Wachtwoord voor beide: navsync-demo",
        Key::SetupTitle => "Navsync instellen",
        Key::SetupIntro => {
            "Maak je organisatie en het eerste beheerdersaccount aan. Andere mensen voeg je later toe."
        }
        Key::OrganizationName => "Naam van de organisatie",
        Key::SeatCount => "Aantal seats",
        Key::YourName => "Je naam",
        Key::PasswordHint => "Minstens 8 tekens.",
        Key::AlsoTeamMember => "Ik heb zelf ook een teamlid-seat nodig",
        Key::SetupSubmit => "Organisatie aanmaken",
        Key::SettingUp => "Bezig met aanmaken…",
        Key::ErrorTitle => "Er ging iets mis",
        Key::ErrorNetwork => {
            "Navsync is niet bereikbaar. Controleer je verbinding en probeer het opnieuw."
        }
        Key::ErrorBadRequest => "Het verzoek werd niet begrepen. Probeer het opnieuw.",
        Key::ErrorValidationFailed => "Sommige velden zijn niet geldig. Verbeter ze.",
        Key::ErrorUnauthenticated => "Je sessie is verlopen. Meld je opnieuw aan.",
        Key::ErrorForbidden => "Je hebt geen toegang tot deze pagina.",
        Key::ErrorNotFound => "Dit item is niet gevonden.",
        Key::ErrorConflict => {
            "Dit botst met de huidige toestand. Laad de pagina opnieuw en probeer het nog eens."
        }
        Key::ErrorInvalidCredentials => "Het e-mailadres of wachtwoord is niet juist.",
        Key::ErrorTooManyRequests => "Te veel pogingen. Wacht even en probeer het opnieuw.",
        Key::ErrorPayloadTooLarge => "Wat je verstuurde is te groot.",
        Key::ErrorUnsupportedMediaType => "Het verzoek had een verkeerd formaat.",
        Key::ErrorCrossSiteRequest => {
            "Het verzoek is geblokkeerd omdat het van een andere website kwam."
        }
        Key::ErrorInternal => "Er ging iets mis op de server. Probeer het later opnieuw.",
        Key::FieldRequired => "Dit veld is verplicht.",
        Key::FieldEmail => "Vul een e-mailadres in zoals naam@voorbeeld.nl.",
        Key::FieldTooShort => "Dit is te kort.",
        Key::FieldTooLong => "Dit is te lang.",
        Key::FieldOutOfRange => "Dit getal valt buiten het bereik.",
        Key::NoAccessTitle => "Geen toegang",
        Key::NoAccessText => "Je hebt geen toegang tot deze pagina.",
        Key::GoHome => "Naar de startpagina",
        Key::NotFoundTitle => "Pagina niet gevonden",
        Key::NotFoundText => "Op dit adres staat geen pagina.",
        Key::NotAvailable => {
            "Deze pagina is nog niet beschikbaar. Ze komt er met de CRM-koppeling."
        }
        Key::MessagesSoon => {
            "Hier lees en schrijf je InMails en berichten, en kies je wat naar het CRM wordt gekopieerd."
        }
        Key::SavedLeadsSoon => {
            "Hier vind je je opgeslagen leads, gemarkeerd met \"In CRM\" als ze in het CRM staan."
        }
        Key::SavedAccountsSoon => {
            "Hier vind je je opgeslagen accounts, gemarkeerd met \"In CRM\" als ze in het CRM staan."
        }
        Key::SeatsCaption => "Mensen in je organisatie",
        Key::ColumnName => "Naam",
        Key::ColumnEmail => "E-mailadres",
        Key::ColumnLicence => "Licentietype",
        Key::SeatsEmpty => "Er zijn nog geen mensen in je organisatie.",
        Key::LicenceAdmin => "Beheerder",
        Key::LicenceTeamMember => "Teamlid",
        Key::LicenceAdminAndTeamMember => "Beheerder en teamlid",
        Key::FieldTenant => {
            "Vul de tenant-ID (een GUID) of het domein in, zoals contoso.onmicrosoft.com."
        }
        Key::FieldGuid => {
            "Vul de toepassings-ID (client-ID) in, een GUID zoals 11111111-2222-4333-8444-555555555555."
        }
        Key::FieldChoice => "Kies een van de opties uit het CRM, of Weet ik niet.",
        Key::CrmPrerequisitesTitle => "Voorwaarden",
        Key::CrmPrerequisiteOnline => {
            "Microsoft Dynamics 365 online, versie 8.2 of nieuwer. On-premises- en sandboxomgevingen kunnen niet worden gekoppeld."
        }
        Key::CrmPrerequisiteAppRegistration => {
            "Een app-registratie in Microsoft Entra ID voor een aparte applicatiegebruiker in Dynamics: de Integration User."
        }
        Key::CrmPrerequisiteRole => {
            "Een beveiligingsrol voor de Integration User die accounts, contactpersonen, leads, verkoopkansen en gebruikers mag lezen."
        }
        Key::ConnectToCrm => "Koppelen met CRM",
        Key::CrmConnectIntro => {
            "Vul het adres van je Dynamics 365-omgeving in en de app-registratie waarmee Navsync zich aanmeldt."
        }
        Key::CrmRecommendation => {
            "We raden een aparte Integration User aan: als wie Navsync zich koppelt, die staat in Dynamics als maker van elke notitie, InMail en elk bericht dat wordt teruggeschreven."
        }
        Key::CrmEnvironmentUrl => "Omgevings-URL",
        Key::CrmEnvironmentUrlHint => "Het adres van Dynamics in je browser.",
        Key::CrmTenant => "Tenant",
        Key::CrmTenantHint => "Map-ID (tenant-ID) of domein, bijv. contoso.onmicrosoft.com.",
        Key::CrmClientId => "Client-ID",
        Key::CrmClientIdHint => "Toepassings-ID (client-ID) van de app-registratie.",
        Key::CrmClientSecret => "Clientgeheim",
        Key::CrmVerifying => "Bezig met controleren van de koppeling…",
        Key::CrmProblemCouldNotConnect => {
            "Kan geen verbinding maken met het CRM. Probeer het later opnieuw."
        }
        Key::CrmProblemApiError => "De CRM-API meldde een fout. Probeer het later opnieuw.",
        Key::CrmProblemInsufficientPrivileges => {
            "Je CRM-account heeft onvoldoende toegangsrechten. Vraag het na bij je CRM-beheerder."
        }
        Key::CrmProblemMissingObjects => {
            "De benodigde CRM-objecten konden niet uit je organisatie worden gelezen."
        }
        Key::CrmProblemInvalidUrl => "Dit is geen geldige omgevings-URL.",
        Key::CrmProblemNotHttps => "De omgevings-URL moet beginnen met https://.",
        Key::CrmProblemOnPremises => {
            "Alleen Dynamics 365 online wordt ondersteund; on-premises-omgevingen kunnen niet worden gekoppeld."
        }
        Key::CrmProblemVersionTooOld => {
            "Deze Dynamics-omgeving is ouder dan versie 8.2, die Navsync nodig heeft."
        }
        Key::CrmProblemSandbox => {
            "Dit is een sandboxomgeving. Koppel in plaats daarvan je productieomgeving."
        }
        Key::CrmNextCouldNotConnect => {
            "Controleer de omgevings-URL en of Dynamics bereikbaar is, en probeer het opnieuw."
        }
        Key::CrmNextApiError => {
            "Controleer of het CRM beschikbaar is, of neem contact op met je CRM-contactpersoon als het probleem blijft."
        }
        Key::CrmNextInsufficientPrivileges => {
            "Controleer de tenant, client-ID en het clientgeheim, en of de beveiligingsrol van de Integration User de leesrechten heeft die onder Voorwaarden staan."
        }
        Key::CrmNextMissingObjects => {
            "Vraag je CRM-beheerder om accounts, contactpersonen, leads en verkoopkansen beschikbaar te maken voor de Integration User."
        }
        Key::CrmNextInvalidUrl => {
            "Kopieer het adres uit je browser terwijl Dynamics open is, bijv. https://yourorg.crm4.dynamics.com."
        }
        Key::CrmNextNotHttps => "Gebruik het https://-adres van je Dynamics 365 online-omgeving.",
        Key::CrmNextOnPremises => {
            "Gebruik het adres van een Dynamics 365 online-omgeving (…dynamics.com)."
        }
        Key::CrmNextVersionTooOld => "Werk de omgeving bij, of koppel een nieuwere.",
        Key::CrmNextSandbox => "Gebruik de URL van je productieomgeving.",
        Key::CrmMissingPrivilege => "Ontbrekend recht:",
        Key::CrmConnectedTitle => "Gekoppeld met Microsoft Dynamics",
        Key::CrmJustConnected => "Koppeling gelukt, synchronisatie is bezig",
        Key::CrmLastSync => "Laatste synchronisatie:",
        Key::CrmNoSyncYet => "Er is nog geen synchronisatie uitgevoerd",
        Key::CrmOrganization => "Organisatie",
        Key::CrmVersion => "Versie",
        Key::CrmConnectedBy => "Gekoppeld door",
        Key::CrmConnectedAt => "Gekoppeld op",
        Key::CrmCredentialsUpdatedAt => "Inloggegevens bijgewerkt op",
        Key::CrmSettingsTitle => "Synchronisatie-instellingen",
        Key::CrmAutoSyncAll => "Alle seathouders automatisch synchroniseren met het CRM?",
        Key::CrmYesRecommended => "(Ja aanbevolen)",
        Key::CrmAutoSyncHint => "Bij Nee zet je de synchronisatie per seat aan in Seatbeheer.",
        Key::Yes => "Ja",
        Key::No => "Nee",
        Key::CrmPipelineStage => {
            "In welke fase beschouwt je salesteam een verkoopkans als onderdeel van de pijplijn?"
        }
        Key::CrmPipelineStageHint => "Weet ik niet telt elke open verkoopkans mee.",
        Key::CrmWonValueField => "Waar sla je de waarde van een gewonnen verkoopkans op?",
        Key::NotSure => "Weet ik niet",
        Key::CrmSaveSettings => "Instellingen opslaan",
        Key::Saving => "Bezig met opslaan…",
        Key::CrmSettingsSaved => "Instellingen opgeslagen.",
        Key::CrmUpdateCredentials => "Inloggegevens bijwerken",
        Key::CrmUpdateCredentialsIntro => {
            "Vervang de app-registratie, bijvoorbeeld na het vernieuwen van het clientgeheim. De huidige koppeling blijft tot de nieuwe gegevens de controle doorstaan."
        }
        Key::CrmCredentialsUpdated => "Inloggegevens bijgewerkt.",
        Key::CrmDisconnect => "CRM-synchronisatie ontkoppelen",
        Key::CrmDisconnectIntro => {
            "Stopt de synchronisatie met Microsoft Dynamics. Je kunt later opnieuw koppelen, ook met een andere app-registratie."
        }
        Key::CrmDisconnectText => {
            "Navsync stopt de synchronisatie met Microsoft Dynamics en vergeet het clientgeheim. Accounts en leads uit het CRM blijven staan, tenzij je ze opruimt."
        }
        Key::CrmCleanUp => "Ja, ruim alle eerder geïmporteerde CRM-gegevens op",
        Key::Cancel => "Annuleren",
        Key::CrmDisconnecting => "Bezig met ontkoppelen…",
        Key::SeatsSearch => "Zoeken op naam of e-mailadres",
        Key::FilterAll => "Alle",
        Key::SeatsCrmSync => "CRM-synchronisatie",
        Key::SyncOn => "Aan",
        Key::SyncOff => "Uit",
        Key::SeatsMatched => "CRM-gebruiker",
        Key::MatchedYes => "Gekoppeld aan een CRM-gebruiker",
        Key::MatchedNo => "Niet gekoppeld",
        Key::SortBy => "Sorteren op",
        Key::SortNameAsc => "Naam (A–Z)",
        Key::SortNameDesc => "Naam (Z–A)",
        Key::SortEmailAsc => "E-mailadres (A–Z)",
        Key::SortEmailDesc => "E-mailadres (Z–A)",
        Key::SortLicenceAsc => "Licentietype (beheerders eerst)",
        Key::SortLicenceDesc => "Licentietype (teamleden eerst)",
        Key::Previous => "Vorige",
        Key::Next => "Volgende",
        Key::ColumnCrm => "CRM-status",
        Key::ColumnActions => "Acties",
        Key::ColumnSelect => "Selecteren",
        Key::InCrm => "In CRM",
        Key::ReasonSyncOff => "CRM-synchronisatie staat uit",
        Key::ReasonNoCrmUser => "Geen CRM-gebruiker met dit e-mailadres",
        Key::ReasonNotConnected => "CRM niet gekoppeld",
        Key::SelectAllOnPage => "Alles op deze pagina selecteren",
        Key::EnableCrmSync => "CRM-synchronisatie inschakelen",
        Key::DisableCrmSync => "CRM-synchronisatie uitschakelen",
        Key::AutoSyncAllNote => {
            "Elke seathouder synchroniseert zolang \"Alle seathouders automatisch synchroniseren met het CRM?\" op Ja staat."
        }
        Key::ClearSelection => "Selectie wissen",
        Key::BulkActions => "Geselecteerde seats",
        Key::ChangeLicence => "Licentietype wijzigen",
        Key::CopyPasswordLink => "Link voor wachtwoord instellen kopiëren",
        Key::RemoveSeat => "Seat verwijderen",
        Key::Removing => "Bezig met verwijderen…",
        Key::Save => "Opslaan",
        Key::PasswordLinkTitle => "Link voor wachtwoord instellen",
        Key::PasswordLinkText => {
            "Geef deze link door aan de persoon. Hij werkt één keer, 72 uur lang; oudere links werken niet meer."
        }
        Key::Copy => "Kopiëren",
        Key::Copied => "Gekopieerd naar het klembord.",
        Key::CopyFailed => {
            "Kopiëren kan hier niet. De link is geselecteerd: druk op Ctrl+C (⌘C op een Mac) om hem te kopiëren."
        }
        Key::Close => "Sluiten",
        Key::AssignSeatsFromCrm => "Seats toewijzen vanuit CRM",
        Key::AssignSearch => "CRM-gebruikers zoeken",
        Key::SelectAll => "Alles selecteren",
        Key::HasSeat => "Heeft een seat",
        Key::NoEmail => "Geen e-mailadres",
        Key::AssignLicence => "Licentietype van de nieuwe seats",
        Key::AssignSubmit => "Seats toewijzen",
        Key::Assigning => "Bezig met toewijzen…",
        Key::AssignNotConnected => {
            "Er is geen CRM gekoppeld, dus er zijn geen CRM-gebruikers om seats aan toe te wijzen."
        }
        Key::GoToCrmSettings => "Naar CRM-instellingen",
        Key::AssignedTitle => "Seats toegewezen",
        Key::AssignedText => {
            "Elke nieuwe persoon kiest een wachtwoord met zijn eenmalige link. Geef de links nu door: ze worden maar één keer getoond."
        }
        Key::SkippedTitle => "Niet toegewezen",
        Key::SkipAlreadyHasSeat => "Heeft al een seat",
        Key::SkipEmailInUse => "Dit e-mailadres wordt in een andere organisatie gebruikt",
        Key::SkipNoEmail => "Geen e-mailadres in het CRM",
        Key::SkipNotFound => "Niet langer een actieve CRM-gebruiker",
        Key::CrmUsersEmpty => "Geen CRM-gebruikers gevonden.",
        Key::SeatsNoMatch => "Geen seats gevonden met deze zoekopdracht en filters.",
        Key::SetPasswordTitle => "Kies je wachtwoord",
        Key::SetPasswordIntro => "Kies het wachtwoord waarmee je je aanmeldt bij Navsync.",
        Key::NewPassword => "Nieuw wachtwoord",
        Key::RepeatPassword => "Herhaal het nieuwe wachtwoord",
        Key::PasswordsDiffer => "De wachtwoorden zijn niet gelijk.",
        Key::SetPasswordSubmit => "Wachtwoord instellen",
        Key::SettingPassword => "Bezig met instellen…",
        Key::PasswordSet => "Je wachtwoord is ingesteld. Je kunt je er nu mee aanmelden.",
        Key::GoToSignIn => "Naar aanmelden",
        Key::ServerBadPasswordLink => {
            "Deze link is niet geldig: hij is al gebruikt, vervangen door een nieuwere of verlopen. Vraag je beheerder om een nieuwe link."
        }
        Key::ServerLastAdmin => {
            "Dit is de laatste beheerder van de organisatie. Geef eerst iemand anders een beheerderslicentie."
        }
        Key::ServerAutoSyncAll => {
            "Elke seathouder synchroniseert zolang 'Alle seathouders automatisch synchroniseren met het CRM?' op Ja staat."
        }
        Key::ServerNotConnected => "Er is geen CRM gekoppeld. Koppel er eerst een.",
        Key::SavedLeadsSearch => "Opgeslagen leads zoeken",
        Key::SavedAccountsSearch => "Opgeslagen accounts zoeken",
        Key::SavedLeadsEmpty => {
            "Nog geen opgeslagen leads. Leads uit je open verkoopkansen verschijnen hier na de volgende CRM-synchronisatie."
        }
        Key::SavedAccountsEmpty => {
            "Nog geen opgeslagen accounts. Accounts uit je open verkoopkansen verschijnen hier na de volgende CRM-synchronisatie."
        }
        Key::SavedNoMatch => "Niets komt overeen met je zoekopdracht.",
        Key::SavedByHand => "Zelf opgeslagen",
        Key::Remove => "Verwijderen",
        Key::SaveLeadTitle => "Een lead opslaan",
        Key::SaveAccountTitle => "Een account opslaan",
        Key::FirstName => "Voornaam",
        Key::LastName => "Achternaam",
        Key::Company => "Bedrijf",
        Key::AccountName => "Accountnaam",
        Key::CrmRecordId => "ID van het CRM-record",
        Key::CrmRecordIdHint => {
            "Optioneel. Koppelt deze rij aan het CRM-record, bijv. 11111111-2222-4333-8444-555555555555."
        }
        Key::SavedFromCrm => {
            "CRM-synchronisatie heeft dit gebracht en houdt het zolang de verkoopkans in je pipeline staat; je kunt het niet zelf verwijderen."
        }
        Key::SavedDone => "Opgeslagen.",
        Key::WonValue => "Gewonnen waarde",
        Key::SavedPages => "Pagina's",
        Key::SyncTitle => "Synchronisatie",
        Key::SyncNow => "Nu synchroniseren",
        Key::SyncStarting => "Bezig met starten…",
        Key::SyncStarted => "Synchronisatie gestart",
        Key::SyncInProgress => "Synchronisatie bezig",
        Key::SyncPhase => "Fase:",
        Key::SyncRowsRead => "Rijen gelezen",
        Key::SyncRowsChanged => "Rijen gewijzigd",
        Key::SyncCrmRequests => "CRM-verzoeken",
        Key::SyncStartedAt => "Gestart",
        Key::SyncDuration => "Duur",
        Key::SyncKind => "Soort",
        Key::SyncFull => "Volledig",
        Key::SyncIncremental => "Incrementeel",
        Key::SyncError => "Fout",
        Key::SyncHistory => "Recente synchronisaties",
        Key::SyncNoRuns => "Nog geen synchronisaties.",
        Key::SyncPaused => "Synchronisatie is gepauzeerd",
        Key::CrmWarningTitle => "Probleem met de CRM-koppeling",
        Key::MessagesInbox => "Postvak IN",
        Key::MessagesSearch => "Berichten zoeken",
        Key::MessagesEmpty => "Nog geen berichten.",
        Key::MessagesNoMatch => "Geen gesprekken gevonden voor deze zoekopdracht.",
        Key::MessagesUnread => "Ongelezen",
        Key::MessagesKindInmail => "InMail-bericht",
        Key::MessagesKindMessage => "Bericht",
        Key::MessagesChoose => "Kies een gesprek om het te lezen.",
        Key::CopyThread => "Thread kopiëren",
        Key::CopyMessageToCrm => "Bericht naar CRM kopiëren",
        Key::CrmStateNotCopied => "Niet naar het CRM gekopieerd",
        Key::CrmStateWaiting => "Wacht op het CRM",
        Key::CrmStateCopied => "Naar het CRM gekopieerd",
        Key::CrmStateOpen => "Openen in het CRM",
        Key::CrmStateUnresolved => "Onopgelost: geen match in het CRM.",
        Key::CrmStateFailed => "Kon niet naar het CRM worden gekopieerd.",
        Key::CrmStateStays => "Uitgevinkt: de kopie die al in het CRM staat, blijft daar.",
        Key::CrmRetry => "Opnieuw",
        Key::NotSaved => "Niet opgeslagen —",
        Key::BackToInbox => "Terug naar postvak IN",
        Key::MessageReceived => "Ontvangen",
        Key::MessageSent => "Verzonden",
        Key::ThreadReply => "Antwoord",
        Key::ThreadSend => "Verzenden",
        Key::ThreadSending => "Bezig met verzenden…",
        Key::SyncQueued => "In de wachtrij: er start nog een synchronisatie als deze klaar is.",
        Key::Unresolved => "Onopgeloste items",
        Key::UnresolvedIntroAdmin => {
            "Items van je organisatie die als open taak naar het CRM gingen omdat geen CRM-contactpersoon bij de persoon paste. Maak de contactpersoon aan of koppel een bestaande, dan wordt het item naar die contactpersoon gekopieerd."
        }
        Key::UnresolvedIntroOwn => {
            "Jouw items die als open taak naar het CRM gingen omdat geen CRM-contactpersoon bij de persoon paste. Maak de contactpersoon aan of koppel een bestaande, dan wordt het item naar die contactpersoon gekopieerd."
        }
        Key::UnresolvedEmpty => {
            "Niets onopgelost: elk item dat naar het CRM is gekopieerd, heeft zijn contactpersoon gevonden."
        }
        Key::UnresolvedOwner => "Licentiehouder:",
        Key::UnresolvedReason => "Waarom geen contactpersoon paste:",
        Key::UnresolvedCreateContact => "Contactpersoon aanmaken in CRM",
        Key::UnresolvedContactField => {
            "Of koppel een bestaande CRM-contactpersoon (de ID of de link uit Dynamics)"
        }
        Key::UnresolvedLink => "Koppelen",
        Key::UnresolvedBadContact => {
            "Vul de ID van de contactpersoon in (een GUID zoals 0f8fad5b-d9cb-469f-a165-70867728950e) of plak de link uit Dynamics."
        }
        Key::CopyToCrm => "Naar CRM kopiëren",
        Key::NoteNew => "Nieuwe notitie",
        Key::NoteAdd => "Notitie toevoegen",
        Key::NoteAdding => "Bezig met toevoegen…",
        Key::NoteEmpty => "Schrijf eerst de notitie.",
        Key::NoteNotSaved => {
            "Niet opgeslagen: het vakje staat weer zoals het was. Probeer het opnieuw."
        }
        Key::ComposeTitle => "Nieuw bericht",
        Key::ComposeName => "Aan (naam)",
        Key::ComposeEmail => "E-mail (optioneel)",
        Key::ComposeSubject => "Onderwerp",
        Key::ComposeBody => "Bericht",
        Key::ComposeMissing => "Vul de naam van de ontvanger en een bericht in.",
        Key::WritebackTitle => "Activiteiten terugschrijven",
        Key::WritebackEnable => "Sales Navigator gegevens laten terugschrijven naar je CRM?",
        Key::WritebackMissing => {
            "De bijbehorende oplossing is niet geïnstalleerd in je CRM, dus terugschrijven kan nog niet worden aangezet."
        }
        Key::WritebackGetItNow => "Nu downloaden",
        Key::WritebackRefreshHint => {
            "Vernieuw deze pagina na de installatie om opnieuw te controleren."
        }
        Key::WritebackUnknown => {
            "De bijbehorende oplossing in je CRM kon nu niet worden gecontroleerd. Vernieuw deze pagina om opnieuw te controleren."
        }
        Key::WritebackItems => "Wat terugschrijven",
        Key::WritebackAllItems => "Alle gegevens terugschrijven",
        Key::WritebackRecommended => "(aanbevolen)",
        Key::WritebackChooseItems => "Kies de soorten",
        Key::WritebackInmails => "InMails",
        Key::WritebackMessages => "Berichten",
        Key::WritebackNotes => "Notities",
        Key::WritebackImpersonation => {
            "Schrijven als de seathouder (impersonatie), zodat de seathouder ook de maker is"
        }
        Key::WritebackImpersonationHint => {
            "De seathouder is altijd de eigenaar van wat wordt teruggeschreven. Zonder deze keuze is de integratiegebruiker de maker."
        }
        Key::WritebackImpersonationFallback => {
            "De integratiegebruiker mist het recht om namens andere gebruikers te handelen (prvActOnBehalfOfAnotherUser), dus items worden geschreven als de integratiegebruiker, met de seathouder als eigenaar. Vraag je CRM-beheerder dit recht aan de rol van de integratiegebruiker toe te voegen."
        }
        Key::WritebackSave => "Terugschrijfinstellingen opslaan",
        Key::WritebackSaved => "Terugschrijfinstellingen opgeslagen.",
        Key::WritebackChooseOne => "Kies minstens één soort, of schrijf alle gegevens terug.",
        Key::WritebackRefusedNotInstalled => {
            "Niet opgeslagen: de bijbehorende oplossing is niet geïnstalleerd in je CRM. Installeer ze (\"Nu downloaden\") en vernieuw daarna deze pagina."
        }
        Key::WritebackRefusedNotConnected => {
            "Niet opgeslagen: verbind eerst het CRM voordat je terugschrijven aanzet."
        }
        Key::WritebackMatchingTitle => "Contacten koppelen",
        Key::WritebackMatchingIntro => {
            "Personen worden eerst op e-mail aan CRM-contacten gekoppeld, dan op LinkedIn-profiel-URL, dan op voor- en achternaam met bedrijf."
        }
        Key::WritebackProfileColumn => "Contactkolom met de LinkedIn-profiel-URL",
        Key::WritebackProfileColumnHint => "De logische naam van de kolom, bijv. new_linkedinurl.",
        Key::WritebackColumnInvalid => {
            "Vul de logische naam van de kolom in, bijv. new_linkedinurl: kleine letters, cijfers en _, beginnend met een letter, hoogstens 50 tekens."
        }
        Key::WritebackSaveColumn => "Kolom opslaan",
        Key::WritebackColumnSaved => "Kolom opgeslagen.",
        Key::CrmStateCopiedByEmail => "Naar het CRM gekopieerd — gevonden op e-mailadres",
        Key::CrmStateCopiedByProfileUrl => {
            "Naar het CRM gekopieerd — gevonden op LinkedIn-profiel-URL"
        }
        Key::CrmStateCopiedByNameAndCompany => {
            "Naar het CRM gekopieerd — gevonden op naam en bedrijf"
        }
    }
}

/// The label of a licence type.
pub fn licence_label(locale: Locale, licence: Licence) -> &'static str {
    text(
        locale,
        match licence {
            Licence::Admin => Key::LicenceAdmin,
            Licence::TeamMember => Key::LicenceTeamMember,
            Licence::AdminAndTeamMember => Key::LicenceAdminAndTeamMember,
        },
    )
}

/// "3 of 10 seats used".
pub fn seats_used(locale: Locale, used: u32, limit: u32) -> String {
    match locale {
        Locale::En => format!("{used} of {limit} seats used"),
        Locale::Nl => format!("{used} van {limit} seats in gebruik"),
    }
}

/// "Too many attempts. Try again in 2 minutes." (`seconds` rounded up to minutes).
pub fn retry_in(locale: Locale, seconds: u64) -> String {
    let minutes = seconds.div_ceil(60).max(1);
    match (locale, minutes) {
        (Locale::En, 1) => "Too many attempts. Try again in 1 minute.".to_owned(),
        (Locale::En, n) => format!("Too many attempts. Try again in {n} minutes."),
        (Locale::Nl, 1) => "Te veel pogingen. Probeer het over 1 minuut opnieuw.".to_owned(),
        (Locale::Nl, n) => format!("Te veel pogingen. Probeer het over {n} minuten opnieuw."),
    }
}

/// The keys of a CRM problem's sentence and its next step (SPEC C4).
pub fn crm_problem_keys(kind: CrmErrorKind) -> (Key, Key) {
    match kind {
        CrmErrorKind::CouldNotConnect => {
            (Key::CrmProblemCouldNotConnect, Key::CrmNextCouldNotConnect)
        }
        CrmErrorKind::ApiError => (Key::CrmProblemApiError, Key::CrmNextApiError),
        CrmErrorKind::InsufficientPrivileges => (
            Key::CrmProblemInsufficientPrivileges,
            Key::CrmNextInsufficientPrivileges,
        ),
        CrmErrorKind::MissingObjects => (Key::CrmProblemMissingObjects, Key::CrmNextMissingObjects),
        CrmErrorKind::InvalidUrl => (Key::CrmProblemInvalidUrl, Key::CrmNextInvalidUrl),
        CrmErrorKind::NotHttps => (Key::CrmProblemNotHttps, Key::CrmNextNotHttps),
        CrmErrorKind::OnPremises => (Key::CrmProblemOnPremises, Key::CrmNextOnPremises),
        CrmErrorKind::VersionTooOld => (Key::CrmProblemVersionTooOld, Key::CrmNextVersionTooOld),
        CrmErrorKind::Sandbox => (Key::CrmProblemSandbox, Key::CrmNextSandbox),
    }
}

/// A whole number with thousands grouped: "12,345" in English, "12.345" in Dutch.
pub fn count(locale: Locale, n: u64) -> String {
    let separator = match locale {
        Locale::En => ',',
        Locale::Nl => '.',
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

/// What a clean-up on disconnect removes (SPEC C5), e.g. "This removes 12
/// accounts and 40 leads that came from the CRM. Nothing your seat holders
/// created themselves is removed."
pub fn clean_up_summary(locale: Locale, preview: &DisconnectPreview) -> String {
    let (accounts, leads) = (preview.accounts, preview.leads);
    let (a, l) = (count(locale, accounts), count(locale, leads));
    match locale {
        Locale::En if accounts == 0 && leads == 0 => {
            "No accounts or leads came from the CRM, so there is nothing to clean up.".to_owned()
        }
        Locale::En => {
            let accounts = if accounts == 1 { "account" } else { "accounts" };
            let leads = if leads == 1 { "lead" } else { "leads" };
            format!(
                "This removes {a} {accounts} and {l} {leads} that came from the CRM. \
                 Nothing your seat holders created themselves is removed."
            )
        }
        Locale::Nl if accounts == 0 && leads == 0 => {
            "Er kwamen geen accounts of leads uit het CRM, dus er valt niets op te ruimen."
                .to_owned()
        }
        Locale::Nl => {
            let accounts = if accounts == 1 { "account" } else { "accounts" };
            let leads = if leads == 1 { "lead" } else { "leads" };
            format!(
                "Hiermee worden {a} {accounts} en {l} {leads} verwijderd die uit het CRM kwamen. \
                 Niets wat je seathouders zelf hebben gemaakt, wordt verwijderd."
            )
        }
    }
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_NL: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// A local date and time: "5 March 2025 at 14:03", "5 maart 2025 om 14:03".
pub fn date_time(locale: Locale, at: &NaiveDateTime) -> String {
    let month = at.month0() as usize % 12;
    let (day, year, hour, minute) = (at.day(), at.year(), at.hour(), at.minute());
    match locale {
        Locale::En => format!("{day} {} {year} at {hour:02}:{minute:02}", MONTHS_EN[month]),
        Locale::Nl => format!("{day} {} {year} om {hour:02}:{minute:02}", MONTHS_NL[month]),
    }
}

/// The key for an API error code.
pub fn error_key(code: ErrorCode) -> Key {
    match code {
        ErrorCode::BadRequest => Key::ErrorBadRequest,
        ErrorCode::ValidationFailed => Key::ErrorValidationFailed,
        ErrorCode::Unauthenticated => Key::ErrorUnauthenticated,
        ErrorCode::Forbidden => Key::ErrorForbidden,
        ErrorCode::NotFound => Key::ErrorNotFound,
        ErrorCode::Conflict => Key::ErrorConflict,
        ErrorCode::InvalidCredentials => Key::ErrorInvalidCredentials,
        ErrorCode::TooManyRequests => Key::ErrorTooManyRequests,
        ErrorCode::PayloadTooLarge => Key::ErrorPayloadTooLarge,
        ErrorCode::UnsupportedMediaType => Key::ErrorUnsupportedMediaType,
        ErrorCode::CrossSiteRequest => Key::ErrorCrossSiteRequest,
        ErrorCode::Internal => Key::ErrorInternal,
    }
}

/// The sentence to show for a failed API call.
pub fn api_error(locale: Locale, error: &ApiError) -> String {
    match error {
        ApiError::Network(_) => text(locale, Key::ErrorNetwork).to_owned(),
        ApiError::Server {
            body:
                ErrorBody {
                    code: ErrorCode::TooManyRequests,
                    ..
                },
            retry_after: Some(seconds),
            ..
        } => retry_in(locale, *seconds),
        ApiError::Server { body, .. } => text(locale, error_key(body.code)).to_owned(),
    }
}

/// The sentence to show for one invalid field.
///
/// Length and range rules carry their bounds only in the English message, so
/// the numbers are taken from there; an unknown rule shows the server's message.
pub fn field_error(locale: Locale, error: &FieldError) -> String {
    let numbers: Vec<u64> = error
        .message
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|part| part.parse().ok())
        .collect();
    match (error.code.as_str(), numbers.as_slice(), locale) {
        ("required", _, _) => text(locale, Key::FieldRequired).to_owned(),
        ("email", _, _) => text(locale, Key::FieldEmail).to_owned(),
        ("too_short", [n], Locale::En) => format!("Use at least {n} characters."),
        ("too_short", [n], Locale::Nl) => format!("Gebruik minstens {n} tekens."),
        ("too_short", _, _) => text(locale, Key::FieldTooShort).to_owned(),
        ("too_long", [n], Locale::En) => format!("Use at most {n} characters."),
        ("too_long", [n], Locale::Nl) => format!("Gebruik hoogstens {n} tekens."),
        ("too_long", _, _) => text(locale, Key::FieldTooLong).to_owned(),
        ("out_of_range", [min, max], Locale::En) => format!("Enter a number from {min} to {max}."),
        ("out_of_range", [min, max], Locale::Nl) => {
            format!("Vul een getal van {min} tot {max} in.")
        }
        ("out_of_range", _, _) => text(locale, Key::FieldOutOfRange).to_owned(),
        ("tenant", _, _) => text(locale, Key::FieldTenant).to_owned(),
        ("guid", _, _) => text(locale, Key::FieldGuid).to_owned(),
        ("choice", _, _) => text(locale, Key::FieldChoice).to_owned(),
        _ => error.message.clone(),
    }
}

// ---- Seat Management (SPEC M1–M4) and the set-password page ----------------

/// "6 of 25 seats used (19 free)".
pub fn seats_usage(locale: Locale, used: u32, limit: u32) -> String {
    let free = navsync_api::seats::seats_free(limit, used);
    match locale {
        Locale::En => format!("{used} of {limit} seats used ({free} free)"),
        Locale::Nl => format!("{used} van {limit} seats in gebruik ({free} vrij)"),
    }
}

/// "Showing 51–100 of 10,000".
pub fn showing(locale: Locale, first: u64, last: u64, total: u64) -> String {
    let (first, last, total) = (
        count(locale, first),
        count(locale, last),
        count(locale, total),
    );
    match locale {
        Locale::En => format!("Showing {first}–{last} of {total}"),
        Locale::Nl => format!("{first}–{last} van {total} getoond"),
    }
}

/// "19 seats free".
pub fn seats_free_text(locale: Locale, free: u32) -> String {
    match (locale, free) {
        (Locale::En, 1) => "1 seat free".to_owned(),
        (Locale::En, n) => format!("{n} seats free"),
        (Locale::Nl, 1) => "1 seat vrij".to_owned(),
        (Locale::Nl, n) => format!("{n} seats vrij"),
    }
}

/// "3 selected".
pub fn selected_count(locale: Locale, n: usize) -> String {
    match locale {
        Locale::En => format!("{n} selected"),
        Locale::Nl => format!("{n} geselecteerd"),
    }
}

/// The label of a row's checkbox: "Select Sam Jansen".
pub fn select_label(locale: Locale, name: &str) -> String {
    match locale {
        Locale::En => format!("Select {name}"),
        Locale::Nl => format!("{name} selecteren"),
    }
}

/// The name of a row's menu button: "Actions for Sam Jansen".
pub fn actions_for(locale: Locale, name: &str) -> String {
    match locale {
        Locale::En => format!("Actions for {name}"),
        Locale::Nl => format!("Acties voor {name}"),
    }
}

/// What removing a seat does.
pub fn remove_seat_text(locale: Locale, name: &str) -> String {
    match locale {
        Locale::En => format!(
            "Remove the seat of {name}? They can no longer sign in, and their saved accounts, \
             leads and notes are removed."
        ),
        Locale::Nl => format!(
            "De seat van {name} verwijderen? Deze persoon kan zich niet meer aanmelden, en \
             de opgeslagen accounts, leads en notities worden verwijderd."
        ),
    }
}

/// The label of a set-password link's field: "Set-password link for Sam Jansen".
pub fn password_link_for(locale: Locale, name: &str) -> String {
    match locale {
        Locale::En => format!("Set-password link for {name}"),
        Locale::Nl => format!("Link voor wachtwoord instellen van {name}"),
    }
}

/// The outcome of bulk "Enable CRM Sync" / "Disable CRM Sync" (M4), e.g.
/// "CRM sync enabled for 3 seats (2 already had it)."
pub fn crm_sync_summary(
    locale: Locale,
    enabled: bool,
    summary: navsync_api::seats::CrmSyncSummary,
) -> String {
    let (changed, unchanged) = (summary.changed, summary.unchanged);
    let seats = if changed == 1 { "seat" } else { "seats" };
    match locale {
        Locale::En => {
            let done = if enabled { "enabled" } else { "disabled" };
            let already = match (unchanged, enabled) {
                (0, _) => String::new(),
                (n, true) => format!(" ({n} already had it)"),
                (n, false) => format!(" ({n} already had it off)"),
            };
            format!("CRM sync {done} for {changed} {seats}{already}.")
        }
        Locale::Nl => {
            let done = if enabled {
                "ingeschakeld"
            } else {
                "uitgeschakeld"
            };
            let already = match (unchanged, enabled) {
                (0, _) => String::new(),
                (1, true) => " (1 had die al)".to_owned(),
                (n, true) => format!(" ({n} hadden die al)"),
                (n, false) => format!(" (bij {n} stond die al uit)"),
            };
            format!("CRM-synchronisatie {done} voor {changed} {seats}{already}.")
        }
    }
}

/// The key of the reason a seat has no "In CRM" badge.
pub fn not_in_crm_key(reason: navsync_api::seats::NotInCrmReason) -> Key {
    use navsync_api::seats::NotInCrmReason;
    match reason {
        NotInCrmReason::SyncOff => Key::ReasonSyncOff,
        NotInCrmReason::NoCrmUser => Key::ReasonNoCrmUser,
        NotInCrmReason::NotConnected => Key::ReasonNotConnected,
    }
}

/// The key of the reason a CRM user got no seat.
pub fn skip_reason_key(reason: navsync_api::seats::SkipReason) -> Key {
    use navsync_api::seats::SkipReason;
    match reason {
        SkipReason::AlreadyHasSeat => Key::SkipAlreadyHasSeat,
        SkipReason::EmailInUse => Key::SkipEmailInUse,
        SkipReason::NoEmail => Key::SkipNoEmail,
        SkipReason::NotFound => Key::SkipNotFound,
    }
}

/// Too few seats for an assignment: in English exactly the server's sentence.
pub fn seat_limit_message(locale: Locale, error: &navsync_api::seats::SeatLimitError) -> String {
    match locale {
        Locale::En => error.message(),
        Locale::Nl => format!(
            "Niet genoeg seats: {} teamlid-seats gevraagd, maar er zijn er maar {} van {} vrij. \
             Er is niets gewijzigd.",
            error.requested,
            error.free(),
            error.limit
        ),
    }
}

/// The sentence for a failed seat action. A refusal (400, 409) carries the
/// server's own sentence (e.g. the last admin), translated when it is a known
/// one; other failures get the usual translated message.
pub fn server_message(locale: Locale, error: &ApiError) -> String {
    const KNOWN: [(&str, Key); 4] = [
        (
            navsync_api::seats::BAD_PASSWORD_LINK,
            Key::ServerBadPasswordLink,
        ),
        (navsync_api::seats::LAST_ADMIN, Key::ServerLastAdmin),
        (navsync_api::seats::AUTO_SYNC_ALL_ON, Key::ServerAutoSyncAll),
        (
            "No CRM is connected. Connect one first.",
            Key::ServerNotConnected,
        ),
    ];
    match error {
        // The generic body stands in for an unreadable answer: no sentence to show.
        ApiError::Server {
            status: 400 | 409,
            body,
            ..
        } if body.message != "The server answered with an error." => KNOWN
            .iter()
            .find(|(message, _)| *message == body.message)
            .map_or_else(
                || body.message.clone(),
                |&(_, key)| text(locale, key).to_owned(),
            ),
        _ => api_error(locale, error),
    }
}

// ---- Messages (SPEC H1, H2, H4) --------------------------------------------

/// The accessible name of a thread's "Copy thread" checkbox in the inbox:
/// "Copy thread: Ada Lovelace".
pub fn copy_thread_for(locale: Locale, name: &str) -> String {
    format!("{}: {name}", text(locale, Key::CopyThread))
}

// ---- CRM sync (SPEC S5) and the saved lists (L1) ---------------------------

/// The accessible name of an "In CRM" link: "Open Contoso in CRM".
pub fn open_in_crm(locale: Locale, name: &str) -> String {
    match locale {
        Locale::En => format!("Open {name} in CRM"),
        Locale::Nl => format!("{name} openen in het CRM"),
    }
}

/// An amount such as a won value: "1,234,567.50" in English, "1.234.567,50"
/// in Dutch; whole amounts without decimals ("12,000").
pub fn amount(locale: Locale, value: f64) -> String {
    if !value.is_finite() {
        return String::new();
    }
    let cents = (value.abs() * 100.0).round() as u64;
    let sign = if value < 0.0 && cents > 0 { "-" } else { "" };
    let whole = count(locale, cents / 100);
    let decimal = match locale {
        Locale::En => '.',
        Locale::Nl => ',',
    };
    match cents % 100 {
        0 => format!("{sign}{whole}"),
        c => format!("{sign}{whole}{decimal}{c:02}"),
    }
}

/// A run's duration: "850 ms", "12.4 s" ("12,4 s" in Dutch), "3 min 5 s".
pub fn duration(locale: Locale, ms: u64) -> String {
    if ms < 1_000 {
        return format!("{ms} ms");
    }
    if ms < 60_000 {
        let tenths = (ms + 50) / 100;
        let decimal = match locale {
            Locale::En => '.',
            Locale::Nl => ',',
        };
        return format!("{}{decimal}{} s", tenths / 10, tenths % 10);
    }
    let seconds = (ms + 500) / 1_000;
    format!("{} min {} s", seconds / 60, seconds % 60)
}

/// The runs chart's accessible name: "Duration of the last 12 runs, oldest
/// first; the longest took 3 min 5 s."
pub fn sync_chart_label(locale: Locale, runs: usize, longest_ms: u64) -> String {
    let longest = duration(locale, longest_ms);
    match (locale, runs) {
        (Locale::En, 1) => format!("Duration of the last run: {longest}."),
        (Locale::En, n) => {
            format!("Duration of the last {n} runs, oldest first; the longest took {longest}.")
        }
        (Locale::Nl, 1) => format!("Duur van de laatste synchronisatie: {longest}."),
        (Locale::Nl, n) => format!(
            "Duur van de laatste {n} synchronisaties, oudste eerst; de langste duurde {longest}."
        ),
    }
}

/// The sentence for a failed save or removal of a saved row: the 409 of a
/// row only CRM sync brought is translated; others as [`server_message`].
pub fn saved_error(locale: Locale, error: &ApiError) -> String {
    match error {
        ApiError::Server {
            status: 409, body, ..
        } if body.message == text(Locale::En, Key::SavedFromCrm) => {
            text(locale, Key::SavedFromCrm).to_owned()
        }
        _ => server_message(locale, error),
    }
}

#[cfg(test)]
mod seat_tests {
    use super::*;
    use navsync_api::seats::CrmSyncSummary;

    #[test]
    fn seat_labels_are_kept_word_for_word() {
        assert_eq!(text(Locale::En, Key::InCrm), "In CRM");
        assert_eq!(text(Locale::En, Key::EnableCrmSync), "Enable CRM Sync");
        assert_eq!(text(Locale::En, Key::DisableCrmSync), "Disable CRM Sync");
        assert_eq!(
            text(Locale::En, Key::AssignSeatsFromCrm),
            "Assign seats from CRM"
        );
        assert_eq!(text(Locale::En, Key::ReasonSyncOff), "CRM sync is off");
        assert_eq!(
            text(Locale::En, Key::ReasonNoCrmUser),
            "No CRM user with this email"
        );
        assert_eq!(
            text(Locale::En, Key::ReasonNotConnected),
            "CRM not connected"
        );
        for locale in [Locale::En, Locale::Nl] {
            assert!(
                text(locale, Key::AutoSyncAllNote).contains(text(locale, Key::CrmAutoSyncAll)),
                "{locale:?}"
            );
        }
    }

    #[test]
    fn known_server_sentences_match_the_contract() {
        assert_eq!(
            text(Locale::En, Key::ServerBadPasswordLink),
            navsync_api::seats::BAD_PASSWORD_LINK
        );
        assert_eq!(
            text(Locale::En, Key::ServerLastAdmin),
            navsync_api::seats::LAST_ADMIN
        );
        assert_eq!(
            text(Locale::En, Key::ServerAutoSyncAll),
            navsync_api::seats::AUTO_SYNC_ALL_ON
        );
    }

    #[test]
    fn usage_paging_and_counts() {
        assert_eq!(
            seats_usage(Locale::En, 6, 25),
            "6 of 25 seats used (19 free)"
        );
        assert_eq!(
            seats_usage(Locale::Nl, 6, 25),
            "6 van 25 seats in gebruik (19 vrij)"
        );
        assert_eq!(
            showing(Locale::En, 51, 100, 10_000),
            "Showing 51–100 of 10,000"
        );
        assert_eq!(
            showing(Locale::Nl, 51, 100, 10_000),
            "51–100 van 10.000 getoond"
        );
        assert_eq!(seats_free_text(Locale::En, 1), "1 seat free");
        assert_eq!(seats_free_text(Locale::En, 19), "19 seats free");
        assert_eq!(select_label(Locale::En, "Sam"), "Select Sam");
        assert_eq!(actions_for(Locale::En, "Sam"), "Actions for Sam");
    }

    #[test]
    fn the_bulk_summary_counts_both() {
        let s = |changed, unchanged| CrmSyncSummary { changed, unchanged };
        assert_eq!(
            crm_sync_summary(Locale::En, true, s(3, 2)),
            "CRM sync enabled for 3 seats (2 already had it)."
        );
        assert_eq!(
            crm_sync_summary(Locale::En, false, s(1, 0)),
            "CRM sync disabled for 1 seat."
        );
        assert_eq!(
            crm_sync_summary(Locale::En, false, s(0, 4)),
            "CRM sync disabled for 0 seats (4 already had it off)."
        );
        assert_eq!(
            crm_sync_summary(Locale::Nl, true, s(1, 1)),
            "CRM-synchronisatie ingeschakeld voor 1 seat (1 had die al)."
        );
    }

    #[test]
    fn seat_limits_read_like_the_server() {
        let error = navsync_api::seats::check_assignment(10, 8, 3).expect_err("over the limit");
        assert_eq!(seat_limit_message(Locale::En, &error), error.message());
        assert!(seat_limit_message(Locale::Nl, &error).contains("maar 2 van 10 vrij"));
    }

    #[test]
    fn refusals_show_the_servers_sentence() {
        let refusal = |status, message: &str| ApiError::Server {
            status,
            body: ErrorBody::new(ErrorCode::Conflict, message),
            retry_after: None,
        };
        let last_admin = refusal(409, navsync_api::seats::LAST_ADMIN);
        assert_eq!(
            server_message(Locale::En, &last_admin),
            navsync_api::seats::LAST_ADMIN
        );
        assert_eq!(
            server_message(Locale::Nl, &last_admin),
            text(Locale::Nl, Key::ServerLastAdmin)
        );
        let other = refusal(409, "Not enough seats: …");
        assert_eq!(server_message(Locale::Nl, &other), "Not enough seats: …");
        let generic = refusal(409, "The server answered with an error.");
        assert_eq!(
            server_message(Locale::En, &generic),
            text(Locale::En, Key::ErrorConflict)
        );
        // Other statuses keep the translated message of their code.
        let missing = refusal(404, "No such seat.");
        assert_eq!(
            server_message(Locale::En, &missing),
            text(Locale::En, Key::ErrorConflict)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(code: &str, message: &str) -> FieldError {
        FieldError {
            field: "x".into(),
            code: code.into(),
            message: message.into(),
        }
    }

    #[test]
    fn every_key_has_text_in_both_languages() {
        for &key in Key::ALL {
            for locale in [Locale::En, Locale::Nl] {
                assert!(!text(locale, key).trim().is_empty(), "{key:?} {locale:?}");
            }
        }
    }

    #[test]
    fn dutch_differs_from_english_for_most_keys() {
        let same: Vec<_> = Key::ALL
            .iter()
            .filter(|&&key| text(Locale::En, key) == text(Locale::Nl, key))
            .collect();
        assert!(same.len() * 10 < Key::ALL.len(), "untranslated: {same:?}");
    }

    #[test]
    fn message_labels_are_kept_word_for_word() {
        assert_eq!(
            text(Locale::En, Key::CopyMessageToCrm),
            "Copy message to CRM"
        );
        assert_eq!(text(Locale::En, Key::CopyThread), "Copy thread");
        assert_eq!(copy_thread_for(Locale::En, "Ada"), "Copy thread: Ada");
        assert_eq!(copy_thread_for(Locale::Nl, "Ada"), "Thread kopiëren: Ada");
    }

    #[test]
    fn spec_labels_are_kept_word_for_word() {
        assert_eq!(text(Locale::En, Key::AdminSettings), "Admin Settings");
        assert_eq!(text(Locale::En, Key::CrmSettings), "CRM Settings");
        assert_eq!(text(Locale::En, Key::SeatManagement), "Seat Management");
        assert_eq!(text(Locale::En, Key::Messages), "Messages");
        assert_eq!(text(Locale::En, Key::SavedLeads), "Saved leads");
        assert_eq!(text(Locale::En, Key::SavedAccounts), "Saved accounts");
    }

    #[test]
    fn crm_problems_follow_the_contract_word_for_word() {
        for kind in [
            CrmErrorKind::CouldNotConnect,
            CrmErrorKind::ApiError,
            CrmErrorKind::InsufficientPrivileges,
            CrmErrorKind::MissingObjects,
            CrmErrorKind::InvalidUrl,
            CrmErrorKind::NotHttps,
            CrmErrorKind::OnPremises,
            CrmErrorKind::VersionTooOld,
            CrmErrorKind::Sandbox,
        ] {
            let (message, next_step) = crm_problem_keys(kind);
            assert_eq!(text(Locale::En, message), kind.message(), "{kind:?}");
            assert_eq!(text(Locale::En, next_step), kind.next_step(), "{kind:?}");
            assert_ne!(text(Locale::Nl, message), kind.message(), "{kind:?}");
        }
    }

    #[test]
    fn crm_labels_are_kept_word_for_word() {
        assert_eq!(text(Locale::En, Key::ConnectToCrm), "Connect to CRM");
        assert_eq!(
            text(Locale::En, Key::CrmConnectedTitle),
            "Connected to Microsoft Dynamics"
        );
        assert_eq!(
            text(Locale::En, Key::CrmJustConnected),
            "Successfully connected, sync in progress"
        );
        assert_eq!(text(Locale::En, Key::CrmDisconnect), "Disconnect CRM Sync");
        assert_eq!(
            text(Locale::En, Key::CrmCleanUp),
            "Yes, clean up all previously imported CRM data"
        );
        assert_eq!(
            text(Locale::En, Key::CrmAutoSyncAll),
            "Auto sync all seat holders with CRM?"
        );
        assert_eq!(
            text(Locale::En, Key::CrmPipelineStage),
            "In which stage does your sales team consider an opportunity to be in the pipeline?"
        );
        assert_eq!(
            text(Locale::En, Key::CrmWonValueField),
            "Where do you store the value of a won opportunity?"
        );
        assert_eq!(text(Locale::En, Key::NotSure), "Not Sure");
    }

    #[test]
    fn counts_are_grouped_per_language() {
        assert_eq!(count(Locale::En, 0), "0");
        assert_eq!(count(Locale::En, 999), "999");
        assert_eq!(count(Locale::En, 1000), "1,000");
        assert_eq!(count(Locale::En, 1_234_567), "1,234,567");
        assert_eq!(count(Locale::Nl, 12_345), "12.345");
    }

    #[test]
    fn the_clean_up_sentence_counts_what_goes() {
        let preview = |accounts, leads| DisconnectPreview { accounts, leads };
        assert_eq!(
            clean_up_summary(Locale::En, &preview(12, 40)),
            "This removes 12 accounts and 40 leads that came from the CRM. \
             Nothing your seat holders created themselves is removed."
        );
        assert_eq!(
            clean_up_summary(Locale::En, &preview(1, 1)),
            "This removes 1 account and 1 lead that came from the CRM. \
             Nothing your seat holders created themselves is removed."
        );
        assert!(
            clean_up_summary(Locale::En, &preview(1500, 0)).contains("1,500 accounts and 0 leads")
        );
        assert!(
            clean_up_summary(Locale::Nl, &preview(1500, 2)).contains("1.500 accounts en 2 leads")
        );
        assert!(clean_up_summary(Locale::En, &preview(0, 0)).contains("nothing to clean up"));
        assert!(clean_up_summary(Locale::Nl, &preview(0, 0)).contains("niets op te ruimen"));
    }

    #[test]
    fn dates_read_naturally() {
        let at = chrono::NaiveDate::from_ymd_opt(2025, 3, 5)
            .and_then(|d| d.and_hms_opt(14, 3, 9))
            .expect("a valid date");
        assert_eq!(date_time(Locale::En, &at), "5 March 2025 at 14:03");
        assert_eq!(date_time(Locale::Nl, &at), "5 maart 2025 om 14:03");
    }

    #[test]
    fn crm_field_rules_are_translated() {
        assert_eq!(
            field_error(
                Locale::Nl,
                &field("guid", "Enter the application (client) ID…")
            ),
            text(Locale::Nl, Key::FieldGuid)
        );
        assert_eq!(
            field_error(Locale::En, &field("tenant", "x")),
            text(Locale::En, Key::FieldTenant)
        );
        assert_eq!(
            field_error(Locale::Nl, &field("choice", "x")),
            text(Locale::Nl, Key::FieldChoice)
        );
    }

    #[test]
    fn retry_rounds_up_to_whole_minutes() {
        assert_eq!(
            retry_in(Locale::En, 1),
            "Too many attempts. Try again in 1 minute."
        );
        assert_eq!(
            retry_in(Locale::En, 61),
            "Too many attempts. Try again in 2 minutes."
        );
        assert_eq!(
            retry_in(Locale::Nl, 900),
            "Te veel pogingen. Probeer het over 15 minuten opnieuw."
        );
    }

    #[test]
    fn api_errors_are_translated() {
        let wrong = ApiError::Server {
            status: 401,
            body: ErrorBody::new(ErrorCode::InvalidCredentials, "x"),
            retry_after: None,
        };
        assert_eq!(
            api_error(Locale::En, &wrong),
            "The email or password is not correct."
        );
        let busy = ApiError::Server {
            status: 429,
            body: ErrorBody::new(ErrorCode::TooManyRequests, "x"),
            retry_after: Some(120),
        };
        assert!(api_error(Locale::En, &busy).contains("2 minutes"));
        let offline = ApiError::Network("boom".into());
        assert_eq!(
            api_error(Locale::Nl, &offline),
            text(Locale::Nl, Key::ErrorNetwork)
        );
    }

    #[test]
    fn field_errors_keep_their_bounds() {
        let short = field("too_short", "Use at least 8 characters.");
        assert_eq!(
            field_error(Locale::Nl, &short),
            "Gebruik minstens 8 tekens."
        );
        let range = field("out_of_range", "Enter a number from 1 to 100000.");
        assert_eq!(
            field_error(Locale::En, &range),
            "Enter a number from 1 to 100000."
        );
        assert_eq!(
            field_error(Locale::Nl, &field("required", "")),
            "Dit veld is verplicht."
        );
        assert_eq!(
            field_error(Locale::Nl, &field("odd", "Server says no.")),
            "Server says no."
        );
    }
}

#[cfg(test)]
mod sync_tests {
    use super::*;

    #[test]
    fn sync_and_saved_labels_are_kept_word_for_word() {
        assert_eq!(text(Locale::En, Key::InCrm), "In CRM");
        assert_eq!(text(Locale::En, Key::SyncNow), "Sync now");
        assert_eq!(text(Locale::En, Key::SyncStarted), "Sync started");
        assert_eq!(text(Locale::En, Key::SyncPaused), "Sync is paused");
        assert_eq!(text(Locale::En, Key::SavedByHand), "Saved by hand");
        assert_eq!(
            text(Locale::En, Key::SavedLeadsEmpty),
            "No saved leads yet. Leads from your open opportunities appear here after the next CRM sync."
        );
        assert_eq!(open_in_crm(Locale::En, "Contoso"), "Open Contoso in CRM");
    }

    #[test]
    fn won_values_follow_the_locale() {
        assert_eq!(amount(Locale::En, 1_234_567.5), "1,234,567.50");
        assert_eq!(amount(Locale::Nl, 1_234_567.5), "1.234.567,50");
        assert_eq!(amount(Locale::En, 12_000.0), "12,000");
        assert_eq!(amount(Locale::Nl, 0.0), "0");
        assert_eq!(amount(Locale::En, -5.25), "-5.25");
        assert_eq!(amount(Locale::En, 0.999), "1");
        assert_eq!(amount(Locale::En, f64::NAN), "");
    }

    #[test]
    fn durations_and_the_chart_label_read_naturally() {
        assert_eq!(duration(Locale::En, 850), "850 ms");
        assert_eq!(duration(Locale::En, 12_400), "12.4 s");
        assert_eq!(duration(Locale::Nl, 12_400), "12,4 s");
        assert_eq!(duration(Locale::En, 185_000), "3 min 5 s");
        assert_eq!(
            sync_chart_label(Locale::En, 12, 185_000),
            "Duration of the last 12 runs, oldest first; the longest took 3 min 5 s."
        );
        assert!(sync_chart_label(Locale::Nl, 1, 850).contains("850 ms"));
    }

    #[test]
    fn the_crm_only_refusal_is_translated() {
        let refusal = ApiError::Server {
            status: 409,
            body: ErrorBody::new(ErrorCode::Conflict, text(Locale::En, Key::SavedFromCrm)),
            retry_after: None,
        };
        assert_eq!(
            saved_error(Locale::Nl, &refusal),
            text(Locale::Nl, Key::SavedFromCrm)
        );
        assert_eq!(
            saved_error(Locale::En, &refusal),
            text(Locale::En, Key::SavedFromCrm)
        );
    }
}
