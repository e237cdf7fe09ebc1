//! Messages in headless Chromium, desktop and phone: the seat holder opens a
//! thread, sees "Copy message to CRM" on each message and "Copy thread" on
//! the thread; ticking the thread ticks every message, unticking one message
//! makes the thread box mixed, and the choices are saved on the server (they
//! survive a reload). Opening a thread with an unread message clears its
//! unread marker in the inbox.

use navsync_e2e::{App, Browser, DEMO_PASSWORD, Result, VIEWPORTS, Viewport};

// Read in one script each: the list re-renders as saves land, so element
// handles kept across calls would go stale.
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

/// (checked, indeterminate) of the thread's "Copy thread" box.
async fn thread_box(browser: &Browser) -> Result<(bool, bool)> {
    browser.wait_for("input.thread__copy-thread").await?;
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

async fn wait_until<F, Fut>(what: &str, mut check: F) -> Result<()>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<bool>>,
{
    let started = std::time::Instant::now();
    while started.elapsed() < navsync_e2e::WAIT {
        if check().await? {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    Err(format!("timed out waiting until {what}").into())
}

async fn open_first_thread(browser: &Browser) -> Result<()> {
    browser
        .click("li.messages__thread button.messages__open")
        .await?;
    browser
        .wait_for("li.thread__message input.thread__copy-message")
        .await?;
    Ok(())
}

async fn flow(viewport: Viewport) -> Result<()> {
    let app = App::start().await?;
    let browser = Browser::open(viewport).await?;
    browser
        .sign_in(&app, "sam@demo.test", DEMO_PASSWORD)
        .await?;
    browser.wait_for_path("/messages").await?;
    // The first demo thread has an unread message; opening it marks it read.
    browser
        .wait_for("li.messages__thread:first-child.messages__thread--unread .messages__unread")
        .await?;
    open_first_thread(&browser).await?;
    browser
        .wait_for_no("li.messages__thread:first-child.messages__thread--unread")
        .await?;
    browser
        .wait_for_text(".thread", "Copy message to CRM")
        .await?;
    browser.wait_for_text(".thread", "Copy thread").await?;
    let count = message_boxes(&browser).await?.len();
    assert!(count >= 2, "the first demo thread has {count} messages");

    // Tick the whole thread: every message is ticked.
    browser
        .client
        .execute(
            "document.querySelectorAll('li.thread__message').forEach(li => { li.__kept = true; });",
            vec![],
        )
        .await?;
    if !thread_box(&browser).await?.0 || thread_box(&browser).await?.1 {
        browser.click("input.thread__copy-thread").await?;
    }
    wait_until("every message is ticked", || async {
        Ok(message_boxes(&browser).await?.iter().all(|b| *b))
    })
    .await?;
    // The save and the thread's re-read after it update the rows in place:
    // the list is not rendered again.
    let thread = browser
        .client
        .current_url()
        .await?
        .query_pairs()
        .find(|(k, _)| k == "thread")
        .map(|(_, v)| v.into_owned())
        .ok_or("no ?thread= in the URL")?;
    let sam = app.api_session("sam@demo.test").await?;
    wait_until("the ticks saved", || async {
        let t = sam
            .send("GET", &format!("/api/threads/{thread}"), None)
            .await?;
        Ok(t["messages"]
            .as_array()
            .is_some_and(|m| m.iter().all(|m| m["copy_to_crm"] == true)))
    })
    .await?;
    tokio::time::sleep(std::time::Duration::from_millis(1_500)).await;
    let kept = browser
        .client
        .execute(
            "return [...document.querySelectorAll('li.thread__message')].filter(li => li.__kept).length;",
            vec![],
        )
        .await?;
    assert_eq!(
        kept.as_u64(),
        Some(count as u64),
        "{}: the message rows were rendered again after the save",
        viewport.name
    );

    // Untick one message: the thread box shows the mixed state.
    browser
        .click("li.thread__message:nth-of-type(1) input.thread__copy-message")
        .await?;
    wait_until("the thread box is mixed", || async {
        Ok(thread_box(&browser).await?.1)
    })
    .await?;
    browser.screenshot("messages-mixed").await;

    // Saved on the server: a reload shows the same choices.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    browser.client.refresh().await?;
    browser.wait_for_path("/messages").await?;
    // The open thread is in the URL (`?thread=`); without it, open it again.
    let url = browser.client.current_url().await?;
    if url.query().is_some_and(|q| q.contains("thread=")) {
        browser
            .wait_for("li.thread__message input.thread__copy-message")
            .await?;
    } else {
        open_first_thread(&browser).await?;
    }
    wait_until("the choices are back after a reload", || async {
        let boxes = message_boxes(&browser).await?;
        Ok(boxes.len() == count && !boxes[0] && boxes[1..].iter().all(|b| *b))
    })
    .await?;
    assert!(
        thread_box(&browser).await?.1,
        "thread box not mixed after reload"
    );
    browser.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seat_holder_ticks_a_thread_and_unticks_one_message() -> Result<()> {
    for viewport in VIEWPORTS {
        flow(viewport)
            .await
            .map_err(|e| format!("at {}: {e}", viewport.name))?;
    }
    Ok(())
}
