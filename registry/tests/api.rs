//! Registry API v2's document endpoint as a client sees it, in process (no sockets): contract
//! fields, strictness, idempotency, problem details, CORS.

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

const KEY: &str = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
const OTHER_KEY: &str = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";
const PAGE_ORIGIN: &str = "http://127.0.0.1:5173";

fn registry() -> (Router, Store) {
    let config = RegistryConfig { database: ":memory:".into(), allowed_origins: vec![PAGE_ORIGIN.into()], ..RegistryConfig::default() };
    let store = Store::open(":memory:").unwrap();
    let mut state = AppState::new(store.clone(), Arc::new(InventedCardDirectory::invented()), &config);
    state.clock = Arc::new(|| 1_795_392_000); // 2026-11-23
    (build_router(state, &config), store)
}

fn anna_document() -> Value {
    json!({
        "person": {"given_names": "Anna Maria", "surname": "Eriksson", "date_of_birth": "1974-08-12", "nationality": "SWE"},
        "source": "typed",
        "corrected_by_user": false
    })
}

async fn post(router: &Router, path: &str, key: Option<&str>, body: &Value) -> (StatusCode, Option<String>, Value) {
    let mut request = Request::post(path).header(header::CONTENT_TYPE, "application/json");
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    send(router, request.body(Body::from(body.to_string())).unwrap()).await
}

async fn send(router: &Router, request: Request<Body>) -> (StatusCode, Option<String>, Value) {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let content_type = response.headers().get(header::CONTENT_TYPE).map(|value| value.to_str().unwrap().to_owned());
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, content_type, body)
}

#[tokio::test]
async fn health_says_ok() {
    let (router, _) = registry();
    let (status, _, body) = send(&router, Request::get("/v1/health").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"status": "ok"}));
}

#[tokio::test]
async fn a_typed_document_is_stored_and_echoed_normalised() {
    let (router, store) = registry();
    let mut document = anna_document();
    document["person"]["given_names"] = json!("  Anna   Maria ");
    let (status, _, body) = post(&router, "/v2/identities/document", Some(KEY), &document).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(body["person"], anna_document()["person"]);
    assert_eq!(body["identity_id"].as_str().unwrap().len(), 36);
    assert!(body.get("employer").is_none());
    assert_eq!(store.count_identities().unwrap(), 1);
}

#[tokio::test]
async fn the_same_key_and_body_return_the_first_answer_and_store_nothing_new() {
    let (router, store) = registry();
    let (_, _, first) = post(&router, "/v2/identities/document", Some(KEY), &anna_document()).await;
    let (status, _, second) = post(&router, "/v2/identities/document", Some(KEY), &anna_document()).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(first, second);
    assert_eq!(store.count_identities().unwrap(), 1);
}

#[tokio::test]
async fn the_same_key_with_another_body_or_endpoint_is_a_422() {
    let (router, store) = registry();
    post(&router, "/v2/identities/document", Some(KEY), &anna_document()).await;
    let mut changed = anna_document();
    changed["corrected_by_user"] = json!(true);
    let (status, content_type, problem) = post(&router, "/v2/identities/document", Some(KEY), &changed).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(content_type.as_deref(), Some("application/problem+json"));
    assert_eq!(problem["type"], "/problems/idempotency-conflict");
    let (status, _, _) = post(&router, "/v2/stages/any-stage/confirm", Some(KEY), &json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "the same key on another endpoint");
    assert_eq!(store.count_identities().unwrap(), 1);
}

#[tokio::test]
async fn many_concurrent_requests_with_one_key_store_one_identity() {
    let (router, store) = registry();
    let requests = (0..16).map(|_| {
        let router = router.clone();
        tokio::spawn(async move { post(&router, "/v2/identities/document", Some(KEY), &anna_document()).await })
    });
    let mut identity_ids = std::collections::HashSet::new();
    for request in requests {
        let (status, _, body) = request.await.unwrap();
        assert_eq!(status, StatusCode::CREATED);
        identity_ids.insert(body["identity_id"].as_str().unwrap().to_owned());
    }
    assert_eq!(identity_ids.len(), 1);
    assert_eq!(store.count_identities().unwrap(), 1);
}

#[tokio::test]
async fn unknown_fields_are_a_400_problem_that_does_not_echo_values() {
    let (router, store) = registry();
    let mut document = anna_document();
    document["person"]["document_number"] = json!("L898902C3");
    let (status, content_type, problem) = post(&router, "/v2/identities/document", Some(KEY), &document).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(content_type.as_deref(), Some("application/problem+json"));
    assert_eq!(problem["type"], "/problems/invalid-request");
    assert_eq!(problem["status"], 400);
    assert!(!problem.to_string().contains("L898902C3"));
    let mut top_level = anna_document();
    top_level["photo"] = json!("data:image/jpeg;base64,AAAA");
    assert_eq!(post(&router, "/v2/identities/document", Some(KEY), &top_level).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(store.count_identities().unwrap(), 0);
}

#[tokio::test]
async fn an_invalid_person_is_refused_with_the_field_named_but_not_the_value() {
    let (router, store) = registry();
    let mut document = anna_document();
    document["person"]["surname"] = json!("<script>Eriksson</script>");
    let (status, _, problem) = post(&router, "/v2/identities/document", Some(KEY), &document).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(problem["type"], "/problems/invalid-person");
    assert!(problem["detail"].as_str().unwrap().contains("surname"));
    assert!(!problem.to_string().contains("Eriksson"));
    let mut future = anna_document();
    future["person"]["date_of_birth"] = json!("2030-01-01");
    assert_eq!(post(&router, "/v2/identities/document", Some(OTHER_KEY), &future).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(store.count_identities().unwrap(), 0);
}

#[tokio::test]
async fn a_missing_or_malformed_idempotency_key_is_a_400() {
    let (router, _) = registry();
    let (status, _, problem) = post(&router, "/v2/identities/document", None, &anna_document()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(problem["type"], "/problems/missing-idempotency-key");
    assert_eq!(post(&router, "/v2/identities/document", Some("1234"), &anna_document()).await.0, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn bodies_must_be_json_and_small() {
    let (router, _) = registry();
    let request = Request::post("/v2/identities/document").header("idempotency-key", KEY).header(header::CONTENT_TYPE, "text/plain").body(Body::from(anna_document().to_string())).unwrap();
    assert_eq!(send(&router, request).await.0, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let huge = json!({"hms_card_reference": "A".repeat(40_000), "date_of_birth": "1985-03-14"});
    assert_eq!(post(&router, "/v2/hms-card/lookups", None, &huge).await.0, StatusCode::PAYLOAD_TOO_LARGE);
    let request = Request::post("/v2/identities/document").header("idempotency-key", KEY).header(header::CONTENT_TYPE, "application/json").body(Body::from("{\"person\":")).unwrap();
    assert_eq!(send(&router, request).await.0, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn cors_allows_the_configured_page_origin_only() {
    let (router, _) = registry();
    let preflight = |origin: &str| {
        Request::builder()
            .method("OPTIONS")
            .uri("/v2/identities/document")
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type,idempotency-key")
            .body(Body::empty())
            .unwrap()
    };
    let allowed = router.clone().oneshot(preflight(PAGE_ORIGIN)).await.unwrap();
    assert_eq!(allowed.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN).unwrap(), PAGE_ORIGIN);
    let refused = router.clone().oneshot(preflight("https://evil.example")).await.unwrap();
    assert!(refused.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
}

#[tokio::test]
async fn unknown_paths_are_problem_json_404s_and_pages_get_a_strict_policy() {
    let (router, _) = registry();
    let response = router.clone().oneshot(Request::get("/v1/nothing").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(response.headers().get(header::CONTENT_TYPE).unwrap(), "application/problem+json");
    assert_eq!(response.headers().get(header::REFERRER_POLICY).unwrap(), "no-referrer");
    let policy = response.headers().get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap();
    assert!(policy.contains("script-src 'self' 'wasm-unsafe-eval'"));
}
