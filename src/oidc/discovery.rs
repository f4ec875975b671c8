//! The few fields of an OpenID provider's discovery document the browser needs.

use serde::Deserialize;

use super::error::OidcError;

/// From `{issuer}/.well-known/openid-configuration`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ProviderMetadata {
    pub issuer: String,
    pub authorization_endpoint: String,
    /// RFC 9207: when true, every authorization response carries `iss`.
    #[serde(default)]
    pub authorization_response_iss_parameter_supported: bool,
}

impl ProviderMetadata {
    /// Parses the discovery JSON; other members are ignored.
    pub fn from_json(json: &str) -> Result<ProviderMetadata, OidcError> {
        serde_json::from_str(json).map_err(|_| OidcError::InvalidConfig("the discovery document is not valid JSON with issuer and authorization_endpoint"))
    }
}

/// Where the discovery document of an issuer lives (OpenID Connect Discovery §4).
pub fn discovery_url(issuer: &str) -> String {
    format!("{}/.well-known/openid-configuration", issuer.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oidc::config::tests::vipps_test_options;
    use crate::oidc::{VippsConfig, VippsOptions};

    const DOCUMENT: &str = r#"{
        "issuer": "https://idp.example.no/access/",
        "authorization_endpoint": "https://idp.example.no/access/oauth2/auth",
        "token_endpoint": "https://idp.example.no/access/oauth2/token",
        "authorization_response_iss_parameter_supported": true
    }"#;

    #[test]
    fn vipps_discovery_url_keeps_the_access_path() {
        assert_eq!(
            discovery_url("https://apitest.vipps.no/access-management-1.0/access/"),
            "https://apitest.vipps.no/access-management-1.0/access/.well-known/openid-configuration"
        );
    }

    #[test]
    fn discovery_sets_endpoint_and_issuer_requirement() {
        let metadata = ProviderMetadata::from_json(DOCUMENT).unwrap();
        let options = VippsOptions { issuer: "https://idp.example.no/access/".into(), ..vipps_test_options() };
        let config = VippsConfig::new(options).unwrap().with_discovery(&metadata).unwrap();
        assert_eq!(config.authorization_endpoint(), "https://idp.example.no/access/oauth2/auth");
        assert!(config.issuer_parameter_required());
    }

    #[test]
    fn discovery_for_another_issuer_is_refused() {
        let metadata = ProviderMetadata::from_json(DOCUMENT).unwrap();
        let config = VippsConfig::new(vipps_test_options()).unwrap();
        assert_eq!(config.with_discovery(&metadata), Err(OidcError::InvalidConfig("the discovery document names another issuer")));
    }

    #[test]
    fn malformed_discovery_is_invalid_config() {
        assert!(matches!(ProviderMetadata::from_json(r#"{"issuer": 1}"#), Err(OidcError::InvalidConfig(_))));
        assert!(matches!(ProviderMetadata::from_json("<html>"), Err(OidcError::InvalidConfig(_))));
    }
}
