//! Bearer secrets the registry hands out (API keys, session tokens) and how it
//! keeps them: 32 random bytes in base64url, stored only as their SHA-256.
//! A 256-bit random secret cannot be guessed, so a fast hash is enough; the
//! hash means a copied database cannot be used to call the API.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// Bytes of randomness in every token.
pub const TOKEN_BYTES: usize = 32;

/// `N` random bytes in base64url without padding: handles, states, nonces, verifiers.
pub fn random_base64url<const N: usize>() -> String {
    let mut random = [0u8; N];
    // Without an OS random source nothing safe can be made; such a machine cannot run us.
    getrandom::fill(&mut random).expect("operating system random source");
    URL_SAFE_NO_PAD.encode(random)
}

/// A new random token with a readable prefix (`idc_key_`, `idc_ses_`): a key
/// pasted into the wrong place is recognisable, and secret scanners can find it.
pub fn new_token(prefix: &str) -> String {
    format!("{prefix}{}", random_base64url::<TOKEN_BYTES>())
}

/// The stored form of a token or handle: lower-case hex SHA-256.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A short random identifier that is not a secret (partner and session ids).
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}{}", random_base64url::<12>())
}

/// RFC 3339 UTC text for unix seconds (`2026-12-01T09:00:00Z`).
pub fn rfc3339(unix_seconds: i64) -> String {
    let date = id_capture_contract::date::Date::from_unix_seconds(unix_seconds);
    let of_day = unix_seconds.rem_euclid(86_400);
    format!("{date}T{:02}:{:02}:{:02}Z", of_day / 3600, of_day / 60 % 60, of_day % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_prefixed_random_and_hashed_to_hex() {
        let first = new_token("idc_key_");
        let second = new_token("idc_key_");
        assert!(first.starts_with("idc_key_"));
        assert_eq!(first.len(), "idc_key_".len() + 43);
        assert_ne!(first, second);
        assert_eq!(token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn rfc3339_formats_utc_seconds() {
        assert_eq!(rfc3339(1_795_392_000), "2026-11-23T00:00:00Z");
        assert_eq!(rfc3339(1_795_392_000 + 9 * 3600 + 5 * 60 + 7), "2026-11-23T09:05:07Z");
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
    }
}
