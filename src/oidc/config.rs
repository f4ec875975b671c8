//! What the embedding page tells the module about its Vipps client, checked
//! once so the rest of the flow can trust it.

use serde::Deserialize;

use super::discovery::ProviderMetadata;
use super::error::OidcError;
use super::url::UrlParts;

/// Vipps Login scopes for name and date of birth (the claim is `birthdate`).
pub const DEFAULT_SCOPES: &str = "openid name birthDate";
/// Vipps issuers end like this; the authorization endpoint is `oauth2/auth` below it.
const VIPPS_ISSUER_SUFFIX: &str = "/access/";
const MAX_CLIENT_ID_CHARS: usize = 200;
const MAX_URL_CHARS: usize = 2048;

/// The page's settings, as JavaScript passes them (`vipps: { clientId, issuer, redirectUri }`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VippsOptions {
    pub client_id: String,
    pub issuer: String,
    pub redirect_uri: String,
    /// When absent: from discovery, or `{issuer}oauth2/auth` for a Vipps issuer.
    #[serde(default)]
    pub authorization_endpoint: Option<String>,
    /// Space-separated; defaults to `DEFAULT_SCOPES`.
    #[serde(default)]
    pub scopes: Option<String>,
    /// e.g. `automatic_return_from_vipps_app`.
    #[serde(default)]
    pub requested_flow: Option<String>,
}

/// Validated configuration. Built only by `VippsConfig::new`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VippsConfig {
    client_id: String,
    issuer: String,
    authorization_endpoint: String,
    redirect_uri: String,
    scopes: String,
    requested_flow: Option<String>,
    /// RFC 9207: the provider promised to send `iss`, so a response without it is refused.
    issuer_parameter_required: bool,
}

impl VippsConfig {
    pub fn new(options: VippsOptions) -> Result<VippsConfig, OidcError> {
        let client_id = options.client_id;
        if client_id.trim().is_empty() || client_id.chars().count() > MAX_CLIENT_ID_CHARS || client_id.chars().any(char::is_control) {
            return Err(OidcError::InvalidConfig("clientId must be 1 to 200 characters without control characters"));
        }
        let issuer = options.issuer;
        let issuer_parts = check_url(&issuer, "issuer")?;
        if issuer_parts.query.is_some() {
            return Err(OidcError::InvalidConfig("issuer must not have a query"));
        }
        let authorization_endpoint = match options.authorization_endpoint {
            Some(endpoint) => endpoint,
            None if issuer.ends_with(VIPPS_ISSUER_SUFFIX) => format!("{issuer}oauth2/auth"),
            None => {
                return Err(OidcError::InvalidConfig(
                    "authorizationEndpoint is required unless the issuer is a Vipps issuer ending in /access/ or discovery is used",
                ))
            }
        };
        check_url(&authorization_endpoint, "authorizationEndpoint")?;
        let redirect_uri = options.redirect_uri;
        check_url(&redirect_uri, "redirectUri")?;
        let scopes = options.scopes.unwrap_or_else(|| DEFAULT_SCOPES.to_owned());
        let scope_tokens_valid = scopes.split(' ').all(|token| !token.is_empty() && token.bytes().all(is_scope_byte));
        if !scope_tokens_valid || !scopes.split(' ').any(|token| token == "openid") {
            return Err(OidcError::InvalidConfig("scopes must be single-space-separated scope tokens including openid"));
        }
        let requested_flow = options.requested_flow;
        if let Some(flow) = &requested_flow {
            if flow.is_empty() || flow.len() > 100 || !flow.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
                return Err(OidcError::InvalidConfig("requestedFlow must be a lowercase token such as automatic_return_from_vipps_app"));
            }
        }
        Ok(VippsConfig {
            client_id,
            issuer,
            authorization_endpoint,
            redirect_uri,
            scopes,
            requested_flow,
            issuer_parameter_required: false,
        })
    }

    /// Takes the authorization endpoint and the RFC 9207 promise from the
    /// provider's discovery document, after checking it describes our issuer
    /// (OpenID Connect Discovery §4.3).
    pub fn with_discovery(mut self, metadata: &ProviderMetadata) -> Result<VippsConfig, OidcError> {
        if metadata.issuer != self.issuer {
            return Err(OidcError::InvalidConfig("the discovery document names another issuer"));
        }
        check_url(&metadata.authorization_endpoint, "authorization_endpoint of the discovery document")?;
        self.authorization_endpoint = metadata.authorization_endpoint.clone();
        self.issuer_parameter_required = metadata.authorization_response_iss_parameter_supported;
        Ok(self)
    }

    pub fn client_id(&self) -> &str {
        &self.client_id
    }
    pub fn issuer(&self) -> &str {
        &self.issuer
    }
    pub fn authorization_endpoint(&self) -> &str {
        &self.authorization_endpoint
    }
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }
    pub fn scopes(&self) -> &str {
        &self.scopes
    }
    pub fn requested_flow(&self) -> Option<&str> {
        self.requested_flow.as_deref()
    }
    pub fn issuer_parameter_required(&self) -> bool {
        self.issuer_parameter_required
    }
}

/// RFC 6749 §3.3 scope-token characters.
fn is_scope_byte(byte: u8) -> bool {
    matches!(byte, 0x21 | 0x23..=0x5b | 0x5d..=0x7e)
}

/// https (or http on loopback), a host, no userinfo, no fragment.
fn check_url<'a>(url: &'a str, field: &'static str) -> Result<UrlParts<'a>, OidcError> {
    let invalid = || OidcError::InvalidConfig(field_message(field));
    if url.len() > MAX_URL_CHARS {
        return Err(invalid());
    }
    let parts = UrlParts::parse(url).ok_or_else(invalid)?;
    let scheme = parts.scheme.to_ascii_lowercase();
    let transport_ok = scheme == "https" || (scheme == "http" && parts.is_loopback());
    if !transport_ok || parts.has_userinfo() || parts.fragment.is_some() {
        return Err(invalid());
    }
    Ok(parts)
}

fn field_message(field: &'static str) -> &'static str {
    match field {
        "issuer" => "issuer must be an https URL (http only on localhost) without userinfo or fragment",
        "authorizationEndpoint" => "authorizationEndpoint must be an https URL (http only on localhost) without userinfo or fragment",
        "redirectUri" => "redirectUri must be an https URL (http only on localhost) without userinfo or fragment",
        _ => "the discovery document's authorization_endpoint must be an https URL without userinfo or fragment",
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn vipps_test_options() -> VippsOptions {
        VippsOptions {
            client_id: "id-capture-test".into(),
            issuer: "https://apitest.vipps.no/access-management-1.0/access/".into(),
            redirect_uri: "https://portal.example.no/vipps/callback".into(),
            ..VippsOptions::default()
        }
    }

    fn invalid(options: VippsOptions) -> bool {
        matches!(VippsConfig::new(options), Err(OidcError::InvalidConfig(_)))
    }

    #[test]
    fn vipps_issuer_gives_the_authorization_endpoint_and_default_scopes() {
        let config = VippsConfig::new(vipps_test_options()).unwrap();
        assert_eq!(config.authorization_endpoint(), "https://apitest.vipps.no/access-management-1.0/access/oauth2/auth");
        assert_eq!(config.scopes(), "openid name birthDate");
        assert!(!config.issuer_parameter_required());
    }

    #[test]
    fn options_parse_from_the_javascript_shape() {
        let json = r#"{"clientId":"c","issuer":"http://127.0.0.1:9000/access/","redirectUri":"http://localhost:8080/","requestedFlow":"automatic_return_from_vipps_app"}"#;
        let options: VippsOptions = serde_json::from_str(json).unwrap();
        let config = VippsConfig::new(options).unwrap();
        assert_eq!(config.requested_flow(), Some("automatic_return_from_vipps_app"));
        assert!(serde_json::from_str::<VippsOptions>(r#"{"clientId":"c","issuer":"i","redirectUri":"r","clientSecret":"s"}"#).is_err());
    }

    #[test]
    fn plain_http_is_refused_except_on_loopback() {
        assert!(invalid(VippsOptions { redirect_uri: "http://portal.example.no/cb".into(), ..vipps_test_options() }));
        assert!(invalid(VippsOptions { issuer: "http://vipps.example.no/access/".into(), ..vipps_test_options() }));
        for redirect in ["http://localhost:8080/cb", "http://127.0.0.1/cb", "http://[::1]:5/cb"] {
            assert!(VippsConfig::new(VippsOptions { redirect_uri: redirect.into(), ..vipps_test_options() }).is_ok(), "{redirect}");
        }
        assert!(invalid(VippsOptions { redirect_uri: "ftp://portal.example.no/cb".into(), ..vipps_test_options() }));
    }

    #[test]
    fn fragments_userinfo_and_relative_urls_are_refused() {
        assert!(invalid(VippsOptions { redirect_uri: "https://portal.example.no/cb#x".into(), ..vipps_test_options() }));
        assert!(invalid(VippsOptions { redirect_uri: "https://user:pw@portal.example.no/cb".into(), ..vipps_test_options() }));
        assert!(invalid(VippsOptions { redirect_uri: "/cb".into(), ..vipps_test_options() }));
        assert!(invalid(VippsOptions { issuer: "https://vipps.example.no/access/?x=1".into(), ..vipps_test_options() }));
    }

    #[test]
    fn client_id_scopes_and_flow_are_checked() {
        assert!(invalid(VippsOptions { client_id: " ".into(), ..vipps_test_options() }));
        assert!(invalid(VippsOptions { scopes: Some("name birthDate".into()), ..vipps_test_options() }));
        assert!(invalid(VippsOptions { scopes: Some("openid  name".into()), ..vipps_test_options() }));
        assert!(invalid(VippsOptions { scopes: Some("openid \"x\\".into()), ..vipps_test_options() }));
        assert!(invalid(VippsOptions { requested_flow: Some("x&y=1".into()), ..vipps_test_options() }));
    }

    #[test]
    fn a_generic_issuer_needs_an_explicit_endpoint_or_discovery() {
        let generic = VippsOptions { issuer: "https://idp.example.no".into(), ..vipps_test_options() };
        assert!(invalid(generic.clone()));
        let explicit = VippsOptions { authorization_endpoint: Some("https://idp.example.no/authorize".into()), ..generic };
        assert_eq!(VippsConfig::new(explicit).unwrap().authorization_endpoint(), "https://idp.example.no/authorize");
    }
}
