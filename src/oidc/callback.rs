//! Returning from Vipps, in whatever tab or browser the app opened: decide
//! whether the page's URL is a callback, read its response parameters
//! strictly, and hand them to the registry, which holds the login (state,
//! nonce, PKCE verifier) and judges them. Nothing secret is kept in the browser.

use super::error::{OidcError, ProviderErrorCode};
use crate::url::{decode_component, UrlParts};
use crate::registry::payloads::{VippsCallbackRequest, MAX_OIDC_VALUE_CHARS};

/// Longer callback URLs are refused unread.
pub const MAX_CALLBACK_URL_CHARS: usize = 8192;
const MAX_QUERY_PARAMETERS: usize = 64;
/// Parameters whose presence makes a URL a callback.
const CALLBACK_MARKERS: [&str; 3] = ["code", "state", "error"];
/// Authorization response parameters: each may appear once, and all leave the address bar.
const RESPONSE_PARAMETERS: [&str; 8] = ["code", "state", "iss", "error", "error_description", "error_uri", "scope", "session_state"];

/// A callback read from the address bar: what goes to the registry, and the
/// address to show instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callback {
    /// `{state, code?, iss?, error?}` for `POST /v2/vipps/callbacks`.
    pub request: VippsCallbackRequest,
    /// The callback URL without the response parameters, fragment kept, for `history.replaceState`.
    pub cleaned_url: String,
}

impl Callback {
    /// What the provider's `error` means for the user, once the registry has
    /// recorded it (so a waiting starting tab learns "cancelled" too).
    pub fn provider_error(&self) -> Option<OidcError> {
        self.request.error.as_deref().map(|error| match error {
            "access_denied" => OidcError::Cancelled,
            other => OidcError::ProviderError(ProviderErrorCode::from_parameter(other)),
        })
    }
}

/// True when the URL carries `code`, `state` or `error`: only then is it read.
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

/// Reads a callback. `Ok(None)`: the URL is not a callback at all. Without a
/// `state` nothing can be matched to a login, so nothing is sent; a response
/// without `code` and without `error` is refused here too. Everything else
/// (which login, replay, expiry, issuer) is the registry's to judge.
pub fn read_callback(callback_url: &str) -> Result<Option<Callback>, OidcError> {
    if !looks_like_callback(callback_url) {
        return Ok(None);
    }
    if callback_url.len() > MAX_CALLBACK_URL_CHARS {
        return Err(OidcError::CallbackInvalid("the callback URL is too long"));
    }
    let parts = UrlParts::parse(callback_url).ok_or(OidcError::CallbackInvalid("not an absolute URL"))?;
    let response = ResponseParameters::parse(parts.query)?;
    let state = response.state.filter(|state| !state.is_empty()).ok_or(OidcError::StateMissing)?;
    let error = response.error.filter(|error| !error.is_empty());
    let code = response.code.filter(|code| !code.is_empty());
    if code.is_none() && error.is_none() {
        return Err(OidcError::CodeMissing);
    }
    // With an error, the code (if any) is not passed on: the login ended.
    let code = if error.is_some() { None } else { code };
    Ok(Some(Callback {
        request: VippsCallbackRequest { state, code, iss: response.iss.filter(|iss| !iss.is_empty()), error },
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
    use crate::error::{Coded as _, ErrorCode};

    const ISSUER_ESCAPED: &str = "https%3A%2F%2Fapitest.vipps.no%2Faccess-management-1.0%2Faccess%2F";

    fn callback(query: &str) -> String {
        format!("https://portal.example.no/vipps/callback?{query}")
    }

    fn error_of(url: &str) -> OidcError {
        read_callback(url).unwrap_err()
    }

    #[test]
    fn a_url_without_code_state_or_error_is_not_a_callback() {
        assert_eq!(read_callback("https://portal.example.no/?lang=nb#x"), Ok(None));
        assert!(!looks_like_callback("not a url"));
    }

    #[test]
    fn a_callback_yields_the_registry_request_and_a_clean_url() {
        let url = format!("{}#section", callback(&format!("lang=nb&code=abc-123.xyz&state=s-1&iss={ISSUER_ESCAPED}&scope=openid%20name")));
        let read = read_callback(&url).unwrap().unwrap();
        assert_eq!(
            read.request,
            VippsCallbackRequest {
                state: "s-1".into(),
                code: Some("abc-123.xyz".into()),
                iss: Some("https://apitest.vipps.no/access-management-1.0/access/".into()),
                error: None
            }
        );
        assert_eq!(read.cleaned_url, "https://portal.example.no/vipps/callback?lang=nb#section");
        assert_eq!(read.provider_error(), None);
    }

    #[test]
    fn access_denied_is_a_cancellation_that_still_names_its_login() {
        let read = read_callback(&callback("error=access_denied&error_description=User%20said%20no&state=s-1")).unwrap().unwrap();
        assert_eq!(read.request.state, "s-1");
        assert_eq!(read.request.error.as_deref(), Some("access_denied"));
        assert_eq!(read.provider_error(), Some(OidcError::Cancelled));
        assert_eq!(read.provider_error().unwrap().code(), ErrorCode::VippsCancelled);
    }

    #[test]
    fn provider_errors_map_to_a_known_list_and_never_echo_the_description() {
        let read = read_callback(&callback("error=server_error&error_description=%3Cscript%3E&state=s")).unwrap().unwrap();
        let error = read.provider_error().unwrap();
        assert_eq!(error, OidcError::ProviderError(ProviderErrorCode::ServerError));
        assert!(!error.to_string().contains("script"));
        let odd = read_callback(&callback("error=made_up&state=s")).unwrap().unwrap();
        assert_eq!(odd.provider_error(), Some(OidcError::ProviderError(ProviderErrorCode::Other)));
        let with_code = read_callback(&callback("error=access_denied&code=c&state=s")).unwrap().unwrap();
        assert_eq!(with_code.request.code, None, "a code beside an error is not passed on");
    }

    #[test]
    fn missing_or_empty_state_or_code_is_refused_before_anything_is_sent() {
        assert_eq!(error_of(&callback("code=abc")), OidcError::StateMissing);
        assert_eq!(error_of(&callback("code=abc&state=")), OidcError::StateMissing);
        assert_eq!(error_of(&callback("state=s")), OidcError::CodeMissing);
        assert_eq!(error_of(&callback("state=s&code=")), OidcError::CodeMissing);
    }

    #[test]
    fn duplicated_response_parameters_are_refused() {
        assert!(matches!(error_of(&callback("code=a&state=s&state=t")), OidcError::CallbackInvalid(_)));
        assert!(matches!(error_of(&callback("code=a&code=b&state=s")), OidcError::CallbackInvalid(_)));
        assert!(matches!(error_of(&callback("code=a&state=s&st%61te=t")), OidcError::CallbackInvalid(_)));
    }

    #[test]
    fn oversized_values_urls_and_parameter_floods_are_refused() {
        let long = "a".repeat(MAX_OIDC_VALUE_CHARS + 1);
        assert!(matches!(error_of(&callback(&format!("code={long}&state=s"))), OidcError::CallbackInvalid(_)));
        let huge = callback(&format!("x={}&code=a&state=s", "b".repeat(MAX_CALLBACK_URL_CHARS)));
        assert!(matches!(error_of(&huge), OidcError::CallbackInvalid(_)));
        let flood: String = (0..100).map(|index| format!("p{index}=1&")).collect();
        assert!(matches!(error_of(&callback(&format!("{flood}code=a&state=s"))), OidcError::CallbackInvalid(_)));
        assert!(matches!(error_of(&callback("code=a%00b&state=s")), OidcError::CallbackInvalid(_)));
        assert!(matches!(error_of(&callback("code=%FF&state=s")), OidcError::CallbackInvalid(_)));
    }

    #[test]
    fn cleaning_removes_every_response_parameter_and_keeps_the_rest() {
        let url = callback("lang=nb&code=c&state=s&iss=i&scope=openid&session_state=x&error_uri=u&keep=1#top");
        assert_eq!(cleaned_callback_url(&url), "https://portal.example.no/vipps/callback?lang=nb&keep=1#top");
        assert_eq!(cleaned_callback_url(&callback("code=c&state=s")), "https://portal.example.no/vipps/callback");
    }

    #[test]
    fn error_messages_never_contain_callback_values() {
        for url in [callback("code=SECRETCODE&state=SECRETSTATE&state=x"), callback("code=SECRETCODE%00&state=SECRETSTATE")] {
            let message = error_of(&url).to_string();
            assert!(!message.contains("SECRET"), "{message}");
        }
    }
}
