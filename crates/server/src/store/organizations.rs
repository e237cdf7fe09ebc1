//! Organizations and the people in them.

use navsync_api::{Licence, Locale, OrganizationId, PersonId};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, Sqlite, Transaction};

use super::{OrganizationRecord, PersonRecord, Store, StoreError, is_unique_violation, now_unix};

/// A new organization.
#[derive(Clone, Debug)]
pub struct NewOrganization {
    /// Display name.
    pub name: String,
    /// Team-member seats in the contract.
    pub seat_limit: u32,
}

/// A new person in an organization.
#[derive(Clone)]
pub struct NewPerson {
    /// Full name.
    pub name: String,
    /// Sign-in email; stored trimmed and lower case.
    pub email: String,
    /// Argon2id PHC string, or `None` for no password.
    pub password_hash: Option<String>,
    /// What they may do.
    pub licence: Licence,
}

impl std::fmt::Debug for NewPerson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewPerson")
            .field("email", &self.email)
            .field("licence", &self.licence)
            .finish_non_exhaustive()
    }
}

const PERSON_COLUMNS: &str = "id, organization_id, email, name, password_hash, is_admin, \
     is_team_member, crm_sync_enabled, locale";

impl Store {
    /// First-run set-up: creates the organization and its first admin in one
    /// transaction, only while no organization exists
    /// ([`StoreError::AlreadySetUp`] otherwise).
    pub async fn create_first_organization(
        &self,
        organization: &NewOrganization,
        admin: &NewPerson,
    ) -> Result<(OrganizationId, PersonId), StoreError> {
        // IMMEDIATE takes the write lock up front, so two concurrent set-ups
        // cannot both see an empty database.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM organizations")
            .fetch_one(&mut *tx)
            .await?;
        if count > 0 {
            return Err(StoreError::AlreadySetUp);
        }
        let (org, people) =
            insert_organization(&mut tx, organization, std::slice::from_ref(admin)).await?;
        tx.commit().await?;
        Ok((
            org,
            people
                .into_iter()
                .next()
                .ok_or(StoreError::Database(sqlx::Error::RowNotFound))?,
        ))
    }

    /// Creates an organization with its first admin in one transaction,
    /// whether or not other organizations exist.
    pub async fn create_organization_with_admin(
        &self,
        organization: &NewOrganization,
        admin: &NewPerson,
    ) -> Result<(OrganizationId, PersonId), StoreError> {
        let (org, people) = self
            .create_organization_with_people(organization, std::slice::from_ref(admin))
            .await?;
        let admin = people
            .into_iter()
            .next()
            .ok_or(StoreError::Database(sqlx::Error::RowNotFound))?;
        Ok((org, admin))
    }

    /// Creates an organization and its people in one transaction; the ids of the
    /// people are returned in the order given.
    pub async fn create_organization_with_people(
        &self,
        organization: &NewOrganization,
        people: &[NewPerson],
    ) -> Result<(OrganizationId, Vec<PersonId>), StoreError> {
        let mut tx = self.write_tx().await?;
        let created = insert_organization(&mut tx, organization, people).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Looks a person up by sign-in email (any case), across organizations:
    /// sign-in is by email alone.
    pub async fn find_person_by_email(
        &self,
        email: &str,
    ) -> Result<Option<PersonRecord>, StoreError> {
        let email = navsync_api::validate::normalize_email(email);
        let row = sqlx::query(&format!(
            "SELECT {PERSON_COLUMNS} FROM people WHERE email = ?"
        ))
        .bind(email)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(person_from_row).transpose()
    }

    /// Looks a person up within an organization.
    pub async fn find_person(
        &self,
        organization: &OrganizationId,
        person: &PersonId,
    ) -> Result<Option<PersonRecord>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {PERSON_COLUMNS} FROM people WHERE organization_id = ? AND id = ?"
        ))
        .bind(organization.as_str())
        .bind(person.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(person_from_row).transpose()
    }

    /// Looks an organization up.
    pub async fn find_organization(
        &self,
        organization: &OrganizationId,
    ) -> Result<Option<OrganizationRecord>, StoreError> {
        let row: Option<(String, String, i64)> =
            sqlx::query_as("SELECT id, name, seat_limit FROM organizations WHERE id = ?")
                .bind(organization.as_str())
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(id, name, seat_limit)| OrganizationRecord {
            id: OrganizationId(id),
            name,
            seat_limit: u32::try_from(seat_limit).unwrap_or(0),
        }))
    }

    /// Team-member seats in use in an organization.
    pub async fn count_team_members(
        &self,
        organization: &OrganizationId,
    ) -> Result<u32, StoreError> {
        let (count,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM people WHERE organization_id = ? AND is_team_member",
        )
        .bind(organization.as_str())
        .fetch_one(&self.pool)
        .await?;
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }

    /// One page of an organization's people by name, optionally only those whose
    /// name or email contains `search` (case-insensitive), and how many match in all.
    pub async fn list_seats(
        &self,
        organization: &OrganizationId,
        offset: u64,
        limit: u64,
        search: Option<&str>,
    ) -> Result<(Vec<PersonRecord>, u64), StoreError> {
        let pattern = search
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| format!("%{}%", escape_like(&s.to_lowercase())));
        // `?2 IS NULL` keeps one statement for both the filtered and the full list.
        let filter = "organization_id = ?1 AND (?2 IS NULL \
             OR lower(name) LIKE ?2 ESCAPE '\\' OR email LIKE ?2 ESCAPE '\\')";
        let (total,): (i64,) =
            sqlx::query_as(&format!("SELECT COUNT(*) FROM people WHERE {filter}"))
                .bind(organization.as_str())
                .bind(pattern.as_deref())
                .fetch_one(&self.pool)
                .await?;
        let rows = sqlx::query(&format!(
            "SELECT {PERSON_COLUMNS} FROM people WHERE {filter} \
             ORDER BY name COLLATE NOCASE, id LIMIT ?3 OFFSET ?4"
        ))
        .bind(organization.as_str())
        .bind(pattern.as_deref())
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        let people = rows.iter().map(person_from_row).collect::<Result<_, _>>()?;
        Ok((people, u64::try_from(total).unwrap_or(0)))
    }

    /// Saves a person's UI language; false when no such person is in the organization.
    pub async fn set_locale(
        &self,
        organization: &OrganizationId,
        person: &PersonId,
        locale: Locale,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE people SET locale = ? WHERE organization_id = ? AND id = ?")
            .bind(locale.tag())
            .bind(organization.as_str())
            .bind(person.as_str())
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }
}

async fn insert_organization(
    tx: &mut Transaction<'static, Sqlite>,
    organization: &NewOrganization,
    people: &[NewPerson],
) -> Result<(OrganizationId, Vec<PersonId>), StoreError> {
    let now = now_unix();
    let org_id = uuid::Uuid::new_v4().to_string();
    sqlx::query("INSERT INTO organizations (id, name, seat_limit, created_at) VALUES (?, ?, ?, ?)")
        .bind(&org_id)
        .bind(organization.name.trim())
        .bind(i64::from(organization.seat_limit))
        .bind(now)
        .execute(&mut **tx)
        .await?;
    let mut ids = Vec::with_capacity(people.len());
    for person in people {
        let id = uuid::Uuid::new_v4().to_string();
        sqlx::query(
            "INSERT INTO people (id, organization_id, email, name, password_hash, is_admin, \
             is_team_member, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(&org_id)
        .bind(navsync_api::validate::normalize_email(&person.email))
        .bind(person.name.trim())
        .bind(person.password_hash.as_deref())
        .bind(person.licence.is_admin())
        .bind(person.licence.is_team_member())
        .bind(now)
        .execute(&mut **tx)
        .await
        .map_err(|err| {
            if is_unique_violation(&err) {
                StoreError::EmailTaken
            } else {
                StoreError::Database(err)
            }
        })?;
        ids.push(PersonId(id));
    }
    Ok((OrganizationId(org_id), ids))
}

fn person_from_row(row: &SqliteRow) -> Result<PersonRecord, StoreError> {
    let is_admin: bool = row.try_get("is_admin")?;
    let is_team_member: bool = row.try_get("is_team_member")?;
    // The table's CHECK makes (false, false) impossible; treat it as corrupt data.
    let licence = Licence::from_flags(is_admin, is_team_member).ok_or_else(|| {
        StoreError::Database(sqlx::Error::ColumnDecode {
            index: "is_admin".into(),
            source: "a person without a licence".into(),
        })
    })?;
    let locale: String = row.try_get("locale")?;
    Ok(PersonRecord {
        id: PersonId(row.try_get("id")?),
        organization_id: OrganizationId(row.try_get("organization_id")?),
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        password_hash: row.try_get("password_hash")?,
        licence,
        crm_sync_enabled: row.try_get("crm_sync_enabled")?,
        locale: Locale::from_tag(&locale).unwrap_or_default(),
    })
}

/// Escapes `\`, `%` and `_` so user input matches literally in `LIKE … ESCAPE '\'`.
pub(super) fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape_like;

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(escape_like("50%_off\\"), "50\\%\\_off\\\\");
        assert_eq!(escape_like("sam"), "sam");
    }
}
