//! Demo threads: a few InMails and messages for every demo seat holder, so
//! the inbox (H1) and the copy checkboxes (H2) have something to show. Some
//! counterparts carry an email and company (matchable), others only a name.
//!
//! Against the stand-in's demo CRM, Pieter de Boer (the newest thread) matches
//! a contact by email, so ticking his messages makes closed activities on
//! him; Nora Hendriks (email unknown to the CRM) and Lena Vos (nothing to match
//! on) end up unresolved, as open tasks in the report.

use navsync_api::Licence;
use navsync_api::messages::{Direction, ThreadKind};

use crate::demo::DEMO_PEOPLE;
use crate::store::{NewThread, Store, StoreError, now_unix};

fn demo_threads(now: i64) -> Vec<NewThread> {
    let hour = 3_600;
    let msg =
        |d: Direction, body: &str, ago: i64, unread: bool| (d, body.to_string(), now - ago, unread);
    vec![
        NewThread {
            kind: ThreadKind::Inmail,
            subject: "Quick question about your data platform".into(),
            first_name: "Nora".into(),
            last_name: "Hendriks".into(),
            email: Some("nora.hendriks@example.com".into()),
            profile_url: Some("https://www.linkedin.com/in/nora-hendriks".into()),
            company: Some("Brightwave".into()),
            messages: vec![
                msg(
                    Direction::Outbound,
                    "Hi Nora, do you have 20 minutes next week to talk about your reporting?",
                    50 * hour,
                    false,
                ),
                msg(
                    Direction::Inbound,
                    "Sure, Tuesday afternoon works for me.",
                    26 * hour,
                    true,
                ),
            ],
        },
        NewThread {
            kind: ThreadKind::Message,
            subject: "Follow-up after the fair".into(),
            first_name: "Pieter".into(),
            last_name: "de Boer".into(),
            // A contact in the demo CRM (dataverse-standin's demo), so the
            // demo shows matched closed activities.
            email: Some("pieter.deboer@northgate.example".into()),
            profile_url: Some("https://www.linkedin.com/in/pieter-de-boer-42".into()),
            company: Some("Northgate Logistics".into()),
            messages: vec![
                msg(
                    Direction::Inbound,
                    "Good meeting you at the fair! Send me the deck?",
                    10 * hour,
                    false,
                ),
                msg(
                    Direction::Outbound,
                    "Here it is, happy to walk you through it.",
                    9 * hour,
                    false,
                ),
                msg(
                    Direction::Inbound,
                    "Thanks, I'll share it with the team.",
                    2 * hour,
                    true,
                ),
            ],
        },
        NewThread {
            kind: ThreadKind::Inmail,
            subject: "Introduction".into(),
            first_name: "Lena".into(),
            last_name: "Vos".into(),
            email: None,
            profile_url: None,
            company: None,
            messages: vec![msg(
                Direction::Outbound,
                "Hi Lena, a colleague suggested I reach out.",
                80 * hour,
                false,
            )],
        },
    ]
}

/// Seeds the demo threads for every demo person with a team-member seat.
pub async fn seed(store: &Store) -> Result<(), StoreError> {
    let now = now_unix();
    for (email, _, licence) in DEMO_PEOPLE {
        if licence == Licence::Admin {
            continue;
        }
        let Some(person) = store.find_person_by_email(email).await? else {
            continue;
        };
        for thread in demo_threads(now) {
            store
                .insert_thread(&person.organization_id, &person.id, &thread, now)
                .await?;
        }
    }
    Ok(())
}
