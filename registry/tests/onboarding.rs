//! Partners, onboarding sessions and the HMS card lookup (Registry API v2),
//! in process: who may call, what a card number alone reveals, and that a
//! session ends with one confirmed identity.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use id_capture_registry::hms_directory::InventedCardDirectory;
use id_capture_registry::store::Store;
use id_capture_registry::{build_router, AppState, RegistryConfig};
use serde_json::{json, Value};
use tower::ServiceExt;

const NOW: i64 = 1_795_392_000; // 2026-11-23
const PORTAL: &str = "https://portal.example";

struct Registry {
    router: Router,
    store: Store,
}

fn registry() -> Registry {
    let config = RegistryConfig { database: ":memory:".into(), public_page_url: Some("https://registry.example/".into()), ..RegistryConfig::default() };
    let store = Store::open(":memory:").unwrap();
    let mut state = AppState::new(store.clone(), Arc::new(InventedCardDirectory::invented()), &config);
    state.clock = Arc::new(|| NOW);
    Registry { router: build_router(state, &config), store }
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Value,
}

async fn call(router: &Router, method: &str, path: &str, authorization: Option<&str>, body: Option<Value>, extra: &[(&str, &str)]) -> Answer {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(authorization) = authorization {
        request = request.header(header::AUTHORIZATION, authorization);
    }
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    let request = match body {
        Some(body) => request.header(header::CONTENT_TYPE, "application/json").body(Body::from(body.to_string())).unwrap(),
        None => request.body(Body::empty()).unwrap(),
    };
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Answer { status, headers, body: serde_json::from_slice(&bytes).unwrap_or(Value::Null) }
}

fn bearer(key: &str) -> String {
    format!("Bearer {key}")
}

async fn new_session(registry: &Registry, key: &str) -> (String, String) {
    let created = call(&registry.router, "POST", "/v2/sessions", Some(&bearer(key)), Some(json!({"partner_reference": "hire-1"})), &[]).await;
    assert_eq!(created.status, StatusCode::CREATED);
    (created.body["session_id"].as_str().unwrap().to_owned(), created.body["session_token"].as_str().unwrap().to_owned())
}

async fn look_up(registry: &Registry, authorization: Option<&str>, reference: &str, date_of_birth: &str) -> Answer {
    call(&registry.router, "POST", "/v2/hms-card/lookups", authorization, Some(json!({"hms_card_reference": reference, "date_of_birth": date_of_birth})), &[]).await
}

const OLA_DOB: &str = "1985-03-14";

#[tokio::test]
async fn a_card_number_alone_reveals_nothing_and_every_miss_looks_the_same() {
    let registry = registry();
    // Unknown, expired, revoked, and a valid card with the wrong date: one answer.
    let misses = [("TEST9999999", "1985-03-14"), ("TEST0000002", "1979-11-02"), ("TEST0000003", "1990-01-20"), ("TEST0000001", "1985-03-15")];
    let mut answers = Vec::new();
    for (reference, date) in misses {
        let answer = look_up(&registry, None, reference, date).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{reference}");
        assert_eq!(answer.headers[header::CONTENT_TYPE], "application/problem+json");
        answers.push(answer.body.to_string());
    }
    assert!(answers.windows(2).all(|pair| pair[0] == pair[1]), "indistinguishable: {answers:?}");
    assert!(answers[0].contains("/problems/hms-card-not-found"));
    assert_eq!(registry.store.count_identities().unwrap(), 0);
}

#[tokio::test]
async fn the_holder_is_staged_when_number_and_date_match_and_stored_only_on_confirm() {
    let registry = registry();
    let staged = look_up(&registry, None, "TEST0000001", OLA_DOB).await;
    assert_eq!(staged.status, StatusCode::OK);
    assert_eq!(staged.body["person"]["surname"], "Testmann");
    assert_eq!(staged.body["employer"]["organisation_number"], "999999999");
    assert_eq!(staged.headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(registry.store.count_identities().unwrap(), 0, "a lookup stores nothing");
    let stage_id = staged.body["stage_id"].as_str().unwrap();
    let key = [("idempotency-key", "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b")];
    let confirmed = call(&registry.router, "POST", &format!("/v2/stages/{stage_id}/confirm"), None, Some(json!({})), &key).await;
    assert_eq!(confirmed.status, StatusCode::CREATED);
    assert_eq!(registry.store.count_identities().unwrap(), 1);
    // The same card again: not stored twice.
    let again = look_up(&registry, None, "TEST0000001", OLA_DOB).await;
    let other_key = [("idempotency-key", "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d")];
    let stage_id = again.body["stage_id"].as_str().unwrap();
    let second = call(&registry.router, "POST", &format!("/v2/stages/{stage_id}/confirm"), None, Some(json!({})), &other_key).await;
    assert_eq!(second.status, StatusCode::OK);
    assert_eq!(second.body["identity_id"], confirmed.body["identity_id"]);
    assert_eq!(registry.store.count_identities().unwrap(), 1);
}

#[tokio::test]
async fn a_partner_learns_a_card_is_not_valid_only_when_it_knows_the_date() {
    let registry = registry();
    let key = registry.store.add_partner("Eksempel Portal AS", &[PORTAL.into()], 60, NOW).unwrap().api_key;
    let expired = look_up(&registry, Some(&bearer(&key)), "TEST0000002", "1979-11-02").await;
    assert_eq!((expired.status, expired.body["type"].as_str()), (StatusCode::CONFLICT, Some("/problems/hms-card-not-valid")));
    let wrong_date = look_up(&registry, Some(&bearer(&key)), "TEST0000002", "1979-11-03").await;
    assert_eq!(wrong_date.body["type"], "/problems/hms-card-not-found");
    let unknown = look_up(&registry, Some(&bearer(&key)), "TEST9999999", "1979-11-02").await;
    assert_eq!(unknown.body["type"], "/problems/hms-card-not-found");
}

#[tokio::test]
async fn only_a_partner_key_creates_sessions_and_reads_its_own_outcomes() {
    let registry = registry();
    let key = registry.store.add_partner("Eksempel Portal AS", &[PORTAL.into()], 60, NOW).unwrap().api_key;
    let other_key = registry.store.add_partner("Prøve Anlegg AS", &[], 60, NOW).unwrap().api_key;
    let anonymous = call(&registry.router, "POST", "/v2/sessions", None, Some(json!({})), &[]).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let guessed = call(&registry.router, "POST", "/v2/sessions", Some("Bearer idc_key_guessed"), Some(json!({})), &[]).await;
    assert_eq!((guessed.status, guessed.body["type"].as_str()), (StatusCode::UNAUTHORIZED, Some("/problems/unauthorized")));
    let created = call(&registry.router, "POST", "/v2/sessions", Some(&bearer(&key)), Some(json!({"partner_reference": "hire-1"})), &[]).await;
    assert_eq!(created.status, StatusCode::CREATED);
    let link = created.body["link"].as_str().unwrap();
    let token = created.body["session_token"].as_str().unwrap();
    assert_eq!(link, format!("https://registry.example/#session={token}"));
    let session_id = created.body["session_id"].as_str().unwrap();
    let own = call(&registry.router, "GET", &format!("/v2/sessions/{session_id}"), Some(&bearer(&key)), None, &[]).await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!((own.body["status"].as_str(), own.body["attempts_left"].as_u64()), (Some("open"), Some(5)));
    let foreign = call(&registry.router, "GET", &format!("/v2/sessions/{session_id}"), Some(&bearer(&other_key)), None, &[]).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND, "another partner's session is as unknown as a made-up one");
    let with_session = call(&registry.router, "GET", &format!("/v2/sessions/{session_id}"), Some(&format!("Session {token}")), None, &[]).await;
    assert_eq!(with_session.status, StatusCode::UNAUTHORIZED, "the worker cannot read the partner's view");
}

#[tokio::test]
async fn a_session_allows_one_identity_and_five_misses() {
    let registry = registry();
    let key = registry.store.add_partner("Eksempel Portal AS", &[PORTAL.into()], 60, NOW).unwrap().api_key;
    let (session_id, token) = new_session(&registry, &key).await;
    let session = format!("Session {token}");
    let own = call(&registry.router, "GET", "/v2/session", Some(&session), None, &[]).await;
    assert_eq!(own.body["status"], "open");
    for _ in 0..5 {
        assert_eq!(look_up(&registry, Some(&session), "TEST0000001", "1985-03-15").await.status, StatusCode::NOT_FOUND);
    }
    let exhausted = look_up(&registry, Some(&session), "TEST0000001", OLA_DOB).await;
    assert_eq!((exhausted.status, exhausted.body["type"].as_str()), (StatusCode::CONFLICT, Some("/problems/session-closed")));

    let (session_id_2, token_2) = new_session(&registry, &key).await;
    let session_2 = format!("Session {token_2}");
    let staged = look_up(&registry, Some(&session_2), "TEST0000001", OLA_DOB).await;
    let stage_id = staged.body["stage_id"].as_str().unwrap();
    let keyed = [("idempotency-key", "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b")];
    let confirmed = call(&registry.router, "POST", &format!("/v2/stages/{stage_id}/confirm"), Some(&session_2), Some(json!({})), &keyed).await;
    assert_eq!(confirmed.status, StatusCode::CREATED);
    let outcome = call(&registry.router, "GET", &format!("/v2/sessions/{session_id_2}"), Some(&bearer(&key)), None, &[]).await;
    assert_eq!(outcome.body["status"], "completed");
    assert_eq!(outcome.body["identity"]["hms_card_reference"], "TEST0000001");
    assert_eq!(outcome.body["identity"]["method"], "hms_card");
    let document = json!({"person": {"given_names": "Anna Maria", "surname": "Eriksson", "date_of_birth": "1974-08-12", "nationality": "SWE"}, "source": "typed", "corrected_by_user": false});
    let other_key = [("idempotency-key", "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d")];
    let second = call(&registry.router, "POST", "/v2/identities/document", Some(&session_2), Some(document), &other_key).await;
    assert_eq!((second.status, second.body["type"].as_str()), (StatusCode::CONFLICT, Some("/problems/session-closed")));
    assert_eq!(registry.store.count_identities().unwrap(), 1);
    let first = call(&registry.router, "GET", &format!("/v2/sessions/{session_id}"), Some(&bearer(&key)), None, &[]).await;
    assert_eq!(first.body["status"], "exhausted");
}

#[tokio::test]
async fn a_revoked_partner_key_and_its_sessions_stop_at_once() {
    let registry = registry();
    let added = registry.store.add_partner("Eksempel Portal AS", &[PORTAL.into()], 60, NOW).unwrap();
    let (_, token) = new_session(&registry, &added.api_key).await;
    registry.store.revoke_partner(&added.partner.partner_id, NOW).unwrap();
    let created = call(&registry.router, "POST", "/v2/sessions", Some(&bearer(&added.api_key)), Some(json!({})), &[]).await;
    assert_eq!(created.status, StatusCode::UNAUTHORIZED);
    let lookup = look_up(&registry, Some(&format!("Session {token}")), "TEST0000001", OLA_DOB).await;
    assert_eq!((lookup.status, lookup.body["type"].as_str()), (StatusCode::UNAUTHORIZED, Some("/problems/session-invalid")));
}

#[tokio::test]
async fn a_session_is_used_only_from_its_partners_pages_and_cors_follows_the_partners() {
    let registry = registry();
    let key = registry.store.add_partner("Eksempel Portal AS", &[PORTAL.into()], 60, NOW).unwrap().api_key;
    let (_, token) = new_session(&registry, &key).await;
    let session = format!("Session {token}");
    let body = json!({"hms_card_reference": "TEST0000001", "date_of_birth": OLA_DOB});
    let from_portal = call(&registry.router, "POST", "/v2/hms-card/lookups", Some(&session), Some(body.clone()), &[("origin", PORTAL)]).await;
    assert_eq!(from_portal.status, StatusCode::OK);
    let from_elsewhere = call(&registry.router, "POST", "/v2/hms-card/lookups", Some(&session), Some(body), &[("origin", "https://evil.example")]).await;
    assert_eq!((from_elsewhere.status, from_elsewhere.body["type"].as_str()), (StatusCode::FORBIDDEN, Some("/problems/forbidden-origin")));
    let preflight = |origin: &'static str| {
        Request::builder()
            .method("OPTIONS")
            .uri("/v2/hms-card/lookups")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "authorization, content-type")
            .body(Body::empty())
            .unwrap()
    };
    let allowed = registry.router.clone().oneshot(preflight(PORTAL)).await.unwrap();
    assert_eq!(allowed.headers().get("access-control-allow-origin").unwrap(), PORTAL);
    let refused = registry.router.clone().oneshot(preflight("https://evil.example")).await.unwrap();
    assert!(refused.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn workers_sharing_one_address_are_limited_per_session_not_turned_away_together() {
    let registry = registry();
    let key = registry.store.add_partner("Eksempel Bygg AS", &[PORTAL.into()], 600, NOW).unwrap().api_key;
    // Two workers on one site's Wi-Fi (in process, every call has the same address):
    // 15 creating calls each, 30 in all, past the address's burst of 20.
    for _ in 0..2 {
        let (_, token) = new_session(&registry, &key).await;
        let session = format!("Session {token}");
        for index in 0..15 {
            let keyed = [("idempotency-key", "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b")];
            let answer = call(&registry.router, "POST", &format!("/v2/stages/unknown-{index}/confirm"), Some(&session), Some(json!({})), &keyed).await;
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "call {index}");
        }
    }
    // A made-up session token buys nothing: it is an anonymous caller's address bucket.
    let mut statuses = Vec::new();
    for _ in 0..25 {
        let answer = look_up(&registry, Some("Session idc_ses_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), "TEST0000001", OLA_DOB).await;
        statuses.push(answer.status.as_u16());
    }
    assert!(statuses[..20].iter().all(|status| *status == 401), "{statuses:?}");
    assert!(statuses[20..].iter().all(|status| *status == 429), "{statuses:?}");
}
