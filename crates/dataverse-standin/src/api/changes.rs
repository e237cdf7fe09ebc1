//! Change tracking: `GET <set>` with `Prefer: odata.track-changes`, and the delta
//! links it hands out.
//!
//! - The first read returns every row (paged like any collection, keyset over the
//!   primary key) and its last page carries `@odata.deltaLink`:
//!   `<api>/<set>?$select=...&$deltatoken=<token>` (only `$select` is kept).
//! - A read of a delta link returns the rows whose `versionnumber` is above the
//!   token's, then — on its last page — the rows deleted since, as
//!   `{"@odata.context": "<api>/$metadata#<set>/$deletedEntity", "id", "reason": "deleted"}`,
//!   and a new delta link.
//! - `$filter`, `$orderby`, `$expand` and `$top` are refused with change tracking
//!   (400, `0x80060888`), as Dataverse does.
//! - A token expires after `StandInConfig::delta_token_lifetime` (7 days) or when
//!   [`crate::StandIn::expire_delta_tokens`] is called. Using it then answers
//!   **400** with Dataverse's `ExpiredVersionStamp` code `0x80044352` and the
//!   message "Version stamp associated with the client has expired. Please perform
//!   a full sync." — the client must start over with a full read.
//!
//! The token's version is the store's last row version when the *first* page of a
//! read was served; it travels in the `$skiptoken` of later pages. Rows changed
//! while a read is paged may therefore come again in the next delta (at least
//! once, never lost).

use std::ops::Bound::{Excluded, Unbounded};

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::collections::{MAX_PAGE, Renderer, check_table_access, resolve_columns};
use super::error::{ApiError, CODE_EXPIRED_VERSION_STAMP};
use super::{Ctx, odata_json};
use crate::query::{QueryOptions, encode_component};
use crate::standin::DeltaTokenProblem;
use crate::store::schema::Table;
use crate::store::{Cell, Row};

/// Where the next page of a tracked read starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TrackCookie {
    page: usize,
    last: Uuid,
    /// The version the final delta link will carry.
    as_of: u64,
}

impl TrackCookie {
    fn encode(&self) -> String {
        format!(
            "<cookie pagenumber=\"{}\" last=\"{{{}}}\" istracking=\"True\" asof=\"{}\" />",
            self.page,
            self.last.to_string().to_uppercase(),
            self.as_of
        )
    }

    fn decode(token: &str) -> Option<TrackCookie> {
        let attr = |name: &str| {
            let key = format!("{name}=\"");
            let start = token.find(&key)? + key.len();
            let end = token[start..].find('"')? + start;
            Some(token[start..end].to_string())
        };
        if !token.contains("istracking=\"True\"") {
            return None;
        }
        Some(TrackCookie {
            page: attr("pagenumber")?.parse().ok()?,
            last: Uuid::parse_str(attr("last")?.trim_matches(|c| c == '{' || c == '}')).ok()?,
            as_of: attr("asof")?.parse().ok()?,
        })
    }
}

fn row_version(table: Table, row: &Row) -> u64 {
    match table.column_index("versionnumber").map(|i| &row[i]) {
        Some(Cell::Int(v)) => u64::try_from(*v).unwrap_or(0),
        _ => 0,
    }
}

/// The raw query without the given keys, `&`-joined.
fn query_without(ctx: &Ctx, drop: &[&str]) -> String {
    ctx.raw_query
        .split('&')
        .filter(|part| !part.is_empty())
        .filter(|part| {
            let key = part.split('=').next().unwrap_or("").replace("%24", "$");
            !drop.contains(&key.as_str())
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn expired() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        CODE_EXPIRED_VERSION_STAMP,
        "Version stamp associated with the client has expired. Please perform a full sync.",
    )
}

/// `GET <set>` with change tracking, or a delta link.
pub fn tracked(ctx: &Ctx, table: Table) -> Result<Response, ApiError> {
    check_table_access(ctx, table)?;
    let options = QueryOptions::parse(&ctx.pairs).map_err(|e| ApiError::query(e.0))?;
    if options.filter.is_some()
        || !options.orderby.is_empty()
        || !options.expand.is_empty()
        || options.top.is_some()
    {
        return Err(ApiError::query(
            "The query options $filter, $orderby, $expand and $top are not supported with change tracking (Prefer: odata.track-changes).",
        ));
    }
    let select = options
        .select
        .as_ref()
        .map(|s| resolve_columns(table, s))
        .transpose()?;
    let since = match &options.deltatoken {
        None => None,
        Some(token) => Some(ctx.standin.check_delta_token(token).map_err(|p| match p {
            DeltaTokenProblem::Expired => expired(),
            DeltaTokenProblem::Malformed => ApiError::query("The $deltatoken value is not valid."),
        })?),
    };
    let cookie = match &options.skiptoken {
        Some(token) => Some(
            TrackCookie::decode(token)
                .ok_or_else(|| ApiError::query("The $skiptoken value is not valid."))?,
        ),
        None => None,
    };
    let page_size = ctx.prefer.max_page_size.unwrap_or(MAX_PAGE);
    let data = ctx.standin.data();
    let as_of = cookie.map_or(data.last_version(), |c| c.as_of);
    let rows = data.rows(table);
    let range = match cookie {
        Some(c) => rows.range((Excluded(c.last), Unbounded)),
        None => rows
            .range::<Uuid, (std::ops::Bound<Uuid>, std::ops::Bound<Uuid>)>((Unbounded, Unbounded)),
    };
    let mut page: Vec<(&Uuid, &Row)> = range
        .filter(|(_, row)| since.is_none_or(|s| row_version(table, row) > s))
        .take(page_size + 1)
        .collect();
    let more = page.len() > page_size;
    page.truncate(page_size);
    let renderer = Renderer::new(&data, ctx, table);
    let mut value: Vec<Value> = page
        .iter()
        .map(|(_, row)| Value::Object(renderer.plain_row(table, row, select.as_deref())))
        .collect();
    let set = table.entity_set();
    let mut body = Map::new();
    let suffix = options
        .select
        .as_ref()
        .map(|s| format!("({})", s.join(",")))
        .unwrap_or_default();
    body.insert(
        "@odata.context".into(),
        Value::String(format!("{}{set}{suffix}/$delta", ctx.metadata())),
    );
    let kept = query_without(ctx, &["$skiptoken", "$deltatoken"]);
    let joiner = if kept.is_empty() { "" } else { "&" };
    let link = match (more, page.last()) {
        (true, Some((last, _))) => {
            let next = TrackCookie {
                page: cookie.map_or(1, |c| c.page) + 1,
                last: **last,
                as_of,
            };
            let mut query = query_without(ctx, &["$skiptoken"]);
            if !query.is_empty() {
                query.push('&');
            }
            (
                "@odata.nextLink",
                format!(
                    "{}/{set}?{query}$skiptoken={}",
                    ctx.api_root(),
                    encode_component(&next.encode())
                ),
            )
        }
        _ => {
            if let Some(since) = since {
                let context = format!("{}{set}/$deletedEntity", ctx.metadata());
                value.extend(
                    data.tombstones()
                        .iter()
                        .filter(|t| t.table == table && t.version > since)
                        .map(|t| {
                            json!({"@odata.context": context, "id": t.id.to_string(), "reason": "deleted"})
                        }),
                );
            }
            (
                "@odata.deltaLink",
                format!(
                    "{}/{set}?{kept}{joiner}$deltatoken={}",
                    ctx.api_root(),
                    encode_component(&ctx.standin.delta_token(as_of))
                ),
            )
        }
    };
    body.insert("value".into(), Value::Array(value));
    body.insert(link.0.into(), Value::String(link.1));
    let mut applied = vec!["odata.track-changes".to_string()];
    if let Some(n) = ctx.prefer.max_page_size {
        applied.push(format!("odata.maxpagesize={n}"));
    }
    Ok(odata_json(
        StatusCode::OK,
        &Value::Object(body),
        &[("Preference-Applied", applied.join(","))],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_round_trips() {
        let c = TrackCookie {
            page: 2,
            last: Uuid::nil(),
            as_of: 1234,
        };
        assert_eq!(TrackCookie::decode(&c.encode()), Some(c));
        assert_eq!(TrackCookie::decode("<cookie pagenumber=\"2\" />"), None);
    }
}
