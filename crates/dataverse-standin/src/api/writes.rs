//! Writes: the activity and note tables Navsync writes back to — `li_inmails`,
//! `li_messages` (companion-solution activity tables), `tasks` and `annotations` — with
//! `POST <set>` (create), `PATCH <set>(<id>)` (upsert), and `GET <set>` / `GET <set>(<id>)`
//! (reads, `$filter` on `_regardingobjectid_value`, `_objectid_value`, `statecode` joined
//! by `and`).
//!
//! Rules the stand-in enforces, as Dataverse does (see `DATAVERSE.md`):
//! - `statecode` and `statuscode` are validated as a pair (task: 0 Open with 2/3/4/7,
//!   1 Completed with 5, 2 Canceled with 6; `li_` activities: 0/1, 1/2, 2/3). A missing
//!   `statuscode` gets the state's default.
//! - A completed or canceled activity is read-only: any write that changes something other
//!   than reopening it (`statecode` 0) is refused with 400 [`CODE_CLOSED`]. A write that
//!   changes nothing (a retried upsert) succeeds. The real code was not found in public
//!   documentation; `0x80043b1d` is the stand-in's choice, documented here.
//! - `@odata.bind` lookups (`regardingobjectid_contact_<table>`, `objectid_contact`,
//!   `ownerid`) must point at an existing row (404 `0x80040217` otherwise).
//! - `CallerObjectId: <Entra object id>` makes the matching user `createdby` and the
//!   caller `createdonbehalfby`; without `prvActOnBehalfOfAnotherUser` it is 403
//!   `0x80040220`.
//! - There is no hidden deduplication: two `POST`s of the same body make two rows.
//!
//! Rows live in [`WriteStore`], apart from the read-only tables of [`crate::CrmData`].
//! Every write operation, alone or inside a `$batch`, is counted in
//! [`crate::Stats::writes`].

use std::collections::{BTreeMap, HashMap};

use axum::http::StatusCode;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::error::{ApiError, CODE_NOT_FOUND};
use crate::standin::StandIn;
use crate::store::schema::Table;

/// "This activity is closed": an update to a completed or canceled activity.
pub const CODE_CLOSED: &str = "0x80043b1d";
/// A `statuscode` that does not belong to the `statecode`.
pub const CODE_BAD_STATUS: &str = "0x80040203";
/// A `POST` with a primary key that already exists.
pub const CODE_DUPLICATE: &str = "0x80040237";

/// One writable entity set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WriteSet {
    /// `li_inmail` / `li_inmails` (companion solution).
    InMail,
    /// `li_message` / `li_messages` (companion solution).
    Message,
    /// `task` / `tasks`.
    Task,
    /// `annotation` / `annotations` (notes; no state).
    Annotation,
}

impl WriteSet {
    /// Every writable set.
    pub const ALL: [WriteSet; 4] = [
        WriteSet::InMail,
        WriteSet::Message,
        WriteSet::Task,
        WriteSet::Annotation,
    ];

    /// The entity set name used in URLs.
    pub fn entity_set(self) -> &'static str {
        match self {
            WriteSet::InMail => "li_inmails",
            WriteSet::Message => "li_messages",
            WriteSet::Task => "tasks",
            WriteSet::Annotation => "annotations",
        }
    }

    /// The logical name.
    pub fn logical_name(self) -> &'static str {
        match self {
            WriteSet::InMail => "li_inmail",
            WriteSet::Message => "li_message",
            WriteSet::Task => "task",
            WriteSet::Annotation => "annotation",
        }
    }

    /// The set with this entity set name.
    pub fn from_entity_set(set: &str) -> Option<WriteSet> {
        WriteSet::ALL.into_iter().find(|s| s.entity_set() == set)
    }

    fn primary_key(self) -> &'static str {
        match self {
            WriteSet::Annotation => "annotationid",
            _ => "activityid",
        }
    }

    fn is_activity(self) -> bool {
        self != WriteSet::Annotation
    }

    fn companion(self) -> bool {
        matches!(self, WriteSet::InMail | WriteSet::Message)
    }

    fn create_privilege(self) -> &'static str {
        match self {
            WriteSet::Annotation => "prvCreateNote",
            _ => "prvCreateActivity",
        }
    }

    fn write_privilege(self) -> &'static str {
        match self {
            WriteSet::Annotation => "prvWriteNote",
            _ => "prvWriteActivity",
        }
    }

    /// Plain (non-lookup) columns a client may set.
    fn columns(self) -> &'static [&'static str] {
        match self {
            WriteSet::Annotation => &["annotationid", "subject", "notetext"],
            _ => &[
                "activityid",
                "subject",
                "description",
                "statecode",
                "statuscode",
                "actualstart",
                "actualend",
                "scheduledstart",
                "scheduledend",
                "prioritycode",
                "category",
            ],
        }
    }

    /// `(statecode, allowed statuscodes, default statuscode)`.
    fn states(self) -> &'static [(i64, &'static [i64], i64)] {
        match self {
            WriteSet::Task => &[(0, &[2, 3, 4, 7], 2), (1, &[5], 5), (2, &[6], 6)],
            WriteSet::InMail | WriteSet::Message => &[(0, &[1], 1), (1, &[2], 2), (2, &[3], 3)],
            WriteSet::Annotation => &[],
        }
    }
}

/// The written rows, per set, keyed by primary key. Each row is the JSON the Web API
/// returns (lookups as `_x_value`).
#[derive(Debug, Clone, Default)]
pub struct WriteStore {
    rows: HashMap<WriteSet, BTreeMap<Uuid, Map<String, Value>>>,
    clock: u64,
}

impl WriteStore {
    /// The rows of a set, ordered by primary key.
    pub fn rows(&self, set: WriteSet) -> Vec<Value> {
        self.rows
            .get(&set)
            .map(|rows| rows.values().cloned().map(Value::Object).collect())
            .unwrap_or_default()
    }

    /// One row.
    pub fn row(&self, set: WriteSet, id: Uuid) -> Option<Value> {
        self.rows
            .get(&set)
            .and_then(|rows| rows.get(&id))
            .cloned()
            .map(Value::Object)
    }
}

/// The answer to one operation, before it becomes an HTTP response or a batch part.
#[derive(Debug, Clone)]
pub struct OpResponse {
    /// HTTP status.
    pub status: StatusCode,
    /// Extra headers (`OData-EntityId`).
    pub headers: Vec<(&'static str, String)>,
    /// JSON body, if any.
    pub body: Option<Value>,
}

impl From<ApiError> for OpResponse {
    fn from(e: ApiError) -> OpResponse {
        let mut headers = Vec::new();
        if let Some(wait) = e.retry_after {
            headers.push(("Retry-After", wait.to_string()));
        }
        OpResponse {
            status: e.status,
            headers,
            body: Some(json!({"error": {"code": e.code, "message": e.message}})),
        }
    }
}

/// One request to a write set, parsed.
pub struct Op<'a> {
    /// `GET`, `POST` or `PATCH`.
    pub method: &'a str,
    /// `http://host/api/data/v9.2`.
    pub api_root: &'a str,
    /// The path after the version, decoded, e.g. `tasks(<id>)`.
    pub path: &'a str,
    /// The raw query string.
    pub query: &'a str,
    /// Request headers, names lower-cased.
    pub headers: &'a [(String, String)],
    /// Request body.
    pub body: &'a [u8],
}

impl Op<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    }
}

/// Whether `path` (after the version) names a write set, `$batch` aside.
pub fn handles(path: &str) -> bool {
    let head = path.split('/').next().unwrap_or("");
    let name = head.split('(').next().unwrap_or("");
    WriteSet::from_entity_set(name).is_some()
}

fn split_key(path: &str) -> Result<(WriteSet, Option<Uuid>), ApiError> {
    let path = path.trim_end_matches('/');
    let (name, key) = match path.find('(') {
        Some(open) if path.ends_with(')') => (&path[..open], Some(&path[open + 1..path.len() - 1])),
        Some(_) => {
            return Err(ApiError::query(format!(
                "Bad Request - Error in query syntax: '{path}'."
            )));
        }
        None => (path, None),
    };
    let set = WriteSet::from_entity_set(name).ok_or_else(|| ApiError::segment(name))?;
    let key = match key {
        None => None,
        Some(k) => Some(Uuid::parse_str(k.trim_matches('\'')).map_err(|_| {
            ApiError::query(format!(
                "Bad Request - Error in query syntax: '{k}' is not a Guid."
            ))
        })?),
    };
    Ok((set, key))
}

fn has_privilege(standin: &StandIn, name: &str) -> bool {
    let held = standin.data().privileges.iter().any(|p| p.name == name);
    held && !standin
        .faults()
        .missing_privileges
        .iter()
        .any(|p| p == name)
}

fn privilege_error(standin: &StandIn, user: Uuid, privilege: &str, table: Table) -> ApiError {
    let faults = standin.faults();
    let remaining = standin
        .data()
        .privileges
        .iter()
        .filter(|p| !faults.missing_privileges.contains(&p.name))
        .count();
    let id = crate::store::named_guid("privilege", privilege);
    ApiError::privilege(user, remaining, privilege, id, table)
}

/// Parses `/contacts(<guid>)` (relative or absolute) into the table and id, checking the
/// row exists.
fn bind_target(standin: &StandIn, value: &Value) -> Result<(Table, Uuid), ApiError> {
    let text = value
        .as_str()
        .ok_or_else(|| ApiError::query("An @odata.bind value must be a string."))?;
    let last = text.rsplit('/').next().unwrap_or(text);
    let open = last.find('(').filter(|_| last.ends_with(')'));
    let Some(open) = open else {
        return Err(ApiError::query(format!(
            "The @odata.bind value '{text}' is not an entity reference."
        )));
    };
    let set = &last[..open];
    let table = Table::from_entity_set(set).ok_or_else(|| ApiError::segment(set))?;
    let id = Uuid::parse_str(&last[open + 1..last.len() - 1]).map_err(|_| {
        ApiError::query(format!("The @odata.bind value '{text}' has no valid Guid."))
    })?;
    if !standin.data().rows(table).contains_key(&id) {
        return Err(ApiError::row_not_found(table, id));
    }
    Ok((table, id))
}

/// Turns a request body into stored columns (lookups as `_x_value`), validating names,
/// binds and types.
fn normalise(
    standin: &StandIn,
    set: WriteSet,
    body: &Value,
) -> Result<Map<String, Value>, ApiError> {
    let map = body
        .as_object()
        .ok_or_else(|| ApiError::query("The request body must be a JSON object."))?;
    let mut out = Map::new();
    for (name, value) in map {
        if let Some(nav) = name.strip_suffix("@odata.bind") {
            let (table, id) = bind_target(standin, value)?;
            let column = match nav {
                "ownerid" if table == Table::SystemUser => "_ownerid_value",
                "objectid_contact" if set == WriteSet::Annotation && table == Table::Contact => {
                    "_objectid_value"
                }
                "objectid_lead" if set == WriteSet::Annotation && table == Table::Lead => {
                    "_objectid_value"
                }
                "objectid_account" if set == WriteSet::Annotation && table == Table::Account => {
                    "_objectid_value"
                }
                other
                    if set.is_activity()
                        && other
                            == format!(
                                "regardingobjectid_{}_{}",
                                table.logical_name(),
                                set.logical_name()
                            ) =>
                {
                    "_regardingobjectid_value"
                }
                _ => return Err(ApiError::unknown_property(set.logical_name(), nav)),
            };
            out.insert(column.to_string(), Value::String(id.to_string()));
            continue;
        }
        if !set.columns().contains(&name.as_str()) {
            return Err(ApiError::unknown_property(set.logical_name(), name));
        }
        let ok = match name.as_str() {
            "statecode" | "statuscode" | "prioritycode" => value.is_i64() || value.is_null(),
            "activityid" | "annotationid" => {
                value.as_str().is_some_and(|s| Uuid::parse_str(s).is_ok())
            }
            _ => value.is_string() || value.is_null(),
        };
        if !ok {
            return Err(ApiError::query(format!(
                "Cannot convert the literal '{value}' to the expected type of property '{name}'."
            )));
        }
        out.insert(name.clone(), value.clone());
    }
    Ok(out)
}

fn int(map: &Map<String, Value>, name: &str) -> Option<i64> {
    map.get(name).and_then(Value::as_i64)
}

/// Fills and checks `statecode`/`statuscode` of a row about to be stored.
fn settle_state(
    set: WriteSet,
    row: &mut Map<String, Value>,
    changes: &Map<String, Value>,
) -> Result<(), ApiError> {
    let states = set.states();
    if states.is_empty() {
        return Ok(());
    }
    let state = match (int(changes, "statecode"), int(changes, "statuscode")) {
        (Some(s), _) => s,
        (None, Some(status)) => states
            .iter()
            .find(|(_, allowed, _)| allowed.contains(&status))
            .map(|(s, _, _)| *s)
            .unwrap_or(-1),
        (None, None) => int(row, "statecode").unwrap_or(0),
    };
    let Some((_, allowed, default)) = states.iter().find(|(s, _, _)| *s == state) else {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            CODE_BAD_STATUS,
            format!(
                "{} is not a valid state code on {}.",
                int(changes, "statecode").unwrap_or(state),
                set.logical_name()
            ),
        ));
    };
    let status = int(changes, "statuscode")
        .or_else(|| {
            int(row, "statuscode")
                .filter(|s| allowed.contains(s) && !changes.contains_key("statecode"))
        })
        .unwrap_or(*default);
    if !allowed.contains(&status) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            CODE_BAD_STATUS,
            format!(
                "{status} is not a valid status code for state code {}State {state}.",
                set.logical_name()
            ),
        ));
    }
    row.insert("statecode".into(), json!(state));
    row.insert("statuscode".into(), json!(status));
    Ok(())
}

fn closed_error(set: WriteSet, id: Uuid) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        CODE_CLOSED,
        format!(
            "This activity is closed ({} With Id = {id}): it cannot be updated until it is reopened (statecode 0).",
            set.logical_name()
        ),
    )
}

fn stamp(store: &mut WriteStore) -> String {
    store.clock += 1;
    let base = chrono::DateTime::parse_from_rfc3339("2025-06-01T09:00:00Z")
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_default();
    (base + chrono::Duration::seconds(store.clock as i64))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Who a write is attributed to: `(createdby, createdonbehalfby)`.
fn attribution(
    standin: &StandIn,
    op: &Op<'_>,
    user: Uuid,
    set: WriteSet,
) -> Result<(Uuid, Option<Uuid>), ApiError> {
    let Some(object_id) = op.header("CallerObjectId") else {
        return Ok((user, None));
    };
    if !has_privilege(standin, "prvActOnBehalfOfAnotherUser") {
        let table = if set == WriteSet::Annotation {
            Table::Contact
        } else {
            Table::SystemUser
        };
        return Err(privilege_error(
            standin,
            user,
            "prvActOnBehalfOfAnotherUser",
            table,
        ));
    }
    let object_id = Uuid::parse_str(object_id)
        .map_err(|_| ApiError::query(format!("CallerObjectId '{object_id}' is not a Guid.")))?;
    let data = standin.data();
    let column = Table::SystemUser.column_index("azureactivedirectoryobjectid");
    let found = data.rows(Table::SystemUser).iter().find_map(|(id, row)| {
        let cell = column.and_then(|i| row.get(i))?;
        (*cell == crate::Cell::Guid(object_id)).then_some(*id)
    });
    match found {
        Some(caller) => Ok((caller, Some(user))),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            CODE_NOT_FOUND,
            format!("systemuser With AzureActiveDirectoryObjectId = {object_id} Does Not Exist"),
        )),
    }
}

/// Runs one operation on a write set against `store`.
pub fn apply(standin: &StandIn, user: Uuid, op: &Op<'_>, store: &mut WriteStore) -> OpResponse {
    match apply_inner(standin, user, op, store) {
        Ok(r) => r,
        Err(e) => e.into(),
    }
}

fn apply_inner(
    standin: &StandIn,
    user: Uuid,
    op: &Op<'_>,
    store: &mut WriteStore,
) -> Result<OpResponse, ApiError> {
    let (set, key) = split_key(op.path)?;
    if set.companion() && standin.faults().solution_missing {
        return Err(ApiError::segment(set.entity_set()));
    }
    if op.method == "GET" {
        return read(standin, op, store, set, key);
    }
    standin.record_write(set.entity_set());
    let body: Value = serde_json::from_slice(if op.body.is_empty() { b"{}" } else { op.body })
        .map_err(|e| ApiError::query(format!("The request body is not valid JSON: {e}")))?;
    let changes = normalise(standin, set, &body)?;
    let (id, must_exist, must_not_exist) = match (op.method, key) {
        ("POST", None) => {
            let id = changes
                .get(set.primary_key())
                .and_then(Value::as_str)
                .and_then(|s| Uuid::parse_str(s).ok())
                .unwrap_or_else(Uuid::new_v4);
            (id, false, true)
        }
        ("PATCH", Some(id)) => (
            id,
            op.header("If-Match") == Some("*"),
            op.header("If-None-Match") == Some("*"),
        ),
        (method, _) => {
            return Err(ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                super::error::CODE_QUERY,
                format!(
                    "The stand-in does not support {method} requests to '{}'.",
                    op.path
                ),
            ));
        }
    };
    let table_for_errors = Table::Contact;
    let existing = store.rows.get(&set).and_then(|rows| rows.get(&id)).cloned();
    let representation = op
        .header("Prefer")
        .is_some_and(|p| p.split(',').any(|p| p.trim() == "return=representation"));
    let entity_id = format!("{}/{}({id})", op.api_root, set.entity_set());
    match existing {
        None => {
            if must_exist {
                return Err(ApiError::new(
                    StatusCode::NOT_FOUND,
                    CODE_NOT_FOUND,
                    format!("{} With Id = {id} Does Not Exist", set.logical_name()),
                ));
            }
            if !has_privilege(standin, set.create_privilege()) {
                return Err(privilege_error(
                    standin,
                    user,
                    set.create_privilege(),
                    table_for_errors,
                ));
            }
            let (created_by, on_behalf) = attribution(standin, op, user, set)?;
            let mut row = Map::new();
            row.insert(set.primary_key().into(), json!(id.to_string()));
            for (k, v) in &changes {
                row.insert(k.clone(), v.clone());
            }
            settle_state(set, &mut row, &changes)?;
            row.entry("_ownerid_value")
                .or_insert_with(|| json!(created_by.to_string()));
            row.insert("_createdby_value".into(), json!(created_by.to_string()));
            row.insert(
                "_createdonbehalfby_value".into(),
                on_behalf.map_or(Value::Null, |u| json!(u.to_string())),
            );
            row.insert("_modifiedby_value".into(), json!(created_by.to_string()));
            let now = stamp(store);
            row.insert("createdon".into(), json!(now));
            row.insert("modifiedon".into(), json!(now));
            row.insert("versionnumber".into(), json!(store.clock));
            store.rows.entry(set).or_default().insert(id, row.clone());
            let status = if representation {
                StatusCode::CREATED
            } else {
                StatusCode::NO_CONTENT
            };
            Ok(OpResponse {
                status,
                headers: vec![("OData-EntityId", entity_id)],
                body: representation.then_some(Value::Object(row)),
            })
        }
        Some(current) => {
            if must_not_exist {
                return Err(ApiError::new(
                    StatusCode::PRECONDITION_FAILED,
                    CODE_DUPLICATE,
                    "A record with matching key values already exists.",
                ));
            }
            if !has_privilege(standin, set.write_privilege()) {
                return Err(privilege_error(
                    standin,
                    user,
                    set.write_privilege(),
                    table_for_errors,
                ));
            }
            let mut row = current.clone();
            for (k, v) in &changes {
                row.insert(k.clone(), v.clone());
            }
            settle_state(set, &mut row, &changes)?;
            let changed: Vec<&String> = row
                .iter()
                .filter(|(k, v)| current.get(*k) != Some(*v))
                .map(|(k, _)| k)
                .collect();
            let closed = int(&current, "statecode").is_some_and(|s| s != 0);
            if closed && !changed.is_empty() {
                let reopening = int(&row, "statecode") == Some(0)
                    && changed
                        .iter()
                        .all(|k| *k == "statecode" || *k == "statuscode");
                if !reopening {
                    return Err(closed_error(set, id));
                }
            }
            if !changed.is_empty() {
                let (modified_by, _) = attribution(standin, op, user, set)?;
                row.insert("_modifiedby_value".into(), json!(modified_by.to_string()));
                let now = stamp(store);
                row.insert("modifiedon".into(), json!(now));
                row.insert("versionnumber".into(), json!(store.clock));
                store.rows.entry(set).or_default().insert(id, row.clone());
            }
            let status = if representation {
                StatusCode::OK
            } else {
                StatusCode::NO_CONTENT
            };
            Ok(OpResponse {
                status,
                headers: vec![("OData-EntityId", entity_id)],
                body: representation.then_some(Value::Object(row)),
            })
        }
    }
}

/// `a eq b and c eq d`, the only filters the write sets answer.
fn parse_filter(filter: &str) -> Result<Vec<(String, String)>, ApiError> {
    filter
        .split(" and ")
        .map(|clause| {
            let mut parts = clause.split_whitespace();
            match (parts.next(), parts.next(), parts.next(), parts.next()) {
                (Some(column), Some("eq"), Some(value), None) => {
                    Ok((column.to_string(), value.trim_matches('\'').to_lowercase()))
                }
                _ => Err(ApiError::query(format!(
                    "The stand-in's write sets only filter on 'column eq value' joined by 'and', not '{clause}'."
                ))),
            }
        })
        .collect()
}

fn read(
    standin: &StandIn,
    op: &Op<'_>,
    store: &WriteStore,
    set: WriteSet,
    key: Option<Uuid>,
) -> Result<OpResponse, ApiError> {
    let _ = standin;
    let context = format!("{}/$metadata#{}", op.api_root, set.entity_set());
    if let Some(id) = key {
        let Some(Value::Object(mut row)) = store.row(set, id) else {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                CODE_NOT_FOUND,
                format!("{} With Id = {id} Does Not Exist", set.logical_name()),
            ));
        };
        row.insert("@odata.context".into(), json!(format!("{context}/$entity")));
        return Ok(OpResponse {
            status: StatusCode::OK,
            headers: Vec::new(),
            body: Some(Value::Object(row)),
        });
    }
    let pairs: Vec<(String, String)> = form_urlencoded::parse(op.query.as_bytes())
        .into_owned()
        .collect();
    let clauses = match pairs.iter().find(|(k, _)| k == "$filter") {
        Some((_, f)) => parse_filter(f)?,
        None => Vec::new(),
    };
    for (column, _) in &clauses {
        let known = matches!(
            column.as_str(),
            "_regardingobjectid_value" | "_objectid_value" | "_ownerid_value"
        ) || set.columns().contains(&column.as_str());
        if !known {
            return Err(ApiError::unknown_property(set.logical_name(), column));
        }
    }
    let rows: Vec<Value> = store
        .rows(set)
        .into_iter()
        .filter(|row| {
            clauses.iter().all(|(column, want)| {
                let have = match row.get(column) {
                    Some(Value::String(s)) => s.to_lowercase(),
                    Some(Value::Null) | None => "null".to_string(),
                    Some(other) => other.to_string(),
                };
                &have == want
            })
        })
        .collect();
    Ok(OpResponse {
        status: StatusCode::OK,
        headers: Vec::new(),
        body: Some(json!({"@odata.context": context, "value": rows})),
    })
}

/// Answers a write-set request outside a batch.
pub fn respond(standin: &StandIn, user: Uuid, op: &Op<'_>) -> axum::response::Response {
    let response = {
        let mut store = standin.write_store();
        apply(standin, user, op, &mut store)
    };
    let body = response.body.unwrap_or(Value::Null);
    if body.is_null() {
        let mut r = axum::response::IntoResponse::into_response(response.status);
        for (name, value) in response.headers {
            if let Ok(v) = axum::http::HeaderValue::from_str(&value) {
                r.headers_mut().insert(name, v);
            }
        }
        r
    } else {
        super::odata_json(response.status, &body, &response.headers)
    }
}

/// `POST contacts` (H5: create the missing record from Navsync): `firstname`,
/// `lastname`, `emailaddress1`, `jobtitle`, `new_linkedinurl` (the LinkedIn profile URL
/// column) and `parentcustomerid_account@odata.bind`. Answers 204 with `OData-EntityId`.
pub fn create_contact(standin: &StandIn, op: &Op<'_>) -> axum::response::Response {
    standin.record_write("contacts");
    let result = (|| {
        let body: Value = serde_json::from_slice(op.body)
            .map_err(|e| ApiError::query(format!("The request body is not valid JSON: {e}")))?;
        let map = body
            .as_object()
            .ok_or_else(|| ApiError::query("The request body must be a JSON object."))?;
        let mut row = Map::new();
        for (name, value) in map {
            match name.as_str() {
                "firstname" | "lastname" | "emailaddress1" | "jobtitle" | "new_linkedinurl" => {
                    row.insert(name.clone(), value.clone());
                }
                "parentcustomerid_account@odata.bind" => {
                    let (table, id) = bind_target(standin, value)?;
                    if table != Table::Account {
                        return Err(ApiError::unknown_property("contact", name));
                    }
                    row.insert("_parentcustomerid_value".into(), json!(id.to_string()));
                }
                other => return Err(ApiError::unknown_property("contact", other)),
            }
        }
        let full = [row.get("firstname"), row.get("lastname")]
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" ");
        row.insert("fullname".into(), json!(full));
        row.insert("statecode".into(), json!(0));
        standin
            .create_row(Table::Contact, &Value::Object(row))
            .map_err(|e| ApiError::query(e.to_string()))
    })();
    match result {
        Ok(id) => {
            let response = OpResponse {
                status: StatusCode::NO_CONTENT,
                headers: vec![("OData-EntityId", format!("{}/contacts({id})", op.api_root))],
                body: None,
            };
            let mut r = axum::response::IntoResponse::into_response(response.status);
            for (name, value) in response.headers {
                if let Ok(v) = axum::http::HeaderValue::from_str(&value) {
                    r.headers_mut().insert(name, v);
                }
            }
            r
        }
        Err(e) => axum::response::IntoResponse::into_response(e),
    }
}
