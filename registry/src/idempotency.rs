//! Exactly-once creation: every creating request carries an `Idempotency-Key`
//! (a UUID). The same key with the same body returns the first result and
//! stores nothing new; the same key with another body (or on another
//! endpoint) is a 422. Bodies are compared by a SHA-256 of their parsed,
//! re-serialised form, so formatting differences do not matter and no second
//! copy of personal data is kept.
//!
//! Keys belong to a caller (`CallerScope`): the same key from another caller
//! is a different key and never replays the first caller's answer. Keys answer
//! for 24 hours (`store::IDEMPOTENCY_KEY_LIFETIME_SECONDS`), then are forgotten.

use std::net::IpAddr;

use axum::http::HeaderMap;
use id_capture_contract::{IdempotencyKey, ProblemKind, StoredIdentity};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::problem_response::ApiProblem;
use crate::store::{Store, StoreError};

pub const HEADER: &str = "idempotency-key";

/// Whose idempotency keys these are, as stored in `caller_scope`: `ip:<address>`
/// for an anonymous client, `session:<id>` for an onboarding session,
/// `partner:<id>` for a partner calling with its key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CallerScope(String);

impl CallerScope {
    pub fn client_ip(ip: IpAddr) -> CallerScope {
        // One client, one scope, whichever way its IPv4 address is written.
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(IpAddr::V6(v6)),
            v4 => v4,
        };
        CallerScope(format!("ip:{ip}"))
    }

    pub fn session(session_id: &str) -> CallerScope {
        CallerScope(format!("session:{session_id}"))
    }

    pub fn partner(partner_id: &str) -> CallerScope {
        CallerScope(format!("partner:{partner_id}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub fn key_from_headers(headers: &HeaderMap) -> Result<IdempotencyKey, ApiProblem> {
    headers
        .get(HEADER)
        .and_then(|value| value.to_str().ok())
        .and_then(IdempotencyKey::parse)
        .ok_or_else(|| ApiProblem::new(ProblemKind::MissingIdempotencyKey))
}

pub fn fingerprint(endpoint: &str, request: &impl Serialize) -> String {
    let canonical = serde_json::to_vec(request).unwrap_or_default();
    let digest = Sha256::new().chain_update(endpoint.as_bytes()).chain_update([0]).chain_update(&canonical).finalize();
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The earlier answer for this caller's key, a conflict, or `None` when the
/// key is new to this caller (or expired). `now` is Unix seconds.
pub fn replay(
    store: &Store,
    scope: &CallerScope,
    key: &IdempotencyKey,
    endpoint: &str,
    request_sha256: &str,
    now: i64,
) -> Result<Option<StoredIdentity>, ApiProblem> {
    match store.earlier_request(scope.as_str(), key.as_str(), now).map_err(store_problem)? {
        None => Ok(None),
        Some(earlier) if earlier.endpoint == endpoint && earlier.request_sha256 == request_sha256 => Ok(Some(earlier.identity)),
        Some(_) => Err(ApiProblem::new(ProblemKind::IdempotencyConflict)),
    }
}

/// Store failures as problems: a busy database is worth retrying.
pub fn store_problem(error: StoreError) -> ApiProblem {
    match error {
        StoreError::Busy => ApiProblem::new(ProblemKind::Unavailable).retry_after(1),
        StoreError::KeyTaken => ApiProblem::new(ProblemKind::IdempotencyConflict),
        StoreError::SessionClosed => ApiProblem::new(ProblemKind::SessionClosed),
        StoreError::Database(_) => {
            eprintln!("store error: {error}");
            ApiProblem::new(ProblemKind::Internal)
        }
    }
}
