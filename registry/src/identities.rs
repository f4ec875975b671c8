//! The creating endpoints of Registry API v1. Each: key → strict body →
//! replay check → method-specific work → one transaction storing the identity
//! and the key.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use id_capture::person::Person;
use id_capture::registry::payloads::{is_bounded_text, MAX_REFERENCE_CHARS};
use id_capture::registry::{DocumentRequest, HmsCardRequest, IdempotencyKey, ProblemKind, StoredIdentity, VippsRequest};
use serde::Serialize;

use crate::app::AppState;
use crate::hms_directory::LookupError;
use crate::idempotency::{fingerprint, key_from_headers, replay, store_problem, CallerScope};
use crate::problem_response::ApiProblem;
use crate::store::{Method, NewIdentity, StoreError};
use crate::strict_json::parse_strict;

pub const DOCUMENT_ENDPOINT: &str = "/v1/identities/document";
pub const HMS_CARD_ENDPOINT: &str = "/v1/identities/hms-card";
pub const VIPPS_ENDPOINT: &str = "/v1/identities/vipps";

pub type Created = (StatusCode, Json<StoredIdentity>);

/// A request that has passed the key, body and replay checks.
pub struct FreshRequest<T> {
    pub scope: CallerScope,
    pub key: IdempotencyKey,
    pub request: T,
    pub request_sha256: String,
}

/// `Ok(Err(created))` when the key was seen with this body before: answer as then.
pub fn admit<T: serde::de::DeserializeOwned + Serialize>(
    state: &AppState,
    scope: CallerScope,
    endpoint: &str,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Result<FreshRequest<T>, Created>, ApiProblem> {
    let key = key_from_headers(headers)?;
    let request: T = parse_strict(headers, body)?;
    let request_sha256 = fingerprint(endpoint, &request);
    if let Some(earlier) = replay(&state.store, &scope, &key, endpoint, &request_sha256, state.now_unix_seconds())? {
        return Ok(Err(created(earlier)));
    }
    Ok(Ok(FreshRequest { scope, key, request, request_sha256 }))
}

/// Stores a new identity; a concurrent twin with the same key wins and is replayed.
pub fn store_identity<T>(state: &AppState, endpoint: &str, fresh: &FreshRequest<T>, person: &Person, method: Method) -> Result<Created, ApiProblem> {
    let new = NewIdentity {
        identity_id: state.new_identity_id(),
        person,
        method,
        caller_scope: fresh.scope.as_str(),
        idempotency_key: fresh.key.as_str(),
        endpoint,
        request_sha256: &fresh.request_sha256,
        created_at: state.now_unix_seconds(),
    };
    match state.store.insert(&new) {
        Ok(identity) => Ok(created(identity)),
        Err(StoreError::KeyTaken) => replay(&state.store, &fresh.scope, &fresh.key, endpoint, &fresh.request_sha256, state.now_unix_seconds())?
            .map(created)
            .ok_or_else(|| ApiProblem::new(ProblemKind::IdempotencyConflict)),
        Err(error) => Err(store_problem(error)),
    }
}

pub fn valid_person(person: &Person, state: &AppState) -> Result<Person, ApiProblem> {
    person.normalized(state.today()).map_err(|error| ApiProblem::with_detail(ProblemKind::InvalidPerson, error.to_string()))
}

fn created(identity: StoredIdentity) -> Created {
    (StatusCode::CREATED, Json(identity))
}

pub async fn create_from_document(State(state): State<AppState>, scope: CallerScope, headers: HeaderMap, body: Bytes) -> Result<Created, ApiProblem> {
    let fresh: FreshRequest<DocumentRequest> = match admit(&state, scope, DOCUMENT_ENDPOINT, &headers, &body)? {
        Ok(fresh) => fresh,
        Err(earlier) => return Ok(earlier),
    };
    let person = valid_person(&fresh.request.person, &state)?;
    let method = Method::Document { source: fresh.request.source, corrected_by_user: fresh.request.corrected_by_user };
    store_identity(&state, DOCUMENT_ENDPOINT, &fresh, &person, method)
}

pub async fn create_from_hms_card(State(state): State<AppState>, scope: CallerScope, headers: HeaderMap, body: Bytes) -> Result<Created, ApiProblem> {
    let fresh: FreshRequest<HmsCardRequest> = match admit(&state, scope, HMS_CARD_ENDPOINT, &headers, &body)? {
        Ok(fresh) => fresh,
        Err(earlier) => return Ok(earlier),
    };
    let reference = fresh.request.hms_card_reference.as_str();
    if !is_bounded_text(reference, MAX_REFERENCE_CHARS) {
        return Err(ApiProblem::with_detail(ProblemKind::InvalidRequest, "hms_card_reference is empty, too long or has control characters"));
    }
    let holder = state.hms_directory.look_up(reference, state.today()).await.map_err(|error| match error {
        LookupError::Unknown => ApiProblem::new(ProblemKind::UnknownHmsCard),
        LookupError::NotValid => ApiProblem::new(ProblemKind::HmsCardNotValid),
        LookupError::Unavailable => ApiProblem::new(ProblemKind::Unavailable).retry_after(5),
    })?;
    let person = valid_person(&holder.person, &state)?;
    let method = Method::HmsCard { hms_card_reference: reference.to_owned(), employer: holder.employer };
    store_identity(&state, HMS_CARD_ENDPOINT, &fresh, &person, method)
}

pub async fn create_from_vipps(State(state): State<AppState>, scope: CallerScope, headers: HeaderMap, body: Bytes) -> Result<Created, ApiProblem> {
    let vipps = state.vipps.clone().ok_or(ApiProblem::new(ProblemKind::VippsNotConfigured))?;
    let fresh: FreshRequest<VippsRequest> = match admit(&state, scope, VIPPS_ENDPOINT, &headers, &body)? {
        Ok(fresh) => fresh,
        // A code can be exchanged once: a retried request gets the first answer, with no second exchange.
        Err(earlier) => return Ok(earlier),
    };
    let person = vipps.exchange(&fresh.request, state.now_unix_seconds()).await.map_err(|error| {
        // A fixed text: never a code, token or what the provider said.
        eprintln!("vipps exchange failed: {error}");
        ApiProblem::from(error)
    })?;
    let person = valid_person(&person, &state)?;
    store_identity(&state, VIPPS_ENDPOINT, &fresh, &person, Method::Vipps)
}
