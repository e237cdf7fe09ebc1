//! Sign-in, first-run set-up and the signed-in person.

use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::people::{Locale, Organization, Person};
use crate::validate::{self, Rule};

/// `POST /api/session`: sign in with email and password.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignIn {
    /// Sign-in email (case does not matter).
    pub email: String,
    /// Password.
    pub password: String,
}

impl SignIn {
    /// Checks the form before it is sent; the server checks again.
    ///
    /// Only presence and shape are checked here: a too-short password must
    /// still get the one "wrong email or password" answer, not a hint.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        validate::collect([
            validate::check("email", &self.email, &[Rule::Required, Rule::Email]),
            validate::check(
                "password",
                &self.password,
                &[Rule::Required, Rule::MaxLen(1024)],
            ),
        ])
    }
}

/// `GET /api/setup`: whether the first visit must create an organization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetupStatus {
    /// True while the database holds no organization (never in demo mode).
    pub needed: bool,
    /// True when the server runs with the seeded demo organization.
    pub demo: bool,
}

/// `POST /api/setup`: create the organization and its first admin.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetUpOrganization {
    /// The organization's display name.
    pub organization_name: String,
    /// Team-member seats in the contract (1–100,000).
    pub seat_limit: u32,
    /// The first admin's full name.
    pub admin_name: String,
    /// The first admin's sign-in email.
    pub email: String,
    /// The first admin's password (at least 8 characters).
    pub password: String,
    /// Also give the first admin a team-member seat.
    pub also_team_member: bool,
}

impl SetUpOrganization {
    /// Field rules shared by the set-up form and the server.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut fields = [
            validate::check(
                "organization_name",
                &self.organization_name,
                &[Rule::Required, Rule::MaxLen(100)],
            ),
            validate::check(
                "admin_name",
                &self.admin_name,
                &[Rule::Required, Rule::MaxLen(100)],
            ),
            validate::check("email", &self.email, &[Rule::Required, Rule::Email]),
            validate::check(
                "password",
                &self.password,
                &[Rule::Required, Rule::MinLen(8), Rule::MaxLen(1024)],
            ),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>();
        if let Some(err) = validate::range("seat_limit", self.seat_limit, 1, 100_000) {
            fields.push(err);
        }
        if fields.is_empty() {
            Ok(())
        } else {
            Err(fields)
        }
    }
}

/// `GET /api/me`: the signed-in person and their organization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    /// The person.
    pub person: Person,
    /// Their organization.
    pub organization: Organization,
}

/// `PUT /api/me/preferences`: the signed-in person's preferences.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdatePreferences {
    /// The UI language.
    pub locale: Locale,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> SetUpOrganization {
        SetUpOrganization {
            organization_name: "Acme".into(),
            seat_limit: 10,
            admin_name: "Ada Admin".into(),
            email: "ada@acme.test".into(),
            password: "long enough".into(),
            also_team_member: true,
        }
    }

    #[test]
    fn valid_setup_passes() {
        assert_eq!(setup().validate(), Ok(()));
    }

    #[test]
    fn setup_reports_every_bad_field() {
        let bad = SetUpOrganization {
            organization_name: " ".into(),
            seat_limit: 0,
            admin_name: String::new(),
            email: "nope".into(),
            password: "short".into(),
            also_team_member: false,
        };
        let fields = bad.validate().unwrap_err();
        let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            names,
            [
                "organization_name",
                "admin_name",
                "email",
                "password",
                "seat_limit"
            ]
        );
        assert_eq!(fields[3].code, "too_short");
    }

    #[test]
    fn sign_in_does_not_hint_at_password_length() {
        let form = SignIn {
            email: "sam@demo.test".into(),
            password: "x".into(),
        };
        assert_eq!(form.validate(), Ok(()));
        let empty = SignIn::default().validate().unwrap_err();
        assert_eq!(empty.len(), 2);
        assert!(empty.iter().all(|f| f.code == "required"));
    }
}
