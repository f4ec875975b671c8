//! Just enough of URLs for OAuth: split into parts, compare origins, encode
//! and decode query components. A full URL parser (the `url` crate with IDNA)
//! would cost more wasm than the whole state machine.

/// The parts of an absolute `scheme://authority/path?query#fragment` URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UrlParts<'a> {
    pub scheme: &'a str,
    pub authority: &'a str,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub fragment: Option<&'a str>,
}

impl<'a> UrlParts<'a> {
    /// `None` unless the text is an absolute hierarchical URL without spaces or controls.
    pub fn parse(text: &'a str) -> Option<UrlParts<'a>> {
        if text.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return None;
        }
        let (scheme, rest) = text.split_once("://")?;
        let scheme_ok = scheme.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
            && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
        if !scheme_ok {
            return None;
        }
        let (before_fragment, fragment) = match rest.split_once('#') {
            Some((before, fragment)) => (before, Some(fragment)),
            None => (rest, None),
        };
        let (before_query, query) = match before_fragment.split_once('?') {
            Some((before, query)) => (before, Some(query)),
            None => (before_fragment, None),
        };
        let (authority, path) = match before_query.find('/') {
            Some(slash) => before_query.split_at(slash),
            None => (before_query, ""),
        };
        if authority.is_empty() {
            return None;
        }
        Some(UrlParts { scheme, authority, path, query, fragment })
    }

    pub fn has_userinfo(&self) -> bool {
        self.authority.contains('@')
    }

    /// Host without port, lowercased (`[::1]` keeps its brackets).
    pub fn host(&self) -> String {
        let authority = self.authority;
        let host = if authority.starts_with('[') {
            match authority.find(']') {
                Some(end) => &authority[..=end],
                None => authority,
            }
        } else {
            authority.split(':').next().unwrap_or(authority)
        };
        host.to_ascii_lowercase()
    }

    /// Scheme and authority as a browser serialises an origin: lowercase,
    /// without the scheme's default port.
    pub fn origin(&self) -> String {
        let scheme = self.scheme.to_ascii_lowercase();
        let authority = self.authority.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "https" => Some(":443"),
            "http" => Some(":80"),
            _ => None,
        };
        let authority = match default_port {
            Some(port) => authority.strip_suffix(port).map(str::to_owned).unwrap_or(authority),
            None => authority,
        };
        format!("{scheme}://{authority}")
    }

    /// Path as a browser shows it: empty becomes `/`.
    pub fn normalised_path(&self) -> &'a str {
        if self.path.is_empty() {
            "/"
        } else {
            self.path
        }
    }

    /// Loopback hosts, the only ones allowed over plain http.
    pub fn is_loopback(&self) -> bool {
        matches!(self.host().as_str(), "localhost" | "127.0.0.1" | "[::1]")
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters, so a value
/// can go into a query component whatever it holds.
pub(crate) fn encode_component(value: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
}

/// Decodes an `application/x-www-form-urlencoded` component (`+` is a space,
/// as in `URLSearchParams`). `None` for a broken `%` escape or invalid UTF-8.
pub(crate) fn decode_component(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        match byte {
            b'%' => {
                let high = hex_value(*bytes.get(index + 1)?)?;
                let low = hex_value(*bytes.get(index + 2)?)?;
                decoded.push(high << 4 | low);
                index += 3;
            }
            b'+' => {
                decoded.push(b' ');
                index += 1;
            }
            other => {
                decoded.push(other);
                index += 1;
            }
        }
    }
    String::from_utf8(decoded).ok()
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_all_parts() {
        let parts = UrlParts::parse("https://Example.NO:443/cb/x?a=1&b=2#top").unwrap();
        assert_eq!(parts.scheme, "https");
        assert_eq!(parts.authority, "Example.NO:443");
        assert_eq!(parts.path, "/cb/x");
        assert_eq!(parts.query, Some("a=1&b=2"));
        assert_eq!(parts.fragment, Some("top"));
        assert_eq!(parts.origin(), "https://example.no");
        assert_eq!(parts.host(), "example.no");
    }

    #[test]
    fn a_question_mark_after_the_fragment_is_not_a_query() {
        let parts = UrlParts::parse("https://a.no/p#frag?code=x").unwrap();
        assert_eq!(parts.query, None);
        assert_eq!(parts.fragment, Some("frag?code=x"));
    }

    #[test]
    fn refuses_relative_spaced_and_hostless_urls() {
        assert!(UrlParts::parse("/callback?code=1").is_none());
        assert!(UrlParts::parse("https://a.no/a b").is_none());
        assert!(UrlParts::parse("https:///path").is_none());
        assert!(UrlParts::parse("1ttp://a.no/").is_none());
    }

    #[test]
    fn loopback_hosts_with_ports() {
        for url in ["http://localhost:8080/", "http://127.0.0.1:9/x", "http://[::1]:3000/", "http://LOCALHOST/"] {
            assert!(UrlParts::parse(url).unwrap().is_loopback(), "{url}");
        }
        for url in ["http://localhost.evil.no/", "http://127.0.0.2/", "http://example.no/"] {
            assert!(!UrlParts::parse(url).unwrap().is_loopback(), "{url}");
        }
    }

    #[test]
    fn encoding_round_trips_reserved_and_unicode_characters() {
        let value = "openid name birthDate&x=y/ø+%";
        let mut encoded = String::new();
        encode_component(value, &mut encoded);
        assert_eq!(encoded, "openid%20name%20birthDate%26x%3Dy%2F%C3%B8%2B%25");
        assert_eq!(decode_component(&encoded).as_deref(), Some(value));
        assert_eq!(decode_component("a+b").as_deref(), Some("a b"));
    }

    #[test]
    fn decoding_refuses_broken_escapes_and_invalid_utf8() {
        assert_eq!(decode_component("%4"), None);
        assert_eq!(decode_component("%zz"), None);
        assert_eq!(decode_component("%ff"), None);
    }
}
