//! The MRZ text parser (`mrz::parse_mrz_text`) on any text.
//! Oracles: an accepted MRZ re-parses to the same reading from its lines
//! however they are laid out (CRLF, spaces, blank lines); its names are
//! A–Z/0–9 words joined by single spaces; a birth date is not after today;
//! a nationality is a code the registry knows; nothing asks for OCR confirmation.
#![no_main]

use id_capture::country::is_known_nationality;
use id_capture::mrz::{parse_mrz_lines, parse_mrz_text};
use id_capture_fuzz::today;
use libfuzzer_sys::fuzz_target;

fn is_mrz_words(text: &str) -> bool {
    text.is_empty()
        || (text.split(' ').all(|word| !word.is_empty() && word.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(reading) = parse_mrz_text(text, today()) else { return };
    let lines: Vec<String> =
        text.lines().map(|line| line.chars().filter(|c| !c.is_whitespace()).collect::<String>()).filter(|line| !line.is_empty()).collect();
    assert_eq!(parse_mrz_lines(&lines, today()).as_ref(), Ok(&reading), "lines and text disagree");
    let relaid = format!("\r\n{}\r\n\n", lines.iter().map(|line| format!(" {line} ")).collect::<Vec<_>>().join("\r\n \n"));
    assert_eq!(parse_mrz_text(&relaid, today()).as_ref(), Ok(&reading), "layout changed the reading");
    assert!(is_mrz_words(&reading.surname) && is_mrz_words(&reading.given_names), "names {:?} {:?}", reading.surname, reading.given_names);
    if let Some(date) = reading.date_of_birth {
        assert!(date <= today());
    }
    if let Some(code) = &reading.nationality {
        assert!(is_known_nationality(code), "{code}");
    }
    assert!(reading.name_confidence.is_none());
    assert_eq!(reading.names_need_confirmation, reading.names_truncated);
    assert!(!reading.date_of_birth_needs_confirmation && !reading.nationality_needs_confirmation, "text input has no OCR confidence");
    let person = reading.to_person();
    assert_eq!(person.date_of_birth.is_empty(), reading.date_of_birth.is_none());
});
