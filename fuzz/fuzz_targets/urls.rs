//! The OIDC callback reading (`oidc::read_callback`, `cleaned_callback_url`,
//! `looks_like_callback`) and the registry URL and handle helpers
//! (`registry::url`, `SessionToken`, `IdempotencyKey`) on any text.
//! Oracles: a cleaned callback URL is no longer a callback and cleaning is
//! idempotent; a read callback has a non-empty state, a code or an error (not
//! both), and bounded values without controls; a registry URL re-parses
//! from its own base; a handle never leaves its path segment; token and
//! key parsing round-trip, and a URL without its token has none left.
#![no_main]

use id_capture::oidc::{cleaned_callback_url, looks_like_callback, read_callback};
use id_capture::registry::url::{is_base64url, is_path_handle, MAX_HANDLE_CHARS};
use id_capture::registry::{IdempotencyKey, RegistryUrl, SessionToken};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };

    let cleaned = cleaned_callback_url(text);
    assert!(!looks_like_callback(&cleaned) || cleaned == text, "cleaning left a callback parameter: {cleaned:?}");
    assert_eq!(cleaned_callback_url(&cleaned), cleaned, "cleaning is not idempotent");
    match read_callback(text) {
        Ok(Some(callback)) => {
            let request = &callback.request;
            assert!(!request.state.is_empty());
            assert!(request.code.is_some() != request.error.is_some(), "exactly one of code and error");
            for value in [Some(&request.state), request.code.as_ref(), request.iss.as_ref(), request.error.as_ref()].into_iter().flatten() {
                assert!(!value.is_empty() && value.chars().count() <= 2048 && !value.chars().any(char::is_control));
            }
            assert_eq!(callback.cleaned_url, cleaned);
            assert_eq!(read_callback(&callback.cleaned_url), Ok(None), "the cleaned URL is read as a callback again");
        }
        Ok(None) => assert!(!looks_like_callback(text)),
        Err(_) => assert!(looks_like_callback(text)),
    }

    if let Ok(registry) = RegistryUrl::parse(text) {
        let base = registry.endpoint("");
        assert_eq!(RegistryUrl::parse(&base).as_ref(), Ok(&registry), "{base:?} does not re-parse to itself");
        assert!(base.is_empty() || base.starts_with("https://") || base.to_ascii_lowercase().starts_with("http://") || base.to_ascii_lowercase().starts_with("https://"));
        assert!(!base.ends_with('/'));
    }
    if is_path_handle(text) {
        assert!(is_base64url(text) && text.len() <= MAX_HANDLE_CHARS && !text.contains(['/', '?', '#', '%', '.']));
    }

    if let Some(token) = SessionToken::parse(text) {
        assert_eq!(token.as_str(), text);
        assert_eq!(SessionToken::from_url_fragment(&format!("https://page.example/#a=1&session={text}")).as_ref().map(SessionToken::as_str), Some(text));
    }
    let without = SessionToken::url_without_token(text);
    assert!(SessionToken::from_url_fragment(&without).is_none(), "a token survived: {without:?}");
    assert_eq!(SessionToken::url_without_token(&without), without);
    if let Some(key) = IdempotencyKey::parse(text) {
        assert_eq!(IdempotencyKey::parse(key.as_str()).as_ref(), Some(&key));
        assert_eq!(key.as_str(), text.to_ascii_lowercase());
    }
});
