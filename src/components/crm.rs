//! The CRM Settings page's parts (SPEC C1–C5, S1–S3, S5), one component per file,
//! and the types of the page's write actions they share.

pub mod connect_form;
pub mod credentials_form;
pub mod disconnect;
pub mod disconnect_dialog;
pub mod prerequisites;
pub mod problem_alert;
pub mod settings_form;
pub mod status_panel;
pub mod sync_chart;
pub mod sync_history;
pub mod sync_panel;
pub mod writeback_form;

pub use connect_form::CrmConnectForm;
pub use credentials_form::CrmCredentialsForm;
pub use disconnect::CrmDisconnect;
pub use disconnect_dialog::CrmDisconnectDialog;
pub use prerequisites::CrmPrerequisites;
pub use problem_alert::CrmProblemAlert;
pub use settings_form::CrmSettingsForm;
pub use status_panel::CrmStatusPanel;
pub use sync_chart::CrmSyncChart;
pub use sync_history::CrmSyncHistory;
pub use sync_panel::CrmSyncPanel;
pub use writeback_form::CrmWriteback;

use leptos::prelude::Action;
use navsync_api::crm::{
    ConnectCrm, ConnectOutcome, CrmSettings, CrmStatus, DisconnectCrm, UpdateCrmCredentials,
};

use crate::api::ApiError;

/// `POST /api/admin/crm/connection`, owned by the page so its status refetches.
pub type ConnectAction = Action<ConnectCrm, Result<ConnectOutcome, ApiError>>;
/// `PUT /api/admin/crm/credentials`.
pub type CredentialsAction = Action<UpdateCrmCredentials, Result<ConnectOutcome, ApiError>>;
/// `PUT /api/admin/crm/settings`.
pub type SettingsAction = Action<CrmSettings, Result<CrmStatus, ApiError>>;
/// `POST /api/admin/crm/disconnect`.
pub type DisconnectAction = Action<DisconnectCrm, Result<CrmStatus, ApiError>>;
