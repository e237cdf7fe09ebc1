//! OData system query options (`$select`, `$filter`, `$orderby`, `$top`, `$count`,
//! `$expand`, `$skiptoken`) and the `Prefer` header, parsed from a request.

pub mod filter;

use uuid::Uuid;

/// Why a query option was refused; the message is Dataverse-worded, code `0x80060888`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError(pub String);

/// One `$expand` item: a navigation property and its nested `$select`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expand {
    /// The navigation property, e.g. `parentaccountid`.
    pub nav: String,
    /// Nested `$select`, if any.
    pub select: Option<Vec<String>>,
}

/// The parsed system query options of one request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueryOptions {
    /// `$select`.
    pub select: Option<Vec<String>>,
    /// `$filter` (raw text).
    pub filter: Option<String>,
    /// `$orderby`: `(property, descending)`.
    pub orderby: Vec<(String, bool)>,
    /// `$top`.
    pub top: Option<usize>,
    /// `$count=true`.
    pub count: bool,
    /// `$expand`.
    pub expand: Vec<Expand>,
    /// `$skiptoken` (decoded).
    pub skiptoken: Option<String>,
    /// `$deltatoken` (decoded): a change-tracking delta link's token.
    pub deltatoken: Option<String>,
}

fn split_top_level(s: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if c == ',' && depth == 0 {
            parts.push(current.trim().to_string());
            current.clear();
        } else {
            current.push(c);
        }
    }
    if !current.trim().is_empty() {
        parts.push(current.trim().to_string());
    }
    parts
}

fn parse_select(v: &str) -> Vec<String> {
    v.split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn parse_expand(v: &str) -> Result<Vec<Expand>, QueryError> {
    split_top_level(v)
        .into_iter()
        .map(|item| {
            let Some(open) = item.find('(') else {
                return Ok(Expand {
                    nav: item,
                    select: None,
                });
            };
            let nav = item[..open].trim().to_string();
            let inner = item[open + 1..]
                .strip_suffix(')')
                .ok_or_else(|| QueryError(format!("Syntax error in '$expand={v}'.")))?;
            let mut select = None;
            for opt in inner.split(';') {
                match opt.split_once('=') {
                    Some(("$select", cols)) => select = Some(parse_select(cols)),
                    _ => {
                        return Err(QueryError(format!(
                            "The query option '{opt}' is not supported inside $expand by this stand-in."
                        )));
                    }
                }
            }
            Ok(Expand { nav, select })
        })
        .collect()
}

impl QueryOptions {
    /// Parses the decoded `(key, value)` pairs of a query string.
    pub fn parse(pairs: &[(String, String)]) -> Result<QueryOptions, QueryError> {
        let mut q = QueryOptions::default();
        for (key, value) in pairs {
            match key.as_str() {
                "$select" => q.select = Some(parse_select(value)),
                "$filter" => q.filter = Some(value.clone()),
                "$orderby" => {
                    for part in value.split(',') {
                        let mut words = part.split_whitespace();
                        let Some(prop) = words.next() else { continue };
                        let desc = match words.next() {
                            None | Some("asc") => false,
                            Some("desc") => true,
                            Some(_) => {
                                return Err(QueryError(format!(
                                    "Syntax error in '$orderby={value}'."
                                )));
                            }
                        };
                        q.orderby.push((prop.to_string(), desc));
                    }
                }
                "$top" => {
                    q.top = Some(value.trim().parse().map_err(|_| {
                        QueryError(format!(
                            "Invalid value '{value}' for $top query option found. The $top query option requires a non-negative integer value."
                        ))
                    })?)
                }
                "$count" => q.count = value == "true",
                "$expand" => q.expand = parse_expand(value)?,
                "$skiptoken" => q.skiptoken = Some(value.clone()),
                "$deltatoken" => q.deltatoken = Some(value.clone()),
                other if other.starts_with('$') => {
                    // Dataverse refuses $skip (and $search, $apply... here) outright.
                    return Err(QueryError(format!(
                        "The query parameter {other} is not supported"
                    )));
                }
                _ => {}
            }
        }
        Ok(q)
    }
}

/// The parsed `Prefer` request header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prefer {
    /// `odata.maxpagesize=N`, when 1..=5000 (larger values are ignored, as Dataverse does).
    pub max_page_size: Option<usize>,
    /// The patterns of `odata.include-annotations="..."`.
    pub annotations: Vec<String>,
    /// `return=representation`.
    pub return_representation: bool,
    /// `odata.track-changes`: answer with an `@odata.deltaLink` on the last page.
    pub track_changes: bool,
}

impl Prefer {
    /// Parses every `Prefer` header value.
    pub fn parse<'a>(values: impl Iterator<Item = &'a str>) -> Prefer {
        let mut p = Prefer::default();
        for value in values {
            for pref in value.split(',') {
                let pref = pref.trim();
                let (name, arg) = pref.split_once('=').unwrap_or((pref, ""));
                let arg = arg.trim().trim_matches('"');
                match name.trim() {
                    "odata.maxpagesize" => {
                        p.max_page_size = arg.parse().ok().filter(|n| (1..=5000).contains(n));
                    }
                    "odata.include-annotations" => {
                        p.annotations = arg.split(',').map(|s| s.trim().to_string()).collect();
                    }
                    "return" => p.return_representation = arg == "representation",
                    "odata.track-changes" => p.track_changes = true,
                    _ => {}
                }
            }
        }
        p
    }

    /// Whether an annotation term such as `OData.Community.Display.V1.FormattedValue` was asked for.
    pub fn wants(&self, term: &str) -> bool {
        self.annotations.iter().any(|p| {
            p == "*"
                || p == term
                || p.strip_suffix('*')
                    .is_some_and(|prefix| term.starts_with(prefix))
        })
    }
}

/// Where the next page starts; carried opaquely in `$skiptoken`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageCookie {
    /// The page the token leads to (1-based, like Dataverse's `pagenumber`).
    pub page: usize,
    /// Rows already returned.
    pub skip: usize,
    /// The last primary key returned, when the order is by primary key (keyset paging).
    pub last: Option<Uuid>,
}

impl PageCookie {
    /// The decoded token text, shaped like Dataverse's paging cookie.
    pub fn encode(&self) -> String {
        let last = self
            .last
            .map(|g| format!(" last=\"{{{}}}\"", g.to_string().to_uppercase()))
            .unwrap_or_default();
        format!(
            "<cookie pagenumber=\"{}\" skip=\"{}\"{last} istracking=\"False\" />",
            self.page, self.skip
        )
    }

    /// Reads a token made by [`PageCookie::encode`].
    pub fn decode(token: &str) -> Option<PageCookie> {
        let attr = |name: &str| {
            let key = format!("{name}=\"");
            let start = token.find(&key)? + key.len();
            let end = token[start..].find('"')? + start;
            Some(token[start..end].to_string())
        };
        if !token.starts_with("<cookie") {
            return None;
        }
        let page = attr("pagenumber")?.parse().ok()?;
        let skip = attr("skip")?.parse().ok()?;
        let last = match attr("last") {
            Some(g) => Some(Uuid::parse_str(g.trim_matches(|c| c == '{' || c == '}')).ok()?),
            None => None,
        };
        Some(PageCookie { page, skip, last })
    }
}

/// Percent-encodes a query value the way Dataverse writes its `$skiptoken`.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'=') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn parses_options_and_refuses_skip() {
        let q = QueryOptions::parse(&pairs(&[
            ("$select", "name, statecode"),
            ("$orderby", "name desc,createdon"),
            ("$top", "5"),
            ("$count", "true"),
            (
                "$expand",
                "parentaccountid($select=name,websiteurl),ownerid",
            ),
        ]))
        .unwrap();
        assert_eq!(q.select, Some(vec!["name".into(), "statecode".into()]));
        assert_eq!(
            q.orderby,
            vec![("name".into(), true), ("createdon".into(), false)]
        );
        assert_eq!(q.top, Some(5));
        assert!(q.count);
        assert_eq!(q.expand.len(), 2);
        assert_eq!(
            q.expand[0].select,
            Some(vec!["name".into(), "websiteurl".into()])
        );
        let err = QueryOptions::parse(&pairs(&[("$skip", "10")])).unwrap_err();
        assert_eq!(err.0, "The query parameter $skip is not supported");
    }

    #[test]
    fn prefer_and_cookie_round_trip() {
        let p = Prefer::parse(
            [r#"odata.include-annotations="OData.Community.Display.V1.FormattedValue",odata.maxpagesize=10"#]
                .into_iter(),
        );
        assert_eq!(p.max_page_size, Some(10));
        assert!(p.wants("OData.Community.Display.V1.FormattedValue"));
        assert!(!p.wants("Microsoft.Dynamics.CRM.lookuplogicalname"));
        assert_eq!(
            Prefer::parse(["odata.maxpagesize=9000"].into_iter()).max_page_size,
            None
        );
        let c = PageCookie {
            page: 3,
            skip: 10,
            last: Some(Uuid::nil()),
        };
        assert_eq!(PageCookie::decode(&c.encode()), Some(c));
        assert_eq!(PageCookie::decode("garbage"), None);
    }
}
