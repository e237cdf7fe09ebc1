//! Seat Management's rules (SPEC M1–M4) and the set-password form: the seat
//! list's query string, the select-all checkbox, paging, the row menu's
//! keyboard moves, the seats an assignment needs, and password checks.
//!
//! Plain Rust so every rule is tested natively; the sentences built from these
//! numbers live in [`crate::i18n`].

use std::collections::HashSet;
use std::hash::Hash;

use navsync_api::seats::{SeatSort, SortOrder, SyncFilter};
use navsync_api::validate::{self, Rule};
use navsync_api::{FieldError, Licence};

/// Rows per page of the seat list and of the CRM's users.
pub const PAGE_SIZE: u64 = 50;

/// How long typing must pause before a search is sent.
pub const SEARCH_DEBOUNCE_MS: u64 = 200;

/// What the seat list asks the server for (`GET /api/admin/seats`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeatQuery {
    /// Search text (name or email); blank means none.
    pub q: String,
    /// Only this licence.
    pub licence: Option<Licence>,
    /// Only seats whose CRM sync is on or off.
    pub sync: Option<SyncFilter>,
    /// Only seats matched (or not) to a CRM user.
    pub matched: Option<bool>,
    /// Sort column.
    pub sort: SeatSort,
    /// Sort direction.
    pub order: SortOrder,
    /// First row.
    pub offset: u64,
    /// Page size.
    pub limit: u64,
}

impl Default for SeatQuery {
    fn default() -> Self {
        Self {
            q: String::new(),
            licence: None,
            sync: None,
            matched: None,
            sort: SeatSort::Name,
            order: SortOrder::Asc,
            offset: 0,
            limit: PAGE_SIZE,
        }
    }
}

impl SeatQuery {
    /// The query string, starting with `?`. Defaults and blank search are left
    /// out so the URL stays short; the search text is percent-encoded.
    pub fn to_query_string(&self) -> String {
        let mut parts = Vec::new();
        let q = self.q.trim();
        if !q.is_empty() {
            parts.push(format!("q={}", encode(q)));
        }
        if let Some(licence) = self.licence {
            parts.push(format!("licence={}", licence_value(licence)));
        }
        if let Some(sync) = self.sync {
            parts.push(format!("sync={}", sync_value(sync)));
        }
        if let Some(matched) = self.matched {
            parts.push(format!("matched={matched}"));
        }
        if self.sort != SeatSort::Name {
            parts.push(format!("sort={}", sort_value(self.sort)));
        }
        if self.order != SortOrder::Asc {
            parts.push("order=desc".to_owned());
        }
        parts.push(format!("offset={}", self.offset));
        parts.push(format!("limit={}", self.limit));
        format!("?{}", parts.join("&"))
    }

    /// The same query from its first page (after a search, filter or sort change).
    pub fn first_page(self) -> Self {
        Self { offset: 0, ..self }
    }
}

/// The query string of the CRM user list (`GET /api/admin/crm-users`).
pub fn crm_users_query(q: &str, offset: u64, limit: u64) -> String {
    let q = q.trim();
    if q.is_empty() {
        format!("?offset={offset}&limit={limit}")
    } else {
        format!("?q={}&offset={offset}&limit={limit}", encode(q))
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(byte as char);
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// A licence's wire name, also the value of its `<option>`.
pub fn licence_value(licence: Licence) -> &'static str {
    match licence {
        Licence::Admin => "admin",
        Licence::TeamMember => "team_member",
        Licence::AdminAndTeamMember => "admin_and_team_member",
    }
}

/// The licence of an `<option>` value; anything else (e.g. `all`) is `None`.
pub fn parse_licence(value: &str) -> Option<Licence> {
    match value {
        "admin" => Some(Licence::Admin),
        "team_member" => Some(Licence::TeamMember),
        "admin_and_team_member" => Some(Licence::AdminAndTeamMember),
        _ => None,
    }
}

/// A sync filter's wire name.
pub fn sync_value(sync: SyncFilter) -> &'static str {
    match sync {
        SyncFilter::On => "on",
        SyncFilter::Off => "off",
    }
}

/// The sync filter of an `<option>` value (`all` is `None`).
pub fn parse_sync(value: &str) -> Option<SyncFilter> {
    match value {
        "on" => Some(SyncFilter::On),
        "off" => Some(SyncFilter::Off),
        _ => None,
    }
}

/// The matched filter of an `<option>` value (`all` is `None`).
pub fn parse_matched(value: &str) -> Option<bool> {
    match value {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// A sort column's wire name.
pub fn sort_value(sort: SeatSort) -> &'static str {
    match sort {
        SeatSort::Name => "name",
        SeatSort::Email => "email",
        SeatSort::Licence => "licence",
    }
}

/// The sort `<option>` values, e.g. `email-desc`, in the order they are offered.
pub const SORT_OPTIONS: [(SeatSort, SortOrder); 6] = [
    (SeatSort::Name, SortOrder::Asc),
    (SeatSort::Name, SortOrder::Desc),
    (SeatSort::Email, SortOrder::Asc),
    (SeatSort::Email, SortOrder::Desc),
    (SeatSort::Licence, SortOrder::Asc),
    (SeatSort::Licence, SortOrder::Desc),
];

/// The `<option>` value of a sort, e.g. `name-asc`.
pub fn sort_option_value(sort: SeatSort, order: SortOrder) -> String {
    let order = match order {
        SortOrder::Asc => "asc",
        SortOrder::Desc => "desc",
    };
    format!("{}-{order}", sort_value(sort))
}

/// The sort of an `<option>` value; unknown values fall back to name ascending.
pub fn parse_sort_option(value: &str) -> (SeatSort, SortOrder) {
    SORT_OPTIONS
        .into_iter()
        .find(|&(sort, order)| sort_option_value(sort, order) == value)
        .unwrap_or((SeatSort::Name, SortOrder::Asc))
}

/// The state of a "select all on this page" checkbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SelectAll {
    /// Nothing on the page is selected (or nothing can be).
    Unchecked,
    /// Some, not all.
    Indeterminate,
    /// Everything selectable on the page.
    Checked,
}

impl SelectAll {
    /// The checkbox's `checked` property.
    pub fn checked(self) -> bool {
        self == SelectAll::Checked
    }

    /// The checkbox's `indeterminate` property.
    pub fn indeterminate(self) -> bool {
        self == SelectAll::Indeterminate
    }
}

/// The select-all state of the selectable ids on a page.
pub fn select_all_state<T: Eq + Hash>(page: &[T], selected: &HashSet<T>) -> SelectAll {
    let picked = page.iter().filter(|id| selected.contains(id)).count();
    if picked == 0 {
        SelectAll::Unchecked
    } else if picked == page.len() {
        SelectAll::Checked
    } else {
        SelectAll::Indeterminate
    }
}

/// Ticking select-all adds every id of the page; unticking removes them.
/// Selections on other pages stay.
pub fn toggle_all<T: Eq + Hash + Clone>(page: &[T], selected: &mut HashSet<T>, on: bool) {
    for id in page {
        if on {
            selected.insert(id.clone());
        } else {
            selected.remove(id);
        }
    }
}

/// Adds or removes one id.
pub fn toggle_one<T: Eq + Hash + Clone>(id: &T, selected: &mut HashSet<T>, on: bool) {
    if on {
        selected.insert(id.clone());
    } else {
        selected.remove(id);
    }
}

/// The rows one page shows, 1-based: `(first, last)`; `None` when empty.
pub fn page_range(offset: u64, rows: usize, total: u64) -> Option<(u64, u64)> {
    if rows == 0 || total == 0 {
        return None;
    }
    let first = offset + 1;
    let last = (offset + rows as u64).min(total.max(first));
    Some((first, last))
}

/// Whether a previous page exists.
pub fn has_previous(offset: u64) -> bool {
    offset > 0
}

/// Whether a next page exists.
pub fn has_next(offset: u64, limit: u64, total: u64) -> bool {
    offset.saturating_add(limit) < total
}

/// The offset of the previous page.
pub fn previous_offset(offset: u64, limit: u64) -> u64 {
    offset.saturating_sub(limit)
}

/// Team-member seats an assignment with `licence` for `count` people needs:
/// admin-only licences take none.
pub fn seats_needed(licence: Licence, count: usize) -> u32 {
    if licence.is_team_member() {
        u32::try_from(count).unwrap_or(u32::MAX)
    } else {
        0
    }
}

/// Where focus goes in an open menu of `len` items after `key`, from item
/// `current` (`None`: the menu itself). ArrowDown/ArrowUp wrap around.
pub fn menu_move(key: &str, current: Option<usize>, len: usize) -> Option<usize> {
    if len == 0 {
        return None;
    }
    match (key, current) {
        ("ArrowDown", None) | ("Home", _) => Some(0),
        ("ArrowDown", Some(i)) => Some((i + 1) % len),
        ("ArrowUp", None) | ("End", _) => Some(len - 1),
        ("ArrowUp", Some(i)) => Some((i + len - 1) % len),
        _ => None,
    }
}

/// Keys that open a closed menu from its button and focus the first item.
pub fn opens_menu(key: &str) -> bool {
    matches!(key, "Enter" | " " | "ArrowDown")
}

/// The absolute URL of an app path, e.g. a set-password link.
pub fn absolute_url(origin: &str, path: &str) -> String {
    format!("{}{}", origin.trim_end_matches('/'), path)
}

/// What is wrong with a set-password form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PasswordCheck {
    /// The new password breaks a rule (the server's rules for passwords).
    pub password: Option<FieldError>,
    /// The repeat differs from the new password.
    pub mismatch: bool,
}

impl PasswordCheck {
    /// Nothing is wrong.
    pub fn is_ok(&self) -> bool {
        self.password.is_none() && !self.mismatch
    }
}

/// Checks a new password and its repeat: at least 8 characters (the rules of
/// [`navsync_api::seats::SetPassword::validate`]) and both the same.
pub fn check_password(password: &str, repeat: &str) -> PasswordCheck {
    PasswordCheck {
        password: validate::check(
            "password",
            password,
            &[Rule::Required, Rule::MinLen(8), Rule::MaxLen(1024)],
        ),
        mismatch: password != repeat,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_query_asks_for_the_first_page_only() {
        assert_eq!(SeatQuery::default().to_query_string(), "?offset=0&limit=50");
    }

    #[test]
    fn every_filter_reaches_the_query_string() {
        let query = SeatQuery {
            q: "  Jan de Vries & co ".into(),
            licence: Some(Licence::AdminAndTeamMember),
            sync: Some(SyncFilter::Off),
            matched: Some(false),
            sort: SeatSort::Email,
            order: SortOrder::Desc,
            offset: 50,
            limit: 50,
        };
        assert_eq!(
            query.to_query_string(),
            "?q=Jan%20de%20Vries%20%26%20co&licence=admin_and_team_member&sync=off\
             &matched=false&sort=email&order=desc&offset=50&limit=50"
        );
        assert_eq!(query.first_page().offset, 0);
    }

    #[test]
    fn search_text_is_percent_encoded_as_utf8() {
        assert_eq!(encode("é+a@b.c?"), "%C3%A9%2Ba%40b.c%3F");
        assert_eq!(crm_users_query(" ", 0, 50), "?offset=0&limit=50");
        assert_eq!(crm_users_query("sam", 50, 50), "?q=sam&offset=50&limit=50");
    }

    #[test]
    fn option_values_round_trip() {
        for licence in [
            Licence::Admin,
            Licence::TeamMember,
            Licence::AdminAndTeamMember,
        ] {
            assert_eq!(parse_licence(licence_value(licence)), Some(licence));
        }
        assert_eq!(parse_licence("all"), None);
        assert_eq!(parse_sync("on"), Some(SyncFilter::On));
        assert_eq!(parse_sync("all"), None);
        assert_eq!(parse_matched("false"), Some(false));
        assert_eq!(parse_matched("all"), None);
        for (sort, order) in SORT_OPTIONS {
            assert_eq!(
                parse_sort_option(&sort_option_value(sort, order)),
                (sort, order)
            );
        }
        assert_eq!(parse_sort_option("bogus"), (SeatSort::Name, SortOrder::Asc));
    }

    #[test]
    fn select_all_follows_the_page() {
        let page = vec![1, 2, 3];
        let mut selected = HashSet::new();
        assert_eq!(select_all_state(&page, &selected), SelectAll::Unchecked);
        selected.insert(2);
        selected.insert(99);
        let some = select_all_state(&page, &selected);
        assert_eq!(some, SelectAll::Indeterminate);
        assert!(some.indeterminate() && !some.checked());
        toggle_all(&page, &mut selected, true);
        assert_eq!(select_all_state(&page, &selected), SelectAll::Checked);
        assert!(SelectAll::Checked.checked());
        toggle_all(&page, &mut selected, false);
        assert_eq!(selected, HashSet::from([99]), "other pages keep theirs");
        assert_eq!(
            select_all_state::<i32>(&[], &selected),
            SelectAll::Unchecked
        );
        toggle_one(&1, &mut selected, true);
        toggle_one(&99, &mut selected, false);
        assert_eq!(selected, HashSet::from([1]));
    }

    #[test]
    fn paging() {
        assert_eq!(page_range(50, 50, 10_000), Some((51, 100)));
        assert_eq!(page_range(0, 7, 7), Some((1, 7)));
        assert_eq!(page_range(9_950, 50, 10_000), Some((9_951, 10_000)));
        assert_eq!(page_range(0, 0, 0), None);
        assert!(!has_previous(0));
        assert!(has_previous(50));
        assert!(has_next(0, 50, 51));
        assert!(!has_next(0, 50, 50));
        assert!(!has_next(9_950, 50, 10_000));
        assert_eq!(previous_offset(50, 50), 0);
        assert_eq!(previous_offset(20, 50), 0);
    }

    #[test]
    fn only_team_member_licences_need_seats() {
        assert_eq!(seats_needed(Licence::TeamMember, 3), 3);
        assert_eq!(seats_needed(Licence::AdminAndTeamMember, 2), 2);
        assert_eq!(seats_needed(Licence::Admin, 5), 0);
    }

    #[test]
    fn menu_keys_move_and_wrap() {
        assert_eq!(menu_move("ArrowDown", None, 3), Some(0));
        assert_eq!(menu_move("ArrowDown", Some(2), 3), Some(0));
        assert_eq!(menu_move("ArrowUp", Some(0), 3), Some(2));
        assert_eq!(menu_move("ArrowUp", Some(2), 3), Some(1));
        assert_eq!(menu_move("Home", Some(2), 3), Some(0));
        assert_eq!(menu_move("End", None, 3), Some(2));
        assert_eq!(menu_move("x", Some(1), 3), None);
        assert_eq!(menu_move("ArrowDown", None, 0), None);
        assert!(opens_menu("Enter") && opens_menu(" ") && opens_menu("ArrowDown"));
        assert!(!opens_menu("Tab"));
    }

    #[test]
    fn links_become_absolute() {
        assert_eq!(
            absolute_url("https://navsync.test", "/set-password?token=abc"),
            "https://navsync.test/set-password?token=abc"
        );
        assert_eq!(absolute_url("http://x/", "/a"), "http://x/a");
    }

    #[test]
    fn passwords_need_eight_characters_and_a_matching_repeat() {
        assert!(check_password("12345678", "12345678").is_ok());
        let short = check_password("1234567", "1234567");
        assert_eq!(short.password.map(|e| e.code), Some("too_short".to_owned()));
        assert!(!short.mismatch);
        let empty = check_password("", "");
        assert_eq!(empty.password.map(|e| e.code), Some("required".to_owned()));
        let differ = check_password("12345678", "12345679");
        assert!(differ.password.is_none() && differ.mismatch && !differ.is_ok());
    }
}
