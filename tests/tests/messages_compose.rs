//! Messages in headless Chromium, desktop and phone: "New message" starts a
//! thread (an empty form is refused with a message) and opens it; the inbox
//! is paged on the server ("Showing 1–50 of 53", next page) and searched.

use navsync_e2e::{App, Browser, DEMO_PASSWORD, Result, VIEWPORTS, Viewport};
use serde_json::json;

async fn flow(viewport: Viewport) -> Result<()> {
    let app = App::start().await?;
    let sam = app.api_session("sam@demo.test").await?;
    // 3 demo threads + 49 composed through the API = 52; the browser adds the 53rd.
    for n in 1..=49 {
        sam.send(
            "POST",
            "/api/threads",
            Some(json!({"kind": "message", "subject": format!("Filler {n}"),
                        "to": {"name": format!("Filler Person {n:02}")},
                        "body": "Hello", "copy_to_crm": false})),
        )
        .await?;
    }
    let browser = Browser::open(viewport).await?;
    browser
        .sign_in(&app, "sam@demo.test", DEMO_PASSWORD)
        .await?;
    browser.wait_for_path("/messages").await?;
    browser
        .wait_for_text(".messages__inbox .saved__showing", "Showing 1–50 of 52")
        .await?;

    // "New message": empty is refused, then a real one opens its thread.
    browser.click(".messages__compose summary").await?;
    browser.click("button.messages__compose-send").await?;
    browser
        .wait_for_text(
            ".messages__compose .field__error",
            "Enter the recipient's name and a message.",
        )
        .await?;
    browser.keys("#compose-name", "Greta Newcomer").await?;
    browser.keys("#compose-email", "greta@example.org").await?;
    browser
        .keys("#compose-subject", "Hello from Navsync")
        .await?;
    browser
        .keys("#compose-body", "Hi Greta, shall we talk next week?")
        .await?;
    browser.click("button.messages__compose-send").await?;
    browser
        .wait_for_text(".thread__title", "Greta Newcomer")
        .await?;
    browser
        .wait_for_text(".thread__messages", "Hi Greta, shall we talk next week?")
        .await?;
    let url = browser.client.current_url().await?;
    assert!(
        url.query().is_some_and(|q| q.contains("thread=")),
        "the new thread is open: {url}"
    );
    browser.screenshot("messages-composed").await;

    // Back on the inbox (phones), the newest thread is first; page two has the rest.
    if viewport.width <= 768 {
        browser.click("button.thread__back").await?;
    }
    browser
        .wait_for_text(".messages__inbox .saved__showing", "Showing 1–50 of 53")
        .await?;
    browser
        .wait_for_text(
            "li.messages__thread:first-child .messages__name",
            "Greta Newcomer",
        )
        .await?;
    browser.click(".messages__inbox button.saved__next").await?;
    browser
        .wait_for_text(".messages__inbox .saved__showing", "Showing 51–53 of 53")
        .await?;
    let rows = browser
        .visible_texts("li.messages__thread .messages__name")
        .await?;
    assert_eq!(rows.len(), 3, "{rows:?}");
    browser.screenshot("messages-page-two").await;

    // Search goes back to the first page of the matches.
    browser.keys("#messages-search", "Greta").await?;
    browser
        .wait_for_text(".messages__inbox .saved__showing", "Showing 1–1 of 1")
        .await?;
    browser.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seat_holder_composes_a_message_and_pages_the_inbox() -> Result<()> {
    for viewport in VIEWPORTS {
        flow(viewport)
            .await
            .map_err(|e| format!("at {}: {e}", viewport.name))?;
    }
    Ok(())
}
