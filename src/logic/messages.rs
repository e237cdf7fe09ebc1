//! Messages (SPEC H1, H2, H6): the tri-state of "Copy thread", the retry
//! policy of copy toggles on a flaky connection, and the inbox's snippets and
//! times.
//!
//! Plain Rust so every rule is tested natively.

use chrono::{NaiveDate, NaiveDateTime};
use navsync_api::messages::CopyMix;

/// Waits between tries of a copy toggle that met a network error: after the
/// first try fails, wait 0.5 s, then 1 s, 2 s and 4 s; after that, give up.
pub const BACKOFF_MS: [u32; 4] = [500, 1_000, 2_000, 4_000];

/// Characters of a message shown in the inbox.
pub const SNIPPET_CHARS: usize = 80;

/// Whether a thread is ticked, from how many of its messages are.
pub fn copy_mix(ticked: usize, total: usize) -> CopyMix {
    if total == 0 || ticked == 0 {
        CopyMix::None
    } else if ticked >= total {
        CopyMix::All
    } else {
        CopyMix::Some
    }
}

/// A "Copy thread" checkbox: `(checked, indeterminate)`.
pub fn checkbox_state(mix: CopyMix) -> (bool, bool) {
    match mix {
        CopyMix::All => (true, false),
        CopyMix::Some => (false, true),
        CopyMix::None => (false, false),
    }
}

/// What clicking a "Copy thread" checkbox does: a mixed thread gets ticked.
pub fn thread_toggle(mix: CopyMix) -> bool {
    mix != CopyMix::All
}

/// How long to wait before try `failed_tries + 1`, after `failed_tries`
/// tries failed with a network error; `None` when it is time to give up.
pub fn backoff_ms(failed_tries: usize) -> Option<u32> {
    failed_tries
        .checked_sub(1)
        .and_then(|i| BACKOFF_MS.get(i).copied())
}

/// `text` on one line, cut at `max` characters with an ellipsis.
pub fn snippet(text: &str, max: usize) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= max {
        return line;
    }
    let cut: String = line.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// The inbox's short time: "14:03" today, "05-03" this year, else "05-03-2024".
pub fn short_time(at: &NaiveDateTime, today: NaiveDate) -> String {
    let date = at.date();
    if date == today {
        at.format("%H:%M").to_string()
    } else if date.format("%Y").to_string() == today.format("%Y").to_string() {
        at.format("%d-%m").to_string()
    } else {
        at.format("%d-%m-%Y").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tri_state_from_counts() {
        assert_eq!(copy_mix(0, 0), CopyMix::None);
        assert_eq!(copy_mix(0, 3), CopyMix::None);
        assert_eq!(copy_mix(2, 3), CopyMix::Some);
        assert_eq!(copy_mix(3, 3), CopyMix::All);
        assert_eq!(checkbox_state(CopyMix::All), (true, false));
        assert_eq!(checkbox_state(CopyMix::Some), (false, true));
        assert_eq!(checkbox_state(CopyMix::None), (false, false));
        assert!(thread_toggle(CopyMix::Some));
        assert!(thread_toggle(CopyMix::None));
        assert!(!thread_toggle(CopyMix::All));
    }

    #[test]
    fn backoff_doubles_then_gives_up() {
        assert_eq!(backoff_ms(0), None);
        assert_eq!(backoff_ms(1), Some(500));
        assert_eq!(backoff_ms(2), Some(1_000));
        assert_eq!(backoff_ms(3), Some(2_000));
        assert_eq!(backoff_ms(4), Some(4_000));
        assert_eq!(backoff_ms(5), None);
    }

    #[test]
    fn snippets_are_one_short_line() {
        assert_eq!(snippet("Hi\n  there", 80), "Hi there");
        assert_eq!(snippet("abcdefghij", 10), "abcdefghij");
        assert_eq!(snippet("abcde fghijk", 8), "abcde f…");
        assert_eq!(snippet("abcde fghijk", 7), "abcde…");
    }

    #[test]
    fn short_times() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        let at = day(2025, 3, 5).and_hms_opt(14, 3, 0).unwrap_or_default();
        assert_eq!(short_time(&at, day(2025, 3, 5)), "14:03");
        assert_eq!(short_time(&at, day(2025, 3, 6)), "05-03");
        assert_eq!(short_time(&at, day(2026, 1, 1)), "05-03-2025");
    }
}
