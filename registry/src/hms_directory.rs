//! Who holds an HMS card. In production the registry asks Arbeidstilsynet's
//! HMS card API (by agreement); locally a directory of invented cards stands
//! in behind the same trait, so a real directory can be plugged in.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use id_capture_contract::date::Date;
use id_capture_contract::person::Person;
use id_capture_contract::Employer;
use serde::Deserialize;

/// A card holder and the employer printed on the card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardHolder {
    pub person: Person,
    pub employer: Employer,
}

/// A card the directory knows, valid or not: the registry decides what a
/// caller may learn of it (a not-valid card is told apart only to a partner
/// who also knows the holder's date of birth).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardRecord {
    pub holder: CardHolder,
    /// False when the card is expired or revoked.
    pub valid: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    #[error("no HMS card has this reference")]
    Unknown,
    #[error("the HMS card directory is unavailable")]
    Unavailable,
}

pub type LookupFuture<'a> = Pin<Box<dyn Future<Output = Result<CardRecord, LookupError>> + Send + 'a>>;

/// Looks a card up by the reference the module read from its QR code.
pub trait HmsDirectory: Send + Sync {
    fn look_up<'a>(&'a self, hms_card_reference: &'a str, today: Date) -> LookupFuture<'a>;
}

/// The invented cards the local registry ships with (no real people).
pub const INVENTED_CARDS_JSON: &str = include_str!("invented_hms_cards.json");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct InventedCard {
    hms_card_reference: String,
    given_names: String,
    surname: String,
    date_of_birth: String,
    employer_name: String,
    employer_organisation_number: String,
    valid_until: String,
    #[serde(default)]
    revoked: bool,
}

/// A directory held in memory, loaded from JSON.
#[derive(Debug, Clone)]
pub struct InventedCardDirectory {
    cards: HashMap<String, InventedCard>,
}

impl InventedCardDirectory {
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        let cards: Vec<InventedCard> = serde_json::from_str(json)?;
        Ok(InventedCardDirectory { cards: cards.into_iter().map(|card| (card.hms_card_reference.clone(), card)).collect() })
    }

    pub fn invented() -> Self {
        // The embedded file is checked by a test, so this cannot fail at run time.
        Self::from_json(INVENTED_CARDS_JSON).unwrap_or_else(|_| InventedCardDirectory { cards: HashMap::new() })
    }

    fn look_up_now(&self, hms_card_reference: &str, today: Date) -> Result<CardRecord, LookupError> {
        let card = self.cards.get(hms_card_reference).ok_or(LookupError::Unknown)?;
        let valid_until = Date::parse_iso(&card.valid_until).ok_or(LookupError::Unavailable)?;
        let holder = CardHolder {
            person: Person {
                given_names: card.given_names.clone(),
                surname: card.surname.clone(),
                date_of_birth: card.date_of_birth.clone(),
                nationality: None,
            },
            employer: Employer { name: card.employer_name.clone(), organisation_number: card.employer_organisation_number.clone() },
        };
        Ok(CardRecord { holder, valid: !card.revoked && valid_until >= today })
    }
}

impl HmsDirectory for InventedCardDirectory {
    fn look_up<'a>(&'a self, hms_card_reference: &'a str, today: Date) -> LookupFuture<'a> {
        Box::pin(async move { self.look_up_now(hms_card_reference, today) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2026, 11, 23).unwrap()
    }

    #[test]
    fn embedded_invented_cards_parse_and_hold_valid_people() {
        let directory = InventedCardDirectory::from_json(INVENTED_CARDS_JSON).expect("embedded cards parse");
        assert!(directory.cards.len() >= 3);
        for card in directory.cards.values() {
            let person = Person { given_names: card.given_names.clone(), surname: card.surname.clone(), date_of_birth: card.date_of_birth.clone(), nationality: None };
            assert!(person.normalized(today()).is_ok());
            assert!(card.employer_organisation_number.len() == 9 && card.employer_organisation_number.bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn valid_expired_revoked_and_unknown_cards_are_told_apart() {
        let directory = InventedCardDirectory::invented();
        assert!(directory.look_up_now("TEST0000001", today()).unwrap().valid);
        assert!(!directory.look_up_now("TEST0000002", today()).unwrap().valid);
        assert!(!directory.look_up_now("TEST0000003", today()).unwrap().valid);
        assert_eq!(directory.look_up_now("TEST9999999", today()), Err(LookupError::Unknown));
    }
}
