//! Request and response bodies of Registry API v1, exactly the contract's
//! fields: unknown fields are refused when parsing (`deny_unknown_fields`).

use serde::{Deserialize, Serialize};

use crate::person::Person;

/// Longest HMS card reference the contract allows, in characters.
pub const MAX_REFERENCE_CHARS: usize = 200;
/// Longest opaque OIDC value (code, verifier, nonce, redirect URI) we pass on.
pub const MAX_OIDC_VALUE_CHARS: usize = 2048;

/// `POST /v2/hms-card/lookups`: the reference from the card's QR code and the
/// date of birth the worker reads off the same card. Neither alone reveals the holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HmsCardLookupRequest {
    pub hms_card_reference: String,
    /// `YYYY-MM-DD`.
    pub date_of_birth: String,
}

/// Where the fields of a document submission came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocumentSource {
    /// Read on the device from a machine-readable zone whose check digits passed.
    Mrz,
    /// Typed by the user while looking at the photo.
    Typed,
}

impl DocumentSource {
    pub const fn as_str(self) -> &'static str {
        match self {
            DocumentSource::Mrz => "mrz",
            DocumentSource::Typed => "typed",
        }
    }
}

/// `POST /v1/identities/document`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentRequest {
    pub person: Person,
    pub source: DocumentSource,
    pub corrected_by_user: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Employer {
    pub name: String,
    pub organisation_number: String,
}

/// The `201` answer of every creating endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredIdentity {
    pub identity_id: String,
    pub person: Person,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employer: Option<Employer>,
}

/// A person the registry found (HMS card lookup) or was told (Vipps), not yet
/// stored: the page shows it, and only `POST /v2/stages/{stage_id}/confirm`
/// stores it. `stage_id` is a single-use capability valid until `expires_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StagedIdentity {
    pub stage_id: String,
    /// RFC 3339, UTC (`2026-11-30T12:10:00Z`).
    pub expires_at: String,
    pub person: Person,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employer: Option<Employer>,
}

/// `POST /v2/stages/{stage_id}/confirm`: an empty object (the stage is in the path).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfirmRequest {}

/// `POST /v2/vipps/logins`: an empty object (the onboarding session, if any, is in the header).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VippsLoginRequest {}

/// The `201` answer of `POST /v2/vipps/logins`: where to send the browser,
/// and a handle for the starting tab to ask how the login went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VippsLoginStarted {
    pub login_id: String,
    pub authorization_url: String,
    /// RFC 3339, UTC.
    pub expires_at: String,
}

/// How a Vipps login stands, as the starting tab sees it (never the person).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VippsLoginState {
    /// Started; or its callback is being exchanged; or its person waits for confirmation.
    Waiting,
    /// The person was confirmed and stored.
    Completed,
    Cancelled,
    Failed,
    Expired,
}

/// The answer of `GET /v2/vipps/logins/{login_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VippsLoginStatus {
    pub status: VippsLoginState,
}

/// `POST /v2/vipps/callbacks`: the callback URL's parameters, from whichever tab or browser Vipps returned to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VippsCallbackRequest {
    pub state: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// True for the contract's bounded strings: non-empty after trimming, at most
/// `max_chars` characters, no control characters.
pub fn is_bounded_text(value: &str, max_chars: usize) -> bool {
    !value.trim().is_empty() && value.chars().count() <= max_chars && !value.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_request_serialises_exactly_the_contract_fields() {
        let request = DocumentRequest {
            person: Person {
                given_names: "Anna Maria".into(),
                surname: "Eriksson".into(),
                date_of_birth: "1974-08-12".into(),
                nationality: Some("SWE".into()),
            },
            source: DocumentSource::Typed,
            corrected_by_user: false,
        };
        let json = serde_json::to_value(&request).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "person": {"given_names": "Anna Maria", "surname": "Eriksson", "date_of_birth": "1974-08-12", "nationality": "SWE"},
                "source": "typed",
                "corrected_by_user": false
            })
        );
    }

    #[test]
    fn unknown_fields_and_unknown_sources_are_refused() {
        assert!(serde_json::from_str::<HmsCardLookupRequest>(r#"{"hms_card_reference":"A1","date_of_birth":"1985-03-14","photo":"..."}"#).is_err());
        assert!(serde_json::from_str::<VippsCallbackRequest>(r#"{"state":"s","code":"c","code_verifier":"v"}"#).is_err());
        let bad_source = r#"{"person":{"given_names":"A","surname":"B","date_of_birth":"1990-01-01","nationality":null},"source":"ocr","corrected_by_user":false}"#;
        assert!(serde_json::from_str::<DocumentRequest>(bad_source).is_err());
    }

    #[test]
    fn a_staged_identity_parses_with_and_without_employer_and_refuses_extra_fields() {
        let staged = r#"{"stage_id":"abc","expires_at":"2026-11-30T12:10:00Z","person":{"given_names":"Kari","surname":"Nordmann-Testesen","date_of_birth":"1988-04-17","nationality":null}}"#;
        let parsed: StagedIdentity = serde_json::from_str(staged).unwrap();
        assert_eq!(parsed.employer, None);
        assert!(!serde_json::to_string(&parsed).unwrap().contains("employer"));
        assert!(serde_json::from_str::<StagedIdentity>(&staged.replace("}}", r#"},"sub":"x"}"#)).is_err());
        assert!(serde_json::from_str::<ConfirmRequest>("{}").is_ok());
        assert!(serde_json::from_str::<ConfirmRequest>(r#"{"person":{}}"#).is_err());
    }

    #[test]
    fn vipps_login_payloads_have_exactly_the_contract_fields() {
        let callback: VippsCallbackRequest = serde_json::from_str(r#"{"state":"s","code":"c","iss":"https://idp.example/"}"#).unwrap();
        assert_eq!(callback.error, None);
        assert_eq!(serde_json::to_value(&callback).unwrap(), serde_json::json!({"state": "s", "code": "c", "iss": "https://idp.example/"}));
        assert!(serde_json::from_str::<VippsCallbackRequest>(r#"{"state":"s","code_verifier":"v"}"#).is_err());
        assert!(serde_json::from_str::<VippsCallbackRequest>(r#"{"code":"c"}"#).is_err());
        let status: VippsLoginStatus = serde_json::from_str(r#"{"status":"completed"}"#).unwrap();
        assert_eq!(status.status, VippsLoginState::Completed);
        assert!(serde_json::from_str::<VippsLoginStatus>(r#"{"status":"staged"}"#).is_err());
        assert!(serde_json::from_str::<VippsLoginRequest>("{}").is_ok());
    }

    #[test]
    fn bounded_text_refuses_empty_long_and_control_characters() {
        assert!(is_bounded_text("HMS-1234", MAX_REFERENCE_CHARS));
        assert!(!is_bounded_text("   ", MAX_REFERENCE_CHARS));
        assert!(!is_bounded_text(&"x".repeat(201), MAX_REFERENCE_CHARS));
        assert!(is_bounded_text(&"ø".repeat(200), MAX_REFERENCE_CHARS));
        assert!(!is_bounded_text("ab\u{1b}[31m", MAX_REFERENCE_CHARS));
    }
}
