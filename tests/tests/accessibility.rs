//! axe-core in headless Chromium over every page of the app's route table
//! (`navsync::routes::ROUTES`, never a hand-kept list), signed out, as admin
//! and as seat holder, at desktop and phone size, with the phone menu open
//! too: zero serious or critical violations. A second test opens every
//! dialog and menu of the app (seat row menu, change licence, set-password
//! link, remove seat, assign seats from CRM, disconnect, an open thread) and
//! audits each while it is open.

use fantoccini::key::Key;
use navsync::routes::{Access, ROUTES, allows};
use navsync_api::Licence;
use navsync_e2e::{App, Browser, DEMO_PASSWORD, Result, VIEWPORTS, Viewport};

const SAM_ROW: &str = "tr.seats__row[data-email='sam@demo.test']";
const MODAL: &str = "[role=dialog][aria-modal=true]";

/// The pages a viewer may open, from the route table.
fn pages_for(licence: Option<Licence>) -> Vec<&'static str> {
    ROUTES
        .iter()
        .filter(|r| match licence {
            // Signed out: the public pages (set-up redirects to sign-in once
            // an organization exists, and is checked on its own below).
            None => r.access == Access::Public,
            // Signed in: every page the licence allows; "/" only redirects.
            Some(l) => r.access != Access::Public && r.path != "/" && allows(r.access, Some(l)),
        })
        .map(|r| r.path)
        .collect()
}

async fn check_page(browser: &Browser, label: &str, failures: &mut Vec<String>) -> Result<()> {
    for v in browser.axe().await? {
        failures.push(format!(
            "{label} at {}: [{}] {} — {}: {:?}",
            browser.viewport.name, v.impact, v.id, v.help, v.targets
        ));
    }
    Ok(())
}

async fn audit(viewport: Viewport, failures: &mut Vec<String>) -> Result<()> {
    let app = App::start().await?;
    let browser = Browser::open(viewport).await?;

    for path in pages_for(None) {
        if path == "/setup" {
            continue;
        }
        browser.goto(&app.at(path)).await?;
        browser.wait_for("h1").await?;
        check_page(&browser, &format!("signed out {path}"), failures).await?;
    }
    // A page that does not exist.
    browser.goto(&app.at("/no-such-page")).await?;
    browser.wait_for("h1").await?;
    check_page(&browser, "404 page", failures).await?;

    for (email, licence) in [
        ("admin@demo.test", Licence::Admin),
        ("sam@demo.test", Licence::TeamMember),
    ] {
        browser.sign_in(&app, email, DEMO_PASSWORD).await?;
        browser.wait_for(".shell__sign-out").await?;
        let pages = pages_for(Some(licence));
        assert!(!pages.is_empty(), "{licence:?} has no pages");
        for path in pages {
            browser.goto(&app.at(path)).await?;
            browser.wait_for("h1.page__title").await?;
            // Let loading states settle into content or an error view.
            browser.wait_for_no(".loading").await?;
            check_page(&browser, &format!("{email} {path}"), failures).await?;
        }
        // The phone navigation, open.
        let menu = browser.wait_for(".shell__menu-button").await?;
        if menu.is_displayed().await? {
            menu.click().await?;
            browser.wait_for(".shell__nav--open").await?;
            check_page(&browser, &format!("{email} menu open"), failures).await?;
        }
        browser.client.delete_all_cookies().await?;
    }
    browser.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_has_no_serious_accessibility_violations() -> Result<()> {
    let mut failures = Vec::new();
    for viewport in VIEWPORTS {
        audit(viewport, &mut failures).await?;
    }
    assert!(
        failures.is_empty(),
        "axe-core found {} serious/critical violations:\n{}",
        failures.len(),
        failures.join("\n")
    );
    Ok(())
}

/// Escape on the focused element (menus and dialogs close on it).
async fn escape(browser: &Browser) -> Result<()> {
    browser
        .client
        .active_element()
        .await?
        .send_keys(&Key::Escape.to_string())
        .await?;
    Ok(())
}

async fn audit_open_ui(viewport: Viewport, failures: &mut Vec<String>) -> Result<()> {
    let app = App::start_with_crm().await?;
    app.connect_crm().await?;
    let browser = Browser::open(viewport).await?;
    browser
        .sign_in(&app, "admin@demo.test", DEMO_PASSWORD)
        .await?;
    browser.wait_for(".shell__sign-out").await?;

    // Seat Management: the row menu, then each dialog it opens.
    browser.goto(&app.at("/admin/seats")).await?;
    browser.wait_for(SAM_ROW).await?;
    let menu_button = format!("{SAM_ROW} button.seats__menu-button");
    browser.click(&menu_button).await?;
    browser.wait_for("[role=menu]").await?;
    check_page(&browser, "seat row menu open", failures).await?;
    for item in ["licence", "link", "remove"] {
        if browser
            .client
            .find(fantoccini::Locator::Css("[role=menu]"))
            .await
            .is_err()
        {
            browser.click(&menu_button).await?;
        }
        browser
            .click(&format!("[role=menu] .seats__menu-item--{item}"))
            .await?;
        browser.wait_for(MODAL).await?;
        browser.wait_for_no(".loading").await?;
        check_page(&browser, &format!("seat {item} dialog open"), failures).await?;
        escape(&browser).await?;
        browser.wait_for_no(MODAL).await?;
    }
    browser.click("button.seats__assign-open").await?;
    browser.wait_for(".assign-dialog[role=dialog]").await?;
    browser.wait_for(".assign-dialog__free").await?;
    browser.wait_for_no(".loading").await?;
    check_page(&browser, "assign seats dialog open", failures).await?;
    escape(&browser).await?;
    browser.wait_for_no(".assign-dialog").await?;

    // CRM Settings: the disconnect dialog with its clean-up summary.
    browser.goto(&app.at("/admin/crm-settings")).await?;
    browser.click("button.crm-disconnect__open").await?;
    browser.wait_for(MODAL).await?;
    browser.wait_for(".crm-disconnect__summary").await?;
    check_page(&browser, "disconnect dialog open", failures).await?;
    escape(&browser).await?;
    browser.wait_for_no(MODAL).await?;
    browser.client.delete_all_cookies().await?;

    // A seat holder's open thread with its copy checkboxes.
    browser
        .sign_in(&app, "sam@demo.test", DEMO_PASSWORD)
        .await?;
    browser.wait_for(".shell__sign-out").await?;
    browser.goto(&app.at("/messages")).await?;
    browser
        .click("li.messages__thread button.messages__open")
        .await?;
    browser
        .wait_for("li.thread__message input.thread__copy-message")
        .await?;
    check_page(&browser, "thread open", failures).await?;
    browser.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_dialogs_and_menus_have_no_serious_accessibility_violations() -> Result<()> {
    let mut failures = Vec::new();
    for viewport in VIEWPORTS {
        audit_open_ui(viewport, &mut failures).await?;
    }
    assert!(
        failures.is_empty(),
        "axe-core found {} serious/critical violations:\n{}",
        failures.len(),
        failures.join("\n")
    );
    Ok(())
}

#[test]
fn route_table_gives_each_role_its_pages() {
    let admin = pages_for(Some(Licence::Admin));
    let seat = pages_for(Some(Licence::TeamMember));
    assert!(admin.contains(&"/admin/crm-settings") && !admin.contains(&"/messages"));
    assert!(seat.contains(&"/messages") && !seat.contains(&"/admin/seats"));
    assert!(pages_for(None).contains(&"/sign-in"));
}
