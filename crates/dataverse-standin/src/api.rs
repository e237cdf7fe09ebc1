//! The Web API under `/api/data/{v8.2|v9.0|v9.1|v9.2}/`: the gate every request passes
//! (counting, bearer token, injected faults, service protection) and the dispatch of the
//! OData path to functions, metadata and table queries.

pub mod batch;
pub mod changes;
pub mod collections;
pub mod error;
pub mod functions;
pub mod metadata;
pub mod writes;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use uuid::Uuid;

use crate::limiter::Refusal;
use crate::query::Prefer;
use crate::standin::{StandIn, TokenProblem};
use crate::stats::resource_of;
use crate::store::schema::Table;
use error::{ApiError, CODE_UNEXPECTED};

/// Web API versions the stand-in answers to.
pub const VERSIONS: &[&str] = &["v8.2", "v9.0", "v9.1", "v9.2"];

/// The user a request's token acts as, put in request extensions by the gate.
#[derive(Debug, Clone, Copy)]
struct Caller(Uuid);

/// What handlers need to know about one request.
pub struct Ctx {
    /// The shared state.
    pub standin: StandIn,
    /// The calling user.
    pub user: Uuid,
    /// `http://host:port` as the client addressed us; links are built on it.
    pub base: String,
    /// `v9.2` etc.
    pub version: String,
    /// The path after the version, percent-decoded.
    pub path: String,
    /// The raw (still encoded) query string.
    pub raw_query: String,
    /// The decoded query pairs.
    pub pairs: Vec<(String, String)>,
    /// The `Prefer` header.
    pub prefer: Prefer,
}

impl Ctx {
    /// `http://host/api/data/v9.2`.
    pub fn api_root(&self) -> String {
        format!("{}/api/data/{}", self.base, self.version)
    }

    /// The `@odata.context` prefix, `.../$metadata#`.
    pub fn metadata(&self) -> String {
        format!("{}/$metadata#", self.api_root())
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 3 <= bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits `/api/data/v9.2/rest` into `("v9.2", "rest")`.
fn split_path(path: &str) -> Option<(String, String)> {
    let after = path.strip_prefix("/api/data/")?;
    let (version, rest) = after.split_once('/').unwrap_or((after, ""));
    Some((version.to_string(), percent_decode(rest)))
}

fn base_of(standin: &StandIn, headers: &HeaderMap) -> String {
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|h| format!("http://{h}"))
        .unwrap_or_else(|| standin.base_url())
}

fn authenticate(standin: &StandIn, headers: &HeaderMap) -> Result<Uuid, ApiError> {
    let base = base_of(standin, headers);
    let authority = format!("{base}/{}/oauth2/authorize", standin.config().tenant);
    let resource = format!("{base}/");
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        });
    let Some(token) = bearer else {
        return Err(ApiError::unauthorized(
            "Bearer token is missing. Send 'Authorization: Bearer <access token>'.",
            authority,
            resource,
            false,
        ));
    };
    standin.check_token(token.trim()).map_err(|problem| {
        let message = match problem {
            TokenProblem::Expired => "ExpiredAuthTicket: the access token has expired.",
            TokenProblem::Unknown => "InvalidAuthTicket: the access token is not valid.",
        };
        ApiError::unauthorized(message, authority, resource, true)
    })
}

/// Counts, authenticates, applies faults and limits, then runs the handler.
async fn gate(State(standin): State<StandIn>, mut req: Request, next: Next) -> Response {
    let resource = split_path(req.uri().path())
        .map(|(_, rest)| resource_of(&rest))
        .unwrap_or_default();
    let mut response = match admit(&standin, req.headers()) {
        Err(e) => e.into_response(),
        Ok((user, slot)) => {
            let delay = standin.faults().delay_ms;
            if delay > 0 {
                tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
            }
            req.extensions_mut().insert(Caller(user));
            let response = next.run(req).await;
            drop(slot);
            let after = standin.faults().response_delay_ms;
            if after > 0 {
                tokio::time::sleep(std::time::Duration::from_millis(after)).await;
            }
            response
        }
    };
    response
        .headers_mut()
        .insert("OData-Version", HeaderValue::from_static("4.0"));
    standin.record_request(&resource, response.status().as_u16());
    response
}

fn admit(standin: &StandIn, headers: &HeaderMap) -> Result<(Uuid, crate::limiter::Slot), ApiError> {
    let user = authenticate(standin, headers)?;
    let config = standin.config();
    if let Some(wait) = standin.take_throttle() {
        return Err(ApiError::throttled_count(
            config.request_limit,
            config.window.as_secs(),
            wait,
        ));
    }
    let slot = standin
        .limiter()
        .admit(
            user,
            config.request_limit,
            config.concurrency_limit,
            config.window,
        )
        .map_err(|refusal| match refusal {
            Refusal::Count(wait) => {
                ApiError::throttled_count(config.request_limit, config.window.as_secs(), wait)
            }
            Refusal::Concurrency(wait) => {
                ApiError::throttled_concurrency(config.concurrency_limit, wait)
            }
        })?;
    if let Some(status) = standin.faults().server_error {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        return Err(ApiError::new(
            status,
            CODE_UNEXPECTED,
            "An unexpected error occurred.",
        ));
    }
    Ok((user, slot))
}

async fn dispatch(State(standin): State<StandIn>, req: Request) -> Response {
    let user = req.extensions().get::<Caller>().map(|c| c.0);
    let Some(user) = user else {
        return ApiError::new(StatusCode::UNAUTHORIZED, "0x0", "Not authenticated.")
            .into_response();
    };
    let Some((version, path)) = split_path(req.uri().path()) else {
        return ApiError::segment(req.uri().path()).into_response();
    };
    if !VERSIONS.contains(&version.as_str()) {
        return ApiError::segment(&version).into_response();
    }
    if path.trim_end_matches('/') == "$batch"
        || writes::handles(&path)
        || (req.method() == Method::POST && path == "contacts")
    {
        return batch::dispatch(standin, user, version, path, req).await;
    }
    if req.method() != Method::GET {
        // Writes (activities, notes, $batch) are not part of the stand-in yet.
        return ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            error::CODE_QUERY,
            format!(
                "The stand-in does not support {} requests to '{path}'.",
                req.method()
            ),
        )
        .into_response();
    }
    let raw_query = req.uri().query().unwrap_or("").to_string();
    let ctx = Ctx {
        base: base_of(&standin, req.headers()),
        prefer: Prefer::parse(
            req.headers()
                .get_all("Prefer")
                .iter()
                .filter_map(|v| v.to_str().ok()),
        ),
        pairs: form_urlencoded::parse(raw_query.as_bytes())
            .into_owned()
            .collect(),
        raw_query,
        standin,
        user,
        version,
        path,
    };
    match route(&ctx) {
        Ok(response) => response,
        Err(e) => e.into_response(),
    }
}

/// Picks the handler for the OData path.
fn route(ctx: &Ctx) -> Result<Response, ApiError> {
    let path = ctx.path.trim_end_matches('/');
    let (head, tail) = path.split_once('/').unwrap_or((path, ""));
    let (name, key) = match head.find('(') {
        Some(open) if head.ends_with(')') => (&head[..open], Some(&head[open + 1..head.len() - 1])),
        Some(_) => {
            return Err(ApiError::query(format!(
                "Bad Request - Error in query syntax: '{head}'."
            )));
        }
        None => (head, None),
    };
    match (name, key, tail) {
        ("WhoAmI", None | Some(""), "") => Ok(functions::who_am_i(ctx)),
        ("RetrieveVersion", None | Some(""), "") => Ok(functions::retrieve_version(ctx)),
        ("RetrieveCurrentOrganization", Some(args), "") => {
            functions::retrieve_current_organization(ctx, args)
        }
        (
            "systemusers",
            Some(id),
            "Microsoft.Dynamics.CRM.RetrieveUserPrivileges"
            | "Microsoft.Dynamics.CRM.RetrieveUserPrivileges()",
        ) => functions::retrieve_user_privileges(ctx, id),
        ("EntityDefinitions", key, tail) => metadata::entity_definitions(ctx, key, tail),
        (set, key, "") => match Table::from_entity_set(set) {
            Some(table) => match key {
                None => collections::collection(ctx, table),
                Some(id) => collections::single(ctx, table, id),
            },
            None => Err(ApiError::segment(set)),
        },
        (_, _, tail) => Err(ApiError::segment(tail.split('/').next().unwrap_or(tail))),
    }
}

/// The Web API routes, behind the gate.
pub fn router(standin: StandIn) -> Router<StandIn> {
    Router::new()
        .route("/api/data/{*rest}", any(dispatch))
        .layer(middleware::from_fn_with_state(standin, gate))
}

/// A JSON response with the OData content type.
pub fn odata_json(
    status: StatusCode,
    body: &serde_json::Value,
    extra: &[(&'static str, String)],
) -> Response {
    let mut response = (
        status,
        [(
            header::CONTENT_TYPE,
            "application/json; odata.metadata=minimal",
        )],
        body.to_string(),
    )
        .into_response();
    for (name, value) in extra {
        if let Ok(v) = HeaderValue::from_str(value) {
            response.headers_mut().insert(*name, v);
        }
    }
    response
}
