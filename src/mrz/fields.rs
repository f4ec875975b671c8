//! Decoding the fields that leave the module: names, nationality, birth date.

use id_capture_contract::country::is_known_nationality;
use id_capture_contract::date::Date;

/// Surname and given names from a `PRIMARY<<SECONDARY<NAMES<<<` field, with
/// fillers turned into spaces. A field whose last position is not a filler
/// was truncated by the issuer (ICAO 9303 Part 3, 4.6).
pub struct Names {
    pub surname: String,
    pub given_names: String,
    pub truncated: bool,
}

pub fn decode_names(field: &[u8]) -> Names {
    let truncated = field.last().is_some_and(|&c| c != b'<');
    let separator = field.windows(2).position(|pair| pair == b"<<");
    let (primary, secondary) = match separator {
        Some(at) => (&field[..at], &field[at + 2..]),
        None => (field, &field[field.len()..]),
    };
    Names { surname: fillers_to_spaces(primary), given_names: fillers_to_spaces(secondary), truncated }
}

/// Words separated by single spaces; runs of fillers count as one separator.
fn fillers_to_spaces(part: &[u8]) -> String {
    part.split(|&c| c == b'<')
        .filter(|word| !word.is_empty())
        .map(|word| String::from_utf8_lossy(word).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The registry's three-letter code for an MRZ nationality field, or `None`
/// when the field is empty or not a known code. Germany's `D<<` becomes `DEU`.
pub fn decode_nationality(field: &[u8]) -> Option<String> {
    let code = std::str::from_utf8(field).ok()?.trim_end_matches('<');
    let code = if code == "D" { "DEU" } else { code };
    is_known_nationality(code).then(|| code.to_string())
}

/// An MRZ birth date field `YYMMDD`, possibly with unknown parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BirthDateField {
    /// A full date, its century resolved so that it is not after today.
    Known(Date),
    /// Wholly or partly unknown (`<<<<<<`, `YY<<<<`, `YYMM<<`): never guessed.
    Unknown,
    /// Digits that form no calendar date, or characters that are not digits.
    Malformed,
}

pub fn decode_birth_date(field: &[u8], today: Date) -> BirthDateField {
    let two_digits = |pair: &[u8]| -> Option<u8> {
        match pair {
            [tens @ b'0'..=b'9', ones @ b'0'..=b'9'] => Some((tens - b'0') * 10 + (ones - b'0')),
            _ => None,
        }
    };
    let [y1, y2, m1, m2, d1, d2] = field else { return BirthDateField::Malformed };
    let is_filler = |pair: [u8; 2]| pair == [b'<', b'<'];
    let year = two_digits(&[*y1, *y2]);
    let month = two_digits(&[*m1, *m2]);
    let day = two_digits(&[*d1, *d2]);
    match (year, month, day) {
        (Some(year), Some(month), Some(day)) => {
            let in_this_century = Date::new(2000 + u16::from(year), month, day);
            let resolved = match in_this_century {
                Some(date) if date <= today => Some(date),
                _ => Date::new(1900 + u16::from(year), month, day),
            };
            resolved.map_or(BirthDateField::Malformed, BirthDateField::Known)
        }
        // Unknown parts are filled from the right: day, then month, then year.
        (Some(_), Some(month), None) if is_filler([*d1, *d2]) && (1..=12).contains(&month) => BirthDateField::Unknown,
        (Some(_), None, None) if is_filler([*m1, *m2]) && is_filler([*d1, *d2]) => BirthDateField::Unknown,
        (None, None, None) if field.iter().all(|&c| c == b'<') => BirthDateField::Unknown,
        _ => BirthDateField::Malformed,
    }
}

/// True when an expiry field is a calendar date `YYMMDD` (century irrelevant here).
pub fn is_valid_expiry(field: &[u8]) -> bool {
    if field.len() != 6 || !field.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let number = |at: usize| (field[at] - b'0') * 10 + (field[at + 1] - b'0');
    // 2000 is a leap year, so 29 February passes whatever the century.
    Date::new(2000 + u16::from(number(0)), number(2), number(4)).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2026, 11, 23).unwrap()
    }

    #[test]
    fn splits_primary_and_secondary_identifiers() {
        let names = decode_names(b"ERIKSSON<<ANNA<MARIA<<<<<<<<<<");
        assert_eq!((names.surname.as_str(), names.given_names.as_str(), names.truncated), ("ERIKSSON", "ANNA MARIA", false));
        let names = decode_names(b"VAN<DER<BERG<<JAN<<<<<<<<");
        assert_eq!((names.surname.as_str(), names.given_names.as_str()), ("VAN DER BERG", "JAN"));
    }

    #[test]
    fn a_name_without_secondary_identifier_has_empty_given_names() {
        let names = decode_names(b"SUKARNO<<<<<<<<<<<<<<<<<<<<<<<");
        assert_eq!((names.surname.as_str(), names.given_names.as_str()), ("SUKARNO", ""));
    }

    #[test]
    fn notices_a_name_field_filled_to_its_last_position() {
        assert!(decode_names(b"OLAFSDOTTIR<<BJORK<HELGA<ANNAB").truncated);
        assert!(!decode_names(b"OLAFSDOTTIR<<BJORK<HELGA<ANNA<").truncated);
    }

    #[test]
    fn maps_germany_and_keeps_icao_special_codes() {
        assert_eq!(decode_nationality(b"D<<").as_deref(), Some("DEU"));
        for code in ["GBD", "GBN", "GBO", "GBP", "GBS", "UNO", "UNA", "UNK", "XXA", "XXB", "XXC", "XXX", "EUE", "RKS", "NOR"] {
            assert_eq!(decode_nationality(code.as_bytes()).as_deref(), Some(code));
        }
        for field in ["UTO", "<<<", "ZZZ", "DE<"] {
            assert_eq!(decode_nationality(field.as_bytes()), None, "{field}");
        }
    }

    #[test]
    fn resolves_the_century_so_a_birth_date_is_never_in_the_future() {
        let date = |field: &str| match decode_birth_date(field.as_bytes(), today()) {
            BirthDateField::Known(date) => date.to_string(),
            other => format!("{other:?}"),
        };
        assert_eq!(date("740812"), "1974-08-12");
        assert_eq!(date("261123"), "2026-11-23");
        assert_eq!(date("261124"), "1926-11-24");
        assert_eq!(date("050101"), "2005-01-01");
        assert_eq!(date("000229"), "2000-02-29");
    }

    #[test]
    fn reports_unknown_birth_dates_without_guessing() {
        for field in ["<<<<<<", "7408<<", "74<<<<"] {
            assert_eq!(decode_birth_date(field.as_bytes(), today()), BirthDateField::Unknown, "{field}");
        }
        for field in ["741312", "740832", "7408<2", "<<0812", "74O812", "7408"] {
            assert_eq!(decode_birth_date(field.as_bytes(), today()), BirthDateField::Malformed, "{field}");
        }
    }
}
