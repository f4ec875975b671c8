//! The registry's strict request bodies (`strict_json::parse_strict` for
//! every body type the routes read) and person validation
//! (`Person::normalized`, the registry's `person_from_claims`).
//! Input: a selector byte (body type and Content-Type), then the body.
//! Oracles: only `application/json` is parsed; an accepted body re-serialises
//! and re-parses to the same value; a refusal names a category and a
//! position, never the value; a person that validates validates again to
//! itself after normalisation (idempotence), also as JSON.
#![no_main]

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue};
use id_capture::person::Person;
use id_capture::registry::payloads::{ConfirmRequest, DocumentRequest, HmsCardLookupRequest, VippsCallbackRequest, VippsLoginRequest};
use id_capture::registry::ProblemKind;
use id_capture_fuzz::today;
use id_capture_registry::onboarding::CreateSessionRequest;
use id_capture_registry::strict_json::{parse_strict, MAX_BODY_BYTES};
use id_capture_registry::vipps::person_from_claims;
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use serde::Serialize;

const CONTENT_TYPES: [Option<&str>; 6] =
    [Some("application/json"), Some("application/json; charset=utf-8"), Some(" Application/JSON ;x"), Some("text/plain"), Some("application/jsonx"), None];

fn check_person(person: &Person) {
    let Ok(normalized) = person.normalized(today()) else { return };
    assert_eq!(normalized.normalized(today()).as_ref(), Ok(&normalized), "normalising is not idempotent");
    let json = serde_json::to_vec(&normalized).unwrap();
    assert_eq!(serde_json::from_slice::<Person>(&json).ok().as_ref(), Some(&normalized));
}

fn round_trip<T: DeserializeOwned + Serialize>(headers: &HeaderMap, body: &[u8], is_json: bool) -> Option<T> {
    match parse_strict::<T>(headers, &Bytes::copy_from_slice(body)) {
        Ok(value) => {
            assert!(is_json && body.len() <= MAX_BODY_BYTES);
            let again = serde_json::to_vec(&value).unwrap();
            let reparsed: T = parse_strict(headers, &Bytes::from(again.clone())).expect("a re-serialised body must parse");
            assert_eq!(serde_json::to_vec(&reparsed).unwrap(), again, "the body does not round-trip");
            Some(value)
        }
        Err(problem) => {
            if !is_json {
                assert_eq!(problem.kind, ProblemKind::UnsupportedMediaType);
            } else if problem.kind == ProblemKind::InvalidRequest {
                let detail = problem.detail.unwrap_or_default();
                let known = ["an unknown field at", "a missing field at", "malformed JSON at", "a field of the wrong type or value at", "an unreadable body at"];
                assert!(known.iter().any(|start| detail.starts_with(start)), "the detail may echo the body: {detail:?}");
                let position = detail.rsplit_once(" at ").map_or("", |(_, position)| position);
                assert!(position.split(' ').all(|word| word == "line" || word == "column" || word.parse::<usize>().is_ok()), "{detail:?}");
            } else {
                assert_eq!(problem.kind, ProblemKind::PayloadTooLarge);
            }
            None
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    let content_type = CONTENT_TYPES[usize::from(selector >> 4) % CONTENT_TYPES.len()];
    let mut headers = HeaderMap::new();
    if let Some(value) = content_type {
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(value));
    }
    let is_json = content_type.is_some_and(|value| value.split(';').next().unwrap().trim().eq_ignore_ascii_case("application/json"));
    match selector % 8 {
        0 => {
            round_trip::<HmsCardLookupRequest>(&headers, body, is_json);
        }
        1 | 2 => {
            if let Some(request) = round_trip::<DocumentRequest>(&headers, body, is_json) {
                check_person(&request.person);
            }
        }
        3 => {
            round_trip::<VippsCallbackRequest>(&headers, body, is_json);
        }
        4 => {
            round_trip::<ConfirmRequest>(&headers, body, is_json);
            round_trip::<VippsLoginRequest>(&headers, body, is_json);
        }
        5 => {
            round_trip::<CreateSessionRequest>(&headers, body, is_json);
        }
        _ => {
            // Userinfo claims, as four optional strings.
            let Ok([given, family, name, birthdate]) = serde_json::from_slice::<[Option<String>; 4]>(body) else { return };
            if let Some(person) = person_from_claims(given.as_deref(), family.as_deref(), name.as_deref(), birthdate.as_deref()) {
                assert!(person.nationality.is_none());
                assert!(!person.given_names.trim().is_empty() || !person.surname.trim().is_empty());
                check_person(&person);
            }
        }
    }
});
