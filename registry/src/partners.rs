//! Partners: the portals and employers that call the registry with an API
//! key. Configured by the operator with the CLI (`id-capture-registry
//! partners add|list|revoke`); the key is shown once and kept only as a hash.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::store::{Store, StoreError};
use crate::tokens::{new_id, new_token, token_hash};

pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS partners (
    partner_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    key_sha256 TEXT NOT NULL UNIQUE,
    origins TEXT NOT NULL,
    rate_per_minute INTEGER NOT NULL CHECK (rate_per_minute > 0),
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
";

/// What an API key starts with.
pub const API_KEY_PREFIX: &str = "idc_key_";
/// Creating calls a partner may make per minute unless configured otherwise.
pub const DEFAULT_PARTNER_RATE_PER_MINUTE: u32 = 120;

/// A partner as the registry keeps it (never the key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Partner {
    pub partner_id: String,
    pub name: String,
    /// Page origins allowed to call the API for this partner (CORS), exactly
    /// `scheme://host[:port]`.
    pub origins: Vec<String>,
    pub rate_per_minute: u32,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

impl Partner {
    pub fn is_active(&self) -> bool {
        self.revoked_at.is_none()
    }

    pub fn allows_origin(&self, origin: &str) -> bool {
        self.origins.iter().any(|allowed| allowed == origin)
    }
}

/// A new partner and its key, which is shown once and never again.
#[derive(Debug)]
pub struct NewPartner {
    pub partner: Partner,
    pub api_key: String,
}

/// `scheme://host[:port]` with scheme http(s) and nothing after the authority:
/// what a browser sends in `Origin`. A wildcard is refused: an API that hands
/// out personal data must name the pages it trusts.
pub fn check_origin(origin: &str) -> Result<(), String> {
    if origin.contains('*') {
        return Err("a wildcard origin is not allowed: name each page origin".into());
    }
    crate::config::check_origin(origin)?;
    let loopback = ["http://localhost", "http://127.0.0.1", "http://[::1]"]
        .iter()
        .any(|prefix| origin == *prefix || origin.strip_prefix(prefix).is_some_and(|rest| rest.starts_with(':')));
    if origin.starts_with("http://") && !loopback {
        return Err(format!("origin {origin:?} must be https (plain http only on loopback)"));
    }
    Ok(())
}

fn partner_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Partner> {
    let origins: String = row.get(2)?;
    Ok(Partner {
        partner_id: row.get(0)?,
        name: row.get(1)?,
        origins: serde_json::from_str(&origins).unwrap_or_default(),
        rate_per_minute: row.get(3)?,
        created_at: row.get(4)?,
        revoked_at: row.get(5)?,
    })
}

const COLUMNS: &str = "partner_id, name, origins, rate_per_minute, created_at, revoked_at";

impl Store {
    pub fn add_partner(&self, name: &str, origins: &[String], rate_per_minute: u32, now: i64) -> Result<NewPartner, StoreError> {
        let api_key = new_token(API_KEY_PREFIX);
        let partner = Partner {
            partner_id: new_id("ptn_"),
            name: name.to_owned(),
            origins: origins.to_vec(),
            rate_per_minute,
            created_at: now,
            revoked_at: None,
        };
        self.with_connection(|connection| {
            connection.execute(
                "INSERT INTO partners (partner_id, name, key_sha256, origins, rate_per_minute, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![partner.partner_id, partner.name, token_hash(&api_key), serde_json::to_string(&partner.origins).unwrap_or_default(), rate_per_minute, now],
            )?;
            Ok(())
        })?;
        Ok(NewPartner { partner, api_key })
    }

    pub fn list_partners(&self) -> Result<Vec<Partner>, StoreError> {
        self.with_connection(|connection| {
            let mut statement = connection.prepare(&format!("SELECT {COLUMNS} FROM partners ORDER BY created_at, partner_id"))?;
            let partners = statement.query_map([], partner_from_row)?.collect::<Result<Vec<_>, _>>()?;
            Ok(partners)
        })
    }

    /// `Ok(false)` when no active partner has this id.
    pub fn revoke_partner(&self, partner_id: &str, now: i64) -> Result<bool, StoreError> {
        self.with_connection(|connection| {
            let changed = connection.execute("UPDATE partners SET revoked_at = ?2 WHERE partner_id = ?1 AND revoked_at IS NULL", params![partner_id, now])?;
            Ok(changed == 1)
        })
    }

    /// The active partner holding this API key.
    pub fn partner_by_key(&self, api_key: &str) -> Result<Option<Partner>, StoreError> {
        self.with_connection(|connection| {
            Ok(connection
                .query_row(&format!("SELECT {COLUMNS} FROM partners WHERE key_sha256 = ?1 AND revoked_at IS NULL"), params![token_hash(api_key)], partner_from_row)
                .optional()?)
        })
    }

    pub fn partner_by_id(&self, partner_id: &str) -> Result<Option<Partner>, StoreError> {
        self.with_connection(|connection| {
            Ok(connection.query_row(&format!("SELECT {COLUMNS} FROM partners WHERE partner_id = ?1"), params![partner_id], partner_from_row).optional()?)
        })
    }

    /// Whether any active partner allows this page origin (for CORS).
    pub fn any_partner_allows_origin(&self, origin: &str) -> bool {
        self.list_partners().map(|partners| partners.iter().any(|partner| partner.is_active() && partner.allows_origin(origin))).unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partner_is_found_by_its_key_only_until_revoked_and_the_key_is_not_stored() {
        let store = Store::open(":memory:").unwrap();
        let added = store.add_partner("Eksempel Portal AS", &["https://portal.example".into()], 60, 100).unwrap();
        assert!(added.api_key.starts_with(API_KEY_PREFIX));
        let found = store.partner_by_key(&added.api_key).unwrap().unwrap();
        assert_eq!(found.partner_id, added.partner.partner_id);
        assert!(found.allows_origin("https://portal.example") && !found.allows_origin("https://evil.example"));
        assert!(store.partner_by_key("idc_key_guessed").unwrap().is_none());
        let stored_key_columns: Vec<String> = store
            .with_connection(|connection| Ok(connection.prepare("SELECT key_sha256 FROM partners")?.query_map([], |row| row.get(0))?.collect::<Result<_, _>>()?))
            .unwrap();
        assert!(!stored_key_columns[0].contains(&added.api_key[API_KEY_PREFIX.len()..]));
        assert!(store.revoke_partner(&added.partner.partner_id, 200).unwrap());
        assert!(store.partner_by_key(&added.api_key).unwrap().is_none());
        assert!(!store.revoke_partner(&added.partner.partner_id, 300).unwrap());
        assert!(!store.any_partner_allows_origin("https://portal.example"));
    }

    #[test]
    fn origins_must_be_exact_https_origins_or_loopback_http() {
        assert!(check_origin("https://portal.example").is_ok());
        assert!(check_origin("https://portal.example:8443").is_ok());
        assert!(check_origin("http://127.0.0.1:5173").is_ok());
        assert!(check_origin("http://localhost").is_ok());
        for bad in ["*", "https://*.example", "http://portal.example", "https://portal.example/", "portal.example", "https://", "ftp://x"] {
            assert!(check_origin(bad).is_err(), "{bad}");
        }
    }
}
