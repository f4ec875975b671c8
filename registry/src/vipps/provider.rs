//! The provider's discovery document and keys, fetched once and kept in
//! memory: a forged callback must not make the registry call Vipps, and a
//! burst of logins must not fetch the same document a hundred times.
//!
//! - The first caller fetches; concurrent callers wait for that fetch and share it.
//! - An ID token signed with a key id not in the cached JWKS asks for a
//!   refresh, granted at most once a minute (key rotation, not an amplifier).
//! - A document older than an hour is fetched again on next use.
//! - A failed fetch is not cached: the next caller tries again.

use std::sync::Arc;
use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreAuthDisplay, CoreClaimName, CoreClaimType, CoreClientAuthMethod, CoreGrantType, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm, CoreResponseMode, CoreResponseType, CoreSubjectIdentifierType,
};
use openidconnect::{AdditionalProviderMetadata, IssuerUrl, ProviderMetadata};
use serde::{Deserialize, Serialize};

/// Provider metadata beyond OpenID Connect Discovery 1.0 that the registry reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssParameterMetadata {
    /// RFC 9207: the provider puts `iss` on every authorization response, so
    /// a callback without it is refused (mix-up defence).
    #[serde(default)]
    pub authorization_response_iss_parameter_supported: bool,
}

impl AdditionalProviderMetadata for IssParameterMetadata {}

pub type VippsProviderMetadata = ProviderMetadata<
    IssParameterMetadata,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

/// A refresh for an unknown key id is granted at most this often.
pub const MIN_REFRESH_INTERVAL: Duration = Duration::from_secs(60);
/// A discovery document is used this long before it is fetched again.
pub const MAX_METADATA_AGE: Duration = Duration::from_secs(60 * 60);

struct Fetched {
    metadata: Arc<VippsProviderMetadata>,
    at: Instant,
}

/// Why the provider's metadata could not be had (a fixed text, never what the provider said).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the provider's discovery document or keys could not be fetched")]
pub struct DiscoveryFailed;

pub struct ProviderCache {
    issuer: IssuerUrl,
    http: reqwest::Client,
    /// An async lock held across the fetch: waiting callers share its result.
    fetched: tokio::sync::Mutex<Option<Fetched>>,
    min_refresh_interval: Duration,
}

impl ProviderCache {
    pub fn new(issuer: IssuerUrl, http: reqwest::Client) -> ProviderCache {
        ProviderCache { issuer, http, fetched: tokio::sync::Mutex::new(None), min_refresh_interval: MIN_REFRESH_INTERVAL }
    }

    /// For tests of key rotation: how soon an unknown key id may cause another fetch.
    pub fn set_min_refresh_interval(&mut self, interval: Duration) {
        self.min_refresh_interval = interval;
    }

    /// The cached metadata (with its JWKS), fetched when there is none yet or it is old.
    pub async fn metadata(&self) -> Result<Arc<VippsProviderMetadata>, DiscoveryFailed> {
        let mut fetched = self.fetched.lock().await;
        if let Some(current) = fetched.as_ref().filter(|current| current.at.elapsed() < MAX_METADATA_AGE) {
            return Ok(current.metadata.clone());
        }
        self.fetch_into(&mut fetched).await
    }

    /// After `used` did not hold the token's key: newer metadata when another
    /// caller already refreshed or a refresh is due, `None` when the last
    /// fetch is under a minute old (the key is then simply unknown).
    pub async fn refreshed_after_unknown_key(&self, used: &Arc<VippsProviderMetadata>) -> Result<Option<Arc<VippsProviderMetadata>>, DiscoveryFailed> {
        let mut fetched = self.fetched.lock().await;
        if let Some(current) = fetched.as_ref() {
            if !Arc::ptr_eq(&current.metadata, used) {
                return Ok(Some(current.metadata.clone()));
            }
            if current.at.elapsed() < self.min_refresh_interval {
                return Ok(None);
            }
        }
        self.fetch_into(&mut fetched).await.map(Some)
    }

    async fn fetch_into(&self, fetched: &mut Option<Fetched>) -> Result<Arc<VippsProviderMetadata>, DiscoveryFailed> {
        // Discovery checks that the document names exactly our issuer, then fetches the JWKS.
        let metadata = Arc::new(VippsProviderMetadata::discover_async(self.issuer.clone(), &self.http).await.map_err(|_| DiscoveryFailed)?);
        *fetched = Some(Fetched { metadata: metadata.clone(), at: Instant::now() });
        Ok(metadata)
    }
}
