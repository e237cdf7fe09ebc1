//! The CRM connection (one per organization, its secret only encrypted), the
//! CRM settings, the clean-up of CRM-sourced data, and the audit entries of
//! those changes — each change and its audit entry in one transaction.

use navsync_api::crm::{CrmErrorKind, CrmSettings, MoneyFieldChoice, StageChoice};
use navsync_api::{OrganizationId, PersonId};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, Sqlite, Transaction};

use super::{Store, StoreError, is_unique_violation, now_unix};
use crate::secrets::SealedSecret;

/// What a successful connection check found, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedDetails {
    /// The organization's name in Dynamics.
    pub organization_name: String,
    /// Dynamics version.
    pub version: String,
    /// The Integration User's `systemuserid`.
    pub crm_user_id: String,
    /// The Integration User may impersonate.
    pub can_impersonate: bool,
    /// S2 choices.
    pub stage_choices: Vec<StageChoice>,
    /// S3 choices.
    pub money_field_choices: Vec<MoneyFieldChoice>,
}

/// The app registration Navsync connects with; the secret sealed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrmCredentials {
    /// Directory (tenant) id or domain.
    pub tenant: String,
    /// Application (client) id.
    pub client_id: String,
    /// The client secret, encrypted.
    pub secret: SealedSecret,
}

/// A lasting problem of a connection (state "warning").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredProblem {
    /// What kind.
    pub kind: CrmErrorKind,
    /// The privilege Dataverse named, if any.
    pub missing_privilege: Option<String>,
    /// Since when (unix seconds).
    pub since: i64,
}

/// A stored CRM connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrmConnectionRecord {
    /// The environment URL, normalised.
    pub environment_url: String,
    /// The app registration.
    pub credentials: CrmCredentials,
    /// What the last successful check found.
    pub details: VerifiedDetails,
    /// When it was connected (unix seconds).
    pub connected_at: i64,
    /// Who connected it (`None` once that person is deleted).
    pub connected_by: Option<PersonId>,
    /// Their name at read time.
    pub connected_by_name: Option<String>,
    /// When the credentials were last replaced.
    pub credentials_updated_at: Option<i64>,
    /// When the last sync finished.
    pub last_sync_at: Option<i64>,
    /// The lasting problem, if any.
    pub problem: Option<StoredProblem>,
}

/// Who changed something, and what to write in the audit log (never a secret).
#[derive(Clone, Debug)]
pub struct Audit<'a> {
    /// The person acting.
    pub person: &'a PersonId,
    /// `crm.connect`, `crm.credentials`, ….
    pub action: &'a str,
    /// Free text for people reading the log.
    pub detail: String,
}

/// Rows removed by a disconnect with clean-up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CleanedUp {
    /// Saved accounts with source `crm`.
    pub accounts: u64,
    /// Saved leads with source `crm`.
    pub leads: u64,
}

const CONNECTION_COLUMNS: &str = "c.environment_url, c.tenant, c.client_id, c.secret_ciphertext, \
     c.secret_nonce, c.organization_name, c.version, c.crm_user_id, c.can_impersonate, \
     c.stage_choices, c.money_field_choices, c.connected_at, c.connected_by, \
     c.credentials_updated_at, c.last_sync_at, c.problem_kind, c.problem_privilege, \
     c.problem_since, p.name AS connected_by_name";

impl Store {
    /// The organization's CRM connection, if any.
    pub async fn find_crm_connection(
        &self,
        organization: &OrganizationId,
    ) -> Result<Option<CrmConnectionRecord>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {CONNECTION_COLUMNS} FROM crm_connections c \
             LEFT JOIN people p ON p.id = c.connected_by AND p.organization_id = c.organization_id \
             WHERE c.organization_id = ?"
        ))
        .bind(organization.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(connection_from_row).transpose()
    }

    /// Every organization with a CRM connection and its sealed secret (to check
    /// the key at start-up, and for sync workers).
    pub async fn crm_secrets(&self) -> Result<Vec<(OrganizationId, SealedSecret)>, StoreError> {
        let rows: Vec<(String, Vec<u8>, Vec<u8>)> = sqlx::query_as(
            "SELECT organization_id, secret_ciphertext, secret_nonce FROM crm_connections",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(org, ciphertext, nonce)| {
                (OrganizationId(org), SealedSecret { ciphertext, nonce })
            })
            .collect())
    }

    /// Saves a new connection and the settings (with stage and field already
    /// fitted to the new choices) in one transaction;
    /// [`StoreError::CrmAlreadyConnected`] when one exists.
    pub async fn insert_crm_connection(
        &self,
        organization: &OrganizationId,
        environment_url: &str,
        credentials: &CrmCredentials,
        details: &VerifiedDetails,
        settings: &CrmSettings,
        audit: &Audit<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "INSERT INTO crm_connections (organization_id, environment_url, tenant, client_id, \
             secret_ciphertext, secret_nonce, organization_name, version, crm_user_id, \
             can_impersonate, stage_choices, money_field_choices, connected_at, connected_by) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(organization.as_str())
        .bind(environment_url)
        .bind(&credentials.tenant)
        .bind(&credentials.client_id)
        .bind(&credentials.secret.ciphertext)
        .bind(&credentials.secret.nonce)
        .bind(&details.organization_name)
        .bind(&details.version)
        .bind(&details.crm_user_id)
        .bind(details.can_impersonate)
        .bind(to_json(&details.stage_choices)?)
        .bind(to_json(&details.money_field_choices)?)
        .bind(now_unix())
        .bind(audit.person.as_str())
        .execute(&mut *tx)
        .await
        .map_err(|err| {
            if is_unique_violation(&err) {
                StoreError::CrmAlreadyConnected
            } else {
                StoreError::Database(err)
            }
        })?;
        upsert_settings(&mut tx, organization, settings).await?;
        insert_audit(&mut tx, organization, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Replaces the credentials and what their check found, clears the
    /// problem, and saves the fitted settings, in one transaction;
    /// [`StoreError::CrmNotConnected`] when there is no connection.
    pub async fn replace_crm_credentials(
        &self,
        organization: &OrganizationId,
        credentials: &CrmCredentials,
        details: &VerifiedDetails,
        settings: &CrmSettings,
        audit: &Audit<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query(
            "UPDATE crm_connections SET tenant = ?, client_id = ?, secret_ciphertext = ?, \
             secret_nonce = ?, organization_name = ?, version = ?, crm_user_id = ?, \
             can_impersonate = ?, stage_choices = ?, money_field_choices = ?, \
             credentials_updated_at = ?, problem_kind = NULL, problem_privilege = NULL, \
             problem_since = NULL WHERE organization_id = ?",
        )
        .bind(&credentials.tenant)
        .bind(&credentials.client_id)
        .bind(&credentials.secret.ciphertext)
        .bind(&credentials.secret.nonce)
        .bind(&details.organization_name)
        .bind(&details.version)
        .bind(&details.crm_user_id)
        .bind(details.can_impersonate)
        .bind(to_json(&details.stage_choices)?)
        .bind(to_json(&details.money_field_choices)?)
        .bind(now_unix())
        .bind(organization.as_str())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::CrmNotConnected);
        }
        upsert_settings(&mut tx, organization, settings).await?;
        insert_audit(&mut tx, organization, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records (or with `None` clears) the connection's lasting problem; false
    /// when there is no connection.
    pub async fn set_crm_problem(
        &self,
        organization: &OrganizationId,
        problem: Option<&StoredProblem>,
    ) -> Result<bool, StoreError> {
        let kind = problem.map(|p| kind_name(p.kind)).transpose()?;
        let done = sqlx::query(
            "UPDATE crm_connections SET problem_kind = ?, problem_privilege = ?, \
             problem_since = ? WHERE organization_id = ?",
        )
        .bind(kind)
        .bind(problem.and_then(|p| p.missing_privilege.as_deref()))
        .bind(problem.map(|p| p.since))
        .bind(organization.as_str())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The organization's CRM settings (the defaults when never saved).
    pub async fn crm_settings(
        &self,
        organization: &OrganizationId,
    ) -> Result<CrmSettings, StoreError> {
        let row: Option<(bool, Option<i64>, Option<String>)> = sqlx::query_as(
            "SELECT auto_sync_all, pipeline_stage, won_value_field FROM crm_settings \
             WHERE organization_id = ?",
        )
        .bind(organization.as_str())
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            None => CrmSettings::default(),
            Some((auto_sync_all, pipeline_stage, won_value_field)) => CrmSettings {
                auto_sync_all,
                pipeline_stage: pipeline_stage.and_then(|v| i32::try_from(v).ok()),
                won_value_field,
            },
        })
    }

    /// Saves the settings while a connection exists (checked in the same
    /// transaction); [`StoreError::CrmNotConnected`] otherwise.
    pub async fn save_crm_settings(
        &self,
        organization: &OrganizationId,
        settings: &CrmSettings,
        audit: &Audit<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let (count,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM crm_connections WHERE organization_id = ?")
                .bind(organization.as_str())
                .fetch_one(&mut *tx)
                .await?;
        if count == 0 {
            return Err(StoreError::CrmNotConnected);
        }
        upsert_settings(&mut tx, organization, settings).await?;
        insert_audit(&mut tx, organization, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Saved accounts and leads of the organization that came from the CRM.
    pub async fn count_crm_imports(
        &self,
        organization: &OrganizationId,
    ) -> Result<CleanedUp, StoreError> {
        let (accounts, leads): (i64, i64) = sqlx::query_as(
            "SELECT \
               (SELECT COUNT(*) FROM saved_accounts WHERE organization_id = ?1 AND source = 'crm' AND saved_by_hand = 0), \
               (SELECT COUNT(*) FROM saved_leads WHERE organization_id = ?1 AND source = 'crm' AND saved_by_hand = 0)",
        )
        .bind(organization.as_str())
        .fetch_one(&self.pool)
        .await?;
        Ok(CleanedUp {
            accounts: u64::try_from(accounts).unwrap_or(0),
            leads: u64::try_from(leads).unwrap_or(0),
        })
    }

    /// Deletes the connection (and its encrypted secret); with `clean_up` also
    /// every saved account and lead whose source is `crm`, all in one
    /// transaction. [`StoreError::CrmNotConnected`] when there is none.
    pub async fn delete_crm_connection(
        &self,
        organization: &OrganizationId,
        clean_up: bool,
        audit: &Audit<'_>,
    ) -> Result<CleanedUp, StoreError> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query("DELETE FROM crm_connections WHERE organization_id = ?")
            .bind(organization.as_str())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::CrmNotConnected);
        }
        let mut cleaned = CleanedUp::default();
        super::sync::clean_up_sync(&mut tx, organization, clean_up).await?;
        if clean_up {
            // Rows only the CRM brought; hand-saved ones became 'manual' above.
            cleaned.accounts = sqlx::query(
                "DELETE FROM saved_accounts WHERE organization_id = ? AND source = 'crm'",
            )
            .bind(organization.as_str())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            cleaned.leads =
                sqlx::query("DELETE FROM saved_leads WHERE organization_id = ? AND source = 'crm'")
                    .bind(organization.as_str())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
        }
        let audit = Audit {
            detail: format!(
                "{}; removed {} saved accounts and {} saved leads from the CRM",
                audit.detail, cleaned.accounts, cleaned.leads
            ),
            ..audit.clone()
        };
        insert_audit(&mut tx, organization, &audit).await?;
        tx.commit().await?;
        Ok(cleaned)
    }

    /// The organization's audit entries for `action`, oldest first: (person, detail).
    pub async fn audit_entries(
        &self,
        organization: &OrganizationId,
        action: &str,
    ) -> Result<Vec<(Option<PersonId>, String)>, StoreError> {
        let rows: Vec<(Option<String>, String)> = sqlx::query_as(
            "SELECT person_id, detail FROM audit_log WHERE organization_id = ? AND action = ? \
             ORDER BY created_at, rowid",
        )
        .bind(organization.as_str())
        .bind(action)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(person, detail)| (person.map(PersonId), detail))
            .collect())
    }
}

async fn upsert_settings(
    tx: &mut Transaction<'static, Sqlite>,
    organization: &OrganizationId,
    settings: &CrmSettings,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO crm_settings (organization_id, auto_sync_all, pipeline_stage, won_value_field) \
         VALUES (?, ?, ?, ?) ON CONFLICT (organization_id) DO UPDATE SET \
         auto_sync_all = excluded.auto_sync_all, pipeline_stage = excluded.pipeline_stage, \
         won_value_field = excluded.won_value_field",
    )
    .bind(organization.as_str())
    .bind(settings.auto_sync_all)
    .bind(settings.pipeline_stage)
    .bind(settings.won_value_field.as_deref())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn insert_audit(
    tx: &mut Transaction<'static, Sqlite>,
    organization: &OrganizationId,
    audit: &Audit<'_>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (id, organization_id, person_id, action, detail, created_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(organization.as_str())
    .bind(audit.person.as_str())
    .bind(audit.action)
    .bind(&audit.detail)
    .bind(now_unix())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|err| corrupt("choices", err.to_string()))
}

fn kind_name(kind: CrmErrorKind) -> Result<String, StoreError> {
    match serde_json::to_value(kind) {
        Ok(serde_json::Value::String(name)) => Ok(name),
        _ => Err(corrupt("problem_kind", "unnamed kind".into())),
    }
}

fn corrupt(column: &str, why: String) -> StoreError {
    StoreError::Database(sqlx::Error::ColumnDecode {
        index: column.into(),
        source: why.into(),
    })
}

fn connection_from_row(row: &SqliteRow) -> Result<CrmConnectionRecord, StoreError> {
    let json = |column: &str| -> Result<String, StoreError> { Ok(row.try_get(column)?) };
    let stage_choices: Vec<StageChoice> = serde_json::from_str(&json("stage_choices")?)
        .map_err(|err| corrupt("stage_choices", err.to_string()))?;
    let money_field_choices: Vec<MoneyFieldChoice> =
        serde_json::from_str(&json("money_field_choices")?)
            .map_err(|err| corrupt("money_field_choices", err.to_string()))?;
    let problem_kind: Option<String> = row.try_get("problem_kind")?;
    let problem = match problem_kind {
        None => None,
        Some(name) => Some(StoredProblem {
            kind: serde_json::from_value(serde_json::Value::String(name))
                .map_err(|err| corrupt("problem_kind", err.to_string()))?,
            missing_privilege: row.try_get("problem_privilege")?,
            since: row
                .try_get::<Option<i64>, _>("problem_since")?
                .unwrap_or_default(),
        }),
    };
    let connected_by: Option<String> = row.try_get("connected_by")?;
    Ok(CrmConnectionRecord {
        environment_url: row.try_get("environment_url")?,
        credentials: CrmCredentials {
            tenant: row.try_get("tenant")?,
            client_id: row.try_get("client_id")?,
            secret: SealedSecret {
                ciphertext: row.try_get("secret_ciphertext")?,
                nonce: row.try_get("secret_nonce")?,
            },
        },
        details: VerifiedDetails {
            organization_name: row.try_get("organization_name")?,
            version: row.try_get("version")?,
            crm_user_id: row.try_get("crm_user_id")?,
            can_impersonate: row.try_get("can_impersonate")?,
            stage_choices,
            money_field_choices,
        },
        connected_at: row.try_get("connected_at")?,
        connected_by: connected_by.map(PersonId),
        connected_by_name: row.try_get("connected_by_name")?,
        credentials_updated_at: row.try_get("credentials_updated_at")?,
        last_sync_at: row.try_get("last_sync_at")?,
        problem,
    })
}
