//! Invented MRZs with ground truth, for the parser and reader tests and the
//! photo generator. Deterministic: a seed gives the same documents everywhere.
#![allow(dead_code)]

use id_capture::date::Date;
use id_capture::mrz::{check_digit, DocumentKind};

/// SplitMix64: small, deterministic, good enough for fixtures.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..bound` (bound > 0).
    pub fn below(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound as u64) as usize
    }
    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn range(&mut self, low: f32, high: f32) -> f32 {
        low + (high - low) * self.unit() as f32
    }
    pub fn chance(&mut self, probability: f64) -> bool {
        self.unit() < probability
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const SURNAMES: [&str; 24] = [
    "ERIKSSON", "NORDMANN", "KOWALSKA", "NOWAK", "HANSEN", "OLSEN", "MUELLER", "SCHMIDT", "PETRENKO", "KOVALENKO",
    "JOHANSSON", "VAN<DER<BERG", "GARCIA<LOPEZ", "ROSSI", "DUBOIS", "KAZLAUSKAS", "POPESCU", "SANTOS", "OCONNOR",
    "BJORNSTAD", "LINDQVIST", "WOJCIK", "MAKAROVA", "QUIXOTE",
];
const GIVEN_NAMES: [&str; 24] = [
    "ANNA", "MARIA", "OLA", "KARI", "PIOTR", "AGNIESZKA", "JAN", "LARS", "INGRID", "OKSANA", "TARAS", "LUCA", "CHLOE",
    "JONAS", "IOANA", "JOAO", "SIOBHAN", "ZOFIA", "WERONIKA", "YURI", "XAVIER", "EMIL", "NORA", "KRZYSZTOF",
];
/// Nationality fields as printed, with what the registry should receive.
pub const NATIONALITIES: [(&str, Option<&str>); 26] = [
    ("NOR", Some("NOR")), ("POL", Some("POL")), ("SWE", Some("SWE")), ("D<<", Some("DEU")), ("UKR", Some("UKR")),
    ("LTU", Some("LTU")), ("GBR", Some("GBR")), ("ROU", Some("ROU")), ("ESP", Some("ESP")), ("FRA", Some("FRA")),
    ("ITA", Some("ITA")), ("PRT", Some("PRT")), ("PHL", Some("PHL")), ("LVA", Some("LVA")), ("GBD", Some("GBD")),
    ("GBO", Some("GBO")), ("UNO", Some("UNO")), ("UNA", Some("UNA")), ("XXA", Some("XXA")), ("XXB", Some("XXB")),
    ("XXC", Some("XXC")), ("XXX", Some("XXX")), ("EUE", Some("EUE")), ("RKS", Some("RKS")), ("UTO", None),
    ("DNK", Some("DNK")),
];

pub fn today() -> Date {
    Date::new(2026, 11, 23).unwrap()
}

/// An invented MRZ and what a correct reading of it says.
#[derive(Debug, Clone)]
pub struct GeneratedMrz {
    pub kind: DocumentKind,
    pub lines: Vec<String>,
    pub surname: String,
    pub given_names: String,
    pub date_of_birth: Option<Date>,
    pub nationality: Option<String>,
    pub names_truncated: bool,
}

const ALPHANUMERIC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

fn random_text(rng: &mut Rng, length: usize, alphabet: &[u8]) -> String {
    (0..length).map(|_| *rng.pick(alphabet) as char).collect()
}

fn digit_of(field: &str) -> char {
    (b'0' + check_digit(field.as_bytes()).unwrap()) as char
}

fn pad(text: &str, length: usize) -> String {
    let mut padded: String = text.chars().take(length).collect();
    while padded.len() < length {
        padded.push('<');
    }
    padded
}

pub fn generate(rng: &mut Rng, kind: DocumentKind) -> GeneratedMrz {
    let surname_words = 1 + usize::from(rng.chance(0.25));
    let surname: Vec<&str> = (0..surname_words).map(|_| *rng.pick(&SURNAMES)).collect();
    let given_count = [0, 1, 1, 1, 2, 2, 3][rng.below(7)];
    let given: Vec<&str> = (0..given_count).map(|_| *rng.pick(&GIVEN_NAMES)).collect();
    let name_field_length = match kind {
        DocumentKind::Td1 => 30,
        _ => kind.line_length() - 5,
    };
    let full_name = if given.is_empty() { surname.join("<") } else { format!("{}<<{}", surname.join("<"), given.join("<")) };
    let name_field = pad(&full_name, name_field_length);
    let names_truncated = full_name.len() >= name_field_length && !name_field.ends_with('<');
    let (expected_surname, expected_given) = split_names(&name_field);

    let (nationality_field, nationality) = *rng.pick(&NATIONALITIES);
    let (birth_field, date_of_birth) = if rng.chance(0.03) {
        (*rng.pick(&["<<<<<<", "7408<<", "63<<<<"]), None).map_first(str::to_string)
    } else {
        let year = 1930 + rng.below(81) as u16; // 1930–2010: unambiguous against 2026-11-23
        let month = 1 + rng.below(12) as u8;
        let day = 1 + rng.below(usize::from(id_capture::date::days_in_month(year, month))) as u8;
        (format!("{:02}{month:02}{day:02}", year % 100), Date::new(year, month, day))
    };
    let expiry_year = 2020 + rng.below(15);
    let expiry = format!("{:02}{:02}{:02}", expiry_year % 100, 1 + rng.below(12), 1 + rng.below(28));
    let sex = *rng.pick(&['M', 'F', '<', 'X']);
    let issuer = if rng.chance(0.8) { nationality_field.to_string() } else { rng.pick(&NATIONALITIES).0.to_string() };
    let long_number = matches!(kind, DocumentKind::Td1 | DocumentKind::Td2) && rng.chance(0.15);
    let number_length = if long_number { 10 + rng.below(4) } else { 9 };
    let document_number = random_text(rng, number_length, ALPHANUMERIC);
    let document_number = if rng.chance(0.1) && !long_number { pad(&document_number[..7], 9) } else { document_number };
    let document_code = match kind {
        DocumentKind::Td1 | DocumentKind::Td2 => *rng.pick(&["I<", "ID", "IR", "A<", "C<"]),
        DocumentKind::Td3 => *rng.pick(&["P<", "PN", "PD"]),
        DocumentKind::MrvA | DocumentKind::MrvB => *rng.pick(&["V<", "VD"]),
    };
    let optional_text = |rng: &mut Rng, length: usize| {
        if rng.chance(0.4) { "<".repeat(length) } else {
            let used = 1 + rng.below(length);
            pad(&random_text(rng, used, ALPHANUMERIC), length)
        }
    };

    let lines = match kind {
        DocumentKind::Td1 => {
            let (number_field, overflow) = if long_number {
                let rest = &document_number[9..];
                (format!("{}<", &document_number[..9]), pad(&format!("{rest}{}", digit_of(&document_number)), 15))
            } else {
                (format!("{document_number}{}", digit_of(&document_number)), optional_text(rng, 15))
            };
            let line1 = format!("{document_code}{issuer}{number_field}{overflow}");
            let optional2 = optional_text(rng, 11);
            let mut line2 = format!(
                "{birth_field}{}{sex}{expiry}{}{nationality_field}{optional2}",
                digit_of(&birth_field),
                digit_of(&expiry)
            );
            let composite = format!("{}{}{}{}", &line1[5..30], &line2[0..7], &line2[8..15], &line2[18..29]);
            line2.push(digit_of(&composite));
            vec![line1, line2, name_field]
        }
        _ => {
            let line1 = format!("{document_code}{issuer}{name_field}");
            let optional_length = kind.line_length() - 28 - usize::from(kind != DocumentKind::MrvA && kind != DocumentKind::MrvB);
            let (number_field, optional) = if long_number {
                let rest = &document_number[9..];
                (format!("{}<", &document_number[..9]), pad(&format!("{rest}{}", digit_of(&document_number)), optional_length))
            } else {
                let optional = if kind == DocumentKind::Td3 {
                    let personal = optional_text(rng, 14);
                    let check = if personal.bytes().all(|c| c == b'<') && rng.chance(0.5) { '<' } else { digit_of(&personal) };
                    format!("{personal}{check}")
                } else {
                    optional_text(rng, optional_length)
                };
                (format!("{document_number}{}", digit_of(&document_number)), optional)
            };
            let mut line2 = format!(
                "{number_field}{nationality_field}{birth_field}{}{sex}{expiry}{}{optional}",
                digit_of(&birth_field),
                digit_of(&expiry)
            );
            if matches!(kind, DocumentKind::Td2 | DocumentKind::Td3) {
                let composite = format!("{}{}{}", &line2[0..10], &line2[13..20], &line2[21..]);
                line2.push(digit_of(&composite));
            }
            vec![line1, line2]
        }
    };
    for line in &lines {
        assert_eq!(line.len(), kind.line_length(), "{kind:?} {line}");
    }
    GeneratedMrz {
        kind,
        lines,
        surname: expected_surname,
        given_names: expected_given,
        date_of_birth,
        nationality: nationality.map(str::to_string),
        names_truncated,
    }
}

/// The reference reading of a name field, written independently of the parser.
fn split_names(field: &str) -> (String, String) {
    let (primary, secondary) = field.split_once("<<").unwrap_or((field, ""));
    let words = |part: &str| part.split('<').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
    (words(primary), words(secondary))
}

trait MapFirst<A, B> {
    fn map_first<C>(self, f: impl FnOnce(A) -> C) -> (C, B);
}
impl<A, B> MapFirst<A, B> for (A, B) {
    fn map_first<C>(self, f: impl FnOnce(A) -> C) -> (C, B) {
        (f(self.0), self.1)
    }
}

/// Every character position covered by some check digit (including the
/// check digits themselves), as `(line, index)`.
pub fn checked_positions(kind: DocumentKind) -> Vec<(usize, usize)> {
    let spans: Vec<(usize, std::ops::Range<usize>)> = match kind {
        DocumentKind::Td1 => vec![(0, 5..30), (1, 0..7), (1, 8..15), (1, 18..30)],
        DocumentKind::Td2 => vec![(1, 0..10), (1, 13..20), (1, 21..36)],
        DocumentKind::Td3 => vec![(1, 0..10), (1, 13..20), (1, 21..44)],
        DocumentKind::MrvA | DocumentKind::MrvB => vec![(1, 0..10), (1, 13..20), (1, 21..28)],
    };
    spans.into_iter().flat_map(|(line, range)| range.map(move |index| (line, index))).collect()
}
