//! Typed Dataverse calls and [`verify`], the check run when an admin connects
//! (SPEC C1–C4): token, identity, version ≥ 8.2, not a sandbox, the read
//! privileges sync needs, and the opportunity metadata the settings offer.

use serde::Deserialize;
use serde_json::Value;

use crate::client::Client;
use crate::error::CrmError;
use crate::version;

/// Privileges the Integration User needs for CRM → Navsync sync.
pub const REQUIRED_READ_PRIVILEGES: [&str; 5] = [
    "prvReadAccount",
    "prvReadContact",
    "prvReadLead",
    "prvReadOpportunity",
    "prvReadUser",
];

/// `WhoAmI` answer.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct WhoAmI {
    /// The calling (application) user.
    pub user_id: String,
    /// Its business unit.
    pub business_unit_id: String,
    /// The organization.
    pub organization_id: String,
}

/// The parts of `RetrieveCurrentOrganization`'s `Detail` the connector uses.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Organization {
    /// Organization id.
    pub organization_id: String,
    /// Display name.
    #[serde(default)]
    pub friendly_name: String,
    /// Version string, e.g. `9.2.25112.171`.
    #[serde(default)]
    pub organization_version: String,
    /// URL name.
    #[serde(default)]
    pub url_name: String,
    /// `Customer` for production, `CustomerTest` for a sandbox.
    #[serde(default)]
    pub organization_type: String,
}

/// One option of an option set (e.g. a sales stage).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionChoice {
    /// The option's value, compared numerically ("at or past").
    pub value: i32,
    /// Its label in the user's language.
    pub label: String,
}

/// One column choice (e.g. a money field of the opportunity).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldChoice {
    /// Logical name, e.g. `actualvalue`.
    pub logical_name: String,
    /// Display name.
    pub label: String,
}

/// A CRM user (`systemusers`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct SystemUser {
    /// `systemuserid`.
    pub systemuserid: String,
    /// Full name.
    #[serde(default)]
    pub fullname: Option<String>,
    /// Primary email, used to match seat holders.
    #[serde(default)]
    pub internalemailaddress: Option<String>,
    /// Entra object id, for impersonation.
    #[serde(default)]
    pub azureactivedirectoryobjectid: Option<String>,
    /// Disabled users cannot own records.
    #[serde(default)]
    pub isdisabled: bool,
}

/// What a successful connection check found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedConnection {
    /// The Integration User.
    pub who: WhoAmI,
    /// The organization.
    pub organization: Organization,
    /// `RetrieveVersion`.
    pub version: String,
    /// The opportunity sales stages, by value.
    pub sales_stages: Vec<OptionChoice>,
    /// The opportunity money fields.
    pub money_fields: Vec<FieldChoice>,
    /// Whether the Integration User may act on behalf of other users.
    pub can_impersonate: bool,
}

fn shape_error(what: &str, e: impl std::fmt::Display) -> CrmError {
    CrmError::Api {
        status: 200,
        code: "unexpected_shape".into(),
        message: format!("{what}: {e}"),
    }
}

impl Client {
    /// `GET WhoAmI`.
    pub async fn who_am_i(&self) -> Result<WhoAmI, CrmError> {
        let body = self.get("WhoAmI").await?;
        serde_json::from_value(body).map_err(|e| shape_error("WhoAmI", e))
    }

    /// `GET RetrieveVersion` → the version string.
    pub async fn retrieve_version(&self) -> Result<String, CrmError> {
        let body = self.get("RetrieveVersion").await?;
        body.get("Version")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| shape_error("RetrieveVersion", "no Version"))
    }

    /// `GET RetrieveCurrentOrganization(AccessType=…'Default')` → `Detail`.
    pub async fn current_organization(&self) -> Result<Organization, CrmError> {
        let body = self
            .get("RetrieveCurrentOrganization(AccessType=Microsoft.Dynamics.CRM.EndpointAccessType'Default')")
            .await?;
        let detail = body
            .get("Detail")
            .cloned()
            .ok_or_else(|| shape_error("RetrieveCurrentOrganization", "no Detail"))?;
        serde_json::from_value(detail).map_err(|e| shape_error("RetrieveCurrentOrganization", e))
    }

    /// `GET systemusers(<id>)/Microsoft.Dynamics.CRM.RetrieveUserPrivileges`
    /// → the privilege names.
    pub async fn user_privileges(&self, user_id: &str) -> Result<Vec<String>, CrmError> {
        let body = self
            .get(&format!(
                "systemusers({user_id})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges"
            ))
            .await?;
        let list = body
            .get("RolePrivileges")
            .and_then(Value::as_array)
            .ok_or_else(|| shape_error("RetrieveUserPrivileges", "no RolePrivileges"))?;
        Ok(list
            .iter()
            .filter_map(|p| p.get("PrivilegeName").and_then(Value::as_str))
            .map(str::to_string)
            .collect())
    }

    /// The unique name and version of the first installed companion solution.
    pub async fn companion_solution(&self) -> Result<Option<(String, String)>, CrmError> {
        let filter = crate::COMPANION_SOLUTIONS
            .iter()
            .map(|name| format!("uniquename eq '{name}'"))
            .collect::<Vec<_>>()
            .join(" or ");
        let rows = self
            .get_all(&format!(
                "solutions?$select=uniquename,version&$filter={filter}"
            ))
            .await?;
        Ok(rows.first().map(|row| {
            let text = |k: &str| row.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            (text("uniquename"), text("version"))
        }))
    }

    /// The opportunity's `salesstage` options, ordered by value.
    pub async fn sales_stages(&self) -> Result<Vec<OptionChoice>, CrmError> {
        let body = self
            .get("EntityDefinitions(LogicalName='opportunity')/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options)")
            .await?;
        let mut stages = parse_picklist(&body, "salesstage")
            .ok_or_else(|| CrmError::MissingObjects("opportunity.salesstage metadata".into()))?;
        stages.sort_by_key(|o| o.value);
        Ok(stages)
    }

    /// The opportunity's money columns (without the `_base` currency twins).
    pub async fn money_fields(&self) -> Result<Vec<FieldChoice>, CrmError> {
        let body = self
            .get("EntityDefinitions(LogicalName='opportunity')/Attributes/Microsoft.Dynamics.CRM.MoneyAttributeMetadata?$select=LogicalName,DisplayName")
            .await?;
        let mut fields = parse_money_fields(&body);
        fields.sort_by(|a, b| a.label.cmp(&b.label));
        Ok(fields)
    }

    /// Every enabled CRM user.
    pub async fn enabled_users(&self) -> Result<Vec<SystemUser>, CrmError> {
        let rows = self
            .get_all("systemusers?$select=systemuserid,fullname,internalemailaddress,azureactivedirectoryobjectid,isdisabled&$filter=isdisabled eq false")
            .await?;
        rows.into_iter()
            .map(|row| serde_json::from_value(row).map_err(|e| shape_error("systemusers", e)))
            .collect()
    }
}

/// Label of a metadata `Label` object: the user's localized label, else the first.
fn label_of(label: &Value) -> Option<String> {
    label
        .pointer("/UserLocalizedLabel/Label")
        .and_then(Value::as_str)
        .or_else(|| {
            label
                .pointer("/LocalizedLabels/0/Label")
                .and_then(Value::as_str)
        })
        .map(str::to_string)
}

/// Options of the picklist attribute `logical_name` in a
/// `PicklistAttributeMetadata` collection answer.
pub fn parse_picklist(body: &Value, logical_name: &str) -> Option<Vec<OptionChoice>> {
    let attribute = body
        .get("value")?
        .as_array()?
        .iter()
        .find(|a| a.get("LogicalName").and_then(Value::as_str) == Some(logical_name))?;
    let options = attribute.pointer("/OptionSet/Options")?.as_array()?;
    Some(
        options
            .iter()
            .filter_map(|o| {
                let value = i32::try_from(o.get("Value")?.as_i64()?).ok()?;
                let label = o
                    .get("Label")
                    .and_then(label_of)
                    .unwrap_or_else(|| value.to_string());
                Some(OptionChoice { value, label })
            })
            .collect(),
    )
}

/// Money columns in a `MoneyAttributeMetadata` collection answer.
pub fn parse_money_fields(body: &Value) -> Vec<FieldChoice> {
    body.get("value")
        .and_then(Value::as_array)
        .map(|attributes| {
            attributes
                .iter()
                .filter_map(|a| {
                    let logical_name = a.get("LogicalName")?.as_str()?.to_string();
                    if logical_name.ends_with("_base") {
                        return None;
                    }
                    let label = a
                        .get("DisplayName")
                        .and_then(label_of)
                        .unwrap_or_else(|| logical_name.clone());
                    Some(FieldChoice {
                        logical_name,
                        label,
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The connection check run when an admin connects or updates credentials.
pub async fn verify(client: &Client) -> Result<VerifiedConnection, CrmError> {
    let who = client.who_am_i().await?;
    let version = client.retrieve_version().await?;
    if !version::is_supported(&version) {
        return Err(CrmError::VersionTooOld(version));
    }
    let organization = client.current_organization().await?;
    if organization
        .organization_type
        .eq_ignore_ascii_case("CustomerTest")
    {
        return Err(CrmError::Sandbox);
    }
    let privileges = client.user_privileges(&who.user_id).await?;
    if let Some(missing) = REQUIRED_READ_PRIVILEGES
        .iter()
        .find(|p| !privileges.iter().any(|have| have == *p))
    {
        return Err(CrmError::AccessDenied {
            missing_privilege: Some((*missing).to_string()),
            detail: format!("the Integration User's roles lack {missing}"),
        });
    }
    let sales_stages = client.sales_stages().await?;
    if sales_stages.is_empty() {
        return Err(CrmError::MissingObjects("opportunity sales stages".into()));
    }
    let money_fields = client.money_fields().await?;
    let can_impersonate = privileges
        .iter()
        .any(|p| p == "prvActOnBehalfOfAnotherUser");
    Ok(VerifiedConnection {
        who,
        organization,
        version,
        sales_stages,
        money_fields,
        can_impersonate,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn picklist_labels_come_from_metadata() {
        let body = json!({"value": [
            {"LogicalName": "other", "OptionSet": {"Options": []}},
            {"LogicalName": "salesstage", "OptionSet": {"Options": [
                {"Value": 0, "Label": {"UserLocalizedLabel": {"Label": "Qualify"}}},
                {"Value": 2, "Label": {"LocalizedLabels": [{"Label": "Propose"}]}},
                {"Value": 1, "Label": {}}
            ]}}
        ]});
        let options = parse_picklist(&body, "salesstage").unwrap();
        assert_eq!(
            options[0],
            OptionChoice {
                value: 0,
                label: "Qualify".into()
            }
        );
        assert_eq!(options[1].label, "Propose");
        assert_eq!(options[2].label, "1");
        assert!(parse_picklist(&body, "missing").is_none());
    }

    #[test]
    fn money_fields_skip_base_currency_twins() {
        let body = json!({"value": [
            {"LogicalName": "actualvalue", "DisplayName": {"UserLocalizedLabel": {"Label": "Actual Revenue"}}},
            {"LogicalName": "actualvalue_base", "DisplayName": {"UserLocalizedLabel": {"Label": "Actual Revenue (Base)"}}},
            {"LogicalName": "new_wonvalue"}
        ]});
        let fields = parse_money_fields(&body);
        assert_eq!(fields.len(), 2);
        assert_eq!(fields[0].label, "Actual Revenue");
        assert_eq!(fields[1].label, "new_wonvalue");
    }
}
