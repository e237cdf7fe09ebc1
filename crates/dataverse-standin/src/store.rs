//! The in-memory CRM: rows of every table, the organization record, the Integration User
//! and its role privileges, plus the row-version counter and the deletion tombstones that
//! change tracking will need.
//!
//! Rows are stored column-wise by position ([`Cell`]s in schema order) rather than as JSON
//! maps so that 100,000 opportunities stay a few tens of megabytes.

pub mod schema;

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use schema::{Kind, OptionLabel, Table, static_options};

/// One stored value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// No value.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer (choices, state, status, version).
    Int(i64),
    /// A money amount.
    Money(f64),
    /// Text.
    Text(Box<str>),
    /// A GUID (keys and lookups).
    Guid(Uuid),
    /// A UTC timestamp.
    Time(DateTime<Utc>),
}

impl Cell {
    /// Text cell shorthand.
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into().into_boxed_str())
    }

    /// The JSON the Web API shows for this value.
    pub fn to_json(&self) -> Value {
        match self {
            Cell::Null => Value::Null,
            Cell::Bool(b) => Value::Bool(*b),
            Cell::Int(i) => Value::from(*i),
            Cell::Money(m) => serde_json::Number::from_f64(*m).map_or(Value::Null, Value::Number),
            Cell::Text(s) => Value::String(s.to_string()),
            Cell::Guid(g) => Value::String(g.to_string()),
            Cell::Time(t) => Value::String(t.to_rfc3339_opts(SecondsFormat::Secs, true)),
        }
    }

    /// Converts JSON given by a test or the control API into a cell of `kind`.
    pub fn from_json(kind: Kind, value: &Value) -> Result<Cell, String> {
        if value.is_null() {
            return Ok(Cell::Null);
        }
        let bad = || format!("expected {} but got {value}", kind.edm());
        match kind {
            Kind::Key | Kind::Lookup(_) => value
                .as_str()
                .and_then(|s| Uuid::parse_str(s).ok())
                .map(Cell::Guid)
                .ok_or_else(bad),
            Kind::Text => value.as_str().map(Cell::text).ok_or_else(bad),
            Kind::Int | Kind::Version | Kind::Picklist | Kind::State | Kind::Status => {
                value.as_i64().map(Cell::Int).ok_or_else(bad)
            }
            Kind::Bool => value.as_bool().map(Cell::Bool).ok_or_else(bad),
            Kind::Money => value.as_f64().map(Cell::Money).ok_or_else(bad),
            Kind::Time => value
                .as_str()
                .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                .map(|t| Cell::Time(t.with_timezone(&Utc)))
                .ok_or_else(bad),
        }
    }
}

/// A row: its cells in the table's column order.
pub type Row = Vec<Cell>;

/// A deleted row, kept so change tracking can report it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tombstone {
    /// The table it was in.
    pub table: Table,
    /// Its primary key.
    pub id: Uuid,
    /// The row version the deletion got.
    pub version: u64,
}

/// The organization record behind `RetrieveCurrentOrganization`.
#[derive(Debug, Clone, Serialize)]
pub struct Organization {
    /// `OrganizationId`.
    pub organization_id: Uuid,
    /// `FriendlyName`.
    pub friendly_name: String,
    /// `UrlName`.
    pub url_name: String,
    /// `UniqueName`.
    pub unique_name: String,
    /// `OrganizationVersion` and `RetrieveVersion`'s `Version`.
    pub version: String,
    /// `OrganizationType` (`Customer`, or `CustomerTest` for a sandbox).
    pub organization_type: String,
    /// `EnvironmentId`.
    pub environment_id: Uuid,
    /// `TenantId`.
    pub tenant_id: Uuid,
    /// `DatacenterId`.
    pub datacenter_id: Uuid,
    /// `Geo`.
    pub geo: String,
}

/// One privilege of the Integration User's security role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RolePrivilege {
    /// e.g. `prvReadOpportunity`.
    pub name: String,
    /// `PrivilegeId`.
    pub id: Uuid,
    /// `Depth`: `Basic`, `Local`, `Deep` or `Global`.
    pub depth: String,
}

/// Why a store mutation was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// No row with that id.
    NotFound(Table, Uuid),
    /// A column the table doesn't have.
    UnknownColumn(Table, String),
    /// A value of the wrong type for its column.
    BadValue(String, String),
    /// The body was not a JSON object.
    NotAnObject,
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::NotFound(t, id) => {
                write!(f, "{} With Id = {id} Does Not Exist", t.logical_name())
            }
            StoreError::UnknownColumn(t, c) => write!(
                f,
                "Could not find a property named '{c}' on type 'Microsoft.Dynamics.CRM.{}'.",
                t.logical_name()
            ),
            StoreError::BadValue(c, why) => write!(f, "bad value for '{c}': {why}"),
            StoreError::NotAnObject => write!(f, "the row must be a JSON object"),
        }
    }
}

impl std::error::Error for StoreError {}

/// Everything the stand-in knows about the CRM. Built by [`crate::demo_crm`] or
/// [`CrmData::empty`], then shared by the server behind a lock.
#[derive(Debug, Clone)]
pub struct CrmData {
    /// The organization record.
    pub organization: Organization,
    /// The business unit of every user.
    pub business_unit_id: Uuid,
    /// The application user that client-credentials tokens act as; `WhoAmI` returns it.
    pub integration_user_id: Uuid,
    /// The Integration User's role privileges.
    pub privileges: Vec<RolePrivilege>,
    /// The `salesstage` option set; the generator and the metadata both read it.
    pub sales_stages: Vec<OptionLabel>,
    tables: [BTreeMap<Uuid, Row>; 6],
    last_version: u64,
    tombstones: Vec<Tombstone>,
    /// The clock of generated and test-made rows; moves one second per change so
    /// `modifiedon` is deterministic.
    clock: DateTime<Utc>,
}

/// The privileges the Integration User's custom role grants by default.
pub const DEFAULT_PRIVILEGES: &[&str] = &[
    "prvReadAccount",
    "prvReadContact",
    "prvReadLead",
    "prvReadOpportunity",
    "prvReadUser",
    "prvReadSolution",
    "prvReadCustomization",
    "prvReadActivity",
    "prvCreateActivity",
    "prvWriteActivity",
    "prvAppendActivity",
    "prvAppendToContact",
    "prvAppendToLead",
    "prvReadNote",
    "prvCreateNote",
    "prvWriteNote",
    "prvAppendNote",
    "prvActOnBehalfOfAnotherUser",
];

/// A stable GUID derived from a name, so privilege ids are the same on every run.
pub fn named_guid(namespace: &str, name: &str) -> Uuid {
    // FNV-1a over namespace and name, twice with different offsets for 128 bits.
    let hash = |seed: u64| {
        let mut h = seed;
        for b in namespace.bytes().chain([0u8]).chain(name.bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100_0000_01b3);
        }
        h
    };
    let hi = hash(0xcbf2_9ce4_8422_2325);
    let lo = hash(0x8422_2325_cbf2_9ce4);
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&hi.to_be_bytes());
    bytes[8..].copy_from_slice(&lo.to_be_bytes());
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

impl CrmData {
    /// An organization with only the Integration User and the companion solution.
    pub fn empty() -> CrmData {
        let clock = DateTime::parse_from_rfc3339("2025-01-06T09:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        let mut data = CrmData {
            organization: Organization {
                organization_id: named_guid("org", "navsync-demo"),
                friendly_name: "Navsync Demo".into(),
                url_name: "navsyncdemo".into(),
                unique_name: "unq4f1c2d3e5a6b7c8d9e0f1a2b3c4d5e6f".into(),
                version: "9.2.25112.171".into(),
                organization_type: "Customer".into(),
                environment_id: named_guid("environment", "navsync-demo"),
                tenant_id: named_guid("tenant", "demo.onmicrosoft.com"),
                datacenter_id: named_guid("datacenter", "westeurope"),
                geo: "EU".into(),
            },
            business_unit_id: named_guid("businessunit", "navsync-demo"),
            integration_user_id: named_guid("systemuser", "# Navsync Integration"),
            privileges: DEFAULT_PRIVILEGES
                .iter()
                .map(|name| RolePrivilege {
                    name: (*name).to_string(),
                    id: named_guid("privilege", name),
                    depth: "Global".into(),
                })
                .collect(),
            sales_stages: schema::default_sales_stages(),
            tables: Default::default(),
            last_version: 1_000,
            tombstones: Vec::new(),
            clock,
        };
        let integration = data.integration_user_id;
        data.insert_generated(
            Table::SystemUser,
            integration,
            &[
                ("fullname", Cell::text("# Navsync Integration")),
                (
                    "azureactivedirectoryobjectid",
                    Cell::Guid(named_guid("aad", "# Navsync Integration")),
                ),
                (
                    "applicationid",
                    Cell::Guid(
                        Uuid::parse_str(crate::config::DEFAULT_CLIENT_ID).unwrap_or_default(),
                    ),
                ),
                ("isdisabled", Cell::Bool(false)),
            ],
        );
        for (unique, friendly, version, managed) in [
            ("System", "System Solution", "9.2.25112.171", true),
            ("Default", "Default Solution", "1.0", false),
            (
                "LinkedInSalesNavigatorControlsForUnifiedClient",
                "LinkedIn Sales Navigator Controls for Unified Client",
                "1.0.2406.1",
                true,
            ),
        ] {
            let id = named_guid("solution", unique);
            data.insert_generated(
                Table::Solution,
                id,
                &[
                    ("uniquename", Cell::text(unique)),
                    ("friendlyname", Cell::text(friendly)),
                    ("version", Cell::text(version)),
                    ("ismanaged", Cell::Bool(managed)),
                ],
            );
        }
        data
    }

    /// The rows of a table, ordered by primary key.
    pub fn rows(&self, table: Table) -> &BTreeMap<Uuid, Row> {
        &self.tables[table.index()]
    }

    /// Number of rows in a table.
    pub fn row_count(&self, table: Table) -> usize {
        self.rows(table).len()
    }

    /// One row as the Web API would show it with no `$select`.
    pub fn row_json(&self, table: Table, id: Uuid) -> Option<Value> {
        let row = self.rows(table).get(&id)?;
        let map: Map<String, Value> = table
            .columns()
            .iter()
            .zip(row)
            .map(|(c, v)| (c.name.to_string(), v.to_json()))
            .collect();
        Some(Value::Object(map))
    }

    /// The highest row version handed out so far.
    pub fn last_version(&self) -> u64 {
        self.last_version
    }

    /// Deletions so far, oldest first.
    pub fn tombstones(&self) -> &[Tombstone] {
        &self.tombstones
    }

    /// Labels of a choice column (`salesstage` comes from [`CrmData::sales_stages`]).
    pub fn options(&self, table: Table, column: &str) -> Vec<OptionLabel> {
        if table == Table::Opportunity && column == "salesstage" {
            self.sales_stages.clone()
        } else {
            static_options(table, column)
        }
    }

    fn tick(&mut self) -> (u64, DateTime<Utc>) {
        self.last_version += 1;
        self.clock += chrono::Duration::seconds(1);
        (self.last_version, self.clock)
    }

    /// Inserts a generated row; `values` name columns, the rest stay null. Used by the
    /// demo generator, which sets its own timestamps through `createdon`/`modifiedon`.
    pub(crate) fn insert_generated(&mut self, table: Table, id: Uuid, values: &[(&str, Cell)]) {
        let (version, now) = self.tick();
        let columns = table.columns();
        let mut row: Row = vec![Cell::Null; columns.len()];
        row[0] = Cell::Guid(id);
        for (name, cell) in values {
            if let Some(i) = table.column_index(name) {
                row[i] = cell.clone();
            }
        }
        for (name, cell) in [
            ("createdon", Cell::Time(now)),
            ("modifiedon", Cell::Time(now)),
        ] {
            if let Some(i) = table.column_index(name)
                && row[i] == Cell::Null
            {
                row[i] = cell;
            }
        }
        if let Some(i) = table.column_index("versionnumber") {
            row[i] = Cell::Int(version as i64);
        }
        self.tables[table.index()].insert(id, row);
    }

    fn cells_from_json(table: Table, fields: &Value) -> Result<Vec<(usize, Cell)>, StoreError> {
        let map = fields.as_object().ok_or(StoreError::NotAnObject)?;
        map.iter()
            .map(|(name, value)| {
                let i = table
                    .column_index(name)
                    .ok_or_else(|| StoreError::UnknownColumn(table, name.clone()))?;
                let cell = Cell::from_json(table.columns()[i].kind, value)
                    .map_err(|why| StoreError::BadValue(name.clone(), why))?;
                Ok((i, cell))
            })
            .collect()
    }

    /// Creates a row from JSON keyed by logical names. The primary key is taken from the
    /// body if present, else made up. `createdon`, `modifiedon` and `versionnumber` are set.
    pub fn create_row(&mut self, table: Table, fields: &Value) -> Result<Uuid, StoreError> {
        let cells = Self::cells_from_json(table, fields)?;
        let id = cells
            .iter()
            .find_map(|(i, c)| match (i, c) {
                (0, Cell::Guid(g)) => Some(*g),
                _ => None,
            })
            .unwrap_or_else(Uuid::new_v4);
        let (version, now) = self.tick();
        let mut row: Row = vec![Cell::Null; table.columns().len()];
        for (i, cell) in cells {
            row[i] = cell;
        }
        row[0] = Cell::Guid(id);
        self.stamp(table, &mut row, version, now, true);
        self.tables[table.index()].insert(id, row);
        Ok(id)
    }

    /// Updates the given columns of a row; bumps `versionnumber` and `modifiedon`.
    pub fn update_row(&mut self, table: Table, id: Uuid, fields: &Value) -> Result<(), StoreError> {
        let cells = Self::cells_from_json(table, fields)?;
        if !self.tables[table.index()].contains_key(&id) {
            return Err(StoreError::NotFound(table, id));
        }
        let (version, now) = self.tick();
        let mut row = self.tables[table.index()]
            .remove(&id)
            .ok_or(StoreError::NotFound(table, id))?;
        for (i, cell) in cells.into_iter().filter(|(i, _)| *i != 0) {
            row[i] = cell;
        }
        self.stamp(table, &mut row, version, now, false);
        self.tables[table.index()].insert(id, row);
        Ok(())
    }

    /// Deletes a row and records a tombstone with a fresh version.
    pub fn delete_row(&mut self, table: Table, id: Uuid) -> Result<(), StoreError> {
        if self.tables[table.index()].remove(&id).is_none() {
            return Err(StoreError::NotFound(table, id));
        }
        let (version, _) = self.tick();
        self.tombstones.push(Tombstone { table, id, version });
        Ok(())
    }

    fn stamp(&self, table: Table, row: &mut Row, version: u64, now: DateTime<Utc>, created: bool) {
        if let Some(i) = table.column_index("versionnumber") {
            row[i] = Cell::Int(version as i64);
        }
        if let Some(i) = table.column_index("modifiedon") {
            row[i] = Cell::Time(now);
        }
        if created && let Some(i) = table.column_index("createdon") {
            row[i] = Cell::Time(now);
        }
    }

    /// The primary name of a row, for lookup formatted values.
    pub fn primary_name(&self, table: Table, id: Uuid) -> Option<String> {
        let row = self.rows(table).get(&id)?;
        let i = table.column_index(table.primary_name())?;
        match &row[i] {
            Cell::Text(s) => Some(s.to_string()),
            _ => None,
        }
    }
}
