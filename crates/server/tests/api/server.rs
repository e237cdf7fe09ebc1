//! `run` on a real socket: serves, knows the client IP, and shuts down.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::TestApp;

async fn raw_request(addr: std::net::SocketAddr, request: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    String::from_utf8_lossy(&response).into_owned()
}

#[tokio::test]
async fn run_serves_until_shutdown() {
    let app = TestApp::demo().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(navsync_server::run(listener, app.state.clone(), async {
        let _ = stopped.await;
    }));

    let health = raw_request(
        addr,
        "GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.contains("\"status\":\"ok\""), "{health}");

    // The client IP is throttled across emails (ConnectInfo is wired up).
    for n in 0..5 {
        let body = format!(r#"{{"email":"nobody{n}@demo.test","password":"wrong"}}"#);
        let request = format!(
            "POST /api/session HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        assert!(
            raw_request(addr, &request)
                .await
                .starts_with("HTTP/1.1 401")
        );
    }
    let body = r#"{"email":"sam@demo.test","password":"navsync-demo"}"#;
    let request = format!(
        "POST /api/session HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let throttled = raw_request(addr, &request).await;
    assert!(throttled.starts_with("HTTP/1.1 429"), "{throttled}");

    stop.send(()).unwrap();
    let result = tokio::time::timeout(Duration::from_secs(10), server).await;
    assert!(
        matches!(result, Ok(Ok(Ok(())))),
        "run returns Ok after shutdown"
    );
}
