//! Where the registry is. HTTPS, except plain HTTP to the loopback host for
//! development (the contract's transport rule); empty means the page's own origin.

use crate::error::{Coded, ErrorCode};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryUrl {
    /// Without a trailing slash; empty for the page's own origin.
    base: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistryUrlError {
    #[error("registryUrl must be https:// (or http:// on localhost / 127.0.0.1 / [::1])")]
    InsecureOrMalformed,
    #[error("registryUrl must not carry credentials, a query or a fragment")]
    ExtraParts,
}

impl Coded for RegistryUrlError {
    fn code(&self) -> ErrorCode {
        ErrorCode::InvalidConfig
    }
}

impl RegistryUrl {
    pub fn parse(text: &str) -> Result<RegistryUrl, RegistryUrlError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(RegistryUrl { base: String::new() });
        }
        // Anywhere in the URL, not just the host: the base is the prefix of every endpoint.
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(RegistryUrlError::InsecureOrMalformed);
        }
        let (scheme, rest) = crate::url::split_scheme(text).ok_or(RegistryUrlError::InsecureOrMalformed)?;
        let rest = rest.strip_prefix("//").ok_or(RegistryUrlError::InsecureOrMalformed)?;
        let authority = rest.split('/').next().unwrap_or_default();
        if authority.is_empty() {
            return Err(RegistryUrlError::InsecureOrMalformed);
        }
        if authority.contains('@') || rest.contains('?') || rest.contains('#') {
            return Err(RegistryUrlError::ExtraParts);
        }
        let host = match authority.strip_prefix('[') {
            Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
            None => authority.split(':').next().unwrap_or_default(),
        };
        let loopback = matches!(host.to_ascii_lowercase().as_str(), "localhost" | "127.0.0.1" | "::1");
        match scheme.to_ascii_lowercase().as_str() {
            "https" => {}
            "http" if loopback => {}
            _ => return Err(RegistryUrlError::InsecureOrMalformed),
        }
        Ok(RegistryUrl { base: text.trim_end_matches('/').to_owned() })
    }

    /// The URL of an API path such as `/v1/identities/document`.
    pub fn endpoint(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

// Handles are the contract's (the registry makes them); kept at this path for the module's callers.
pub use id_capture_contract::handle::{is_base64url, is_path_handle, MAX_HANDLE_CHARS};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_https_loopback_http_and_the_same_origin() {
        assert_eq!(RegistryUrl::parse("https://registry.example/api/").unwrap().endpoint("/v1/health"), "https://registry.example/api/v1/health");
        assert_eq!(RegistryUrl::parse("http://127.0.0.1:8080").unwrap().endpoint("/v1/health"), "http://127.0.0.1:8080/v1/health");
        assert!(RegistryUrl::parse("http://localhost:3000").is_ok());
        assert!(RegistryUrl::parse("http://[::1]:3000").is_ok());
        assert_eq!(RegistryUrl::parse("").unwrap().endpoint("/v1/health"), "/v1/health");
    }

    #[test]
    fn refuses_plain_http_elsewhere_and_urls_with_extra_parts() {
        for url in ["http://registry.example", "http://localhost.evil.example", "ftp://registry.example", "registry.example", "https://", "javascript:alert(1)"] {
            assert_eq!(RegistryUrl::parse(url), Err(RegistryUrlError::InsecureOrMalformed), "{url}");
        }
        for url in ["https://user:pw@registry.example", "https://registry.example/?a=b", "https://registry.example/#x", "http://127.0.0.1@evil.example"] {
            assert_eq!(RegistryUrl::parse(url), Err(RegistryUrlError::ExtraParts), "{url}");
        }
    }
}
