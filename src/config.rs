//! What an embedding page configures, validated once when `IdCapture` is made.

use serde::Deserialize;

use crate::error::{Coded, ErrorCode};
use crate::hms::{HmsError, HmsRules};
use crate::registry::url::RegistryUrlError;
use crate::registry::{RegistryUrl, RetryPolicy, SessionToken};

/// The page's options as given (JavaScript names).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CaptureOptions {
    /// Base URL of the registry; empty or absent for the page's own origin.
    #[serde(default)]
    pub registry_url: String,
    #[serde(default)]
    pub retry: RetryOptions,
    /// The onboarding session token from the partner's link (`#session=…`),
    /// sent with every registry call; absent for self-registration.
    #[serde(default)]
    pub session: Option<String>,
    /// What counts as an HMS card QR code; the documented defaults when absent.
    #[serde(default)]
    pub hms_rules: Option<HmsRules>,
}

/// Optional overrides of the retry policy (tests shorten it; portals may lengthen it).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RetryOptions {
    pub max_attempts: Option<u32>,
    pub base_delay_ms: Option<u32>,
    pub max_delay_ms: Option<u32>,
    pub max_retry_after_ms: Option<u32>,
    pub attempt_timeout_ms: Option<u32>,
}

/// Options after validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureSettings {
    pub registry_url: RegistryUrl,
    pub retry_policy: RetryPolicy,
    pub session: Option<SessionToken>,
    pub hms_rules: HmsRules,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error(transparent)]
    RegistryUrl(#[from] RegistryUrlError),
    #[error("retry.{0} is out of range")]
    RetryOutOfRange(&'static str),
    #[error("session is not an onboarding session token")]
    Session,
    #[error("hmsRules: {0}")]
    HmsRules(#[from] HmsError),
}

impl Coded for ConfigError {
    fn code(&self) -> ErrorCode {
        ErrorCode::InvalidConfig
    }
}

impl CaptureOptions {
    pub fn validate(&self) -> Result<CaptureSettings, ConfigError> {
        let defaults = RetryPolicy::default();
        let bounded = |value: Option<u32>, default: u32, name: &'static str, range: std::ops::RangeInclusive<u32>| match value {
            None => Ok(default),
            Some(value) if range.contains(&value) => Ok(value),
            Some(_) => Err(ConfigError::RetryOutOfRange(name)),
        };
        let retry = &self.retry;
        let retry_policy = RetryPolicy {
            max_attempts: bounded(retry.max_attempts, defaults.max_attempts, "maxAttempts", 1..=20)?,
            base_delay_ms: bounded(retry.base_delay_ms, defaults.base_delay_ms, "baseDelayMs", 1..=60_000)?,
            max_delay_ms: bounded(retry.max_delay_ms, defaults.max_delay_ms, "maxDelayMs", 1..=300_000)?,
            max_retry_after_ms: bounded(retry.max_retry_after_ms, defaults.max_retry_after_ms, "maxRetryAfterMs", 0..=600_000)?,
            attempt_timeout_ms: bounded(retry.attempt_timeout_ms, defaults.attempt_timeout_ms, "attemptTimeoutMs", 100..=120_000)?,
        };
        let session = self.session.as_deref().map(|text| SessionToken::parse(text).ok_or(ConfigError::Session)).transpose()?;
        let hms_rules = self.hms_rules.clone().unwrap_or_default();
        hms_rules.validate()?;
        Ok(CaptureSettings { registry_url: RegistryUrl::parse(&self.registry_url)?, retry_policy, session, hms_rules })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_options_mean_same_origin_and_the_default_policy() {
        let settings = CaptureOptions::default().validate().unwrap();
        assert_eq!(settings.registry_url.endpoint("/v1/health"), "/v1/health");
        assert_eq!(settings.retry_policy, RetryPolicy::default());
    }

    #[test]
    fn unknown_option_names_are_refused_so_typos_surface() {
        assert!(serde_json::from_str::<CaptureOptions>(r#"{"registryURL":"https://x.example"}"#).is_err());
        assert!(serde_json::from_str::<CaptureOptions>(r#"{"retry":{"maxAttempt":3}}"#).is_err());
    }

    #[test]
    fn retry_overrides_are_bounded() {
        let options: CaptureOptions = serde_json::from_str(r#"{"retry":{"maxAttempts":3,"baseDelayMs":10}}"#).unwrap();
        let policy = options.validate().unwrap().retry_policy;
        assert_eq!((policy.max_attempts, policy.base_delay_ms), (3, 10));
        let options: CaptureOptions = serde_json::from_str(r#"{"retry":{"maxAttempts":0}}"#).unwrap();
        assert_eq!(options.validate(), Err(ConfigError::RetryOutOfRange("maxAttempts")));
    }

    #[test]
    fn a_session_token_is_checked_for_its_form() {
        let options: CaptureOptions = serde_json::from_str(r#"{"session":"idc_ses_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}"#).unwrap();
        assert!(options.validate().unwrap().session.is_some());
        let wrong: CaptureOptions = serde_json::from_str(r#"{"session":"not-a-token"}"#).unwrap();
        assert_eq!(wrong.validate().unwrap_err(), ConfigError::Session);
        assert!(serde_json::from_str::<CaptureOptions>(r#"{"vipps":{}}"#).is_err(), "the registry holds the Vipps client now");
    }

    #[test]
    fn an_insecure_registry_url_is_a_config_error() {
        let options: CaptureOptions = serde_json::from_str(r#"{"registryUrl":"http://registry.example"}"#).unwrap();
        assert_eq!(options.validate().unwrap_err().code(), ErrorCode::InvalidConfig);
    }
}
