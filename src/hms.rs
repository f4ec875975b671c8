//! HMS card payloads: decoded QR text → the card reference the registry
//! resolves, or a typed reason saying what kind of code it was.
//!
//! The text in an HMS card's QR code (hmskort.no) is not publicly documented;
//! Arbeidstilsynet says the code shows the card's registered status when
//! scanned, so we expect an `https` URL on an HMS card host carrying a card
//! reference. What counts as one is a small rule set (`HmsRules`) the page
//! can replace with JSON when the real shape is known:
//!
//! ```json
//! { "allowedHosts": ["hmskort.no", "*.hmskort.no"], "requireHttps": true,
//!   "pathPrefix": "/", "queryParameter": null,
//!   "referenceMinLength": 4, "referenceMaxLength": 64,
//!   "referenceCharset": "alphanumericDashUnderscore" }
//! ```
//!
//! With the defaults the reference is the last path segment, so
//! `https://hmskort.no/kort/7F3K9Q2XH4` → `7F3K9Q2XH4`. With
//! `"queryParameter": "id"` it is that parameter: `https://hmskort.no/v?id=…`.
//! The URL is parsed here (no URL crate: a few hundred bytes of wasm instead
//! of the IDNA tables); anything unusual is refused rather than normalised.
//! Errors never carry the payload, only its kind.

use serde::{Deserialize, Serialize};

use crate::error::{Coded, ErrorCode};
use crate::url::{is_plain_hostname, split_scheme, WebUrl};

/// Payloads longer than this are refused before any parsing (a URL on a
/// card is far shorter; QR codes can carry ~3 KB).
pub const MAX_PAYLOAD_CHARS: usize = 1024;
/// The registry accepts references up to this length.
pub const MAX_REFERENCE_CHARS: usize = 200;

/// Which characters a card reference may contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ReferenceCharset {
    /// ASCII letters, digits, `-` and `_`.
    #[default]
    AlphanumericDashUnderscore,
    /// ASCII letters and digits.
    Alphanumeric,
    /// ASCII digits.
    Digits,
}

impl ReferenceCharset {
    fn allows(self, c: char) -> bool {
        match self {
            ReferenceCharset::AlphanumericDashUnderscore => c.is_ascii_alphanumeric() || c == '-' || c == '_',
            ReferenceCharset::Alphanumeric => c.is_ascii_alphanumeric(),
            ReferenceCharset::Digits => c.is_ascii_digit(),
        }
    }
}

/// What an HMS card QR code looks like. See the module documentation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct HmsRules {
    /// Exact hosts (`hmskort.no`) or any subdomain of one (`*.hmskort.no`;
    /// this does not match the bare domain). Compared case-insensitively.
    pub allowed_hosts: Vec<String>,
    /// Refuse `http://` URLs.
    pub require_https: bool,
    /// The path must start with this (e.g. `/kort/`).
    pub path_prefix: String,
    /// Take the reference from this query parameter instead of the last path segment.
    pub query_parameter: Option<String>,
    pub reference_min_length: usize,
    pub reference_max_length: usize,
    pub reference_charset: ReferenceCharset,
}

impl Default for HmsRules {
    fn default() -> Self {
        HmsRules {
            allowed_hosts: vec!["hmskort.no".into(), "*.hmskort.no".into()],
            require_https: true,
            path_prefix: "/".into(),
            query_parameter: None,
            reference_min_length: 4,
            reference_max_length: 64,
            reference_charset: ReferenceCharset::AlphanumericDashUnderscore,
        }
    }
}

impl HmsRules {
    /// Refuses rules that could never match or would let anything through.
    /// The boundary deserialises the page's JSON (serde) and calls this.
    pub fn validate(&self) -> Result<(), HmsError> {
        let invalid = |reason| Err(HmsError::InvalidRules { reason });
        if self.allowed_hosts.is_empty() {
            return invalid("allowedHosts is empty");
        }
        for host in &self.allowed_hosts {
            let bare = host.strip_prefix("*.").unwrap_or(host);
            if !is_plain_hostname(bare) || !bare.contains('.') {
                return invalid("allowedHosts entries must be hostnames like hmskort.no or *.hmskort.no");
            }
        }
        if !self.path_prefix.starts_with('/') || !self.path_prefix.chars().all(is_path_char) {
            return invalid("pathPrefix must start with / and use URL path characters");
        }
        if let Some(name) = &self.query_parameter {
            if name.is_empty() || !name.chars().all(is_path_char) {
                return invalid("queryParameter must be a plain name");
            }
        }
        if self.reference_min_length == 0
            || self.reference_min_length > self.reference_max_length
            || self.reference_max_length > MAX_REFERENCE_CHARS
        {
            return invalid("reference length bounds must satisfy 1 <= min <= max <= 200");
        }
        Ok(())
    }

    fn host_allowed(&self, host: &str) -> bool {
        self.allowed_hosts.iter().any(|pattern| {
            let pattern = pattern.to_ascii_lowercase();
            match pattern.strip_prefix("*.") {
                Some(domain) => host
                    .strip_suffix(domain)
                    .and_then(|sub| sub.strip_suffix('.'))
                    .is_some_and(|sub| !sub.is_empty() && is_plain_hostname(sub)),
                None => host == pattern,
            }
        })
    }
}

/// A card reference accepted by the rules: at most 200 ASCII characters
/// from the configured charset. This is the only thing sent to the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct HmsCardReference(String);

impl HmsCardReference {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// What a scanned code was, when it was not an HMS card. Safe to log and to
/// show: it says nothing about the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PayloadKind {
    /// Nothing but whitespace.
    Empty,
    /// Longer than `MAX_PAYLOAD_CHARS`.
    TooLong,
    /// Control or bidirectional-override characters inside the text.
    ControlCharacters,
    /// Looks like HTML or script markup.
    Html,
    /// `javascript:`, `data:`, `vbscript:`, `file:`, `blob:` …
    UnsafeScheme,
    /// A web URL on a host the rules do not allow.
    OtherUrl,
    /// A URL on an allowed host made to deceive: user info (`hmskort.no@evil`),
    /// a port, backslashes, percent-encoding or odd characters in the host.
    SuspiciousUrl,
    /// An allowed host over `http://` while the rules require `https://`.
    InsecureUrl,
    /// An allowed host, but the path or reference does not fit the rules.
    HmsUrlWithoutReference,
    /// Another URI scheme (`otpauth:`, `bitcoin:`, `ftp:` …).
    OtherScheme,
    WifiConfig,
    ContactCard,
    Email,
    Phone,
    Sms,
    Geo,
    PlainText,
}

impl PayloadKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            PayloadKind::Empty => "empty",
            PayloadKind::TooLong => "too_long",
            PayloadKind::ControlCharacters => "control_characters",
            PayloadKind::Html => "html",
            PayloadKind::UnsafeScheme => "unsafe_scheme",
            PayloadKind::OtherUrl => "other_url",
            PayloadKind::SuspiciousUrl => "suspicious_url",
            PayloadKind::InsecureUrl => "insecure_url",
            PayloadKind::HmsUrlWithoutReference => "hms_url_without_reference",
            PayloadKind::OtherScheme => "other_scheme",
            PayloadKind::WifiConfig => "wifi_config",
            PayloadKind::ContactCard => "contact_card",
            PayloadKind::Email => "email",
            PayloadKind::Phone => "phone",
            PayloadKind::Sms => "sms",
            PayloadKind::Geo => "geo",
            PayloadKind::PlainText => "plain_text",
        }
    }
}

impl std::fmt::Display for PayloadKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HmsError {
    /// The code was read but is not an HMS card; `kind` says what it was.
    #[error("not an HMS card: {kind}")]
    NotAnHmsCard { kind: PayloadKind },
    #[error("invalid HMS card rules: {reason}")]
    InvalidRules { reason: &'static str },
}

impl Coded for HmsError {
    fn code(&self) -> ErrorCode {
        match self {
            HmsError::NotAnHmsCard { .. } => ErrorCode::NotAnHmsCard,
            HmsError::InvalidRules { .. } => ErrorCode::InvalidConfig,
        }
    }
}

fn not_hms(kind: PayloadKind) -> HmsError {
    HmsError::NotAnHmsCard { kind }
}

/// Recognise an HMS card in decoded QR text and return its card reference.
pub fn recognise_hms_card(text: &str, rules: &HmsRules) -> Result<HmsCardReference, HmsError> {
    if text.chars().count() > MAX_PAYLOAD_CHARS {
        return Err(not_hms(PayloadKind::TooLong));
    }
    // Scanners often add a trailing newline; surrounding whitespace is not content.
    let text = text.trim_matches(|c: char| c.is_ascii_whitespace());
    if text.is_empty() {
        return Err(not_hms(PayloadKind::Empty));
    }
    if text.chars().any(is_control_or_bidi) {
        return Err(not_hms(PayloadKind::ControlCharacters));
    }
    let Some((scheme, rest)) = split_scheme(text) else {
        return Err(not_hms(classify_schemeless(text)));
    };
    let scheme = scheme.to_ascii_lowercase();
    match scheme.as_str() {
        "https" | "http" => {}
        "javascript" | "vbscript" | "data" | "file" | "blob" | "about" | "filesystem" => {
            return Err(not_hms(PayloadKind::UnsafeScheme))
        }
        "wifi" => return Err(not_hms(PayloadKind::WifiConfig)),
        "mecard" | "begin" => return Err(not_hms(PayloadKind::ContactCard)),
        "mailto" | "matmsg" => return Err(not_hms(PayloadKind::Email)),
        "tel" => return Err(not_hms(PayloadKind::Phone)),
        "sms" | "smsto" | "mms" | "mmsto" => return Err(not_hms(PayloadKind::Sms)),
        "geo" => return Err(not_hms(PayloadKind::Geo)),
        _ if text.contains('<') => return Err(not_hms(PayloadKind::Html)),
        _ => return Err(not_hms(PayloadKind::OtherScheme)),
    }
    let url = WebUrl::parse_after_scheme(rest).ok_or(not_hms(PayloadKind::SuspiciousUrl))?;
    if !rules.host_allowed(&url.host) {
        // A look-alike such as "hmskort.no.evil.example" lands here.
        return Err(not_hms(PayloadKind::OtherUrl));
    }
    if url.suspicious {
        return Err(not_hms(PayloadKind::SuspiciousUrl));
    }
    if rules.require_https && scheme != "https" {
        return Err(not_hms(PayloadKind::InsecureUrl));
    }
    let reference = reference_in(&url, rules).ok_or(not_hms(PayloadKind::HmsUrlWithoutReference))?;
    Ok(HmsCardReference(reference.to_owned()))
}

fn reference_in<'a>(url: &WebUrl<'a>, rules: &HmsRules) -> Option<&'a str> {
    let after_prefix = url.path.strip_prefix(rules.path_prefix.as_str())?;
    if !url.path.chars().all(is_path_char) {
        return None;
    }
    let candidate = match &rules.query_parameter {
        Some(name) => url.query.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            (key == name).then_some(value)
        })?,
        None => after_prefix.strip_suffix('/').unwrap_or(after_prefix).rsplit('/').next()?,
    };
    let length = candidate.chars().count();
    let fits = length >= rules.reference_min_length
        && length <= rules.reference_max_length.min(MAX_REFERENCE_CHARS)
        && candidate.chars().all(|c| rules.reference_charset.allows(c));
    fits.then_some(candidate)
}

/// RFC 3986 unreserved characters plus `/` (no percent-encoding on purpose).
fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | '/')
}

fn is_control_or_bidi(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

fn classify_schemeless(text: &str) -> PayloadKind {
    let lower = text.get(..text.len().min(32)).unwrap_or("").to_ascii_lowercase();
    if text.contains('<') && text.contains('>') {
        PayloadKind::Html
    } else if lower.starts_with("www.") || lower.starts_with("hmskort.no") {
        // A URL without scheme: not accepted (the card's would carry https://).
        PayloadKind::OtherUrl
    } else {
        PayloadKind::PlainText
    }
}

#[cfg(test)]
mod tests;
