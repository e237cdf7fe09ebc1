//! Server configuration, read once from `NAVSYNC_*` environment variables.
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `NAVSYNC_BIND` | `127.0.0.1` | address to listen on |
//! | `NAVSYNC_PORT` | `8080` | port to listen on |
//! | `NAVSYNC_DATA_DIR` | `./data` | holds `navsync.db` (SQLite) |
//! | `NAVSYNC_DIST_DIR` | `./dist` | the built web app (Trunk's output) |
//! | `NAVSYNC_DEMO` | off | `1`/`true`: seed the demo organization |
//! | `NAVSYNC_SECURE_COOKIES` | off | `1`/`true`: mark the session cookie `Secure` (behind HTTPS) |
//! | `NAVSYNC_SESSION_HOURS` | `12` | how long a sign-in lasts |
//! | `NAVSYNC_ENTRA_AUTHORITY` | `https://login.microsoftonline.com` | Entra ID authority for CRM tokens (the demo points it at the stand-in) |
//! | `NAVSYNC_CRM_INSECURE_LOOPBACK` | off (on with `NAVSYNC_DEMO`) | `1`/`true`: accept `http://` loopback environment URLs (demo and tests only) |
//! | `NAVSYNC_SYNC_INTERVAL_SECS` | `30` | how often CRM sync runs; `0` turns the schedule off ("Sync now" still works) |
//! | `NAVSYNC_SYNC_LEASE_SECS` | `30` | the sync lease's lifetime (renewed every third of it); a stopped server's runs are taken over after it |
//! | `NAVSYNC_SYNC_PAGE_SIZE` | `5000` | rows per CRM page during sync (1–5000) |
//! | `NAVSYNC_SECRET_KEY` | unset | base64 of 32 bytes encrypting CRM secrets; unset: `<data_dir>/secret.key`, created on first start |

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use navsync_dataverse::{RetryPolicy, Secret};

/// A configuration value that could not be understood.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{variable} is not valid ({value:?}): {expected}")]
pub struct ConfigError {
    /// The environment variable.
    pub variable: &'static str,
    /// What it held.
    pub value: String,
    /// What it should hold.
    pub expected: &'static str,
}

/// Everything the server needs to know at start-up.
#[derive(Clone, Debug)]
pub struct Config {
    /// Directory of the SQLite database (`<data_dir>/navsync.db`); created if missing.
    pub data_dir: PathBuf,
    /// Directory of the built web app, served for every non-API path.
    pub dist_dir: PathBuf,
    /// Seed the demo organization and its people at start-up.
    pub demo: bool,
    /// Add `Secure` to the session cookie (set when served over HTTPS).
    pub secure_cookies: bool,
    /// How long a session lasts after sign-in.
    pub session_ttl: Duration,
    /// Entra ID authority CRM tokens are requested from (no trailing slash).
    pub entra_authority: String,
    /// Accept plain-`http` loopback environment URLs (the stand-in); never for real hosts.
    pub crm_allow_insecure_loopback: bool,
    /// `NAVSYNC_SECRET_KEY` (base64 of 32 bytes); `None`: the key file in `data_dir`.
    /// Wrapped so `Debug` never prints it.
    pub secret_key: Option<Secret>,
    /// How hard CRM calls retry (tests shorten the backoffs; `Retry-After` is always honoured).
    pub crm_retry: RetryPolicy,
    /// How often CRM sync runs by itself; `None`: never (tests, or "Sync now" only).
    pub sync_interval: Option<Duration>,
    /// The sync lease's lifetime; renewed every third of it during a run.
    pub sync_lease_ttl: Duration,
    /// Rows per CRM page during sync.
    pub sync_page_size: u32,
    /// W1's "Get it now" link to the companion solution
    /// (`NAVSYNC_COMPANION_SOLUTION_URL`).
    pub companion_solution_url: String,
}

/// The companion solution's listing when `NAVSYNC_COMPANION_SOLUTION_URL` is not set.
pub const DEFAULT_COMPANION_SOLUTION_URL: &str = "https://appsource.microsoft.com/en-us/product/dynamics-365/linkedin.linkedin_sales_navigator_for_dynamics";

impl Config {
    /// Reads the configuration from the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Reads the configuration through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let path = |key: &str, default: &str| {
            PathBuf::from(
                lookup(key)
                    .filter(|v| !v.trim().is_empty())
                    .unwrap_or_else(|| default.to_owned()),
            )
        };
        let hours = match lookup("NAVSYNC_SESSION_HOURS") {
            None => 12,
            Some(value) => match value.trim().parse::<u64>() {
                Ok(hours) if (1..=24 * 365).contains(&hours) => hours,
                _ => {
                    return Err(ConfigError {
                        variable: "NAVSYNC_SESSION_HOURS",
                        value,
                        expected: "a whole number of hours from 1 to 8760",
                    });
                }
            },
        };
        let demo = flag("NAVSYNC_DEMO", lookup("NAVSYNC_DEMO"))?;
        Ok(Self {
            data_dir: path("NAVSYNC_DATA_DIR", "./data"),
            dist_dir: path("NAVSYNC_DIST_DIR", "./dist"),
            demo,
            secure_cookies: flag("NAVSYNC_SECURE_COOKIES", lookup("NAVSYNC_SECURE_COOKIES"))?,
            session_ttl: Duration::from_secs(hours * 3600),
            entra_authority: lookup("NAVSYNC_ENTRA_AUTHORITY")
                .map(|v| v.trim().trim_end_matches('/').to_owned())
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| navsync_dataverse::DEFAULT_AUTHORITY.to_owned()),
            // The demo talks to the stand-in on loopback, so it defaults to on there.
            crm_allow_insecure_loopback: match lookup("NAVSYNC_CRM_INSECURE_LOOPBACK") {
                Some(value) => flag("NAVSYNC_CRM_INSECURE_LOOPBACK", Some(value))?,
                None => demo,
            },
            secret_key: lookup("NAVSYNC_SECRET_KEY")
                .filter(|v| !v.trim().is_empty())
                .map(Secret::new),
            crm_retry: RetryPolicy::default(),
            sync_interval: match number(&lookup, "NAVSYNC_SYNC_INTERVAL_SECS", 30, 0, 86_400)? {
                0 => None,
                secs => Some(Duration::from_secs(secs)),
            },
            sync_lease_ttl: Duration::from_secs(number(
                &lookup,
                "NAVSYNC_SYNC_LEASE_SECS",
                30,
                1,
                3600,
            )?),
            sync_page_size: u32::try_from(number(
                &lookup,
                "NAVSYNC_SYNC_PAGE_SIZE",
                5000,
                1,
                5000,
            )?)
            .unwrap_or(5000),
            companion_solution_url: lookup("NAVSYNC_COMPANION_SOLUTION_URL")
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| DEFAULT_COMPANION_SOLUTION_URL.to_owned()),
        })
    }

    /// A configuration for tests: the given directories, no demo data, plain-HTTP
    /// cookies, the default session length, loopback CRM environments allowed,
    /// the key file in `data_dir`, and short CRM backoffs (`Retry-After` still honoured).
    pub fn for_tests(data_dir: impl Into<PathBuf>, dist_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
            dist_dir: dist_dir.into(),
            demo: false,
            secure_cookies: false,
            session_ttl: Duration::from_secs(12 * 3600),
            entra_authority: navsync_dataverse::DEFAULT_AUTHORITY.to_owned(),
            crm_allow_insecure_loopback: true,
            secret_key: None,
            crm_retry: RetryPolicy {
                transient_retries: 1,
                base_backoff: Duration::from_millis(10),
                max_backoff: Duration::from_millis(50),
                ..RetryPolicy::default()
            },
            sync_interval: None,
            sync_lease_ttl: Duration::from_secs(30),
            sync_page_size: 5000,
            companion_solution_url: DEFAULT_COMPANION_SOLUTION_URL.to_owned(),
        }
    }

    /// The SQLite database file.
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("navsync.db")
    }

    /// The web app's entry page.
    pub fn index_html(&self) -> PathBuf {
        Path::new(&self.dist_dir).join("index.html")
    }
}

/// Reads `NAVSYNC_BIND` and `NAVSYNC_PORT` from the process environment.
pub fn listen_addr_from_env() -> Result<SocketAddr, ConfigError> {
    listen_addr_from_lookup(|key| std::env::var(key).ok())
}

/// Reads the listen address through `lookup`; defaults to `127.0.0.1:8080`.
pub fn listen_addr_from_lookup(
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<SocketAddr, ConfigError> {
    let ip = match lookup("NAVSYNC_BIND") {
        None => IpAddr::V4(Ipv4Addr::LOCALHOST),
        Some(value) => value.trim().parse().map_err(|_| ConfigError {
            variable: "NAVSYNC_BIND",
            value,
            expected: "an IP address such as 127.0.0.1 or 0.0.0.0",
        })?,
    };
    let port = match lookup("NAVSYNC_PORT") {
        None => 8080,
        Some(value) => value.trim().parse().map_err(|_| ConfigError {
            variable: "NAVSYNC_PORT",
            value,
            expected: "a port number from 0 to 65535",
        })?,
    };
    Ok(SocketAddr::new(ip, port))
}

/// A whole number in `min..=max` from `variable`, or `default` when unset.
fn number(
    lookup: &impl Fn(&str) -> Option<String>,
    variable: &'static str,
    default: u64,
    min: u64,
    max: u64,
) -> Result<u64, ConfigError> {
    let Some(value) = lookup(variable).filter(|v| !v.trim().is_empty()) else {
        return Ok(default);
    };
    match value.trim().parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(ConfigError {
            variable,
            value,
            expected: "a whole number in the documented range",
        }),
    }
}

fn flag(variable: &'static str, value: Option<String>) -> Result<bool, ConfigError> {
    let Some(value) = value else {
        return Ok(false);
    };
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "" | "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(ConfigError {
            variable,
            value,
            expected: "1/true or 0/false",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |key| map.get(key).cloned()
    }

    #[test]
    fn defaults() {
        let config = Config::from_lookup(lookup(&[])).unwrap();
        assert_eq!(config.data_dir, PathBuf::from("./data"));
        assert_eq!(config.dist_dir, PathBuf::from("./dist"));
        assert!(!config.demo);
        assert!(!config.secure_cookies);
        assert_eq!(config.session_ttl, Duration::from_secs(12 * 3600));
        assert_eq!(config.entra_authority, "https://login.microsoftonline.com");
        assert!(!config.crm_allow_insecure_loopback);
        assert!(config.secret_key.is_none());
        assert_eq!(
            listen_addr_from_lookup(lookup(&[])).unwrap(),
            "127.0.0.1:8080".parse().unwrap()
        );
    }

    #[test]
    fn reads_every_variable() {
        let config = Config::from_lookup(lookup(&[
            ("NAVSYNC_DATA_DIR", "/var/navsync"),
            ("NAVSYNC_DIST_DIR", "/srv/dist"),
            ("NAVSYNC_DEMO", "true"),
            ("NAVSYNC_SECURE_COOKIES", "1"),
            ("NAVSYNC_SESSION_HOURS", "2"),
            ("NAVSYNC_ENTRA_AUTHORITY", "http://127.0.0.1:8081/"),
            ("NAVSYNC_CRM_INSECURE_LOOPBACK", "1"),
            ("NAVSYNC_SECRET_KEY", "a2V5LWtleS1rZXk="),
        ]))
        .unwrap();
        assert_eq!(config.entra_authority, "http://127.0.0.1:8081");
        assert!(config.crm_allow_insecure_loopback);
        assert_eq!(
            config.secret_key.as_ref().map(Secret::expose),
            Some("a2V5LWtleS1rZXk=")
        );
        assert!(!format!("{config:?}").contains("a2V5LWtleS1rZXk="));
        assert_eq!(
            config.database_path(),
            PathBuf::from("/var/navsync/navsync.db")
        );
        assert_eq!(config.index_html(), PathBuf::from("/srv/dist/index.html"));
        assert!(config.demo && config.secure_cookies);
        assert_eq!(config.session_ttl, Duration::from_secs(7200));
        let addr = listen_addr_from_lookup(lookup(&[
            ("NAVSYNC_BIND", "0.0.0.0"),
            ("NAVSYNC_PORT", "3000"),
        ]))
        .unwrap();
        assert_eq!(addr, "0.0.0.0:3000".parse().unwrap());
    }

    #[test]
    fn bad_values_name_the_variable() {
        let err = Config::from_lookup(lookup(&[("NAVSYNC_DEMO", "maybe")])).unwrap_err();
        assert_eq!(err.variable, "NAVSYNC_DEMO");
        let err = Config::from_lookup(lookup(&[("NAVSYNC_SESSION_HOURS", "0")])).unwrap_err();
        assert_eq!(err.variable, "NAVSYNC_SESSION_HOURS");
        let err = listen_addr_from_lookup(lookup(&[("NAVSYNC_PORT", "http")])).unwrap_err();
        assert!(err.to_string().contains("NAVSYNC_PORT"));
    }
}
