//! The one catalogue of UI strings, in English and Dutch.
//!
//! Pure Rust: no leptos, no web-sys, so every string is unit-tested natively.
//! The reactive side (the current locale in context) lives in
//! [`crate::state::i18n`]. English labels quoted in the product spec are kept
//! word for word.

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
    /// What CRM Settings will hold.
    CrmSettingsSoon,
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
        Key::CrmSettingsSoon => {
            "Here you will connect Microsoft Dynamics 365 and choose which opportunities are synced."
        }
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
        Key::CrmSettingsSoon => {
            "Hier koppel je Microsoft Dynamics 365 en kies je welke verkoopkansen worden gesynchroniseerd."
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
        _ => error.message.clone(),
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
    fn spec_labels_are_kept_word_for_word() {
        assert_eq!(text(Locale::En, Key::AdminSettings), "Admin Settings");
        assert_eq!(text(Locale::En, Key::CrmSettings), "CRM Settings");
        assert_eq!(text(Locale::En, Key::SeatManagement), "Seat Management");
        assert_eq!(text(Locale::En, Key::Messages), "Messages");
        assert_eq!(text(Locale::En, Key::SavedLeads), "Saved leads");
        assert_eq!(text(Locale::En, Key::SavedAccounts), "Saved accounts");
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
