//! The code exchange and every check on what comes back, with the
//! `openidconnect` crate doing discovery, JWKS signature and claim checks.

use std::time::Duration;

use id_capture::person::Person;
use id_capture::registry::payloads::{is_bounded_text, MAX_OIDC_VALUE_CHARS};
use id_capture::registry::{ProblemKind, VippsRequest};
use openidconnect::core::{CoreClient, CoreProviderMetadata, CoreUserInfoClaims};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClientId, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeVerifier, RedirectUrl, TokenResponse,
};

use super::person_claims::person_from_claims;
use super::settings::VippsSettings;
use crate::problem_response::ApiProblem;

/// How far in the future an ID token's `iat` may be (clock differences).
const IAT_FUTURE_SKEW_SECONDS: i64 = 60;
/// An ID token issued longer ago than this is not from the login just completed
/// (the browser side gives a login 10 minutes).
const IAT_MAX_AGE_SECONDS: i64 = 10 * 60;
const HTTP_TIMEOUT: Duration = Duration::from_secs(10);

/// Why an exchange failed. Messages are fixed texts: never a token, a code,
/// the secret, or what the provider said.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VippsExchangeError {
    /// A request field is empty, too long, or the redirect URI is not one we registered.
    #[error("{0}")]
    InvalidRequest(&'static str),
    /// Discovery, token endpoint or userinfo unreachable, refused, or unusable.
    #[error("{0}")]
    ExchangeFailed(&'static str),
    /// The ID token (or the userinfo that must match it) failed a check.
    #[error("{0}")]
    InvalidToken(&'static str),
}

impl From<VippsExchangeError> for ApiProblem {
    fn from(error: VippsExchangeError) -> ApiProblem {
        let kind = match error {
            VippsExchangeError::InvalidRequest(_) => ProblemKind::InvalidRequest,
            VippsExchangeError::ExchangeFailed(_) => ProblemKind::VippsExchangeFailed,
            VippsExchangeError::InvalidToken(_) => ProblemKind::VippsInvalidToken,
        };
        ApiProblem::with_detail(kind, error.to_string())
    }
}

/// One configured Vipps client. Discovery and JWKS are fetched per exchange,
/// so provider key rotation and restarts need no registry restart.
pub struct VippsExchange {
    settings: VippsSettings,
    http: reqwest::Client,
}

impl std::fmt::Debug for VippsExchange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VippsExchange").field("settings", &self.settings).finish_non_exhaustive()
    }
}

impl VippsExchange {
    pub fn new(settings: VippsSettings) -> Result<VippsExchange, String> {
        IssuerUrl::new(settings.issuer.clone()).map_err(|_| "the Vipps issuer is not a URL".to_owned())?;
        let http = reqwest::Client::builder()
            // Following redirects from the provider's endpoints would let them send us anywhere (SSRF).
            .redirect(reqwest::redirect::Policy::none())
            .timeout(HTTP_TIMEOUT)
            .build()
            .map_err(|_| "cannot build the HTTP client".to_owned())?;
        Ok(VippsExchange { settings, http })
    }

    pub fn settings(&self) -> &VippsSettings {
        &self.settings
    }

    /// Exchanges the code and returns the person from userinfo. `now_unix_seconds`
    /// is the registry's clock, used for `exp` and `iat`.
    pub async fn exchange(&self, request: &VippsRequest, now_unix_seconds: i64) -> Result<Person, VippsExchangeError> {
        use VippsExchangeError::{ExchangeFailed, InvalidRequest, InvalidToken};

        for value in [&request.code, &request.code_verifier, &request.redirect_uri, &request.nonce] {
            if !is_bounded_text(value, MAX_OIDC_VALUE_CHARS) {
                return Err(InvalidRequest("code, code_verifier, redirect_uri and nonce must be non-empty, bounded and without control characters"));
            }
        }
        if !self.settings.allowed_redirect_uris.contains(&request.redirect_uri) {
            return Err(InvalidRequest("redirect_uri is not one this registry is configured for"));
        }
        let redirect_url = RedirectUrl::new(request.redirect_uri.clone()).map_err(|_| InvalidRequest("redirect_uri is not a URL"))?;
        let issuer = IssuerUrl::new(self.settings.issuer.clone()).map_err(|_| ExchangeFailed("the configured issuer is not a URL"))?;

        // Discovery also checks that the document names exactly our issuer.
        let metadata = CoreProviderMetadata::discover_async(issuer, &self.http)
            .await
            .map_err(|_| ExchangeFailed("the provider's discovery document or keys could not be fetched"))?;
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.settings.client_id.clone()),
            Some(openidconnect::ClientSecret::new(self.settings.client_secret.expose().to_owned())),
        )
        .set_redirect_uri(redirect_url);

        let token_response = client
            .exchange_code(AuthorizationCode::new(request.code.clone()))
            .map_err(|_| ExchangeFailed("the provider has no token endpoint"))?
            .set_pkce_verifier(PkceCodeVerifier::new(request.code_verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(|_| ExchangeFailed("the token endpoint was unreachable or refused the code"))?;

        let id_token = token_response.id_token().ok_or(InvalidToken("the token response has no ID token"))?;
        let now = chrono::DateTime::from_timestamp(now_unix_seconds, 0).ok_or(ExchangeFailed("the registry clock is out of range"))?;
        let verifier = client
            .id_token_verifier()
            .set_time_fn(move || now)
            .set_issue_time_verifier_fn(move |issued_at| {
                let age = now.signed_duration_since(issued_at).num_seconds();
                if age < -IAT_FUTURE_SKEW_SECONDS {
                    Err("issued in the future".to_owned())
                } else if age > IAT_MAX_AGE_SECONDS {
                    Err("issued too long ago".to_owned())
                } else {
                    Ok(())
                }
            });
        // Signature (JWKS, RS256), iss, aud, exp, iat and nonce.
        let claims = id_token
            .claims(&verifier, &Nonce::new(request.nonce.clone()))
            .map_err(|_| InvalidToken("the ID token failed signature, issuer, audience, time or nonce checks"))?;
        if let Some(expected_hash) = claims.access_token_hash() {
            let algorithm = id_token.signing_alg().map_err(|_| InvalidToken("the ID token's algorithm is not supported"))?;
            let key = id_token.signing_key(&verifier).map_err(|_| InvalidToken("the ID token's key is not in the provider's JWKS"))?;
            let actual_hash = AccessTokenHash::from_token(token_response.access_token(), algorithm, key)
                .map_err(|_| InvalidToken("the access token hash cannot be computed"))?;
            if actual_hash != *expected_hash {
                return Err(InvalidToken("the access token does not belong to the ID token (at_hash)"));
            }
        }

        // Userinfo must be about the same subject as the ID token (token substitution).
        let userinfo: CoreUserInfoClaims = client
            .user_info(token_response.access_token().clone(), Some(claims.subject().clone()))
            .map_err(|_| ExchangeFailed("the provider has no userinfo endpoint"))?
            .request_async(&self.http)
            .await
            .map_err(|error| match error {
                openidconnect::UserInfoError::ClaimsVerification(_) => InvalidToken("userinfo is about another subject than the ID token"),
                _ => ExchangeFailed("userinfo was unreachable, refused or unreadable"),
            })?;

        let given_name = userinfo.given_name().and_then(|claim| claim.get(None)).map(|name| name.as_str());
        let family_name = userinfo.family_name().and_then(|claim| claim.get(None)).map(|name| name.as_str());
        let name = userinfo.name().and_then(|claim| claim.get(None)).map(|name| name.as_str());
        let birthdate = userinfo.birthdate().map(|date| date.as_str());
        person_from_claims(given_name, family_name, name, birthdate)
            .ok_or(ExchangeFailed("the provider released no full name and YYYY-MM-DD birthdate (scopes name and birthDate)"))
    }
}
