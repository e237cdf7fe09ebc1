//! Writes: activity upserts by id (idempotent, so retries never duplicate),
//! contact creation, and `$batch` (`multipart/mixed`, up to
//! [`MAX_BATCH`] operations, each its own part with
//! `Prefer: odata.continue-on-error`, so one failing item does not hold back
//! the others). All of them go through the request pipeline of
//! [`Client::send`] / [`Client::send_raw`]: 401 refresh, 429 `Retry-After`,
//! transient backoff.

use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use serde_json::Value;

use crate::client::Client;
use crate::error::CrmError;

/// Dataverse's limit on requests in one `$batch`.
pub const MAX_BATCH: usize = 1_000;

/// One operation of a `$batch`.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchOp {
    /// `PATCH`, `POST`, ...
    pub method: Method,
    /// Path relative to the API root, e.g. `li_inmails(<id>)`.
    pub path: String,
    /// JSON body.
    pub body: Option<Value>,
    /// `CallerObjectId` (impersonation): the Entra object id of the user the
    /// write is made as.
    pub caller_object_id: Option<String>,
}

impl BatchOp {
    /// A `PATCH <set>(<id>)` upsert.
    pub fn upsert(set: &str, id: &str, body: Value, caller_object_id: Option<&str>) -> Self {
        BatchOp {
            method: Method::PATCH,
            path: format!("{set}({id})"),
            body: Some(body),
            caller_object_id: caller_object_id.map(str::to_string),
        }
    }
}

/// The outcome of one batch operation, in request order.
#[derive(Debug)]
pub struct BatchResult {
    /// HTTP status of the operation.
    pub status: u16,
    /// `OData-EntityId` of a write, when sent.
    pub entity_id: Option<String>,
    /// The error of a failed operation (`None` on success).
    pub error: Option<CrmError>,
}

fn caller_headers(caller_object_id: Option<&str>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Some(id) = caller_object_id
        && let Ok(v) = HeaderValue::from_str(id)
    {
        headers.insert("CallerObjectId", v);
    }
    headers
}

/// The id inside `.../set(<id>)`.
pub fn id_of_entity(entity_id: &str) -> Option<String> {
    let open = entity_id.rfind('(')?;
    let close = entity_id.rfind(')')?;
    (open < close).then(|| entity_id[open + 1..close].to_string())
}

impl Client {
    /// `PATCH <set>(<id>)`: creates the activity with that id or updates it,
    /// so sending it again never makes a second row. With `caller_object_id`
    /// the write is made as that user (impersonation).
    pub async fn upsert_activity(
        &self,
        set: &str,
        id: &str,
        body: &Value,
        caller_object_id: Option<&str>,
    ) -> Result<(), CrmError> {
        self.send(
            Method::PATCH,
            &format!("{set}({id})"),
            caller_headers(caller_object_id),
            Some(body),
        )
        .await
        .map(|_| ())
    }

    /// `POST contacts`; returns the new contact's id.
    pub async fn create_contact(&self, body: &Value) -> Result<String, CrmError> {
        let (_, headers) = self
            .send(Method::POST, "contacts", HeaderMap::new(), Some(body))
            .await?;
        headers
            .get("OData-EntityId")
            .and_then(|v| v.to_str().ok())
            .and_then(id_of_entity)
            .ok_or_else(|| CrmError::Api {
                status: 204,
                code: "unexpected_shape".into(),
                message: "the create response has no OData-EntityId".into(),
            })
    }

    /// Sends up to [`MAX_BATCH`] operations in one `$batch` and returns one
    /// result per operation, in order. A whole-batch failure (unreachable,
    /// throttled beyond the policy, 4xx on the batch itself) is the `Err`.
    pub async fn batch(&self, ops: &[BatchOp]) -> Result<Vec<BatchResult>, CrmError> {
        if ops.len() > MAX_BATCH {
            return Err(CrmError::Api {
                status: 400,
                code: "batch_too_large".into(),
                message: format!(
                    "{} operations exceed the $batch limit of {MAX_BATCH}",
                    ops.len()
                ),
            });
        }
        let boundary = format!("batch_navsync_{:016x}", fastrand_like(ops.len()));
        let body = build_batch(&self.api_base(), &boundary, ops);
        let mut headers = HeaderMap::new();
        headers.insert(
            "Prefer",
            HeaderValue::from_static("odata.continue-on-error"),
        );
        let content_type = format!("multipart/mixed; boundary={boundary}");
        let (_, bytes, response_headers) = self
            .send_raw(
                Method::POST,
                "$batch",
                headers,
                Some((&content_type, body.into_bytes())),
            )
            .await?;
        let response_type = response_headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let text = String::from_utf8_lossy(&bytes);
        parse_batch_response(response_type, &text)
    }
}

/// A boundary suffix that differs between calls; uniqueness within the body
/// is all that matters.
fn fastrand_like(seed: usize) -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    nanos ^ (seed as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The `multipart/mixed` body of a batch: one `application/http` part per
/// operation, with absolute URLs.
pub fn build_batch(api_base: &str, boundary: &str, ops: &[BatchOp]) -> String {
    let mut out = String::new();
    for (i, op) in ops.iter().enumerate() {
        out.push_str(&format!(
            "--{boundary}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: {}\r\n\r\n",
            i + 1
        ));
        out.push_str(&format!("{} {api_base}{} HTTP/1.1\r\n", op.method, op.path));
        if let Some(caller) = &op.caller_object_id {
            out.push_str(&format!("CallerObjectId: {caller}\r\n"));
        }
        match &op.body {
            Some(body) => out.push_str(&format!(
                "Content-Type: application/json; charset=utf-8\r\n\r\n{body}\r\n"
            )),
            None => out.push_str("\r\n"),
        }
    }
    out.push_str(&format!("--{boundary}--\r\n"));
    out
}

fn boundary_of(content_type: &str) -> Option<String> {
    content_type.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_string())
    })
}

fn split_parts<'a>(body: &'a str, boundary: &str) -> Vec<&'a str> {
    let delimiter = format!("--{boundary}");
    body.split(delimiter.as_str())
        .skip(1)
        .take_while(|s| !s.starts_with("--"))
        .collect()
}

fn split_head(text: &str) -> (&str, &str) {
    match (text.find("\r\n\r\n"), text.find("\n\n")) {
        (Some(i), _) => (&text[..i], &text[i + 4..]),
        (None, Some(i)) => (&text[..i], &text[i + 2..]),
        (None, None) => (text, ""),
    }
}

fn header_in<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|line| {
        let (n, v) = line.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

fn parse_part(part: &str, out: &mut Vec<BatchResult>) -> Result<(), CrmError> {
    let part = part.trim_start_matches(['\r', '\n']);
    let (head, content) = split_head(part);
    if let Some(inner) = header_in(head, "Content-Type").and_then(boundary_of) {
        for p in split_parts(content, &inner) {
            parse_part(p, out)?;
        }
        return Ok(());
    }
    let content = content.trim_start_matches(['\r', '\n']);
    let (status_line, rest) = content.split_once('\n').unwrap_or((content, ""));
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| shape(format!("bad status line '{}'", status_line.trim())))?;
    let (headers, body) = split_head(rest);
    let entity_id = header_in(headers, "OData-EntityId").map(str::to_string);
    let error = (status >= 400).then(|| {
        let parsed: Value = serde_json::from_str(body.trim()).unwrap_or(Value::Null);
        let code = parsed["error"]["code"].as_str().unwrap_or("");
        let message = parsed["error"]["message"].as_str().unwrap_or("");
        if status == 429 {
            let wait = header_in(headers, "Retry-After")
                .and_then(|s| s.parse::<u64>().ok())
                .unwrap_or(1);
            CrmError::Throttled {
                retry_after: std::time::Duration::from_secs(wait),
            }
        } else {
            CrmError::from_dataverse(status, code, message)
        }
    });
    out.push(BatchResult {
        status,
        entity_id,
        error,
    });
    Ok(())
}

fn shape(message: String) -> CrmError {
    CrmError::Api {
        status: 200,
        code: "unexpected_shape".into(),
        message,
    }
}

/// Parses a `$batch` response into one result per operation, in order
/// (change-set responses are flattened).
pub fn parse_batch_response(content_type: &str, body: &str) -> Result<Vec<BatchResult>, CrmError> {
    let boundary = boundary_of(content_type).ok_or_else(|| {
        shape(format!(
            "the $batch response is not multipart: '{content_type}'"
        ))
    })?;
    let mut out = Vec::new();
    for part in split_parts(body, &boundary) {
        parse_part(part, &mut out)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn batch_body_has_one_part_per_op_and_a_closing_delimiter() {
        let ops = vec![
            BatchOp::upsert("tasks", "1", json!({"subject": "a"}), Some("aad")),
            BatchOp::upsert("li_inmails", "2", json!({"subject": "b"}), None),
        ];
        let body = build_batch("http://x/api/data/v9.2/", "b1", &ops);
        assert_eq!(body.matches("--b1\r\n").count(), 2);
        assert!(body.ends_with("--b1--\r\n"));
        assert!(
            body.contains(
                "PATCH http://x/api/data/v9.2/tasks(1) HTTP/1.1\r\nCallerObjectId: aad\r\n"
            )
        );
    }

    #[test]
    fn batch_response_parses_statuses_ids_and_errors() {
        let body = "--r\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 204 No Content\r\nOData-EntityId: http://x/tasks(abc)\r\n\r\n\r\n--r\r\nContent-Type: multipart/mixed; boundary=cs\r\n\r\n--cs\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n\r\n--cs--\r\n--r\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\n\r\n{\"error\":{\"code\":\"0x80040220\",\"message\":\"Principal user is missing prvActOnBehalfOfAnotherUser privilege\"}}\r\n--r--\r\n";
        let results = parse_batch_response("multipart/mixed; boundary=r", body).unwrap();
        assert_eq!(results.len(), 3);
        assert_eq!(results[0].status, 204);
        assert_eq!(
            results[0]
                .entity_id
                .as_deref()
                .and_then(id_of_entity)
                .as_deref(),
            Some("abc")
        );
        assert_eq!(results[1].status, 204);
        assert_eq!(results[2].status, 403);
        assert!(results[2].error.is_some());
    }
}
