//! `NAVSYNC_BENCH_SEED=<n>`: adds `n` seat holders to the demo organization at
//! start-up, for `cargo xtask bench-load` (a page of 50 out of 10,000 seats).
//! Honoured only together with `NAVSYNC_DEMO`; a real deployment ignores it.

use crate::StartupError;
use crate::demo::DEMO_PEOPLE;
use crate::store::Store;

/// The environment variable read by [`seed_from_env`].
pub const VARIABLE: &str = "NAVSYNC_BENCH_SEED";

/// Seeds the bench people when `NAVSYNC_BENCH_SEED` is set (call only in demo mode).
pub async fn seed_from_env(store: &Store) -> Result<(), StartupError> {
    let Some(value) = std::env::var(VARIABLE)
        .ok()
        .filter(|v| !v.trim().is_empty())
    else {
        return Ok(());
    };
    let count: u32 = value
        .trim()
        .parse()
        .map_err(|_| StartupError::Seed(format!("{VARIABLE} must be a whole number")))?;
    let admin = store
        .find_person_by_email(DEMO_PEOPLE[0].0)
        .await?
        .ok_or_else(|| StartupError::Seed("the demo organization is missing".into()))?;
    let added = store
        .seed_bench_people(&admin.organization_id, count)
        .await?;
    tracing::info!(added, count, "bench people seeded");
    Ok(())
}
