//! Userinfo claims → the contract's person: names and date of birth only.

use id_capture_contract::date::Date;
use id_capture_contract::person::Person;

/// `given_name`/`family_name` when both are present, else `name` split at its
/// last space (Vipps's `name` is "given names surname"). Vipps knows no nationality.
/// `None` when a name or a full `YYYY-MM-DD` birthdate is missing.
pub fn person_from_claims(given_name: Option<&str>, family_name: Option<&str>, name: Option<&str>, birthdate: Option<&str>) -> Option<Person> {
    let present = |value: Option<&str>| value.map(str::trim).filter(|value| !value.is_empty()).map(str::to_owned);
    let (given_names, surname) = match (present(given_name), present(family_name)) {
        (Some(given), Some(family)) => (given, family),
        _ => {
            let full = present(name)?;
            let (given, family) = full.rsplit_once(char::is_whitespace)?;
            (given.trim().to_owned(), family.trim().to_owned())
        }
    };
    // OpenID Connect writes an unknown year as 0000.
    let date_of_birth = Date::parse_iso(birthdate?.trim()).filter(|date| date.year() != 0)?.to_string();
    Some(Person { given_names, surname, date_of_birth, nationality: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn given_and_family_names_are_used_when_present() {
        let person = person_from_claims(Some("Kari"), Some("Nordmann-Testesen"), Some("ignored"), Some("1988-04-17")).unwrap();
        assert_eq!(person, Person { given_names: "Kari".into(), surname: "Nordmann-Testesen".into(), date_of_birth: "1988-04-17".into(), nationality: None });
    }

    #[test]
    fn name_is_split_at_the_last_space_when_parts_are_missing() {
        let person = person_from_claims(None, Some(" "), Some("Kari Anne Nordmann"), Some("1988-04-17")).unwrap();
        assert_eq!((person.given_names.as_str(), person.surname.as_str()), ("Kari Anne", "Nordmann"));
    }

    #[test]
    fn a_single_word_name_or_a_partial_birthdate_is_not_a_person() {
        assert_eq!(person_from_claims(None, None, Some("Kari"), Some("1988-04-17")), None);
        assert_eq!(person_from_claims(Some("Kari"), Some("N"), None, Some("1988")), None);
        assert_eq!(person_from_claims(Some("Kari"), Some("N"), None, Some("0000-04-17")), None);
        assert_eq!(person_from_claims(Some("Kari"), Some("N"), None, None), None);
    }
}
