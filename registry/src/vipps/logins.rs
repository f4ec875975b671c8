//! Vipps Login held by the registry (the backend-for-frontend of RFC 9700):
//! the registry makes and keeps `state`, `nonce` and the PKCE verifier; the
//! browser only carries the authorization URL out and the callback's
//! parameters back, from whichever tab or browser Vipps returns to.
//!
//! A login's life (`vipps_logins.status`):
//! `waiting` → (callback takes it, atomically, before any network call)
//! `exchanging` → `staged` (the person is shown) → `completed` (confirmed),
//! or `cancelled` / `failed`. Once a login leaves `waiting`, its nonce and
//! verifier are gone, and its state answers only the Idempotency-Key that
//! took it (a lost answer can be fetched again; the code is never sent twice).
//! See `docs/vipps-login.md`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use base64::Engine as _;
use id_capture_contract::payloads::{is_bounded_text, MAX_OIDC_VALUE_CHARS};
use id_capture_contract::{
    IdempotencyKey, ProblemKind, StagedIdentity, VippsCallbackRequest, VippsLoginRequest, VippsLoginStarted, VippsLoginState, VippsLoginStatus,
};
use rusqlite::{params, OptionalExtension, Transaction};
use sha2::{Digest, Sha256};

use super::exchange::AuthorizationRequest;
use crate::state::AppState;
use crate::idempotency::{fingerprint, key_from_headers, store_problem};
use crate::problem_response::ApiProblem;
use crate::stages::{stage_with_id, staged_identity, StagedMethod};
use crate::tokens::{random_base64url, rfc3339};
use crate::strict_json::parse_strict;

pub const LOGINS_ENDPOINT: &str = id_capture_contract::endpoints::VIPPS_LOGINS;
pub const LOGIN_STATUS_ENDPOINT: &str = id_capture_contract::endpoints::VIPPS_LOGIN_STATUS;
pub const CALLBACKS_ENDPOINT: &str = id_capture_contract::endpoints::VIPPS_CALLBACKS;
/// Ended logins are forgotten after a day (their answers are replayable until then).
const ENDED_LOGIN_RETENTION_SECONDS: i64 = 24 * 60 * 60;
/// After this long past the login's expiry an unfinished exchange is abandoned.
const ABANDONED_EXCHANGE_SECONDS: i64 = 2 * 60;
/// Longest `error` value passed on from the callback.
const MAX_ERROR_CHARS: usize = 256;
/// Longest login id looked up (ours are 22 characters).
const MAX_LOGIN_ID_CHARS: usize = 64;

fn sha256_hex(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hasher.finalize().iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The stage handle a callback answers: derived from the callback's `state`
/// and Idempotency-Key (which only the caller holds) and a per-login salt, so
/// the same callback sent again gets the same stage while the database keeps
/// neither the handle nor what derives it.
fn derived_stage_id(state: &str, key: &IdempotencyKey, salt: &str) -> String {
    let digest = Sha256::new()
        .chain_update(b"id-capture vipps stage\0")
        .chain_update(state.as_bytes())
        .chain_update([0])
        .chain_update(key.as_str().as_bytes())
        .chain_update([0])
        .chain_update(salt.as_bytes())
        .finalize();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
}

/// `POST /v2/vipps/logins`, body `{}`.
pub async fn start(
    State(state): State<AppState>,
    extensions: axum::http::Extensions,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<VippsLoginStarted>), ApiProblem> {
    let context = crate::caller::identify(&state, &headers, &extensions)?;
    context.limit(&state.rate_limits)?;
    context.require_open_session(state.now_unix_seconds())?;
    let _: VippsLoginRequest = parse_strict(&headers, &body)?;
    // The login belongs to the onboarding session, whichever tab or browser finishes it.
    start_login(&state, context.session_id().map(str::to_owned)).await.map(|started| (StatusCode::CREATED, Json(started)))
}

/// Starts a login (bound to `session_id` when there is one) and returns where to send the browser.
pub async fn start_login(state: &AppState, session_id: Option<String>) -> Result<VippsLoginStarted, ApiProblem> {
    let vipps = state.vipps.clone().ok_or(ApiProblem::new(ProblemKind::VippsNotConfigured))?;
    let metadata = vipps.metadata().await.map_err(|_| ApiProblem::with_detail(ProblemKind::Unavailable, "Vipps cannot be reached").retry_after(5))?;
    let login_id = random_base64url::<16>();
    let login_state = random_base64url::<32>();
    let nonce = random_base64url::<32>();
    let code_verifier = random_base64url::<32>();
    let code_challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(code_verifier.as_bytes()));
    let authorization_url =
        vipps.authorization_url(&metadata, &AuthorizationRequest { state: &login_state, nonce: &nonce, code_challenge: &code_challenge });
    let now = state.now_unix_seconds();
    let expires_at = now + state.vipps_login_lifetime_seconds;
    state
        .store
        .with_connection(|connection| {
            forget_old_logins(connection, now)?;
            connection.execute(
                "INSERT INTO vipps_logins (login_id, state_sha256, nonce, code_verifier, session_id, status, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'waiting', ?6, ?7)",
                params![login_id, sha256_hex(&[&login_state]), nonce, code_verifier, session_id, now, expires_at],
            )?;
            Ok(())
        })
        .map_err(store_problem)?;
    Ok(VippsLoginStarted { login_id, authorization_url, expires_at: rfc3339(expires_at) })
}

/// Expired logins lose their secrets; ended logins older than a day go.
fn forget_old_logins(connection: &rusqlite::Connection, now: i64) -> Result<(), rusqlite::Error> {
    connection.execute("UPDATE vipps_logins SET nonce = NULL, code_verifier = NULL WHERE expires_at <= ?1 AND nonce IS NOT NULL", params![now])?;
    connection.execute("DELETE FROM vipps_logins WHERE created_at <= ?1", params![now - ENDED_LOGIN_RETENTION_SECONDS])?;
    Ok(())
}

/// `GET /v2/vipps/logins/{login_id}`: the status only, never the person.
pub async fn status(State(state): State<AppState>, Path(login_id): Path<String>) -> Result<Json<VippsLoginStatus>, ApiProblem> {
    if login_id.is_empty() || login_id.len() > MAX_LOGIN_ID_CHARS {
        return Err(ApiProblem::new(ProblemKind::VippsLoginNotFound));
    }
    let now = state.now_unix_seconds();
    let row = state
        .store
        .with_connection(|connection| {
            Ok(connection
                .query_row("SELECT status, expires_at FROM vipps_logins WHERE login_id = ?1", params![login_id], |row| {
                    Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
                })
                .optional()?)
        })
        .map_err(store_problem)?;
    let (status, expires_at) = row.ok_or(ApiProblem::new(ProblemKind::VippsLoginNotFound))?;
    let status = match status.as_str() {
        "completed" => VippsLoginState::Completed,
        "cancelled" => VippsLoginState::Cancelled,
        "failed" => VippsLoginState::Failed,
        // Waiting for the callback, the exchange, or the worker's confirmation, until the login (or its stage) expires.
        _ if expires_at <= now => VippsLoginState::Expired,
        _ => VippsLoginState::Waiting,
    };
    Ok(Json(VippsLoginStatus { status }))
}

/// A callback's claim on its login.
enum Claim {
    /// This request took the login: exchange with these.
    Taken { login_id: String, nonce: String, code_verifier: String, salt: String, session_id: Option<String> },
    /// Another request holds the login right now.
    InProgress,
    /// This key took the login before: answer as then.
    Replay { salt: String, failure: Option<String> },
    /// This key took the login before, with another body.
    Conflict,
    /// Started, but not finished within its lifetime (the secrets are gone).
    Expired,
    NotFound,
}

/// Finds the login by its state's hash and takes it in one transaction,
/// before any network call: two callbacks with one state cannot both exchange.
fn claim(transaction: &Transaction<'_>, state_sha256: &str, key: &IdempotencyKey, request_sha256: &str, now: i64) -> Result<Claim, rusqlite::Error> {
    type Row = (String, String, i64, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>);
    let row: Option<Row> = transaction
        .query_row(
            "SELECT login_id, status, expires_at, nonce, code_verifier, session_id, callback_key, callback_request_sha256, stage_salt, failure
             FROM vipps_logins WHERE state_sha256 = ?1",
            params![state_sha256],
            |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?, row.get(6)?, row.get(7)?, row.get(8)?, row.get(9)?))
            },
        )
        .optional()?;
    let Some((login_id, status, expires_at, nonce, code_verifier, session_id, callback_key, callback_request_sha256, salt, failure)) = row else {
        return Ok(Claim::NotFound);
    };
    match status.as_str() {
        "waiting" => {
            // Secrets already wiped by the clean-up mean the login expired too.
            let (Some(nonce), Some(code_verifier)) = (nonce, code_verifier) else { return Ok(Claim::Expired) };
            if expires_at <= now {
                transaction.execute("UPDATE vipps_logins SET nonce = NULL, code_verifier = NULL WHERE login_id = ?1", params![login_id])?;
                return Ok(Claim::Expired);
            }
            let salt = random_base64url::<16>();
            transaction.execute(
                "UPDATE vipps_logins SET status = 'exchanging', callback_key = ?2, callback_request_sha256 = ?3, stage_salt = ?4 WHERE login_id = ?1",
                params![login_id, key.as_str(), request_sha256, salt],
            )?;
            Ok(Claim::Taken { login_id, nonce, code_verifier, salt, session_id })
        }
        // An exchange takes seconds; one still "in progress" long after the login's
        // end was cut short (a restart) and will never answer.
        "exchanging" if expires_at + ABANDONED_EXCHANGE_SECONDS <= now => Ok(Claim::NotFound),
        "exchanging" => Ok(Claim::InProgress),
        _ if callback_key.as_deref() == Some(key.as_str()) => match (callback_request_sha256.as_deref() == Some(request_sha256), salt) {
            (true, Some(salt)) => Ok(Claim::Replay { salt, failure }),
            _ => Ok(Claim::Conflict),
        },
        _ => Ok(Claim::NotFound),
    }
}

/// `POST /v2/vipps/callbacks` with `Idempotency-Key`, body `{state, code?, iss?, error?}`.
pub async fn callback(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Result<Json<StagedIdentity>, ApiProblem> {
    let vipps = state.vipps.clone().ok_or(ApiProblem::new(ProblemKind::VippsNotConfigured))?;
    let key = key_from_headers(&headers)?;
    let request: VippsCallbackRequest = parse_strict(&headers, &body)?;
    let bounded = |value: &Option<String>, max_chars| value.as_deref().is_none_or(|value| is_bounded_text(value, max_chars));
    if !is_bounded_text(&request.state, MAX_OIDC_VALUE_CHARS)
        || !bounded(&request.code, MAX_OIDC_VALUE_CHARS)
        || !bounded(&request.iss, MAX_OIDC_VALUE_CHARS)
        || !bounded(&request.error, MAX_ERROR_CHARS)
    {
        return Err(ApiProblem::with_detail(ProblemKind::InvalidRequest, "state, code, iss and error must be non-empty, bounded and without control characters"));
    }
    let state_sha256 = sha256_hex(&[&request.state]);
    let request_sha256 = fingerprint(CALLBACKS_ENDPOINT, &request);
    let now = state.now_unix_seconds();
    let claimed = state
        .store
        .with_connection(|connection| {
            let transaction = connection.transaction()?;
            let claimed = claim(&transaction, &state_sha256, &key, &request_sha256, now)?;
            transaction.commit()?;
            Ok(claimed)
        })
        .map_err(store_problem)?;

    let (login_id, nonce, code_verifier, salt, session_id) = match claimed {
        Claim::Taken { login_id, nonce, code_verifier, salt, session_id } => (login_id, nonce, code_verifier, salt, session_id),
        Claim::NotFound => return Err(ApiProblem::new(ProblemKind::VippsLoginNotFound)),
        Claim::Expired => return Err(ApiProblem::new(ProblemKind::VippsLoginExpired)),
        // Send the same request again shortly: it then gets this exchange's answer.
        Claim::InProgress => return Err(ApiProblem::new(ProblemKind::VippsLoginInProgress).retry_after(1)),
        Claim::Conflict => return Err(ApiProblem::new(ProblemKind::IdempotencyConflict)),
        Claim::Replay { failure: Some(slug), .. } => {
            return Err(ApiProblem::new(ProblemKind::from_type_uri(&slug).unwrap_or(ProblemKind::VippsExchangeFailed)));
        }
        Claim::Replay { salt, failure: None } => {
            // The same stage while it waits for confirmation; after that the login is over.
            let stage_id = derived_stage_id(&request.state, &key, &salt);
            return staged_identity(&state, &stage_id)?.map(Json).ok_or(ApiProblem::new(ProblemKind::VippsLoginNotFound));
        }
    };

    // The login is taken: from here every way out records how it ended.
    let outcome = finish(&state, &vipps, &request, &login_id, &nonce, &code_verifier, session_id, derived_stage_id(&request.state, &key, &salt)).await;
    let (status, failure, expires_at) = match &outcome {
        Ok(_) => ("staged", None, state.now_unix_seconds() + crate::stages::STAGE_LIFETIME_SECONDS),
        Err(problem) if problem.kind == ProblemKind::VippsCancelled => ("cancelled", Some(problem.kind.slug()), now),
        Err(problem) => ("failed", Some(problem.kind.slug()), now),
    };
    state
        .store
        .with_connection(|connection| {
            connection.execute(
                "UPDATE vipps_logins SET status = ?2, failure = ?3, expires_at = ?4, nonce = NULL, code_verifier = NULL WHERE login_id = ?1",
                params![login_id, status, failure, expires_at],
            )?;
            Ok(())
        })
        .map_err(store_problem)?;
    if let Err(problem) = &outcome {
        // A fixed text: never a code, token or what the provider said.
        eprintln!("vipps login ended: {}", problem.kind.slug());
    }
    outcome.map(Json)
}

/// Checks the callback, exchanges the code and stages the person.
#[allow(clippy::too_many_arguments)]
async fn finish(
    state: &AppState,
    vipps: &super::VippsExchange,
    request: &VippsCallbackRequest,
    login_id: &str,
    nonce: &str,
    code_verifier: &str,
    session_id: Option<String>,
    stage_id: String,
) -> Result<StagedIdentity, ApiProblem> {
    // RFC 9207: an `iss` naming another provider is a mix-up, whatever else the callback says.
    if request.iss.as_deref().is_some_and(|iss| iss != vipps.settings().issuer) {
        return Err(ApiProblem::new(ProblemKind::VippsIssuerMismatch));
    }
    match request.error.as_deref() {
        Some("access_denied") => return Err(ApiProblem::new(ProblemKind::VippsCancelled)),
        Some(_) => return Err(ApiProblem::new(ProblemKind::VippsProviderError)),
        None => {}
    }
    let code = request.code.as_deref().ok_or(ApiProblem::with_detail(ProblemKind::InvalidRequest, "the callback has neither code nor error"))?;
    let metadata = vipps.metadata().await.map_err(super::VippsExchangeError::from)?;
    if request.iss.is_none() && metadata.additional_metadata().authorization_response_iss_parameter_supported {
        return Err(ApiProblem::with_detail(ProblemKind::VippsIssuerMismatch, "the provider sends iss on every callback; this one has none"));
    }
    let person = vipps.exchange(code, code_verifier, nonce, state.now_unix_seconds()).await?;
    stage_with_id(state, stage_id, &person, StagedMethod::Vipps { login_id: login_id.to_owned() }, session_id)
}

/// Called from the confirm transaction: the login whose stage was confirmed is completed.
pub fn mark_completed(transaction: &Transaction<'_>, login_id: &str) -> Result<(), rusqlite::Error> {
    transaction.execute("UPDATE vipps_logins SET status = 'completed' WHERE login_id = ?1 AND status = 'staged'", params![login_id])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_derived_stage_depends_on_state_key_and_salt() {
        let key = IdempotencyKey::parse("6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b").unwrap();
        let other_key = IdempotencyKey::parse("0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d").unwrap();
        let stage = derived_stage_id("state", &key, "salt");
        assert_eq!(stage.len(), 43);
        assert_eq!(stage, derived_stage_id("state", &key, "salt"));
        assert_ne!(stage, derived_stage_id("state", &other_key, "salt"));
        assert_ne!(stage, derived_stage_id("state", &key, "pepper"));
        assert_ne!(stage, derived_stage_id("other", &key, "salt"));
    }
}
