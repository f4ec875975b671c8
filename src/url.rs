//! Just enough of URLs, in one place, for the three that read them: the
//! OAuth callback (split into parts, decode query components), the HMS card's
//! QR payload (a plain `http(s)` URL whose tricks are flagged), and the
//! registry's address (`registry::url`). Each caller keeps its own policy on
//! top; the syntax is read here once. A full URL parser (the `url` crate with
//! IDNA) would cost more wasm than all three.

/// `scheme:rest` with the scheme as written, when it has RFC 3986 scheme
/// syntax (a letter, then letters, digits, `+`, `-`, `.`).
pub fn split_scheme(text: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = text.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some((scheme, rest))
}

/// The parts of an absolute `scheme://authority/path?query#fragment` URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UrlParts<'a> {
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
        let (scheme, rest) = split_scheme(text)?;
        let rest = rest.strip_prefix("//")?;
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

/// A parsed `http(s)://` URL, read as a browser would find its host (after
/// the last `@`): lower-cased host, raw path and query, and whether it
/// played tricks (the HMS card's payload).
pub struct WebUrl<'a> {
    pub host: String,
    pub path: &'a str,
    pub query: &'a str,
    /// Userinfo, a port, or other tricks: refused if the host is allowed.
    pub suspicious: bool,
}

impl<'a> WebUrl<'a> {
    /// Parses what follows `scheme:`. `None` when it is not `//authority…` at all
    /// or the host has characters no plain hostname has.
    pub fn parse_after_scheme(rest: &'a str) -> Option<WebUrl<'a>> {
        let after_slashes = rest.strip_prefix("//")?;
        let authority_end = after_slashes.find(['/', '?', '#', '\\']).unwrap_or(after_slashes.len());
        let (authority, tail) = after_slashes.split_at(authority_end);
        let mut suspicious = tail.starts_with('\\') || tail.contains('\\');
        // Userinfo: the real host is after the last '@' (browser behaviour).
        let host_port = match authority.rsplit_once('@') {
            Some((_, host_port)) => {
                suspicious = true;
                host_port
            }
            None => authority,
        };
        let host = match host_port.rsplit_once(':') {
            Some((host, _port)) => {
                suspicious = true;
                host
            }
            None => host_port,
        };
        let host = host.to_ascii_lowercase();
        if !is_plain_hostname(&host) {
            return None;
        }
        let (before_fragment, _fragment) = tail.split_once('#').unwrap_or((tail, ""));
        let (path, query) = before_fragment.split_once('?').unwrap_or((before_fragment, ""));
        let path = if path.is_empty() { "/" } else { path };
        Some(WebUrl { host, path, query, suspicious })
    }
}

/// ASCII letters, digits, hyphens and dots in non-empty labels: no IDN,
/// no percent-encoding, no trailing dot, no IP literals with brackets.
pub fn is_plain_hostname(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// Decodes an `application/x-www-form-urlencoded` component (`+` is a space,
/// as in `URLSearchParams`). `None` for a broken `%` escape or invalid UTF-8.
pub fn decode_component(text: &str) -> Option<String> {
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
