//! The demo organization, seeded at start-up when `NAVSYNC_DEMO` is on, so the
//! app can be tried (and tested end to end) without a first-run set-up.

use navsync_api::Licence;

use crate::StartupError;
use crate::auth::password;
use crate::store::{NewOrganization, NewPerson, Store};

/// The password of every demo person.
pub const DEMO_PASSWORD: &str = "navsync-demo";

/// The demo organization's name.
pub const DEMO_ORGANIZATION: &str = "Demo Company";

/// The demo organization's team-member seats.
pub const DEMO_SEAT_LIMIT: u32 = 25;

/// The demo people: email, name, licence.
pub const DEMO_PEOPLE: [(&str, &str, Licence); 7] = [
    ("admin@demo.test", "Avery Admin", Licence::Admin),
    (
        "morgan@demo.test",
        "Morgan Lee",
        Licence::AdminAndTeamMember,
    ),
    ("sam@demo.test", "Sam Peeters", Licence::TeamMember),
    ("alex@demo.test", "Alex de Vries", Licence::TeamMember),
    ("jordan@demo.test", "Jordan Bakker", Licence::TeamMember),
    ("robin@demo.test", "Robin Jansen", Licence::TeamMember),
    ("kim@demo.test", "Kim Visser", Licence::TeamMember),
];

/// The demo sign-ins to print (README, `cargo xtask run`): email and a
/// description of the licence. All use [`DEMO_PASSWORD`].
pub fn demo_sign_ins() -> Vec<(&'static str, &'static str)> {
    DEMO_PEOPLE
        .iter()
        .map(|(email, _, licence)| (*email, describe(*licence)))
        .collect()
}

fn describe(licence: Licence) -> &'static str {
    match licence {
        Licence::Admin => "Admin",
        Licence::TeamMember => "Team member",
        Licence::AdminAndTeamMember => "Admin + team member",
    }
}

/// Seeds the demo organization unless it exists; true when it was created.
pub async fn seed(store: &Store) -> Result<bool, StartupError> {
    if store
        .find_person_by_email(DEMO_PEOPLE[0].0)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    // Hash once and reuse the PHC string: seven Argon2 runs would slow start-up.
    let hash = tokio::task::spawn_blocking(|| password::hash_blocking(DEMO_PASSWORD))
        .await
        .map_err(|err| StartupError::Seed(err.to_string()))?
        .map_err(|err| StartupError::Seed(err.to_string()))?;
    let people: Vec<NewPerson> = DEMO_PEOPLE
        .iter()
        .map(|(email, name, licence)| NewPerson {
            name: (*name).into(),
            email: (*email).into(),
            password_hash: Some(hash.clone()),
            licence: *licence,
        })
        .collect();
    let organization = NewOrganization {
        name: DEMO_ORGANIZATION.into(),
        seat_limit: DEMO_SEAT_LIMIT,
    };
    store
        .create_organization_with_people(&organization, &people)
        .await?;
    crate::writeback::demo::seed(store).await?;
    tracing::info!("seeded the demo organization");
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_ins_list_every_demo_person() {
        let sign_ins = demo_sign_ins();
        assert_eq!(sign_ins.len(), 7);
        assert_eq!(sign_ins[0], ("admin@demo.test", "Admin"));
        assert_eq!(sign_ins[1], ("morgan@demo.test", "Admin + team member"));
        assert_eq!(sign_ins[2], ("sam@demo.test", "Team member"));
    }
}
