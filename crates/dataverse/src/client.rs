//! OAuth 2.0 client credentials against Microsoft Entra ID (or any authority
//! that speaks its protocol), a token cache, and the request pipeline:
//!
//! - every request carries `Accept`, `OData-MaxVersion`, `OData-Version` and
//!   the bearer token;
//! - a 401 drops the cached token and retries once with a fresh one (expired
//!   tokens), then fails;
//! - a 429 is waited out for exactly `Retry-After` seconds and retried, up to
//!   the policy's limits (service protection: a well-behaved client keeps going);
//! - network errors and 500/502/503/504 are retried with bounded exponential
//!   backoff;
//! - collections are read with `Prefer: odata.maxpagesize` and every
//!   `@odata.nextLink` is followed exactly as given (absolute or relative).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde_json::Value;
use tokio::sync::Mutex;

use crate::environment::EnvironmentUrl;
use crate::error::CrmError;

/// A secret that never shows in `Debug` output or logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// How hard the client tries before it gives up.
#[derive(Clone, Debug)]
pub struct RetryPolicy {
    /// 429 answers waited out per request before giving up.
    pub max_throttle_waits: u32,
    /// A `Retry-After` longer than this is not waited for (the caller retries later).
    pub max_retry_after: Duration,
    /// Retries of network errors and transient 5xx per request.
    pub transient_retries: u32,
    /// First backoff; doubles each retry.
    pub base_backoff: Duration,
    /// Backoff ceiling.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_throttle_waits: 8,
            max_retry_after: Duration::from_secs(300),
            transient_retries: 3,
            base_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
        }
    }
}

impl RetryPolicy {
    /// Backoff before transient retry number `attempt` (1-based).
    pub fn backoff(&self, attempt: u32) -> Duration {
        let factor = 1u32
            .checked_shl(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.base_backoff
            .checked_mul(factor)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff)
    }
}

/// Everything needed to reach one environment.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// The validated environment URL.
    pub environment: EnvironmentUrl,
    /// Entra authority, e.g. `https://login.microsoftonline.com` (no trailing slash).
    pub authority: String,
    /// Directory (tenant) id or domain.
    pub tenant: String,
    /// Application (client) id of the Integration User's app registration.
    pub client_id: String,
    /// Its client secret.
    pub client_secret: Secret,
    /// Web API version path segment.
    pub api_version: String,
    /// Per-request time-out.
    pub timeout: Duration,
    /// Retry behaviour.
    pub retry: RetryPolicy,
}

impl ClientConfig {
    /// A configuration with the defaults: Entra's public authority, v9.2,
    /// 30 s time-out, the default retry policy.
    pub fn new(
        environment: EnvironmentUrl,
        tenant: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: Secret,
    ) -> Self {
        Self {
            environment,
            authority: crate::DEFAULT_AUTHORITY.into(),
            tenant: tenant.into(),
            client_id: client_id.into(),
            client_secret,
            api_version: "v9.2".into(),
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
        }
    }
}

struct CachedToken {
    value: String,
    refresh_at: Instant,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

#[derive(Deserialize, Default)]
struct EntraError {
    #[serde(default)]
    error: String,
    #[serde(default)]
    error_description: String,
}

#[derive(Deserialize)]
struct DataverseErrorBody {
    error: DataverseError,
}

#[derive(Deserialize)]
struct DataverseError {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
}

/// One page of a collection.
#[derive(Debug, Default)]
pub struct Page {
    /// The rows (`value`).
    pub rows: Vec<Value>,
    /// `@odata.nextLink`, exactly as given.
    pub next_link: Option<String>,
    /// `@odata.deltaLink` (change tracking), on the last page.
    pub delta_link: Option<String>,
}

/// A connection to one Dataverse environment. Cheap to share behind an `Arc`.
pub struct Client {
    http: reqwest::Client,
    config: ClientConfig,
    token: Mutex<Option<CachedToken>>,
    requests: AtomicU64,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("environment", &self.config.environment)
            .field("tenant", &self.config.tenant)
            .field("client_id", &self.config.client_id)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Builds a client; no request is made until the first call.
    pub fn new(config: ClientConfig) -> Result<Self, CrmError> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(Duration::from_secs(10))
            .user_agent(concat!("Navsync/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| CrmError::Unreachable(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self {
            http,
            config,
            token: Mutex::new(None),
            requests: AtomicU64::new(0),
        })
    }

    /// The configuration (the secret stays wrapped).
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// HTTP requests sent so far (token requests included, retries included).
    pub fn requests_sent(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// The Web API base, e.g. `https://org.crm.dynamics.com/api/data/v9.2/`.
    pub fn api_base(&self) -> String {
        self.config.environment.api_base(&self.config.api_version)
    }

    fn token_url(&self) -> String {
        format!(
            "{}/{}/oauth2/v2.0/token",
            self.config.authority.trim_end_matches('/'),
            self.config.tenant
        )
    }

    async fn token(&self) -> Result<String, CrmError> {
        let mut cached = self.token.lock().await;
        if let Some(token) = cached.as_ref()
            && Instant::now() < token.refresh_at
        {
            return Ok(token.value.clone());
        }
        let fresh = self.fetch_token().await?;
        let value = fresh.value.clone();
        *cached = Some(fresh);
        Ok(value)
    }

    async fn fetch_token(&self) -> Result<CachedToken, CrmError> {
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", self.config.client_id.as_str()),
            ("client_secret", self.config.client_secret.expose()),
            ("scope", &self.config.environment.default_scope()),
        ];
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.requests.fetch_add(1, Ordering::Relaxed);
            let sent = self.http.post(self.token_url()).form(&form).send().await;
            let response = match sent {
                Ok(response) => response,
                Err(e) if attempt <= self.config.retry.transient_retries => {
                    tracing::debug!(error = %redact(&e), "token request failed; retrying");
                    tokio::time::sleep(self.config.retry.backoff(attempt)).await;
                    continue;
                }
                Err(e) => return Err(CrmError::Unreachable(redact(&e))),
            };
            let status = response.status();
            if status.is_success() {
                let body: TokenResponse = response.json().await.map_err(|e| CrmError::Api {
                    status: status.as_u16(),
                    code: "invalid_token_response".into(),
                    message: redact(&e),
                })?;
                let lifetime = Duration::from_secs(body.expires_in.unwrap_or(3599));
                // Refresh a minute early (or at half-life for short tokens) so
                // a request never leaves with a token about to expire.
                let margin = Duration::from_secs(60).min(lifetime / 2);
                return Ok(CachedToken {
                    value: body.access_token,
                    refresh_at: Instant::now() + lifetime - margin,
                });
            }
            if status.is_server_error() && attempt <= self.config.retry.transient_retries {
                tokio::time::sleep(self.config.retry.backoff(attempt)).await;
                continue;
            }
            let body: EntraError = response.json().await.unwrap_or_default();
            return Err(CrmError::from_entra(
                status.as_u16(),
                &body.error,
                &body.error_description,
            ));
        }
    }

    /// Drops the cached token so the next request fetches a new one.
    pub async fn forget_token(&self) {
        *self.token.lock().await = None;
    }

    fn absolute(&self, path_or_url: &str) -> String {
        if path_or_url.starts_with("http://") || path_or_url.starts_with("https://") {
            path_or_url.to_string()
        } else {
            format!("{}{}", self.api_base(), path_or_url.trim_start_matches('/'))
        }
    }

    /// Sends one request through the pipeline and returns the JSON body
    /// (`Value::Null` for an empty body).
    pub async fn send(
        &self,
        method: Method,
        path_or_url: &str,
        extra_headers: HeaderMap,
        body: Option<&Value>,
    ) -> Result<(Value, HeaderMap), CrmError> {
        let raw = body.map(|b| {
            (
                "application/json; charset=utf-8",
                b.to_string().into_bytes(),
            )
        });
        let (status, bytes, headers) = self
            .send_raw(method, path_or_url, extra_headers, raw)
            .await?;
        let value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).map_err(|e| CrmError::Api {
                status,
                code: "invalid_json".into(),
                message: e.to_string(),
            })?
        };
        Ok((value, headers))
    }

    /// The same pipeline as [`Client::send`] (401 refresh, 429 `Retry-After`,
    /// transient backoff) for a body of any content type (`$batch`'s
    /// `multipart/mixed`); returns the status, raw body and headers of a
    /// successful response.
    pub async fn send_raw(
        &self,
        method: Method,
        path_or_url: &str,
        extra_headers: HeaderMap,
        body: Option<(&str, Vec<u8>)>,
    ) -> Result<(u16, Vec<u8>, HeaderMap), CrmError> {
        let url = self.absolute(path_or_url);
        let retry = &self.config.retry;
        let (mut transient, mut throttled, mut refreshed) = (0u32, 0u32, false);
        loop {
            let token = self.token().await?;
            let mut request = self
                .http
                .request(method.clone(), &url)
                .header(ACCEPT, "application/json")
                .header("OData-MaxVersion", "4.0")
                .header("OData-Version", "4.0")
                .header(AUTHORIZATION, format!("Bearer {token}"))
                .headers(extra_headers.clone());
            if let Some((content_type, bytes)) = &body {
                request = request
                    .header(CONTENT_TYPE, *content_type)
                    .body(bytes.clone());
            }
            self.requests.fetch_add(1, Ordering::Relaxed);
            let response = match request.send().await {
                Ok(response) => response,
                Err(e) => {
                    transient += 1;
                    if transient <= retry.transient_retries {
                        tracing::debug!(error = %redact(&e), attempt = transient, "CRM request failed; retrying");
                        tokio::time::sleep(retry.backoff(transient)).await;
                        continue;
                    }
                    return Err(CrmError::Unreachable(redact(&e)));
                }
            };
            let status = response.status();
            let headers = response.headers().clone();
            if status.is_success() {
                let bytes = response
                    .bytes()
                    .await
                    .map_err(|e| CrmError::Unreachable(redact(&e)))?;
                return Ok((status.as_u16(), bytes.to_vec(), headers));
            }
            match status {
                StatusCode::UNAUTHORIZED if !refreshed => {
                    // Expired or revoked token: fetch a new one once.
                    refreshed = true;
                    self.forget_token().await;
                    continue;
                }
                StatusCode::TOO_MANY_REQUESTS => {
                    let wait = retry_after(&headers);
                    throttled += 1;
                    if throttled <= retry.max_throttle_waits && wait <= retry.max_retry_after {
                        tracing::info!(
                            seconds = wait.as_secs_f64(),
                            "CRM throttled (429); waiting Retry-After"
                        );
                        tokio::time::sleep(wait).await;
                        continue;
                    }
                    return Err(CrmError::Throttled { retry_after: wait });
                }
                StatusCode::INTERNAL_SERVER_ERROR
                | StatusCode::BAD_GATEWAY
                | StatusCode::SERVICE_UNAVAILABLE
                | StatusCode::GATEWAY_TIMEOUT
                    if transient < retry.transient_retries =>
                {
                    transient += 1;
                    tokio::time::sleep(retry.backoff(transient)).await;
                    continue;
                }
                _ => {}
            }
            let bytes = response.bytes().await.unwrap_or_default();
            let (code, message) = serde_json::from_slice::<DataverseErrorBody>(&bytes)
                .map(|b| (b.error.code, b.error.message))
                .unwrap_or_default();
            return Err(CrmError::from_dataverse(status.as_u16(), &code, &message));
        }
    }

    /// `GET` returning JSON.
    pub async fn get(&self, path_or_url: &str) -> Result<Value, CrmError> {
        Ok(self
            .send(Method::GET, path_or_url, HeaderMap::new(), None)
            .await?
            .0)
    }

    /// One page of a collection, asking for `page_size` rows
    /// (`Prefer: odata.maxpagesize`); `extra_prefer` adds preferences such as
    /// `odata.track-changes`.
    pub async fn get_page(
        &self,
        path_or_url: &str,
        page_size: u32,
        extra_prefer: Option<&str>,
    ) -> Result<Page, CrmError> {
        let mut prefer = format!(
            "odata.maxpagesize={}",
            page_size.clamp(1, crate::MAX_PAGE_SIZE)
        );
        if let Some(extra) = extra_prefer {
            prefer.push(',');
            prefer.push_str(extra);
        }
        let mut headers = HeaderMap::new();
        if let Ok(value) = HeaderValue::from_str(&prefer) {
            headers.insert("Prefer", value);
        }
        let (mut body, _) = self.send(Method::GET, path_or_url, headers, None).await?;
        let rows = match body.get_mut("value").map(Value::take) {
            Some(Value::Array(rows)) => rows,
            _ => {
                return Err(CrmError::Api {
                    status: 200,
                    code: "unexpected_shape".into(),
                    message: "the collection response has no `value` array".into(),
                });
            }
        };
        let link = |name: &str| body.get(name).and_then(Value::as_str).map(str::to_string);
        Ok(Page {
            rows,
            next_link: link("@odata.nextLink"),
            delta_link: link("@odata.deltaLink"),
        })
    }

    /// Every row of a collection query, following `@odata.nextLink` page by
    /// page (5,000 rows per request).
    pub async fn get_all(&self, path: &str) -> Result<Vec<Value>, CrmError> {
        let mut rows = Vec::new();
        let mut next = Some(path.to_string());
        while let Some(url) = next {
            let page = self.get_page(&url, crate::MAX_PAGE_SIZE, None).await?;
            rows.extend(page.rows);
            next = page.next_link;
        }
        Ok(rows)
    }
}

/// `Retry-After` in seconds (Dataverse sends whole seconds); 1 s when absent
/// or unreadable.
fn retry_after(headers: &HeaderMap) -> Duration {
    headers
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64)
        .unwrap_or(Duration::from_secs(1))
}

/// A reqwest error without its URL (URLs can carry tokens in query strings of
/// other services; ours never do, but logs must not depend on that).
fn redact(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else if e.is_decode() {
        "could not read the answer"
    } else {
        "request failed"
    };
    let mut source = std::error::Error::source(e);
    let mut detail = String::new();
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    if detail.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}: {detail}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_bounded() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.backoff(1), Duration::from_millis(500));
        assert_eq!(policy.backoff(2), Duration::from_secs(1));
        assert_eq!(policy.backoff(3), Duration::from_secs(2));
        assert_eq!(policy.backoff(10), Duration::from_secs(8));
        assert_eq!(policy.backoff(64), Duration::from_secs(8));
    }

    #[test]
    fn retry_after_reads_seconds() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), Duration::from_secs(1));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("3"));
        assert_eq!(retry_after(&headers), Duration::from_secs(3));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("junk"));
        assert_eq!(retry_after(&headers), Duration::from_secs(1));
    }

    #[test]
    fn secrets_do_not_debug_print() {
        let config = ClientConfig::new(
            EnvironmentUrl::parse("https://x.crm.dynamics.com", false).unwrap(),
            "t",
            "c",
            Secret::new("hunter2"),
        );
        assert!(!format!("{config:?}").contains("hunter2"));
        let client = Client::new(config).unwrap();
        assert!(!format!("{client:?}").contains("hunter2"));
    }
}
