//! Bulk rows for load benchmarks (`NAVSYNC_BENCH_SEED`, demo mode only).

use navsync_api::OrganizationId;

use super::{Store, StoreError, now_unix};

impl Store {
    /// Adds `count` seat holders named `Bench Person 00001`… to the
    /// organization (no password: they cannot sign in), skipping the ones
    /// already there, in one transaction. Returns how many were added.
    pub async fn seed_bench_people(
        &self,
        organization: &OrganizationId,
        count: u32,
    ) -> Result<u64, StoreError> {
        let mut tx = self.write_tx().await?;
        let now = now_unix();
        let mut added = 0;
        for n in 1..=count {
            let done = sqlx::query(
                "INSERT OR IGNORE INTO people \
                 (id, organization_id, email, name, is_admin, is_team_member, created_at) \
                 VALUES (?, ?, ?, ?, 0, 1, ?)",
            )
            .bind(uuid::Uuid::new_v4().to_string())
            .bind(organization.as_str())
            .bind(format!("bench{n:05}@bench.test"))
            .bind(format!("Bench Person {n:05}"))
            .bind(now)
            .execute(&mut *tx)
            .await?;
            added += done.rows_affected();
        }
        tx.commit().await?;
        Ok(added)
    }
}
