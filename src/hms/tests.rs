use super::*;

fn kind_of(text: &str) -> PayloadKind {
    match recognise_hms_card(text, &HmsRules::default()) {
        Err(HmsError::NotAnHmsCard { kind }) => kind,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

fn reference(text: &str) -> String {
    recognise_hms_card(text, &HmsRules::default()).expect("accepted").into_string()
}

#[test]
fn accepts_the_test_card_url_shape_and_returns_the_last_path_segment() {
    assert_eq!(reference("https://hmskort.no/kort/7F3K9Q2XH4"), "7F3K9Q2XH4");
    assert_eq!(reference("https://hmskort.no/7F3K9Q2XH4/"), "7F3K9Q2XH4");
    assert_eq!(reference("https://HMSKORT.NO/kort/AB-12_cd?utm=x#top"), "AB-12_cd");
    assert_eq!(reference("https://www.hmskort.no/kort/7F3K9Q2XH4\n"), "7F3K9Q2XH4", "subdomain, trailing newline");
}

#[test]
fn rejects_look_alike_hosts_as_other_urls() {
    assert_eq!(kind_of("https://hmskort.no.evil.example/kort/7F3K9Q2XH4"), PayloadKind::OtherUrl);
    assert_eq!(kind_of("https://evilhmskort.no/kort/7F3K9Q2XH4"), PayloadKind::OtherUrl);
    assert_eq!(kind_of("https://hmskort.no@evil.example/kort/7F3K9Q2XH4"), PayloadKind::OtherUrl);
    assert_eq!(kind_of("https://example.com/kort/7F3K9Q2XH4"), PayloadKind::OtherUrl);
    assert_eq!(kind_of("hmskort.no/kort/7F3K9Q2XH4"), PayloadKind::OtherUrl, "no scheme");
}

#[test]
fn rejects_tricks_on_an_allowed_host_as_suspicious() {
    assert_eq!(kind_of("https://user@hmskort.no/kort/7F3K9Q2XH4"), PayloadKind::SuspiciousUrl);
    assert_eq!(kind_of("https://hmskort.no:8443/kort/7F3K9Q2XH4"), PayloadKind::SuspiciousUrl);
    assert_eq!(kind_of("https://hmskort.no\\@evil.example/kort/X1234"), PayloadKind::SuspiciousUrl);
    assert_eq!(kind_of("https://hmsk\u{043E}rt.no/kort/7F3K9Q2XH4"), PayloadKind::SuspiciousUrl, "Cyrillic o (IDN look-alike)");
    assert_eq!(kind_of("https://hmskort.no./kort/7F3K9Q2XH4"), PayloadKind::SuspiciousUrl, "trailing dot");
    assert_eq!(kind_of("https://hmskort%2eno/kort/7F3K9Q2XH4"), PayloadKind::SuspiciousUrl);
}

#[test]
fn rejects_plain_http_when_https_is_required() {
    assert_eq!(kind_of("http://hmskort.no/kort/7F3K9Q2XH4"), PayloadKind::InsecureUrl);
    let relaxed = HmsRules { require_https: false, ..HmsRules::default() };
    assert!(recognise_hms_card("http://hmskort.no/kort/7F3K9Q2XH4", &relaxed).is_ok());
}

#[test]
fn rejects_allowed_hosts_without_a_valid_reference() {
    assert_eq!(kind_of("https://hmskort.no/"), PayloadKind::HmsUrlWithoutReference);
    assert_eq!(kind_of("https://hmskort.no"), PayloadKind::HmsUrlWithoutReference);
    assert_eq!(kind_of("https://hmskort.no/kort/AB%43D"), PayloadKind::HmsUrlWithoutReference);
    assert_eq!(kind_of("https://hmskort.no/kort/abc"), PayloadKind::HmsUrlWithoutReference, "too short");
    assert_eq!(kind_of(&format!("https://hmskort.no/kort/{}", "A".repeat(65))), PayloadKind::HmsUrlWithoutReference);
    assert_eq!(kind_of("https://hmskort.no/kort/<b>x</b>"), PayloadKind::HmsUrlWithoutReference);
}

#[test]
fn classifies_other_kinds_of_codes_without_echoing_them() {
    assert_eq!(kind_of("WIFI:S:Byggeplass;T:WPA;P:hemmelig;;"), PayloadKind::WifiConfig);
    assert_eq!(kind_of("BEGIN:VCARD\nVERSION:3.0\nFN:Anna Maria Eriksson\nEND:VCARD"), PayloadKind::ControlCharacters);
    assert_eq!(kind_of("BEGIN:VCARD VERSION:3.0 FN:Anna Maria Eriksson"), PayloadKind::ContactCard);
    assert_eq!(kind_of("MECARD:N:Eriksson,Anna Maria;;"), PayloadKind::ContactCard);
    assert_eq!(kind_of("mailto:anna@example.com"), PayloadKind::Email);
    assert_eq!(kind_of("tel:+4712345678"), PayloadKind::Phone);
    assert_eq!(kind_of("SMSTO:+4712345678:hei"), PayloadKind::Sms);
    assert_eq!(kind_of("geo:59.91,10.75"), PayloadKind::Geo);
    assert_eq!(kind_of("otpauth://totp/x?secret=ABC"), PayloadKind::OtherScheme);
    assert_eq!(kind_of("Hei, dette er bare tekst"), PayloadKind::PlainText);
    assert_eq!(kind_of("   \n "), PayloadKind::Empty);
    let error = recognise_hms_card("Anna Maria Eriksson", &HmsRules::default()).unwrap_err();
    assert_eq!(error.to_string(), "not an HMS card: plain_text");
    assert_eq!(error.code(), ErrorCode::NotAnHmsCard);
}

#[test]
fn rejects_hostile_payloads() {
    assert_eq!(kind_of("javascript:alert(document.cookie)//https://hmskort.no/kort/AAAA1"), PayloadKind::UnsafeScheme);
    assert_eq!(kind_of(" JaVaScRiPt:alert(1)"), PayloadKind::UnsafeScheme);
    assert_eq!(kind_of("data:text/html;base64,PHNjcmlwdD4="), PayloadKind::UnsafeScheme);
    assert_eq!(kind_of("<img src=x onerror=alert(1)>"), PayloadKind::Html);
    assert_eq!(kind_of("https://hmskort.no/kort/7F3K9Q2XH4\u{0007}"), PayloadKind::ControlCharacters);
    assert_eq!(kind_of("https://hmskort.no/kort/\u{202E}4HX2Q9K3F7"), PayloadKind::ControlCharacters);
    assert_eq!(kind_of(&"A".repeat(3 * 1024)), PayloadKind::TooLong);
    assert_eq!(kind_of(&format!("https://hmskort.no/kort/{}", "B".repeat(2000))), PayloadKind::TooLong);
}

#[test]
fn query_parameter_rules_take_the_reference_from_the_query() {
    let rules = HmsRules { query_parameter: Some("id".into()), path_prefix: "/v".into(), ..HmsRules::default() };
    let found = recognise_hms_card("https://sjekk.hmskort.no/v?lang=nb&id=HMS-000123", &rules).expect("accepted");
    assert_eq!(found.as_str(), "HMS-000123");
    assert!(recognise_hms_card("https://sjekk.hmskort.no/v?lang=nb", &rules).is_err());
    assert!(recognise_hms_card("https://sjekk.hmskort.no/other?id=HMS-000123", &rules).is_err());
}

#[test]
fn wildcard_hosts_match_subdomains_only() {
    let rules = HmsRules { allowed_hosts: vec!["*.hmskort.no".into()], ..HmsRules::default() };
    assert!(recognise_hms_card("https://a.b.hmskort.no/kort/7F3K9Q2XH4", &rules).is_ok());
    assert!(recognise_hms_card("https://hmskort.no/kort/7F3K9Q2XH4", &rules).is_err());
}

#[test]
fn rules_deserialise_from_the_pages_json_with_defaults() {
    let rules: HmsRules = serde_json::from_str(r#"{"allowedHosts": ["kort.example.no"], "referenceCharset": "digits"}"#).unwrap();
    assert_eq!(rules.allowed_hosts, vec!["kort.example.no".to_string()]);
    assert!(rules.require_https);
    assert_eq!(rules.reference_charset, ReferenceCharset::Digits);
    assert!(rules.validate().is_ok());
    assert!(serde_json::from_str::<HmsRules>(r#"{"allowedHost": []}"#).is_err(), "unknown fields refused");
    let default_json = serde_json::to_value(HmsRules::default()).unwrap();
    assert_eq!(default_json["allowedHosts"][1], "*.hmskort.no");
}

#[test]
fn invalid_rules_are_refused_with_a_config_error() {
    for rules in [
        HmsRules { allowed_hosts: vec![], ..HmsRules::default() },
        HmsRules { allowed_hosts: vec!["*".into()], ..HmsRules::default() },
        HmsRules { allowed_hosts: vec!["no".into()], ..HmsRules::default() },
        HmsRules { path_prefix: "kort".into(), ..HmsRules::default() },
        HmsRules { reference_max_length: 500, ..HmsRules::default() },
        HmsRules { reference_min_length: 0, ..HmsRules::default() },
    ] {
        let error = rules.validate().unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidConfig);
    }
    assert!(HmsRules::default().validate().is_ok());
}

#[test]
fn accepted_references_never_exceed_200_ascii_characters() {
    let rules = HmsRules { reference_max_length: 200, ..HmsRules::default() };
    let long = "C".repeat(200);
    assert_eq!(recognise_hms_card(&format!("https://hmskort.no/{long}"), &rules).unwrap().as_str(), long);
    assert!(recognise_hms_card(&format!("https://hmskort.no/{long}C"), &rules).is_err());
}
