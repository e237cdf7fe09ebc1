//! The CRM Settings page's rules: which sections show for a connection state,
//! the settings form ⇄ [`CrmSettings`] conversion, the connect and credentials
//! requests built from form inputs, and reading the server's timestamps.

use chrono::{DateTime, Local, NaiveDateTime};
use navsync_api::crm::{
    ConnectCrm, ConnectOutcome, ConnectionState, CrmErrorKind, CrmProblem, CrmSettings,
    MoneyFieldChoice, StageChoice, UpdateCrmCredentials,
};

/// Which parts of the CRM Settings page show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CrmSections {
    /// C1 "Prerequisites".
    pub prerequisites: bool,
    /// C2 the "Connect to CRM" form.
    pub connect: bool,
    /// C3 the status block.
    pub status: bool,
    /// The lasting problem, inside the status block (warning state).
    pub problem: bool,
    /// S1–S3.
    pub settings: bool,
    /// "Update credentials".
    pub credentials: bool,
    /// C5 "Disconnect CRM Sync".
    pub disconnect: bool,
}

/// The sections for a connection state: the prerequisites and connect form
/// while nothing is connected; status, settings, credentials and disconnect
/// once connected (plus the problem in the warning state).
pub fn sections(state: ConnectionState) -> CrmSections {
    match state {
        ConnectionState::NotConnected => CrmSections {
            prerequisites: true,
            connect: true,
            ..CrmSections::default()
        },
        ConnectionState::Connected | ConnectionState::Warning => CrmSections {
            status: true,
            problem: state == ConnectionState::Warning,
            settings: true,
            credentials: true,
            disconnect: true,
            ..CrmSections::default()
        },
    }
}

/// The settings form's values as the inputs hold them: "" is "Not Sure".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingsForm {
    /// S1: the Yes radio is checked.
    pub auto_sync_all: bool,
    /// S2: the selected option value (a sales stage's value, or "").
    pub pipeline_stage: String,
    /// S3: the selected money field's logical name, or "".
    pub won_value_field: String,
}

impl From<&CrmSettings> for SettingsForm {
    fn from(settings: &CrmSettings) -> Self {
        Self {
            auto_sync_all: settings.auto_sync_all,
            pipeline_stage: settings
                .pipeline_stage
                .map(|stage| stage.to_string())
                .unwrap_or_default(),
            won_value_field: settings.won_value_field.clone().unwrap_or_default(),
        }
    }
}

impl SettingsForm {
    /// The settings to send. "" (and anything that is not a stage value,
    /// which the select cannot produce) is `None`, "Not Sure".
    pub fn to_settings(&self) -> CrmSettings {
        let stage = self.pipeline_stage.trim();
        let field = self.won_value_field.trim();
        CrmSettings {
            auto_sync_all: self.auto_sync_all,
            pipeline_stage: stage.parse().ok(),
            won_value_field: (!field.is_empty()).then(|| field.to_owned()),
        }
    }
}

/// S2's options as (value, label), in the CRM's order.
pub fn stage_options(choices: &[StageChoice]) -> Vec<(String, String)> {
    choices
        .iter()
        .map(|c| (c.value.to_string(), c.label.clone()))
        .collect()
}

/// S3's options as (value, label), in the CRM's order.
pub fn money_field_options(choices: &[MoneyFieldChoice]) -> Vec<(String, String)> {
    choices
        .iter()
        .map(|c| (c.logical_name.clone(), c.label.clone()))
        .collect()
}

/// The connect request from the form's inputs. Surrounding spaces are
/// trimmed from everything but the secret, which is sent as typed.
pub fn connect_request(
    environment_url: &str,
    tenant: &str,
    client_id: &str,
    client_secret: &str,
) -> ConnectCrm {
    ConnectCrm {
        environment_url: environment_url.trim().to_owned(),
        tenant: tenant.trim().to_owned(),
        client_id: client_id.trim().to_owned(),
        client_secret: client_secret.to_owned(),
    }
}

/// The update-credentials request from the form's inputs (trimmed like
/// [`connect_request`]).
pub fn credentials_request(
    tenant: &str,
    client_id: &str,
    client_secret: &str,
) -> UpdateCrmCredentials {
    UpdateCrmCredentials {
        tenant: tenant.trim().to_owned(),
        client_id: client_id.trim().to_owned(),
        client_secret: client_secret.to_owned(),
    }
}

/// The problem to show for a connect or update-credentials answer: `None`
/// when it succeeded. A refusal without a problem (which the server does not
/// send) reads as "could not connect" rather than as nothing.
pub fn outcome_problem(outcome: &ConnectOutcome) -> Option<CrmProblem> {
    (!outcome.connected).then(|| {
        outcome
            .problem
            .clone()
            .unwrap_or_else(|| CrmProblem::of(CrmErrorKind::CouldNotConnect, None))
    })
}

/// An RFC 3339 timestamp from the server as the viewer's local date and time.
pub fn local_time(rfc3339: &str) -> Option<NaiveDateTime> {
    DateTime::parse_from_rfc3339(rfc3339.trim())
        .ok()
        .map(|at| at.with_timezone(&Local).naive_local())
}

#[cfg(test)]
mod tests {
    use super::*;
    use navsync_api::crm::CrmStatus;

    fn status(connected: bool) -> CrmStatus {
        CrmStatus {
            state: if connected {
                ConnectionState::Connected
            } else {
                ConnectionState::NotConnected
            },
            connection: None,
            problem: None,
            settings: CrmSettings::default(),
            stage_choices: Vec::new(),
            money_field_choices: Vec::new(),
        }
    }

    #[test]
    fn not_connected_shows_prerequisites_and_the_connect_form_only() {
        let s = sections(ConnectionState::NotConnected);
        assert!(s.prerequisites && s.connect);
        assert!(!s.status && !s.problem && !s.settings && !s.credentials && !s.disconnect);
    }

    #[test]
    fn connected_shows_status_settings_credentials_and_disconnect() {
        let s = sections(ConnectionState::Connected);
        assert!(s.status && s.settings && s.credentials && s.disconnect);
        assert!(!s.prerequisites && !s.connect && !s.problem);
    }

    #[test]
    fn warning_adds_the_problem() {
        let s = sections(ConnectionState::Warning);
        assert_eq!(
            s,
            CrmSections {
                problem: true,
                ..sections(ConnectionState::Connected)
            }
        );
    }

    #[test]
    fn not_sure_is_the_empty_value_both_ways() {
        let settings = CrmSettings {
            auto_sync_all: false,
            pipeline_stage: None,
            won_value_field: None,
        };
        let form = SettingsForm::from(&settings);
        assert_eq!(form.pipeline_stage, "");
        assert_eq!(form.won_value_field, "");
        assert!(!form.auto_sync_all);
        assert_eq!(form.to_settings(), settings);
    }

    #[test]
    fn chosen_values_round_trip() {
        let settings = CrmSettings {
            auto_sync_all: true,
            pipeline_stage: Some(100_000_002),
            won_value_field: Some("actualvalue".into()),
        };
        let form = SettingsForm::from(&settings);
        assert_eq!(form.pipeline_stage, "100000002");
        assert_eq!(form.won_value_field, "actualvalue");
        assert_eq!(form.to_settings(), settings);
    }

    #[test]
    fn stage_values_parse_leniently() {
        let form = SettingsForm {
            auto_sync_all: true,
            pipeline_stage: " -3 ".into(),
            won_value_field: "  ".into(),
        };
        assert_eq!(form.to_settings().pipeline_stage, Some(-3));
        assert_eq!(form.to_settings().won_value_field, None);
        let odd = SettingsForm {
            pipeline_stage: "qualify".into(),
            ..form
        };
        assert_eq!(odd.to_settings().pipeline_stage, None);
    }

    #[test]
    fn options_keep_the_crm_order() {
        let stages = [
            StageChoice {
                value: 2,
                label: "Develop".into(),
            },
            StageChoice {
                value: 1,
                label: "Qualify".into(),
            },
        ];
        assert_eq!(
            stage_options(&stages),
            [
                ("2".to_owned(), "Develop".to_owned()),
                ("1".to_owned(), "Qualify".to_owned())
            ]
        );
        let fields = [MoneyFieldChoice {
            logical_name: "actualvalue".into(),
            label: "Actual Revenue".into(),
        }];
        assert_eq!(
            money_field_options(&fields),
            [("actualvalue".to_owned(), "Actual Revenue".to_owned())]
        );
    }

    #[test]
    fn requests_trim_everything_but_the_secret() {
        let form = connect_request(
            " https://contoso.crm4.dynamics.com ",
            " contoso.onmicrosoft.com",
            "11111111-2222-4333-8444-555555555555 ",
            " s3cret ",
        );
        assert_eq!(form.environment_url, "https://contoso.crm4.dynamics.com");
        assert_eq!(form.tenant, "contoso.onmicrosoft.com");
        assert_eq!(form.client_id, "11111111-2222-4333-8444-555555555555");
        assert_eq!(form.client_secret, " s3cret ");
        assert_eq!(form.validate(), Ok(()));
        let update = credentials_request(" t ", " c ", " s ");
        assert_eq!(
            (update.tenant.as_str(), update.client_id.as_str()),
            ("t", "c")
        );
        assert_eq!(update.client_secret, " s ");
    }

    #[test]
    fn refusals_always_carry_a_problem() {
        let privilege = CrmProblem::of(
            CrmErrorKind::InsufficientPrivileges,
            Some("prvReadOpportunity".into()),
        );
        let refused = ConnectOutcome {
            connected: false,
            problem: Some(privilege.clone()),
            status: status(false),
        };
        assert_eq!(outcome_problem(&refused), Some(privilege));
        let bare = ConnectOutcome {
            problem: None,
            ..refused
        };
        assert_eq!(
            outcome_problem(&bare).map(|p| p.kind),
            Some(CrmErrorKind::CouldNotConnect)
        );
        let ok = ConnectOutcome {
            connected: true,
            problem: None,
            status: status(true),
        };
        assert_eq!(outcome_problem(&ok), None);
    }

    #[test]
    fn timestamps_become_local_time() {
        let at = local_time("2025-03-05T14:03:00Z");
        let expected = DateTime::parse_from_rfc3339("2025-03-05T14:03:00+00:00")
            .map(|t| t.with_timezone(&Local).naive_local())
            .ok();
        assert!(at.is_some());
        assert_eq!(at, expected);
        assert_eq!(local_time("yesterday"), None);
    }
}
