//! `EntityDefinitions`: table definitions (`LogicalName`, `EntitySetName`, ...) and their
//! `Attributes`, optionally cast to one metadata type
//! (`/Microsoft.Dynamics.CRM.PicklistAttributeMetadata`) and with `$expand=OptionSet`.
//! Option labels come from the same [`crate::CrmData`] the rows use.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::error::{ApiError, CODE_NOT_FOUND};
use super::{Ctx, odata_json};
use crate::query::QueryOptions;
use crate::query::filter::{self, Bound};
use crate::store::schema::{Column, Kind, Table};
use crate::store::{Cell, CrmData, named_guid};

fn label(text: &str, id: uuid::Uuid) -> Value {
    let localized = json!({
        "Label": text,
        "LanguageCode": 1033,
        "IsManaged": true,
        "MetadataId": id.to_string(),
        "HasChanged": null,
    });
    json!({"LocalizedLabels": [localized.clone()], "UserLocalizedLabel": localized})
}

/// A metadata item: its filterable scalar properties (as cells, for `$filter`) and its
/// full JSON.
struct Item {
    cells: Vec<Cell>,
    json: Map<String, Value>,
}

fn entity_props() -> &'static [(&'static str, Kind)] {
    &[
        ("LogicalName", Kind::Text),
        ("EntitySetName", Kind::Text),
        ("SchemaName", Kind::Text),
        ("LogicalCollectionName", Kind::Text),
        ("PrimaryIdAttribute", Kind::Text),
        ("PrimaryNameAttribute", Kind::Text),
        ("ObjectTypeCode", Kind::Int),
        ("IsCustomEntity", Kind::Bool),
        ("MetadataId", Kind::Key),
    ]
}

fn attribute_props() -> &'static [(&'static str, Kind)] {
    &[
        ("LogicalName", Kind::Text),
        ("SchemaName", Kind::Text),
        ("AttributeType", Kind::Text),
        ("EntityLogicalName", Kind::Text),
        ("IsCustomAttribute", Kind::Bool),
        ("MetadataId", Kind::Key),
    ]
}

fn entity_item(table: Table) -> Item {
    let id = named_guid("entity", table.logical_name());
    let cells = vec![
        Cell::text(table.logical_name()),
        Cell::text(table.entity_set()),
        Cell::text(table.schema_name()),
        Cell::text(table.entity_set()),
        Cell::text(table.primary_key()),
        Cell::text(table.primary_name()),
        Cell::Int(table.object_type_code()),
        Cell::Bool(false),
        Cell::Guid(id),
    ];
    let mut json = Map::new();
    for ((name, _), cell) in entity_props().iter().zip(&cells) {
        json.insert((*name).to_string(), cell.to_json());
    }
    json.insert(
        "DisplayName".into(),
        label(
            table.schema_name(),
            named_guid("entity-label", table.logical_name()),
        ),
    );
    Item { cells, json }
}

/// The attribute's logical name: lookups are `ownerid`, not `_ownerid_value`.
fn attribute_name(column: &Column) -> &'static str {
    column
        .name
        .strip_prefix('_')
        .and_then(|n| n.strip_suffix("_value"))
        .unwrap_or(column.name)
}

fn schema_name(logical: &str) -> String {
    let mut chars = logical.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

fn attribute_item(
    data: &CrmData,
    table: Table,
    column: &Column,
    expand_options: Option<&Option<Vec<String>>>,
    cast: bool,
) -> Item {
    let logical = attribute_name(column);
    let key = format!("{}.{logical}", table.logical_name());
    let id = named_guid("attribute", &key);
    let cells = vec![
        Cell::text(logical),
        Cell::text(schema_name(logical)),
        Cell::text(column.kind.attribute_type()),
        Cell::text(table.logical_name()),
        Cell::Bool(logical.starts_with("new_")),
        Cell::Guid(id),
    ];
    let mut json = Map::new();
    // A cast path names the type already, so Dataverse leaves the annotation out.
    if !cast {
        json.insert(
            "@odata.type".into(),
            Value::String(format!(
                "#Microsoft.Dynamics.CRM.{}",
                column.kind.metadata_type()
            )),
        );
    }
    for ((name, _), cell) in attribute_props().iter().zip(&cells) {
        json.insert((*name).to_string(), cell.to_json());
    }
    json.insert(
        "DisplayName".into(),
        label(column.display, named_guid("attribute-label", &key)),
    );
    let option_kind = matches!(column.kind, Kind::Picklist | Kind::State | Kind::Status);
    if let (Some(nested_select), true) = (expand_options, option_kind) {
        let options: Vec<Value> = data
            .options(table, column.name)
            .iter()
            .map(|o| {
                let label_id = named_guid("option", &format!("{key}.{}", o.value));
                json!({
                    "Value": o.value,
                    "Color": null,
                    "IsManaged": true,
                    "ExternalValue": null,
                    "ParentValues": [],
                    "Tag": null,
                    "MetadataId": null,
                    "HasChanged": null,
                    "Label": label(&o.label, label_id),
                    "Description": label("", named_guid("option-description", &format!("{key}.{}", o.value))),
                })
            })
            .collect();
        let option_type = match column.kind {
            Kind::State => "State",
            Kind::Status => "Status",
            _ => "Picklist",
        };
        let mut option_set = json!({
            "MetadataId": named_guid("optionset", &key).to_string(),
            "Name": format!("{}_{logical}", table.logical_name()),
            "IsGlobal": false,
            "OptionSetType": option_type,
            "Options": options,
        });
        if let (Some(select), Some(map)) = (nested_select, option_set.as_object_mut()) {
            map.retain(|k, _| k == "MetadataId" || select.contains(k));
        }
        json.insert("OptionSet".into(), option_set);
    }
    Item { cells, json }
}

/// Applies `$filter` and `$select` to metadata items. `MetadataId` and `@odata.type`
/// always come back, as in Dataverse.
fn query_items(
    items: Vec<Item>,
    props: &[(&'static str, Kind)],
    type_name: &str,
    options: &QueryOptions,
    expandable: &[&str],
) -> Result<Vec<Value>, ApiError> {
    let resolve = |name: &str| -> Option<Bound> {
        props
            .iter()
            .position(|(n, _)| *n == name)
            .map(|i| (i, props[i].1))
    };
    let filter = options
        .filter
        .as_ref()
        .map(|text| {
            filter::parse(text)
                .and_then(|e| filter::bind(e, &resolve))
                .map_err(|e| match e {
                    filter::FilterError::UnknownProperty(p) => {
                        ApiError::unknown_property(type_name, &p)
                    }
                    filter::FilterError::Syntax(m) | filter::FilterError::Types(m) => {
                        ApiError::query(m)
                    }
                })
        })
        .transpose()?;
    let known = |name: &str| {
        props.iter().any(|(n, _)| *n == name) || name == "DisplayName" || expandable.contains(&name)
    };
    if let Some(select) = &options.select
        && let Some(bad) = select.iter().find(|s| !known(s))
    {
        return Err(ApiError::unknown_property(type_name, bad));
    }
    Ok(items
        .into_iter()
        .filter(|item| filter.as_ref().is_none_or(|f| filter::eval(f, &item.cells)))
        .map(|item| {
            let json = match &options.select {
                None => item.json,
                Some(select) => item
                    .json
                    .into_iter()
                    .filter(|(k, _)| {
                        k == "MetadataId"
                            || k == "@odata.type"
                            || select.contains(k)
                            || expandable.contains(&k.as_str())
                    })
                    .collect(),
            };
            Value::Object(json)
        })
        .collect())
}

fn entity_key(key: &str) -> Option<&str> {
    key.strip_prefix("LogicalName=")
        .map(|v| v.trim_matches('\''))
}

fn context(ctx: &Ctx, what: &str, options: &QueryOptions) -> String {
    let select = options
        .select
        .as_ref()
        .map(|s| format!("({})", s.join(",")))
        .unwrap_or_default();
    format!("{}{what}{select}", ctx.metadata())
}

/// `GET EntityDefinitions[...]`.
pub fn entity_definitions(ctx: &Ctx, key: Option<&str>, tail: &str) -> Result<Response, ApiError> {
    let options = QueryOptions::parse(&ctx.pairs).map_err(|e| ApiError::query(e.0))?;
    let missing = ctx.standin.faults().missing_tables;
    let visible = |t: &Table| !missing.iter().any(|m| m == t.logical_name());
    let Some(key) = key else {
        if !tail.is_empty() {
            return Err(ApiError::segment(tail));
        }
        let items = Table::ALL
            .into_iter()
            .filter(visible)
            .map(entity_item)
            .collect();
        let value = query_items(items, entity_props(), "EntityMetadata", &options, &[])?;
        let body = json!({
            "@odata.context": context(ctx, "EntityDefinitions", &options),
            "value": value,
        });
        return Ok(odata_json(StatusCode::OK, &body, &[]));
    };
    let logical = entity_key(key)
        .ok_or_else(|| ApiError::query(format!("Bad Request - Error in query syntax: '{key}'.")))?;
    let table = Table::from_logical_name(logical)
        .filter(visible)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                CODE_NOT_FOUND,
                format!("Could not find entity with LogicalName = '{logical}'."),
            )
        })?;
    if tail.is_empty() {
        let mut value = query_items(
            vec![entity_item(table)],
            entity_props(),
            "EntityMetadata",
            &options,
            &[],
        )?;
        let mut body = match value.pop() {
            Some(Value::Object(m)) => m,
            _ => Map::new(),
        };
        body.insert(
            "@odata.context".into(),
            Value::String(format!(
                "{}/$entity",
                context(ctx, "EntityDefinitions", &options)
            )),
        );
        return Ok(odata_json(StatusCode::OK, &Value::Object(body), &[]));
    }
    attributes(ctx, table, tail, &options)
}

fn attributes(
    ctx: &Ctx,
    table: Table,
    tail: &str,
    options: &QueryOptions,
) -> Result<Response, ApiError> {
    let mut segments = tail.split('/');
    let head = segments.next().unwrap_or("");
    let (single, cast) = match (head, segments.next(), segments.next()) {
        ("Attributes", cast, None) => (None, cast),
        (h, cast, None) if h.starts_with("Attributes(") && h.ends_with(')') => {
            let key = &h["Attributes(".len()..h.len() - 1];
            let name = key
                .strip_prefix("LogicalName=")
                .map(|v| v.trim_matches('\''))
                .ok_or_else(|| {
                    ApiError::query(format!("Bad Request - Error in query syntax: '{key}'."))
                })?;
            (Some(name.to_string()), cast)
        }
        _ => return Err(ApiError::segment(tail)),
    };
    let cast_type = match cast {
        Some(c) => Some(
            c.strip_prefix("Microsoft.Dynamics.CRM.")
                .ok_or_else(|| ApiError::segment(c))?,
        ),
        None => None,
    };
    let expand_options = options
        .expand
        .iter()
        .find(|e| e.nav == "OptionSet")
        .map(|e| &e.select);
    if let Some(other) = options
        .expand
        .iter()
        .find(|e| e.nav != "OptionSet" && e.nav != "GlobalOptionSet")
    {
        return Err(ApiError::unknown_property("AttributeMetadata", &other.nav));
    }
    let data = ctx.standin.data();
    let items: Vec<Item> = table
        .columns()
        .iter()
        .filter(|c| cast_type.is_none_or(|t| c.kind.metadata_type() == t))
        .filter(|c| single.as_deref().is_none_or(|n| attribute_name(c) == n))
        .map(|c| attribute_item(&data, table, c, expand_options, cast.is_some()))
        .collect();
    let type_name = cast_type.unwrap_or("AttributeMetadata");
    let expandable: &[&str] = if expand_options.is_some() {
        &["OptionSet"]
    } else {
        &[]
    };
    let mut value = query_items(items, attribute_props(), type_name, options, expandable)?;
    let what = format!(
        "EntityDefinitions('{}')/Attributes{}",
        table.logical_name(),
        cast.map(|c| format!("/{c}")).unwrap_or_default()
    );
    if let Some(name) = single {
        let mut body = match value.pop() {
            Some(Value::Object(m)) => m,
            _ => {
                return Err(ApiError::new(
                    StatusCode::NOT_FOUND,
                    CODE_NOT_FOUND,
                    format!(
                        "Could not find attribute with LogicalName = '{name}' on entity '{}'.",
                        table.logical_name()
                    ),
                ));
            }
        };
        body.insert(
            "@odata.context".into(),
            Value::String(format!("{}/$entity", context(ctx, &what, options))),
        );
        return Ok(odata_json(StatusCode::OK, &Value::Object(body), &[]));
    }
    let body = json!({
        "@odata.context": context(ctx, &what, options),
        "value": value,
    });
    Ok(odata_json(StatusCode::OK, &body, &[]))
}
