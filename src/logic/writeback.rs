//! The admin's writeback choices on the CRM Settings page (SPEC W1, W2, W4)
//! and the matching column (R3): the form ⇄ [`WritebackSettings`]
//! conversion, what the companion solution check means for the page, and
//! which sentence a refusal gets.

use navsync_api::messages::{WritebackSettings, WritebackStatus};
use navsync_api::{ErrorBody, ErrorCode, FieldError, Locale};

use crate::i18n::{self, Key};

/// What the page says about the companion solution (W1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Companion {
    /// Installed: nothing to say.
    Installed,
    /// Missing: say so, offer "Get it now" and explain that a refresh checks again.
    Missing,
    /// The CRM could not be asked just now.
    Unknown,
}

/// The companion solution's state from the server's check.
pub fn companion(status: &WritebackStatus) -> Companion {
    match status.installed {
        Some(true) => Companion::Installed,
        Some(false) => Companion::Missing,
        None => Companion::Unknown,
    }
}

/// Why the form was not sent.
pub const CHOOSE_ONE: Key = Key::WritebackChooseOne;

/// The choices to send, or why not: with writeback on and not "all data
/// items", at least one item type must be chosen. With writeback off the
/// item choices are kept as they are, so switching back on restores them.
pub fn to_settings(form: &WritebackSettings) -> Result<WritebackSettings, Key> {
    if form.enabled && !form.all_items && !(form.inmails || form.messages || form.notes) {
        return Err(CHOOSE_ONE);
    }
    Ok(form.clone())
}

/// The sentence for a 409 from saving the choices: no companion solution,
/// or no CRM. `None` for other errors (the generic sentence applies).
pub fn refusal_key(body: &ErrorBody) -> Option<Key> {
    if body.code != ErrorCode::Conflict {
        return None;
    }
    Some(if body.message.contains("companion") {
        Key::WritebackRefusedNotInstalled
    } else {
        Key::WritebackRefusedNotConnected
    })
}

/// The sentence for a field error on the matching column (R3); an unknown
/// rule shows the server's message.
pub fn column_error(locale: Locale, error: &FieldError, column: &str) -> String {
    match error.code.as_str() {
        "invalid" => i18n::text(locale, Key::WritebackColumnInvalid).to_owned(),
        "not_in_crm" => i18n::column_not_in_crm(locale, column.trim()),
        _ => error.message.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(enabled: bool, all: bool, types: [bool; 3]) -> WritebackSettings {
        WritebackSettings {
            enabled,
            all_items: all,
            inmails: types[0],
            messages: types[1],
            notes: types[2],
            impersonation: false,
        }
    }

    fn status(installed: Option<bool>) -> WritebackStatus {
        WritebackStatus {
            settings: form(false, true, [false; 3]),
            connected: true,
            installed,
            get_it_url: "https://example.test/get".into(),
        }
    }

    #[test]
    fn enabled_with_chosen_types_or_all_items_is_sent_as_is() {
        let chosen = form(true, false, [false, true, true]);
        assert_eq!(to_settings(&chosen), Ok(chosen.clone()));
        let all = form(true, true, [false; 3]);
        assert_eq!(to_settings(&all), Ok(all.clone()));
    }

    #[test]
    fn enabled_without_all_items_needs_one_type() {
        assert_eq!(to_settings(&form(true, false, [false; 3])), Err(CHOOSE_ONE));
    }

    #[test]
    fn switched_off_is_sent_whatever_the_types() {
        let off = form(false, false, [false; 3]);
        assert_eq!(to_settings(&off), Ok(off.clone()));
    }

    #[test]
    fn the_check_reads_installed_missing_or_unknown() {
        assert_eq!(companion(&status(Some(true))), Companion::Installed);
        assert_eq!(companion(&status(Some(false))), Companion::Missing);
        assert_eq!(companion(&status(None)), Companion::Unknown);
    }

    #[test]
    fn a_conflict_names_its_cause() {
        let body = |message: &str| ErrorBody {
            code: ErrorCode::Conflict,
            message: message.into(),
            fields: None,
        };
        assert_eq!(
            refusal_key(&body(
                "The companion solution is not installed in your CRM. Install it (\"Get it now\"), then refresh this page."
            )),
            Some(Key::WritebackRefusedNotInstalled)
        );
        assert_eq!(
            refusal_key(&body("Connect the CRM before switching writeback on.")),
            Some(Key::WritebackRefusedNotConnected)
        );
        let other = ErrorBody {
            code: ErrorCode::Internal,
            message: "x".into(),
            fields: None,
        };
        assert_eq!(refusal_key(&other), None);
    }

    #[test]
    fn column_errors_have_their_own_sentences() {
        let error = |code: &str| FieldError {
            field: "profile_url_column".into(),
            code: code.into(),
            message: "m".into(),
        };
        assert!(
            column_error(Locale::Nl, &error("invalid"), "x").starts_with("Vul de logische naam")
        );
        assert_eq!(
            column_error(Locale::En, &error("not_in_crm"), " new_li "),
            "The CRM's contact table has no column named new_li."
        );
        assert_eq!(column_error(Locale::En, &error("other"), "x"), "m");
    }
    #[test]
    fn spec_labels_are_kept_word_for_word() {
        let en = |key| i18n::text(Locale::En, key);
        assert_eq!(
            en(Key::WritebackEnable),
            "Enable Sales Navigator to sync back data to your CRM?"
        );
        assert_eq!(en(Key::WritebackGetItNow), "Get it now");
        assert_eq!(en(Key::WritebackAllItems), "Sync back all data items");
    }

    #[test]
    fn the_column_rule_reads_like_the_server() {
        let bad = navsync_api::crm::WritebackMatching {
            profile_url_column: "New LinkedIn!".into(),
        };
        let errors = bad.validate();
        assert_eq!(
            column_error(Locale::En, &errors[0], "New LinkedIn!"),
            errors[0].message
        );
    }
}
