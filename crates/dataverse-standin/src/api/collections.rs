//! Table queries: `GET <set>` with `$select`, `$filter`, `$orderby`, `$top`, `$count`,
//! `$expand` and server-driven paging, and `GET <set>(<id>)`.
//!
//! Paging follows Dataverse: `Prefer: odata.maxpagesize=N` (default and maximum 5,000),
//! `Preference-Applied` echoing it, and an absolute `@odata.nextLink` that repeats the
//! original query plus an opaque `$skiptoken`. Without `$orderby` the token carries the
//! last primary key (rows are ordered by it), so rows created or deleted between pages
//! neither repeat nor vanish; with `$orderby` it carries an offset.

use std::cmp::Ordering;
use std::ops::Bound::{Excluded, Unbounded};

use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::error::ApiError;
use super::{Ctx, odata_json};
use crate::query::filter::{self, Bound, Expr, FilterError};
use crate::query::{PageCookie, QueryOptions, encode_component};
use crate::store::schema::{Kind, OptionLabel, Table};
use crate::store::{Cell, CrmData, Row};

/// Dataverse's default and maximum page size.
pub const MAX_PAGE: usize = 5_000;
/// `$count` is capped like Dataverse's.
pub const MAX_COUNT: usize = 5_000;

const FORMATTED: &str = "OData.Community.Display.V1.FormattedValue";
const LOOKUP_NAME: &str = "Microsoft.Dynamics.CRM.lookuplogicalname";
const NAV_NAME: &str = "Microsoft.Dynamics.CRM.associatednavigationproperty";

/// 404/403 for a table the faults hide or the Integration User may not read.
pub fn check_table_access(ctx: &Ctx, table: Table) -> Result<(), ApiError> {
    let faults = ctx.standin.faults();
    if faults
        .missing_tables
        .iter()
        .any(|t| t == table.logical_name())
    {
        return Err(ApiError::segment(table.entity_set()));
    }
    let privilege = table.read_privilege();
    if faults.missing_privileges.iter().any(|p| p == privilege) {
        let data = ctx.standin.data();
        let remaining = data
            .privileges
            .iter()
            .filter(|p| !faults.missing_privileges.contains(&p.name))
            .count();
        let id = crate::store::named_guid("privilege", privilege);
        return Err(ApiError::privilege(
            ctx.user, remaining, privilege, id, table,
        ));
    }
    Ok(())
}

fn filter_error(table: Table, e: FilterError) -> ApiError {
    match e {
        FilterError::Syntax(m) | FilterError::Types(m) => ApiError::query(m),
        FilterError::UnknownProperty(p) => ApiError::unknown_property(table.logical_name(), &p),
    }
}

pub(crate) fn resolve_columns(table: Table, names: &[String]) -> Result<Vec<usize>, ApiError> {
    names
        .iter()
        .map(|n| {
            table
                .column_index(n)
                .ok_or_else(|| ApiError::unknown_property(table.logical_name(), n))
        })
        .collect()
}

/// A resolved `$expand` item.
struct Expansion {
    nav: String,
    column: usize,
    target: Table,
    select: Option<Vec<usize>>,
}

/// Everything a query needs, resolved against the table's schema.
struct Plan {
    table: Table,
    select: Option<Vec<usize>>,
    filter: Option<Expr<Bound>>,
    orderby: Vec<(usize, bool)>,
    expand: Vec<Expansion>,
    options: QueryOptions,
}

fn plan(ctx: &Ctx, table: Table) -> Result<Plan, ApiError> {
    let options = QueryOptions::parse(&ctx.pairs).map_err(|e| ApiError::query(e.0))?;
    let select = options
        .select
        .as_ref()
        .map(|s| resolve_columns(table, s))
        .transpose()?;
    let resolve = |name: &str| -> Option<Bound> {
        table
            .column_index(name)
            .map(|i| (i, table.columns()[i].kind))
    };
    let filter = options
        .filter
        .as_ref()
        .map(|text| {
            filter::parse(text)
                .and_then(|e| filter::bind(e, &resolve))
                .map_err(|e| filter_error(table, e))
        })
        .transpose()?;
    let orderby = options
        .orderby
        .iter()
        .map(|(name, desc)| {
            table
                .column_index(name)
                .map(|i| (i, *desc))
                .ok_or_else(|| ApiError::unknown_property(table.logical_name(), name))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let expand = options
        .expand
        .iter()
        .map(|e| {
            let (column, target) = table
                .navigation(&e.nav)
                .ok_or_else(|| ApiError::unknown_property(table.logical_name(), &e.nav))?;
            let select = e
                .select
                .as_ref()
                .map(|s| resolve_columns(target, s))
                .transpose()?;
            Ok(Expansion {
                nav: e.nav.clone(),
                column,
                target,
                select,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(Plan {
        table,
        select,
        filter,
        orderby,
        expand,
        options,
    })
}

fn compare_cells(a: &Cell, b: &Cell) -> Ordering {
    match (a, b) {
        (Cell::Null, Cell::Null) => Ordering::Equal,
        // SQL Server sorts nulls first in ascending order.
        (Cell::Null, _) => Ordering::Less,
        (_, Cell::Null) => Ordering::Greater,
        (Cell::Text(x), Cell::Text(y)) => x.to_lowercase().cmp(&y.to_lowercase()),
        (Cell::Int(x), Cell::Int(y)) => x.cmp(y),
        (Cell::Money(x), Cell::Money(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        (Cell::Bool(x), Cell::Bool(y)) => x.cmp(y),
        (Cell::Guid(x), Cell::Guid(y)) => x.cmp(y),
        (Cell::Time(x), Cell::Time(y)) => x.cmp(y),
        _ => Ordering::Equal,
    }
}

fn money_text(amount: f64) -> String {
    let cents = (amount * 100.0).round() as i64;
    let (sign, cents) = if cents < 0 {
        ("-", -cents)
    } else {
        ("", cents)
    };
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}${grouped}.{:02}", cents % 100)
}

fn time_text(t: &DateTime<Utc>) -> String {
    t.format("%-m/%-d/%Y %-I:%M %p").to_string()
}

/// Renders rows of one table, caching the option labels per column.
pub(crate) struct Renderer<'a> {
    data: &'a CrmData,
    ctx: &'a Ctx,
    labels: Vec<Vec<OptionLabel>>,
}

impl<'a> Renderer<'a> {
    pub(crate) fn new(data: &'a CrmData, ctx: &'a Ctx, table: Table) -> Renderer<'a> {
        let labels = table
            .columns()
            .iter()
            .map(|c| match c.kind {
                Kind::Picklist | Kind::State | Kind::Status => data.options(table, c.name),
                _ => Vec::new(),
            })
            .collect();
        Renderer { data, ctx, labels }
    }

    /// A row with the selected columns and no expansions.
    pub(crate) fn plain_row(
        &self,
        table: Table,
        row: &Row,
        select: Option<&[usize]>,
    ) -> Map<String, Value> {
        self.row(table, row, select, &[])
    }

    fn formatted(&self, table: Table, column: usize, cell: &Cell) -> Option<String> {
        let kind = table.columns()[column].kind;
        match (kind, cell) {
            (_, Cell::Null) => None,
            (Kind::Picklist | Kind::State | Kind::Status, Cell::Int(v)) => self.labels[column]
                .iter()
                .find(|o| o.value == *v)
                .map(|o| o.label.clone()),
            (Kind::Money, Cell::Money(m)) => Some(money_text(*m)),
            (Kind::Time, Cell::Time(t)) => Some(time_text(t)),
            (Kind::Bool, Cell::Bool(b)) => Some(if *b { "Yes" } else { "No" }.to_string()),
            (Kind::Lookup(target), Cell::Guid(id)) => self.data.primary_name(target, *id),
            _ => None,
        }
    }

    fn row(
        &self,
        table: Table,
        row: &Row,
        select: Option<&[usize]>,
        expand: &[Expansion],
    ) -> Map<String, Value> {
        let mut out = Map::new();
        if let Some(Cell::Int(v)) = table.column_index("versionnumber").map(|i| &row[i]) {
            out.insert("@odata.etag".into(), Value::String(format!("W/\"{v}\"")));
        }
        let prefer = &self.ctx.prefer;
        let columns = table.columns();
        let mut emit = |i: usize| {
            let column = &columns[i];
            let cell = &row[i];
            out.insert(column.name.to_string(), cell.to_json());
            if prefer.wants(FORMATTED)
                && let Some(text) = self.formatted(table, i, cell)
            {
                out.insert(format!("{}@{FORMATTED}", column.name), Value::String(text));
            }
            if let (Kind::Lookup(target), false) = (column.kind, *cell == Cell::Null) {
                if prefer.wants(LOOKUP_NAME) {
                    out.insert(
                        format!("{}@{LOOKUP_NAME}", column.name),
                        Value::String(target.logical_name().into()),
                    );
                }
                if prefer.wants(NAV_NAME)
                    && let Some(nav) = column.nav.first()
                {
                    out.insert(
                        format!("{}@{NAV_NAME}", column.name),
                        Value::String((*nav).into()),
                    );
                }
            }
        };
        match select {
            Some(cols) => {
                for &i in cols {
                    emit(i);
                }
                // The primary key always comes back, as in Dataverse.
                if !cols.contains(&0) {
                    emit(0);
                }
            }
            None => (0..columns.len()).for_each(&mut emit),
        }
        for e in expand {
            let related = match &row[e.column] {
                Cell::Guid(id) => self
                    .data
                    .rows(e.target)
                    .get(id)
                    .map(|r| Value::Object(self.row(e.target, r, e.select.as_deref(), &[]))),
                _ => None,
            };
            out.insert(e.nav.clone(), related.unwrap_or(Value::Null));
        }
        out
    }
}

fn context_suffix(plan: &Plan) -> String {
    let mut parts: Vec<String> = plan.options.select.clone().unwrap_or_default();
    for e in &plan.options.expand {
        let inner = e.select.as_ref().map(|s| s.join(",")).unwrap_or_default();
        parts.push(format!("{}({inner})", e.nav));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("({})", parts.join(","))
    }
}

/// The page of row ids a query returns, and where the next page starts.
fn page_ids(
    data: &CrmData,
    plan: &Plan,
    page_size: usize,
    cookie: Option<PageCookie>,
) -> (Vec<Uuid>, Option<PageCookie>) {
    let rows = data.rows(plan.table);
    let matches = |row: &Row| plan.filter.as_ref().is_none_or(|f| filter::eval(f, row));
    let page = cookie.map_or(1, |c| c.page);
    let skip = cookie.map_or(0, |c| c.skip);
    if plan.orderby.is_empty() && plan.options.top.is_none() {
        // Keyset paging over the primary-key order.
        let start = match cookie.and_then(|c| c.last) {
            Some(last) => rows.range((Excluded(last), Unbounded)),
            None => rows.range::<Uuid, (std::ops::Bound<Uuid>, std::ops::Bound<Uuid>)>((
                Unbounded, Unbounded,
            )),
        };
        let mut ids: Vec<Uuid> = start
            .filter(|(_, r)| matches(r))
            .map(|(id, _)| *id)
            .take(page_size + 1)
            .collect();
        let more = ids.len() > page_size;
        ids.truncate(page_size);
        let next = more.then(|| PageCookie {
            page: page + 1,
            skip: skip + ids.len(),
            last: ids.last().copied(),
        });
        return (ids, next);
    }
    let mut found: Vec<(&Uuid, &Row)> = rows.iter().filter(|(_, r)| matches(r)).collect();
    found.sort_by(|(ida, a), (idb, b)| {
        plan.orderby
            .iter()
            .map(|&(i, desc)| {
                let o = compare_cells(&a[i], &b[i]);
                if desc { o.reverse() } else { o }
            })
            .find(|o| *o != Ordering::Equal)
            .unwrap_or_else(|| ida.cmp(idb))
    });
    let end = plan.options.top.map_or(found.len(), |t| t.min(found.len()));
    let ids: Vec<Uuid> = found
        .get(skip.min(end)..end)
        .unwrap_or(&[])
        .iter()
        .take(page_size)
        .map(|(id, _)| **id)
        .collect();
    let returned = skip + ids.len();
    let next = (returned < end).then_some(PageCookie {
        page: page + 1,
        skip: returned,
        last: None,
    });
    (ids, next)
}

fn next_link(ctx: &Ctx, set: &str, cookie: PageCookie) -> String {
    let kept: Vec<&str> = ctx
        .raw_query
        .split('&')
        .filter(|part| !part.is_empty())
        .filter(|part| {
            let key = part.split('=').next().unwrap_or("");
            key != "$skiptoken" && key != "%24skiptoken"
        })
        .collect();
    let mut query = kept.join("&");
    if !query.is_empty() {
        query.push('&');
    }
    format!(
        "{}/{set}?{query}$skiptoken={}",
        ctx.api_root(),
        encode_component(&cookie.encode())
    )
}

/// `GET <set>`. Change-tracking reads (`Prefer: odata.track-changes` or a
/// `$deltatoken`) are answered by [`super::changes`].
pub fn collection(ctx: &Ctx, table: Table) -> Result<Response, ApiError> {
    if ctx.prefer.track_changes || ctx.pairs.iter().any(|(k, _)| k == "$deltatoken") {
        return super::changes::tracked(ctx, table);
    }
    check_table_access(ctx, table)?;
    let plan = plan(ctx, table)?;
    let cookie = match &plan.options.skiptoken {
        Some(token) => Some(
            PageCookie::decode(token)
                .ok_or_else(|| ApiError::query("The $skiptoken value is not valid."))?,
        ),
        None => None,
    };
    let page_size = ctx.prefer.max_page_size.unwrap_or(MAX_PAGE);
    let solution_hidden = table == Table::Solution && ctx.standin.faults().solution_missing;
    let data = ctx.standin.data();
    let (mut ids, next) = page_ids(&data, &plan, page_size, cookie);
    if solution_hidden {
        let companion =
            crate::store::named_guid("solution", "LinkedInSalesNavigatorControlsForUnifiedClient");
        ids.retain(|id| *id != companion);
    }
    let renderer = Renderer::new(&data, ctx, table);
    let rows = data.rows(table);
    let value: Vec<Value> = ids
        .iter()
        .filter_map(|id| rows.get(id))
        .map(|row| Value::Object(renderer.row(table, row, plan.select.as_deref(), &plan.expand)))
        .collect();
    let mut body = Map::new();
    body.insert(
        "@odata.context".into(),
        Value::String(format!(
            "{}{}{}",
            ctx.metadata(),
            table.entity_set(),
            context_suffix(&plan)
        )),
    );
    if plan.options.count {
        let total = rows
            .values()
            .filter(|r| plan.filter.as_ref().is_none_or(|f| filter::eval(f, r)))
            .take(MAX_COUNT)
            .count();
        body.insert("@odata.count".into(), json!(total));
    }
    body.insert("value".into(), Value::Array(value));
    if let Some(cookie) = next {
        body.insert(
            "@odata.nextLink".into(),
            Value::String(next_link(ctx, table.entity_set(), cookie)),
        );
    }
    Ok(odata_json(
        StatusCode::OK,
        &Value::Object(body),
        &preference_applied(ctx),
    ))
}

pub(crate) fn preference_applied(ctx: &Ctx) -> Vec<(&'static str, String)> {
    let mut applied = Vec::new();
    if let Some(n) = ctx.prefer.max_page_size {
        applied.push(format!("odata.maxpagesize={n}"));
    }
    if !ctx.prefer.annotations.is_empty() {
        applied.push(format!(
            "odata.include-annotations=\"{}\"",
            ctx.prefer.annotations.join(",")
        ));
    }
    if applied.is_empty() {
        Vec::new()
    } else {
        vec![("Preference-Applied", applied.join(","))]
    }
}

/// `GET <set>(<id>)`.
pub fn single(ctx: &Ctx, table: Table, key: &str) -> Result<Response, ApiError> {
    check_table_access(ctx, table)?;
    let key = key
        .strip_prefix(table.primary_key())
        .and_then(|k| k.strip_prefix('='))
        .unwrap_or(key);
    let id = Uuid::parse_str(key).map_err(|_| {
        ApiError::query(format!(
            "Bad Request - Error in query syntax: '{key}' is not a valid {} key.",
            table.logical_name()
        ))
    })?;
    let plan = plan(ctx, table)?;
    let data = ctx.standin.data();
    let row = data
        .rows(table)
        .get(&id)
        .ok_or_else(|| ApiError::row_not_found(table, id))?;
    let renderer = Renderer::new(&data, ctx, table);
    let mut body = renderer.row(table, row, plan.select.as_deref(), &plan.expand);
    body.insert(
        "@odata.context".into(),
        Value::String(format!(
            "{}{}{}/$entity",
            ctx.metadata(),
            table.entity_set(),
            context_suffix(&plan)
        )),
    );
    Ok(odata_json(
        StatusCode::OK,
        &Value::Object(body),
        &preference_applied(ctx),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_money_like_dynamics() {
        assert_eq!(money_text(1234567.5), "$1,234,567.50");
        assert_eq!(money_text(999.0), "$999.00");
        assert_eq!(money_text(-1000.0), "-$1,000.00");
    }
}
