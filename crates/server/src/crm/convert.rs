//! Translations between the connector's types and the wire types: error kinds
//! (one to one), the problem shown to people, the choices read from the CRM,
//! and the settings fitted to new choices.

use navsync_api::crm::{self, CrmProblem, CrmSettings, MoneyFieldChoice, StageChoice};
use navsync_dataverse::{CrmError, CrmErrorKind, VerifiedConnection};

use crate::store::VerifiedDetails;

/// The wire kind of a connector error kind.
pub fn api_kind(kind: CrmErrorKind) -> crm::CrmErrorKind {
    match kind {
        CrmErrorKind::CouldNotConnect => crm::CrmErrorKind::CouldNotConnect,
        CrmErrorKind::ApiError => crm::CrmErrorKind::ApiError,
        CrmErrorKind::InsufficientPrivileges => crm::CrmErrorKind::InsufficientPrivileges,
        CrmErrorKind::MissingObjects => crm::CrmErrorKind::MissingObjects,
        CrmErrorKind::InvalidUrl => crm::CrmErrorKind::InvalidUrl,
        CrmErrorKind::NotHttps => crm::CrmErrorKind::NotHttps,
        CrmErrorKind::OnPremises => crm::CrmErrorKind::OnPremises,
        CrmErrorKind::VersionTooOld => crm::CrmErrorKind::VersionTooOld,
        CrmErrorKind::Sandbox => crm::CrmErrorKind::Sandbox,
    }
}

/// The problem people see for a connector error.
pub fn problem_of(err: &CrmError) -> CrmProblem {
    CrmProblem::of(
        api_kind(err.kind()),
        err.missing_privilege().map(str::to_owned),
    )
}

/// What a successful check found, in the form it is stored.
pub fn details_of(verified: &VerifiedConnection) -> VerifiedDetails {
    let organization = &verified.organization;
    let organization_name = [&organization.friendly_name, &organization.url_name]
        .into_iter()
        .find(|name| !name.trim().is_empty())
        .cloned()
        .unwrap_or_default();
    VerifiedDetails {
        organization_name,
        version: verified.version.clone(),
        crm_user_id: verified.who.user_id.clone(),
        can_impersonate: verified.can_impersonate,
        stage_choices: verified
            .sales_stages
            .iter()
            .map(|stage| StageChoice {
                value: stage.value,
                label: stage.label.clone(),
            })
            .collect(),
        money_field_choices: verified
            .money_fields
            .iter()
            .map(|field| MoneyFieldChoice {
                logical_name: field.logical_name.clone(),
                label: field.label.clone(),
            })
            .collect(),
    }
}

/// The settings with the stage and won-value field reset to "Not Sure" when
/// the (new) choices no longer offer them.
pub fn fit_settings(settings: CrmSettings, details: &VerifiedDetails) -> CrmSettings {
    let pipeline_stage = settings
        .pipeline_stage
        .filter(|stage| details.stage_choices.iter().any(|c| c.value == *stage));
    let won_value_field = settings.won_value_field.filter(|field| {
        details
            .money_field_choices
            .iter()
            .any(|c| &c.logical_name == field)
    });
    CrmSettings {
        auto_sync_all: settings.auto_sync_all,
        pipeline_stage,
        won_value_field,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_maps_to_its_namesake() {
        let kinds = [
            CrmErrorKind::CouldNotConnect,
            CrmErrorKind::ApiError,
            CrmErrorKind::InsufficientPrivileges,
            CrmErrorKind::MissingObjects,
            CrmErrorKind::InvalidUrl,
            CrmErrorKind::NotHttps,
            CrmErrorKind::OnPremises,
            CrmErrorKind::VersionTooOld,
            CrmErrorKind::Sandbox,
        ];
        for kind in kinds {
            assert_eq!(format!("{kind:?}"), format!("{:?}", api_kind(kind)));
        }
    }

    #[test]
    fn a_missing_privilege_is_named_in_the_problem() {
        let err = CrmError::AccessDenied {
            missing_privilege: Some("prvReadLead".into()),
            detail: "403".into(),
        };
        let problem = problem_of(&err);
        assert_eq!(problem.kind, crm::CrmErrorKind::InsufficientPrivileges);
        assert_eq!(problem.missing_privilege.as_deref(), Some("prvReadLead"));
        assert_eq!(
            problem.message,
            crm::CrmErrorKind::InsufficientPrivileges.message()
        );
    }

    #[test]
    fn settings_keep_only_offered_choices() {
        let details = VerifiedDetails {
            organization_name: "o".into(),
            version: "9.2".into(),
            crm_user_id: "u".into(),
            can_impersonate: false,
            stage_choices: vec![StageChoice {
                value: 1,
                label: "Develop".into(),
            }],
            money_field_choices: vec![MoneyFieldChoice {
                logical_name: "actualvalue".into(),
                label: "Actual Revenue".into(),
            }],
        };
        let kept = CrmSettings {
            auto_sync_all: false,
            pipeline_stage: Some(1),
            won_value_field: Some("actualvalue".into()),
        };
        assert_eq!(fit_settings(kept.clone(), &details), kept);
        let gone = CrmSettings {
            auto_sync_all: false,
            pipeline_stage: Some(7),
            won_value_field: Some("new_gone".into()),
        };
        assert_eq!(
            fit_settings(gone, &details),
            CrmSettings {
                auto_sync_all: false,
                pipeline_stage: None,
                won_value_field: None
            }
        );
    }
}
