//! Staged identities: nothing is stored before the worker confirms it.
//!
//! An HMS card lookup or a Vipps exchange calls [`stage`]: the person (with
//! the method's facts) is kept for 10 minutes under a fresh stage handle, and
//! the page shows it. `POST /v2/stages/{stage_id}/confirm` consumes the stage
//! and stores the identity in the same transaction as its idempotency key.
//!
//! The handle is 32 random bytes (base64url), a single-use capability; the
//! database keeps only its SHA-256, so a copy of the database confirms nothing.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use id_capture_contract::person::Person;
use id_capture_contract::{ConfirmRequest, Employer, IdempotencyKey, ProblemKind, StagedIdentity, StoredIdentity};
use rusqlite::{params, OptionalExtension, Transaction};

use crate::state::AppState;
use crate::idempotency::{fingerprint, key_from_headers, store_problem, CallerScope};
use crate::identities::valid_person;
use crate::problem_response::ApiProblem;
use crate::store::{insert_identity, Method, NewIdentity, StoreError};
use crate::strict_json::parse_strict;
use crate::tokens::{random_base64url, rfc3339, token_hash};

/// How long a staged identity waits for its confirmation.
pub const STAGE_LIFETIME_SECONDS: i64 = 10 * 60;
/// The route; also the idempotency endpoint name (without the handle, which is secret).
pub const CONFIRM_ENDPOINT: &str = id_capture_contract::endpoints::STAGE_CONFIRM;
/// Longest stage handle looked up (ours are 43 characters).
const MAX_STAGE_ID_CHARS: usize = 128;

/// How the staged person was found, with the method's own facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StagedMethod {
    HmsCard { hms_card_reference: String, employer: Employer },
    /// `login_id` is the Vipps login whose status turns `completed` on confirm.
    Vipps { login_id: String },
}

/// What a confirm did, handed to [`on_stage_confirmed`] inside its transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmedStage {
    pub identity: StoredIdentity,
    /// False when the card was stored before: nothing new was stored (answer 200).
    pub newly_stored: bool,
    /// The onboarding session the stage was made in.
    pub session_id: Option<String>,
    pub vipps_login_id: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfirmError {
    #[error("no such stage, or it expired or was used")]
    StageNotFound,
    /// A hook refused the confirmation (e.g. a closed onboarding session); nothing is stored.
    #[error("the confirmation was refused")]
    Refused(ApiProblem),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for ConfirmError {
    fn from(error: rusqlite::Error) -> Self {
        ConfirmError::Store(StoreError::Database(error))
    }
}

/// Keeps `person` (validated and normalised here) for 10 minutes and returns
/// the staged identity to show. `session_id` is the onboarding session the
/// call was made in, if any.
pub fn stage(state: &AppState, person: &Person, method: StagedMethod, session_id: Option<String>) -> Result<StagedIdentity, ApiProblem> {
    stage_with_id(state, new_stage_id(), person, method, session_id)
}

/// [`stage`] under a handle the caller made: a Vipps callback derives its
/// own, so that the same callback sent again finds the same stage.
pub fn stage_with_id(
    state: &AppState,
    stage_id: String,
    person: &Person,
    method: StagedMethod,
    session_id: Option<String>,
) -> Result<StagedIdentity, ApiProblem> {
    let person = valid_person(person, state)?;
    let now = state.now_unix_seconds();
    let expires_at = now + STAGE_LIFETIME_SECONDS;
    let (method_name, reference, employer, login_id) = match &method {
        StagedMethod::HmsCard { hms_card_reference, employer } => ("hms_card", Some(hms_card_reference.as_str()), Some(employer), None),
        StagedMethod::Vipps { login_id } => ("vipps", None, None, Some(login_id.as_str())),
    };
    state
        .store
        .with_connection(|connection| {
            // Expired stages hold personal data for nothing: drop them as new ones come.
            connection.execute("DELETE FROM stages WHERE expires_at <= ?1", params![now])?;
            connection.execute(
                "INSERT INTO stages (stage_sha256, method, given_names, surname, date_of_birth, nationality, hms_card_reference,
                                     employer_name, employer_organisation_number, session_id, vipps_login_id, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                params![
                    token_hash(&stage_id),
                    method_name,
                    person.given_names,
                    person.surname,
                    person.date_of_birth,
                    person.nationality,
                    reference,
                    employer.map(|employer| employer.name.as_str()),
                    employer.map(|employer| employer.organisation_number.as_str()),
                    session_id,
                    login_id,
                    now,
                    expires_at,
                ],
            )?;
            Ok(())
        })
        .map_err(store_problem)?;
    Ok(StagedIdentity { stage_id, expires_at: rfc3339(expires_at), person, employer: employer.cloned() })
}

/// The staged identity behind `stage_id` while it waits for confirmation.
pub fn staged_identity(state: &AppState, stage_id: &str) -> Result<Option<StagedIdentity>, ApiProblem> {
    let now = state.now_unix_seconds();
    state
        .store
        .with_connection(|connection| {
            Ok(connection
                .query_row(
                    "SELECT given_names, surname, date_of_birth, nationality, employer_name, employer_organisation_number, expires_at
                     FROM stages WHERE stage_sha256 = ?1 AND expires_at > ?2",
                    params![token_hash(stage_id), now],
                    |row| {
                        let employer = crate::store::employer_columns(row, 4)?;
                        Ok(StagedIdentity {
                            stage_id: stage_id.to_owned(),
                            expires_at: rfc3339(row.get(6)?),
                            person: Person { given_names: row.get(0)?, surname: row.get(1)?, date_of_birth: row.get(2)?, nationality: row.get(3)? },
                            employer,
                        })
                    },
                )
                .optional()?)
        })
        .map_err(store_problem)
}

/// `POST /v2/stages/{stage_id}/confirm`, body `{}`, with `Idempotency-Key`.
pub async fn confirm(
    State(state): State<AppState>,
    Path(stage_id): Path<String>,
    extensions: axum::http::Extensions,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<StoredIdentity>), ApiProblem> {
    let context = crate::caller::identify(&state, &headers, &extensions)?;
    context.limit(&state.rate_limits)?;
    let scope = context.idempotency_scope();
    let key = key_from_headers(&headers)?;
    let _: ConfirmRequest = parse_strict(&headers, &body)?;
    if stage_id.is_empty() || stage_id.len() > MAX_STAGE_ID_CHARS {
        return Err(ApiProblem::new(ProblemKind::StageNotFound));
    }
    let stage_sha256 = token_hash(&stage_id);
    // The key belongs to this stage: the same key on another stage is a conflict.
    let request_sha256 = fingerprint(CONFIRM_ENDPOINT, &stage_sha256);
    if let Some(answer) = earlier_answer(&state, &scope, &key, &request_sha256)? {
        return Ok(answer);
    }
    let identity_id = state.new_identity_id();
    let now = state.now_unix_seconds();
    let outcome = state.store.with_connection(|connection| {
        let transaction = connection.transaction()?;
        let result = confirm_in(&transaction, &stage_sha256, &scope, &key, &request_sha256, &identity_id, now);
        match result {
            Ok(confirmed) => {
                transaction.commit()?;
                Ok(Ok(confirmed))
            }
            // Dropping the transaction rolls it back: the stage stays unused.
            Err(ConfirmError::Store(error)) => Err(error),
            Err(other) => Ok(Err(other)),
        }
    });
    match outcome {
        Ok(Ok(confirmed)) => Ok(answer(confirmed.newly_stored, confirmed.identity)),
        Ok(Err(ConfirmError::StageNotFound)) => Err(ApiProblem::new(ProblemKind::StageNotFound)),
        Ok(Err(ConfirmError::Refused(problem))) => Err(problem),
        Ok(Err(ConfirmError::Store(error)))
        | Err(error @ StoreError::Busy)
        | Err(error @ StoreError::Database(_))
        | Err(error @ StoreError::SessionClosed) => Err(store_problem(error)),
        // A concurrent confirm with the same key committed first: answer as it did.
        Err(StoreError::KeyTaken) => earlier_answer(&state, &scope, &key, &request_sha256)?.ok_or_else(|| ApiProblem::new(ProblemKind::IdempotencyConflict)),
    }
}

/// Called inside the confirm transaction, after the identity is stored (or
/// found stored) and before the commit. An error rolls everything back.
///
/// Hook for onboarding sessions: mark `confirmed.session_id` completed here
/// (and answer `ConfirmError::Refused(session-closed)` for a closed one).
pub fn on_stage_confirmed(transaction: &Transaction<'_>, confirmed: &ConfirmedStage, now: i64) -> Result<(), ConfirmError> {
    if let Some(session_id) = &confirmed.session_id {
        // One identity per session (a card stored before completes it too).
        if !crate::sessions::complete_in(transaction, session_id, &confirmed.identity.identity_id, now)? {
            return Err(ConfirmError::Refused(ApiProblem::new(ProblemKind::SessionClosed)));
        }
    }
    if let Some(login_id) = &confirmed.vipps_login_id {
        crate::vipps::logins::mark_completed(transaction, login_id)?;
    }
    Ok(())
}

fn confirm_in(
    transaction: &Transaction<'_>,
    stage_sha256: &str,
    scope: &CallerScope,
    key: &IdempotencyKey,
    request_sha256: &str,
    identity_id: &str,
    now: i64,
) -> Result<ConfirmedStage, ConfirmError> {
    let key_taken = transaction
        .query_row(
            "SELECT 1 FROM idempotency_keys WHERE caller_scope = ?1 AND idempotency_key = ?2",
            params![scope.as_str(), key.as_str()],
            |_| Ok(true),
        )
        .optional()?
        .unwrap_or(false);
    if key_taken {
        return Err(StoreError::KeyTaken.into());
    }
    let staged = transaction
        .query_row(
            "SELECT method, given_names, surname, date_of_birth, nationality, hms_card_reference, employer_name,
                    employer_organisation_number, session_id, vipps_login_id
             FROM stages WHERE stage_sha256 = ?1 AND expires_at > ?2",
            params![stage_sha256, now],
            |row| {
                let person = Person { given_names: row.get(1)?, surname: row.get(2)?, date_of_birth: row.get(3)?, nationality: row.get(4)? };
                let method: String = row.get(0)?;
                let reference: Option<String> = row.get(5)?;
                let employer = crate::store::employer_columns(row, 6)?;
                let session_id: Option<String> = row.get(8)?;
                let login_id: Option<String> = row.get(9)?;
                Ok((method, person, reference, employer, session_id, login_id))
            },
        )
        .optional()?;
    let Some((method, person, reference, employer, session_id, vipps_login_id)) = staged else {
        return Err(ConfirmError::StageNotFound);
    };
    // Single use: the stage is gone whatever the confirmation finds.
    transaction.execute("DELETE FROM stages WHERE stage_sha256 = ?1", params![stage_sha256])?;

    let method = match (method.as_str(), reference, employer) {
        ("hms_card", Some(hms_card_reference), Some(employer)) => Method::HmsCard { hms_card_reference, employer },
        _ => Method::Vipps,
    };
    let earlier = match &method {
        Method::HmsCard { hms_card_reference, .. } => identity_with_card(transaction, hms_card_reference)?,
        _ => None,
    };
    let (identity, newly_stored) = match earlier {
        Some(identity) => {
            transaction.execute(
                "INSERT INTO idempotency_keys (caller_scope, idempotency_key, endpoint, request_sha256, identity_id, created_at, answer_status)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 200)",
                params![scope.as_str(), key.as_str(), CONFIRM_ENDPOINT, request_sha256, identity.identity_id, now],
            )?;
            (identity, false)
        }
        None => {
            let new = NewIdentity {
                identity_id: identity_id.to_owned(),
                person: &person,
                method,
                caller_scope: scope.as_str(),
                idempotency_key: key.as_str(),
                endpoint: CONFIRM_ENDPOINT,
                request_sha256,
                created_at: now,
                // The session is completed by on_stage_confirmed, for an earlier identity too.
                session_id: None,
            };
            (insert_identity(transaction, &new)?, true)
        }
    };
    let confirmed = ConfirmedStage { identity, newly_stored, session_id, vipps_login_id };
    on_stage_confirmed(transaction, &confirmed, now)?;
    Ok(confirmed)
}

fn identity_with_card(transaction: &Transaction<'_>, hms_card_reference: &str) -> Result<Option<StoredIdentity>, rusqlite::Error> {
    transaction
        .query_row(
            "SELECT identity_id, given_names, surname, date_of_birth, nationality, employer_name, employer_organisation_number
             FROM identities WHERE hms_card_reference = ?1",
            params![hms_card_reference],
            |row| {
                let employer = crate::store::employer_columns(row, 5)?;
                Ok(StoredIdentity {
                    identity_id: row.get(0)?,
                    person: Person { given_names: row.get(1)?, surname: row.get(2)?, date_of_birth: row.get(3)?, nationality: row.get(4)? },
                    employer,
                })
            },
        )
        .optional()
}

/// The answer an earlier confirm with this key gave; a 422 when the key was used for something else.
fn earlier_answer(
    state: &AppState,
    scope: &CallerScope,
    key: &IdempotencyKey,
    request_sha256: &str,
) -> Result<Option<(StatusCode, Json<StoredIdentity>)>, ApiProblem> {
    match state.store.earlier_request(scope.as_str(), key.as_str(), state.now_unix_seconds()).map_err(store_problem)? {
        None => Ok(None),
        Some(earlier) if earlier.endpoint == CONFIRM_ENDPOINT && earlier.request_sha256 == request_sha256 => {
            Ok(Some(answer(earlier.answer_status == 201, earlier.identity)))
        }
        Some(_) => Err(ApiProblem::new(ProblemKind::IdempotencyConflict)),
    }
}

fn answer(newly_stored: bool, identity: StoredIdentity) -> (StatusCode, Json<StoredIdentity>) {
    (if newly_stored { StatusCode::CREATED } else { StatusCode::OK }, Json(identity))
}

/// A new stage handle: 32 random bytes, base64url (43 characters).
pub fn new_stage_id() -> String {
    random_base64url::<32>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_handles_are_43_base64url_characters_and_never_repeat() {
        let first = new_stage_id();
        assert_eq!(first.len(), 43);
        assert!(first.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_'));
        assert_ne!(first, new_stage_id());
        assert_eq!(token_hash(&first).len(), 64);
    }
}
