//! The MRZ repair (`mrz::repair`: each checked character may become its
//! recogniser's close runner-up) on cell scores built from an invented MRZ:
//! the true character scores high, everything else low, then the input
//! raises or lowers any scores it likes.
//! Oracles: untouched scores give back exactly the invented MRZ; any repaired
//! reading passes every check, re-parses from its lines to the same reading
//! (except the OCR-only confirmation flags), keeps the shape, and changed at
//! most two checked characters plus the three of the nationality.
#![no_main]

use arbitrary::Arbitrary;
use id_capture::mrz::{parse_mrz_lines, repair, CellScores, DocumentKind};
use id_capture_fuzz::mrz_fixtures::{generate, Rng};
use id_capture_fuzz::today;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    seed: u64,
    kind: u8,
    /// `(line, position, template index, score)`: score 0–255 maps to −1…1.
    nudges: Vec<(u8, u8, u8, u8)>,
}

/// The order of `CellScores` (`mrz::templates::ALPHABET`).
const TEMPLATE_ORDER: &[u8; 37] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<";
const KINDS: [DocumentKind; 5] = [DocumentKind::Td1, DocumentKind::Td2, DocumentKind::Td3, DocumentKind::MrvA, DocumentKind::MrvB];

fuzz_target!(|input: Input| {
    let kind = KINDS[usize::from(input.kind) % KINDS.len()];
    let truth = generate(&mut Rng::new(input.seed), kind);
    let mut rows: Vec<Vec<CellScores>> = truth
        .lines
        .iter()
        .map(|line| {
            line.bytes()
                .map(|c| {
                    let mut scores = [-0.2f32; 37];
                    scores[TEMPLATE_ORDER.iter().position(|&t| t == c).unwrap()] = 0.9;
                    scores
                })
                .collect()
        })
        .collect();
    for &(line, position, template, score) in input.nudges.iter().take(16) {
        let line = usize::from(line) % rows.len();
        let position = usize::from(position) % rows[line].len();
        rows[line][position][usize::from(template) % 37] = f32::from(score) / 127.5 - 1.0;
    }
    let repaired = repair(&rows, today());
    if input.nudges.is_empty() {
        let repaired = repaired.expect("clean scores of a valid MRZ must read");
        assert_eq!(repaired.lines, truth.lines);
        assert!(repaired.repaired.is_empty());
        assert_eq!((&repaired.reading.surname, &repaired.reading.given_names), (&truth.surname, &truth.given_names));
        assert_eq!((repaired.reading.date_of_birth, &repaired.reading.nationality), (truth.date_of_birth, &truth.nationality));
        return;
    }
    let Some(repaired) = repaired else { return };
    let reading = &repaired.reading;
    assert!(reading.checks_passed(), "a repaired reading failed a check: {:?}", reading.checks);
    assert_eq!(repaired.lines.len(), rows.len());
    assert!(repaired.lines.iter().zip(&rows).all(|(line, row)| line.len() == row.len()));
    assert_eq!(repaired.confidence.len(), rows.len());
    assert!(repaired.repaired.len() <= 2 + 3, "{} characters repaired", repaired.repaired.len());
    let mut again = parse_mrz_lines(&repaired.lines, today()).expect("repaired lines must parse");
    again.date_of_birth_needs_confirmation = reading.date_of_birth_needs_confirmation;
    again.nationality_needs_confirmation = reading.nationality_needs_confirmation;
    again.names_need_confirmation = reading.names_need_confirmation;
    again.name_confidence = reading.name_confidence.clone();
    assert_eq!(&again, reading, "the repaired lines say something else than the reading");
});
