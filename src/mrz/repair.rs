//! From per-cell scores to lines: each position may only hold the
//! characters its field allows, and where the best characters fail a check
//! digit the close runners-up are tried; only a reading whose check digits
//! all pass is accepted.

use id_capture_contract::country::is_known_nationality;
use id_capture_contract::date::Date;

use super::classify::CellScores;
use super::document_kind::DocumentKind;
use super::reading::{parse_mrz_lines, MrzReading};
use super::templates::ALPHABET;

/// Repair never invents: a character may be replaced only by the
/// recogniser's own runner-up for that position (the second-best character
/// the field allows there), and only when the runner-up scored within this
/// margin (normalised cross-correlation, −1…1) of the winner. Tuned on the
/// project's own generated photos (`examples/mrz_accuracy`), never on
/// `mrz-photos-b`.
pub const RUNNER_UP_MARGIN: f32 = 0.12;
/// At most this many characters are replaced in one reading: each replaced
/// character spends some of the evidence the check digits give, and a printed
/// MRZ whose check digits are wrong must stay refused.
pub const MAX_REPAIRED_CHARACTERS: usize = 2;
/// A name or nationality character below this confidence (0–100) asks the
/// user to confirm the field (neither has a check digit).
pub const CONFIRM_BELOW: u8 = 40;
/// Pairs of replacements are formed from the closest runner-ups only.
const PAIR_CANDIDATES: usize = 12;

#[derive(Clone, Copy, PartialEq, Eq)]
enum CharClass {
    Letters,
    Digits,
    DigitsOrFiller,
    Any,
}

impl CharClass {
    fn allows(self, character: u8) -> bool {
        match self {
            CharClass::Letters => character.is_ascii_uppercase() || character == b'<',
            CharClass::Digits => character.is_ascii_digit(),
            CharClass::DigitsOrFiller => character.is_ascii_digit() || character == b'<',
            CharClass::Any => true,
        }
    }
}

/// What each position of each layout may hold (ICAO 9303 Parts 4–7).
fn char_class(kind: DocumentKind, line: usize, position: usize) -> CharClass {
    use CharClass::*;
    match kind {
        DocumentKind::Td1 => match (line, position) {
            (0, 0..=4) => Letters,
            (0, 5..=13) => Any,
            (0, 14) => DigitsOrFiller,
            (0, _) => Any,
            (1, 0..=5) => DigitsOrFiller,
            (1, 6) | (1, 14) | (1, 29) => Digits,
            (1, 7) => Letters,
            (1, 8..=13) => DigitsOrFiller,
            (1, 15..=17) => Letters,
            (1, _) => Any,
            _ => Letters,
        },
        _ => match (line, position) {
            (0, _) => Letters,
            (1, 0..=8) => Any,
            (1, 9) => DigitsOrFiller,
            (1, 10..=12) => Letters,
            (1, 13..=18) => DigitsOrFiller,
            (1, 19) | (1, 27) => Digits,
            (1, 20) => Letters,
            (1, 21..=26) => DigitsOrFiller,
            (1, p) if p == kind.line_length() - 1 && matches!(kind, DocumentKind::Td2 | DocumentKind::Td3) => Digits,
            (1, 42) if kind == DocumentKind::Td3 => DigitsOrFiller,
            _ => Any,
        },
    }
}

/// Positions covered by some check digit.
fn is_checked(kind: DocumentKind, line: usize, position: usize) -> bool {
    match kind {
        DocumentKind::Td1 => matches!((line, position), (0, 5..=29) | (1, 0..=6) | (1, 8..=14) | (1, 18..=29)),
        DocumentKind::Td2 | DocumentKind::Td3 => line == 1 && !matches!(position, 10..=12 | 20),
        DocumentKind::MrvA | DocumentKind::MrvB => line == 1 && matches!(position, 0..=9 | 13..=19 | 21..=27),
    }
}

/// Ranked characters allowed at one position, best first.
struct Ranked {
    choices: Vec<(u8, f32)>,
}

fn rank(scores: &CellScores, class: CharClass) -> Ranked {
    let mut choices: Vec<(u8, f32)> =
        ALPHABET.iter().zip(scores.iter()).filter(|(c, _)| class.allows(**c)).map(|(&c, &s)| (c, s)).collect();
    choices.sort_by(|a, b| b.1.total_cmp(&a.1));
    Ranked { choices }
}

/// A reading that passed every check, with the lines it came from, the
/// confidence (0–100) of each position, and which positions repair changed.
pub struct RepairedReading {
    pub lines: Vec<String>,
    pub reading: MrzReading,
    pub confidence: Vec<Vec<u8>>,
    /// `(line, position)` of every character replaced by its runner-up.
    #[cfg_attr(not(test), allow(dead_code))]
    pub repaired: Vec<(usize, usize)>,
}

/// The document kind from the shape and the best document code letter.
fn kind_for(rows: &[Vec<CellScores>]) -> Option<DocumentKind> {
    let length = rows.first()?.len();
    let first = rank(rows.first()?.first()?, CharClass::Letters);
    first.choices.iter().find_map(|&(code, _)| DocumentKind::from_shape(rows.len(), length, code))
}

/// One allowed replacement: the runner-up at `(line, position)` and how far
/// below the winner it scored.
#[derive(Clone, Copy)]
struct Replacement {
    line: usize,
    position: usize,
    character: u8,
    cost: f32,
}

/// The runner-up of a ranked position when it is within the margin.
fn close_runner_up(ranked: &Ranked) -> Option<(u8, f32)> {
    match ranked.choices.as_slice() {
        [(_, top), (character, score), ..] if top - score <= RUNNER_UP_MARGIN => Some((*character, top - score)),
        _ => None,
    }
}

pub fn repair(rows: &[Vec<CellScores>], today: Date) -> Option<RepairedReading> {
    let kind = kind_for(rows)?;
    let ranked: Vec<Vec<Ranked>> = rows
        .iter()
        .enumerate()
        .map(|(line, cells)| cells.iter().enumerate().map(|(position, scores)| rank(scores, char_class(kind, line, position))).collect())
        .collect();
    let mut best: Vec<Vec<u8>> = ranked.iter().map(|line| line.iter().map(|r| r.choices.first().map_or(b'<', |c| c.0)).collect()).collect();
    // The document code must say the kind we decided on.
    if let Some(code) = best.first_mut().and_then(|line| line.first_mut()) {
        if DocumentKind::from_shape(rows.len(), rows[0].len(), *code) != Some(kind) {
            *code = if matches!(kind, DocumentKind::MrvA | DocumentKind::MrvB) { b'V' } else { *code };
        }
    }
    let confidence: Vec<Vec<u8>> = ranked
        .iter()
        .map(|line| {
            line.iter()
                .map(|r| {
                    let margin = match r.choices.as_slice() {
                        [first, second, ..] => first.1 - second.1,
                        _ => 1.0,
                    };
                    (margin / 0.15 * 100.0).clamp(0.0, 100.0) as u8
                })
                .collect()
        })
        .collect();

    // Only checked positions may change, and each only to its own close runner-up.
    let mut replacements: Vec<Replacement> = Vec::new();
    for (line, cells) in ranked.iter().enumerate() {
        for (position, r) in cells.iter().enumerate() {
            if !is_checked(kind, line, position) {
                continue;
            }
            if let Some((character, cost)) = close_runner_up(r) {
                replacements.push(Replacement { line, position, character, cost });
            }
        }
    }
    replacements.sort_by(|a, b| a.cost.total_cmp(&b.cost));

    let try_reading = |edits: &[Replacement]| -> Option<(Vec<Vec<u8>>, MrzReading, f32)> {
        let mut lines = best.clone();
        for edit in edits {
            lines[edit.line][edit.position] = edit.character;
        }
        let text: Vec<String> = lines.iter().map(|l| String::from_utf8_lossy(l).into_owned()).collect();
        let reading = parse_mrz_lines(&text, today).ok()?;
        reading.checks_passed().then(|| (lines, reading, edits.iter().map(|e| e.cost).sum()))
    };

    let mut repaired: Vec<Replacement> = Vec::new();
    let mut found = try_reading(&[]);
    if found.is_none() && MAX_REPAIRED_CHARACTERS >= 1 {
        // The cheapest single replacement that passes every check.
        if let Some((candidate, edit)) = replacements.iter().find_map(|&edit| try_reading(&[edit]).map(|c| (c, edit))) {
            found = Some(candidate);
            repaired = vec![edit];
        }
    }
    if found.is_none() && MAX_REPAIRED_CHARACTERS >= 2 {
        let head = &replacements[..replacements.len().min(PAIR_CANDIDATES)];
        let mut best_pair: Option<((Vec<Vec<u8>>, MrzReading, f32), [Replacement; 2])> = None;
        for (i, &first) in head.iter().enumerate() {
            for &second in &head[i + 1..] {
                if let Some(candidate) = try_reading(&[first, second]) {
                    if best_pair.as_ref().is_none_or(|(b, _)| candidate.2 < b.2) {
                        best_pair = Some((candidate, [first, second]));
                    }
                }
            }
        }
        if let Some((candidate, edits)) = best_pair {
            found = Some(candidate);
            repaired = edits.to_vec();
        }
    }
    let (mut lines, mut reading, _cost) = found?;
    let mut repaired: Vec<(usize, usize)> = repaired.iter().map(|edit| (edit.line, edit.position)).collect();
    repaired.extend(repair_nationality(kind, &ranked, &mut lines, &mut reading, today));
    flag_repaired_fields(&mut reading, &repaired, &confidence);
    Some(RepairedReading {
        lines: lines.iter().map(|l| String::from_utf8_lossy(l).into_owned()).collect(),
        reading,
        confidence,
        repaired,
    })
}

/// A repair that touched the birth date (or its check digit) or the
/// nationality asks the user to confirm that field; so does a nationality
/// letter of low confidence, as no check digit covers it.
fn flag_repaired_fields(reading: &mut MrzReading, repaired: &[(usize, usize)], confidence: &[Vec<u8>]) {
    let layout = reading.kind.layout();
    let in_span = |(line, range): &(usize, std::ops::Range<usize>), position: &(usize, usize)| *line == position.0 && range.contains(&position.1);
    reading.date_of_birth_needs_confirmation =
        repaired.iter().any(|position| in_span(&layout.birth_date, position) || *position == layout.birth_date_check);
    let (nationality_line, nationality_range) = &layout.nationality;
    let nationality_lowest =
        confidence.get(*nationality_line).and_then(|c| c.get(nationality_range.clone())).and_then(|c| c.iter().copied().min()).unwrap_or(0);
    reading.nationality_needs_confirmation =
        repaired.iter().any(|position| in_span(&layout.nationality, position)) || nationality_lowest < CONFIRM_BELOW;
}

/// Nationality has no check digit, but must be a code the registry knows:
/// when the best letters are not one, the cheapest mix of winners and close
/// runner-ups that is one wins. Returns the positions it changed.
fn repair_nationality(kind: DocumentKind, ranked: &[Vec<Ranked>], lines: &mut [Vec<u8>], reading: &mut MrzReading, today: Date) -> Vec<(usize, usize)> {
    let (line, start) = if kind == DocumentKind::Td1 { (1, 15) } else { (1, 10) };
    let Some(field) = lines.get(line).and_then(|l| l.get(start..start + 3)) else { return Vec::new() };
    if reading.nationality.is_some() || field == b"<<<" {
        return Vec::new();
    }
    let Some(cells) = ranked.get(line).and_then(|l| l.get(start..start + 3)) else { return Vec::new() };
    let mut best: Option<([u8; 3], f32, [bool; 3])> = None;
    for mask in 1u8..8 {
        let mut code = [0u8; 3];
        let mut cost = 0.0;
        let mut changed = [false; 3];
        let mut valid = true;
        for (offset, cell) in cells.iter().enumerate() {
            let replace = mask & (1 << offset) != 0;
            match (replace, cell.choices.first(), close_runner_up(cell)) {
                (false, Some(&(top, _)), _) => code[offset] = top,
                (true, _, Some((runner_up, runner_cost))) => {
                    code[offset] = runner_up;
                    cost += runner_cost;
                    changed[offset] = true;
                }
                _ => valid = false,
            }
        }
        let text = String::from_utf8_lossy(&code);
        let known = is_known_nationality(text.trim_end_matches('<')) || text == "D<<";
        if valid && known && best.is_none_or(|(_, best_cost, _)| cost < best_cost) {
            best = Some((code, cost, changed));
        }
    }
    let Some((code, _, changed)) = best else { return Vec::new() };
    let original = lines[line][start..start + 3].to_vec();
    lines[line][start..start + 3].copy_from_slice(&code);
    let text: Vec<String> = lines.iter().map(|l| String::from_utf8_lossy(l).into_owned()).collect();
    match parse_mrz_lines(&text, today) {
        Ok(repaired) if repaired.checks_passed() => {
            *reading = repaired;
            (0..3).filter(|&offset| changed[offset]).map(|offset| (line, start + offset)).collect()
        }
        _ => {
            lines[line][start..start + 3].copy_from_slice(&original);
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2026, 11, 23).unwrap()
    }

    /// ICAO Doc 9303 Part 4 specimen (invented holder), all check digits right.
    const SPECIMEN: [&str; 2] = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36NOR7408122F1204159ZE184226B<<<<<10"];

    /// Scores of a confident recogniser reading `lines`: each printed
    /// character 0.9, every other character 0.3.
    fn confident_scores(lines: &[&str]) -> Vec<Vec<CellScores>> {
        lines
            .iter()
            .map(|line| {
                line.bytes()
                    .map(|printed| {
                        let mut scores = [0.3f32; 37];
                        if let Some(index) = ALPHABET.iter().position(|&c| c == printed) {
                            scores[index] = 0.9;
                        }
                        scores
                    })
                    .collect()
            })
            .collect()
    }

    fn set(rows: &mut [Vec<CellScores>], line: usize, position: usize, character: u8, score: f32) {
        let index = ALPHABET.iter().position(|&c| c == character).unwrap();
        rows[line][position][index] = score;
    }

    fn with_character(line: &str, position: usize, character: char) -> String {
        line.chars().enumerate().map(|(i, c)| if i == position { character } else { c }).collect()
    }

    #[test]
    fn the_specimen_passes_without_repair_and_flags_nothing() {
        let repaired = repair(&confident_scores(&SPECIMEN), today()).expect("specimen passes");
        assert!(repaired.repaired.is_empty());
        assert_eq!(repaired.reading.nationality.as_deref(), Some("NOR"));
        assert!(!repaired.reading.date_of_birth_needs_confirmation);
        assert!(!repaired.reading.nationality_needs_confirmation);
    }

    #[test]
    fn a_wrong_printed_check_digit_is_not_repaired_into_validity() {
        // The birth date check digit is printed wrong (3 instead of 2). The
        // recogniser reads the 3 with a close runner-up 8 (wrong too), and
        // the digit that would satisfy the checksum, 2, only third: a free
        // search would "find" it; the runner-up rule must not.
        let printed = [SPECIMEN[0].to_string(), with_character(SPECIMEN[1], 19, '3')];
        let mut rows = confident_scores(&[&printed[0], &printed[1]]);
        set(&mut rows, 1, 19, b'8', 0.86);
        set(&mut rows, 1, 19, b'2', 0.84);
        assert!(repair(&rows, today()).is_none());
    }

    #[test]
    fn a_checksum_is_not_satisfied_by_changing_confident_characters() {
        // Wrong printed document number check digit, every character read
        // confidently: nothing may be changed, however many fixes exist.
        let printed = [SPECIMEN[0].to_string(), with_character(SPECIMEN[1], 9, '7')];
        let rows = confident_scores(&[&printed[0], &printed[1]]);
        assert!(repair(&rows, today()).is_none());
    }

    #[test]
    fn runner_ups_outside_the_margin_are_not_used() {
        // Printed right, but the birth date's 4 misread as 1 by more than the margin.
        let mut rows = confident_scores(&SPECIMEN);
        set(&mut rows, 1, 14, b'1', 0.9);
        set(&mut rows, 1, 14, b'4', 0.9 - RUNNER_UP_MARGIN - 0.05);
        assert!(repair(&rows, today()).is_none());
    }

    #[test]
    fn a_birth_date_repaired_from_its_runner_up_is_flagged_for_confirmation() {
        // The birth date's 4 misread as 1, with 4 the close runner-up.
        let mut rows = confident_scores(&SPECIMEN);
        set(&mut rows, 1, 14, b'1', 0.9);
        set(&mut rows, 1, 14, b'4', 0.85);
        let repaired = repair(&rows, today()).expect("runner-up repair");
        assert_eq!(repaired.repaired, vec![(1, 14)]);
        assert_eq!(repaired.reading.date_of_birth.map(|d| d.to_string()).as_deref(), Some("1974-08-12"));
        assert!(repaired.reading.date_of_birth_needs_confirmation);
        assert!(!repaired.reading.nationality_needs_confirmation);
    }

    #[test]
    fn a_repaired_document_number_does_not_flag_the_birth_date() {
        let mut rows = confident_scores(&SPECIMEN);
        // The document number's 8 misread as 3, with 8 the close runner-up.
        set(&mut rows, 1, 3, b'3', 0.9);
        set(&mut rows, 1, 3, b'8', 0.86);
        let repaired = repair(&rows, today()).expect("runner-up repair");
        assert_eq!(repaired.repaired, vec![(1, 3)]);
        assert!(!repaired.reading.date_of_birth_needs_confirmation);
    }

    #[test]
    fn a_nationality_repaired_to_a_known_code_is_flagged_for_confirmation() {
        // NOR read as NDR (no such code), with O the close runner-up.
        let mut rows = confident_scores(&SPECIMEN);
        set(&mut rows, 1, 11, b'D', 0.9);
        set(&mut rows, 1, 11, b'O', 0.84);
        let repaired = repair(&rows, today()).expect("nationality repair");
        assert_eq!(repaired.reading.nationality.as_deref(), Some("NOR"));
        assert!(repaired.reading.nationality_needs_confirmation);
        assert!(!repaired.reading.date_of_birth_needs_confirmation);
    }

    #[test]
    fn a_low_confidence_nationality_letter_is_flagged_even_when_known() {
        // NOR read as NOR, but with R barely ahead of P (NOP is no code either way).
        let mut rows = confident_scores(&SPECIMEN);
        set(&mut rows, 1, 12, b'P', 0.89);
        let repaired = repair(&rows, today()).expect("reads");
        assert_eq!(repaired.reading.nationality.as_deref(), Some("NOR"));
        assert!(repaired.reading.nationality_needs_confirmation);
    }

    #[test]
    fn at_most_two_characters_are_repaired() {
        // Three independent misreads, each with the right runner-up: refused.
        let mut rows = confident_scores(&SPECIMEN);
        for (position, wrong, right) in [(1usize, b'3', b'8'), (16, b'6', b'8'), (22, b'7', b'2')] {
            set(&mut rows, 1, position, wrong, 0.9);
            set(&mut rows, 1, position, right, 0.86);
        }
        assert!(repair(&rows, today()).is_none());
    }
}
