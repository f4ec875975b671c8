//! The onboarding session token a partner's link carries in its fragment
//! (`https://…/#session=idc_ses_…`). The page hands it to `IdCapture`, which
//! sends it as `Authorization: Session <token>`.

/// What every session token starts with (see the registry's `sessions`).
pub const SESSION_TOKEN_PREFIX: &str = "idc_ses_";
/// Our tokens are 32 random bytes in base64url: 43 characters after the prefix.
const TOKEN_CHARS: usize = 43;

/// A well-formed session token. Its validity is the registry's to judge.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl SessionToken {
    pub fn parse(text: &str) -> Option<SessionToken> {
        let random = text.strip_prefix(SESSION_TOKEN_PREFIX)?;
        let well_formed = random.len() == TOKEN_CHARS && crate::handle::is_base64url(random);
        well_formed.then(|| SessionToken(text.to_owned()))
    }

    /// The `session` parameter of a URL's fragment (`#session=…`, among
    /// `&`-separated pairs), when it is a well-formed token.
    pub fn from_url_fragment(url: &str) -> Option<SessionToken> {
        let (_, fragment) = url.split_once('#')?;
        fragment.split('&').find_map(|pair| pair.strip_prefix("session=")).and_then(SessionToken::parse)
    }

    /// The URL without the `session` pair in its fragment (the fragment
    /// dropped when nothing else is in it), for `history.replaceState`.
    pub fn url_without_token(url: &str) -> String {
        let Some((before, fragment)) = url.split_once('#') else { return url.to_owned() };
        let kept: Vec<&str> = fragment.split('&').filter(|pair| !pair.is_empty() && !pair.starts_with("session=")).collect();
        if kept.is_empty() {
            before.to_owned()
        } else {
            format!("{before}#{}", kept.join("&"))
        }
    }

    pub fn authorization_header(&self) -> String {
        format!("Session {}", self.0)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Never print a token (it is a credential).
impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "idc_ses_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    #[test]
    fn a_token_is_taken_from_the_fragment_and_only_a_well_formed_one() {
        let url = format!("https://registry.example/#session={TOKEN}");
        assert_eq!(SessionToken::from_url_fragment(&url).unwrap().as_str(), TOKEN);
        assert_eq!(SessionToken::from_url_fragment(&format!("https://r.example/?x=1#lang=nb&session={TOKEN}")).unwrap().as_str(), TOKEN);
        assert!(SessionToken::from_url_fragment(&format!("https://r.example/?session={TOKEN}")).is_none(), "never from the query");
        assert!(SessionToken::from_url_fragment("https://r.example/#session=idc_ses_short").is_none());
        assert!(SessionToken::from_url_fragment("https://r.example/#session=idc_ses_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%2F").is_none());
        assert!(SessionToken::parse("idc_key_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").is_none(), "an API key is not a session token");
    }

    #[test]
    fn the_token_leaves_the_address_and_debug_output() {
        assert_eq!(SessionToken::url_without_token(&format!("https://r.example/#session={TOKEN}")), "https://r.example/");
        assert_eq!(SessionToken::url_without_token(&format!("https://r.example/#lang=nb&session={TOKEN}")), "https://r.example/#lang=nb");
        assert!(!format!("{:?}", SessionToken::parse(TOKEN).unwrap()).contains("AAAA"));
        assert_eq!(SessionToken::parse(TOKEN).unwrap().authorization_header(), format!("Session {TOKEN}"));
    }
}
