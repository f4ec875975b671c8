//! Staged identities: shown first, stored only by `POST /v2/stages/{stage_id}/confirm`.
//! Stages are made here by calling `stages::stage` directly (as a lookup or a
//! Vipps exchange does) and confirmed over HTTP, in process.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use id_capture_contract::person::Person;
use id_capture_contract::{Employer, StagedIdentity};
use id_capture_registry::hms_directory::InventedCardDirectory;
use id_capture_registry::stages::{stage, StagedMethod, STAGE_LIFETIME_SECONDS};
use id_capture_registry::store::Store;
use id_capture_registry::{build_router, AppState, RegistryConfig};
use serde_json::{json, Value};
use tower::ServiceExt;

const KEY: &str = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
const OTHER_KEY: &str = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";
const THIRD_KEY: &str = "1b2c3d4e-5f60-4b7c-8d9e-0f1a2b3c4d5e";
/// 2026-11-23T00:00:00Z
const START: i64 = 1_795_392_000;

struct Registry {
    router: Router,
    state: AppState,
    store: Store,
    now: Arc<AtomicI64>,
}

fn registry_with_database(database: &str) -> Registry {
    let config = RegistryConfig { database: database.into(), ..RegistryConfig::default() };
    let store = Store::open(database).unwrap();
    let now = Arc::new(AtomicI64::new(START));
    let mut state = AppState::new(store.clone(), Arc::new(InventedCardDirectory::invented()), &config);
    let clock = now.clone();
    state.clock = Arc::new(move || clock.load(Ordering::SeqCst));
    Registry { router: build_router(state.clone(), &config), state, store, now }
}

fn registry() -> Registry {
    registry_with_database(":memory:")
}

fn ola() -> Person {
    Person { given_names: "Ola Kristian".into(), surname: "Testmann".into(), date_of_birth: "1985-03-14".into(), nationality: None }
}

fn card(reference: &str) -> StagedMethod {
    StagedMethod::HmsCard {
        hms_card_reference: reference.into(),
        employer: Employer { name: "Eksempel Bygg AS".into(), organisation_number: "999999999".into() },
    }
}

fn staged_card(registry: &Registry, reference: &str) -> StagedIdentity {
    stage(&registry.state, &ola(), card(reference), None).unwrap()
}

async fn confirm_with_body(router: &Router, stage_id: &str, key: Option<&str>, body: &str) -> (StatusCode, Value) {
    let mut request = Request::post(format!("/v2/stages/{stage_id}/confirm")).header(header::CONTENT_TYPE, "application/json");
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    let response = router.clone().oneshot(request.body(Body::from(body.to_owned())).unwrap()).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

async fn confirm(router: &Router, stage_id: &str, key: &str) -> (StatusCode, Value) {
    confirm_with_body(router, stage_id, Some(key), "{}").await
}

#[tokio::test]
async fn staging_stores_nothing_and_answers_the_person_with_a_ten_minute_handle() {
    let registry = registry();
    let staged = staged_card(&registry, "TEST0000001");
    assert_eq!(registry.store.count_identities().unwrap(), 0);
    assert_eq!(staged.stage_id.len(), 43);
    assert_eq!(staged.expires_at, "2026-11-23T00:10:00Z");
    assert_eq!(staged.person, ola());
    assert_eq!(staged.employer.as_ref().map(|employer| employer.organisation_number.as_str()), Some("999999999"));
    // The payload the page parses: exactly the contract's fields.
    let json = serde_json::to_value(&staged).unwrap();
    let mut fields: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(fields, ["employer", "expires_at", "person", "stage_id"]);
}

#[tokio::test]
async fn a_confirmed_stage_is_stored_once_and_a_replay_gets_the_first_answer() {
    let registry = registry();
    let staged = staged_card(&registry, "TEST0000001");
    let (status, first) = confirm(&registry.router, &staged.stage_id, KEY).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["person"], json!({"given_names": "Ola Kristian", "surname": "Testmann", "date_of_birth": "1985-03-14", "nationality": null}));
    assert_eq!(first["employer"], json!({"name": "Eksempel Bygg AS", "organisation_number": "999999999"}));
    assert_eq!(first["identity_id"].as_str().unwrap().len(), 36);
    assert_eq!(registry.store.count_identities().unwrap(), 1);

    let (status, again) = confirm(&registry.router, &staged.stage_id, KEY).await;
    assert_eq!((status, &again), (StatusCode::CREATED, &first));
    assert_eq!(registry.store.count_identities().unwrap(), 1);
}

#[tokio::test]
async fn a_used_stage_is_not_found_under_another_key() {
    let registry = registry();
    let staged = stage(&registry.state, &ola(), StagedMethod::Vipps { login_id: "login-1".into() }, None).unwrap();
    assert_eq!(staged.employer, None);
    assert_eq!(confirm(&registry.router, &staged.stage_id, KEY).await.0, StatusCode::CREATED);
    let (status, problem) = confirm(&registry.router, &staged.stage_id, OTHER_KEY).await;
    assert_eq!((status, problem["type"].as_str()), (StatusCode::NOT_FOUND, Some("/problems/stage-not-found")));
    assert_eq!(registry.store.count_identities().unwrap(), 1);
}

#[tokio::test]
async fn an_expired_or_unknown_stage_is_not_found_and_stores_nothing() {
    let registry = registry();
    let staged = staged_card(&registry, "TEST0000001");
    registry.now.fetch_add(STAGE_LIFETIME_SECONDS, Ordering::SeqCst);
    let (status, problem) = confirm(&registry.router, &staged.stage_id, KEY).await;
    assert_eq!((status, problem["type"].as_str()), (StatusCode::NOT_FOUND, Some("/problems/stage-not-found")));

    let (status, problem) = confirm(&registry.router, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", OTHER_KEY).await;
    assert_eq!((status, problem["type"].as_str()), (StatusCode::NOT_FOUND, Some("/problems/stage-not-found")));
    assert_eq!(registry.store.count_identities().unwrap(), 0);
}

#[tokio::test]
async fn a_card_already_registered_answers_200_with_the_earlier_identity() {
    let registry = registry();
    let first_stage = staged_card(&registry, "TEST0000001");
    let (_, first) = confirm(&registry.router, &first_stage.stage_id, KEY).await;

    let second_stage = staged_card(&registry, "TEST0000001");
    let (status, second) = confirm(&registry.router, &second_stage.stage_id, OTHER_KEY).await;
    assert_eq!((status, &second), (StatusCode::OK, &first));
    assert_eq!(registry.store.count_identities().unwrap(), 1);
    // Its replay answers the same 200.
    let (status, replay) = confirm(&registry.router, &second_stage.stage_id, OTHER_KEY).await;
    assert_eq!((status, &replay), (StatusCode::OK, &first));

    // Another card is another identity.
    let third_stage = staged_card(&registry, "TEST0000004");
    assert_eq!(confirm(&registry.router, &third_stage.stage_id, THIRD_KEY).await.0, StatusCode::CREATED);
    assert_eq!(registry.store.count_identities().unwrap(), 2);
}

#[tokio::test]
async fn one_key_on_another_stage_is_a_conflict_and_leaves_that_stage_usable() {
    let registry = registry();
    let first_stage = staged_card(&registry, "TEST0000001");
    let second_stage = staged_card(&registry, "TEST0000004");
    confirm(&registry.router, &first_stage.stage_id, KEY).await;
    let (status, problem) = confirm(&registry.router, &second_stage.stage_id, KEY).await;
    assert_eq!((status, problem["type"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("/problems/idempotency-conflict")));
    assert_eq!(confirm(&registry.router, &second_stage.stage_id, OTHER_KEY).await.0, StatusCode::CREATED);
}

#[tokio::test]
async fn confirm_needs_a_key_and_an_empty_object() {
    let registry = registry();
    let staged = staged_card(&registry, "TEST0000001");
    let (status, problem) = confirm_with_body(&registry.router, &staged.stage_id, None, "{}").await;
    assert_eq!((status, problem["type"].as_str()), (StatusCode::BAD_REQUEST, Some("/problems/missing-idempotency-key")));
    let (status, problem) = confirm_with_body(&registry.router, &staged.stage_id, Some(KEY), r#"{"person":{}}"#).await;
    assert_eq!((status, problem["type"].as_str()), (StatusCode::BAD_REQUEST, Some("/problems/invalid-request")));
    // Neither used the stage.
    assert_eq!(confirm(&registry.router, &staged.stage_id, KEY).await.0, StatusCode::CREATED);
}

#[tokio::test]
async fn concurrent_confirms_of_one_stage_store_one_identity() {
    let registry = registry();
    let staged = staged_card(&registry, "TEST0000001");
    let keys = ["11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222", "33333333-3333-4333-8333-333333333333",
                "44444444-4444-4444-8444-444444444444", "55555555-5555-4555-8555-555555555555", "66666666-6666-4666-8666-666666666666"];
    let requests = keys.map(|key| {
        let router = registry.router.clone();
        let stage_id = staged.stage_id.clone();
        tokio::spawn(async move { confirm(&router, &stage_id, key).await.0 })
    });
    let mut statuses = Vec::new();
    for request in requests {
        statuses.push(request.await.unwrap());
    }
    assert_eq!(statuses.iter().filter(|status| **status == StatusCode::CREATED).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|status| **status == StatusCode::NOT_FOUND).count(), keys.len() - 1);
    assert_eq!(registry.store.count_identities().unwrap(), 1);
}

#[tokio::test]
async fn the_database_keeps_only_a_hash_of_the_stage_handle() {
    let path = std::env::temp_dir().join(format!("id-capture-stages-{}.sqlite", std::process::id()));
    let database = path.to_str().unwrap().to_owned();
    let registry = registry_with_database(&database);
    let staged = staged_card(&registry, "TEST0000001");
    let bytes: Vec<u8> = {
        let connection = rusqlite::Connection::open(&path).unwrap();
        let hashes: Vec<String> =
            connection.prepare("SELECT stage_sha256 FROM stages").unwrap().query_map([], |row| row.get(0)).unwrap().map(Result::unwrap).collect();
        assert_eq!(hashes.len(), 1);
        assert_ne!(hashes[0], staged.stage_id);
        drop(connection);
        [std::fs::read(&path).unwrap_or_default(), std::fs::read(format!("{database}-wal")).unwrap_or_default()].concat()
    };
    assert!(!String::from_utf8_lossy(&bytes).contains(&staged.stage_id));
    drop(registry);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{database}{suffix}"));
    }
}
