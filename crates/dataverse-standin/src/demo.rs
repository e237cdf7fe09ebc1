//! The deterministic demo CRM: accounts with contacts, leads, CRM users (the demo people
//! plus CRM-only colleagues) and opportunities spread over owners, stages and outcomes.
//!
//! Everything comes from one seeded [`StdRng`], so the same `(opportunities, seed)` gives
//! the same GUIDs and rows on every machine.

use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

use crate::store::schema::Table;
use crate::store::{Cell, CrmData};

/// The demo people of the Navsync workspace, matched to CRM users by email.
pub const DEMO_PEOPLE: &[(&str, &str)] = &[
    ("sam@demo.test", "Sam Carter"),
    ("alex@demo.test", "Alex Rivera"),
    ("jordan@demo.test", "Jordan Lee"),
    ("robin@demo.test", "Robin Jansen"),
    ("kim@demo.test", "Kim Novak"),
    ("morgan@demo.test", "Morgan Blake"),
    ("admin@demo.test", "Demo Admin"),
];

/// CRM users with no Navsync seat; the `bool` is `isdisabled`.
pub const CRM_ONLY_USERS: &[(&str, &str, bool)] = &[
    ("noor.smit@demo.test", "Noor Smit", false),
    ("lars.berg@demo.test", "Lars Berg", false),
    ("ines.costa@demo.test", "Ines Costa", false),
    ("tomas.kral@demo.test", "Tomas Kral", false),
    ("mei.tanaka@demo.test", "Mei Tanaka", false),
    ("omar.haddad@demo.test", "Omar Haddad", false),
    ("eva.lindqvist@demo.test", "Eva Lindqvist", false),
    ("pieter.devries@demo.test", "Pieter de Vries", false),
    ("ana.popescu@demo.test", "Ana Popescu", false),
    ("felix.wagner@demo.test", "Felix Wagner", false),
    ("chloe.martin@demo.test", "Chloe Martin", false),
    ("raj.patel@demo.test", "Raj Patel", false),
    ("old.sales@demo.test", "Olga Sales (left)", true),
    ("former.rep@demo.test", "Frank Former", true),
    ("intern.2023@demo.test", "Ivy Intern", true),
];

const COMPANY_STEMS: &[&str] = &[
    "Contoso",
    "Fabrikam",
    "Northwind",
    "Adventure Works",
    "Tailspin",
    "Wingtip",
    "Litware",
    "Proseware",
    "Alpine Ski",
    "Blue Yonder",
    "Coho Winery",
    "Fourth Coffee",
    "Humongous",
    "Lucerne",
    "Margie's Travel",
    "Nod Publishers",
    "Southridge Video",
    "Trey Research",
    "Wide World",
    "Woodgrove",
    "Relecloud",
    "Datum",
    "Bellows College",
    "Graphic Design",
];
const COMPANY_SUFFIXES: &[&str] = &[
    "Inc",
    "Ltd",
    "GmbH",
    "BV",
    "Group",
    "Labs",
    "Systems",
    "Partners",
    "Holdings",
    "Logistics",
];
const CITIES: &[(&str, &str)] = &[
    ("Amsterdam", "Netherlands"),
    ("Utrecht", "Netherlands"),
    ("Berlin", "Germany"),
    ("Munich", "Germany"),
    ("London", "United Kingdom"),
    ("Manchester", "United Kingdom"),
    ("Paris", "France"),
    ("Lyon", "France"),
    ("Stockholm", "Sweden"),
    ("Madrid", "Spain"),
    ("Seattle", "United States"),
    ("Austin", "United States"),
];
const FIRST_NAMES: &[&str] = &[
    "Anna", "Ben", "Carla", "David", "Elif", "Finn", "Grace", "Hugo", "Isla", "Jonas", "Kaito",
    "Lena", "Marco", "Nina", "Oscar", "Priya", "Quinn", "Rosa", "Stefan", "Tara", "Umar", "Vera",
    "Wim", "Yara", "Zoe",
];
const LAST_NAMES: &[&str] = &[
    "Andersen", "Bakker", "Chen", "Dubois", "Eriksen", "Fischer", "Garcia", "Hansen", "Ivanova",
    "Jensen", "Kowalski", "Lopez", "Meyer", "Nakamura", "Olsen", "Peeters", "Rossi", "Schmidt",
    "Torres", "Visser", "Weber", "Young",
];
const JOB_TITLES: &[&str] = &[
    "CEO",
    "CTO",
    "Head of Sales",
    "Procurement Manager",
    "VP Marketing",
    "Operations Director",
    "IT Manager",
    "Finance Director",
];
const DEAL_PATTERNS: &[&str] = &[
    "{} expansion",
    "{} renewal",
    "New business: {}",
    "{} pilot",
    "{} platform upgrade",
];

fn random_guid(rng: &mut StdRng) -> Uuid {
    uuid::Builder::from_random_bytes(rng.r#gen()).into_uuid()
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn round_to(value: f64, step: f64) -> f64 {
    (value / step).round() * step
}

/// Generates the demo CRM with `opportunities` opportunities, deterministically from `seed`.
///
/// Shape: `max(5, opportunities / 3)` accounts with 1–3 contacts each (emails
/// `firstname.lastname@<account domain>`), `max(10, opportunities / 10)` leads, the
/// Integration User, the seven demo people and fifteen CRM-only users (three disabled),
/// and opportunities of which ~70% are open (all four stages), ~20% won and ~10% lost,
/// ~85% owned by the demo people.
pub fn demo_crm(opportunities: usize, seed: u64) -> CrmData {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut data = CrmData::empty();
    let epoch: DateTime<Utc> = DateTime::parse_from_rfc3339("2024-01-01T08:00:00Z")
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default();
    let when = |rng: &mut StdRng| Cell::Time(epoch + Duration::minutes(rng.gen_range(0..525_600)));

    // Users: the demo people own most of the pipeline.
    let mut demo_owners = Vec::new();
    let mut other_owners = Vec::new();
    let users = DEMO_PEOPLE
        .iter()
        .map(|(email, name)| (*email, *name, false, true))
        .chain(
            CRM_ONLY_USERS
                .iter()
                .map(|(email, name, disabled)| (*email, *name, *disabled, false)),
        );
    for (email, name, disabled, demo) in users {
        let id = random_guid(&mut rng);
        let aad = random_guid(&mut rng);
        let created = when(&mut rng);
        data.insert_generated(
            Table::SystemUser,
            id,
            &[
                ("fullname", Cell::text(name)),
                ("internalemailaddress", Cell::text(email)),
                ("azureactivedirectoryobjectid", Cell::Guid(aad)),
                ("isdisabled", Cell::Bool(disabled)),
                ("createdon", created),
            ],
        );
        // The admin and disabled users own little or nothing.
        match (demo, disabled, email) {
            (true, _, "admin@demo.test") => {}
            (true, _, _) => demo_owners.push(id),
            (false, false, _) => other_owners.push(id),
            (false, true, _) => {}
        }
    }
    let owner = |rng: &mut StdRng| {
        if rng.gen_bool(0.85) {
            *pick(rng, &demo_owners)
        } else {
            *pick(rng, &other_owners)
        }
    };

    // Accounts, each with 1-3 contacts whose ids are remembered for the opportunities.
    let account_count = (opportunities / 3).max(5);
    let combos = COMPANY_STEMS.len() * COMPANY_SUFFIXES.len();
    let mut accounts: Vec<(Uuid, Vec<Uuid>)> = Vec::with_capacity(account_count);
    for i in 0..account_count {
        let stem = COMPANY_STEMS[i % COMPANY_STEMS.len()];
        let suffix = COMPANY_SUFFIXES[(i / COMPANY_STEMS.len()) % COMPANY_SUFFIXES.len()];
        let name = if i < combos {
            format!("{stem} {suffix}")
        } else {
            format!("{stem} {suffix} {}", i / combos + 1)
        };
        let domain = format!("{}.example", slug(&name));
        let (city, country) = *pick(&mut rng, CITIES);
        let id = random_guid(&mut rng);
        let account_owner = owner(&mut rng);
        let created = when(&mut rng);
        data.insert_generated(
            Table::Account,
            id,
            &[
                ("name", Cell::text(name.as_str())),
                ("websiteurl", Cell::text(format!("https://www.{domain}"))),
                ("address1_city", Cell::text(city)),
                ("address1_country", Cell::text(country)),
                ("statecode", Cell::Int(0)),
                ("_ownerid_value", Cell::Guid(account_owner)),
                ("createdon", created),
            ],
        );
        let mut contacts = Vec::new();
        for _ in 0..rng.gen_range(1..=3) {
            let first = *pick(&mut rng, FIRST_NAMES);
            let last = *pick(&mut rng, LAST_NAMES);
            let contact = random_guid(&mut rng);
            let created = when(&mut rng);
            let title = *pick(&mut rng, JOB_TITLES);
            data.insert_generated(
                Table::Contact,
                contact,
                &[
                    ("firstname", Cell::text(first)),
                    ("lastname", Cell::text(last)),
                    ("fullname", Cell::text(format!("{first} {last}"))),
                    (
                        "emailaddress1",
                        Cell::text(format!(
                            "{}.{}@{domain}",
                            first.to_lowercase(),
                            last.to_lowercase()
                        )),
                    ),
                    ("jobtitle", Cell::text(title)),
                    ("_parentcustomerid_value", Cell::Guid(id)),
                    ("statecode", Cell::Int(0)),
                    ("_ownerid_value", Cell::Guid(account_owner)),
                    ("createdon", created),
                ],
            );
            contacts.push(contact);
        }
        accounts.push((id, contacts));
    }

    for i in 0..(opportunities / 10).max(10) {
        let first = *pick(&mut rng, FIRST_NAMES);
        let last = *pick(&mut rng, LAST_NAMES);
        let company = format!("{} Prospect {}", pick(&mut rng, COMPANY_STEMS), i + 1);
        let id = random_guid(&mut rng);
        let lead_owner = owner(&mut rng);
        let created = when(&mut rng);
        data.insert_generated(
            Table::Lead,
            id,
            &[
                ("firstname", Cell::text(first)),
                ("lastname", Cell::text(last)),
                ("fullname", Cell::text(format!("{first} {last}"))),
                (
                    "emailaddress1",
                    Cell::text(format!(
                        "{}.{}@{}.example",
                        first.to_lowercase(),
                        last.to_lowercase(),
                        slug(&company)
                    )),
                ),
                ("companyname", Cell::text(company)),
                ("statecode", Cell::Int(0)),
                ("_ownerid_value", Cell::Guid(lead_owner)),
                ("createdon", created),
            ],
        );
    }

    let stages = data.sales_stages.clone();
    for _ in 0..opportunities {
        let (account, contacts) = pick(&mut rng, &accounts).clone();
        let contact = *pick(&mut rng, &contacts);
        let account_name = data
            .primary_name(Table::Account, account)
            .unwrap_or_default();
        let name = pick(&mut rng, DEAL_PATTERNS).replace("{}", &account_name);
        let roll: f64 = rng.r#gen();
        // 70% open, 20% won, 10% lost.
        let (state, status) = if roll < 0.7 {
            (0, if rng.gen_bool(0.9) { 1 } else { 2 })
        } else if roll < 0.9 {
            (1, 3)
        } else {
            (2, if rng.gen_bool(0.5) { 4 } else { 5 })
        };
        let stage = if state == 1 {
            stages.last().cloned()
        } else {
            Some(pick(&mut rng, &stages).clone())
        };
        let estimated = round_to(rng.gen_range(5_000.0..500_000.0), 100.0);
        let actual = (state == 1).then(|| round_to(estimated * rng.gen_range(0.8..1.2), 10.0));
        let won_value = actual.map(|a| round_to(a * rng.gen_range(0.85..1.0), 10.0));
        let money = |v: Option<f64>| v.map_or(Cell::Null, Cell::Money);
        let id = random_guid(&mut rng);
        let opportunity_owner = owner(&mut rng);
        let created = when(&mut rng);
        let rating = rng.gen_range(1..=3);
        data.insert_generated(
            Table::Opportunity,
            id,
            &[
                ("name", Cell::text(name)),
                ("statecode", Cell::Int(state)),
                ("statuscode", Cell::Int(status)),
                (
                    "salesstage",
                    stage.as_ref().map_or(Cell::Null, |s| Cell::Int(s.value)),
                ),
                ("opportunityratingcode", Cell::Int(rating)),
                (
                    "stepname",
                    stage.as_ref().map_or(Cell::Null, |s| {
                        Cell::text(format!("{}-{}", s.value + 1, s.label))
                    }),
                ),
                ("estimatedvalue", Cell::Money(estimated)),
                ("actualvalue", money(actual)),
                ("totalamount", Cell::Money(round_to(estimated * 0.95, 10.0))),
                ("new_wonvalue", money(won_value)),
                ("_ownerid_value", Cell::Guid(opportunity_owner)),
                ("_parentaccountid_value", Cell::Guid(account)),
                ("_parentcontactid_value", Cell::Guid(contact)),
                ("createdon", created),
            ],
        );
    }
    writeback_contacts(&mut data, &accounts, epoch);
    data
}

/// The CRM contact of Navsync's demo threads (see the server's
/// `writeback::demo`): Pieter de Boer, found by email (and LinkedIn profile
/// URL), so what a demo seat holder ticks on his thread becomes closed
/// activities on him; the other demo counterparts (Nora Hendriks, Lena Vos)
/// have no contact and end up unresolved. Added after the generated rows, with
/// an id that sorts last, so the generated data is the same as without it.
pub const WRITEBACK_DEMO_CONTACT: Uuid = Uuid::from_u128(0xffff_ffff_ffff_4fff_bfff_0000_0000_0001);

/// The demo counterpart's email that [`WRITEBACK_DEMO_CONTACT`] carries.
pub const WRITEBACK_DEMO_EMAIL: &str = "pieter.deboer@northgate.example";

fn writeback_contacts(data: &mut CrmData, accounts: &[(Uuid, Vec<Uuid>)], epoch: DateTime<Utc>) {
    let Some((account, _)) = accounts.first() else {
        return;
    };
    let owner = data
        .row_json(Table::Account, *account)
        .and_then(|a| a["_ownerid_value"].as_str().and_then(|o| o.parse().ok()));
    data.insert_generated(
        Table::Contact,
        WRITEBACK_DEMO_CONTACT,
        &[
            ("firstname", Cell::text("Pieter")),
            ("lastname", Cell::text("de Boer")),
            ("fullname", Cell::text("Pieter de Boer")),
            ("emailaddress1", Cell::text(WRITEBACK_DEMO_EMAIL)),
            (
                "new_linkedinurl",
                Cell::text("https://www.linkedin.com/in/pieter-de-boer-42"),
            ),
            ("jobtitle", Cell::text("Head of Operations")),
            ("_parentcustomerid_value", Cell::Guid(*account)),
            ("statecode", Cell::Int(0)),
            ("_ownerid_value", owner.map_or(Cell::Null, Cell::Guid)),
            ("createdon", Cell::Time(epoch)),
        ],
    );
}
