//! The issue's "Done when", in headless Chromium at desktop and phone sizes:
//! the admin connects the CRM (the Dataverse stand-in) and switches writeback
//! on; the demo seat holder `sam@demo.test` opens the InMail thread with Nora
//! Hendriks (a CRM contact with her email), ticks "Copy thread", unticks one
//! message, and ticks "Copy thread" on the thread with Lena Vos (no CRM
//! contact). The test then reads the stand-in through its Web API with a
//! token, as a Dynamics user would see it: Nora's contact has exactly the
//! ticked message as a closed `li_inmail`, written once; Lena's message is an
//! open `task`, and the unresolved report lists it and resolves it ("Create
//! contact in CRM" on desktop, linking an existing contact on the phone): a
//! closed activity on that contact and the task completed.
//!
//! The CRM is unreachable while the seat holder makes their choices, so the
//! outbox worker cannot write the message that is ticked and then unticked
//! in between (an item already in the CRM stays there by design, H2). Once
//! the CRM is back, delivery is awaited by polling.

use std::time::{Duration, Instant};

use dataverse_standin::Table;
use navsync_e2e::{App, Browser, DEMO_PASSWORD, Result, VIEWPORTS, Viewport};
use serde_json::{Value, json};

const NORA_EMAIL: &str = "nora.hendriks@example.com";
/// How long delivery may take once the CRM is back: the worker's 2 s tick
/// plus the backoff of the attempts made while the CRM was down.
const DELIVERY: Duration = Duration::from_secs(30);

/// `GET <set>?$filter=...` on the stand-in's Web API with a bearer token.
async fn crm_rows(app: &App, query: &str) -> Result<Vec<Value>> {
    let crm = app.crm();
    let url = format!("{}/{query}", crm.api_url());
    let response = reqwest::Client::new()
        .get(&url)
        .bearer_auth(crm.standin.issue_token())
        .send()
        .await?;
    let status = response.status();
    let body: Value = response.json().await?;
    if !status.is_success() {
        return Err(format!("GET {url}: {status}: {body}").into());
    }
    Ok(body["value"].as_array().cloned().unwrap_or_default())
}

/// Polls until `check` gives `Some`, or fails saying what never happened.
async fn poll<T, F, Fut>(what: &str, limit: Duration, mut check: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<Option<T>>>,
{
    let started = Instant::now();
    loop {
        if let Some(found) = check().await? {
            return Ok(found);
        }
        if started.elapsed() > limit {
            return Err(format!("{what}: not seen within {} s", limit.as_secs()).into());
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// (checked, indeterminate) of the open thread's "Copy thread" box.
async fn thread_box(browser: &Browser) -> Result<(bool, bool)> {
    let value = browser
        .client
        .execute(
            "const b = document.querySelector('input.thread__copy-thread'); return b ? [b.checked, b.indeterminate] : [false, false];",
            vec![],
        )
        .await?;
    Ok((
        value[0].as_bool() == Some(true),
        value[1].as_bool() == Some(true),
    ))
}

async fn message_boxes(browser: &Browser) -> Result<Vec<bool>> {
    let value = browser
        .client
        .execute(
            "return [...document.querySelectorAll('li.thread__message input.thread__copy-message')].map(b => b.checked);",
            vec![],
        )
        .await?;
    Ok(value
        .as_array()
        .map(|a| a.iter().map(|b| b.as_bool() == Some(true)).collect())
        .unwrap_or_default())
}

/// The inbox row of the thread with `name`, as a CSS selector.
async fn row_of(browser: &Browser, name: &str) -> Result<String> {
    let started = Instant::now();
    loop {
        let id = browser
            .client
            .execute(
                "const row = [...document.querySelectorAll('li.messages__thread')].find(r => r.querySelector('.messages__name')?.textContent.trim() === arguments[0]); return row ? row.dataset.threadId : null;",
                vec![json!(name)],
            )
            .await?;
        if let Some(id) = id.as_str() {
            return Ok(format!("li.messages__thread[data-thread-id=\"{id}\"]"));
        }
        if started.elapsed() > navsync_e2e::WAIT {
            return Err(format!("{}: no inbox row for {name}", browser.viewport.name).into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the server has saved every choice: no save is pending.
async fn saved(browser: &Browser, app: &App, thread: &str, want: &[bool]) -> Result<()> {
    let sam = app.api_session("sam@demo.test").await?;
    poll(
        "the choices saved on the server",
        navsync_e2e::WAIT,
        || async {
            let t = sam
                .send("GET", &format!("/api/threads/{thread}"), None)
                .await?;
            let have: Vec<bool> = t["messages"]
                .as_array()
                .map(|m| m.iter().map(|m| m["copy_to_crm"] == true).collect())
                .unwrap_or_default();
            Ok((have == want).then_some(()))
        },
    )
    .await
    .map_err(|e| format!("{}: {e}", browser.viewport.name).into())
}

async fn flow(viewport: Viewport) -> Result<()> {
    let app = App::start_with_crm().await?;
    let crm = app.crm();
    let brightwave = crm
        .standin
        .create_row(Table::Account, &json!({"name": "Brightwave"}))?;
    let nora = crm.standin.create_row(
        Table::Contact,
        &json!({"firstname": "Nora", "lastname": "Hendriks", "emailaddress1": NORA_EMAIL,
                "_parentcustomerid_value": brightwave.to_string()}),
    )?;
    let admin = app.connect_crm().await?;
    admin
        .send("POST", "/api/admin/crm-users/refresh", Some(json!({})))
        .await?;
    admin
        .send(
            "PUT",
            "/api/admin/crm/writeback",
            Some(json!({"enabled": true, "all_items": true, "inmails": true,
                        "messages": true, "notes": true, "impersonation": false})),
        )
        .await?;

    // The seat holder chooses while the CRM cannot be reached.
    app.inject_faults(json!({"unreachable": true})).await?;
    let browser = Browser::open(viewport).await?;
    browser
        .sign_in(&app, "sam@demo.test", DEMO_PASSWORD)
        .await?;
    browser.wait_for_path("/messages").await?;

    // Nora: tick the whole thread, then untick the first message.
    let nora_row = row_of(&browser, "Nora Hendriks").await?;
    let nora_thread = browser
        .client
        .execute(
            "return document.querySelector(arguments[0]).dataset.threadId;",
            vec![json!(nora_row)],
        )
        .await?
        .as_str()
        .unwrap_or_default()
        .to_string();
    browser
        .click(&format!("{nora_row} button.messages__open"))
        .await?;
    browser
        .wait_for_text(".thread__title", "Nora Hendriks")
        .await?;
    browser.wait_for_text(".thread", "Copy thread").await?;
    browser
        .wait_for_text(".thread", "Copy message to CRM")
        .await?;
    poll("Nora's two messages", navsync_e2e::WAIT, || async {
        Ok((message_boxes(&browser).await?.len() == 2).then_some(()))
    })
    .await?;
    browser.click("input.thread__copy-thread").await?;
    poll("every message ticked", navsync_e2e::WAIT, || async {
        Ok(message_boxes(&browser)
            .await?
            .iter()
            .all(|b| *b)
            .then_some(()))
    })
    .await?;
    browser
        .click("li.thread__message:nth-of-type(1) input.thread__copy-message")
        .await?;
    poll("the thread box mixed", navsync_e2e::WAIT, || async {
        Ok(thread_box(&browser).await?.1.then_some(()))
    })
    .await?;
    saved(&browser, &app, &nora_thread, &[false, true]).await?;

    // Lena: tick "Copy thread" on her inbox row (phones: back to the inbox first).
    if viewport.width <= 768 {
        browser.click("button.thread__back").await?;
    }
    let lena_row = row_of(&browser, "Lena Vos").await?;
    let lena_thread = browser
        .client
        .execute(
            "return document.querySelector(arguments[0]).dataset.threadId;",
            vec![json!(lena_row)],
        )
        .await?
        .as_str()
        .unwrap_or_default()
        .to_string();
    browser
        .click(&format!("{lena_row} input.messages__copy-thread"))
        .await?;
    saved(&browser, &app, &lena_thread, &[true]).await?;
    browser.screenshot("writeback-chosen").await;

    // The CRM is back: the worker delivers.
    let sam = app.api_session("sam@demo.test").await?;
    let nora_messages = sam
        .send("GET", &format!("/api/threads/{nora_thread}"), None)
        .await?["messages"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let ticked_body = nora_messages[1]["body"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let unticked_body = nora_messages[0]["body"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    app.clear_faults().await?;
    let back = Instant::now();
    let on_nora = format!("li_inmails?$filter=_regardingobjectid_value eq {nora}");
    let activities = poll(
        "the ticked message as an activity on Nora's contact",
        DELIVERY,
        || async {
            let rows = crm_rows(&app, &on_nora).await?;
            Ok((!rows.is_empty()).then_some(rows))
        },
    )
    .await
    .map_err(|e| format!("{}: {e} (outbox worker not delivering?)", viewport.name))?;
    let open_tasks = poll("Lena's message as an open task", DELIVERY, || async {
        let rows = crm_rows(&app, "tasks?$filter=statecode eq 0").await?;
        Ok((!rows.is_empty()).then_some(rows))
    })
    .await
    .map_err(|e| format!("{}: {e} (outbox worker not delivering?)", viewport.name))?;
    eprintln!(
        "{}: delivered {:.1} s after the CRM came back",
        viewport.name,
        back.elapsed().as_secs_f64()
    );
    // Let a second, wrong write (a duplicate, the unticked message) show up if any.
    tokio::time::sleep(Duration::from_secs(3)).await;

    let activities_now = crm_rows(&app, &on_nora).await?;
    assert_eq!(
        activities_now.len(),
        1,
        "{}: Nora's contact must have exactly the one ticked message: {activities_now:#?}",
        viewport.name
    );
    assert_eq!(activities, activities_now);
    let activity = &activities_now[0];
    assert_eq!(activity["description"], ticked_body.as_str());
    assert_ne!(activity["description"], unticked_body.as_str());
    assert_eq!(activity["statecode"], 1, "closed: {activity}");
    assert_eq!(activity["statuscode"], 2, "completed: {activity}");
    let messages_on_nora = crm_rows(
        &app,
        &format!("li_messages?$filter=_regardingobjectid_value eq {nora}"),
    )
    .await?;
    assert!(messages_on_nora.is_empty(), "{messages_on_nora:#?}");
    let written = crm.standin.stats().writes;
    assert_eq!(
        written.get("li_inmails").copied().unwrap_or(0),
        1,
        "{}: one write of the activity: {written:?}",
        viewport.name
    );
    assert_eq!(written.get("tasks").copied().unwrap_or(0), 1, "{written:?}");

    let tasks = crm_rows(&app, "tasks?$filter=statecode eq 0").await?;
    assert_eq!(tasks.len(), 1, "{}: {tasks:#?}", viewport.name);
    assert_eq!(tasks, open_tasks);
    let lena_body = sam
        .send("GET", &format!("/api/threads/{lena_thread}"), None)
        .await?["messages"][0]["body"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        tasks[0]["description"]
            .as_str()
            .is_some_and(|d| d.contains(&lena_body)),
        "the task carries Lena's message: {}",
        tasks[0]
    );
    assert!(
        tasks[0]["subject"]
            .as_str()
            .is_some_and(|s| s.contains("Lena Vos"))
    );

    // The seat holder sees where each item went: Nora's ticked message says
    // which rule matched and links to its CRM record (H4, R3).
    browser.client.refresh().await?;
    browser.wait_for_path("/messages").await?;
    let nora_open = format!(
        "{} button.messages__open",
        row_of(&browser, "Nora Hendriks").await?
    );
    browser.click(&nora_open).await?;
    browser
        .wait_for_text(".thread__title", "Nora Hendriks")
        .await?;
    let copied = "li.thread__message:nth-of-type(2) .thread__crm-state";
    browser
        .wait_for_text(copied, "Copied to the CRM — matched by email")
        .await?;
    let link = browser
        .wait_for(&format!("{copied} a.thread__crm-link"))
        .await?;
    assert_eq!(link.text().await?.trim(), "Open in CRM");
    assert_eq!(
        link.attr("href").await?.unwrap_or_default(),
        format!(
            "{}/main.aspx?etn=li_inmail&id={}&pagetype=entityrecord",
            crm.base_url.trim_end_matches('/'),
            activity["activityid"].as_str().unwrap_or_default()
        ),
        "{}",
        viewport.name
    );
    browser
        .wait_for_text(
            "li.thread__message:nth-of-type(1) .thread__crm-state",
            "Not copied to the CRM",
        )
        .await?;
    browser.screenshot("writeback-copied-rule").await;
    if viewport.width <= 768 {
        browser.click("button.thread__back").await?;
    }
    let lena_open = format!(
        "{} button.messages__open",
        row_of(&browser, "Lena Vos").await?
    );
    browser.click(&lena_open).await?;
    browser.wait_for_text(".thread__title", "Lena Vos").await?;
    browser
        .wait_for_text("li.thread__message .thread__crm-state", "Unresolved")
        .await?;
    browser.screenshot("writeback-unresolved").await;
    let report = sam.send("GET", "/api/unresolved", None).await?;
    let items = report["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 1, "{report}");
    assert_eq!(items[0]["participant"]["name"], "Lena Vos");
    assert_eq!(items[0]["task_id"], tasks[0]["activityid"]);

    // The unresolved report lists it, with why nothing matched, and resolves it:
    // on desktop by "Create contact in CRM", on the phone by linking a contact.
    // Phones: the navigation sits behind the menu button.
    if browser
        .wait_for(".shell__menu-button")
        .await?
        .is_displayed()
        .await?
    {
        browser.click(".shell__menu-button").await?;
        browser.wait_for(".shell__nav--open").await?;
    }
    browser.click(".shell__nav a[href=\"/unresolved\"]").await?;
    browser.wait_for_path("/unresolved").await?;
    let item = format!(
        "li.unresolved__item[data-item-id=\"{}\"]",
        items[0]["id"].as_str().unwrap_or_default()
    );
    browser.wait_for_text(&item, "Lena Vos").await?;
    browser.wait_for_text(&item, &lena_body).await?;
    let reason = items[0]["reason"].as_str().unwrap_or_default();
    assert!(!reason.is_empty());
    browser.wait_for_text(&item, reason).await?;
    browser.screenshot("unresolved-report").await;
    let contact = if viewport.width > 768 {
        browser
            .click(&format!("{item} button.unresolved__create"))
            .await?;
        None
    } else {
        let lena = crm.standin.create_row(
            Table::Contact,
            &json!({"firstname": "Lena", "lastname": "Vos", "emailaddress1": "lena.vos@example.org"}),
        )?;
        let input = format!("{item} input.unresolved__contact");
        browser.keys(&input, "not a contact").await?;
        browser
            .click(&format!("{item} button.unresolved__link-button"))
            .await?;
        browser
            .wait_for_text(&item, "Enter the contact's ID")
            .await?;
        browser
            .client
            .execute(
                "document.querySelector(arguments[0]).value = '';",
                vec![json!(input)],
            )
            .await?;
        let link = format!(
            "{}/main.aspx?etn=contact&id={lena}&pagetype=entityrecord",
            crm.base_url
        );
        browser.keys(&input, &link).await?;
        browser
            .click(&format!("{item} button.unresolved__link-button"))
            .await?;
        Some(lena)
    };
    browser
        .wait_for_text(&format!("{item} .unresolved__status"), "Copied to the CRM")
        .await?;
    let href = browser
        .wait_for(&format!("{item} a.unresolved__crm-link"))
        .await?
        .attr("href")
        .await?
        .unwrap_or_default();
    browser.screenshot("unresolved-resolved").await;
    let inmails = crm
        .standin
        .written(dataverse_standin::api::writes::WriteSet::InMail);
    let on_lena: Vec<&Value> = inmails
        .iter()
        .filter(|r| r["description"] == lena_body.as_str())
        .collect();
    assert_eq!(on_lena.len(), 1, "{}: {inmails:#?}", viewport.name);
    assert_eq!(on_lena[0]["statecode"], 1, "closed: {}", on_lena[0]);
    let regarding = on_lena[0]["_regardingobjectid_value"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    if let Some(lena) = contact {
        assert_eq!(regarding, lena.to_string(), "linked to the contact entered");
    } else {
        let row = crm
            .standin
            .row(Table::Contact, regarding.parse()?)
            .ok_or("the created contact is not in the CRM")?;
        assert_eq!(row["fullname"], "Lena Vos");
    }
    assert!(
        href.contains(&regarding),
        "the link {href} goes to the contact {regarding}"
    );
    let completed = crm_rows(&app, "tasks?$filter=statecode eq 1").await?;
    assert_eq!(completed.len(), 1, "the task is completed: {completed:#?}");
    assert!(
        crm_rows(&app, "tasks?$filter=statecode eq 0")
            .await?
            .is_empty()
    );
    browser.client.refresh().await?;
    browser.wait_for(".unresolved__empty").await?;
    browser.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_the_seat_holder_ticks_reaches_the_matched_contact_exactly_once() -> Result<()> {
    for viewport in VIEWPORTS {
        flow(viewport)
            .await
            .map_err(|e| format!("at {}: {e}", viewport.name))?;
    }
    Ok(())
}
