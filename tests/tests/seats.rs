//! Seat Management in headless Chromium, desktop and phone, with the demo CRM
//! connected: the "In CRM" badge on matched seats, one seat's sync switched
//! off and on through its "…" menu (keyboard too), select-all with bulk
//! disable, and two CRM users assigned through "Assign seats from CRM" with
//! their one-time set-password links.

use fantoccini::Locator;
use fantoccini::key::Key;
use navsync_e2e::{App, Browser, DEMO_PASSWORD, Result, VIEWPORTS, Viewport};
use serde_json::json;

const SAM_ROW: &str = "tr.seats__row[data-email='sam@demo.test']";

async fn menu_item(browser: &Browser, row: &str, item: &str) -> Result<()> {
    browser
        .click(&format!("{row} button.seats__menu-button"))
        .await?;
    browser.click(&format!("[role=menu] {item}")).await
}

async fn flow(viewport: Viewport) -> Result<()> {
    let app = App::start_with_crm().await?;
    let admin = app.connect_crm().await?;
    // S1 = No: sync is switched per seat.
    admin
        .send(
            "PUT",
            "/api/admin/crm/settings",
            Some(json!({"auto_sync_all": false, "pipeline_stage": null, "won_value_field": null})),
        )
        .await?;
    let browser = Browser::open(viewport).await?;
    browser
        .sign_in(&app, "admin@demo.test", DEMO_PASSWORD)
        .await?;
    browser.wait_for(".shell__sign-out").await?;
    browser.goto(&app.at("/admin/seats")).await?;
    browser.wait_for_text("h1", "Seat Management").await?;

    // Sam is matched to a CRM user and syncs: "In CRM".
    browser
        .wait_for_text(&format!("{SAM_ROW} .seats__badge--in-crm"), "In CRM")
        .await?;

    // "…" → "Disable CRM Sync": the badge gives way to the reason.
    menu_item(&browser, SAM_ROW, ".seats__menu-item--sync").await?;
    browser
        .wait_for_text(&format!("{SAM_ROW} .seats__reason"), "CRM sync is off")
        .await?;
    // … and back on, this time from the keyboard: Enter opens, Enter picks.
    let button = format!("{SAM_ROW} button.seats__menu-button");
    browser.keys(&button, &Key::Enter.to_string()).await?;
    browser
        .wait_for("[role=menu] .seats__menu-item--sync")
        .await?;
    let focused = browser.client.active_element().await?;
    assert_eq!(
        focused.attr("role").await?.as_deref(),
        Some("menuitem"),
        "opening the menu from the keyboard must focus its first item"
    );
    focused.send_keys(&Key::Enter.to_string()).await?;
    browser
        .wait_for_text(&format!("{SAM_ROW} .seats__badge--in-crm"), "In CRM")
        .await?;
    // Escape closes the menu.
    browser.keys(&button, &Key::Enter.to_string()).await?;
    browser.wait_for("[role=menu]").await?;
    browser
        .client
        .active_element()
        .await?
        .send_keys(&Key::Escape.to_string())
        .await?;
    browser.wait_for_no("[role=menu]").await?;

    // Select all, then disable CRM sync for every selected seat.
    browser.click("input.seats__select-all").await?;
    let boxes = browser
        .client
        .find_all(Locator::Css("input.seats__select:not([disabled])"))
        .await?;
    assert!(boxes.len() >= 5, "only {} selectable rows", boxes.len());
    for b in &boxes {
        assert!(b.is_selected().await?, "select-all left a row unticked");
    }
    browser.click("button.seats__bulk-disable").await?;
    browser.wait_for(".seats__summary").await?;
    browser
        .wait_for_text(&format!("{SAM_ROW} .seats__reason"), "CRM sync is off")
        .await?;
    browser.screenshot("seats-bulk").await;

    // Assign two CRM users who have no seat yet.
    browser.click("button.seats__assign-open").await?;
    browser.wait_for(".assign-dialog[role=dialog]").await?;
    browser.wait_for(".assign-dialog__free").await?;
    let free: Vec<_> = browser
        .client
        .find_all(Locator::Css(
            "li.assign-dialog__user input.assign-dialog__select:not([disabled])",
        ))
        .await?;
    assert!(
        free.len() >= 2,
        "the CRM offers {} users without a seat",
        free.len()
    );
    let mut emails = Vec::new();
    for checkbox in free.iter().take(2) {
        checkbox.click().await?;
    }
    for li in browser
        .client
        .find_all(Locator::Css("li.assign-dialog__user"))
        .await?
    {
        let checked = li
            .find(Locator::Css("input.assign-dialog__select"))
            .await?
            .is_selected()
            .await?;
        if checked {
            emails.push(li.attr("data-email").await?.unwrap_or_default());
        }
    }
    assert_eq!(emails.len(), 2, "{emails:?}");
    browser.click("button.assign-dialog__submit").await?;
    for email in &emails {
        let link = browser
            .wait_for(&format!(
                "li.assign-dialog__assigned[data-email='{email}'] input.assign-dialog__link"
            ))
            .await?;
        let url = link.prop("value").await?.unwrap_or_default();
        assert!(url.contains("/set-password?token="), "{email}: {url}");
    }
    browser.screenshot("seats-assigned").await;
    browser.click(".assign-dialog__close").await?;
    browser.wait_for_no(".assign-dialog").await?;
    let seats = admin
        .send("GET", "/api/admin/seats?limit=200", None)
        .await?;
    for email in &emails {
        assert!(
            seats["items"]
                .as_array()
                .is_some_and(|rows| rows.iter().any(|r| r["email"] == json!(email))),
            "{email} has no seat after assigning"
        );
    }
    browser.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_manages_seats_menu_bulk_and_assigns_from_crm() -> Result<()> {
    for viewport in VIEWPORTS {
        flow(viewport)
            .await
            .map_err(|e| format!("at {}: {e}", viewport.name))?;
    }
    Ok(())
}
