//! Who is asking: sessions, the extractors every protected route uses, and the
//! sign-in check.
//!
//! Every route checks on the server: [`CurrentUser`] for any signed-in person,
//! [`RequireAdmin`] and [`RequireTeamMember`] for the licences.
//!
//! # Layout
//! - [`password`]: Argon2id hashing on the blocking pool.
//! - [`session`]: tokens and the cookie.
//! - [`throttle`]: limits on failed sign-ins.

pub mod password;
pub mod session;
pub mod throttle;

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use navsync_api::{Licence, OrganizationId, PersonId};

use crate::AppState;
use crate::error::AppError;
use crate::store::{PersonRecord, now_unix};

/// The signed-in person, from a valid, unexpired session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurrentUser {
    /// Their organization; every query of theirs is scoped to it.
    pub organization_id: OrganizationId,
    /// Their id.
    pub person_id: PersonId,
    /// What they may do (read fresh from the database on every request).
    pub licence: Licence,
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = session::token_from_headers(&parts.headers).ok_or(AppError::Unauthenticated)?;
        let found = state
            .store
            .find_session(&session::hash_token(&token), now_unix())
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let person = state
            .store
            .find_person(&found.organization_id, &found.person_id)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        Ok(CurrentUser {
            organization_id: person.organization_id,
            person_id: person.id,
            licence: person.licence,
        })
    }
}

/// A signed-in admin; 403 `forbidden` for anyone else signed in.
#[derive(Clone, Debug)]
pub struct RequireAdmin(pub CurrentUser);

impl FromRequestParts<AppState> for RequireAdmin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if user.licence.is_admin() {
            Ok(RequireAdmin(user))
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// A signed-in team member (seat holder); 403 `forbidden` for anyone else signed in.
#[derive(Clone, Debug)]
pub struct RequireTeamMember(pub CurrentUser);

impl FromRequestParts<AppState> for RequireTeamMember {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if user.licence.is_team_member() {
            Ok(RequireTeamMember(user))
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// The client's IP address when the server knows it (from `ConnectInfo`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip()),
        ))
    }
}

/// Checks an email and password, throttled. Every way of being wrong gives the
/// same [`AppError::InvalidCredentials`], and an unknown email costs as much
/// time as a known one.
pub async fn check_credentials(
    state: &AppState,
    email: &str,
    password: String,
    ip: Option<IpAddr>,
) -> Result<PersonRecord, AppError> {
    let email = navsync_api::validate::normalize_email(email);
    if let Err(wait) = state.throttle.check(&email, ip) {
        return Err(AppError::TooManyRequests {
            retry_after_secs: wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
        });
    }
    let person = state.store.find_person_by_email(&email).await?;
    let hash = person.as_ref().and_then(|p| p.password_hash.clone());
    // Always verify, even without a person, so timing does not tell.
    let correct = password::verify(password, hash).await?;
    match person {
        Some(person) if correct => {
            state.throttle.record_success(&email);
            Ok(person)
        }
        _ => {
            state.throttle.record_failure(&email, ip);
            tracing::info!("sign-in refused");
            Err(AppError::InvalidCredentials)
        }
    }
}

/// Starts a session for a person; returns the `Set-Cookie` value.
pub async fn start_session(
    state: &AppState,
    organization: &OrganizationId,
    person: &PersonId,
) -> Result<String, AppError> {
    let token = session::new_token();
    let ttl = state.config.session_ttl;
    let expires_at = now_unix().saturating_add(i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX));
    state
        .store
        .create_session(
            &session::hash_token(&token),
            organization,
            person,
            expires_at,
        )
        .await?;
    Ok(session::cookie(&token, ttl, state.config.secure_cookies))
}
