//! Starting a login: fresh `state`, `nonce` and PKCE verifier, and the URL to send the user to.

use super::base64url;
use super::config::VippsConfig;
use super::error::OidcError;
use super::pkce::code_challenge_s256;
use super::stored_flow::StoredFlow;
use super::url::encode_component;

/// 32 bytes each for `state`, `nonce` and the PKCE verifier.
pub const RANDOM_BYTES_NEEDED: usize = 96;

/// What `start` produces: where to navigate, and what to store first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartedFlow {
    pub authorization_url: String,
    pub stored_flow: StoredFlow,
}

/// `random` must come from a CSPRNG (`crypto.getRandomValues`), at least
/// `RANDOM_BYTES_NEEDED` bytes; extra bytes are ignored.
pub fn start(config: &VippsConfig, random: &[u8], now_unix_ms: u64) -> Result<StartedFlow, OidcError> {
    let (Some(state_bytes), Some(nonce_bytes), Some(verifier_bytes)) = (random.get(0..32), random.get(32..64), random.get(64..96)) else {
        return Err(OidcError::NotEnoughRandomness { got: random.len(), needed: RANDOM_BYTES_NEEDED });
    };
    let stored_flow = StoredFlow {
        state: base64url::encode(state_bytes),
        nonce: base64url::encode(nonce_bytes),
        // 32 bytes → 43 characters, the RFC 7636 minimum length and recommended entropy.
        code_verifier: base64url::encode(verifier_bytes),
        redirect_uri: config.redirect_uri().to_owned(),
        created_at_ms: now_unix_ms,
    };
    let code_challenge = code_challenge_s256(&stored_flow.code_verifier);

    let endpoint = config.authorization_endpoint();
    let mut url = String::with_capacity(endpoint.len() + 512);
    url.push_str(endpoint);
    let mut separator = if endpoint.contains('?') { '&' } else { '?' };
    let mut parameters = vec![
        ("response_type", "code"),
        ("client_id", config.client_id()),
        ("redirect_uri", config.redirect_uri()),
        ("scope", config.scopes()),
        ("state", stored_flow.state.as_str()),
        ("nonce", stored_flow.nonce.as_str()),
        ("code_challenge", code_challenge.as_str()),
        // Vipps defaults to `plain`: always say S256.
        ("code_challenge_method", "S256"),
    ];
    if let Some(flow) = config.requested_flow() {
        parameters.push(("requested_flow", flow));
    }
    for (name, value) in parameters {
        url.push(separator);
        url.push_str(name);
        url.push('=');
        encode_component(value, &mut url);
        separator = '&';
    }
    Ok(StartedFlow { authorization_url: url, stored_flow })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oidc::config::tests::vipps_test_options;
    use crate::oidc::{VippsOptions, STORED_FLOW_KEY};

    fn random_bytes() -> Vec<u8> {
        (0..96u8).collect()
    }

    fn query_parameters(url: &str) -> Vec<(String, String)> {
        let query = url.split_once('?').unwrap().1;
        query
            .split('&')
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap();
                (name.to_owned(), crate::oidc::url::decode_component(value).unwrap())
            })
            .collect()
    }

    #[test]
    fn authorization_url_carries_every_parameter_with_s256() {
        let config = VippsConfig::new(vipps_test_options()).unwrap();
        let started = start(&config, &random_bytes(), 1_763_881_200_000).unwrap();
        assert!(started.authorization_url.starts_with("https://apitest.vipps.no/access-management-1.0/access/oauth2/auth?"));
        let parameters = query_parameters(&started.authorization_url);
        let value = |name: &str| parameters.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
        assert_eq!(value("response_type").as_deref(), Some("code"));
        assert_eq!(value("client_id").as_deref(), Some("id-capture-test"));
        assert_eq!(value("redirect_uri").as_deref(), Some("https://portal.example.no/vipps/callback"));
        assert_eq!(value("scope").as_deref(), Some("openid name birthDate"));
        assert_eq!(value("code_challenge_method").as_deref(), Some("S256"));
        assert_eq!(value("state"), Some(started.stored_flow.state.clone()));
        assert_eq!(value("nonce"), Some(started.stored_flow.nonce.clone()));
        assert_eq!(value("code_challenge"), Some(code_challenge_s256(&started.stored_flow.code_verifier)));
        assert_eq!(value("requested_flow"), None);
        assert_eq!(parameters.len(), 8);
        // The verifier itself never goes to the provider.
        assert!(!started.authorization_url.contains(&started.stored_flow.code_verifier));
        assert!(started.authorization_url.contains("scope=openid%20name%20birthDate"));
        assert!(started.authorization_url.contains("redirect_uri=https%3A%2F%2Fportal.example.no%2Fvipps%2Fcallback"));
        assert!(!STORED_FLOW_KEY.is_empty());
    }

    #[test]
    fn state_nonce_and_verifier_are_distinct_43_character_base64url_values() {
        let config = VippsConfig::new(vipps_test_options()).unwrap();
        let stored = start(&config, &random_bytes(), 5).unwrap().stored_flow;
        for value in [&stored.state, &stored.nonce, &stored.code_verifier] {
            assert_eq!(value.len(), 43);
            assert!(base64url::is_base64url(value));
        }
        assert_ne!(stored.state, stored.nonce);
        assert_ne!(stored.nonce, stored.code_verifier);
        assert_eq!(stored.state, base64url::encode(&random_bytes()[0..32]));
        assert_eq!(stored.created_at_ms, 5);
        assert_eq!(stored.redirect_uri, config.redirect_uri());
    }

    #[test]
    fn requested_flow_is_sent_when_configured() {
        let options = VippsOptions { requested_flow: Some("automatic_return_from_vipps_app".into()), ..vipps_test_options() };
        let config = VippsConfig::new(options).unwrap();
        let url = start(&config, &random_bytes(), 0).unwrap().authorization_url;
        assert!(url.ends_with("&requested_flow=automatic_return_from_vipps_app"));
    }

    #[test]
    fn an_endpoint_with_a_query_gets_parameters_appended() {
        let options = VippsOptions { authorization_endpoint: Some("https://idp.example.no/auth?tenant=a".into()), ..vipps_test_options() };
        let url = start(&VippsConfig::new(options).unwrap(), &random_bytes(), 0).unwrap().authorization_url;
        assert!(url.starts_with("https://idp.example.no/auth?tenant=a&response_type=code&"));
    }

    #[test]
    fn too_few_random_bytes_is_refused() {
        let config = VippsConfig::new(vipps_test_options()).unwrap();
        assert_eq!(start(&config, &[0u8; 95], 0), Err(OidcError::NotEnoughRandomness { got: 95, needed: 96 }));
    }
}
