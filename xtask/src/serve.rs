//! A Navsync server as a child process for `fuzz` and `bench-load`: demo
//! mode, a temporary data directory, a free port, stopped (and its data
//! removed) on drop. Also a tiny HTTP/1.1 client for signing in, so xtask
//! needs no HTTP dependency.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::root;

/// A running server.
pub struct Server {
    child: Child,
    data_dir: PathBuf,
    /// `127.0.0.1:<port>`.
    pub addr: String,
}

impl Server {
    /// The directory cargo builds into (`CARGO_TARGET_DIR` or `target/`).
    pub fn target_dir() -> PathBuf {
        std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| root().join("target"))
    }

    /// Starts `<target>/<profile_dir>/navsync-server` with the demo organization
    /// and `extra_env`, and waits for it to listen.
    pub fn start(profile_dir: &str, extra_env: &[(&str, &str)]) -> Result<Self, String> {
        let binary = Self::target_dir().join(profile_dir).join("navsync-server");
        let data_dir = std::env::temp_dir().join(format!(
            "navsync-xtask-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default()
        ));
        let mut command = Command::new(&binary);
        command
            .current_dir(root())
            .env("NAVSYNC_DEMO", "1")
            .env("NAVSYNC_DATA_DIR", &data_dir)
            .env("NAVSYNC_DIST_DIR", root().join("dist"))
            .env("NAVSYNC_BIND", "127.0.0.1")
            .env("NAVSYNC_PORT", "0")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (name, value) in extra_env {
            command.env(name, value);
        }
        let mut child = command
            .spawn()
            .map_err(|e| format!("could not start {}: {e}", binary.display()))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let (tx, rx) = std::sync::mpsc::channel();
        // Read the "running at" line, then keep draining so the server never blocks.
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if !sent && let Some(url) = line.split("running at http://").nth(1) {
                    let _ = tx.send(url.trim().to_owned());
                    sent = true;
                }
            }
        });
        let mut server = Server {
            child,
            data_dir,
            addr: String::new(),
        };
        server.addr = rx
            .recv_timeout(Duration::from_secs(120))
            .map_err(|_| "the server did not say where it listens within 120 s".to_string())?;
        println!("xtask: server listening on http://{}", server.addr);
        Ok(server)
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Signs in as a demo person; returns `navsync_session=…` to send back.
    pub fn sign_in(&self, email: &str) -> Result<String, String> {
        let body = format!(r#"{{"email":"{email}","password":"navsync-demo"}}"#);
        let response = self.request("POST", "/api/session", Some(&body), None)?;
        if !response.starts_with("HTTP/1.1 200") {
            return Err(format!(
                "sign-in as {email} failed: {}",
                response.lines().next().unwrap_or_default()
            ));
        }
        response
            .lines()
            .find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("set-cookie").then(|| {
                    value
                        .trim()
                        .split(';')
                        .next()
                        .unwrap_or_default()
                        .to_owned()
                })
            })
            .ok_or_else(|| "no Set-Cookie in the sign-in response".to_string())
    }

    /// One HTTP/1.1 request (`Connection: close`); returns the raw response.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        json: Option<&str>,
        cookie: Option<&str>,
    ) -> Result<String, String> {
        let mut stream =
            TcpStream::connect(&self.addr).map_err(|e| format!("connect {}: {e}", self.addr))?;
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .map_err(|e| e.to_string())?;
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
            self.addr
        );
        if let Some(cookie) = cookie {
            head.push_str(&format!("Cookie: {cookie}\r\n"));
        }
        let body = json.unwrap_or_default();
        if json.is_some() {
            head.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        head.push_str("\r\n");
        stream
            .write_all(format!("{head}{body}").as_bytes())
            .map_err(|e| e.to_string())?;
        let mut response = String::new();
        stream
            .read_to_string(&mut response)
            .map_err(|e| e.to_string())?;
        Ok(response)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // SIGTERM would be kinder, but std has no portable way; the data is
        // temporary and SQLite in WAL mode survives a kill.
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}
