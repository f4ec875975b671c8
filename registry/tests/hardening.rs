//! Issue 13's hardening rules, in process (the router, no sockets) and on a
//! loopback server with tiny limits: problem details for every error,
//! `no-store` on the API, rate limits, scoped and expiring idempotency keys,
//! request timeouts, load shedding and the connection cap.

mod support;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use id_capture_registry::config::{RateLimitSettings, ServerLimits};
use id_capture_registry::hms_directory::InventedCardDirectory;
use id_capture_registry::store::{Store, IDEMPOTENCY_KEY_LIFETIME_SECONDS};
use id_capture_registry::{build_router, AppState, RegistryConfig};
use serde_json::Value;
use support::{closed_within, exchange, key, read_response, request, ANNA_DOCUMENT};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tower::ServiceExt;

const START: i64 = 1_795_392_000; // 2026-11-23

struct Registry {
    router: Router,
    store: Store,
    now: Arc<AtomicI64>,
}

fn registry_with(config: RegistryConfig) -> Registry {
    let store = Store::open(":memory:").unwrap();
    let now = Arc::new(AtomicI64::new(START));
    let mut state = AppState::new(store.clone(), Arc::new(InventedCardDirectory::invented()), &config);
    let clock = now.clone();
    state.clock = Arc::new(move || clock.load(Ordering::SeqCst));
    Registry { router: build_router(state, &config), store, now }
}

fn registry() -> Registry {
    registry_with(RegistryConfig { database: ":memory:".into(), ..RegistryConfig::default() })
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Value,
}

impl Answer {
    fn is_problem(&self) -> bool {
        self.headers.get(header::CONTENT_TYPE).is_some_and(|value| value == "application/problem+json") && self.body["status"] == self.status.as_u16()
    }
}

async fn send(router: &Router, mut request: Request<Body>, from: &str) -> Answer {
    let address: SocketAddr = format!("{from}:40000").parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(address));
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Answer { status, headers, body: serde_json::from_slice(&bytes).unwrap_or(Value::Null) }
}

fn post_document(idempotency_key: &str, body: &str) -> Request<Body> {
    Request::post("/v2/identities/document")
        .header(header::CONTENT_TYPE, "application/json")
        .header("idempotency-key", idempotency_key)
        .body(Body::from(body.to_owned()))
        .unwrap()
}

fn get(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).unwrap()
}

#[tokio::test]
async fn a_wrong_method_is_a_405_problem_that_keeps_its_allow_header() {
    let registry = registry();
    let answer = send(&registry.router, get("/v2/identities/document"), "127.0.0.1").await;
    assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(answer.is_problem());
    assert_eq!(answer.body["type"], "/problems/method-not-allowed");
    assert!(answer.headers.get(header::ALLOW).is_some());
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_413_problem_not_plain_text() {
    let registry = registry();
    let body = format!(r#"{{"hms_card_reference":"{}","date_of_birth":"1985-03-14"}}"#, "A".repeat(20 * 1024));
    let request = Request::post("/v2/hms-card/lookups").header(header::CONTENT_TYPE, "application/json").body(Body::from(body)).unwrap();
    let answer = send(&registry.router, request, "127.0.0.1").await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(answer.is_problem());
    assert_eq!(answer.body["type"], "/problems/payload-too-large");
}

#[tokio::test]
async fn a_missing_static_file_is_a_404_problem_and_present_ones_keep_their_caching() {
    let www = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../www");
    let registry = registry_with(RegistryConfig { database: ":memory:".into(), www_dir: Some(www), ..RegistryConfig::default() });
    let missing = send(&registry.router, get("/no-such-file.js"), "127.0.0.1").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.is_problem());
    let page = send(&registry.router, get("/"), "127.0.0.1").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_ne!(page.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
}

#[tokio::test]
async fn a_head_over_32_kb_is_a_431_problem() {
    let registry = registry();
    let request = Request::get("/v1/health").header("x-padding", "a".repeat(33 * 1024)).body(Body::empty()).unwrap();
    let answer = send(&registry.router, request, "127.0.0.1").await;
    assert_eq!(answer.status, StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);
    assert!(answer.is_problem());
    let request = Request::get("/v1/health").header("x-padding", "a".repeat(16 * 1024)).body(Body::empty()).unwrap();
    assert_eq!(send(&registry.router, request, "127.0.0.1").await.status, StatusCode::OK);
}

#[tokio::test]
async fn every_api_answer_is_no_store() {
    let registry = registry();
    let created = send(&registry.router, post_document(&key(1), ANNA_DOCUMENT), "127.0.0.1").await;
    assert_eq!(created.status, StatusCode::CREATED);
    let refused = send(&registry.router, post_document("not-a-key", ANNA_DOCUMENT), "127.0.0.1").await;
    let health = send(&registry.router, get("/v1/health"), "127.0.0.1").await;
    let missing = send(&registry.router, get("/v2/nothing"), "127.0.0.1").await;
    for answer in [&created, &refused, &health, &missing] {
        assert_eq!(answer.headers.get(header::CACHE_CONTROL).unwrap(), "no-store", "{}", answer.status);
    }
}

#[tokio::test]
async fn creating_calls_from_one_client_are_limited_with_a_429_and_retry_after() {
    let registry = registry_with(RegistryConfig { database: ":memory:".into(), rate_limits: RateLimitSettings { burst: 5, per_minute: 1 }, ..RegistryConfig::default() });
    for index in 0..5 {
        assert_eq!(send(&registry.router, post_document(&key(index), ANNA_DOCUMENT), "127.0.0.1").await.status, StatusCode::CREATED);
    }
    let limited = send(&registry.router, post_document(&key(5), ANNA_DOCUMENT), "127.0.0.1").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.is_problem());
    let retry_after: u32 = limited.headers.get(header::RETRY_AFTER).unwrap().to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after));
    // Refused before any work: nothing stored, the other endpoints and other clients unaffected.
    assert_eq!(registry.store.count_identities().unwrap(), 5);
    let card = Request::post("/v2/hms-card/lookups").header(header::CONTENT_TYPE, "application/json").body(Body::from(r#"{"hms_card_reference":"TEST9999999","date_of_birth":"1985-03-14"}"#)).unwrap();
    assert_eq!(send(&registry.router, card, "127.0.0.1").await.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(send(&registry.router, get("/v1/health"), "127.0.0.1").await.status, StatusCode::OK);
    assert_eq!(send(&registry.router, post_document(&key(6), ANNA_DOCUMENT), "127.0.0.2").await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn the_same_idempotency_key_from_another_caller_does_not_return_the_first_callers_answer() {
    let registry = registry();
    let first = send(&registry.router, post_document(&key(1), ANNA_DOCUMENT), "127.0.0.1").await;
    let other = send(&registry.router, post_document(&key(1), ANNA_DOCUMENT), "127.0.0.2").await;
    assert_eq!(other.status, StatusCode::CREATED);
    assert_ne!(other.body["identity_id"], first.body["identity_id"]);
    // Another caller's body under the same key is no conflict either.
    let changed = ANNA_DOCUMENT.replace("\"typed\"", "\"mrz\"");
    assert_eq!(send(&registry.router, post_document(&key(1), &changed), "127.0.0.3").await.status, StatusCode::CREATED);
    // The first caller still gets its own answer back.
    let replay = send(&registry.router, post_document(&key(1), ANNA_DOCUMENT), "127.0.0.1").await;
    assert_eq!(replay.body, first.body);
    assert_eq!(registry.store.count_identities().unwrap(), 3);
}

#[tokio::test]
async fn idempotency_keys_expire_after_24_hours() {
    let registry = registry();
    let first = send(&registry.router, post_document(&key(1), ANNA_DOCUMENT), "127.0.0.1").await;
    registry.now.store(START + IDEMPOTENCY_KEY_LIFETIME_SECONDS - 1, Ordering::SeqCst);
    assert_eq!(send(&registry.router, post_document(&key(1), ANNA_DOCUMENT), "127.0.0.1").await.body, first.body);
    registry.now.store(START + IDEMPOTENCY_KEY_LIFETIME_SECONDS + 1, Ordering::SeqCst);
    let changed = ANNA_DOCUMENT.replace("\"typed\"", "\"mrz\"");
    let later = send(&registry.router, post_document(&key(1), &changed), "127.0.0.1").await;
    assert_eq!(later.status, StatusCode::CREATED, "an expired key is a new key, not a conflict");
    assert_ne!(later.body["identity_id"], first.body["identity_id"]);
    // The expired key was deleted when the new one was stored.
    assert_eq!(registry.store.count_idempotency_keys().unwrap(), 1);
}

#[tokio::test]
async fn a_malformed_idempotency_key_is_still_refused() {
    let registry = registry();
    for bad in ["1234", "6f1c2a3b4d5e4f608a7b9c0d1e2f3a4b", "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4g"] {
        let answer = send(&registry.router, post_document(bad, ANNA_DOCUMENT), "127.0.0.1").await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(answer.body["type"], "/problems/missing-idempotency-key");
    }
}

#[test]
fn a_wildcard_origin_in_a_config_built_in_code_does_not_panic() {
    let config = RegistryConfig { database: ":memory:".into(), allowed_origins: vec!["*".into(), "not an origin".into()], ..RegistryConfig::default() };
    let state = AppState::new(Store::open(":memory:").unwrap(), Arc::new(InventedCardDirectory::invented()), &config);
    let _ = build_router(state, &config);
}

/// The real server on a loopback port with `limits`; stops when the sender drops.
async fn serve(limits: ServerLimits) -> (SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let config = RegistryConfig { database: ":memory:".into(), limits, ..RegistryConfig::default() };
    let state = AppState::new(Store::open(":memory:").unwrap(), Arc::new(InventedCardDirectory::invented()), &config);
    let router = build_router(state, &config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(id_capture_registry::server::serve(listener, router, limits, async move {
        let _ = stopped.await;
    }));
    (address, stop)
}

fn short_limits() -> ServerLimits {
    ServerLimits {
        header_read_timeout: Duration::from_secs(1),
        request_timeout: Duration::from_secs(1),
        idle_timeout: Duration::from_secs(2),
        ..ServerLimits::default()
    }
}

#[tokio::test]
async fn a_body_that_stops_arriving_is_a_408_problem() {
    let (address, _stop) = serve(short_limits()).await;
    let mut stream = TcpStream::connect(address).await.unwrap();
    let full = request("POST", "/v2/identities/document", &[("content-type", "application/json"), ("idempotency-key", &key(1))], ANNA_DOCUMENT.as_bytes());
    stream.write_all(&full[..full.len() - 10]).await.unwrap();
    let answer = read_response(&mut stream).await.unwrap();
    assert_eq!(answer.status, 408);
    assert!(answer.is_problem());
    assert_eq!(answer.json()["type"], "/problems/request-timeout");
    assert!(closed_within(&mut stream, Duration::from_secs(5)).await);
}

#[tokio::test]
async fn a_head_that_never_completes_is_cut_off_by_the_header_read_timeout() {
    let (address, _stop) = serve(short_limits()).await;
    let mut silent = TcpStream::connect(address).await.unwrap();
    let mut partial = TcpStream::connect(address).await.unwrap();
    partial.write_all(b"GET /v1/health HTTP/1.1\r\nhost: 127.0.0.1\r\n").await.unwrap();
    assert!(closed_within(&mut silent, Duration::from_secs(4)).await);
    assert!(closed_within(&mut partial, Duration::from_secs(4)).await);
}

#[tokio::test]
async fn a_kept_alive_connection_is_closed_once_idle() {
    let (address, _stop) = serve(short_limits()).await;
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(&request("GET", "/v1/health", &[], b"")).await.unwrap();
    assert_eq!(read_response(&mut stream).await.unwrap().status, 200);
    assert!(closed_within(&mut stream, Duration::from_secs(4)).await);
}

#[tokio::test]
async fn requests_over_the_concurrency_cap_are_shed_with_a_503_and_retry_after() {
    let limits = ServerLimits { max_concurrent_requests: 1, request_timeout: Duration::from_secs(3), idle_timeout: Duration::from_secs(4), ..ServerLimits::default() };
    let (address, _stop) = serve(limits).await;
    // A request whose body is still on its way holds the only slot.
    let mut holder = TcpStream::connect(address).await.unwrap();
    let full = request("POST", "/v2/identities/document", &[("content-type", "application/json"), ("idempotency-key", &key(1))], ANNA_DOCUMENT.as_bytes());
    holder.write_all(&full[..full.len() - 10]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let shed = exchange(address, &request("GET", "/v1/health", &[], b"")).await.unwrap();
    assert_eq!(shed.status, 503);
    assert!(shed.is_problem());
    assert!(shed.header("retry-after").is_some());
    // Once the slot is free, requests are served again.
    holder.write_all(&full[full.len() - 10..]).await.unwrap();
    assert_eq!(read_response(&mut holder).await.unwrap().status, 201);
    assert_eq!(exchange(address, &request("GET", "/v1/health", &[], b"")).await.unwrap().status, 200);
}

#[tokio::test]
async fn connections_over_the_cap_get_a_503_problem_and_open_ones_keep_working() {
    let limits = ServerLimits { max_connections: 3, ..ServerLimits::default() };
    let (address, _stop) = serve(limits).await;
    let mut open = Vec::new();
    for _ in 0..3 {
        open.push(TcpStream::connect(address).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let refused = exchange(address, &request("GET", "/v1/health", &[], b"")).await.unwrap();
    assert_eq!(refused.status, 503);
    assert!(refused.is_problem());
    assert_eq!(refused.header("retry-after"), Some("1"));
    open[0].write_all(&request("GET", "/v1/health", &[], b"")).await.unwrap();
    assert_eq!(read_response(&mut open[0]).await.unwrap().status, 200);
}

#[tokio::test]
async fn a_forwarded_for_header_does_not_buy_a_new_bucket() {
    let registry = registry_with(RegistryConfig { database: ":memory:".into(), rate_limits: RateLimitSettings { burst: 2, per_minute: 1 }, ..RegistryConfig::default() });
    let mut statuses = Vec::new();
    for index in 0..3 {
        let mut request = post_document(&key(index), ANNA_DOCUMENT);
        request.headers_mut().insert("x-forwarded-for", format!("127.0.1.{index}").parse().unwrap());
        statuses.push(send(&registry.router, request, "127.0.0.1").await.status);
    }
    assert_eq!(statuses, [StatusCode::CREATED, StatusCode::CREATED, StatusCode::TOO_MANY_REQUESTS]);
}

#[tokio::test]
async fn names_that_are_invisible_mixed_script_or_mark_heavy_are_refused_without_echoing_them() {
    let registry = registry();
    let cases = [
        ("\u{3164}\u{3164}", "invisible"),
        ("\u{0410}nna Maria", "mixes writing systems"),
        (&*format!("A{}", "\u{0301}".repeat(99)), "combining marks"),
    ];
    for (index, (given_names, reason)) in cases.into_iter().enumerate() {
        let mut document: Value = serde_json::from_str(ANNA_DOCUMENT).unwrap();
        document["person"]["given_names"] = Value::from(given_names);
        let answer = send(&registry.router, post_document(&key(index), &document.to_string()), "127.0.0.1").await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{reason}");
        assert_eq!(answer.body["type"], "/problems/invalid-person");
        let detail = answer.body["detail"].as_str().unwrap();
        assert!(detail.contains("given_names") && detail.contains(reason), "{detail}");
        assert!(!answer.body.to_string().contains("nna"));
    }
    assert_eq!(registry.store.count_identities().unwrap(), 0);
}

#[tokio::test]
async fn a_decomposed_name_is_stored_composed() {
    let registry = registry();
    let mut document: Value = serde_json::from_str(ANNA_DOCUMENT).unwrap();
    document["person"]["given_names"] = Value::from("Zoe\u{0308}");
    let answer = send(&registry.router, post_document(&key(1), &document.to_string()), "127.0.0.1").await;
    assert_eq!(answer.status, StatusCode::CREATED);
    assert_eq!(answer.body["person"]["given_names"], "Zo\u{00EB}");
}
