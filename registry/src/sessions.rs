//! Onboarding sessions: a partner's backend creates one and gives the worker
//! a link whose fragment carries the session token. A session allows one
//! confirmed identity, a few failed attempts, and lives 24 hours; its partner
//! reads the outcome.

use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;

use crate::store::{Store, StoreError};
use crate::tokens::{new_id, new_token, token_hash};
use id_capture_contract::person::Person;
use id_capture_contract::Employer;

pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS onboarding_sessions (
    session_id TEXT PRIMARY KEY,
    partner_id TEXT NOT NULL REFERENCES partners (partner_id),
    token_sha256 TEXT NOT NULL UNIQUE,
    partner_reference TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    identity_id TEXT REFERENCES identities (identity_id)
);
";

pub use id_capture_contract::session_token::SESSION_TOKEN_PREFIX;
pub const SESSION_LIFETIME_SECONDS: i64 = 24 * 60 * 60;
/// Failed lookups or exchanges a session allows before it closes.
pub const MAX_FAILED_ATTEMPTS: u32 = 5;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnboardingSession {
    pub session_id: String,
    pub partner_id: String,
    pub partner_reference: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
    pub failed_attempts: u32,
    pub identity_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    Open,
    Completed,
    Expired,
    Exhausted,
}

impl OnboardingSession {
    pub fn status(&self, now: i64) -> SessionStatus {
        if self.identity_id.is_some() {
            SessionStatus::Completed
        } else if now >= self.expires_at {
            SessionStatus::Expired
        } else if self.failed_attempts >= MAX_FAILED_ATTEMPTS {
            SessionStatus::Exhausted
        } else {
            SessionStatus::Open
        }
    }

    pub fn attempts_left(&self) -> u32 {
        MAX_FAILED_ATTEMPTS.saturating_sub(self.failed_attempts)
    }
}

/// A new session and its token, which only the partner's answer carries.
#[derive(Debug)]
pub struct NewSession {
    pub session: OnboardingSession,
    pub token: String,
}

/// The identity a session ended with, as its partner reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionIdentity {
    pub identity_id: String,
    pub method: String,
    pub person: Person,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hms_card_reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employer: Option<Employer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corrected_by_user: Option<bool>,
}

const COLUMNS: &str = "session_id, partner_id, partner_reference, created_at, expires_at, failed_attempts, identity_id";

fn session_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<OnboardingSession> {
    Ok(OnboardingSession {
        session_id: row.get(0)?,
        partner_id: row.get(1)?,
        partner_reference: row.get(2)?,
        created_at: row.get(3)?,
        expires_at: row.get(4)?,
        failed_attempts: row.get(5)?,
        identity_id: row.get(6)?,
    })
}

/// Marks the session completed by `identity_id` inside the transaction that
/// stores the identity; `Ok(false)` when the session already has one (or is
/// closed), so the caller rolls back.
pub fn complete_in(transaction: &Transaction<'_>, session_id: &str, identity_id: &str, now: i64) -> Result<bool, StoreError> {
    let changed = transaction.execute(
        "UPDATE onboarding_sessions SET identity_id = ?2
         WHERE session_id = ?1 AND identity_id IS NULL AND expires_at > ?3 AND failed_attempts < ?4",
        params![session_id, identity_id, now, MAX_FAILED_ATTEMPTS],
    )?;
    Ok(changed == 1)
}

impl Store {
    pub fn create_session(&self, partner_id: &str, partner_reference: Option<&str>, now: i64) -> Result<NewSession, StoreError> {
        let token = new_token(SESSION_TOKEN_PREFIX);
        let session = OnboardingSession {
            session_id: new_id("ses_"),
            partner_id: partner_id.to_owned(),
            partner_reference: partner_reference.map(str::to_owned),
            created_at: now,
            expires_at: now + SESSION_LIFETIME_SECONDS,
            failed_attempts: 0,
            identity_id: None,
        };
        self.with_connection(|connection| {
            connection.execute(
                "INSERT INTO onboarding_sessions (session_id, partner_id, token_sha256, partner_reference, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![session.session_id, session.partner_id, token_hash(&token), session.partner_reference, session.created_at, session.expires_at],
            )?;
            Ok(())
        })?;
        Ok(NewSession { session, token })
    }

    /// The session holding this token, whatever its status.
    pub fn session_by_token(&self, token: &str) -> Result<Option<OnboardingSession>, StoreError> {
        self.with_connection(|connection| {
            Ok(connection.query_row(&format!("SELECT {COLUMNS} FROM onboarding_sessions WHERE token_sha256 = ?1"), params![token_hash(token)], session_from_row).optional()?)
        })
    }

    pub fn session_by_id(&self, session_id: &str) -> Result<Option<OnboardingSession>, StoreError> {
        self.with_connection(|connection| {
            Ok(connection.query_row(&format!("SELECT {COLUMNS} FROM onboarding_sessions WHERE session_id = ?1"), params![session_id], session_from_row).optional()?)
        })
    }

    /// Counts a failed lookup or exchange against the session.
    pub fn record_failed_attempt(&self, session_id: &str) -> Result<(), StoreError> {
        self.with_connection(|connection| {
            connection.execute("UPDATE onboarding_sessions SET failed_attempts = failed_attempts + 1 WHERE session_id = ?1", params![session_id])?;
            Ok(())
        })
    }

    /// The identity stored under `identity_id`, with its method's facts.
    pub fn session_identity(&self, identity_id: &str) -> Result<Option<SessionIdentity>, StoreError> {
        self.with_connection(|connection| {
            Ok(connection
                .query_row(
                    "SELECT identity_id, method, given_names, surname, date_of_birth, nationality, hms_card_reference,
                            employer_name, employer_organisation_number, document_source, corrected_by_user
                     FROM identities WHERE identity_id = ?1",
                    params![identity_id],
                    |row| {
                        let employer = crate::store::employer_columns(row, 7)?;
                        Ok(SessionIdentity {
                            identity_id: row.get(0)?,
                            method: row.get(1)?,
                            person: Person { given_names: row.get(2)?, surname: row.get(3)?, date_of_birth: row.get(4)?, nationality: row.get(5)? },
                            hms_card_reference: row.get(6)?,
                            employer,
                            source: row.get(9)?,
                            corrected_by_user: row.get(10)?,
                        })
                    },
                )
                .optional()?)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_is_open_until_it_expires_or_uses_its_attempts() {
        let store = Store::open(":memory:").unwrap();
        let partner = store.add_partner("Eksempel Portal AS", &[], 60, 0).unwrap().partner;
        let created = store.create_session(&partner.partner_id, Some("onboarding-1"), 1_000).unwrap();
        let session = store.session_by_token(&created.token).unwrap().unwrap();
        assert_eq!(session.status(1_000), SessionStatus::Open);
        assert_eq!(session.status(1_000 + SESSION_LIFETIME_SECONDS), SessionStatus::Expired);
        for _ in 0..MAX_FAILED_ATTEMPTS {
            store.record_failed_attempt(&session.session_id).unwrap();
        }
        let session = store.session_by_id(&session.session_id).unwrap().unwrap();
        assert_eq!(session.status(1_000), SessionStatus::Exhausted);
        assert_eq!(session.attempts_left(), 0);
        assert!(store.session_by_token("idc_ses_guessed").unwrap().is_none());
    }
}
