//! The unbound and bound functions the connector calls at connect time: `WhoAmI`,
//! `RetrieveVersion`, `RetrieveCurrentOrganization` and `RetrieveUserPrivileges`.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};
use uuid::Uuid;

use super::error::ApiError;
use super::{Ctx, odata_json};
use crate::control::ON_PREMISES_VERSION;
use crate::store::schema::Table;

/// `GET WhoAmI`.
pub fn who_am_i(ctx: &Ctx) -> Response {
    let data = ctx.standin.data();
    let body = json!({
        "@odata.context": format!("{}Microsoft.Dynamics.CRM.WhoAmIResponse", ctx.metadata()),
        "BusinessUnitId": data.business_unit_id.to_string(),
        "UserId": ctx.user.to_string(),
        "OrganizationId": data.organization.organization_id.to_string(),
    });
    odata_json(StatusCode::OK, &body, &[])
}

/// The version to report, after the `version` and `on_premises` faults.
fn version(ctx: &Ctx) -> String {
    let faults = ctx.standin.faults();
    match (faults.version, faults.on_premises) {
        (Some(v), _) => v,
        (None, true) => ON_PREMISES_VERSION.to_string(),
        (None, false) => ctx.standin.data().organization.version.clone(),
    }
}

/// `GET RetrieveVersion`.
pub fn retrieve_version(ctx: &Ctx) -> Response {
    let body = json!({
        "@odata.context": format!("{}Microsoft.Dynamics.CRM.RetrieveVersionResponse", ctx.metadata()),
        "Version": version(ctx),
    });
    odata_json(StatusCode::OK, &body, &[])
}

/// `GET RetrieveCurrentOrganization(AccessType=Microsoft.Dynamics.CRM.EndpointAccessType'Default')`.
pub fn retrieve_current_organization(ctx: &Ctx, args: &str) -> Result<Response, ApiError> {
    let access = args
        .strip_prefix("AccessType=")
        .map(|a| a.trim_start_matches("Microsoft.Dynamics.CRM.EndpointAccessType"))
        .map(|a| a.trim_matches('\''));
    match access {
        Some("Default" | "Internet" | "Intranet") => {}
        _ => {
            return Err(ApiError::query(
                "The parameter 'AccessType' of function 'RetrieveCurrentOrganization' is missing or not a valid Microsoft.Dynamics.CRM.EndpointAccessType.",
            ));
        }
    }
    let faults = ctx.standin.faults();
    let version = version(ctx);
    let data = ctx.standin.data();
    let org = &data.organization;
    let base = &ctx.base;
    let organization_type = if faults.sandbox {
        "CustomerTest"
    } else {
        org.organization_type.as_str()
    };
    // On-premises deployments have no environment, tenant, geo or datacenter.
    let (environment, tenant, geo, datacenter) = if faults.on_premises {
        (String::new(), String::new(), String::new(), Uuid::nil())
    } else {
        (
            org.environment_id.to_string(),
            org.tenant_id.to_string(),
            org.geo.clone(),
            org.datacenter_id,
        )
    };
    let body = json!({
        "@odata.context": format!("{}Microsoft.Dynamics.CRM.RetrieveCurrentOrganizationResponse", ctx.metadata()),
        "Detail": {
            "OrganizationId": org.organization_id.to_string(),
            "FriendlyName": org.friendly_name,
            "OrganizationVersion": version,
            "EnvironmentId": environment,
            "DatacenterId": datacenter.to_string(),
            "Geo": geo,
            "TenantId": tenant,
            "UrlName": org.url_name,
            "UniqueName": org.unique_name,
            "Endpoints": {
                "Count": 3,
                "IsReadOnly": false,
                "Keys": ["WebApplication", "OrganizationService", "OrganizationDataService"],
                "Values": [
                    format!("{base}/"),
                    format!("{base}/XRMServices/2011/Organization.svc"),
                    format!("{base}/XRMServices/2011/OrganizationData.svc"),
                ],
            },
            "State": "Enabled",
            "SchemaType": "Full",
            "OrganizationType": organization_type,
        }
    });
    Ok(odata_json(StatusCode::OK, &body, &[]))
}

/// `GET systemusers(<id>)/Microsoft.Dynamics.CRM.RetrieveUserPrivileges`.
pub fn retrieve_user_privileges(ctx: &Ctx, key: &str) -> Result<Response, ApiError> {
    let id = Uuid::parse_str(key.trim_start_matches("systemuserid=")).map_err(|_| {
        ApiError::query(format!(
            "Bad Request - Error in query syntax: '{key}' is not a valid key."
        ))
    })?;
    let missing = ctx.standin.faults().missing_privileges;
    let data = ctx.standin.data();
    if !data.rows(Table::SystemUser).contains_key(&id) {
        return Err(ApiError::row_not_found(Table::SystemUser, id));
    }
    let privileges: Vec<Value> = data
        .privileges
        .iter()
        .filter(|p| !missing.contains(&p.name))
        .map(|p| {
            json!({
                "Depth": p.depth,
                "PrivilegeId": p.id.to_string(),
                "BusinessUnitId": data.business_unit_id.to_string(),
                "PrivilegeName": p.name,
            })
        })
        .collect();
    let body = json!({
        "@odata.context": format!("{}Microsoft.Dynamics.CRM.RetrieveUserPrivilegesResponse", ctx.metadata()),
        "RolePrivileges": privileges,
    });
    Ok(odata_json(StatusCode::OK, &body, &[]))
}
