//! The secrets of one started login, kept in `sessionStorage` until the
//! provider redirects back, then consumed.

use serde::{Deserialize, Serialize};

use super::base64url;

/// The one `sessionStorage` key the boundary uses.
pub const STORED_FLOW_KEY: &str = "id-capture.vipps-flow";
/// A started login is valid for 10 minutes.
pub const FLOW_LIFETIME_MS: u64 = 10 * 60 * 1000;
/// A flow created this far "in the future" is still accepted (clock corrections).
pub const CLOCK_SKEW_MS: u64 = 60 * 1000;
const MAX_STORED_JSON_CHARS: usize = 8192;

/// JSON: `{"state","nonce","code_verifier","redirect_uri","created_at_ms"}`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredFlow {
    pub state: String,
    pub nonce: String,
    pub code_verifier: String,
    /// Exactly the `redirect_uri` sent in the authorization request.
    pub redirect_uri: String,
    pub created_at_ms: u64,
}

impl StoredFlow {
    pub fn to_json(&self) -> String {
        // Serialising plain strings and a number cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// `None` for anything that is not a flow this module wrote: the caller
    /// then treats it as no flow at all.
    pub fn from_json(json: &str) -> Option<StoredFlow> {
        if json.len() > MAX_STORED_JSON_CHARS {
            return None;
        }
        let flow: StoredFlow = serde_json::from_str(json).ok()?;
        let well_formed = [&flow.state, &flow.nonce, &flow.code_verifier].iter().all(|value| base64url::is_base64url(value))
            && !flow.redirect_uri.is_empty();
        well_formed.then_some(flow)
    }

    /// Older than the lifetime, or created in the future beyond the allowed skew.
    pub fn is_expired(&self, now_unix_ms: u64) -> bool {
        if self.created_at_ms > now_unix_ms.saturating_add(CLOCK_SKEW_MS) {
            return true;
        }
        now_unix_ms.saturating_sub(self.created_at_ms) > FLOW_LIFETIME_MS
    }
}

/// The secrets stay out of logs and panic messages.
impl std::fmt::Debug for StoredFlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredFlow")
            .field("state", &"[redacted]")
            .field("nonce", &"[redacted]")
            .field("code_verifier", &"[redacted]")
            .field("redirect_uri", &self.redirect_uri)
            .field("created_at_ms", &self.created_at_ms)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flow(created_at_ms: u64) -> StoredFlow {
        StoredFlow {
            state: "c3RhdGU".into(),
            nonce: "bm9uY2U".into(),
            code_verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into(),
            redirect_uri: "https://portal.example.no/vipps/callback".into(),
            created_at_ms,
        }
    }

    #[test]
    fn json_has_exactly_the_documented_shape_and_round_trips() {
        let stored = flow(1_763_881_200_000);
        let json: serde_json::Value = serde_json::from_str(&stored.to_json()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "state": "c3RhdGU", "nonce": "bm9uY2U",
                "code_verifier": "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
                "redirect_uri": "https://portal.example.no/vipps/callback",
                "created_at_ms": 1_763_881_200_000u64
            })
        );
        assert_eq!(StoredFlow::from_json(&stored.to_json()), Some(stored));
    }

    #[test]
    fn tampered_or_foreign_storage_is_no_flow() {
        assert_eq!(StoredFlow::from_json("not json"), None);
        assert_eq!(StoredFlow::from_json(r#"{"state":"a"}"#), None);
        let mut tampered = flow(0);
        tampered.state = "a b".into();
        assert_eq!(StoredFlow::from_json(&tampered.to_json()), None);
        assert_eq!(StoredFlow::from_json(&"x".repeat(10_000)), None);
    }

    #[test]
    fn expires_after_ten_minutes_and_when_created_in_the_future() {
        let created = 1_000_000_000;
        assert!(!flow(created).is_expired(created));
        assert!(!flow(created).is_expired(created + FLOW_LIFETIME_MS));
        assert!(flow(created).is_expired(created + FLOW_LIFETIME_MS + 1));
        assert!(!flow(created).is_expired(created - CLOCK_SKEW_MS));
        assert!(flow(created).is_expired(created - CLOCK_SKEW_MS - 1));
    }

    #[test]
    fn debug_output_hides_the_secrets() {
        let text = format!("{:?}", flow(0));
        assert!(!text.contains("dBjftJeZ4CVP"));
        assert!(!text.contains("c3RhdGU"));
        assert!(text.contains("[redacted]"));
    }
}
