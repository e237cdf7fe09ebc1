//! Storage: the only place with SQL.
//!
//! [`Store`] wraps a SQLite pool behind a narrow set of methods so handlers never
//! see SQL, and so another database (PostgreSQL) can be added behind the same
//! methods later. Every method that reads or changes an organization's data
//! takes that organization's id and filters by it.
//!
//! Timestamps are unix seconds (UTC); ids are UUID v4 strings.
//!
//! # Layout
//! - this file: opening the database, migrations, errors, row types.
//! - [`organizations`]: organizations and people.
//! - [`sessions`]: sign-in sessions.
//! - [`audit`]: reading the audit log.
//! - [`crm`]: the CRM connection (secret sealed), CRM settings, clean-up, audit.
//! - [`sync`]: CRM sync: lease, delta links, runs, the CRM mirror, saved accounts and leads.
//! - [`seats`]: Seat Management: the seat list, CRM users, seat changes, set-password links.

mod audit;
mod bench;
mod crm;
mod messages;
mod notes;
mod organizations;
mod seats;
mod sessions;
mod sync;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use navsync_api::{Licence, Locale, OrganizationId, PersonId};
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};

pub use audit::AuditRecord;
pub use crm::{
    Audit, CleanedUp, CrmConnectionRecord, CrmCredentials, StoredProblem, VerifiedDetails,
};
pub use messages::{NewThread, OutboxItem, WritebackChoice};
pub use notes::NoteItem;
pub use organizations::{NewOrganization, NewPerson};
pub use seats::{
    AssignResult, AssignedPerson, CrmUserRecord, NewCrmUser, SeatChangeError, SeatListQuery,
    SeatOverview, SeatRecord, SkippedUser,
};
pub use sessions::SessionRecord;
pub use sync::{DeleteSaved, RuleRows, RuleScope, RunTotals, SyncRunRecord};

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another person already signs in with this email.
    #[error("the email address is already in use")]
    EmailTaken,
    /// First-run set-up was asked for, but an organization exists.
    #[error("an organization already exists")]
    AlreadySetUp,
    /// The organization already has a CRM connection.
    #[error("a CRM is already connected")]
    CrmAlreadyConnected,
    /// The organization has no CRM connection.
    #[error("no CRM is connected")]
    CrmNotConnected,
    /// The database directory could not be created.
    #[error("could not create the data directory: {0}")]
    Io(#[from] std::io::Error),
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A migration failed.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// An organization as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrganizationRecord {
    /// Its id.
    pub id: OrganizationId,
    /// Display name.
    pub name: String,
    /// Team-member seats in the contract.
    pub seat_limit: u32,
}

/// A person as stored, including the password hash (never sent to clients).
#[derive(Clone, PartialEq, Eq)]
pub struct PersonRecord {
    /// Their id.
    pub id: PersonId,
    /// Their organization.
    pub organization_id: OrganizationId,
    /// Sign-in email, lower case.
    pub email: String,
    /// Full name.
    pub name: String,
    /// Argon2id PHC string; `None` when no password is set.
    pub password_hash: Option<String>,
    /// What they may do.
    pub licence: Licence,
    /// Per-seat CRM sync switch.
    pub crm_sync_enabled: bool,
    /// UI language.
    pub locale: Locale,
}

// Hand-written so the password hash never ends up in a log line.
impl std::fmt::Debug for PersonRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PersonRecord")
            .field("id", &self.id)
            .field("organization_id", &self.organization_id)
            .field("email", &self.email)
            .field("licence", &self.licence)
            .finish_non_exhaustive()
    }
}

/// The database behind the API. Cheap to clone (it shares one pool).
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
}

impl Store {
    /// Starts a write transaction with `BEGIN IMMEDIATE`: it takes SQLite's
    /// write lock up front (waiting up to the busy timeout) instead of
    /// upgrading a read lock later, which fails at once with SQLITE_BUSY when
    /// another writer is active — concurrent requests then wait, never 500.
    pub(crate) async fn write_tx(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.pool.begin_with("BEGIN IMMEDIATE").await
    }

    /// Opens (creating if needed) the SQLite database at `path` in WAL mode with
    /// foreign keys on, and runs the migrations.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Self { pool })
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// True while no organization exists (first-run set-up is needed).
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM organizations")
            .fetch_one(&self.pool)
            .await?;
        Ok(count == 0)
    }
}

/// The current time in unix seconds.
pub fn now_unix() -> i64 {
    chrono::Utc::now().timestamp()
}

fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}
