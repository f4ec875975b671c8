//! The authorization URL, the code exchange and every check on what comes
//! back, with the `openidconnect` crate doing the token request, the JWKS
//! signature and claim checks, and userinfo.

use std::sync::Arc;
use std::time::Duration;

use id_capture_contract::person::Person;
use openidconnect::core::{CoreClient, CoreIdTokenVerifier, CoreJwsSigningAlgorithm, CoreUserInfoClaims};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClaimsVerificationError, ClientId, EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, Nonce,
    OAuth2TokenResponse, PkceCodeVerifier, RedirectUrl, SignatureVerificationError, TokenResponse,
};

use super::person_claims::person_from_claims;
use super::provider::{DiscoveryFailed, ProviderCache, VippsProviderMetadata};
use super::settings::VippsSettings;
use crate::problem_response::ApiProblem;
use id_capture_contract::ProblemKind;

/// How far in the future an ID token's `iat` may be (clock differences).
const IAT_FUTURE_SKEW_SECONDS: i64 = 60;
/// An ID token issued longer ago than this is not from the login just completed
/// (a login lives 10 minutes).
const IAT_MAX_AGE_SECONDS: i64 = 10 * 60;
const HTTP_TIMEOUT: Duration = Duration::from_secs(10);
/// What the registry asks Vipps for: the person's name and date of birth, nothing else.
pub const SCOPES: &str = "openid name birthDate";

/// Why an exchange failed. Messages are fixed texts: never a token, a code,
/// the secret, or what the provider said.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VippsExchangeError {
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
            VippsExchangeError::ExchangeFailed(_) => ProblemKind::VippsExchangeFailed,
            VippsExchangeError::InvalidToken(_) => ProblemKind::VippsInvalidToken,
        };
        ApiProblem::with_detail(kind, error.to_string())
    }
}

impl From<DiscoveryFailed> for VippsExchangeError {
    fn from(_: DiscoveryFailed) -> VippsExchangeError {
        VippsExchangeError::ExchangeFailed("the provider's discovery document or keys could not be fetched")
    }
}

/// The authorization request's secrets, made and kept by the registry.
pub struct AuthorizationRequest<'a> {
    pub state: &'a str,
    pub nonce: &'a str,
    pub code_challenge: &'a str,
}

/// Checks an ID token against `client`'s issuer, id and JWKS, at the registry's time `now`.
fn id_token_verifier(client: &DiscoveredClient, now: chrono::DateTime<chrono::Utc>) -> CoreIdTokenVerifier<'_> {
    client
        .id_token_verifier()
        // RS256 only, whatever discovery advertises: an HS256 token "signed" with our own client secret proves nothing.
        .set_allowed_algs([CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256])
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
        })
}

type DiscoveredClient = CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

/// One configured Vipps client, with the provider's metadata cached (see `provider.rs`).
pub struct VippsExchange {
    settings: VippsSettings,
    http: reqwest::Client,
    provider: ProviderCache,
}

impl std::fmt::Debug for VippsExchange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VippsExchange").field("settings", &self.settings).finish_non_exhaustive()
    }
}

impl VippsExchange {
    pub fn new(settings: VippsSettings) -> Result<VippsExchange, String> {
        let issuer = IssuerUrl::new(settings.issuer.clone()).map_err(|_| "the Vipps issuer is not a URL".to_owned())?;
        let redirect_uri = settings.allowed_redirect_uris.first().ok_or("no Vipps redirect URI is configured")?;
        RedirectUrl::new(redirect_uri.clone()).map_err(|_| "the Vipps redirect URI is not a URL".to_owned())?;
        let http = reqwest::Client::builder()
            // Following redirects from the provider's endpoints would let them send us anywhere (SSRF).
            .redirect(reqwest::redirect::Policy::none())
            .timeout(HTTP_TIMEOUT)
            .build()
            .map_err(|_| "cannot build the HTTP client".to_owned())?;
        let provider = ProviderCache::new(issuer, http.clone());
        Ok(VippsExchange { settings, http, provider })
    }

    /// How soon an unknown key id may cause another JWKS fetch (default a
    /// minute; tests of key rotation set zero).
    pub fn with_min_refresh_interval(mut self, interval: Duration) -> VippsExchange {
        self.provider.set_min_refresh_interval(interval);
        self
    }

    pub fn settings(&self) -> &VippsSettings {
        &self.settings
    }

    /// The redirect URI every login uses: the first configured one.
    pub fn redirect_uri(&self) -> &str {
        self.settings.allowed_redirect_uris.first().map(String::as_str).unwrap_or_default()
    }

    /// The provider's metadata, from the cache.
    pub async fn metadata(&self) -> Result<Arc<VippsProviderMetadata>, DiscoveryFailed> {
        self.provider.metadata().await
    }

    /// The URL the worker's browser opens: the provider's authorization
    /// endpoint with our client, redirect URI, scopes, state, nonce and S256
    /// challenge, and `prompt=login` so each new person logs in afresh.
    pub fn authorization_url(&self, metadata: &VippsProviderMetadata, request: &AuthorizationRequest<'_>) -> String {
        let mut url = metadata.authorization_endpoint().url().clone();
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.settings.client_id)
            .append_pair("redirect_uri", self.redirect_uri())
            .append_pair("scope", SCOPES)
            .append_pair("state", request.state)
            .append_pair("nonce", request.nonce)
            .append_pair("code_challenge", request.code_challenge)
            .append_pair("code_challenge_method", "S256")
            .append_pair("prompt", "login");
        url.into()
    }

    fn client(&self, metadata: &VippsProviderMetadata) -> Result<DiscoveredClient, VippsExchangeError> {
        let redirect_url = RedirectUrl::new(self.redirect_uri().to_owned()).map_err(|_| VippsExchangeError::ExchangeFailed("the redirect URI is not a URL"))?;
        Ok(CoreClient::from_provider_metadata(
            metadata.clone(),
            ClientId::new(self.settings.client_id.clone()),
            Some(openidconnect::ClientSecret::new(self.settings.client_secret.expose().to_owned())),
        )
        .set_redirect_uri(redirect_url))
    }

    /// Exchanges the code (once) with the stored verifier, checks the ID token
    /// against the stored nonce and returns the person from userinfo.
    /// `now_unix_seconds` is the registry's clock, used for `exp` and `iat`.
    pub async fn exchange(&self, code: &str, code_verifier: &str, nonce: &str, now_unix_seconds: i64) -> Result<Person, VippsExchangeError> {
        use VippsExchangeError::{ExchangeFailed, InvalidToken};

        let mut metadata = self.provider.metadata().await?;
        let mut client = self.client(&metadata)?;
        let token_response = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|_| ExchangeFailed("the provider has no token endpoint"))?
            .set_pkce_verifier(PkceCodeVerifier::new(code_verifier.to_owned()))
            .request_async(&self.http)
            .await
            .map_err(|_| ExchangeFailed("the token endpoint was unreachable or refused the code"))?;

        let id_token = token_response.id_token().ok_or(InvalidToken("the token response has no ID token"))?;
        let now = chrono::DateTime::from_timestamp(now_unix_seconds, 0).ok_or(ExchangeFailed("the registry clock is out of range"))?;
        let nonce = Nonce::new(nonce.to_owned());
        // Signature (JWKS, RS256), iss, aud, exp, iat and nonce. A key id the
        // cached JWKS lacks may be a rotation: refresh (at most once a minute) and check again.
        let unknown_key = |result: &Result<_, ClaimsVerificationError>| {
            matches!(result, Err(ClaimsVerificationError::SignatureVerification(SignatureVerificationError::NoMatchingKey)))
        };
        let first_check = id_token.claims(&id_token_verifier(&client, now), &nonce).cloned();
        let claims = if unknown_key(&first_check) {
            match self.provider.refreshed_after_unknown_key(&metadata).await? {
                Some(fresh) => {
                    metadata = fresh;
                    client = self.client(&metadata)?;
                    id_token.claims(&id_token_verifier(&client, now), &nonce).cloned()
                }
                None => first_check,
            }
        } else {
            first_check
        }
        .map_err(|_| InvalidToken("the ID token failed signature, issuer, audience, time or nonce checks"))?;
        let verifier = id_token_verifier(&client, now);
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
