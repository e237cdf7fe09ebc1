//! CRM sync (SPEC S5) and the saved lists (L1): the saved lists' query string,
//! how often the sync status is polled, the bar geometry of the runs chart,
//! and names shown on saved rows.
//!
//! Plain Rust so every rule is tested natively; sentences built from these
//! numbers live in [`crate::i18n`].

use navsync_api::sync::{SavedLead, SyncRun};

use crate::logic::seats::encode;

/// Rows per page of the saved lists.
pub const SAVED_PAGE_SIZE: u64 = 50;

/// Poll interval while a run is in progress or was just started.
pub const FAST_POLL_MS: u32 = 2_000;
/// Poll interval otherwise.
pub const SLOW_POLL_MS: u32 = 30_000;
/// Fast polls after "Sync now", so a run that starts a moment later is seen.
pub const FAST_POLLS_AFTER_START: u32 = 5;

/// What a saved list asks the server for (`GET /api/saved-leads` or
/// `GET /api/saved-accounts`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedQuery {
    /// Search text; blank means none.
    pub q: String,
    /// First row.
    pub offset: u64,
    /// Page size.
    pub limit: u64,
}

impl Default for SavedQuery {
    fn default() -> Self {
        Self {
            q: String::new(),
            offset: 0,
            limit: SAVED_PAGE_SIZE,
        }
    }
}

impl SavedQuery {
    /// The query string, starting with `?`; a blank search is left out.
    pub fn to_query_string(&self) -> String {
        let q = self.q.trim();
        if q.is_empty() {
            format!("?offset={}&limit={}", self.offset, self.limit)
        } else {
            format!(
                "?q={}&offset={}&limit={}",
                encode(q),
                self.offset,
                self.limit
            )
        }
    }
}

/// Where to go when a page came back empty although rows exist (the last
/// row of the last page was removed): the last page's offset, if not there.
pub fn fallback_offset(offset: u64, rows: usize, total: u64, limit: u64) -> Option<u64> {
    if rows > 0 || total == 0 || offset == 0 || limit == 0 {
        return None;
    }
    let last = (total - 1) / limit * limit;
    (last < offset).then_some(last)
}

/// How long to wait before asking for the sync status again: every 2 s while
/// a run is in progress or right after "Sync now", else every 30 s.
pub fn poll_interval_ms(running: bool, fast_polls_left: u32) -> u32 {
    if running || fast_polls_left > 0 {
        FAST_POLL_MS
    } else {
        SLOW_POLL_MS
    }
}

/// One bar of the runs chart, in the SVG's user units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bar {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height (0 for a value of 0).
    pub height: f64,
}

/// The bars of the runs chart in a `width` × `height` box: oldest run on the
/// left (runs come newest first), heights scaled to the longest duration.
pub fn duration_bars(runs: &[SyncRun], width: f64, height: f64) -> Vec<Bar> {
    let values: Vec<u64> = runs.iter().rev().map(|r| r.duration_ms).collect();
    bars(&values, width, height)
}

/// Bars for `values`, left to right, with a gap of a fifth of a slot.
pub fn bars(values: &[u64], width: f64, height: f64) -> Vec<Bar> {
    let max = values.iter().copied().max().unwrap_or(0);
    if values.is_empty() {
        return Vec::new();
    }
    let slot = width / values.len() as f64;
    let gap = slot / 5.0;
    values
        .iter()
        .enumerate()
        .map(|(i, &value)| {
            let h = if max == 0 {
                0.0
            } else {
                height * value as f64 / max as f64
            };
            Bar {
                x: i as f64 * slot + gap / 2.0,
                y: height - h,
                width: slot - gap,
                height: h,
            }
        })
        .collect()
}

/// The longest duration among `runs`, in milliseconds.
pub fn longest_ms(runs: &[SyncRun]) -> u64 {
    runs.iter().map(|r| r.duration_ms).max().unwrap_or(0)
}

/// A saved lead's full name ("Ada Lovelace").
pub fn lead_name(lead: &SavedLead) -> String {
    format!("{} {}", lead.first_name.trim(), lead.last_name.trim())
        .trim()
        .to_owned()
}

/// The progress element's value: the fraction clamped to 0–1, if known.
pub fn progress_fraction(progress: Option<f64>) -> Option<f64> {
    progress
        .filter(|p| p.is_finite())
        .map(|p| p.clamp(0.0, 1.0))
}

/// Trims an optional text input: blank becomes `None`.
pub fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use navsync_api::Locale;
    use navsync_api::sync::SavedSource;

    use crate::i18n::showing;
    use crate::logic::seats::page_range;

    fn run(duration_ms: u64) -> SyncRun {
        SyncRun {
            started_at: "2026-01-01T10:00:00Z".into(),
            duration_ms,
            full: false,
            rows_read: 1,
            rows_changed: 1,
            crm_requests: 1,
            error: None,
        }
    }

    #[test]
    fn query_strings_leave_out_a_blank_search() {
        assert_eq!(
            SavedQuery::default().to_query_string(),
            "?offset=0&limit=50"
        );
        let q = SavedQuery {
            q: " Ada L ".into(),
            offset: 50,
            limit: 50,
        };
        assert_eq!(q.to_query_string(), "?q=Ada%20L&offset=50&limit=50");
    }

    #[test]
    fn paging_text_counts_rows_per_language() {
        let (first, last) = page_range(0, 50, 1234).expect("rows");
        assert_eq!(
            showing(Locale::En, first, last, 1234),
            "Showing 1–50 of 1,234"
        );
        let (first, last) = page_range(1200, 34, 1234).expect("rows");
        assert_eq!(
            showing(Locale::Nl, first, last, 1234),
            "1.201–1.234 van 1.234 getoond"
        );
        assert_eq!(page_range(0, 0, 0), None);
    }

    #[test]
    fn an_emptied_last_page_falls_back() {
        assert_eq!(fallback_offset(100, 0, 100, 50), Some(50));
        assert_eq!(fallback_offset(100, 0, 0, 50), None);
        assert_eq!(fallback_offset(50, 3, 100, 50), None);
        assert_eq!(fallback_offset(0, 0, 10, 50), None);
    }

    #[test]
    fn polling_is_fast_only_while_something_happens() {
        assert_eq!(poll_interval_ms(true, 0), FAST_POLL_MS);
        assert_eq!(poll_interval_ms(false, 3), FAST_POLL_MS);
        assert_eq!(poll_interval_ms(false, 0), SLOW_POLL_MS);
    }

    #[test]
    fn bars_scale_to_the_longest_run_oldest_first() {
        // Newest first, as the server sends them.
        let runs = [run(1000), run(500), run(0), run(2000)];
        let bars = duration_bars(&runs, 200.0, 60.0);
        assert_eq!(bars.len(), 4);
        // Oldest (2000 ms) is on the left and full height.
        assert_eq!(bars[0].height, 60.0);
        assert_eq!(bars[0].y, 0.0);
        assert_eq!(bars[1].height, 0.0);
        assert_eq!(bars[1].y, 60.0);
        assert_eq!(bars[2].height, 15.0);
        assert_eq!(bars[3].height, 30.0);
        // Slots of 50 with a gap of 10.
        assert_eq!(bars[0].x, 5.0);
        assert_eq!(bars[0].width, 40.0);
        assert_eq!(bars[3].x, 155.0);
        assert!(duration_bars(&[], 200.0, 60.0).is_empty());
        assert!(bars.iter().all(|b| b.x + b.width <= 200.0));
        assert_eq!(longest_ms(&runs), 2000);
        let flat = duration_bars(&[run(0), run(0)], 100.0, 10.0);
        assert!(flat.iter().all(|b| b.height == 0.0 && b.y == 10.0));
    }

    #[test]
    fn names_fractions_and_optional_inputs() {
        let lead = SavedLead {
            id: "l1".into(),
            first_name: " Ada ".into(),
            last_name: "Lovelace".into(),
            email: None,
            company: None,
            in_crm: false,
            crm_url: None,
            source: SavedSource::Manual,
            saved_by_hand: true,
        };
        assert_eq!(lead_name(&lead), "Ada Lovelace");
        assert_eq!(progress_fraction(Some(1.5)), Some(1.0));
        assert_eq!(progress_fraction(Some(f64::NAN)), None);
        assert_eq!(progress_fraction(None), None);
        assert_eq!(optional("  "), None);
        assert_eq!(optional(" x "), Some("x".into()));
    }
}
