//! Notes on saved leads and accounts (SPEC H2, H3, H4) in headless Chromium,
//! desktop and phone: with writeback on for notes, a new note's "Copy to CRM"
//! starts ticked; the seat holder adds one note as is and one unticked, on a
//! lead linked to a CRM contact, and a note on a saved account. The ticked
//! note reaches the contact in the stand-in as an annotation, once; the
//! unticked one never does, and each note shows its CRM state.

use std::time::{Duration, Instant};

use dataverse_standin::Table;
use dataverse_standin::api::writes::WriteSet;
use navsync_e2e::{App, Browser, DEMO_PASSWORD, Result, VIEWPORTS, Viewport};
use serde_json::{Value, json};

async fn checked(browser: &Browser, css: &str) -> Result<bool> {
    let value = browser
        .client
        .execute(
            "const b = document.querySelector(arguments[0]); return !!(b && b.checked);",
            vec![json!(css)],
        )
        .await?;
    Ok(value.as_bool() == Some(true))
}

async fn add_note(browser: &Browser, panel: &str, text: &str, copy: bool) -> Result<()> {
    browser
        .keys(&format!("{panel} textarea.notes__text"), text)
        .await?;
    let new_copy = format!("{panel} input.notes__new-copy");
    if checked(browser, &new_copy).await? != copy {
        browser.click(&new_copy).await?;
    }
    browser.click(&format!("{panel} button.notes__add")).await?;
    browser
        .wait_for_text(&format!("{panel} .notes__list"), text)
        .await?;
    // Saved: the form is empty again.
    let started = Instant::now();
    loop {
        let value = browser
            .client
            .execute(
                "return document.querySelector(arguments[0]).value;",
                vec![json!(format!("{panel} textarea.notes__text"))],
            )
            .await?;
        if value.as_str() == Some("") {
            return Ok(());
        }
        if started.elapsed() > navsync_e2e::WAIT {
            return Err(format!("{}: the note form kept {value}", browser.viewport.name).into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn notes(app: &App) -> Result<Vec<Value>> {
    let sam = app.api_session("sam@demo.test").await?;
    Ok(sam.send("GET", "/api/notes", None).await?["items"]
        .as_array()
        .cloned()
        .unwrap_or_default())
}

async fn flow(viewport: Viewport) -> Result<()> {
    let app = App::start_with_crm().await?;
    let crm = app.crm();
    let contact = crm.standin.create_row(
        Table::Contact,
        &json!({"firstname": "Ada", "lastname": "Noteworthy", "emailaddress1": "ada@example.org"}),
    )?;
    let admin = app.connect_crm().await?;
    admin
        .send(
            "PUT",
            "/api/admin/crm/writeback",
            Some(
                json!({"enabled": true, "all_items": false, "inmails": false,
                        "messages": false, "notes": true, "impersonation": false}),
            ),
        )
        .await?;
    let sam = app.api_session("sam@demo.test").await?;
    sam.send(
        "POST",
        "/api/saved-leads",
        Some(json!({"first_name": "Ada", "last_name": "Noteworthy",
                    "email": "ada@example.org", "crm_id": contact.to_string()})),
    )
    .await?;
    sam.send(
        "POST",
        "/api/saved-accounts",
        Some(json!({"name": "Notable Ltd"})),
    )
    .await?;

    let browser = Browser::open(viewport).await?;
    browser
        .sign_in(&app, "sam@demo.test", DEMO_PASSWORD)
        .await?;
    browser.wait_for_path("/messages").await?;
    browser.goto(&app.at("/saved-leads")).await?;
    browser
        .wait_for_text(".saved__list", "Ada Noteworthy")
        .await?;
    let lead = sam
        .send("GET", "/api/saved-leads?q=Noteworthy", None)
        .await?["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let panel = format!("details.notes[data-subject-id=\"{lead}\"]");
    browser
        .wait_for_text(&format!("{panel} summary"), "Notes (0)")
        .await?;
    browser.click(&format!("{panel} summary")).await?;
    browser
        .wait_for(&format!("{panel} textarea.notes__text"))
        .await?;
    assert!(
        checked(&browser, &format!("{panel} input.notes__new-copy")).await?,
        "{}: \"Copy to CRM\" starts as the admin's writeback choice (notes on)",
        viewport.name
    );
    // An empty note is refused with a message.
    browser.click(&format!("{panel} button.notes__add")).await?;
    browser
        .wait_for_text(&format!("{panel} .field__error"), "Write the note first.")
        .await?;

    add_note(&browser, &panel, "Wants a demo in March.", true).await?;
    add_note(&browser, &panel, "Private: budget is tight.", false).await?;
    browser
        .wait_for_text(&format!("{panel} summary"), "Notes (2)")
        .await?;
    browser.screenshot("notes-lead").await;

    // Delivered: the ticked note is an annotation on the contact, once.
    let started = Instant::now();
    let annotations = loop {
        let rows = crm.standin.written(WriteSet::Annotation);
        if !rows.is_empty() {
            break rows;
        }
        if started.elapsed() > Duration::from_secs(20) {
            return Err(format!("{}: the ticked note never reached the CRM", viewport.name).into());
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    tokio::time::sleep(Duration::from_secs(3)).await;
    let annotations_now = crm.standin.written(WriteSet::Annotation);
    assert_eq!(annotations_now.len(), 1, "{annotations_now:#?}");
    assert_eq!(annotations, annotations_now);
    assert_eq!(annotations_now[0]["notetext"], "Wants a demo in March.");
    assert_eq!(annotations_now[0]["_objectid_value"], contact.to_string());
    let saved = notes(&app).await?;
    let private = saved
        .iter()
        .find(|n| n["body"] == "Private: budget is tight.")
        .ok_or("the unticked note is missing")?;
    assert_eq!(private["copy_to_crm"], false);
    assert_eq!(private["crm"]["state"], "not_copied");

    // The list shows each note's state after a reload.
    browser.client.refresh().await?;
    browser
        .wait_for_text(".saved__list", "Ada Noteworthy")
        .await?;
    browser.click(&format!("{panel} summary")).await?;
    browser
        .wait_for_text(&format!("{panel} .notes__list"), "Copied to the CRM")
        .await?;
    browser
        .wait_for_text(&format!("{panel} .notes__list"), "Not copied")
        .await?;

    // Notes on a saved account.
    browser.goto(&app.at("/saved-accounts")).await?;
    browser.wait_for_text(".saved__list", "Notable Ltd").await?;
    let account = sam
        .send("GET", "/api/saved-accounts?q=Notable", None)
        .await?["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let panel = format!("details.notes[data-subject-id=\"{account}\"]");
    browser.click(&format!("{panel} summary")).await?;
    add_note(&browser, &panel, "Met their CFO.", false).await?;
    let saved = notes(&app).await?;
    let on_account = saved
        .iter()
        .find(|n| n["body"] == "Met their CFO.")
        .ok_or("the account note is missing")?;
    assert_eq!(on_account["subject_kind"], "account");
    assert_eq!(on_account["copy_to_crm"], false);

    // Ticking it afterwards is saved on the server.
    browser
        .click(&format!("{panel} li.notes__note input.notes__copy"))
        .await?;
    let started = Instant::now();
    loop {
        let saved = notes(&app).await?;
        if saved
            .iter()
            .any(|n| n["body"] == "Met their CFO." && n["copy_to_crm"] == true)
        {
            break;
        }
        if started.elapsed() > navsync_e2e::WAIT {
            return Err(format!("{}: ticking a note was not saved", viewport.name).into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    browser.screenshot("notes-account").await;
    browser.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seat_holders_write_notes_and_choose_what_goes_to_the_crm() -> Result<()> {
    for viewport in VIEWPORTS {
        flow(viewport)
            .await
            .map_err(|e| format!("at {}: {e}", viewport.name))?;
    }
    Ok(())
}
