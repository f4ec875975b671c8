//! The MRZ parser against ICAO's own specimens and thousands of generated
//! documents, with every single-character corruption of a checked field.

mod support;

use id_capture::date::Date;
use id_capture::error::{Coded, ErrorCode};
use id_capture::mrz::{character_value, parse_mrz_lines, parse_mrz_text, DocumentKind, MrzError, MrzReading};
use support::mrz_fixtures::{checked_positions, generate, today, Rng};

fn parse(lines: &[&str]) -> MrzReading {
    parse_mrz_lines(lines, today()).unwrap()
}

fn assert_anna_maria(reading: &MrzReading, kind: DocumentKind, born: &str) {
    assert_eq!(reading.kind, kind);
    assert_eq!(reading.surname, "ERIKSSON");
    assert_eq!(reading.given_names, "ANNA MARIA");
    assert_eq!(reading.date_of_birth.map(|d| d.to_string()).as_deref(), Some(born));
    assert!(reading.checks_passed(), "{:?}", reading.checks);
    assert!(!reading.names_truncated);
}

#[test]
fn reads_the_icao_td1_specimen() {
    let reading = parse(&["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]);
    assert_anna_maria(&reading, DocumentKind::Td1, "1974-08-12");
    assert_eq!(reading.checks.composite, Some(true));
    assert_eq!(reading.checks.optional, None);
    // Utopia is ICAO's fictional state: not a nationality the registry knows.
    assert_eq!(reading.nationality, None);
}

#[test]
fn reads_the_icao_td2_specimen() {
    let reading = parse(&["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"]);
    assert_anna_maria(&reading, DocumentKind::Td2, "1974-08-12");
    assert_eq!(reading.checks.composite, Some(true));
}

#[test]
fn reads_the_icao_td3_specimen() {
    let reading = parse(&["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]);
    assert_anna_maria(&reading, DocumentKind::Td3, "1974-08-12");
    assert_eq!(reading.checks.optional, Some(true));
    assert_eq!(reading.checks.composite, Some(true));
}

#[test]
fn reads_the_icao_visa_specimens_which_have_no_composite() {
    let reading = parse(&["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"]);
    assert_anna_maria(&reading, DocumentKind::MrvA, "1940-09-07");
    assert_eq!((reading.checks.optional, reading.checks.composite), (None, None));
    assert_eq!(reading.nationality.as_deref(), Some("XXX"));
    let reading = parse(&["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<"]);
    assert_anna_maria(&reading, DocumentKind::MrvB, "1940-09-07");
}

#[test]
fn td3_optional_check_may_be_filler_only_when_the_personal_number_is_empty() {
    let reading = parse(&["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159<<<<<<<<<<<<<<<8"]);
    assert_eq!(reading.checks.optional, Some(true));
    let reading = parse(&["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<<0"]);
    assert_eq!(reading.checks.optional, Some(false));
    assert!(!reading.checks_passed());
}

#[test]
fn accepts_a_long_td1_document_number_continued_in_the_optional_field() {
    // Number D231458907345: first nine, `<`, the rest, then its check digit 4.
    let reading = parse(&["I<UTOD23145890<73454<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<8", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]);
    assert!(reading.checks.document_number, "{:?}", reading.checks);
    assert!(reading.checks_passed(), "{:?}", reading.checks);
    let wrong = parse(&["I<UTOD23145890<73455<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<9", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]);
    assert!(!wrong.checks.document_number);
}

#[test]
fn reports_unknown_birth_dates_as_unknown() {
    let reading = parse(&["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO<<<<<<0F1204159<<<<<<<8"]);
    assert!(reading.checks.date_of_birth, "{:?}", reading.checks);
    assert_eq!(reading.date_of_birth, None);
    assert_eq!(reading.to_person().date_of_birth, "");
}

#[test]
fn maps_the_german_single_letter_code_to_deu() {
    let reading = parse(&["IDD<<T220001293<<<<<<<<<<<<<<<", "6408125<2010315D<<<<<<<<<<<<<4", "MUSTERMANN<<ERIKA<<<<<<<<<<<<<"]);
    assert_eq!(reading.nationality.as_deref(), Some("DEU"));
    assert_eq!(reading.date_of_birth, Date::new(1964, 8, 12));
    assert!(reading.checks_passed(), "{:?}", reading.checks);
}

#[test]
fn refuses_shapes_and_characters_of_no_icao_format_with_mrz_invalid() {
    for lines in [
        vec!["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"],
        vec!["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"],
        vec!["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<1a"],
        vec!["X<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"],
    ] {
        let error = parse_mrz_lines(&lines, today()).unwrap_err();
        assert_eq!(error.code(), ErrorCode::MrzInvalid);
        assert!(!error.to_string().contains("ERIKSSON"));
    }
}

#[test]
fn parses_text_with_spaces_and_blank_lines() {
    let reading = parse_mrz_text("\n P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<< \n\nL898902C36UTO7408122F1204159ZE184226B<<<<< 10\n", today()).unwrap();
    assert!(reading.checks_passed());
}

#[test]
fn debug_output_never_shows_the_document_number_or_expiry() {
    let reading = parse(&["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]);
    let shown = format!("{reading:?}");
    assert!(!shown.contains("L898902C3") && !shown.contains("120415") && !shown.contains("2012"));
}

#[test]
fn serialises_for_the_page_with_an_iso_birth_date_and_nothing_secret() {
    let reading = parse(&["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]);
    let json = serde_json::to_value(&reading).unwrap();
    assert_eq!(json["kind"], "TD3");
    assert_eq!(json["date_of_birth"], "1974-08-12");
    assert_eq!(json["checks"]["composite"], true);
    let text = json.to_string();
    assert!(!text.contains("L898902C3") && !text.contains("120415") && !text.contains("2012"));
}

#[test]
fn reads_thousands_of_generated_documents_exactly() {
    let mut rng = Rng::new(1);
    for index in 0..5000 {
        let kind = DocumentKind::ALL[index % 5];
        let expected = generate(&mut rng, kind);
        let reading = parse_mrz_lines(&expected.lines, today()).unwrap();
        assert!(reading.checks_passed(), "{:?} {:?}", expected.lines, reading.checks);
        assert_eq!(reading.kind, kind);
        assert_eq!(reading.surname, expected.surname, "{:?}", expected.lines);
        assert_eq!(reading.given_names, expected.given_names, "{:?}", expected.lines);
        assert_eq!(reading.date_of_birth, expected.date_of_birth, "{:?}", expected.lines);
        assert_eq!(reading.nationality, expected.nationality, "{:?}", expected.lines);
        assert_eq!(reading.names_truncated, expected.names_truncated, "{:?}", expected.lines);
    }
}

/// 7-3-1 weights are coprime to 10, so a substitution is invisible to every
/// check digit exactly when the two characters' values differ by a multiple
/// of ten (e.g. `2`/`C`/`M`/`W`, `<`/`0`/`A`/`K`/`U`) — possible only in the
/// alphanumeric fields. Every other corruption of a checked field must be caught.
#[test]
fn every_detectable_single_character_corruption_of_a_checked_field_fails_a_check() {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";
    let mut rng = Rng::new(2);
    let (mut corruptions, mut caught, mut invisible_by_design) = (0u64, 0u64, 0u64);
    for index in 0..2000 {
        let kind = DocumentKind::ALL[index % 5];
        let original = generate(&mut rng, kind);
        for (line, position) in checked_positions(kind) {
            let old = original.lines[line].as_bytes()[position];
            for &new in ALPHABET.iter().filter(|&&c| c != old) {
                let mut lines = original.lines.clone();
                // SAFETY of the edit: both bytes are ASCII.
                unsafe { lines[line].as_bytes_mut()[position] = new };
                corruptions += 1;
                let detected = match parse_mrz_lines(&lines, today()) {
                    Ok(reading) => !reading.checks_passed(),
                    Err(MrzError::Invalid(_)) => true,
                    Err(other) => panic!("unexpected {other:?}"),
                };
                let delta = character_value(new).unwrap().abs_diff(character_value(old).unwrap());
                if detected {
                    caught += 1;
                } else {
                    assert_eq!(delta % 10, 0, "undetected {:?} line {line} pos {position} -> {}", original.lines, new as char);
                    invisible_by_design += 1;
                }
            }
        }
    }
    println!("{corruptions} corruptions, {caught} caught, {invisible_by_design} invisible to 7-3-1 by design");
    assert!(caught > corruptions * 9 / 10);
}

#[test]
fn arbitrary_text_never_panics_and_only_mrz_shapes_parse() {
    let mut rng = Rng::new(3);
    let alphabet: Vec<char> = "ABCZ0189<< \n\tøé€abc".chars().collect();
    for _ in 0..20_000 {
        let lines = 1 + rng.below(4);
        let length = [29, 30, 31, 35, 36, 37, 43, 44, 45][rng.below(9)];
        let text: Vec<String> = (0..lines).map(|_| (0..length).map(|_| *rng.pick(&alphabet)).collect()).collect();
        let _ = parse_mrz_lines(&text, today());
        let _ = parse_mrz_text(&text.join("\n"), today());
    }
    // Valid shapes with random MRZ characters parse (checks decide validity).
    for _ in 0..2_000 {
        let kind = DocumentKind::ALL[rng.below(5)];
        let code = match kind {
            DocumentKind::Td3 => 'P',
            DocumentKind::MrvA | DocumentKind::MrvB => 'V',
            _ => 'I',
        };
        let lines: Vec<String> = (0..kind.line_count())
            .map(|line| {
                (0..kind.line_length())
                    .map(|i| if line == 0 && i == 0 { code } else { *rng.pick(&"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<".chars().collect::<Vec<_>>()) })
                    .collect()
            })
            .collect();
        assert_eq!(parse_mrz_lines(&lines, today()).unwrap().kind, kind);
    }
}
