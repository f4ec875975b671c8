//! Parsing MRZ lines into the reading: the three facts the registry wants,
//! the document kind, and which check digits passed. The document number and
//! expiry date are checked here and then dropped: they are never stored.

use id_capture_contract::date::Date;
use crate::person::Person;

use super::check_digit::{check_digit, check_passes};
use super::document_kind::DocumentKind;
use super::error::{MrzError, MrzShapeProblem};
use super::fields::{decode_birth_date, decode_names, decode_nationality, is_valid_expiry, BirthDateField};
use super::layout::{Position, Span};

/// Which check digits of the MRZ passed. `None` where the layout has no such check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct CheckResults {
    pub document_number: bool,
    /// The check digit passes and the field is a date or a marked-unknown date.
    pub date_of_birth: bool,
    /// The check digit passes and the field is a date (or all filler).
    pub expiry: bool,
    /// TD3's personal number check digit.
    pub optional: Option<bool>,
    /// TD1, TD2 and TD3 composite check digit (visas have none).
    pub composite: Option<bool>,
}

impl CheckResults {
    pub fn all_passed(&self) -> bool {
        self.document_number
            && self.date_of_birth
            && self.expiry
            && self.optional.unwrap_or(true)
            && self.composite.unwrap_or(true)
    }
}

/// What an MRZ says about its holder, without the document number or expiry.
/// Serialises with `date_of_birth` as ISO `YYYY-MM-DD` (or `null`) and `kind` as `"TD3"` etc.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MrzReading {
    pub kind: DocumentKind,
    /// Secondary identifier, fillers as spaces; may be empty.
    pub given_names: String,
    /// Primary identifier, fillers as spaces.
    pub surname: String,
    /// `None` when the MRZ marks it (partly) unknown or it is malformed.
    #[serde(serialize_with = "serialize_iso_date")]
    pub date_of_birth: Option<Date>,
    /// Three-letter registry code (`D` → `DEU`); `None` when unknown to the registry.
    pub nationality: Option<String>,
    pub checks: CheckResults,
    /// The name field was full to its last position: the issuer may have cut names.
    pub names_truncated: bool,
    /// Per-character OCR confidence of the names, `None` for text input.
    /// Names carry no check digit, so a page asks the user to confirm low ones.
    pub name_confidence: Option<NameConfidence>,
    /// True when names came from OCR with a low-confidence character or were truncated.
    pub names_need_confirmation: bool,
    /// True when the birth date came from OCR and a character of it (or of
    /// its check digit) was repaired to the recogniser's runner-up: the check
    /// digits pass, but the page asks the user to look at the date.
    pub date_of_birth_needs_confirmation: bool,
    /// True when the nationality came from OCR and was repaired to a known
    /// code or has a low-confidence letter (no check digit covers it).
    pub nationality_needs_confirmation: bool,
}

impl MrzReading {
    /// True when every check digit of the layout passed.
    pub fn checks_passed(&self) -> bool {
        self.checks.all_passed()
    }

    /// The person to prefill the confirmation form with: names as on the
    /// document, birth date as ISO (empty when unknown, so the form asks for it).
    pub fn to_person(&self) -> Person {
        Person {
            given_names: self.given_names.clone(),
            surname: self.surname.clone(),
            date_of_birth: self.date_of_birth.map(|date| date.to_string()).unwrap_or_default(),
            nationality: self.nationality.clone(),
        }
    }
}

fn serialize_iso_date<S: serde::Serializer>(date: &Option<Date>, serializer: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(date) => serializer.serialize_str(&date.to_string()),
        None => serializer.serialize_none(),
    }
}

/// OCR confidence (0–100) of each character of `surname` and `given_names`,
/// aligned with their `chars()`; separators count as certain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NameConfidence {
    pub surname: Vec<u8>,
    pub given_names: Vec<u8>,
}

/// Parses MRZ lines (already split; surrounding white space ignored).
/// A reading is returned even when checks fail: inspect `checks`.
pub fn parse_mrz_lines<S: AsRef<str>>(lines: &[S], today: Date) -> Result<MrzReading, MrzError> {
    let lines: Vec<&[u8]> = lines.iter().map(|line| line.as_ref().trim().as_bytes()).collect();
    let line_length = lines.first().map_or(0, |line| line.len());
    if lines.iter().any(|line| line.len() != line_length) || !DocumentKind::is_known_shape(lines.len(), line_length) {
        return Err(MrzError::Invalid(MrzShapeProblem::UnknownLayout));
    }
    if !lines.iter().all(|line| line.iter().all(|&c| matches!(c, b'A'..=b'Z' | b'0'..=b'9' | b'<'))) {
        return Err(MrzError::Invalid(MrzShapeProblem::ForbiddenCharacter));
    }
    let document_code = lines[0][0];
    let kind = DocumentKind::from_shape(lines.len(), line_length, document_code)
        .ok_or(MrzError::Invalid(MrzShapeProblem::UnknownDocumentCode))?;
    Ok(parse_known_shape(kind, &lines, today))
}

/// Parses MRZ text: one line per row; blank lines and spaces inside lines ignored.
pub fn parse_mrz_text(text: &str, today: Date) -> Result<MrzReading, MrzError> {
    let lines: Vec<String> = text
        .lines()
        .map(|line| line.chars().filter(|c| !c.is_whitespace()).collect::<String>())
        .filter(|line| !line.is_empty())
        .collect();
    parse_mrz_lines(&lines, today)
}

fn parse_known_shape(kind: DocumentKind, lines: &[&[u8]], today: Date) -> MrzReading {
    let layout = kind.layout();
    let span = |(line, range): &Span| -> &[u8] { &lines[*line][range.clone()] };
    let at = |(line, index): Position| -> u8 { lines[line][index] };

    let document_number_check = at(layout.document_number_check);
    let document_number = span(&layout.document_number);
    let document_number_passes = match (&layout.document_number_overflow, document_number_check) {
        (Some(overflow), b'<') => long_document_number_passes(document_number, span(overflow)),
        _ => !document_number.iter().all(|&c| c == b'<') && check_passes(document_number, document_number_check),
    };

    let birth_field = decode_birth_date(span(&layout.birth_date), today);
    let birth_passes = birth_field != BirthDateField::Malformed
        && check_passes(span(&layout.birth_date), at(layout.birth_date_check));

    let expiry = span(&layout.expiry);
    let expiry_passes =
        (is_valid_expiry(expiry) || expiry.iter().all(|&c| c == b'<')) && check_passes(expiry, at(layout.expiry_check));

    let optional = layout.optional_checked.as_ref().map(|(field, check)| check_passes(span(field), at(*check)));
    let composite = layout.composite.as_ref().map(|(spans, check)| {
        let covered: Vec<u8> = spans.iter().flat_map(|s| span(s).iter().copied()).collect();
        check_digit(&covered).is_some_and(|digit| at(*check) == b'0' + digit)
    });

    let names = decode_names(span(&layout.name));
    MrzReading {
        kind,
        given_names: names.given_names,
        surname: names.surname,
        date_of_birth: match birth_field {
            BirthDateField::Known(date) => Some(date),
            _ => None,
        },
        nationality: decode_nationality(span(&layout.nationality)),
        checks: CheckResults { document_number: document_number_passes, date_of_birth: birth_passes, expiry: expiry_passes, optional, composite },
        names_truncated: names.truncated,
        name_confidence: None,
        names_need_confirmation: names.truncated,
        date_of_birth_needs_confirmation: false,
        nationality_needs_confirmation: false,
    }
}

/// ICAO 9303 Part 5 note j: a number longer than nine characters puts its
/// first nine in the number field, `<` in the check position, and the rest in
/// the optional field followed by the check digit over the whole number.
fn long_document_number_passes(first_nine: &[u8], overflow: &[u8]) -> bool {
    let end = overflow.iter().position(|&c| c == b'<').unwrap_or(overflow.len());
    if end < 2 || first_nine.contains(&b'<') {
        return false;
    }
    let (rest, check) = (&overflow[..end - 1], overflow[end - 1]);
    let whole: Vec<u8> = first_nine.iter().chain(rest).copied().collect();
    check.is_ascii_digit() && check_passes(&whole, check)
}
