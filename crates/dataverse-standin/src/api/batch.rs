//! `POST $batch` (`multipart/mixed`) and the HTTP entry of the write sets.
//!
//! A batch holds up to [`MAX_OPERATIONS`] requests, each an `application/http` part, or
//! change sets (nested `multipart/mixed`) whose requests succeed or fail together: a
//! failing request rolls the whole change set back and its error is the change set's only
//! response part. Change sets may not contain `GET`s (400 for the whole batch). Without
//! `Prefer: odata.continue-on-error` the batch stops after the first failed part, as
//! Dataverse does. Only the write sets ([`super::writes`]) are served inside a batch.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use super::error::ApiError;
use super::writes::{self, Op, OpResponse, WriteStore};
use crate::standin::StandIn;

/// Dataverse's limit on requests in one batch.
pub const MAX_OPERATIONS: usize = 1_000;

/// Largest request body read.
const MAX_BODY: usize = 64 * 1024 * 1024;

/// Handles `$batch` and every request to a write set.
pub async fn dispatch(
    standin: StandIn,
    user: Uuid,
    version: String,
    path: String,
    req: Request,
) -> Response {
    let base = super::base_of(&standin, req.headers());
    let api_root = format!("{base}/api/data/{version}");
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .filter_map(|(n, v)| Some((n.as_str().to_string(), v.to_str().ok()?.to_string())))
        .collect();
    let method = req.method().as_str().to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    let body = match axum::body::to_bytes(req.into_body(), MAX_BODY).await {
        Ok(b) => b,
        Err(_) => return ApiError::query("The request body could not be read.").into_response(),
    };
    if path.trim_end_matches('/') == "$batch" {
        if method != "POST" {
            return ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                super::error::CODE_QUERY,
                "$batch only accepts POST.",
            )
            .into_response();
        }
        return match batch(&standin, user, &api_root, &headers, &body) {
            Ok(r) => r,
            Err(e) => e.into_response(),
        };
    }
    let op = Op {
        method: &method,
        api_root: &api_root,
        path: &path,
        query: &query,
        headers: &headers,
        body: &body,
    };
    if path == "contacts" {
        return writes::create_contact(&standin, &op);
    }
    writes::respond(&standin, user, &op)
}

fn header_of<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

fn boundary_of(content_type: &str) -> Option<String> {
    let (kind, params) = content_type.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/mixed") {
        return None;
    }
    params.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_string())
    })
}

/// Splits a multipart body into its parts (each still with its headers).
fn parts<'a>(body: &'a str, boundary: &str) -> Result<Vec<&'a str>, ApiError> {
    let delimiter = format!("--{boundary}");
    let mut segments = body.split(delimiter.as_str());
    segments.next();
    let mut out = Vec::new();
    let mut closed = false;
    for segment in segments {
        if segment.starts_with("--") {
            closed = true;
            break;
        }
        let segment = segment
            .strip_prefix("\r\n")
            .or_else(|| segment.strip_prefix('\n'))
            .unwrap_or(segment);
        let segment = segment
            .strip_suffix("\r\n")
            .or_else(|| segment.strip_suffix('\n'))
            .unwrap_or(segment);
        out.push(segment);
    }
    if !closed {
        return Err(ApiError::query(format!(
            "The multipart body is missing its closing delimiter '--{boundary}--'."
        )));
    }
    Ok(out)
}

/// Splits headers from content at the first blank line.
fn head_and_body(text: &str) -> (Vec<(String, String)>, &str) {
    let (head, body) = match (text.find("\r\n\r\n"), text.find("\n\n")) {
        (Some(i), _) => (&text[..i], &text[i + 4..]),
        (None, Some(i)) => (&text[..i], &text[i + 2..]),
        (None, None) => (text, ""),
    };
    let headers = head
        .lines()
        .filter_map(|line| {
            let (n, v) = line.split_once(':')?;
            Some((n.trim().to_string(), v.trim().to_string()))
        })
        .collect();
    (headers, body)
}

/// One request inside the batch.
struct Inner {
    content_id: Option<String>,
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: String,
}

enum Part {
    Single(Inner),
    ChangeSet(Vec<Inner>),
}

fn parse_request(text: &str, content_id: Option<String>) -> Result<Inner, ApiError> {
    let text = text.trim_start_matches(['\r', '\n']);
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let mut words = first.split_whitespace();
    let (Some(method), Some(url)) = (words.next(), words.next()) else {
        return Err(ApiError::query(format!(
            "Bad request line in batch part: '{}'.",
            first.trim()
        )));
    };
    let (headers, body) = head_and_body(rest);
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let path = match path.find("/api/data/") {
        Some(i) => {
            let after = &path[i + "/api/data/".len()..];
            after.split_once('/').map_or("", |(_, p)| p)
        }
        None => path.trim_start_matches('/'),
    };
    Ok(Inner {
        content_id,
        method: method.to_ascii_uppercase(),
        path: super::percent_decode(path),
        query: query.to_string(),
        headers,
        body: body.trim_end_matches(['\r', '\n']).to_string(),
    })
}

fn parse_batch(body: &str, boundary: &str) -> Result<Vec<Part>, ApiError> {
    let mut out = Vec::new();
    for part in parts(body, boundary)? {
        let (headers, content) = head_and_body(part);
        let content_type = header_of(&headers, "Content-Type").unwrap_or("");
        let content_id = header_of(&headers, "Content-ID").map(str::to_string);
        if let Some(inner_boundary) = boundary_of(content_type) {
            let mut requests = Vec::new();
            for inner in parts(content, &inner_boundary)? {
                let (inner_headers, inner_content) = head_and_body(inner);
                let id = header_of(&inner_headers, "Content-ID").map(str::to_string);
                requests.push(parse_request(inner_content, id)?);
            }
            if requests.iter().any(|r| r.method == "GET") {
                return Err(ApiError::query(
                    "A change set may not contain GET requests; send them outside the change set.",
                ));
            }
            out.push(Part::ChangeSet(requests));
        } else {
            out.push(Part::Single(parse_request(content, content_id)?));
        }
    }
    Ok(out)
}

fn run(
    standin: &StandIn,
    user: Uuid,
    api_root: &str,
    request: &Inner,
    store: &mut WriteStore,
) -> OpResponse {
    if !writes::handles(&request.path) {
        return ApiError::query(format!(
            "The stand-in serves only the write sets inside $batch, not '{}'.",
            request.path
        ))
        .into();
    }
    let op = Op {
        method: &request.method,
        api_root,
        path: &request.path,
        query: &request.query,
        headers: &request.headers,
        body: request.body.as_bytes(),
    };
    writes::apply(standin, user, &op, store)
}

fn render_response(out: &mut String, response: &OpResponse, content_id: Option<&str>) {
    out.push_str("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n");
    if let Some(id) = content_id {
        out.push_str(&format!("Content-ID: {id}\r\n"));
    }
    let reason = response.status.canonical_reason().unwrap_or("");
    out.push_str(&format!(
        "\r\nHTTP/1.1 {} {reason}\r\n",
        response.status.as_u16()
    ));
    out.push_str("OData-Version: 4.0\r\n");
    for (name, value) in &response.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    match &response.body {
        Some(body) => {
            out.push_str("Content-Type: application/json; odata.metadata=minimal; odata.streaming=true\r\n\r\n");
            out.push_str(&body.to_string());
            out.push_str("\r\n");
        }
        None => out.push_str("\r\n\r\n"),
    }
}

fn batch(
    standin: &StandIn,
    user: Uuid,
    api_root: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<Response, ApiError> {
    let content_type = header_of(headers, "Content-Type").unwrap_or("");
    let boundary = boundary_of(content_type).ok_or_else(|| {
        ApiError::query("A $batch request needs 'Content-Type: multipart/mixed; boundary=...'.")
    })?;
    let text =
        std::str::from_utf8(body).map_err(|_| ApiError::query("The $batch body is not UTF-8."))?;
    let batch = parse_batch(text, &boundary)?;
    let count: usize = batch
        .iter()
        .map(|p| match p {
            Part::Single(_) => 1,
            Part::ChangeSet(r) => r.len(),
        })
        .sum();
    if count > MAX_OPERATIONS {
        return Err(ApiError::query(format!(
            "The number of requests in a batch ({count}) exceeds the maximum of {MAX_OPERATIONS}."
        )));
    }
    let continue_on_error = header_of(headers, "Prefer")
        .is_some_and(|p| p.split(',').any(|p| p.trim() == "odata.continue-on-error"));
    let response_boundary = format!("batchresponse_{}", Uuid::new_v4());
    let mut out = String::new();
    let mut store = standin.write_store();
    for part in &batch {
        out.push_str(&format!("--{response_boundary}\r\n"));
        let failed = match part {
            Part::Single(request) => {
                let response = run(standin, user, api_root, request, &mut store);
                render_response(&mut out, &response, request.content_id.as_deref());
                response.status.as_u16() >= 400
            }
            Part::ChangeSet(requests) => {
                let snapshot = store.clone();
                let mut responses = Vec::new();
                let mut failure = None;
                for request in requests {
                    let response = run(standin, user, api_root, request, &mut store);
                    if response.status.as_u16() >= 400 {
                        failure = Some((response, request.content_id.clone()));
                        break;
                    }
                    responses.push((response, request.content_id.clone()));
                }
                match failure {
                    Some((response, id)) => {
                        *store = snapshot;
                        render_response(&mut out, &response, id.as_deref());
                        true
                    }
                    None => {
                        let cs = format!("changesetresponse_{}", Uuid::new_v4());
                        out.push_str(&format!(
                            "Content-Type: multipart/mixed; boundary={cs}\r\n\r\n"
                        ));
                        for (response, id) in &responses {
                            out.push_str(&format!("--{cs}\r\n"));
                            render_response(&mut out, response, id.as_deref());
                        }
                        out.push_str(&format!("--{cs}--\r\n"));
                        false
                    }
                }
            }
        };
        if failed && !continue_on_error {
            break;
        }
    }
    drop(store);
    out.push_str(&format!("--{response_boundary}--\r\n"));
    let mut response = (StatusCode::OK, out).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("multipart/mixed; boundary={response_boundary}"))
    {
        response.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    Ok(response)
}
