//! Storing identities: the document endpoint of Registry API v2, and the
//! steps every creating request shares: key → strict body → replay check →
//! one transaction storing the identity, the key and (in an onboarding
//! session) the session's outcome.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{Extensions, HeaderMap, StatusCode};
use axum::Json;
use id_capture_contract::person::Person;
use id_capture_contract::{DocumentRequest, IdempotencyKey, ProblemKind, StoredIdentity};
use serde::Serialize;

use crate::state::AppState;
use crate::caller::identify;
use crate::idempotency::{fingerprint, key_from_headers, replay, store_problem, CallerScope};
use crate::problem_response::ApiProblem;
use crate::store::{Method, NewIdentity, StoreError};
use crate::strict_json::parse_strict;

pub const DOCUMENT_ENDPOINT: &str = id_capture_contract::endpoints::DOCUMENT_IDENTITIES;

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
pub fn store_identity<T>(state: &AppState, endpoint: &str, fresh: &FreshRequest<T>, person: &Person, method: Method, session_id: Option<&str>) -> Result<Created, ApiProblem> {
    let new = NewIdentity {
        identity_id: state.new_identity_id(),
        person,
        method,
        caller_scope: fresh.scope.as_str(),
        idempotency_key: fresh.key.as_str(),
        endpoint,
        request_sha256: &fresh.request_sha256,
        created_at: state.now_unix_seconds(),
        session_id,
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

/// The worker confirmed these fields on the phone (read from the MRZ or typed
/// beside the photo); in an onboarding session this completes the session.
pub async fn create_from_document(State(state): State<AppState>, extensions: Extensions, headers: HeaderMap, body: Bytes) -> Result<Created, ApiProblem> {
    let context = identify(&state, &headers, &extensions)?;
    context.limit(&state.rate_limits)?;
    let fresh: FreshRequest<DocumentRequest> = match admit(&state, context.idempotency_scope(), DOCUMENT_ENDPOINT, &headers, &body)? {
        Ok(fresh) => fresh,
        Err(earlier) => return Ok(earlier),
    };
    context.require_open_session(state.now_unix_seconds())?;
    let person = valid_person(&fresh.request.person, &state)?;
    let method = Method::Document { source: fresh.request.source, corrected_by_user: fresh.request.corrected_by_user };
    store_identity(&state, DOCUMENT_ENDPOINT, &fresh, &person, method, context.session_id())
}
