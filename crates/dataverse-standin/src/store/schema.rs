//! The fixed schema of the stand-in's tables: which columns each table has, of what kind,
//! and the option-set labels of the choice columns.
//!
//! Column names are Dataverse's logical names exactly as the Web API shows them
//! (`_ownerid_value` for the owner lookup), so a query that works here works against Dynamics.

use serde::Serialize;

/// One of the tables the stand-in serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Table {
    /// `account` / `accounts`.
    Account,
    /// `contact` / `contacts`.
    Contact,
    /// `lead` / `leads`.
    Lead,
    /// `opportunity` / `opportunities`.
    Opportunity,
    /// `systemuser` / `systemusers`.
    SystemUser,
    /// `solution` / `solutions`.
    Solution,
}

/// What a column holds; decides filter typing, JSON rendering and formatted values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The primary key (`Edm.Guid`).
    Key,
    /// `Edm.String`.
    Text,
    /// `Edm.Int32` without labels.
    Int,
    /// `Edm.Int64` row version.
    Version,
    /// `Edm.Boolean`.
    Bool,
    /// `Edm.Decimal` money.
    Money,
    /// A choice column (`PicklistAttributeMetadata`).
    Picklist,
    /// `statecode` (`StateAttributeMetadata`).
    State,
    /// `statuscode` (`StatusAttributeMetadata`).
    Status,
    /// `Edm.DateTimeOffset`.
    Time,
    /// A single-valued lookup (`_x_value`), pointing at `target`.
    Lookup(Table),
}

impl Kind {
    /// The EDM type name used in error messages.
    pub fn edm(self) -> &'static str {
        match self {
            Kind::Key | Kind::Lookup(_) => "Edm.Guid",
            Kind::Text => "Edm.String",
            Kind::Int | Kind::Picklist | Kind::State | Kind::Status => "Edm.Int32",
            Kind::Version => "Edm.Int64",
            Kind::Bool => "Edm.Boolean",
            Kind::Money => "Edm.Decimal",
            Kind::Time => "Edm.DateTimeOffset",
        }
    }

    /// The `AttributeType` Dataverse reports in attribute metadata.
    pub fn attribute_type(self) -> &'static str {
        match self {
            Kind::Key => "Uniqueidentifier",
            Kind::Text => "String",
            Kind::Int => "Integer",
            Kind::Version => "BigInt",
            Kind::Bool => "Boolean",
            Kind::Money => "Money",
            Kind::Picklist => "Picklist",
            Kind::State => "State",
            Kind::Status => "Status",
            Kind::Time => "DateTime",
            Kind::Lookup(Table::SystemUser) => "Owner",
            Kind::Lookup(_) => "Lookup",
        }
    }

    /// The metadata type name used in `Attributes/Microsoft.Dynamics.CRM.<X>` casts.
    pub fn metadata_type(self) -> &'static str {
        match self {
            Kind::Key => "UniqueIdentifierAttributeMetadata",
            Kind::Text => "StringAttributeMetadata",
            Kind::Int => "IntegerAttributeMetadata",
            Kind::Version => "BigIntAttributeMetadata",
            Kind::Bool => "BooleanAttributeMetadata",
            Kind::Money => "MoneyAttributeMetadata",
            Kind::Picklist => "PicklistAttributeMetadata",
            Kind::State => "StateAttributeMetadata",
            Kind::Status => "StatusAttributeMetadata",
            Kind::Time => "DateTimeAttributeMetadata",
            Kind::Lookup(_) => "LookupAttributeMetadata",
        }
    }
}

/// A column of a table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The logical name as the Web API shows it (`_ownerid_value` for lookups).
    pub name: &'static str,
    /// What it holds.
    pub kind: Kind,
    /// The display name in metadata.
    pub display: &'static str,
    /// For lookups: the single-valued navigation properties that `$expand` accepts.
    pub nav: &'static [&'static str],
}

const fn col(name: &'static str, kind: Kind, display: &'static str) -> Column {
    Column {
        name,
        kind,
        display,
        nav: &[],
    }
}

const fn lookup(
    name: &'static str,
    target: Table,
    display: &'static str,
    nav: &'static [&'static str],
) -> Column {
    Column {
        name,
        kind: Kind::Lookup(target),
        display,
        nav,
    }
}

const OWNER: Column = lookup(
    "_ownerid_value",
    Table::SystemUser,
    "Owner",
    &["ownerid", "owninguser"],
);
const CREATED: Column = col("createdon", Kind::Time, "Created On");
const MODIFIED: Column = col("modifiedon", Kind::Time, "Modified On");
const VERSION: Column = col("versionnumber", Kind::Version, "Version Number");

const ACCOUNT: &[Column] = &[
    col("accountid", Kind::Key, "Account"),
    col("name", Kind::Text, "Account Name"),
    col("websiteurl", Kind::Text, "Website"),
    col("address1_city", Kind::Text, "Address 1: City"),
    col("address1_country", Kind::Text, "Address 1: Country/Region"),
    col("statecode", Kind::State, "Status"),
    OWNER,
    CREATED,
    MODIFIED,
    VERSION,
];

const CONTACT: &[Column] = &[
    col("contactid", Kind::Key, "Contact"),
    col("firstname", Kind::Text, "First Name"),
    col("lastname", Kind::Text, "Last Name"),
    col("fullname", Kind::Text, "Full Name"),
    col("emailaddress1", Kind::Text, "Email"),
    col("jobtitle", Kind::Text, "Job Title"),
    // A custom column, as organizations add it for LinkedIn profile URLs
    // (Navsync's default matching column, R3).
    col("new_linkedinurl", Kind::Text, "LinkedIn Profile URL"),
    lookup(
        "_parentcustomerid_value",
        Table::Account,
        "Company Name",
        &["parentcustomerid_account"],
    ),
    col("statecode", Kind::State, "Status"),
    OWNER,
    CREATED,
    MODIFIED,
    VERSION,
];

const LEAD: &[Column] = &[
    col("leadid", Kind::Key, "Lead"),
    col("firstname", Kind::Text, "First Name"),
    col("lastname", Kind::Text, "Last Name"),
    col("fullname", Kind::Text, "Name"),
    col("emailaddress1", Kind::Text, "Email"),
    col("companyname", Kind::Text, "Company Name"),
    col("statecode", Kind::State, "Status"),
    OWNER,
    CREATED,
    MODIFIED,
    VERSION,
];

const OPPORTUNITY: &[Column] = &[
    col("opportunityid", Kind::Key, "Opportunity"),
    col("name", Kind::Text, "Topic"),
    col("statecode", Kind::State, "Status"),
    col("statuscode", Kind::Status, "Status Reason"),
    col("salesstage", Kind::Picklist, "Sales Stage"),
    col("opportunityratingcode", Kind::Picklist, "Rating"),
    col("stepname", Kind::Text, "Pipeline Phase"),
    col("estimatedvalue", Kind::Money, "Est. Revenue"),
    col("actualvalue", Kind::Money, "Actual Revenue"),
    col("totalamount", Kind::Money, "Total Amount"),
    col("new_wonvalue", Kind::Money, "Won Value (Navsync)"),
    OWNER,
    lookup(
        "_parentaccountid_value",
        Table::Account,
        "Account",
        &["parentaccountid"],
    ),
    lookup(
        "_parentcontactid_value",
        Table::Contact,
        "Contact",
        &["parentcontactid"],
    ),
    CREATED,
    MODIFIED,
    VERSION,
];

const SYSTEMUSER: &[Column] = &[
    col("systemuserid", Kind::Key, "User"),
    col("fullname", Kind::Text, "Full Name"),
    col("internalemailaddress", Kind::Text, "Primary Email"),
    col(
        "azureactivedirectoryobjectid",
        Kind::Key,
        "Azure AD Object ID",
    ),
    col("applicationid", Kind::Key, "Application ID"),
    col("isdisabled", Kind::Bool, "Status"),
    CREATED,
    MODIFIED,
    VERSION,
];

const SOLUTION: &[Column] = &[
    col("solutionid", Kind::Key, "Solution"),
    col("uniquename", Kind::Text, "Name"),
    col("friendlyname", Kind::Text, "Display Name"),
    col("version", Kind::Text, "Version"),
    col("ismanaged", Kind::Bool, "Package Type"),
    CREATED,
    MODIFIED,
    VERSION,
];

impl Table {
    /// Every table, in a fixed order (the store indexes by it).
    pub const ALL: [Table; 6] = [
        Table::Account,
        Table::Contact,
        Table::Lead,
        Table::Opportunity,
        Table::SystemUser,
        Table::Solution,
    ];

    /// Position in [`Table::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The logical (entity) name, e.g. `opportunity`.
    pub fn logical_name(self) -> &'static str {
        match self {
            Table::Account => "account",
            Table::Contact => "contact",
            Table::Lead => "lead",
            Table::Opportunity => "opportunity",
            Table::SystemUser => "systemuser",
            Table::Solution => "solution",
        }
    }

    /// The entity set name used in URLs, e.g. `opportunities`.
    pub fn entity_set(self) -> &'static str {
        match self {
            Table::Account => "accounts",
            Table::Contact => "contacts",
            Table::Lead => "leads",
            Table::Opportunity => "opportunities",
            Table::SystemUser => "systemusers",
            Table::Solution => "solutions",
        }
    }

    /// The schema name shown in metadata.
    pub fn schema_name(self) -> &'static str {
        match self {
            Table::Account => "Account",
            Table::Contact => "Contact",
            Table::Lead => "Lead",
            Table::Opportunity => "Opportunity",
            Table::SystemUser => "SystemUser",
            Table::Solution => "Solution",
        }
    }

    /// The object type code (OTC) Dataverse uses in privilege errors.
    pub fn object_type_code(self) -> i64 {
        match self {
            Table::Account => 1,
            Table::Contact => 2,
            Table::Opportunity => 3,
            Table::Lead => 4,
            Table::SystemUser => 8,
            Table::Solution => 7100,
        }
    }

    /// The privilege needed to read the table.
    pub fn read_privilege(self) -> &'static str {
        match self {
            Table::Account => "prvReadAccount",
            Table::Contact => "prvReadContact",
            Table::Lead => "prvReadLead",
            Table::Opportunity => "prvReadOpportunity",
            Table::SystemUser => "prvReadUser",
            Table::Solution => "prvReadSolution",
        }
    }

    /// The primary key column.
    pub fn primary_key(self) -> &'static str {
        self.columns()[0].name
    }

    /// The primary name column (what a lookup's formatted value shows).
    pub fn primary_name(self) -> &'static str {
        match self {
            Table::Solution => "friendlyname",
            Table::Contact | Table::Lead | Table::SystemUser => "fullname",
            _ => "name",
        }
    }

    /// The table's columns; index 0 is always the primary key.
    pub fn columns(self) -> &'static [Column] {
        match self {
            Table::Account => ACCOUNT,
            Table::Contact => CONTACT,
            Table::Lead => LEAD,
            Table::Opportunity => OPPORTUNITY,
            Table::SystemUser => SYSTEMUSER,
            Table::Solution => SOLUTION,
        }
    }

    /// Position of a column by logical name.
    pub fn column_index(self, name: &str) -> Option<usize> {
        self.columns().iter().position(|c| c.name == name)
    }

    /// The lookup column behind a navigation property, with its target table.
    pub fn navigation(self, nav: &str) -> Option<(usize, Table)> {
        self.columns()
            .iter()
            .enumerate()
            .find_map(|(i, c)| match c.kind {
                Kind::Lookup(target) if c.nav.contains(&nav) => Some((i, target)),
                _ => None,
            })
    }

    /// The table with this entity set name.
    pub fn from_entity_set(set: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.entity_set() == set)
    }

    /// The table with this logical name.
    pub fn from_logical_name(name: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.logical_name() == name)
    }
}

/// A value and its label in an option set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OptionLabel {
    /// The stored integer.
    pub value: i64,
    /// The user-localized label.
    pub label: String,
}

impl OptionLabel {
    /// Shorthand constructor.
    pub fn new(value: i64, label: &str) -> Self {
        OptionLabel {
            value,
            label: label.to_string(),
        }
    }
}

/// The default opportunity sales stages (Dataverse's out-of-the-box `salesstage`).
pub fn default_sales_stages() -> Vec<OptionLabel> {
    vec![
        OptionLabel::new(0, "Qualify"),
        OptionLabel::new(1, "Develop"),
        OptionLabel::new(2, "Propose"),
        OptionLabel::new(3, "Close"),
    ]
}

/// The fixed labels of the choice columns other than `salesstage` (which is data, see
/// [`crate::CrmData::sales_stages`]).
pub fn static_options(table: Table, column: &str) -> Vec<OptionLabel> {
    let pairs: &[(i64, &str)] = match (table, column) {
        (Table::Opportunity, "statecode") => &[(0, "Open"), (1, "Won"), (2, "Lost")],
        (Table::Opportunity, "statuscode") => &[
            (1, "In Progress"),
            (2, "On Hold"),
            (3, "Won"),
            (4, "Canceled"),
            (5, "Out-Sold"),
        ],
        (Table::Opportunity, "opportunityratingcode") => &[(1, "Hot"), (2, "Warm"), (3, "Cold")],
        (Table::Lead, "statecode") => &[(0, "Open"), (1, "Qualified"), (2, "Disqualified")],
        (_, "statecode") => &[(0, "Active"), (1, "Inactive")],
        _ => &[],
    };
    pairs.iter().map(|(v, l)| OptionLabel::new(*v, l)).collect()
}
