//! [`FaultyListener`]: the TCP listener behind the stand-in, which makes the `unreachable`
//! fault real. While the flag is set, every connection that is not a control request
//! (`/_standin/...`) fails on its first read or write, so a client sees a genuine
//! connection error (reset or closed before any response), not an HTTP status.
//!
//! A connection is classified by the request line of the first bytes it sends; a
//! keep-alive connection keeps its class.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use axum::serve::Listener;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// A TCP listener whose connections obey the `unreachable` flag.
pub struct FaultyListener {
    inner: TcpListener,
    unreachable: Arc<AtomicBool>,
}

impl FaultyListener {
    /// Wraps `inner`; `unreachable` is the flag the control surface sets.
    pub fn new(inner: TcpListener, unreachable: Arc<AtomicBool>) -> Self {
        FaultyListener { inner, unreachable }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Unknown,
    Control,
    Api,
}

/// One accepted connection.
pub struct FaultyStream {
    inner: TcpStream,
    unreachable: Arc<AtomicBool>,
    class: Class,
}

impl FaultyStream {
    fn blocked(&self) -> bool {
        self.class != Class::Control && self.unreachable.load(Ordering::SeqCst)
    }
}

fn refused() -> io::Error {
    io::Error::new(io::ErrorKind::ConnectionReset, "stand-in is unreachable")
}

fn is_control(first: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&first[..first.len().min(64)]);
    text.split_whitespace()
        .nth(1)
        .is_some_and(|path| path.starts_with("/_standin/"))
}

impl AsyncRead for FaultyStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.class != Class::Unknown && self.blocked() {
            return Poll::Ready(Err(refused()));
        }
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = &result {
            let fresh = &buf.filled()[before..];
            if self.class == Class::Unknown && !fresh.is_empty() {
                self.class = if is_control(fresh) {
                    Class::Control
                } else {
                    Class::Api
                };
                if self.blocked() {
                    return Poll::Ready(Err(refused()));
                }
            }
        }
        result
    }
}

impl AsyncWrite for FaultyStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.blocked() {
            return Poll::Ready(Err(refused()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

impl Listener for FaultyListener {
    type Io = FaultyStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (stream, addr) = Listener::accept(&mut self.inner).await;
        let stream = FaultyStream {
            inner: stream,
            unreachable: Arc::clone(&self.unreachable),
            class: Class::Unknown,
        };
        (stream, addr)
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}
