//! `Idempotency-Key`: a random UUID (version 4) made once per capture and
//! repeated on every retry of that capture's submission.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// A version-4 UUID from 16 random bytes (randomness is passed in so the
    /// core stays deterministic under test; the browser uses `crypto.getRandomValues`).
    pub fn from_random_bytes(mut bytes: [u8; 16]) -> IdempotencyKey {
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
        IdempotencyKey(format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32]))
    }

    /// Accepts any canonical lower- or upper-case UUID text (servers must not
    /// depend on the client's version bits), normalised to lower case.
    pub fn parse(text: &str) -> Option<IdempotencyKey> {
        let bytes = text.as_bytes();
        if bytes.len() != 36 {
            return None;
        }
        let well_formed = bytes.iter().enumerate().all(|(index, byte)| match index {
            8 | 13 | 18 | 23 => *byte == b'-',
            _ => byte.is_ascii_hexdigit(),
        });
        well_formed.then(|| IdempotencyKey(text.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_bytes_become_a_version_4_uuid_that_parses_back() {
        let key = IdempotencyKey::from_random_bytes([0xff; 16]);
        assert_eq!(key.as_str(), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(IdempotencyKey::parse(key.as_str()), Some(key));
        let zero = IdempotencyKey::from_random_bytes([0; 16]);
        assert_eq!(zero.as_str(), "00000000-0000-4000-8000-000000000000");
    }

    #[test]
    fn parse_refuses_anything_but_canonical_uuid_text() {
        for text in ["", "not-a-key", "ffffffff-ffff-4fff-bfff-fffffffffff", "ffffffffXffff-4fff-bfff-ffffffffffff", "gfffffff-ffff-4fff-bfff-ffffffffffff", "{ffffffff-ffff-4fff-bfff-ffffffffffff}"] {
            assert_eq!(IdempotencyKey::parse(text), None, "{text}");
        }
        assert_eq!(IdempotencyKey::parse("ABCDEF01-2345-4789-8BCD-EF0123456789").unwrap().as_str(), "abcdef01-2345-4789-8bcd-ef0123456789");
    }
}
