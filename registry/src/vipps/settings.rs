//! Vipps configuration from the environment (never from arguments, which
//! show in process lists). The secret may come from a file instead.

use super::client_secret::ClientSecret;

/// Issuer URL (`https://apitest.vipps.no/access-management-1.0/access/`), or its discovery URL.
pub const ENV_ISSUER: &str = "VIPPS_ISSUER";
pub const ENV_CLIENT_ID: &str = "VIPPS_CLIENT_ID";
pub const ENV_CLIENT_SECRET: &str = "VIPPS_CLIENT_SECRET";
/// A file holding the secret (trailing newline ignored), instead of `VIPPS_CLIENT_SECRET`.
pub const ENV_CLIENT_SECRET_FILE: &str = "VIPPS_CLIENT_SECRET_FILE";
/// Comma-separated redirect URIs the page may use (each registered at Vipps).
pub const ENV_REDIRECT_URIS: &str = "VIPPS_REDIRECT_URIS";

const DISCOVERY_SUFFIX: &str = ".well-known/openid-configuration";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VippsSettings {
    /// Exactly as the provider writes it (`iss` is compared as a string).
    pub issuer: String,
    pub client_id: String,
    pub client_secret: ClientSecret,
    pub allowed_redirect_uris: Vec<String>,
}

impl VippsSettings {
    /// `Ok(None)` when Vipps is not configured (no `VIPPS_ISSUER`); an error
    /// when it is configured only in part. `lookup` reads one variable.
    pub fn from_env(lookup: impl Fn(&str) -> Option<String>) -> Result<Option<VippsSettings>, String> {
        let Some(issuer) = lookup(ENV_ISSUER).filter(|value| !value.trim().is_empty()) else {
            return Ok(None);
        };
        let issuer = issuer.trim();
        let issuer = issuer.strip_suffix(DISCOVERY_SUFFIX).unwrap_or(issuer).to_owned();
        let client_id = lookup(ENV_CLIENT_ID).filter(|value| !value.trim().is_empty()).ok_or(format!("{ENV_ISSUER} is set but {ENV_CLIENT_ID} is not"))?;
        let secret = match (lookup(ENV_CLIENT_SECRET), lookup(ENV_CLIENT_SECRET_FILE)) {
            (Some(secret), None) => secret,
            (None, Some(path)) => std::fs::read_to_string(&path)
                .map(|text| text.trim_end_matches(['\r', '\n']).to_owned())
                .map_err(|error| format!("cannot read {ENV_CLIENT_SECRET_FILE} ({path}): {error}"))?,
            (Some(_), Some(_)) => return Err(format!("set {ENV_CLIENT_SECRET} or {ENV_CLIENT_SECRET_FILE}, not both")),
            (None, None) => return Err(format!("{ENV_ISSUER} is set but neither {ENV_CLIENT_SECRET} nor {ENV_CLIENT_SECRET_FILE}")),
        };
        if secret.is_empty() {
            return Err("the Vipps client secret is empty".into());
        }
        let allowed_redirect_uris: Vec<String> =
            lookup(ENV_REDIRECT_URIS).unwrap_or_default().split(',').map(str::trim).filter(|uri| !uri.is_empty()).map(str::to_owned).collect();
        if allowed_redirect_uris.is_empty() {
            return Err(format!("{ENV_ISSUER} is set but {ENV_REDIRECT_URIS} lists no redirect URI"));
        }
        let transport_ok = |url: &str| url.starts_with("https://") || url.starts_with("http://127.0.0.1") || url.starts_with("http://localhost") || url.starts_with("http://[::1]");
        if !transport_ok(&issuer) || !allowed_redirect_uris.iter().all(|uri| transport_ok(uri)) {
            return Err("Vipps issuer and redirect URIs must be https (http only on loopback)".into());
        }
        Ok(Some(VippsSettings { issuer, client_id, client_secret: ClientSecret::new(secret), allowed_redirect_uris }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn from(pairs: &[(&str, &str)]) -> Result<Option<VippsSettings>, String> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        VippsSettings::from_env(|name| map.get(name).cloned())
    }

    #[test]
    fn unset_issuer_means_not_configured() {
        assert_eq!(from(&[]), Ok(None));
    }

    #[test]
    fn reads_every_variable_and_accepts_a_discovery_url() {
        let settings = from(&[
            (ENV_ISSUER, "https://apitest.vipps.no/access-management-1.0/access/.well-known/openid-configuration"),
            (ENV_CLIENT_ID, "client"),
            (ENV_CLIENT_SECRET, "secret"),
            (ENV_REDIRECT_URIS, "https://portal.example.no/cb, http://127.0.0.1:8080/"),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(settings.issuer, "https://apitest.vipps.no/access-management-1.0/access/");
        assert_eq!(settings.allowed_redirect_uris, vec!["https://portal.example.no/cb", "http://127.0.0.1:8080/"]);
        assert_eq!(settings.client_secret.expose(), "secret");
        assert!(!format!("{settings:?}").contains("secret\""));
    }

    #[test]
    fn partial_or_insecure_configuration_is_an_error_without_the_secret_in_it() {
        assert!(from(&[(ENV_ISSUER, "https://idp.example.no/")]).is_err());
        let insecure = from(&[(ENV_ISSUER, "http://idp.example.no/"), (ENV_CLIENT_ID, "c"), (ENV_CLIENT_SECRET, "hunter2"), (ENV_REDIRECT_URIS, "https://p/")]);
        assert!(!insecure.unwrap_err().contains("hunter2"));
        assert!(from(&[(ENV_ISSUER, "https://idp.example.no/"), (ENV_CLIENT_ID, "c"), (ENV_CLIENT_SECRET, "s")]).is_err());
    }
}
