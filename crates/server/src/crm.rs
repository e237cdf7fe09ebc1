//! Connecting Dynamics 365 (SPEC C1–C5) and the CRM settings (S1–S3): the
//! service behind the admin's CRM routes.
//!
//! Connecting and replacing credentials first verify against the CRM
//! ([`navsync_dataverse::calls::verify`]); only a verified connection is
//! saved, its client secret sealed with [`crate::secrets`]. A failed attempt
//! saves nothing and answers 200 with the problem, because "the CRM refused"
//! is an expected outcome the page shows, not a failed request. Failures are
//! logged with the connector error's `Display`, which never holds the secret.
//!
//! # Layout
//! - this file: status, connect, credentials, settings, disconnect.
//! - [`convert`]: connector ↔ wire types (error kinds one to one, choices).

pub mod convert;

use chrono::{DateTime, SecondsFormat};
use navsync_api::crm::{
    ConnectCrm, ConnectOutcome, ConnectionState, CrmConnection, CrmProblem, CrmSettings, CrmStatus,
    DisconnectCrm, DisconnectPreview, UpdateCrmCredentials,
};
use navsync_api::{FieldError, OrganizationId};
use navsync_dataverse::{
    Client, ClientConfig, CrmError, EnvironmentUrl, Secret, VerifiedConnection, calls,
};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::store::{Audit, CrmCredentials, StoreError, VerifiedDetails};
use convert::{details_of, fit_settings, problem_of};

const ALREADY_CONNECTED: &str =
    "A CRM is already connected. Disconnect it first, or update its credentials.";
const NOT_CONNECTED: &str = "No CRM is connected. Connect one first.";

/// Everything the CRM Settings page shows.
pub async fn status(
    state: &AppState,
    organization: &OrganizationId,
) -> Result<CrmStatus, AppError> {
    let settings = state.store.crm_settings(organization).await?;
    let Some(record) = state.store.find_crm_connection(organization).await? else {
        return Ok(CrmStatus {
            state: ConnectionState::NotConnected,
            connection: None,
            problem: None,
            settings,
            stage_choices: Vec::new(),
            money_field_choices: Vec::new(),
        });
    };
    let problem = record
        .problem
        .map(|p| CrmProblem::of(p.kind, p.missing_privilege));
    Ok(CrmStatus {
        state: if problem.is_some() {
            ConnectionState::Warning
        } else {
            ConnectionState::Connected
        },
        connection: Some(CrmConnection {
            environment_url: record.environment_url,
            tenant: record.credentials.tenant,
            client_id: record.credentials.client_id,
            organization_name: record.details.organization_name,
            version: record.details.version,
            connected_at: rfc3339(record.connected_at),
            connected_by: record.connected_by_name.unwrap_or_default(),
            credentials_updated_at: record.credentials_updated_at.map(rfc3339),
            last_sync_at: record.last_sync_at.map(rfc3339),
            can_impersonate: record.details.can_impersonate,
        }),
        problem,
        settings,
        stage_choices: record.details.stage_choices,
        money_field_choices: record.details.money_field_choices,
    })
}

/// Verifies and saves a new connection (C2); 409 when one exists.
pub async fn connect(
    state: &AppState,
    user: &CurrentUser,
    form: ConnectCrm,
) -> Result<ConnectOutcome, AppError> {
    form.validate().map_err(AppError::Validation)?;
    let organization = &user.organization_id;
    if state
        .store
        .find_crm_connection(organization)
        .await?
        .is_some()
    {
        return Err(AppError::Conflict(ALREADY_CONNECTED.into()));
    }
    let attempt = Attempt {
        environment_url: &form.environment_url,
        tenant: &form.tenant,
        client_id: &form.client_id,
        client_secret: &form.client_secret,
        what: "connect",
    };
    let Checked {
        environment,
        details,
        settings,
        credentials,
    } = match check_credentials(state, organization, attempt).await? {
        Ok(checked) => checked,
        Err(refused) => return Ok(refused),
    };
    let audit = Audit {
        person: &user.person_id,
        action: "crm.connect",
        detail: format!(
            "connected {} (tenant {}, client {})",
            environment.as_str(),
            credentials.tenant,
            credentials.client_id
        ),
    };
    match state
        .store
        .insert_crm_connection(
            organization,
            environment.as_str(),
            &credentials,
            &details,
            &settings,
            &audit,
        )
        .await
    {
        Ok(()) => {}
        Err(StoreError::CrmAlreadyConnected) => {
            return Err(AppError::Conflict(ALREADY_CONNECTED.into()));
        }
        Err(err) => return Err(err.into()),
    }
    tracing::info!(organization = %organization, environment = environment.as_str(), "CRM connected");
    // Seat Management matches seats to the CRM's users; read them now.
    crate::seats::after_connect(state, organization).await;
    Ok(ConnectOutcome {
        connected: true,
        problem: None,
        status: status(state, organization).await?,
    })
}

/// Verifies new credentials against the connected environment and, only
/// then, replaces the stored ones (and refreshes the choices); 409 when not
/// connected.
pub async fn update_credentials(
    state: &AppState,
    user: &CurrentUser,
    form: UpdateCrmCredentials,
) -> Result<ConnectOutcome, AppError> {
    form.validate().map_err(AppError::Validation)?;
    let organization = &user.organization_id;
    let record = state
        .store
        .find_crm_connection(organization)
        .await?
        .ok_or_else(|| AppError::Conflict(NOT_CONNECTED.into()))?;
    let attempt = Attempt {
        environment_url: &record.environment_url,
        tenant: &form.tenant,
        client_id: &form.client_id,
        client_secret: &form.client_secret,
        what: "update credentials",
    };
    let Checked {
        details,
        settings,
        credentials,
        ..
    } = match check_credentials(state, organization, attempt).await? {
        Ok(checked) => checked,
        Err(refused) => return Ok(refused),
    };
    let audit = Audit {
        person: &user.person_id,
        action: "crm.credentials",
        detail: format!(
            "replaced the credentials (tenant {}, client {})",
            credentials.tenant, credentials.client_id
        ),
    };
    match state
        .store
        .replace_crm_credentials(organization, &credentials, &details, &settings, &audit)
        .await
    {
        Ok(()) => {}
        Err(StoreError::CrmNotConnected) => return Err(AppError::Conflict(NOT_CONNECTED.into())),
        Err(err) => return Err(err.into()),
    }
    tracing::info!(organization = %organization, "CRM credentials replaced");
    Ok(ConnectOutcome {
        connected: true,
        problem: None,
        status: status(state, organization).await?,
    })
}

/// Saves S1–S3: the stage and the won-value field must be among the choices
/// read from the CRM (or "Not Sure"); 409 when not connected.
pub async fn update_settings(
    state: &AppState,
    user: &CurrentUser,
    settings: CrmSettings,
) -> Result<CrmStatus, AppError> {
    let organization = &user.organization_id;
    let record = state
        .store
        .find_crm_connection(organization)
        .await?
        .ok_or_else(|| AppError::Conflict(NOT_CONNECTED.into()))?;
    let settings = CrmSettings {
        won_value_field: settings
            .won_value_field
            .map(|f| f.trim().to_owned())
            .filter(|f| !f.is_empty()),
        ..settings
    };
    let mut errors = Vec::new();
    let stage_offered = |stage: i32| {
        record
            .details
            .stage_choices
            .iter()
            .any(|c| c.value == stage)
    };
    if settings.pipeline_stage.is_some_and(|s| !stage_offered(s)) {
        errors.push(FieldError {
            field: "pipeline_stage".into(),
            code: "choice".into(),
            message: "Choose one of the CRM's sales stages, or Not Sure.".into(),
        });
    }
    let field_offered = |field: &str| {
        record
            .details
            .money_field_choices
            .iter()
            .any(|c| c.logical_name == field)
    };
    if settings
        .won_value_field
        .as_deref()
        .is_some_and(|f| !field_offered(f))
    {
        errors.push(FieldError {
            field: "won_value_field".into(),
            code: "choice".into(),
            message: "Choose one of the CRM's money fields, or Not Sure.".into(),
        });
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let audit = Audit {
        person: &user.person_id,
        action: "crm.settings",
        detail: format!(
            "auto sync all: {}, pipeline stage: {}, won value field: {}",
            settings.auto_sync_all,
            settings
                .pipeline_stage
                .map_or_else(|| "not sure".to_owned(), |s| s.to_string()),
            settings.won_value_field.as_deref().unwrap_or("not sure"),
        ),
    };
    match state
        .store
        .save_crm_settings(organization, &settings, &audit)
        .await
    {
        Ok(()) => {}
        Err(StoreError::CrmNotConnected) => return Err(AppError::Conflict(NOT_CONNECTED.into())),
        Err(err) => return Err(err.into()),
    }
    status(state, organization).await
}

/// What a clean-up on disconnect would remove.
pub async fn disconnect_preview(
    state: &AppState,
    organization: &OrganizationId,
) -> Result<DisconnectPreview, AppError> {
    let counts = state.store.count_crm_imports(organization).await?;
    Ok(DisconnectPreview {
        accounts: counts.accounts,
        leads: counts.leads,
    })
}

/// Deletes the connection and its secret; with `clean_up`, also everything
/// imported from the CRM (never what people saved themselves). 409 when not
/// connected.
pub async fn disconnect(
    state: &AppState,
    user: &CurrentUser,
    form: DisconnectCrm,
) -> Result<CrmStatus, AppError> {
    let organization = &user.organization_id;
    let audit = Audit {
        person: &user.person_id,
        action: "crm.disconnect",
        detail: format!(
            "disconnected{}",
            if form.clean_up { " with clean-up" } else { "" }
        ),
    };
    match state
        .store
        .delete_crm_connection(organization, form.clean_up, &audit)
        .await
    {
        Ok(cleaned) => tracing::info!(
            organization = %organization,
            accounts = cleaned.accounts,
            leads = cleaned.leads,
            "CRM disconnected"
        ),
        Err(StoreError::CrmNotConnected) => return Err(AppError::Conflict(NOT_CONNECTED.into())),
        Err(err) => return Err(err.into()),
    }
    status(state, organization).await
}

/// A connector client for the organization's stored connection (for sync
/// and writeback); `None` when not connected. Fails when the stored secret
/// does not open with the current key.
pub async fn client_for(
    state: &AppState,
    organization: &OrganizationId,
) -> Result<Option<Client>, AppError> {
    let Some(record) = state.store.find_crm_connection(organization).await? else {
        return Ok(None);
    };
    let secret = state
        .secret_key
        .open(organization, &record.credentials.secret)
        .map_err(AppError::internal)?;
    let environment = EnvironmentUrl::parse(
        &record.environment_url,
        state.config.crm_allow_insecure_loopback,
    )
    .map_err(AppError::internal)?;
    let client = Client::new(client_config(
        state,
        environment,
        &record.credentials.tenant,
        &record.credentials.client_id,
        secret,
    ))
    .map_err(AppError::internal)?;
    Ok(Some(client))
}

fn client_config(
    state: &AppState,
    environment: EnvironmentUrl,
    tenant: &str,
    client_id: &str,
    secret: Secret,
) -> ClientConfig {
    let mut config = ClientConfig::new(environment, tenant, client_id, secret);
    config.authority = state.config.entra_authority.clone();
    config.retry = state.config.crm_retry.clone();
    config
}

async fn verify(
    state: &AppState,
    environment: &EnvironmentUrl,
    tenant: &str,
    client_id: &str,
    secret: &Secret,
) -> Result<VerifiedConnection, CrmError> {
    let client = Client::new(client_config(
        state,
        environment.clone(),
        tenant,
        client_id,
        secret.clone(),
    ))?;
    calls::verify(&client).await
}

/// Credentials to check against the CRM, as an admin typed them.
struct Attempt<'a> {
    environment_url: &'a str,
    tenant: &'a str,
    client_id: &'a str,
    client_secret: &'a str,
    /// "connect" or "update credentials", for the log.
    what: &'a str,
}

/// Credentials the CRM accepted, ready to save.
struct Checked {
    environment: EnvironmentUrl,
    details: VerifiedDetails,
    settings: CrmSettings,
    credentials: CrmCredentials,
}

/// Checks the environment URL (C1) and the credentials against the CRM (C4),
/// reads what the CRM offers for S2/S3, and seals the secret. `Ok(Err(_))`
/// is the "not connected" answer when the URL or the CRM refused: nothing
/// is saved.
async fn check_credentials(
    state: &AppState,
    organization: &OrganizationId,
    attempt: Attempt<'_>,
) -> Result<Result<Checked, ConnectOutcome>, AppError> {
    let tenant = attempt.tenant.trim().to_owned();
    let client_id = attempt.client_id.trim().to_owned();
    let secret = Secret::new(attempt.client_secret.trim());
    let checked = match EnvironmentUrl::parse(
        attempt.environment_url,
        state.config.crm_allow_insecure_loopback,
    ) {
        Ok(environment) => verify(state, &environment, &tenant, &client_id, &secret)
            .await
            .map(|verified| (environment, verified)),
        Err(err) => Err(err),
    };
    let (environment, verified) = match checked {
        Ok(pair) => pair,
        Err(err) => {
            return Ok(Err(
                not_connected(state, organization, attempt.what, &err).await?
            ));
        }
    };
    let details = details_of(&verified);
    let settings = fit_settings(state.store.crm_settings(organization).await?, &details);
    let credentials = CrmCredentials {
        tenant,
        client_id,
        secret: state
            .secret_key
            .seal(organization, &secret)
            .map_err(AppError::internal)?,
    };
    Ok(Ok(Checked {
        environment,
        details,
        settings,
        credentials,
    }))
}

/// The answer to a connect or credentials attempt the CRM refused: nothing
/// was saved; the status is unchanged.
async fn not_connected(
    state: &AppState,
    organization: &OrganizationId,
    attempt: &str,
    err: &CrmError,
) -> Result<ConnectOutcome, AppError> {
    tracing::warn!(organization = %organization, error = %err, "CRM {attempt} failed");
    Ok(ConnectOutcome {
        connected: false,
        problem: Some(problem_of(err)),
        status: status(state, organization).await?,
    })
}

fn rfc3339(unix: i64) -> String {
    DateTime::from_timestamp(unix, 0)
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
        .unwrap_or_default()
}
