//! Sign-in sessions, stored by the SHA-256 of their token.

use navsync_api::{OrganizationId, PersonId};

use super::{Store, StoreError, now_unix};

/// A live session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRecord {
    /// The signed-in person's organization.
    pub organization_id: OrganizationId,
    /// The signed-in person.
    pub person_id: PersonId,
    /// When it stops working (unix seconds).
    pub expires_at: i64,
}

impl Store {
    /// Stores a session under the hash of its token.
    pub async fn create_session(
        &self,
        token_hash: &str,
        organization: &OrganizationId,
        person: &PersonId,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, organization_id, person_id, created_at, expires_at) \
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(token_hash)
        .bind(organization.as_str())
        .bind(person.as_str())
        .bind(now_unix())
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Finds the session with this token hash that has not expired at `now`.
    pub async fn find_session(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<SessionRecord>, StoreError> {
        let row: Option<(String, String, i64)> = sqlx::query_as(
            "SELECT organization_id, person_id, expires_at FROM sessions \
             WHERE token_hash = ? AND expires_at > ?",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(org, person, expires_at)| SessionRecord {
            organization_id: OrganizationId(org),
            person_id: PersonId(person),
            expires_at,
        }))
    }

    /// Ends a session; true when one was deleted.
    pub async fn delete_session(&self, token_hash: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Deletes the sessions that expired at or before `now`; returns how many.
    pub async fn delete_expired_sessions(&self, now: i64) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= ?")
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}
