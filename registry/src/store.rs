//! The embedded SQLite store: identities, the idempotency keys that
//! created them, and staged identities waiting for the worker's confirmation. One connection behind a mutex: writes are serialised, which
//! also makes "same key twice at once" safe without extra locking.

use std::path::Path;
use std::sync::{Arc, Mutex};

use id_capture_contract::person::Person;
use id_capture_contract::{DocumentSource, Employer, StoredIdentity};
use rusqlite::{params, Connection, OptionalExtension};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS identities (
    identity_id TEXT PRIMARY KEY,
    method TEXT NOT NULL CHECK (method IN ('hms_card', 'vipps', 'document')),
    given_names TEXT NOT NULL,
    surname TEXT NOT NULL,
    date_of_birth TEXT NOT NULL,
    nationality TEXT,
    document_source TEXT CHECK (document_source IN ('mrz', 'typed')),
    corrected_by_user INTEGER CHECK (corrected_by_user IN (0, 1)),
    hms_card_reference TEXT,
    employer_name TEXT,
    employer_organisation_number TEXT,
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS idempotency_keys (
    caller_scope TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    request_sha256 TEXT NOT NULL,
    identity_id TEXT NOT NULL REFERENCES identities (identity_id),
    created_at INTEGER NOT NULL,
    -- 201 when this key stored the identity, 200 when it found one stored before (a replay answers the same).
    answer_status INTEGER NOT NULL DEFAULT 201,
    PRIMARY KEY (caller_scope, idempotency_key)
);
CREATE INDEX IF NOT EXISTS idempotency_keys_by_age ON idempotency_keys (created_at);
-- A card is registered once: confirming it again answers the identity stored before.
CREATE UNIQUE INDEX IF NOT EXISTS identities_one_per_hms_card ON identities (hms_card_reference) WHERE hms_card_reference IS NOT NULL;
-- Found or told, shown to the worker, not yet confirmed (see stages.rs). Only the
-- SHA-256 of the stage handle is kept: a copy of the database cannot confirm anything.
CREATE TABLE IF NOT EXISTS stages (
    stage_sha256 TEXT PRIMARY KEY,
    method TEXT NOT NULL CHECK (method IN ('hms_card', 'vipps')),
    given_names TEXT NOT NULL,
    surname TEXT NOT NULL,
    date_of_birth TEXT NOT NULL,
    nationality TEXT,
    hms_card_reference TEXT,
    employer_name TEXT,
    employer_organisation_number TEXT,
    -- The onboarding session the stage was made in, if any (completed on confirm).
    session_id TEXT,
    -- The Vipps login the stage came from (its status turns `completed` on confirm).
    vipps_login_id TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
-- Vipps logins held by the registry (vipps/logins.rs). The state is kept only as
-- its SHA-256; nonce and verifier only until the login ends.
CREATE TABLE IF NOT EXISTS vipps_logins (
    login_id TEXT PRIMARY KEY,
    state_sha256 TEXT NOT NULL UNIQUE,
    nonce TEXT,
    code_verifier TEXT,
    session_id TEXT,
    status TEXT NOT NULL CHECK (status IN ('waiting', 'exchanging', 'staged', 'completed', 'cancelled', 'failed')),
    -- The callback that took the login: its key, request fingerprint and stage salt, and the problem it ended with.
    callback_key TEXT,
    callback_request_sha256 TEXT,
    stage_salt TEXT,
    failure TEXT,
    created_at INTEGER NOT NULL,
    -- The login's expiry while waiting; its stage's expiry once staged.
    expires_at INTEGER NOT NULL
);
";

/// Databases made before keys were scoped had one global key space. Their
/// keys move to a scope no caller has, so none of them is replayed to anyone
/// (they would expire within a day anyway).
const SCOPE_OLD_KEYS: &str = "
ALTER TABLE idempotency_keys RENAME TO idempotency_keys_unscoped;
CREATE TABLE idempotency_keys (
    caller_scope TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    request_sha256 TEXT NOT NULL,
    identity_id TEXT NOT NULL REFERENCES identities (identity_id),
    created_at INTEGER NOT NULL,
    answer_status INTEGER NOT NULL DEFAULT 201,
    PRIMARY KEY (caller_scope, idempotency_key)
);
INSERT INTO idempotency_keys (caller_scope, idempotency_key, endpoint, request_sha256, identity_id, created_at)
    SELECT 'unscoped', idempotency_key, endpoint, request_sha256, identity_id, created_at FROM idempotency_keys_unscoped;
DROP TABLE idempotency_keys_unscoped;
";

/// An idempotency key answers retries for a day, then is forgotten.
pub const IDEMPOTENCY_KEY_LIFETIME_SECONDS: i64 = 24 * 60 * 60;

/// How an identity came to the registry, with the method's own facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    HmsCard { hms_card_reference: String, employer: Employer },
    Vipps,
    Document { source: DocumentSource, corrected_by_user: bool },
}

/// A new identity to store with the idempotency key that asked for it.
#[derive(Debug, Clone)]
pub struct NewIdentity<'a> {
    pub identity_id: String,
    pub person: &'a Person,
    pub method: Method,
    /// Whose key it is (`idempotency::CallerScope`): another caller's same key is another key.
    pub caller_scope: &'a str,
    pub idempotency_key: &'a str,
    pub endpoint: &'a str,
    pub request_sha256: &'a str,
    pub created_at: i64,
    /// The onboarding session this identity completes, if any.
    pub session_id: Option<&'a str>,
}

/// What an earlier request with the same idempotency key did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarlierRequest {
    pub endpoint: String,
    pub request_sha256: String,
    pub identity: StoredIdentity,
    /// 201 (stored) or 200 (found stored before), answered again on replay.
    pub answer_status: u16,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database is busy")]
    Busy,
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("the idempotency key was stored by a concurrent request")]
    KeyTaken,
    #[error("the onboarding session already has its identity or is closed")]
    SessionClosed,
}

#[derive(Clone)]
pub struct Store {
    connection: Arc<Mutex<Connection>>,
}

impl Store {
    /// Opens (creating if needed) the database at `path`; `:memory:` for tests.
    pub fn open(path: &str) -> Result<Store, StoreError> {
        let connection = if path == ":memory:" { Connection::open_in_memory()? } else { Connection::open(Path::new(path))? };
        connection.busy_timeout(std::time::Duration::from_secs(2))?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        let unscoped: bool = connection
            .query_row("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'idempotency_keys' AND sql NOT LIKE '%caller_scope%'", [], |_| Ok(true))
            .optional()?
            .unwrap_or(false);
        if unscoped {
            connection.execute_batch(&format!("BEGIN; {SCOPE_OLD_KEYS} COMMIT;"))?;
        }
        // Deleted stages (people not confirmed) and ended logins (nonce, verifier) are overwritten, not left in free pages.
        connection.pragma_update(None, "secure_delete", "ON")?;
        add_answer_status_column(&connection)?;
        connection.execute_batch(SCHEMA)?;
        connection.execute_batch(crate::partners::SCHEMA)?;
        connection.execute_batch(crate::sessions::SCHEMA)?;
        Ok(Store { connection: Arc::new(Mutex::new(connection)) })
    }

    pub(crate) fn with_connection<T>(&self, work: impl FnOnce(&mut Connection) -> Result<T, StoreError>) -> Result<T, StoreError> {
        // A poisoned lock only means another request panicked mid-query; SQLite rolled it back.
        let mut connection = self.connection.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        work(&mut connection).map_err(|error| match error {
            StoreError::Database(rusqlite::Error::SqliteFailure(code, _))
                if matches!(code.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) =>
            {
                StoreError::Busy
            }
            other => other,
        })
    }

    /// What `caller_scope` did with this key within the last day.
    pub fn earlier_request(&self, caller_scope: &str, idempotency_key: &str, now: i64) -> Result<Option<EarlierRequest>, StoreError> {
        self.with_connection(|connection| {
            let row = connection
                .query_row(
                    "SELECT k.endpoint, k.request_sha256, i.identity_id, i.given_names, i.surname, i.date_of_birth, i.nationality,
                            i.employer_name, i.employer_organisation_number, k.answer_status
                     FROM idempotency_keys k JOIN identities i ON i.identity_id = k.identity_id
                     WHERE k.caller_scope = ?1 AND k.idempotency_key = ?2 AND k.created_at > ?3",
                    params![caller_scope, idempotency_key, now - IDEMPOTENCY_KEY_LIFETIME_SECONDS],
                    |row| {
                        let employer = employer_columns(row, 7)?;
                        Ok(EarlierRequest {
                            endpoint: row.get(0)?,
                            request_sha256: row.get(1)?,
                            identity: StoredIdentity {
                                identity_id: row.get(2)?,
                                person: Person { given_names: row.get(3)?, surname: row.get(4)?, date_of_birth: row.get(5)?, nationality: row.get(6)? },
                                employer,
                            },
                            answer_status: row.get(9)?,
                        })
                    },
                )
                .optional()?;
            Ok(row)
        })
    }

    /// Stores the identity and its idempotency key in one transaction.
    pub fn insert(&self, new: &NewIdentity<'_>) -> Result<StoredIdentity, StoreError> {
        self.with_connection(|connection| {
            let transaction = connection.transaction()?;
            let identity = insert_identity(&transaction, new)?;
            transaction.commit()?;
            Ok(identity)
        })
    }

    /// Idempotency keys still stored (expired ones included until the next insert).
    pub fn count_idempotency_keys(&self) -> Result<u64, StoreError> {
        self.with_connection(|connection| Ok(connection.query_row("SELECT COUNT(*) FROM idempotency_keys", [], |row| row.get(0))?))
    }

    pub fn count_identities(&self) -> Result<u64, StoreError> {
        self.with_connection(|connection| Ok(connection.query_row("SELECT COUNT(*) FROM identities", [], |row| row.get(0))?))
    }
}

/// Databases made before `answer_status` existed get the column (every earlier answer was a 201).
fn add_answer_status_column(connection: &Connection) -> Result<(), StoreError> {
    let table_exists: bool =
        connection.query_row("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'idempotency_keys'", [], |_| Ok(true)).optional()?.unwrap_or(false);
    let column_exists: bool =
        connection.query_row("SELECT 1 FROM pragma_table_info('idempotency_keys') WHERE name = 'answer_status'", [], |_| Ok(true)).optional()?.unwrap_or(false);
    if table_exists && !column_exists {
        connection.execute_batch("ALTER TABLE idempotency_keys ADD COLUMN answer_status INTEGER NOT NULL DEFAULT 201")?;
    }
    Ok(())
}

/// Inserts the identity and its idempotency key into an open transaction
/// (`StoreError::KeyTaken` when the key is already stored).
pub(crate) fn insert_identity(transaction: &rusqlite::Transaction<'_>, new: &NewIdentity<'_>) -> Result<StoredIdentity, StoreError> {
    // Expired keys are deleted as new ones come in; their identities stay.
    transaction.execute("DELETE FROM idempotency_keys WHERE created_at <= ?1", params![new.created_at - IDEMPOTENCY_KEY_LIFETIME_SECONDS])?;
    let key_taken: bool = transaction
        .query_row(
            "SELECT 1 FROM idempotency_keys WHERE caller_scope = ?1 AND idempotency_key = ?2",
            params![new.caller_scope, new.idempotency_key],
            |_| Ok(true),
        )
        .optional()?
        .unwrap_or(false);
    if key_taken {
        return Err(StoreError::KeyTaken);
    }
    let (method, source, corrected, reference, employer) = match &new.method {
        Method::HmsCard { hms_card_reference, employer } => ("hms_card", None, None, Some(hms_card_reference.as_str()), Some(employer)),
        Method::Vipps => ("vipps", None, None, None, None),
        Method::Document { source, corrected_by_user } => ("document", Some(source.as_str()), Some(*corrected_by_user), None, None),
    };
    transaction.execute(
        "INSERT INTO identities (identity_id, method, given_names, surname, date_of_birth, nationality, document_source,
                                 corrected_by_user, hms_card_reference, employer_name, employer_organisation_number, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            new.identity_id,
            method,
            new.person.given_names,
            new.person.surname,
            new.person.date_of_birth,
            new.person.nationality,
            source,
            corrected,
            reference,
            employer.map(|employer| employer.name.as_str()),
            employer.map(|employer| employer.organisation_number.as_str()),
            new.created_at,
        ],
    )?;
    transaction.execute(
        "INSERT INTO idempotency_keys (caller_scope, idempotency_key, endpoint, request_sha256, identity_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![new.caller_scope, new.idempotency_key, new.endpoint, new.request_sha256, new.identity_id, new.created_at],
    )?;
    if let Some(session_id) = new.session_id {
        // One identity per session: a second one rolls back with the transaction.
        if !crate::sessions::complete_in(transaction, session_id, &new.identity_id, new.created_at)? {
            return Err(StoreError::SessionClosed);
        }
    }
    Ok(StoredIdentity { identity_id: new.identity_id.clone(), person: new.person.clone(), employer: employer.cloned() })
}

/// The employer held in two nullable columns (`employer_name`,
/// `employer_organisation_number`) starting at `first`: both or none.
pub(crate) fn employer_columns(row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<Option<Employer>> {
    Ok(match (row.get::<_, Option<String>>(first)?, row.get::<_, Option<String>>(first + 1)?) {
        (Some(name), Some(organisation_number)) => Some(Employer { name, organisation_number }),
        _ => None,
    })
}
