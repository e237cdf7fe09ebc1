//! CRM Settings in real headless Chromium against the Dataverse stand-in, at
//! desktop and phone size: every C4 message when the stand-in's control
//! endpoint injects its fault, a wrong secret, then a real connection, the
//! S2/S3 choices read from the CRM, saved and still there after a reload,
//! and disconnect with clean-up back to the connect form.

use dataverse_standin::StandInConfig;
use fantoccini::Locator;
use navsync_e2e::{App, Browser, DEMO_PASSWORD, Result, VIEWPORTS, Viewport};
use serde_json::json;

const PRIVILEGES: &str = "Your CRM account does not have sufficient access privileges. Please check with your CRM administrator.";

async fn fill(browser: &Browser, css: &str, value: &str) -> Result<()> {
    let input = browser.wait_for(css).await?;
    input.clear().await?;
    input.send_keys(value).await?;
    Ok(())
}

async fn click(browser: &Browser, css: &str) -> Result<()> {
    browser.wait_for(css).await?.click().await?;
    Ok(())
}

async fn connect_attempt(browser: &Browser) -> Result<()> {
    click(browser, "button.crm-connect__submit").await
}

async fn flow(viewport: Viewport) -> Result<()> {
    let app = App::start_with_crm().await?;
    let defaults = StandInConfig::default();
    let browser = Browser::open(viewport).await?;
    browser
        .sign_in(&app, "admin@demo.test", DEMO_PASSWORD)
        .await?;
    browser.wait_for_path("/admin/crm-settings").await?;
    browser.wait_for_text("h1", "CRM Settings").await?;

    fill(&browser, "#crm-environment-url", &app.crm().base_url).await?;
    fill(&browser, "#crm-tenant", &defaults.tenant).await?;
    fill(&browser, "#crm-client-id", &defaults.client_id).await?;
    fill(&browser, "#crm-client-secret", "not-the-secret").await?;

    // A wrong client secret: Entra refuses the app registration.
    connect_attempt(&browser).await?;
    browser.wait_for_text(".crm-problem", PRIVILEGES).await?;
    browser.wait_for(".crm-problem__next-step").await?;

    fill(&browser, "#crm-client-secret", &defaults.client_secret).await?;
    let faults = [
        (
            json!({"unreachable": true}),
            "Could not connect to CRM. Please try again later.",
            None,
        ),
        (
            json!({"server_error": 500}),
            "The CRM API reported an error. Please try again later.",
            None,
        ),
        (
            json!({"missing_privileges": ["prvReadOpportunity"]}),
            PRIVILEGES,
            Some("prvReadOpportunity"),
        ),
        (
            json!({"missing_tables": ["opportunity"]}),
            "Could not read the required CRM objects from your org.",
            None,
        ),
    ];
    for (fault, message, detail) in faults {
        app.inject_faults(fault.clone()).await?;
        connect_attempt(&browser).await?;
        browser
            .wait_for_text(".crm-problem", message)
            .await
            .map_err(|e| format!("fault {fault}: {e}"))?;
        if let Some(detail) = detail {
            browser.wait_for_text(".crm-problem", detail).await?;
        }
        app.clear_faults().await?;
    }
    // C1: a sandbox is refused with its own message.
    app.inject_faults(json!({"sandbox": true})).await?;
    connect_attempt(&browser).await?;
    browser.wait_for_text(".crm-problem", "sandbox").await?;
    app.clear_faults().await?;

    // The real thing.
    connect_attempt(&browser).await?;
    browser
        .wait_for_text(".crm-status", "Connected to Microsoft Dynamics")
        .await?;
    browser
        .wait_for_text(".crm-status", "Successfully connected, sync in progress")
        .await?;
    browser.screenshot("crm-connected").await;

    // S2 offers the CRM's own stages plus "Not Sure"; S3 its money fields.
    let stage_select = browser.wait_for("#crm-pipeline-stage").await?;
    let stage_options = stage_select.find_all(Locator::Css("option")).await?;
    let mut labels = Vec::new();
    for option in &stage_options {
        labels.push(option.text().await?);
    }
    for wanted in ["Qualify", "Develop", "Propose", "Close", "Not Sure"] {
        assert!(
            labels.iter().any(|l| l == wanted),
            "{wanted} not in {labels:?}"
        );
    }
    stage_select.select_by_label("Propose").await?;
    let won = browser.wait_for("#crm-won-value-field").await?;
    won.select_by_value("actualvalue").await?;
    click(&browser, "button.crm-settings__save").await?;
    browser
        .wait_for_text(".crm-settings__saved", "Settings saved.")
        .await?;
    browser.client.refresh().await?;
    let stage = browser.wait_for("#crm-pipeline-stage").await?;
    browser
        .wait_for_text(".crm-status", "Connected to Microsoft Dynamics")
        .await?;
    assert_eq!(stage.prop("value").await?.as_deref(), Some("2"));
    let won = browser.wait_for("#crm-won-value-field").await?;
    assert_eq!(won.prop("value").await?.as_deref(), Some("actualvalue"));

    // Disconnect with clean-up: an accessible dialog, then the connect form again.
    click(&browser, "button.crm-disconnect__open").await?;
    let dialog = browser.wait_for("[role=dialog][aria-modal=true]").await?;
    let active = browser.client.active_element().await?;
    let focus_inside = browser
        .client
        .execute(
            "return arguments[0].contains(arguments[1]);",
            vec![
                serde_json::to_value(&dialog)?,
                serde_json::to_value(&active)?,
            ],
        )
        .await?;
    assert_eq!(
        focus_inside,
        json!(true),
        "focus did not move into the dialog"
    );
    click(&browser, "#crm-clean-up").await?;
    // The dialog says what the clean-up removes (numbers from the server).
    let summary = browser
        .wait_for(".crm-disconnect__summary")
        .await?
        .text()
        .await?;
    assert!(
        summary.contains("accounts") && summary.contains("leads"),
        "clean-up summary: {summary:?}"
    );
    click(&browser, "button.crm-disconnect__confirm").await?;
    browser.wait_for("#crm-environment-url").await?;
    assert!(
        browser
            .client
            .find(Locator::Css(".crm-status"))
            .await
            .is_err(),
        "still shows a connection after disconnecting"
    );
    browser.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_connects_sees_each_c4_message_picks_settings_and_disconnects() -> Result<()> {
    for viewport in VIEWPORTS {
        flow(viewport)
            .await
            .map_err(|e| format!("at {}: {e}", viewport.name))?;
    }
    Ok(())
}
