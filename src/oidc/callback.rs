//! Returning from the provider: decide whether the page's URL is a callback,
//! check it against the consumed stored flow, and hand out the grant the
//! registry exchanges.

use super::config::VippsConfig;
use super::constant_time;
use super::error::{OidcError, ProviderErrorCode};
use super::stored_flow::StoredFlow;
use super::url::{decode_component, UrlParts};
use crate::registry::payloads::{VippsRequest, MAX_OIDC_VALUE_CHARS};

/// Longer callback URLs are refused unread.
pub const MAX_CALLBACK_URL_CHARS: usize = 8192;
const MAX_QUERY_PARAMETERS: usize = 64;
/// Parameters whose presence makes a URL a callback.
const CALLBACK_MARKERS: [&str; 3] = ["code", "state", "error"];
/// Authorization response parameters: each may appear once, and all leave the address bar.
const RESPONSE_PARAMETERS: [&str; 8] = ["code", "state", "iss", "error", "error_description", "error_uri", "scope", "session_state"];

/// A checked callback: the registry request and the address to show instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// `{code, code_verifier, redirect_uri, nonce}` for `POST /v1/identities/vipps`.
    pub request: VippsRequest,
    /// The callback URL without the response parameters, fragment kept, for `history.replaceState`.
    pub cleaned_url: String,
}

/// True when the URL carries `code`, `state` or `error`: only then should the
/// boundary consume the stored flow and call `complete`.
pub fn looks_like_callback(url: &str) -> bool {
    let Some(parts) = UrlParts::parse(url) else {
        return false;
    };
    raw_pairs(parts.query).any(|(name, _)| decode_component(name).is_some_and(|name| CALLBACK_MARKERS.contains(&name.as_str())))
}

/// The URL without OAuth response parameters (other query parameters and the
/// fragment kept). An unparseable URL is returned unchanged.
pub fn cleaned_callback_url(url: &str) -> String {
    let Some(parts) = UrlParts::parse(url) else {
        return url.to_owned();
    };
    let kept: Vec<&str> = parts
        .query
        .unwrap_or("")
        .split('&')
        .filter(|segment| !segment.is_empty())
        .filter(|segment| {
            let raw_name = segment.split_once('=').map_or(*segment, |(name, _)| name);
            !decode_component(raw_name).is_some_and(|name| RESPONSE_PARAMETERS.contains(&name.as_str()))
        })
        .collect();
    let mut cleaned = format!("{}://{}{}", parts.scheme, parts.authority, parts.path);
    if !kept.is_empty() {
        cleaned.push('?');
        cleaned.push_str(&kept.join("&"));
    }
    if let Some(fragment) = parts.fragment {
        cleaned.push('#');
        cleaned.push_str(fragment);
    }
    cleaned
}

/// Checks a callback. `stored` must already be removed from storage by the
/// caller, whatever this returns, so the same URL can never be used twice.
/// `Ok(None)`: the URL is not a callback at all.
pub fn complete(config: &VippsConfig, callback_url: &str, stored: Option<StoredFlow>, now_unix_ms: u64) -> Result<Option<Grant>, OidcError> {
    if !looks_like_callback(callback_url) {
        return Ok(None);
    }
    if callback_url.len() > MAX_CALLBACK_URL_CHARS {
        return Err(OidcError::CallbackInvalid("the callback URL is too long"));
    }
    let parts = UrlParts::parse(callback_url).ok_or(OidcError::CallbackInvalid("not an absolute URL"))?;
    let response = ResponseParameters::parse(parts.query)?;

    if let Some(error) = &response.error {
        return Err(match error.as_str() {
            "access_denied" => OidcError::Cancelled,
            other => OidcError::ProviderError(ProviderErrorCode::from_parameter(other)),
        });
    }
    let stored = stored.ok_or(OidcError::FlowMissing)?;
    let state = response.state.as_deref().filter(|state| !state.is_empty()).ok_or(OidcError::StateMissing)?;
    if !constant_time::equal(state, &stored.state) {
        return Err(OidcError::StateMismatch);
    }
    if stored.is_expired(now_unix_ms) {
        return Err(OidcError::FlowExpired);
    }
    let redirect = UrlParts::parse(&stored.redirect_uri).ok_or(OidcError::CallbackInvalid("the stored redirect URI is not a URL"))?;
    if redirect.origin() != parts.origin() || redirect.normalised_path() != parts.normalised_path() {
        return Err(OidcError::CallbackInvalid("the callback arrived at another address than the redirect URI"));
    }
    match &response.iss {
        // RFC 9207 §2.4: simple string comparison with the configured issuer.
        Some(iss) if iss != config.issuer() => return Err(OidcError::IssuerMismatch),
        None if config.issuer_parameter_required() => return Err(OidcError::IssuerMismatch),
        _ => {}
    }
    let code = response.code.filter(|code| !code.is_empty()).ok_or(OidcError::CodeMissing)?;
    Ok(Some(Grant {
        request: VippsRequest { code, code_verifier: stored.code_verifier, redirect_uri: stored.redirect_uri, nonce: stored.nonce },
        cleaned_url: cleaned_callback_url(callback_url),
    }))
}

/// The authorization response parameters of a callback, each present at most once.
#[derive(Default)]
struct ResponseParameters {
    code: Option<String>,
    state: Option<String>,
    iss: Option<String>,
    error: Option<String>,
}

impl ResponseParameters {
    fn parse(query: Option<&str>) -> Result<ResponseParameters, OidcError> {
        let mut response = ResponseParameters::default();
        let mut seen: Vec<String> = Vec::new();
        for (index, (raw_name, raw_value)) in raw_pairs(query).enumerate() {
            if index >= MAX_QUERY_PARAMETERS {
                return Err(OidcError::CallbackInvalid("the callback has too many parameters"));
            }
            let name = decode_component(raw_name).ok_or(OidcError::CallbackInvalid("a parameter name is not valid percent-encoded UTF-8"))?;
            if !RESPONSE_PARAMETERS.contains(&name.as_str()) {
                continue;
            }
            if seen.contains(&name) {
                return Err(OidcError::CallbackInvalid("a response parameter appears twice"));
            }
            let value = decode_component(raw_value).ok_or(OidcError::CallbackInvalid("a parameter value is not valid percent-encoded UTF-8"))?;
            if value.chars().count() > MAX_OIDC_VALUE_CHARS {
                return Err(OidcError::CallbackInvalid("a response parameter is too long"));
            }
            if value.chars().any(char::is_control) {
                return Err(OidcError::CallbackInvalid("a response parameter contains control characters"));
            }
            match name.as_str() {
                "code" => response.code = Some(value),
                "state" => response.state = Some(value),
                "iss" => response.iss = Some(value),
                "error" => response.error = Some(value),
                // error_description, error_uri, scope, session_state: never shown, never used.
                _ => {}
            }
            seen.push(name);
        }
        Ok(response)
    }
}

/// `name=value` segments of a query, undecoded; a segment without `=` has an empty value.
fn raw_pairs(query: Option<&str>) -> impl Iterator<Item = (&str, &str)> {
    query
        .unwrap_or("")
        .split('&')
        .filter(|segment| !segment.is_empty())
        .map(|segment| segment.split_once('=').unwrap_or((segment, "")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oidc::config::tests::vipps_test_options;
    use crate::oidc::discovery::ProviderMetadata;
    use crate::error::Coded as _;
    use crate::oidc::{start, FLOW_LIFETIME_MS};

    const NOW: u64 = 1_763_881_200_000;
    const ISSUER_ESCAPED: &str = "https%3A%2F%2Fapitest.vipps.no%2Faccess-management-1.0%2Faccess%2F";

    fn config() -> VippsConfig {
        VippsConfig::new(vipps_test_options()).unwrap()
    }

    fn started() -> StoredFlow {
        let random: Vec<u8> = (0..96u8).map(|b| b.wrapping_mul(7)).collect();
        start(&config(), &random, NOW).unwrap().stored_flow
    }

    fn callback(query: &str) -> String {
        format!("https://portal.example.no/vipps/callback?{query}")
    }

    fn good_query(stored: &StoredFlow) -> String {
        format!("code=abc-123.xyz&state={}&iss={ISSUER_ESCAPED}&scope=openid%20name%20birthDate", stored.state)
    }

    fn error_of(url: &str, stored: Option<StoredFlow>) -> OidcError {
        complete(&config(), url, stored, NOW + 1000).unwrap_err()
    }

    #[test]
    fn a_matching_callback_yields_the_registry_request_and_a_clean_url() {
        let stored = started();
        let url = format!("{}#section", callback(&format!("lang=nb&{}", good_query(&stored))));
        let grant = complete(&config(), &url, Some(stored.clone()), NOW + 1000).unwrap().unwrap();
        assert_eq!(
            grant.request,
            VippsRequest {
                code: "abc-123.xyz".into(),
                code_verifier: stored.code_verifier,
                redirect_uri: "https://portal.example.no/vipps/callback".into(),
                nonce: stored.nonce,
            }
        );
        assert_eq!(grant.cleaned_url, "https://portal.example.no/vipps/callback?lang=nb#section");
    }

    #[test]
    fn a_url_without_code_state_or_error_is_not_a_callback() {
        for url in ["https://portal.example.no/vipps/callback", "https://portal.example.no/?lang=nb#code=x", "not a url"] {
            assert!(!looks_like_callback(url), "{url}");
            assert_eq!(complete(&config(), url, Some(started()), NOW), Ok(None), "{url}");
        }
        assert!(looks_like_callback(&callback("%63ode=x")));
    }

    #[test]
    fn access_denied_is_a_cancellation_even_without_a_stored_flow() {
        let url = callback("error=access_denied&error_description=User%20cancelled&state=x");
        assert_eq!(error_of(&url, None), OidcError::Cancelled);
        assert_eq!(error_of(&url, Some(started())).code(), crate::error::ErrorCode::VippsCancelled);
    }

    #[test]
    fn provider_errors_map_to_a_known_list_and_never_echo_the_description() {
        let cases = [
            ("server_error", ProviderErrorCode::ServerError),
            ("login_required", ProviderErrorCode::LoginRequired),
            ("outdated_app_version", ProviderErrorCode::OutdatedAppVersion),
            ("wrong_challenge", ProviderErrorCode::WrongChallenge),
            ("invalid_request", ProviderErrorCode::InvalidRequest),
            ("unauthorized_client", ProviderErrorCode::UnauthorizedClient),
            ("temporarily_unavailable", ProviderErrorCode::TemporarilyUnavailable),
            ("%3Cscript%3E", ProviderErrorCode::Other),
        ];
        for (parameter, expected) in cases {
            let url = callback(&format!("error={parameter}&error_description=Secret%20detail%20KARI&state=x"));
            let error = error_of(&url, Some(started()));
            assert_eq!(error, OidcError::ProviderError(expected));
            assert!(!error.to_string().contains("KARI"));
            assert!(!error.to_string().contains("script"));
        }
    }

    #[test]
    fn no_stored_flow_is_the_different_browser_case() {
        let stored = started();
        assert_eq!(error_of(&callback(&good_query(&stored)), None), OidcError::FlowMissing);
    }

    #[test]
    fn a_replayed_callback_finds_no_flow() {
        // The boundary consumed the flow on the first visit; the second visit passes None.
        let stored = started();
        let url = callback(&good_query(&stored));
        assert!(complete(&config(), &url, Some(stored), NOW).unwrap().is_some());
        assert_eq!(error_of(&url, None), OidcError::FlowMissing);
    }

    #[test]
    fn missing_or_empty_state_is_refused() {
        let stored = started();
        assert_eq!(error_of(&callback("code=abc"), Some(stored.clone())), OidcError::StateMissing);
        assert_eq!(error_of(&callback("code=abc&state="), Some(stored)), OidcError::StateMissing);
    }

    #[test]
    fn a_different_state_is_refused() {
        let stored = started();
        let mut other_state = stored.state.clone();
        other_state.replace_range(0..1, if other_state.starts_with('A') { "B" } else { "A" });
        assert_eq!(error_of(&callback(&format!("code=abc&state={other_state}")), Some(stored.clone())), OidcError::StateMismatch);
        let prefix = &stored.state[..10];
        assert_eq!(error_of(&callback(&format!("code=abc&state={prefix}")), Some(stored)), OidcError::StateMismatch);
    }

    #[test]
    fn a_callback_after_ten_minutes_is_expired() {
        let stored = started();
        let url = callback(&good_query(&stored));
        assert!(complete(&config(), &url, Some(stored.clone()), NOW + FLOW_LIFETIME_MS).is_ok());
        assert_eq!(complete(&config(), &url, Some(stored.clone()), NOW + FLOW_LIFETIME_MS + 1), Err(OidcError::FlowExpired));
        // A flow "created" far in the future is not trusted either.
        assert_eq!(complete(&config(), &url, Some(stored), NOW - 2 * 60 * 1000), Err(OidcError::FlowExpired));
    }

    #[test]
    fn another_issuer_is_refused() {
        let stored = started();
        let url = callback(&format!("code=abc&state={}&iss=https%3A%2F%2Fevil.example%2Faccess%2F", stored.state));
        assert_eq!(error_of(&url, Some(stored)), OidcError::IssuerMismatch);
    }

    #[test]
    fn a_missing_iss_is_refused_only_when_discovery_promised_it() {
        let stored = started();
        let url = callback(&format!("code=abc&state={}", stored.state));
        assert!(complete(&config(), &url, Some(stored.clone()), NOW).unwrap().is_some());
        let metadata = ProviderMetadata {
            issuer: config().issuer().to_owned(),
            authorization_endpoint: config().authorization_endpoint().to_owned(),
            authorization_response_iss_parameter_supported: true,
        };
        let strict = config().with_discovery(&metadata).unwrap();
        assert_eq!(complete(&strict, &url, Some(stored), NOW), Err(OidcError::IssuerMismatch));
    }

    #[test]
    fn missing_or_empty_code_is_refused() {
        let stored = started();
        assert_eq!(error_of(&callback(&format!("state={}", stored.state)), Some(stored.clone())), OidcError::CodeMissing);
        assert_eq!(error_of(&callback(&format!("code=&state={}", stored.state)), Some(stored)), OidcError::CodeMissing);
    }

    #[test]
    fn duplicated_response_parameters_are_refused() {
        let stored = started();
        let two_states = callback(&format!("code=abc&state={0}&state={0}", stored.state));
        assert!(matches!(error_of(&two_states, Some(stored.clone())), OidcError::CallbackInvalid(_)));
        let two_codes = callback(&format!("code=abc&code=def&state={}", stored.state));
        assert!(matches!(error_of(&two_codes, Some(stored.clone())), OidcError::CallbackInvalid(_)));
        let encoded_twin = callback(&format!("code=abc&%63ode=def&state={}", stored.state));
        assert!(matches!(error_of(&encoded_twin, Some(stored)), OidcError::CallbackInvalid(_)));
    }

    #[test]
    fn oversized_values_urls_and_parameter_floods_are_refused() {
        let stored = started();
        let long_code = callback(&format!("code={}&state={}", "a".repeat(MAX_OIDC_VALUE_CHARS + 1), stored.state));
        assert!(matches!(error_of(&long_code, Some(stored.clone())), OidcError::CallbackInvalid(_)));
        let long_url = callback(&format!("state={}&pad={}", stored.state, "a".repeat(MAX_CALLBACK_URL_CHARS)));
        assert!(matches!(error_of(&long_url, Some(stored.clone())), OidcError::CallbackInvalid(_)));
        let flood = callback(&format!("{}&code=a&state={}", "x=1&".repeat(70), stored.state));
        assert!(matches!(error_of(&flood, Some(stored.clone())), OidcError::CallbackInvalid(_)));
        let control = callback(&format!("code=a%00b&state={}", stored.state));
        assert!(matches!(error_of(&control, Some(stored.clone())), OidcError::CallbackInvalid(_)));
        let bad_escape = callback(&format!("code=a%zz&state={}", stored.state));
        assert!(matches!(error_of(&bad_escape, Some(stored)), OidcError::CallbackInvalid(_)));
    }

    #[test]
    fn a_callback_at_another_address_is_refused() {
        let stored = started();
        for address in ["https://evil.example.no/vipps/callback", "https://portal.example.no/other", "http://portal.example.no/vipps/callback"] {
            let url = format!("{address}?{}", good_query(&stored));
            assert!(matches!(error_of(&url, Some(stored.clone())), OidcError::CallbackInvalid(_)), "{address}");
        }
        // A browser's spelling of the same address is accepted.
        let same = format!("https://PORTAL.example.no:443/vipps/callback?{}", good_query(&stored));
        assert!(complete(&config(), &same, Some(stored), NOW).unwrap().is_some());
    }

    #[test]
    fn cleaning_removes_every_response_parameter_and_keeps_the_rest() {
        let url = "https://p.example.no/cb?a=1&code=c&state=s&iss=i&error=e&error_description=d&error_uri=u&scope=openid&session_state=x&b=2#f";
        assert_eq!(cleaned_callback_url(url), "https://p.example.no/cb?a=1&b=2#f");
        assert_eq!(cleaned_callback_url("https://p.example.no/cb?code=c&state=s"), "https://p.example.no/cb");
        assert_eq!(cleaned_callback_url("garbage"), "garbage");
    }

    #[test]
    fn error_messages_never_contain_callback_values() {
        let stored = started();
        let url = callback("code=SECRETCODE&state=SECRETSTATE");
        for error in [error_of(&url, Some(stored)), error_of(&url, None)] {
            assert!(!error.to_string().contains("SECRET"));
        }
    }
}
