//! The person: the only facts about a worker that ever leave the phone.
//! Validation here is the same code the local registry runs, so the page and
//! the server agree on what a valid person is.

use serde::{Deserialize, Serialize};
use unicode_security::MixedScript;

use crate::country::is_known_nationality;
use crate::date::Date;

mod unicode_text;

/// Longest name field the contract allows, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// Earliest birth date accepted: older dates are typing mistakes, not workers.
pub const EARLIEST_BIRTH_YEAR: u16 = 1900;
/// Combining marks in a row after NFC. Letters without a precomposed form
/// carry one or two (e.g. x̂́ in some transcriptions); nobody's name needs 99.
pub const MAX_COMBINING_MARKS_IN_A_ROW: usize = 2;

/// The contract's person object, exactly its four fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub given_names: String,
    pub surname: String,
    /// ISO `YYYY-MM-DD`.
    pub date_of_birth: String,
    /// ICAO 9303 / ISO 3166-1 alpha-3; `None` where the method cannot know it.
    pub nationality: Option<String>,
}

/// Which field a validation error is about, so a form can point at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonField {
    GivenNames,
    Surname,
    DateOfBirth,
    Nationality,
}

impl PersonField {
    pub const fn as_str(self) -> &'static str {
        match self {
            PersonField::GivenNames => "given_names",
            PersonField::Surname => "surname",
            PersonField::DateOfBirth => "date_of_birth",
            PersonField::Nationality => "nationality",
        }
    }
}

/// Why a person is not valid. Messages name the field, never its value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PersonError {
    #[error("{} is required", .0.as_str())]
    Missing(PersonField),
    #[error("{} is longer than {limit} characters", .field.as_str())]
    TooLong { field: PersonField, limit: usize },
    #[error("{} contains characters a name cannot have", .0.as_str())]
    ForbiddenCharacters(PersonField),
    /// Default-ignorable code points (zero-width characters, Hangul fillers,
    /// bidi controls, variation selectors): a name that looks empty or like another.
    #[error("{} contains invisible characters", .0.as_str())]
    InvisibleCharacters(PersonField),
    /// A word mixing scripts (UTS #39), e.g. Latin letters with a Cyrillic look-alike.
    #[error("{} mixes writing systems within one word", .0.as_str())]
    MixedScripts(PersonField),
    #[error("{} has more than {limit} combining marks in a row", .field.as_str())]
    TooManyCombiningMarks { field: PersonField, limit: usize },
    #[error("date_of_birth is not a valid YYYY-MM-DD date")]
    MalformedDate,
    #[error("date_of_birth is in the future")]
    DateInFuture,
    #[error("date_of_birth is before {EARLIEST_BIRTH_YEAR}")]
    DateTooEarly,
    #[error("nationality is not an ISO 3166-1 alpha-3 or ICAO code")]
    UnknownNationality,
}

impl PersonError {
    pub fn field(&self) -> PersonField {
        match self {
            PersonError::Missing(field)
            | PersonError::ForbiddenCharacters(field)
            | PersonError::InvisibleCharacters(field)
            | PersonError::MixedScripts(field) => *field,
            PersonError::TooLong { field, .. } | PersonError::TooManyCombiningMarks { field, .. } => *field,
            PersonError::MalformedDate | PersonError::DateInFuture | PersonError::DateTooEarly => PersonField::DateOfBirth,
            PersonError::UnknownNationality => PersonField::Nationality,
        }
    }
}

impl Person {
    /// The person as it will be sent: names trimmed with inner runs of white
    /// space collapsed, nationality upper-cased, every field checked. Today is
    /// passed in so the check is the same on the phone, the server and in tests.
    pub fn normalized(&self, today: Date) -> Result<Person, PersonError> {
        let given_names = normalize_name(&self.given_names, PersonField::GivenNames, false)?;
        let surname = normalize_name(&self.surname, PersonField::Surname, true)?;
        let date_of_birth = self.date_of_birth.trim();
        if date_of_birth.is_empty() {
            return Err(PersonError::Missing(PersonField::DateOfBirth));
        }
        let birth = Date::parse_iso(date_of_birth).ok_or(PersonError::MalformedDate)?;
        if birth > today {
            return Err(PersonError::DateInFuture);
        }
        if birth.year() < EARLIEST_BIRTH_YEAR {
            return Err(PersonError::DateTooEarly);
        }
        let nationality = match self.nationality.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(code) => {
                let code = code.to_ascii_uppercase();
                if !is_known_nationality(&code) {
                    return Err(PersonError::UnknownNationality);
                }
                Some(code)
            }
        };
        Ok(Person { given_names, surname, date_of_birth: birth.to_string(), nationality })
    }
}

/// Names may hold letters of any script, combining accents, and the joiners
/// real names use (space, hyphen, apostrophes, full stop). Digits, markup and
/// control characters are refused. Names are NFC (so "Zoë" typed as e +
/// combining diaeresis is stored as the one letter ë), visible, one script per
/// word (words split at spaces and hyphens, so "Nowak-Шевченко" is fine but a
/// Cyrillic "А" inside "Anna" is not), and carry at most two combining marks
/// in a row.
fn normalize_name(raw: &str, field: PersonField, required: bool) -> Result<String, PersonError> {
    // Invisible characters first: a Hangul filler is a letter to Unicode but shows nothing.
    if raw.chars().any(is_default_ignorable) {
        return Err(PersonError::InvisibleCharacters(field));
    }
    let composed = unicode_text::nfc(raw);
    let collapsed = composed.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.is_empty() {
        return if required { Err(PersonError::Missing(field)) } else { Ok(collapsed) };
    }
    if collapsed.chars().count() > MAX_NAME_CHARS {
        return Err(PersonError::TooLong { field, limit: MAX_NAME_CHARS });
    }
    let allowed = |c: char| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '\u{2019}' | '.' | '\u{0300}'..='\u{036F}');
    if !collapsed.chars().all(allowed) || !collapsed.chars().any(char::is_alphabetic) {
        return Err(PersonError::ForbiddenCharacters(field));
    }
    if unicode_text::has_mark_run_longer_than(&collapsed, MAX_COMBINING_MARKS_IN_A_ROW) {
        return Err(PersonError::TooManyCombiningMarks { field, limit: MAX_COMBINING_MARKS_IN_A_ROW });
    }
    // Common (apostrophes, full stop) and Inherited (combining accents) go with any script.
    if !collapsed.split([' ', '-']).all(|word| word.is_single_script()) {
        return Err(PersonError::MixedScripts(field));
    }
    Ok(collapsed)
}

/// Unicode's Default_Ignorable_Code_Point set (DerivedCoreProperties.txt,
/// stable since Unicode 6.0), as a small table rather than another crate.
const DEFAULT_IGNORABLE: [(char, char); 17] = [
    ('\u{00AD}', '\u{00AD}'),   // soft hyphen
    ('\u{034F}', '\u{034F}'),   // combining grapheme joiner
    ('\u{061C}', '\u{061C}'),   // Arabic letter mark
    ('\u{115F}', '\u{1160}'),   // Hangul choseong and jungseong fillers
    ('\u{17B4}', '\u{17B5}'),   // Khmer inherent vowels
    ('\u{180B}', '\u{180F}'),   // Mongolian free variation selectors and vowel separator
    ('\u{200B}', '\u{200F}'),   // zero width space, (non-)joiner, LRM, RLM
    ('\u{202A}', '\u{202E}'),   // bidi embeddings and overrides
    ('\u{2060}', '\u{206F}'),   // word joiner, invisible operators, bidi isolates, deprecated format characters
    ('\u{3164}', '\u{3164}'),   // Hangul filler
    ('\u{FE00}', '\u{FE0F}'),   // variation selectors
    ('\u{FEFF}', '\u{FEFF}'),   // zero width no-break space (BOM)
    ('\u{FFA0}', '\u{FFA0}'),   // halfwidth Hangul filler
    ('\u{FFF0}', '\u{FFF8}'),   // unassigned specials
    ('\u{1BCA0}', '\u{1BCA3}'), // shorthand format controls
    ('\u{1D173}', '\u{1D17A}'), // musical symbol format controls
    ('\u{E0000}', '\u{E0FFF}'), // tags and variation selectors supplement
];

fn is_default_ignorable(c: char) -> bool {
    DEFAULT_IGNORABLE.iter().any(|&(first, last)| (first..=last).contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2026, 11, 23).unwrap()
    }

    fn anna() -> Person {
        Person {
            given_names: "  Anna   Maria ".into(),
            surname: "Eriksson".into(),
            date_of_birth: "1974-08-12".into(),
            nationality: Some("swe".into()),
        }
    }

    #[test]
    fn normalizes_white_space_and_nationality_case() {
        let person = anna().normalized(today()).unwrap();
        assert_eq!(person.given_names, "Anna Maria");
        assert_eq!(person.nationality.as_deref(), Some("SWE"));
    }

    #[test]
    fn accepts_names_in_other_scripts_and_with_joiners() {
        for surname in ["Øvrebø", "Nowak-Kowalska", "O'Brien", "Шевченко", "Jr.", "Bjørnstjerne Bjørnson"] {
            let person = Person { surname: surname.into(), ..anna() };
            assert_eq!(person.normalized(today()).unwrap().surname, surname);
        }
    }

    #[test]
    fn rejects_markup_digits_and_control_characters_without_echoing_them() {
        for surname in ["<b>Eriksson</b>", "Eriks5on", "Eriks\u{0}son", "Eriksson\u{7}", "---", "javascript:alert(1)"] {
            let error = Person { surname: surname.into(), ..anna() }.normalized(today()).unwrap_err();
            assert_eq!(error, PersonError::ForbiddenCharacters(PersonField::Surname), "{surname:?}");
            assert!(!error.to_string().contains("Eriks"));
        }
    }

    #[test]
    fn requires_a_surname_and_a_birth_date_but_not_given_names() {
        assert_eq!(Person { surname: "  ".into(), ..anna() }.normalized(today()), Err(PersonError::Missing(PersonField::Surname)));
        assert_eq!(Person { date_of_birth: "".into(), ..anna() }.normalized(today()), Err(PersonError::Missing(PersonField::DateOfBirth)));
        assert!(Person { given_names: "".into(), ..anna() }.normalized(today()).is_ok());
    }

    #[test]
    fn bounds_names_at_one_hundred_characters() {
        let at_limit = "A".repeat(MAX_NAME_CHARS);
        assert!(Person { surname: at_limit.clone(), ..anna() }.normalized(today()).is_ok());
        let over = format!("{at_limit}B");
        assert_eq!(
            Person { given_names: over, ..anna() }.normalized(today()),
            Err(PersonError::TooLong { field: PersonField::GivenNames, limit: MAX_NAME_CHARS })
        );
    }

    #[test]
    fn checks_birth_dates_against_today_and_the_calendar() {
        let with_date = |date: &str| Person { date_of_birth: date.into(), ..anna() }.normalized(today());
        assert!(with_date("2026-11-23").is_ok());
        assert_eq!(with_date("2026-11-24"), Err(PersonError::DateInFuture));
        assert_eq!(with_date("1899-12-31"), Err(PersonError::DateTooEarly));
        assert_eq!(with_date("1974-02-30"), Err(PersonError::MalformedDate));
        assert_eq!(with_date("12.08.1974"), Err(PersonError::MalformedDate));
    }

    #[test]
    fn nationality_is_optional_but_must_be_a_known_code() {
        assert_eq!(Person { nationality: None, ..anna() }.normalized(today()).unwrap().nationality, None);
        assert_eq!(Person { nationality: Some(" ".into()), ..anna() }.normalized(today()).unwrap().nationality, None);
        assert_eq!(Person { nationality: Some("NOX".into()), ..anna() }.normalized(today()), Err(PersonError::UnknownNationality));
    }

    #[test]
    fn hangul_fillers_and_other_invisible_characters_are_refused() {
        for surname in ["\u{3164}", "\u{115F}\u{1160}", "\u{FFA0}\u{FFA0}", "Eriks\u{200B}son", "Eriksson\u{FE0F}", "\u{202E}nossirE", "Eriksson\u{E0041}"] {
            let error = Person { surname: surname.into(), ..anna() }.normalized(today()).unwrap_err();
            assert_eq!(error, PersonError::InvisibleCharacters(PersonField::Surname), "{surname:?}");
            assert!(!error.to_string().contains("Eriks"));
        }
    }

    #[test]
    fn a_word_mixing_latin_and_cyrillic_letters_is_refused() {
        // "Аnna" with a Cyrillic А (U+0410): looks like the Latin name.
        let error = Person { given_names: "\u{0410}nna Maria".into(), ..anna() }.normalized(today()).unwrap_err();
        assert_eq!(error, PersonError::MixedScripts(PersonField::GivenNames));
        assert!(Person { surname: "Eriks\u{0441}on".into(), ..anna() }.normalized(today()).is_err());
        assert!(Person { surname: "O'\u{0428}evchenko".into(), ..anna() }.normalized(today()).is_err());
        // Each word in its own script is a real name.
        for surname in ["Nowak-Шевченко", "Шевченко Eriksson", "山田", "やまだ", "Ελληνικά"] {
            assert!(Person { surname: surname.into(), ..anna() }.normalized(today()).is_ok(), "{surname}");
        }
    }

    #[test]
    fn more_than_two_combining_marks_in_a_row_are_refused() {
        // No precomposed x with accents exists, so NFC leaves all marks in place.
        let three = Person { surname: "Erix\u{0301}\u{0302}\u{0303}sson".into(), ..anna() }.normalized(today());
        assert_eq!(three, Err(PersonError::TooManyCombiningMarks { field: PersonField::Surname, limit: MAX_COMBINING_MARKS_IN_A_ROW }));
        let many = Person { surname: format!("Z{}", "\u{0301}".repeat(99)), ..anna() }.normalized(today());
        assert!(matches!(many, Err(PersonError::TooManyCombiningMarks { .. })), "{many:?}");
        assert!(Person { surname: "Erix\u{0301}\u{0302}sson".into(), ..anna() }.normalized(today()).is_ok());
    }

    #[test]
    fn decomposed_letters_are_accepted_and_stored_composed() {
        let zoe = Person { given_names: "Zoe\u{0308}".into(), surname: "A\u{030A}sen".into(), ..anna() }.normalized(today()).unwrap();
        assert_eq!(zoe.given_names, "Zo\u{00EB}");
        assert_eq!(zoe.surname, "\u{00C5}sen");
        // Ø has no canonical decomposition: O + combining stroke is accepted as typed.
        let orjan = Person { given_names: "O\u{0338}rjan".into(), ..anna() }.normalized(today()).unwrap();
        assert_eq!(orjan.given_names, "O\u{0338}rjan");
        assert_eq!(Person { given_names: "\u{00D8}rjan".into(), ..anna() }.normalized(today()).unwrap().given_names, "Ørjan");
        // The length limit counts the composed name.
        let long_decomposed = "e\u{0301}".repeat(MAX_NAME_CHARS);
        assert!(Person { surname: long_decomposed, ..anna() }.normalized(today()).is_ok());
    }

    #[test]
    fn json_with_an_unknown_field_is_refused() {
        let json = r#"{"given_names":"A","surname":"B","date_of_birth":"1990-01-01","nationality":null,"document_number":"X"}"#;
        assert!(serde_json::from_str::<Person>(json).is_err());
    }
}
