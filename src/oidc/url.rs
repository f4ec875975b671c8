//! Just enough of URLs for an OAuth callback: split into parts and decode
//! query components. A full URL parser (the `url` crate with IDNA)
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
    fn decoding_refuses_broken_escapes_and_invalid_utf8() {
        assert_eq!(decode_component("%4"), None);
        assert_eq!(decode_component("%zz"), None);
        assert_eq!(decode_component("%ff"), None);
    }
}
