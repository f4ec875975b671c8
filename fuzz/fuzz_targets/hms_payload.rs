//! The HMS card payload rules (`hms::recognise_hms_card`) on any text,
//! under the default rules, a query-parameter rule set, or rules the input
//! itself gives as JSON (before a NUL byte) when they validate.
//! Oracles: an accepted reference fits the rules (length, charset, at most
//! 200 characters), appears in the payload, and re-parses identically from
//! the canonical card URL built from it; the verdict ignores surrounding
//! ASCII white space.
#![no_main]

use id_capture::hms::{recognise_hms_card, HmsRules, ReferenceCharset, MAX_REFERENCE_CHARS};
use libfuzzer_sys::fuzz_target;

fn canonical_url(rules: &HmsRules, reference: &str) -> String {
    let host = rules.allowed_hosts[0].strip_prefix("*.").map_or(rules.allowed_hosts[0].clone(), |domain| format!("www.{domain}"));
    match &rules.query_parameter {
        Some(name) => format!("https://{host}{}?{name}={reference}", rules.path_prefix),
        None if rules.path_prefix.ends_with('/') => format!("https://{host}{}{reference}", rules.path_prefix),
        None => format!("https://{host}{}/{reference}", rules.path_prefix),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else { return };
    let (rules, text) = match input.split_once('\0') {
        Some((json, text)) => match serde_json::from_str::<HmsRules>(json) {
            Ok(rules) if rules.validate().is_ok() => (rules, text),
            _ => return,
        },
        None if input.starts_with('?') => {
            let rules = HmsRules { path_prefix: "/kort".into(), query_parameter: Some("id".into()), ..HmsRules::default() };
            (rules, &input[1..])
        }
        None => (HmsRules::default(), input),
    };
    let verdict = recognise_hms_card(text, &rules);
    if text.chars().count() + 2 <= id_capture::hms::MAX_PAYLOAD_CHARS {
        assert_eq!(recognise_hms_card(&format!(" {text}\n"), &rules), verdict, "white space around the payload changed the verdict");
    }
    let Ok(reference) = verdict else { return };
    let reference = reference.as_str();
    let length = reference.chars().count();
    assert!(length >= rules.reference_min_length && length <= rules.reference_max_length.min(MAX_REFERENCE_CHARS));
    let charset_ok = match rules.reference_charset {
        ReferenceCharset::AlphanumericDashUnderscore => reference.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
        ReferenceCharset::Alphanumeric => reference.bytes().all(|b| b.is_ascii_alphanumeric()),
        ReferenceCharset::Digits => reference.bytes().all(|b| b.is_ascii_digit()),
    };
    assert!(charset_ok && reference.is_ascii());
    assert!(text.contains(reference));
    let url = canonical_url(&rules, reference);
    assert_eq!(recognise_hms_card(&url, &rules).as_ref().map(|r| r.as_str()), Ok(reference), "{url}");
});
