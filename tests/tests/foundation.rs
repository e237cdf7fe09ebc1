//! Foundation flows in real headless Chromium, each at desktop (1280×800) and
//! phone (390×844) size: sign-in per role, role navigation, the phone menu,
//! the language switch (remembered per person), sign-out, access rules.

use fantoccini::Locator;
use navsync_e2e::{App, Browser, DEMO_PASSWORD, Result, VIEWPORTS, Viewport};

/// Opens the navigation when it sits behind the menu button (phone sizes);
/// returns whether the menu button was in use.
async fn open_nav(browser: &Browser) -> Result<bool> {
    let button = browser.wait_for(".shell__menu-button").await?;
    if !button.is_displayed().await? {
        return Ok(false);
    }
    if button.attr("aria-expanded").await?.as_deref() != Some("true") {
        button.click().await?;
    }
    browser.wait_for(".shell__nav a").await?;
    Ok(true)
}

async fn nav_labels(browser: &Browser) -> Result<Vec<String>> {
    open_nav(browser).await?;
    browser.visible_texts(".shell__nav a").await
}

async fn admin_flow(viewport: Viewport) -> Result<()> {
    let app = App::start().await?;
    let browser = Browser::open(viewport).await?;
    browser
        .sign_in(&app, "admin@demo.test", DEMO_PASSWORD)
        .await?;
    browser.wait_for_path("/admin/crm-settings").await?;
    browser.wait_for_text(".shell__org", "Demo Company").await?;
    browser
        .wait_for_text(".shell__person", "Avery Admin")
        .await?;

    // Phone: the navigation starts hidden behind the menu button.
    let menu = browser.wait_for(".shell__menu-button").await?;
    let nav_hidden_at_start = !browser
        .wait_for(".shell__nav")
        .await?
        .is_displayed()
        .await?;
    assert_eq!(
        menu.is_displayed().await?,
        viewport.width <= 768,
        "{}: menu button visibility",
        viewport.name
    );
    assert_eq!(
        nav_hidden_at_start,
        viewport.width <= 768,
        "{}: nav",
        viewport.name
    );

    let labels = nav_labels(&browser).await?;
    assert!(labels.iter().any(|l| l == "CRM Settings"), "{labels:?}");
    assert!(labels.iter().any(|l| l == "Seat Management"), "{labels:?}");
    assert!(!labels.iter().any(|l| l == "Messages"), "{labels:?}");
    let groups = browser.visible_texts(".shell__nav").await?;
    assert!(
        groups.iter().any(|g| g.contains("Admin Settings")),
        "{}: no \"Admin Settings\" group in {groups:?}",
        viewport.name
    );

    // Follow the navigation to Seat Management: real data from the API.
    browser
        .client
        .find(Locator::Css(".shell__nav a[href='/admin/seats']"))
        .await?
        .click()
        .await?;
    browser.wait_for_path("/admin/seats").await?;
    browser.wait_for_text("h1", "Seat Management").await?;
    browser.wait_for_text("main", "sam@demo.test").await?;
    if viewport.width <= 768 {
        // Choosing a link closes the phone menu.
        let nav = browser.wait_for(".shell__nav").await?;
        assert!(!nav.is_displayed().await?, "phone menu stayed open");
    }
    browser.screenshot("admin-seats").await;

    // Sign out, then a protected page sends us back to sign-in.
    browser.wait_for(".shell__sign-out").await?;
    open_nav(&browser).await?;
    browser
        .client
        .find(Locator::Css(".shell__sign-out"))
        .await?
        .click()
        .await?;
    browser.wait_for_path("/sign-in").await?;
    browser.goto(&app.at("/admin/seats")).await?;
    browser.wait_for_path("/sign-in").await?;
    browser.wait_for("#sign-in-email").await?;
    browser.close().await
}

async fn seat_holder_flow(viewport: Viewport) -> Result<()> {
    let app = App::start().await?;
    let browser = Browser::open(viewport).await?;
    browser
        .sign_in(&app, "sam@demo.test", DEMO_PASSWORD)
        .await?;
    browser.wait_for_path("/messages").await?;
    browser.wait_for_text("h1", "Messages").await?;
    browser
        .wait_for_text(".shell__person", "Sam Peeters")
        .await?;

    let labels = nav_labels(&browser).await?;
    for wanted in ["Messages", "Saved leads", "Saved accounts"] {
        assert!(
            labels.iter().any(|l| l == wanted),
            "{wanted} missing: {labels:?}"
        );
    }
    assert!(!labels.iter().any(|l| l == "CRM Settings"), "{labels:?}");
    assert!(!labels.iter().any(|l| l == "Seat Management"), "{labels:?}");

    // An admin page refuses a seat holder.
    browser.goto(&app.at("/admin/seats")).await?;
    browser
        .wait_for_text("main", "You do not have access to this page")
        .await?;
    assert!(
        browser
            .client
            .find(Locator::Css("main table"))
            .await
            .is_err(),
        "a seat holder saw the seat table"
    );

    // Switch to Dutch: the page changes language at once...
    browser.goto(&app.at("/messages")).await?;
    browser.wait_for_text("h1", "Messages").await?;
    open_nav(&browser).await?;
    browser
        .wait_for("#language-switch")
        .await?
        .select_by_value("nl")
        .await?;
    browser.wait_for("html[lang='nl']").await?;
    let heading = browser.wait_for("h1").await?.text().await?;
    assert_ne!(
        heading, "Messages",
        "{}: heading not translated",
        viewport.name
    );
    browser.screenshot("seat-holder-dutch").await;

    // ...and it is remembered for this person, on the server: a fresh browser
    // (no local storage) signing in as Sam gets Dutch too.
    let second = Browser::open(viewport).await?;
    second.sign_in(&app, "sam@demo.test", DEMO_PASSWORD).await?;
    second.wait_for_path("/messages").await?;
    second.wait_for("html[lang='nl']").await?;
    second.wait_for_text("h1", &heading).await?;
    second.close().await?;
    browser.close().await
}

async fn wrong_password_flow(viewport: Viewport) -> Result<()> {
    let app = App::start().await?;
    let browser = Browser::open(viewport).await?;
    browser
        .sign_in(&app, "sam@demo.test", "not-the-password")
        .await?;
    browser
        .wait_for_text("[role=alert]", "The email or password is not correct.")
        .await?;
    browser.wait_for_path("/sign-in").await?;
    // The same message for an unknown person: nothing tells which part was wrong.
    browser
        .sign_in(&app, "nobody@demo.test", "not-the-password")
        .await?;
    browser
        .wait_for_text("[role=alert]", "The email or password is not correct.")
        .await?;
    browser.close().await
}

macro_rules! at_every_viewport {
    ($($name:ident => $flow:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() -> Result<()> {
                for viewport in VIEWPORTS {
                    $flow(viewport)
                        .await
                        .map_err(|e| format!("{} at {}: {e}", stringify!($flow), viewport.name))?;
                }
                Ok(())
            }
        )*
    };
}

at_every_viewport! {
    admin_signs_in_sees_admin_navigation_and_signs_out => admin_flow,
    seat_holder_sees_workspace_navigation_and_keeps_dutch => seat_holder_flow,
    wrong_credentials_get_one_clear_message => wrong_password_flow,
}
