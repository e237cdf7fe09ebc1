//! The sync rules (SPEC S1–S4) as one pure function: from the seat holders,
//! the settings and the mirrored CRM rows to the saved accounts and leads each
//! seat holder should have from the CRM. No I/O, so every case is a unit test.

use std::collections::{BTreeMap, HashMap, HashSet};

use navsync_api::PersonId;
use navsync_api::crm::CrmSettings;

/// A person with a team-member seat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeatHolder {
    /// Their id.
    pub person_id: PersonId,
    /// Their email, matched to `systemusers.internalemailaddress` (any case).
    pub email: String,
    /// The per-seat switch (used when S1 is No).
    pub crm_sync_enabled: bool,
}

/// A mirrored `systemusers` row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrmUser {
    /// `systemuserid`.
    pub id: String,
    /// `internalemailaddress`.
    pub email: Option<String>,
}

/// A mirrored `opportunities` row.
#[derive(Clone, Debug, PartialEq)]
pub struct Opportunity {
    /// `opportunityid`.
    pub id: String,
    /// `statecode`: 0 open, 1 won, 2 lost.
    pub state: i64,
    /// `salesstage` option value.
    pub stage: Option<i64>,
    /// `_ownerid_value`.
    pub owner_id: Option<String>,
    /// `_parentaccountid_value`.
    pub account_id: Option<String>,
    /// `_parentcontactid_value`.
    pub contact_id: Option<String>,
    /// The S3 field's value.
    pub won_value: Option<f64>,
}

/// A mirrored `accounts` row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// `accountid`.
    pub id: String,
    /// `name`.
    pub name: String,
}

/// A mirrored `contacts` row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    /// `contactid`.
    pub id: String,
    /// `firstname`.
    pub first_name: String,
    /// `lastname`.
    pub last_name: String,
    /// `emailaddress1`.
    pub email: Option<String>,
    /// `_parentcustomerid_value` (the account).
    pub account_id: Option<String>,
}

/// What the rules look at.
#[derive(Clone, Debug)]
pub struct Inputs<'a> {
    /// S1–S3.
    pub settings: &'a CrmSettings,
    /// The environment URL, for links to CRM records.
    pub environment_url: &'a str,
    /// Seat holders to evaluate.
    pub holders: &'a [SeatHolder],
    /// CRM users.
    pub users: &'a [CrmUser],
    /// Opportunities: at least the open ones the holders own and the won ones
    /// of those opportunities' accounts.
    pub opportunities: &'a [Opportunity],
    /// Accounts by id.
    pub accounts: &'a HashMap<String, Account>,
    /// Contacts (at least those of the accounts and opportunities concerned).
    pub contacts: &'a [Contact],
}

/// A saved account the CRM brings a seat holder.
#[derive(Clone, Debug, PartialEq)]
pub struct DesiredAccount {
    /// The seat holder.
    pub person_id: PersonId,
    /// `accountid`.
    pub crm_id: String,
    /// Account name.
    pub name: String,
    /// Link to the CRM record.
    pub crm_url: String,
    /// S3 sum over the account's won opportunities; `None` when S3 is "Not Sure".
    pub won_value: Option<f64>,
}

/// A saved lead the CRM brings a seat holder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DesiredLead {
    /// The seat holder.
    pub person_id: PersonId,
    /// `contactid`.
    pub crm_id: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Email.
    pub email: Option<String>,
    /// The contact's account's name.
    pub company: Option<String>,
    /// Link to the CRM record.
    pub crm_url: String,
}

/// Everything the CRM should bring, per seat holder, ordered by (person, CRM id).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Desired {
    /// Saved accounts.
    pub accounts: Vec<DesiredAccount>,
    /// Saved leads.
    pub leads: Vec<DesiredLead>,
}

/// The link to a CRM record's form.
pub fn record_url(environment_url: &str, entity: &str, id: &str) -> String {
    format!(
        "{}/main.aspx?etn={entity}&id={id}&pagetype=entityrecord",
        environment_url.trim_end_matches('/')
    )
}

/// Whether an opportunity is in a seat holder's pipeline: open, and at or past
/// the S2 stage (every open one when the stage is "Not Sure").
pub fn in_pipeline(opportunity: &Opportunity, pipeline_stage: Option<i32>) -> bool {
    opportunity.state == 0
        && match pipeline_stage {
            None => true,
            Some(min) => opportunity.stage.is_some_and(|s| s >= i64::from(min)),
        }
}

/// Applies S1–S4.
pub fn evaluate(inputs: &Inputs<'_>) -> Desired {
    let settings = inputs.settings;
    let mut won: HashMap<&str, f64> = HashMap::new();
    for o in inputs.opportunities.iter().filter(|o| o.state == 1) {
        if let Some(account) = o.account_id.as_deref() {
            *won.entry(account).or_default() += o.won_value.unwrap_or(0.0);
        }
    }
    let mut contacts_of: HashMap<&str, Vec<&Contact>> = HashMap::new();
    let mut contact_by_id: HashMap<&str, &Contact> = HashMap::new();
    for c in inputs.contacts {
        contact_by_id.insert(&c.id, c);
        if let Some(account) = c.account_id.as_deref() {
            contacts_of.entry(account).or_default().push(c);
        }
    }
    let pairs = owner_map(settings, inputs.holders, inputs.users);
    let mut owner_to_holders: HashMap<&str, Vec<&PersonId>> = HashMap::new();
    for (owner, person) in &pairs {
        owner_to_holders.entry(owner).or_default().push(person);
    }
    let mut accounts: BTreeMap<(PersonId, String), DesiredAccount> = BTreeMap::new();
    let mut leads: BTreeMap<(PersonId, String), DesiredLead> = BTreeMap::new();
    let company = |contact: &Contact| {
        contact
            .account_id
            .as_deref()
            .and_then(|a| inputs.accounts.get(a))
            .map(|a| a.name.clone())
    };
    for o in inputs.opportunities {
        if !in_pipeline(o, settings.pipeline_stage) {
            continue;
        }
        let Some(holders) = o
            .owner_id
            .as_deref()
            .and_then(|id| owner_to_holders.get(id))
        else {
            continue;
        };
        let account = o.account_id.as_deref().and_then(|a| inputs.accounts.get(a));
        let mut contacts: Vec<&Contact> = Vec::new();
        if let Some(c) = o.contact_id.as_deref().and_then(|c| contact_by_id.get(c)) {
            contacts.push(c);
        }
        if let Some(of_account) = o.account_id.as_deref().and_then(|a| contacts_of.get(a)) {
            contacts.extend(of_account.iter().copied());
        }
        for person in holders {
            if let Some(account) = account {
                accounts
                    .entry(((*person).clone(), account.id.clone()))
                    .or_insert_with(|| DesiredAccount {
                        person_id: (*person).clone(),
                        crm_id: account.id.clone(),
                        name: account.name.clone(),
                        crm_url: record_url(inputs.environment_url, "account", &account.id),
                        won_value: settings
                            .won_value_field
                            .as_ref()
                            .map(|_| won.get(account.id.as_str()).copied().unwrap_or(0.0)),
                    });
            }
            for contact in &contacts {
                leads
                    .entry(((*person).clone(), contact.id.clone()))
                    .or_insert_with(|| DesiredLead {
                        person_id: (*person).clone(),
                        crm_id: contact.id.clone(),
                        first_name: contact.first_name.clone(),
                        last_name: contact.last_name.clone(),
                        email: contact.email.clone(),
                        company: company(contact),
                        crm_url: record_url(inputs.environment_url, "contact", &contact.id),
                    });
            }
        }
    }
    Desired {
        accounts: accounts.into_values().collect(),
        leads: leads.into_values().collect(),
    }
}

/// Which seat holder each CRM user is: the pairs (CRM user id, seat holder)
/// of the seat holders with sync on (S1 Yes, or their switch) whose email
/// equals the user's `internalemailaddress`, trimmed, in any case.
pub fn owner_map(
    settings: &CrmSettings,
    holders: &[SeatHolder],
    users: &[CrmUser],
) -> Vec<(String, PersonId)> {
    let mut users_by_email: HashMap<String, Vec<&str>> = HashMap::new();
    for user in users {
        if let Some(email) = user.email.as_deref().filter(|e| !e.trim().is_empty()) {
            users_by_email
                .entry(email.trim().to_lowercase())
                .or_default()
                .push(&user.id);
        }
    }
    let mut pairs = Vec::new();
    for holder in holders {
        if !(settings.auto_sync_all || holder.crm_sync_enabled) {
            continue;
        }
        if let Some(ids) = users_by_email.get(&holder.email.trim().to_lowercase()) {
            for id in ids {
                pairs.push(((*id).to_owned(), holder.person_id.clone()));
            }
        }
    }
    pairs
}

/// The CRM user ids of the seat holders with sync on (for loading only what
/// they need).
pub fn owner_ids(settings: &CrmSettings, holders: &[SeatHolder], users: &[CrmUser]) -> Vec<String> {
    let emails: HashSet<String> = holders
        .iter()
        .filter(|h| settings.auto_sync_all || h.crm_sync_enabled)
        .map(|h| h.email.trim().to_lowercase())
        .collect();
    users
        .iter()
        .filter(|u| {
            u.email
                .as_deref()
                .is_some_and(|e| emails.contains(&e.trim().to_lowercase()))
        })
        .map(|u| u.id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENV: &str = "https://contoso.crm4.dynamics.com";

    fn holder(id: &str, email: &str, sync: bool) -> SeatHolder {
        SeatHolder {
            person_id: PersonId(id.into()),
            email: email.into(),
            crm_sync_enabled: sync,
        }
    }

    fn user(id: &str, email: &str) -> CrmUser {
        CrmUser {
            id: id.into(),
            email: Some(email.into()),
        }
    }

    fn opp(id: &str, state: i64, stage: i64, owner: &str, account: &str) -> Opportunity {
        Opportunity {
            id: id.into(),
            state,
            stage: Some(stage),
            owner_id: Some(owner.into()),
            account_id: Some(account.into()),
            contact_id: None,
            won_value: None,
        }
    }

    fn contact(id: &str, account: &str) -> Contact {
        Contact {
            id: id.into(),
            first_name: "Ada".into(),
            last_name: id.into(),
            email: Some(format!("{id}@x.test")),
            account_id: Some(account.into()),
        }
    }

    struct World {
        settings: CrmSettings,
        holders: Vec<SeatHolder>,
        users: Vec<CrmUser>,
        opportunities: Vec<Opportunity>,
        accounts: HashMap<String, Account>,
        contacts: Vec<Contact>,
    }

    impl World {
        fn new() -> Self {
            let accounts = ["a1", "a2"]
                .iter()
                .map(|id| {
                    (
                        (*id).to_string(),
                        Account {
                            id: (*id).into(),
                            name: format!("Account {id}"),
                        },
                    )
                })
                .collect();
            World {
                settings: CrmSettings {
                    auto_sync_all: true,
                    pipeline_stage: Some(1),
                    won_value_field: Some("actualvalue".into()),
                },
                holders: vec![
                    holder("sam", "Sam@Demo.test", false),
                    holder("kim", "kim@demo.test", false),
                ],
                users: vec![
                    user("u-sam", "sam@demo.test"),
                    user("u-kim", "KIM@demo.test"),
                ],
                opportunities: vec![opp("o1", 0, 2, "u-sam", "a1")],
                accounts,
                contacts: vec![contact("c1", "a1"), contact("c2", "a2")],
            }
        }

        fn run(&self) -> Desired {
            evaluate(&Inputs {
                settings: &self.settings,
                environment_url: ENV,
                holders: &self.holders,
                users: &self.users,
                opportunities: &self.opportunities,
                accounts: &self.accounts,
                contacts: &self.contacts,
            })
        }
    }

    fn account_ids(d: &Desired) -> Vec<(String, String)> {
        d.accounts
            .iter()
            .map(|a| (a.person_id.0.clone(), a.crm_id.clone()))
            .collect()
    }

    fn lead_ids(d: &Desired) -> Vec<(String, String)> {
        d.leads
            .iter()
            .map(|l| (l.person_id.0.clone(), l.crm_id.clone()))
            .collect()
    }

    #[test]
    fn an_open_opportunity_past_the_stage_brings_its_account_and_contacts() {
        let mut w = World::new();
        w.opportunities[0].contact_id = Some("c2".into());
        let d = w.run();
        assert_eq!(account_ids(&d), [("sam".into(), "a1".into())]);
        // The opportunity's contact (of another account) and the account's contacts.
        assert_eq!(
            lead_ids(&d),
            [("sam".into(), "c1".into()), ("sam".into(), "c2".into())]
        );
        assert_eq!(
            d.accounts[0].crm_url,
            format!("{ENV}/main.aspx?etn=account&id=a1&pagetype=entityrecord")
        );
        assert_eq!(
            d.leads[0].crm_url,
            format!("{ENV}/main.aspx?etn=contact&id=c1&pagetype=entityrecord")
        );
        assert_eq!(d.leads[1].company.as_deref(), Some("Account a2"));
    }

    #[test]
    fn emails_match_in_any_case_and_unmatched_holders_get_nothing() {
        let mut w = World::new();
        w.opportunities.push(opp("o2", 0, 3, "u-kim", "a2"));
        w.opportunities.push(opp("o3", 0, 3, "u-nobody", "a2"));
        let d = w.run();
        assert_eq!(
            account_ids(&d),
            [("kim".into(), "a2".into()), ("sam".into(), "a1".into())]
        );
        w.users.retain(|u| u.id != "u-kim");
        assert_eq!(account_ids(&w.run()), [("sam".into(), "a1".into())]);
    }

    #[test]
    fn the_stage_is_compared_by_option_value_and_not_sure_takes_every_open_one() {
        let mut w = World::new();
        w.opportunities[0].stage = Some(0);
        assert!(w.run().accounts.is_empty(), "below the stage");
        w.opportunities[0].stage = Some(1);
        assert_eq!(w.run().accounts.len(), 1, "at the stage");
        w.opportunities[0].stage = None;
        assert!(w.run().accounts.is_empty(), "no stage is not past one");
        w.settings.pipeline_stage = None;
        assert_eq!(w.run().accounts.len(), 1, "Not Sure: every open one");
    }

    #[test]
    fn closed_opportunities_bring_nothing() {
        let mut w = World::new();
        for state in [1, 2] {
            w.opportunities[0].state = state;
            let d = w.run();
            assert!(d.accounts.is_empty() && d.leads.is_empty(), "state {state}");
        }
    }

    #[test]
    fn s1_no_uses_the_per_seat_switch() {
        let mut w = World::new();
        w.settings.auto_sync_all = false;
        assert!(w.run().accounts.is_empty(), "sam's switch is off");
        w.holders[0].crm_sync_enabled = true;
        assert_eq!(w.run().accounts.len(), 1);
        assert_eq!(
            owner_ids(&w.settings, &w.holders, &w.users),
            vec!["u-sam".to_string()]
        );
    }

    #[test]
    fn the_won_value_sums_the_accounts_won_opportunities() {
        let mut w = World::new();
        let mut won = opp("w1", 1, 3, "u-other", "a1");
        won.won_value = Some(1000.0);
        let mut won2 = opp("w2", 1, 3, "u-sam", "a1");
        won2.won_value = Some(250.5);
        let mut lost = opp("l1", 2, 3, "u-sam", "a1");
        lost.won_value = Some(99.0);
        let mut elsewhere = opp("w3", 1, 3, "u-sam", "a2");
        elsewhere.won_value = Some(7.0);
        w.opportunities.extend([won, won2, lost, elsewhere]);
        let d = w.run();
        assert_eq!(account_ids(&d), [("sam".into(), "a1".into())]);
        assert_eq!(d.accounts[0].won_value, Some(1250.5));
        w.settings.won_value_field = None;
        assert_eq!(w.run().accounts[0].won_value, None, "Not Sure");
        w.settings.won_value_field = Some("actualvalue".into());
        w.opportunities.truncate(1);
        assert_eq!(w.run().accounts[0].won_value, Some(0.0), "no won ones");
    }

    #[test]
    fn two_opportunities_on_one_account_save_it_once() {
        let mut w = World::new();
        w.opportunities.push(opp("o2", 0, 3, "u-sam", "a1"));
        let d = w.run();
        assert_eq!(d.accounts.len(), 1);
        assert_eq!(d.leads.len(), 1);
    }

    #[test]
    fn a_missing_account_brings_only_the_contact() {
        let mut w = World::new();
        w.opportunities[0].account_id = Some("gone".into());
        w.opportunities[0].contact_id = Some("c1".into());
        let d = w.run();
        assert!(d.accounts.is_empty());
        assert_eq!(lead_ids(&d), [("sam".into(), "c1".into())]);
    }

    #[test]
    fn a_new_owner_takes_what_the_opportunity_brings() {
        let mut w = World::new();
        w.opportunities[0].owner_id = Some("u-kim".into());
        assert_eq!(account_ids(&w.run()), [("kim".into(), "a1".into())]);
    }
}
