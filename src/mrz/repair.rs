//! From per-cell scores to lines: each position may only hold the
//! characters its field allows, and where the best characters fail a check
//! digit the close runners-up are tried; only a reading whose check digits
//! all pass is accepted.

use crate::country::is_known_nationality;
use crate::date::Date;

use super::classify::CellScores;
use super::document_kind::DocumentKind;
use super::reading::{parse_mrz_lines, MrzReading};
use super::templates::ALPHABET;

/// A runner-up is tried only when its score is this close to the best.
const MAX_SUBSTITUTION_COST: f32 = 0.22;
/// Upper bound on readings tried, so a hopeless photo stays fast.
const MAX_ATTEMPTS: usize = 4000;

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

/// A reading that passed every check, with the lines it came from and the
/// confidence (0–100) of each position.
pub struct RepairedReading {
    pub lines: Vec<String>,
    pub reading: MrzReading,
    pub confidence: Vec<Vec<u8>>,
}

/// The document kind from the shape and the best document code letter.
fn kind_for(rows: &[Vec<CellScores>]) -> Option<DocumentKind> {
    let length = rows.first()?.len();
    let first = rank(rows.first()?.first()?, CharClass::Letters);
    first.choices.iter().find_map(|&(code, _)| DocumentKind::from_shape(rows.len(), length, code))
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

    let mut options: Vec<(usize, usize, u8, f32)> = Vec::new();
    for (line, cells) in ranked.iter().enumerate() {
        for (position, r) in cells.iter().enumerate() {
            if !is_checked(kind, line, position) {
                continue;
            }
            let top = r.choices.first().map_or(0.0, |c| c.1);
            for &(character, score) in r.choices.iter().skip(1).take(2) {
                if top - score < MAX_SUBSTITUTION_COST {
                    options.push((line, position, character, top - score));
                }
            }
        }
    }
    options.sort_by(|a, b| a.3.total_cmp(&b.3));

    let attempts = std::cell::Cell::new(0usize);
    let try_reading = |edits: &[&(usize, usize, u8, f32)]| -> Option<(Vec<Vec<u8>>, MrzReading, f32)> {
        attempts.set(attempts.get() + 1);
        let mut lines = best.clone();
        for &&(line, position, character, _) in edits {
            lines[line][position] = character;
        }
        let text: Vec<String> = lines.iter().map(|l| String::from_utf8_lossy(l).into_owned()).collect();
        let reading = parse_mrz_lines(&text, today).ok()?;
        reading.checks_passed().then(|| (lines, reading, edits.iter().map(|e| e.3).sum()))
    };

    let mut found = try_reading(&[]);
    if found.is_none() {
        let singles: Vec<_> = options.iter().collect();
        found = singles.iter().filter_map(|&edit| try_reading(&[edit])).min_by(|a, b| a.2.total_cmp(&b.2));
    }
    if found.is_none() {
        let head: Vec<_> = options.iter().take(24).collect();
        let mut best_pair: Option<(Vec<Vec<u8>>, MrzReading, f32)> = None;
        for (i, first) in head.iter().enumerate() {
            for second in head.iter().skip(i + 1) {
                if (first.0, first.1) == (second.0, second.1) || attempts.get() > MAX_ATTEMPTS {
                    continue;
                }
                if let Some(candidate) = try_reading(&[first, second]) {
                    if best_pair.as_ref().is_none_or(|b| candidate.2 < b.2) {
                        best_pair = Some(candidate);
                    }
                }
            }
        }
        found = best_pair;
    }
    if found.is_none() {
        let head: Vec<_> = options.iter().take(14).collect();
        'search: for (i, a) in head.iter().enumerate() {
            for (j, b) in head.iter().enumerate().skip(i + 1) {
                for c in head.iter().skip(j + 1) {
                    let positions = [(a.0, a.1), (b.0, b.1), (c.0, c.1)];
                    if positions[0] == positions[1] || positions[1] == positions[2] || positions[0] == positions[2] {
                        continue;
                    }
                    if attempts.get() > MAX_ATTEMPTS {
                        break 'search;
                    }
                    if let Some(candidate) = try_reading(&[a, b, c]) {
                        found = Some(candidate);
                        break 'search;
                    }
                }
            }
        }
    }
    let (mut lines, mut reading, _cost) = found?;
    repair_nationality(kind, &ranked, &mut lines, &mut reading, today);
    Some(RepairedReading {
        lines: lines.iter().map(|l| String::from_utf8_lossy(l).into_owned()).collect(),
        reading,
        confidence,
    })
}

/// Nationality has no check digit, but must be a code the registry knows:
/// when the best letters are not one, a close runner-up that is wins.
fn repair_nationality(kind: DocumentKind, ranked: &[Vec<Ranked>], lines: &mut [Vec<u8>], reading: &mut MrzReading, today: Date) {
    let (line, start) = if kind == DocumentKind::Td1 { (1, 15) } else { (1, 10) };
    let Some(field) = lines.get(line).and_then(|l| l.get(start..start + 3)) else { return };
    if reading.nationality.is_some() || field == b"<<<" {
        return;
    }
    let mut best: Option<([u8; 3], f32)> = None;
    for a in 0..3 {
        for b in 0..3 {
            for c in 0..3 {
                let picks = [a, b, c];
                let mut code = [0u8; 3];
                let mut cost = 0.0;
                let mut valid = true;
                for (offset, &pick) in picks.iter().enumerate() {
                    let Some(choices) = ranked.get(line).and_then(|l| l.get(start + offset)).map(|r| &r.choices) else { return };
                    match (choices.first(), choices.get(pick)) {
                        (Some(top), Some(choice)) if top.1 - choice.1 < MAX_SUBSTITUTION_COST => {
                            code[offset] = choice.0;
                            cost += top.1 - choice.1;
                        }
                        _ => valid = false,
                    }
                }
                let text = String::from_utf8_lossy(&code);
                let known = is_known_nationality(text.trim_end_matches('<')) || text == "D<<";
                if valid && known && best.is_none_or(|(_, best_cost)| cost < best_cost) {
                    best = Some((code, cost));
                }
            }
        }
    }
    if let Some((code, _)) = best {
        lines[line][start..start + 3].copy_from_slice(&code);
        let text: Vec<String> = lines.iter().map(|l| String::from_utf8_lossy(l).into_owned()).collect();
        if let Ok(repaired) = parse_mrz_lines(&text, today) {
            if repaired.checks_passed() {
                *reading = repaired;
            }
        }
    }
}
