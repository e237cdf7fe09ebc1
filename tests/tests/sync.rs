//! CRM → Navsync in headless Chromium, desktop and phone: after the admin
//! connects the demo CRM and a sync runs, the seat holder sam@demo.test sees
//! saved leads and accounts from the CRM marked "In CRM" with a link to the
//! CRM record, and the admin sees the run in the sync history.

use navsync_e2e::{App, Browser, DEMO_PASSWORD, Result, VIEWPORTS, Viewport};

async fn flow(viewport: Viewport) -> Result<()> {
    let app = App::start_with_crm().await?;
    let admin = app.connect_crm().await?;
    admin.sync_now().await?;
    let crm = app.crm().base_url.clone();

    let browser = Browser::open(viewport).await?;
    browser
        .sign_in(&app, "sam@demo.test", DEMO_PASSWORD)
        .await?;
    browser.wait_for(".shell__sign-out").await?;
    for (path, heading) in [
        ("/saved-leads", "Saved leads"),
        ("/saved-accounts", "Saved accounts"),
    ] {
        browser.goto(&app.at(path)).await?;
        browser.wait_for_text("h1", heading).await?;
        let marker = browser
            .wait_for_text(".saved__row .saved__in-crm", "In CRM")
            .await?;
        let href = marker.attr("href").await?.unwrap_or_default();
        assert!(
            href.starts_with(&crm) && href.contains("id="),
            "{path}: the In CRM link {href:?} does not point at the CRM record"
        );
        browser
            .screenshot(&format!("sync{}", path.replace('/', "-")))
            .await;
    }
    browser.client.delete_all_cookies().await?;

    browser
        .sign_in(&app, "admin@demo.test", DEMO_PASSWORD)
        .await?;
    browser.wait_for_path("/admin/crm-settings").await?;
    browser
        .wait_for("table.crm-sync__history tr.crm-sync__run")
        .await?;
    browser.wait_for("svg.crm-sync__chart").await?;
    browser.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seat_holder_sees_crm_leads_and_accounts_after_sync() -> Result<()> {
    for viewport in VIEWPORTS {
        flow(viewport)
            .await
            .map_err(|e| format!("at {}: {e}", viewport.name))?;
    }
    Ok(())
}
