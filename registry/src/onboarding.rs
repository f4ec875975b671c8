//! The onboarding endpoints: a partner creates a session and reads its
//! outcome; the worker's page checks the session it was given.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{Extensions, HeaderMap, StatusCode};
use axum::Json;
use id_capture_contract::ProblemKind;
use serde::{Deserialize, Serialize};

use crate::state::AppState;
use crate::caller::{identify, Caller};
use crate::idempotency::store_problem;
use crate::problem_response::ApiProblem;
use crate::sessions::{SessionIdentity, SessionStatus};
use crate::strict_json::parse_strict;
use crate::tokens::rfc3339;

pub const SESSIONS_ENDPOINT: &str = id_capture_contract::endpoints::SESSIONS;
pub const SESSION_ENDPOINT: &str = id_capture_contract::endpoints::SESSION;
pub const OWN_SESSION_ENDPOINT: &str = id_capture_contract::endpoints::OWN_SESSION;

/// Longest partner reference, in characters.
pub const MAX_PARTNER_REFERENCE_CHARS: usize = 100;

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CreateSessionRequest {
    #[serde(default)]
    pub partner_reference: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct CreatedSession {
    pub session_id: String,
    pub session_token: String,
    pub link: String,
    pub expires_at: String,
}

#[derive(Debug, Serialize)]
pub struct SessionOutcome {
    pub session_id: String,
    pub partner_reference: Option<String>,
    pub status: SessionStatus,
    pub expires_at: String,
    pub attempts_left: u32,
    pub identity: Option<SessionIdentity>,
}

#[derive(Debug, Serialize)]
pub struct OwnSession {
    pub status: SessionStatus,
    pub expires_at: String,
    pub attempts_left: u32,
}

fn partner_only(caller: &Caller) -> Result<&crate::partners::Partner, ApiProblem> {
    match caller {
        Caller::Partner(partner) => Ok(partner),
        _ => Err(ApiProblem::new(ProblemKind::Unauthorized)),
    }
}

pub async fn create_session(State(state): State<AppState>, extensions: Extensions, headers: HeaderMap, body: Bytes) -> Result<(StatusCode, Json<CreatedSession>), ApiProblem> {
    let context = identify(&state, &headers, &extensions)?;
    let partner = partner_only(&context.caller)?;
    context.limit(&state.rate_limits)?;
    let request: CreateSessionRequest = parse_strict(&headers, &body)?;
    if let Some(reference) = &request.partner_reference {
        if !id_capture_contract::payloads::is_bounded_text(reference, MAX_PARTNER_REFERENCE_CHARS) {
            return Err(ApiProblem::with_detail(ProblemKind::InvalidRequest, "partner_reference is empty, too long or has control characters"));
        }
    }
    let created = state.store.create_session(&partner.partner_id, request.partner_reference.as_deref(), state.now_unix_seconds()).map_err(store_problem)?;
    // The token rides in the fragment: browsers never send it to a server or in a Referer.
    let link = format!("{}#session={}", state.public_page_url, created.token);
    Ok((
        StatusCode::CREATED,
        Json(CreatedSession { session_id: created.session.session_id, session_token: created.token, link, expires_at: rfc3339(created.session.expires_at) }),
    ))
}

pub async fn read_session(State(state): State<AppState>, extensions: Extensions, headers: HeaderMap, Path(session_id): Path<String>) -> Result<Json<SessionOutcome>, ApiProblem> {
    let context = identify(&state, &headers, &extensions)?;
    let partner = partner_only(&context.caller)?;
    let session = state.store.session_by_id(&session_id).map_err(store_problem)?;
    // Another partner's session is as unknown as a made-up one.
    let session = session.filter(|session| session.partner_id == partner.partner_id).ok_or_else(|| ApiProblem::new(ProblemKind::NotFound))?;
    let identity = match &session.identity_id {
        Some(identity_id) => state.store.session_identity(identity_id).map_err(store_problem)?,
        None => None,
    };
    let now = state.now_unix_seconds();
    Ok(Json(SessionOutcome {
        status: session.status(now),
        attempts_left: session.attempts_left(),
        expires_at: rfc3339(session.expires_at),
        partner_reference: session.partner_reference,
        session_id: session.session_id,
        identity,
    }))
}

pub async fn read_own_session(State(state): State<AppState>, extensions: Extensions, headers: HeaderMap) -> Result<Json<OwnSession>, ApiProblem> {
    let context = identify(&state, &headers, &extensions)?;
    let session = context.session().ok_or_else(|| ApiProblem::new(ProblemKind::SessionInvalid))?;
    Ok(Json(OwnSession { status: session.status(state.now_unix_seconds()), expires_at: rfc3339(session.expires_at), attempts_left: session.attempts_left() }))
}
