//! The admin's writeback settings on CRM Settings (SPEC W1, W2, W4, R3) in
//! real headless Chromium against the Dataverse stand-in, at desktop and
//! phone size: the question; with the companion solution missing, the
//! "Get it now" message and a refused Yes that saves nothing; with it
//! present, Yes with only messages and notes, kept after a reload and on the
//! server; impersonation with its fallback when the Integration User lacks
//! the privilege; the profile URL column with the server's refusals at the
//! field; no serious or critical axe-core violations in these states; and
//! (desktop) the same choices made with the keyboard only.

use fantoccini::Locator;
use fantoccini::key::Key;
use navsync_e2e::{ApiSession, App, Browser, DEMO_PASSWORD, Result, VIEWPORTS, Viewport};
use serde_json::{Value, json};

const PAGE: &str = "/admin/crm-settings";
const QUESTION: &str = "Enable Sales Navigator to sync back data to your CRM?";
const MISSING: &str = "The companion solution is not installed in your CRM";
const REFUSED: &str = "Not saved: the companion solution is not installed in your CRM.";
const FALLBACK: &str = "The Integration User lacks the privilege to act on behalf of other users";

async fn click(browser: &Browser, css: &str) -> Result<()> {
    browser.wait_for(css).await?.click().await?;
    Ok(())
}

async fn checked(browser: &Browser, css: &str) -> Result<bool> {
    Ok(browser.wait_for(css).await?.is_selected().await?)
}

async fn set_checked(browser: &Browser, css: &str, want: bool) -> Result<()> {
    if checked(browser, css).await? != want {
        click(browser, css).await?;
    }
    assert_eq!(checked(browser, css).await?, want, "{css}");
    Ok(())
}

async fn present(browser: &Browser, css: &str) -> Result<bool> {
    Ok(browser.client.find(Locator::Css(css)).await.is_ok())
}

async fn focused_id(browser: &Browser) -> Result<String> {
    let id = browser
        .client
        .execute(
            "return document.activeElement && document.activeElement.id;",
            vec![],
        )
        .await?;
    Ok(id.as_str().unwrap_or_default().to_owned())
}

/// Zero serious or critical axe-core violations on the page as it is now.
async fn no_axe_violations(browser: &Browser, state: &str) -> Result<()> {
    let violations = browser.axe().await?;
    assert!(
        violations.is_empty(),
        "{state} at {}: {violations:?}",
        browser.viewport.name
    );
    Ok(())
}

async fn open_page(browser: &Browser, app: &App) -> Result<()> {
    browser.goto(&app.at(PAGE)).await?;
    browser
        .wait_for_text("#crm-writeback-title", "Activity writeback")
        .await?;
    browser
        .wait_for_text(".crm-writeback__form legend", QUESTION)
        .await?;
    Ok(())
}

async fn settings(admin: &ApiSession) -> Result<Value> {
    Ok(admin.send("GET", "/api/admin/crm/writeback", None).await?["settings"].clone())
}

async fn flow(viewport: Viewport) -> Result<()> {
    let phone = viewport.name == "phone";
    let app = App::start_with_crm().await?;
    if phone {
        // The Integration User may not impersonate: W4 falls back and says so.
        app.inject_faults(json!({"missing_privileges": ["prvActOnBehalfOfAnotherUser"]}))
            .await?;
    }
    let admin = app.connect_crm().await?;
    app.inject_faults(json!({"solution_missing": true})).await?;
    let status = admin.send("GET", "/api/admin/crm/writeback", None).await?;
    assert_eq!(status["installed"], false, "{status}");
    let get_it = status["get_it_url"].as_str().unwrap_or_default().to_owned();
    assert!(get_it.starts_with("http"), "{status}");

    let browser = Browser::open(viewport).await?;
    browser
        .sign_in(&app, "admin@demo.test", DEMO_PASSWORD)
        .await?;
    browser.wait_for(".shell__sign-out").await?;
    open_page(&browser, &app).await?;

    // W1 with the companion solution missing: says so, "Get it now", refresh.
    browser
        .wait_for_text(".crm-writeback__missing", MISSING)
        .await?;
    let link = browser
        .wait_for_text("a.crm-writeback__get-it", "Get it now")
        .await?;
    assert_eq!(link.attr("href").await?.as_deref(), Some(get_it.as_str()));
    assert_eq!(link.attr("target").await?.as_deref(), Some("_blank"));
    browser
        .wait_for_text(
            ".crm-writeback__refresh",
            "refresh this page to check again",
        )
        .await?;
    assert!(checked(&browser, "#crm-writeback-no").await?);
    assert!(!present(&browser, "#crm-writeback-all").await?);

    // Yes is refused by the server and nothing is saved.
    click(&browser, "#crm-writeback-yes").await?;
    browser
        .wait_for_text("label[for='crm-writeback-all']", "Sync back all data items")
        .await?;
    browser
        .wait_for_text("label[for='crm-writeback-all']", "(recommended)")
        .await?;
    click(&browser, "button.crm-writeback__save").await?;
    browser
        .wait_for_text(".crm-writeback__alert", REFUSED)
        .await?;
    assert!(!present(&browser, ".crm-writeback__saved").await?);
    assert_eq!(settings(&admin).await?["enabled"], false);
    browser
        .screenshot(&format!("crm-writeback-missing-{}", viewport.name))
        .await;
    no_axe_violations(&browser, "companion solution missing, Yes refused").await?;

    // Installed now: a refresh checks again and the message is gone.
    app.clear_faults().await?;
    open_page(&browser, &app).await?;
    assert!(!present(&browser, ".crm-writeback__missing").await?);
    click(&browser, "#crm-writeback-yes").await?;
    click(&browser, "#crm-writeback-choose").await?;
    set_checked(&browser, "#crm-writeback-inmails", false).await?;
    set_checked(&browser, "#crm-writeback-messages", true).await?;
    set_checked(&browser, "#crm-writeback-notes", true).await?;

    // W4: impersonation; on the phone run the privilege is missing.
    set_checked(&browser, "#crm-writeback-impersonation", true).await?;
    if phone {
        browser
            .wait_for_text(".crm-writeback__fallback", FALLBACK)
            .await?;
    } else {
        assert!(!present(&browser, ".crm-writeback__fallback").await?);
    }

    // None chosen is refused in the page; nothing is sent.
    set_checked(&browser, "#crm-writeback-messages", false).await?;
    set_checked(&browser, "#crm-writeback-notes", false).await?;
    click(&browser, "button.crm-writeback__save").await?;
    browser
        .wait_for_text(".crm-writeback__alert", "Choose at least one item type")
        .await?;
    assert_eq!(settings(&admin).await?["enabled"], false);
    set_checked(&browser, "#crm-writeback-messages", true).await?;
    set_checked(&browser, "#crm-writeback-notes", true).await?;

    click(&browser, "button.crm-writeback__save").await?;
    browser
        .wait_for_text(".crm-writeback__saved", "Writeback settings saved.")
        .await?;
    let saved = settings(&admin).await?;
    assert_eq!(
        saved,
        json!({"enabled": true, "all_items": false, "inmails": false, "messages": true,
               "notes": true, "impersonation": true}),
    );
    browser
        .screenshot(&format!("crm-writeback-saved-{}", viewport.name))
        .await;
    no_axe_violations(&browser, "item types chosen and saved").await?;

    // Kept after a reload.
    open_page(&browser, &app).await?;
    assert!(checked(&browser, "#crm-writeback-yes").await?);
    assert!(checked(&browser, "#crm-writeback-choose").await?);
    assert!(!checked(&browser, "#crm-writeback-all").await?);
    assert!(!checked(&browser, "#crm-writeback-inmails").await?);
    assert!(checked(&browser, "#crm-writeback-messages").await?);
    assert!(checked(&browser, "#crm-writeback-notes").await?);
    assert!(checked(&browser, "#crm-writeback-impersonation").await?);

    // R3: the profile URL column, with the server's refusals at the field.
    let column = browser.wait_for("#crm-writeback-column").await?;
    assert_eq!(
        column.prop("value").await?.as_deref(),
        Some("new_linkedinurl")
    );
    for (value, message) in [
        (
            "New LinkedIn!",
            "Enter the column's logical name, e.g. new_linkedinurl",
        ),
        (
            "new_nosuchcolumn",
            "The CRM's contact table has no column named new_nosuchcolumn.",
        ),
    ] {
        let input = browser.wait_for("#crm-writeback-column").await?;
        input.clear().await?;
        input.send_keys(value).await?;
        click(&browser, "button.crm-writeback__save-column").await?;
        browser
            .wait_for_text("#crm-writeback-column-error", message)
            .await?;
        let matching = admin
            .send("GET", "/api/admin/crm/writeback/matching", None)
            .await?;
        assert_eq!(matching["profile_url_column"], "new_linkedinurl");
    }
    let input = browser.wait_for("#crm-writeback-column").await?;
    input.clear().await?;
    input.send_keys("jobtitle").await?;
    click(&browser, "button.crm-writeback__save-column").await?;
    browser
        .wait_for_text(".crm-writeback__column-saved", "Column saved.")
        .await?;
    assert!(!present(&browser, "#crm-writeback-column-error").await?);
    let matching = admin
        .send("GET", "/api/admin/crm/writeback/matching", None)
        .await?;
    assert_eq!(matching["profile_url_column"], "jobtitle");
    open_page(&browser, &app).await?;
    let column = browser.wait_for("#crm-writeback-column").await?;
    assert_eq!(column.prop("value").await?.as_deref(), Some("jobtitle"));

    if !phone {
        keyboard(&browser, &admin).await?;
    }
    browser.close().await
}

/// The same kind of choice with the keyboard only: Tab between the groups,
/// arrows within the radio group, Space for checkboxes, Enter to save.
async fn keyboard(browser: &Browser, admin: &ApiSession) -> Result<()> {
    let tab = Key::Tab.to_string();
    browser
        .client
        .execute(
            "document.getElementById('crm-writeback-yes').focus();",
            vec![],
        )
        .await?;
    assert_eq!(focused_id(browser).await?, "crm-writeback-yes");
    browser.keys("#crm-writeback-yes", &tab).await?;
    assert_eq!(focused_id(browser).await?, "crm-writeback-choose");
    // Arrows move the choice within the group: all items, then back.
    browser
        .keys("#crm-writeback-choose", &Key::Up.to_string())
        .await?;
    assert!(checked(browser, "#crm-writeback-all").await?);
    assert!(!present(browser, "#crm-writeback-inmails").await?);
    browser
        .keys("#crm-writeback-all", &Key::Down.to_string())
        .await?;
    assert!(checked(browser, "#crm-writeback-choose").await?);
    browser.keys("#crm-writeback-choose", &tab).await?;
    assert_eq!(focused_id(browser).await?, "crm-writeback-inmails");
    browser.keys("#crm-writeback-inmails", " ").await?;
    assert!(checked(browser, "#crm-writeback-inmails").await?);
    for (from, to) in [
        ("inmails", "messages"),
        ("messages", "notes"),
        ("notes", "impersonation"),
    ] {
        browser
            .keys(&format!("#crm-writeback-{from}"), &tab)
            .await?;
        assert_eq!(focused_id(browser).await?, format!("crm-writeback-{to}"));
    }
    browser.keys("#crm-writeback-impersonation", &tab).await?;
    let save = browser
        .client
        .execute(
            "return document.activeElement.classList.contains('crm-writeback__save');",
            vec![],
        )
        .await?;
    assert_eq!(save, json!(true), "Tab after impersonation reaches Save");
    browser
        .keys("button.crm-writeback__save", &Key::Enter.to_string())
        .await?;
    browser
        .wait_for_text(".crm-writeback__saved", "Writeback settings saved.")
        .await?;
    assert_eq!(
        settings(admin).await?,
        json!({"enabled": true, "all_items": false, "inmails": true, "messages": true,
               "notes": true, "impersonation": true}),
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_sets_writeback_with_and_without_the_companion_solution() -> Result<()> {
    for viewport in VIEWPORTS {
        flow(viewport)
            .await
            .map_err(|e| format!("at {}: {e}", viewport.name))?;
    }
    Ok(())
}
