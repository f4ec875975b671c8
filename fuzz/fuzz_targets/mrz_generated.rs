//! The MRZ parser on valid invented MRZs (the native tests' generator,
//! seeded from the input) with a few characters changed.
//! Oracles: unchanged, the reading is the generator's ground truth with
//! every check passing; one changed character that a check digit covers,
//! changing the character's value mod 10, makes a check fail (ICAO's
//! 7-3-1 weights are coprime with 10, so such a change is always caught).
#![no_main]

use arbitrary::Arbitrary;
use id_capture::mrz::{character_value, parse_mrz_lines, DocumentKind};
use id_capture_fuzz::mrz_fixtures::{checked_positions, generate, Rng};
use id_capture_fuzz::today;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    seed: u64,
    kind: u8,
    /// `(line, position, character)`; the character is taken from the MRZ alphabet.
    changes: Vec<(u8, u8, u8)>,
}

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";
const KINDS: [DocumentKind; 5] = [DocumentKind::Td1, DocumentKind::Td2, DocumentKind::Td3, DocumentKind::MrvA, DocumentKind::MrvB];

fuzz_target!(|input: Input| {
    let kind = KINDS[usize::from(input.kind) % KINDS.len()];
    let truth = generate(&mut Rng::new(input.seed), kind);
    let mut lines: Vec<Vec<u8>> = truth.lines.iter().map(|line| line.as_bytes().to_vec()).collect();
    let mut changed = Vec::new();
    for &(line, position, character) in input.changes.iter().take(4) {
        let line = usize::from(line) % lines.len();
        let position = usize::from(position) % lines[line].len();
        let character = ALPHABET[usize::from(character) % ALPHABET.len()];
        if lines[line][position] != character {
            changed.push((line, position, lines[line][position], character));
            lines[line][position] = character;
        }
    }
    let text: Vec<String> = lines.iter().map(|line| String::from_utf8(line.clone()).unwrap()).collect();
    let reading = parse_mrz_lines(&text, today());
    if changed.is_empty() {
        let reading = reading.expect("a generated MRZ must parse");
        assert!(reading.checks_passed(), "{:?}", reading.checks);
        assert_eq!(reading.kind, truth.kind);
        assert_eq!(reading.surname, truth.surname);
        assert_eq!(reading.given_names, truth.given_names);
        assert_eq!(reading.date_of_birth, truth.date_of_birth);
        assert_eq!(reading.nationality, truth.nationality);
        assert_eq!(reading.names_truncated, truth.names_truncated);
        return;
    }
    // The document code decides the layout: a changed one may be another kind or none.
    let Ok(reading) = reading else { return };
    if let [(line, position, before, after)] = changed[..] {
        let value = |c: u8| character_value(c).unwrap();
        let covered = checked_positions(kind).contains(&(line, position));
        if reading.kind == kind && covered && (value(before) + 10 - value(after) % 10) % 10 != 0 {
            assert!(!reading.checks_passed(), "({line}, {position}) {} → {} passed every check", before as char, after as char);
        }
    }
});
