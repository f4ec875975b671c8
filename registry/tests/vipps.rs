//! Vipps Login held by the registry (`docs/vipps-login.md`), against:
//! - the real OpenID provider of `tests/oidc-provider/provider.mjs` (node), logged in
//!   through its forms like a browser would, counting its token requests;
//! - a test double of the provider's token side (discovery, JWKS, token, userinfo)
//!   serving ID tokens this test signs itself, for the forged-token cases.
//!
//! Needs `node` and `npm ci` at the repository root.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use chrono::{Duration, Utc};
use http_body_util::BodyExt;
use id_capture_registry::hms_directory::InventedCardDirectory;
use id_capture_registry::store::Store;
use id_capture_registry::vipps::{ClientSecret, VippsExchange, VippsSettings};
use id_capture_registry::{build_router, AppState, RegistryConfig};
use openidconnect::core::{CoreHmacKey, CoreIdToken, CoreIdTokenClaims, CoreJsonWebKeySet, CoreJwsSigningAlgorithm, CoreRsaPrivateSigningKey};
use openidconnect::{AccessToken, Audience, EmptyAdditionalClaims, IssuerUrl, JsonWebKeyId, Nonce, PrivateSigningKey, StandardClaims, SubjectIdentifier};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tower::ServiceExt;

const CLIENT_ID: &str = "id-capture-local";
const CLIENT_SECRET: &str = "test-secret-4bd2e1";
const REDIRECT_URI: &str = "http://127.0.0.1:5173/vipps/callback";
const KEY: &str = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
const OTHER_KEY: &str = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";
const CONFIRM_KEY: &str = "1b2c3d4e-5f60-4b7c-8d9e-0f1a2b3c4d5e";

fn repository_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn real_now() -> i64 {
    Utc::now().timestamp()
}

/// A registry whose clock runs `offset` seconds ahead of the real one (tokens are signed now).
struct Registry {
    router: Router,
    store: Store,
    offset: Arc<AtomicI64>,
}

fn settings_for(issuer: &str) -> VippsSettings {
    VippsSettings {
        issuer: issuer.to_owned(),
        client_id: CLIENT_ID.to_owned(),
        client_secret: ClientSecret::new(CLIENT_SECRET.to_owned()),
        allowed_redirect_uris: vec![REDIRECT_URI.to_owned(), "http://127.0.0.1:5173/other".to_owned()],
    }
}

fn registry_with(exchange: Option<VippsExchange>) -> Registry {
    registry_with_database(exchange, ":memory:")
}

fn registry_with_database(exchange: Option<VippsExchange>, database: &str) -> Registry {
    // These tests send many callbacks from one (in-process) client on purpose; the
    // per-client limit has its own tests (abuse.rs, hardening.rs).
    let rate_limits = id_capture_registry::config::RateLimitSettings { burst: 10_000, per_minute: 10_000 };
    let config = RegistryConfig { database: database.into(), rate_limits, ..RegistryConfig::default() };
    let store = Store::open(database).unwrap();
    let offset = Arc::new(AtomicI64::new(0));
    let mut state = AppState::new(store.clone(), Arc::new(InventedCardDirectory::invented()), &config);
    if let Some(exchange) = exchange {
        state = state.with_vipps(exchange);
    }
    let clock_offset = offset.clone();
    state.clock = Arc::new(move || real_now() + clock_offset.load(Ordering::SeqCst));
    Registry { router: build_router(state, &config), store, offset }
}

fn registry_for(issuer: &str) -> Registry {
    registry_with(Some(VippsExchange::new(settings_for(issuer)).unwrap()))
}

async fn send(router: &Router, request: Request<Body>) -> (StatusCode, Value, String) {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null), text)
}

async fn post_json(router: &Router, path: &str, key: Option<&str>, body: &Value) -> (StatusCode, Value, String) {
    let mut request = Request::post(path).header(header::CONTENT_TYPE, "application/json");
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    send(router, request.body(Body::from(body.to_string())).unwrap()).await
}

/// What the starting tab holds.
struct Started {
    login_id: String,
    authorization_url: reqwest::Url,
}

impl Started {
    fn parameter(&self, name: &str) -> String {
        self.authorization_url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.into_owned()).unwrap_or_default()
    }
}

async fn start_login(router: &Router) -> Started {
    let (status, body, _) = post_json(router, "/v2/vipps/logins", None, &json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    Started {
        login_id: body["login_id"].as_str().unwrap().to_owned(),
        authorization_url: reqwest::Url::parse(body["authorization_url"].as_str().unwrap()).unwrap(),
    }
}

async fn post_callback(router: &Router, key: &str, callback: &Value) -> (StatusCode, Value, String) {
    post_json(router, "/v2/vipps/callbacks", Some(key), callback).await
}

async fn login_status(router: &Router, login_id: &str) -> String {
    let (status, body, _) = send(router, Request::get(format!("/v2/vipps/logins/{login_id}")).body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body.as_object().unwrap().len(), 1, "only the status: {body}");
    body["status"].as_str().unwrap().to_owned()
}

async fn confirm(router: &Router, stage_id: &str, key: &str) -> (StatusCode, Value) {
    let (status, body, _) = post_json(router, &format!("/v2/stages/{stage_id}/confirm"), Some(key), &json!({})).await;
    (status, body)
}

fn problem_type(body: &Value) -> &str {
    body["type"].as_str().unwrap_or_default()
}

// ---------------------------------------------------------------------------
// The real provider (node oidc-provider), driven through its login and consent forms.

struct LocalProvider {
    child: Child,
    issuer: String,
    origin: String,
}

impl LocalProvider {
    fn start() -> LocalProvider {
        let root = repository_root();
        assert!(root.join("node_modules/oidc-provider").exists(), "run `npm ci` at the repository root first");
        let mut child = Command::new("node")
            .arg(root.join("tests/oidc-provider/provider.mjs"))
            .args(["--port", "0", "--redirect-uri", REDIRECT_URI, "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node is installed");
        let mut ready_line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut ready_line).unwrap();
        let ready: Value = serde_json::from_str(&ready_line).expect("the provider prints its ready line");
        let issuer = ready["issuer"].as_str().unwrap().to_owned();
        let origin = issuer.trim_end_matches("/access/").to_owned();
        LocalProvider { child, issuer, origin }
    }

    /// How often discovery, JWKS and the token endpoint were asked.
    async fn counts(&self) -> Value {
        let text = reqwest::get(format!("{}/test/counts", self.origin)).await.unwrap().text().await.unwrap();
        serde_json::from_str(&text).unwrap()
    }
}

impl Drop for LocalProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A browser's cookie jar at the provider.
#[derive(Default)]
struct Browser {
    cookies: BTreeMap<String, String>,
    /// Whether the provider showed its login form on the last visit.
    saw_login_form: bool,
}

enum Choice {
    LogIn,
    Cancel,
}

impl Browser {
    /// Follows the authorization URL through the provider's forms; returns the
    /// callback's query parameters, as the returning tab would read them.
    async fn visit(&mut self, authorization_url: &reqwest::Url, choice: Choice) -> BTreeMap<String, String> {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        self.saw_login_form = false;
        let mut next: (reqwest::Url, Option<Vec<(String, String)>>) = (authorization_url.clone(), None);
        for _ in 0..12 {
            let (url, form) = next;
            let cookie_header = self.cookies.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join("; ");
            let request = match &form {
                Some(fields) => http.post(url.clone()).form(fields),
                None => http.get(url.clone()),
            };
            let response = request.header(header::COOKIE, cookie_header).send().await.unwrap();
            for set_cookie in response.headers().get_all(header::SET_COOKIE) {
                let pair = set_cookie.to_str().unwrap().split(';').next().unwrap();
                let (name, value) = pair.split_once('=').unwrap();
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
            if response.status().is_redirection() {
                let location = response.headers()[header::LOCATION].to_str().unwrap().to_owned();
                if location.starts_with(REDIRECT_URI) {
                    return reqwest::Url::parse(&location).unwrap().query_pairs().into_owned().collect();
                }
                next = (url.join(&location).unwrap(), None);
                continue;
            }
            assert_eq!(response.status(), StatusCode::OK, "the provider showed an error page");
            let html = response.text().await.unwrap();
            if html.contains("name=\"login\"") {
                self.saw_login_form = true;
            }
            if matches!(choice, Choice::Cancel) {
                let before_cancel = &html[..html.find("\">[ Cancel ]").expect("a cancel link")];
                let href = &before_cancel[before_cancel.rfind("href=\"").unwrap() + 6..];
                next = (url.join(href).unwrap(), None);
                continue;
            }
            let action = between(&html, "action=\"", "\"").expect("a form");
            let mut fields = Vec::new();
            for input in html.split("<input").skip(1) {
                let tag = input.split('>').next().unwrap();
                let name = between(tag, "name=\"", "\"").unwrap();
                let value = match name {
                    "login" => "kari".to_owned(),
                    "password" => "any-password".to_owned(),
                    _ => between(tag, "value=\"", "\"").unwrap_or_default().to_owned(),
                };
                fields.push((name.to_owned(), value));
            }
            next = (url.join(action).unwrap(), Some(fields));
        }
        panic!("the provider never redirected back");
    }
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let length = text[from..].find(end)?;
    Some(&text[from..from + length])
}

/// The body the returning tab posts: exactly the callback's state, code, iss and error.
fn callback_body(parameters: &BTreeMap<String, String>) -> Value {
    let mut body = serde_json::Map::new();
    for name in ["state", "code", "iss", "error"] {
        if let Some(value) = parameters.get(name) {
            body.insert(name.to_owned(), json!(value));
        }
    }
    Value::Object(body)
}

async fn logged_in_callback(provider: &LocalProvider, registry: &Registry) -> (Started, Value) {
    let _ = provider;
    let started = start_login(&registry.router).await;
    let parameters = Browser::default().visit(&started.authorization_url, Choice::LogIn).await;
    (started, callback_body(&parameters))
}

#[tokio::test]
async fn a_login_finished_in_another_browser_is_staged_and_stored_only_on_confirm() {
    let provider = LocalProvider::start();
    let registry = registry_for(&provider.issuer);
    let started = start_login(&registry.router).await;

    // The authorization request: our client, the first redirect URI, S256, a fresh login; no secret of the login.
    assert_eq!(started.authorization_url.as_str().split('?').next(), Some(format!("{}oauth2/auth", provider.issuer).as_str()));
    for (name, expected) in
        [("response_type", "code"), ("client_id", CLIENT_ID), ("redirect_uri", REDIRECT_URI), ("scope", "openid name birthDate"), ("code_challenge_method", "S256"), ("prompt", "login")]
    {
        assert_eq!(started.parameter(name), expected, "{name}");
    }
    for name in ["state", "nonce", "code_challenge"] {
        assert_eq!(started.parameter(name).len(), 43, "{name}");
    }
    assert!(started.authorization_url.query_pairs().all(|(name, _)| name != "code_verifier"));
    assert_eq!(login_status(&registry.router, &started.login_id).await, "waiting");

    // Another browser (a fresh cookie jar, nothing of the starting tab) finishes the login.
    let parameters = Browser::default().visit(&started.authorization_url, Choice::LogIn).await;
    let (status, staged, text) = post_callback(&registry.router, KEY, &callback_body(&parameters)).await;
    assert_eq!(status, StatusCode::OK, "{staged}");
    assert_eq!(staged["person"], json!({ "given_names": "Kari", "surname": "Nordmann-Testesen", "date_of_birth": "1988-04-17", "nationality": null }));
    let mut fields: Vec<&String> = staged.as_object().unwrap().keys().collect();
    fields.sort_unstable();
    assert_eq!(fields, ["expires_at", "person", "stage_id"]);
    for leaked in ["example.invalid", "4712345678", "\"sub\"", "kari\""] {
        assert!(!text.contains(leaked), "the answer contains {leaked}");
    }
    // Staged, not stored; the starting tab learns only "waiting".
    assert_eq!(registry.store.count_identities().unwrap(), 0);
    assert_eq!(login_status(&registry.router, &started.login_id).await, "waiting");

    let (status, stored) = confirm(&registry.router, staged["stage_id"].as_str().unwrap(), CONFIRM_KEY).await;
    assert_eq!(status, StatusCode::CREATED, "{stored}");
    assert_eq!(stored["person"], staged["person"]);
    assert_eq!(registry.store.count_identities().unwrap(), 1);
    assert_eq!(login_status(&registry.router, &started.login_id).await, "completed");
    assert_eq!(provider.counts().await["token"], 1);
}

#[tokio::test]
async fn a_replayed_state_is_not_found_and_a_retried_callback_gets_the_first_answer_without_a_second_token_request() {
    let provider = LocalProvider::start();
    let registry = registry_for(&provider.issuer);
    let (_, callback) = logged_in_callback(&provider, &registry).await;
    let (status, first, _) = post_callback(&registry.router, KEY, &callback).await;
    assert_eq!(status, StatusCode::OK, "{first}");

    // The answer was lost: the same key and body get the same stage.
    let (status, again, _) = post_callback(&registry.router, KEY, &callback).await;
    assert_eq!((status, &again), (StatusCode::OK, &first));
    // Someone else replays the callback: nothing.
    let (status, problem, _) = post_callback(&registry.router, OTHER_KEY, &callback).await;
    assert_eq!((status, problem_type(&problem)), (StatusCode::NOT_FOUND, "/problems/vipps-login-not-found"));
    // The same key with another body is a conflict.
    let mut changed = callback.clone();
    changed["code"] = json!("another-code");
    let (status, problem, _) = post_callback(&registry.router, KEY, &changed).await;
    assert_eq!((status, problem_type(&problem)), (StatusCode::UNPROCESSABLE_ENTITY, "/problems/idempotency-conflict"));

    // Once confirmed, the login is over: a retry finds nothing to answer.
    assert_eq!(confirm(&registry.router, first["stage_id"].as_str().unwrap(), CONFIRM_KEY).await.0, StatusCode::CREATED);
    let (status, problem, _) = post_callback(&registry.router, KEY, &callback).await;
    assert_eq!((status, problem_type(&problem)), (StatusCode::NOT_FOUND, "/problems/vipps-login-not-found"));
    assert_eq!(provider.counts().await["token"], 1);
    assert_eq!(registry.store.count_identities().unwrap(), 1);
}

#[tokio::test]
async fn an_expired_login_is_refused_as_expired_without_a_token_request() {
    let provider = LocalProvider::start();
    let registry = registry_for(&provider.issuer);
    let (started, callback) = logged_in_callback(&provider, &registry).await;
    registry.offset.store(10 * 60, Ordering::SeqCst);
    assert_eq!(login_status(&registry.router, &started.login_id).await, "expired");
    let (status, problem, _) = post_callback(&registry.router, KEY, &callback).await;
    assert_eq!((status, problem_type(&problem)), (StatusCode::GONE, "/problems/vipps-login-expired"));
    assert_eq!(provider.counts().await["token"], 0);
    assert_eq!(registry.store.count_identities().unwrap(), 0);
}

#[tokio::test]
async fn an_unconfirmed_stage_expires_and_so_does_its_login() {
    let provider = LocalProvider::start();
    let registry = registry_for(&provider.issuer);
    let (started, callback) = logged_in_callback(&provider, &registry).await;
    let (_, staged, _) = post_callback(&registry.router, KEY, &callback).await;
    registry.offset.store(10 * 60, Ordering::SeqCst);
    assert_eq!(login_status(&registry.router, &started.login_id).await, "expired");
    let (status, problem) = confirm(&registry.router, staged["stage_id"].as_str().unwrap(), CONFIRM_KEY).await;
    assert_eq!((status, problem_type(&problem)), (StatusCode::NOT_FOUND, "/problems/stage-not-found"));
    assert_eq!(registry.store.count_identities().unwrap(), 0);
}

#[tokio::test]
async fn cancelling_at_vipps_cancels_the_login_and_other_errors_fail_it() {
    let provider = LocalProvider::start();
    let registry = registry_for(&provider.issuer);
    let started = start_login(&registry.router).await;
    let parameters = Browser::default().visit(&started.authorization_url, Choice::Cancel).await;
    assert_eq!(parameters.get("error").map(String::as_str), Some("access_denied"));
    let (status, problem, _) = post_callback(&registry.router, KEY, &callback_body(&parameters)).await;
    assert_eq!((status, problem_type(&problem)), (StatusCode::BAD_REQUEST, "/problems/vipps-cancelled"));
    assert_eq!(login_status(&registry.router, &started.login_id).await, "cancelled");
    // The lost answer, asked again: the same problem.
    let (status, problem, _) = post_callback(&registry.router, KEY, &callback_body(&parameters)).await;
    assert_eq!((status, problem_type(&problem)), (StatusCode::BAD_REQUEST, "/problems/vipps-cancelled"));

    let started = start_login(&registry.router).await;
    let callback = json!({ "state": started.parameter("state"), "error": "server_error", "iss": provider.issuer });
    let (status, problem, _) = post_callback(&registry.router, OTHER_KEY, &callback).await;
    assert_eq!((status, problem_type(&problem)), (StatusCode::BAD_GATEWAY, "/problems/vipps-provider-error"));
    assert_eq!(login_status(&registry.router, &started.login_id).await, "failed");
    assert_eq!(provider.counts().await["token"], 0);
}

#[tokio::test]
async fn a_concurrent_double_submit_makes_one_token_request() {
    let provider = LocalProvider::start();
    let registry = registry_for(&provider.issuer);
    let (_, callback) = logged_in_callback(&provider, &registry).await;
    let (first, second) = tokio::join!(post_callback(&registry.router, KEY, &callback), post_callback(&registry.router, KEY, &callback));
    let mut statuses = [first.0, second.0];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    let (winner, loser) = if first.0 == StatusCode::OK { (first, second) } else { (second, first) };
    assert_eq!(problem_type(&loser.1), "/problems/vipps-login-in-progress");
    // The loser retries with its key: the winner's answer, still one token request.
    let (status, retried, _) = post_callback(&registry.router, KEY, &callback).await;
    assert_eq!((status, &retried), (StatusCode::OK, &winner.1));
    assert_eq!(provider.counts().await["token"], 1);

    // Two tabs with their own keys: one exchange, one 409.
    let (_, callback) = logged_in_callback(&provider, &registry).await;
    let (first, second) = tokio::join!(post_callback(&registry.router, KEY, &callback), post_callback(&registry.router, OTHER_KEY, &callback));
    let mut statuses = [first.0, second.0];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    assert_eq!(provider.counts().await["token"], 2);
    assert_eq!(registry.store.count_identities().unwrap(), 0);
}

#[tokio::test]
async fn the_callback_must_name_the_configured_issuer_which_this_provider_always_sends() {
    let provider = LocalProvider::start();
    let registry = registry_for(&provider.issuer);

    let (started, mut callback) = logged_in_callback(&provider, &registry).await;
    callback["iss"] = json!("http://127.0.0.1:1/access/");
    let (status, problem, _) = post_callback(&registry.router, KEY, &callback).await;
    assert_eq!((status, problem_type(&problem)), (StatusCode::BAD_REQUEST, "/problems/vipps-issuer-mismatch"));
    assert_eq!(login_status(&registry.router, &started.login_id).await, "failed");

    // Discovery advertises authorization_response_iss_parameter_supported: a callback without iss is refused.
    let (started, mut callback) = logged_in_callback(&provider, &registry).await;
    callback.as_object_mut().unwrap().remove("iss");
    let (status, problem, _) = post_callback(&registry.router, OTHER_KEY, &callback).await;
    assert_eq!((status, problem_type(&problem)), (StatusCode::BAD_REQUEST, "/problems/vipps-issuer-mismatch"));
    assert_eq!(login_status(&registry.router, &started.login_id).await, "failed");
    assert_eq!(provider.counts().await["token"], 0);
}

#[tokio::test]
async fn discovery_and_keys_are_fetched_once_across_logins_and_forged_callbacks_reach_nobody() {
    let provider = LocalProvider::start();
    let registry = registry_for(&provider.issuer);
    let keys = [KEY, OTHER_KEY, CONFIRM_KEY];
    for key in keys {
        let (_, callback) = logged_in_callback(&provider, &registry).await;
        assert_eq!(post_callback(&registry.router, key, &callback).await.0, StatusCode::OK);
    }
    for forged in 0..20 {
        let callback = json!({ "state": format!("forged-state-{forged}"), "code": "forged-code", "iss": provider.issuer });
        let (status, problem, _) = post_callback(&registry.router, KEY, &callback).await;
        assert_eq!((status, problem_type(&problem)), (StatusCode::NOT_FOUND, "/problems/vipps-login-not-found"));
    }
    assert_eq!(provider.counts().await, json!({ "discovery": 1, "jwks": 1, "token": 3 }));
}

#[tokio::test]
async fn prompt_login_makes_the_provider_ask_for_a_login_again_in_the_same_browser() {
    let provider = LocalProvider::start();
    let registry = registry_for(&provider.issuer);
    let mut browser = Browser::default();
    let first = start_login(&registry.router).await;
    browser.visit(&first.authorization_url, Choice::LogIn).await;
    assert!(browser.saw_login_form);

    // "Register another person": the same browser, with the provider's session cookie.
    let second = start_login(&registry.router).await;
    browser.visit(&second.authorization_url, Choice::LogIn).await;
    assert!(browser.saw_login_form, "prompt=login must show the login form again");

    // Without prompt=login the provider's session would have signed the next person in silently.
    let mut silent = second.authorization_url.clone();
    let pairs: Vec<(String, String)> = second.authorization_url.query_pairs().into_owned().filter(|(name, _)| name != "prompt").collect();
    silent.query_pairs_mut().clear().extend_pairs(pairs);
    browser.visit(&silent, Choice::LogIn).await;
    assert!(!browser.saw_login_form);
}

// ---------------------------------------------------------------------------
// A test double of the provider's token side, serving ID tokens this test signs.

struct SigningKeys {
    trusted: CoreRsaPrivateSigningKey,
    /// Same `kid`, not in the JWKS: a forger's key.
    forger: CoreRsaPrivateSigningKey,
    /// Another `kid`: the provider's next key after a rotation.
    rotated: CoreRsaPrivateSigningKey,
}

fn signing_keys() -> SigningKeys {
    // Fresh keys from node's crypto (a test dependency already): no private key is committed.
    let script = "const c=require('crypto');for(let i=0;i<3;i++)process.stdout.write(c.generateKeyPairSync('rsa',{modulusLength:2048}).privateKey.export({type:'pkcs1',format:'pem'}))";
    let output = Command::new("node").args(["-e", script]).output().expect("node is installed");
    let pems = String::from_utf8(output.stdout).unwrap();
    let end = "-----END RSA PRIVATE KEY-----";
    let mut pems = pems.split_inclusive(end).map(str::trim);
    let mut key = |kid: &str| CoreRsaPrivateSigningKey::from_pem(pems.next().unwrap(), Some(JsonWebKeyId::new(kid.into()))).unwrap();
    SigningKeys { trusted: key("test-key"), forger: key("test-key"), rotated: key("rotated-key") }
}

#[derive(Default)]
struct DoubleState {
    issuer: String,
    jwks: Value,
    signing_algs: Vec<&'static str>,
    id_token: String,
    userinfo: Value,
    token_authorization: Option<String>,
    token_requests: u32,
    jwks_requests: u32,
}

type Shared = Arc<Mutex<DoubleState>>;
const ACCESS_TOKEN: &str = "access-token-from-the-double";

async fn start_double(keys: &SigningKeys) -> (String, Shared) {
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let issuer = format!("{origin}/access/");
    let jwks = serde_json::to_value(CoreJsonWebKeySet::new(vec![keys.trusted.as_verification_key()])).unwrap();
    let shared: Shared = Arc::new(Mutex::new(DoubleState { issuer: issuer.clone(), jwks, signing_algs: vec!["RS256"], ..DoubleState::default() }));
    let app = Router::new()
        .route("/access/.well-known/openid-configuration", get(discovery))
        .route(
            "/access/.well-known/jwks.json",
            get(|State(s): State<Shared>| async move {
                let mut state = s.lock().unwrap();
                state.jwks_requests += 1;
                Json(state.jwks.clone())
            }),
        )
        .route("/access/oauth2/token", post(token))
        .route("/vipps-userinfo-api/userinfo", get(|State(s): State<Shared>| async move { Json(s.lock().unwrap().userinfo.clone()) }))
        .with_state(shared.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (issuer, shared)
}

async fn discovery(State(shared): State<Shared>) -> Json<Value> {
    let state = shared.lock().unwrap();
    let issuer = state.issuer.clone();
    let origin = issuer.trim_end_matches("/access/");
    Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}oauth2/auth"),
        "token_endpoint": format!("{issuer}oauth2/token"),
        "jwks_uri": format!("{issuer}.well-known/jwks.json"),
        "userinfo_endpoint": format!("{origin}/vipps-userinfo-api/userinfo"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": state.signing_algs,
    }))
}

async fn token(State(shared): State<Shared>, headers: HeaderMap) -> Json<Value> {
    let mut state = shared.lock().unwrap();
    state.token_requests += 1;
    state.token_authorization = headers.get(header::AUTHORIZATION).map(|value| value.to_str().unwrap().to_owned());
    Json(json!({ "access_token": ACCESS_TOKEN, "token_type": "Bearer", "expires_in": 300, "id_token": state.id_token }))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Signer {
    Trusted,
    Forger,
    Rotated,
    /// HS256 with the client secret as the key.
    ClientSecretHmac,
}

/// The ID token a well-behaved provider would issue; each case bends one claim.
struct TokenSpec {
    issuer: String,
    audience: String,
    nonce: String,
    subject: String,
    issued_seconds_ago: i64,
    expires_in_seconds: i64,
    signer: Signer,
    at_hash_for: Option<String>,
}

fn sign(keys: &SigningKeys, spec: &TokenSpec) -> String {
    let now = Utc::now();
    let claims = CoreIdTokenClaims::new(
        IssuerUrl::new(spec.issuer.clone()).unwrap(),
        vec![Audience::new(spec.audience.clone())],
        now + Duration::seconds(spec.expires_in_seconds),
        now - Duration::seconds(spec.issued_seconds_ago),
        StandardClaims::new(SubjectIdentifier::new(spec.subject.clone())),
        EmptyAdditionalClaims {},
    )
    .set_nonce(Some(Nonce::new(spec.nonce.clone())));
    let access_token = spec.at_hash_for.clone().map(AccessToken::new);
    let rs256 = CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256;
    match spec.signer {
        Signer::Trusted => CoreIdToken::new(claims, &keys.trusted, rs256, access_token.as_ref(), None),
        Signer::Forger => CoreIdToken::new(claims, &keys.forger, rs256, access_token.as_ref(), None),
        Signer::Rotated => CoreIdToken::new(claims, &keys.rotated, rs256, access_token.as_ref(), None),
        Signer::ClientSecretHmac => {
            let hmac = CoreHmacKey::new(CLIENT_SECRET.as_bytes());
            CoreIdToken::new(claims, &hmac, CoreJwsSigningAlgorithm::HmacSha256, access_token.as_ref(), None)
        }
    }
    .unwrap()
    .to_string()
}

struct Double {
    registry: Registry,
    shared: Shared,
    keys: SigningKeys,
    issuer: String,
}

impl Double {
    async fn new() -> Double {
        Double::with_exchange(|issuer| VippsExchange::new(settings_for(issuer)).unwrap()).await
    }

    async fn with_exchange(exchange: impl FnOnce(&str) -> VippsExchange) -> Double {
        let keys = signing_keys();
        let (issuer, shared) = start_double(&keys).await;
        shared.lock().unwrap().userinfo = json!({ "sub": "vipps-subject-1", "name": "Kari Nordmann-Testesen", "birthdate": "1988-04-17",
                                                   "email": "kari@example.invalid", "phone_number": "4712345678" });
        let registry = registry_with(Some(exchange(&issuer)));
        Double { registry, shared, keys, issuer }
    }

    fn good_spec(&self, nonce: &str) -> TokenSpec {
        TokenSpec {
            issuer: self.issuer.clone(),
            audience: CLIENT_ID.into(),
            nonce: nonce.to_owned(),
            subject: "vipps-subject-1".into(),
            issued_seconds_ago: 5,
            expires_in_seconds: 300,
            signer: Signer::Trusted,
            at_hash_for: Some(ACCESS_TOKEN.into()),
        }
    }

    /// Starts a login, serves a token made by `bend` from the good one (with the login's nonce), posts the callback.
    async fn exchange(&self, bend: impl FnOnce(TokenSpec) -> TokenSpec, key: &str) -> (StatusCode, Value) {
        let started = start_login(&self.registry.router).await;
        let spec = bend(self.good_spec(&started.parameter("nonce")));
        self.shared.lock().unwrap().id_token = sign(&self.keys, &spec);
        let callback = json!({ "state": started.parameter("state"), "code": "code-from-the-double", "iss": self.issuer });
        let (status, body, _) = post_callback(&self.registry.router, key, &callback).await;
        (status, body)
    }
}

fn assert_invalid_token(outcome: (StatusCode, Value), case: &str) {
    assert_eq!(outcome.0, StatusCode::UNAUTHORIZED, "{case}: {}", outcome.1);
    assert_eq!(outcome.1["type"], "/problems/vipps-invalid-token", "{case}");
}

#[tokio::test]
async fn a_well_formed_token_from_the_double_is_staged_with_client_secret_basic() {
    let double = Double::new().await;
    let (status, body) = double.exchange(|spec| spec, KEY).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // `name` split at its last space, as the double sends no given_name/family_name.
    assert_eq!(body["person"], json!({ "given_names": "Kari", "surname": "Nordmann-Testesen", "date_of_birth": "1988-04-17", "nationality": null }));
    let expected_basic = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}")));
    assert_eq!(double.shared.lock().unwrap().token_authorization.as_deref(), Some(expected_basic.as_str()));
}

#[tokio::test]
async fn forged_tokens_are_refused_and_nothing_is_staged() {
    let double = Double::new().await;
    let keys = ["11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222", "33333333-3333-4333-8333-333333333333",
                "44444444-4444-4444-8444-444444444444", "55555555-5555-4555-8555-555555555555", "66666666-6666-4666-8666-666666666666",
                "77777777-7777-4777-8777-777777777777"];
    type Bend = Box<dyn FnOnce(TokenSpec) -> TokenSpec>;
    let cases: Vec<(&str, Bend)> = vec![
        ("wrong nonce", Box::new(|spec| TokenSpec { nonce: "another-nonce".into(), ..spec })),
        ("wrong audience", Box::new(|spec| TokenSpec { audience: "another-client".into(), ..spec })),
        ("expired", Box::new(|spec| TokenSpec { issued_seconds_ago: 400, expires_in_seconds: -100, ..spec })),
        ("bad signature", Box::new(|spec| TokenSpec { signer: Signer::Forger, ..spec })),
        ("wrong issuer", Box::new(|spec| TokenSpec { issuer: "http://127.0.0.1:1/access/".into(), ..spec })),
        ("issued in the future", Box::new(|spec| TokenSpec { issued_seconds_ago: -3600, expires_in_seconds: 7200, ..spec })),
        ("access token hash of another token", Box::new(|spec| TokenSpec { at_hash_for: Some("another-access-token".into()), ..spec })),
    ];
    for ((case, bend), key) in cases.into_iter().zip(keys) {
        assert_invalid_token(double.exchange(bend, key).await, case);
    }
    assert_eq!(double.registry.store.count_identities().unwrap(), 0);
}

#[tokio::test]
async fn an_hs256_token_signed_with_the_client_secret_is_refused_even_when_discovery_offers_hs256() {
    let double = Double::new().await;
    double.shared.lock().unwrap().signing_algs = vec!["RS256", "HS256"];
    // No at_hash, so that nothing but the algorithm can refuse it.
    let hs256 = |spec| TokenSpec { signer: Signer::ClientSecretHmac, at_hash_for: None, ..spec };
    assert_invalid_token(double.exchange(hs256, KEY).await, "HS256 with the client secret");
    // The same token signed RS256 with the provider's key is fine.
    assert_eq!(double.exchange(|spec| TokenSpec { at_hash_for: None, ..spec }, OTHER_KEY).await.0, StatusCode::OK);
}

#[tokio::test]
async fn userinfo_about_another_subject_is_refused() {
    let double = Double::new().await;
    double.shared.lock().unwrap().userinfo["sub"] = json!("someone-else");
    assert_invalid_token(double.exchange(|spec| spec, KEY).await, "userinfo subject");
}

#[tokio::test]
async fn a_rotated_key_is_fetched_once_but_not_more_than_once_a_minute() {
    // Default: the keys were fetched moments ago, so an unknown key id is refused without a fetch.
    let double = Double::new().await;
    assert_eq!(double.exchange(|spec| spec, KEY).await.0, StatusCode::OK);
    double.shared.lock().unwrap().jwks = serde_json::to_value(CoreJsonWebKeySet::new(vec![double.keys.rotated.as_verification_key()])).unwrap();
    assert_invalid_token(double.exchange(|spec| TokenSpec { signer: Signer::Rotated, ..spec }, OTHER_KEY).await, "rotated within the minute");
    assert_eq!(double.shared.lock().unwrap().jwks_requests, 1);

    // With no minimum interval the unknown key id causes one refresh, and the token is accepted.
    let double = Double::with_exchange(|issuer| VippsExchange::new(settings_for(issuer)).unwrap().with_min_refresh_interval(std::time::Duration::ZERO)).await;
    assert_eq!(double.exchange(|spec| spec, KEY).await.0, StatusCode::OK);
    double.shared.lock().unwrap().jwks = serde_json::to_value(CoreJsonWebKeySet::new(vec![double.keys.rotated.as_verification_key()])).unwrap();
    let (status, body) = double.exchange(|spec| TokenSpec { signer: Signer::Rotated, ..spec }, OTHER_KEY).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(double.shared.lock().unwrap().jwks_requests, 2);
}

#[tokio::test]
async fn an_unreachable_provider_cannot_start_a_login_and_no_configuration_is_503() {
    // A port nothing listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let registry = registry_for(&format!("http://{closed}/access/"));
    let (status, problem, _) = post_json(&registry.router, "/v2/vipps/logins", None, &json!({})).await;
    assert_eq!((status, problem_type(&problem)), (StatusCode::SERVICE_UNAVAILABLE, "/problems/unavailable"));

    let registry = registry_with(None);
    let (status, problem, _) = post_json(&registry.router, "/v2/vipps/logins", None, &json!({})).await;
    assert_eq!((status, problem_type(&problem)), (StatusCode::SERVICE_UNAVAILABLE, "/problems/vipps-not-configured"));
    let (status, problem, _) = post_callback(&registry.router, KEY, &json!({ "state": "s", "code": "c" })).await;
    assert_eq!((status, problem_type(&problem)), (StatusCode::SERVICE_UNAVAILABLE, "/problems/vipps-not-configured"));
}

#[tokio::test]
async fn callbacks_are_strict_and_unknown_logins_are_not_found() {
    let double = Double::new().await;
    let router = &double.registry.router;
    let (status, problem, _) = post_callback(router, KEY, &json!({ "state": "s", "code": "c", "code_verifier": "v" })).await;
    assert_eq!((status, problem_type(&problem)), (StatusCode::BAD_REQUEST, "/problems/invalid-request"));
    let (status, problem, _) = post_callback(router, KEY, &json!({ "state": "s".repeat(3000), "code": "c" })).await;
    assert_eq!((status, problem_type(&problem)), (StatusCode::BAD_REQUEST, "/problems/invalid-request"));
    let (status, problem, _) = post_json(router, "/v2/vipps/callbacks", None, &json!({ "state": "s", "code": "c" })).await;
    assert_eq!((status, problem_type(&problem)), (StatusCode::BAD_REQUEST, "/problems/missing-idempotency-key"));
    let (status, problem, _) = send(router, Request::get("/v2/vipps/logins/no-such-login").body(Body::empty()).unwrap()).await;
    assert_eq!((status, problem_type(&problem)), (StatusCode::NOT_FOUND, "/problems/vipps-login-not-found"));
    assert_eq!(double.shared.lock().unwrap().token_requests, 0);
}

#[tokio::test]
async fn the_page_learns_only_whether_vipps_is_on_and_the_secret_never_shows() {
    let double = Double::new().await;
    let (status, config, text) = send(&double.registry.router, Request::get("/config.json").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(config["vipps"], json!({ "enabled": true }));
    assert!(!text.contains(CLIENT_ID) && !text.contains(CLIENT_SECRET));
    let (_, config, _) = send(&registry_with(None).router, Request::get("/config.json").body(Body::empty()).unwrap()).await;
    assert_eq!(config["vipps"], json!({ "enabled": false }));

    let (_, body) = double.exchange(|spec| TokenSpec { signer: Signer::Forger, ..spec }, KEY).await;
    assert!(!body.to_string().contains(CLIENT_SECRET));
    let settings = settings_for(&double.issuer);
    let exchange = VippsExchange::new(settings.clone()).unwrap();
    assert!(!format!("{settings:?} {exchange:?}").contains(CLIENT_SECRET));
    let _ = Sha256::digest(b"");
}

#[tokio::test]
async fn the_database_never_holds_the_state_and_forgets_nonce_and_verifier_when_the_login_ends() {
    let keys = signing_keys();
    let (issuer, shared) = start_double(&keys).await;
    shared.lock().unwrap().userinfo = json!({ "sub": "vipps-subject-1", "name": "Kari Nordmann-Testesen", "birthdate": "1988-04-17" });
    let path = std::env::temp_dir().join(format!("id-capture-vipps-logins-{}.sqlite", std::process::id()));
    let database = path.to_str().unwrap().to_owned();
    let registry = registry_with_database(Some(VippsExchange::new(settings_for(&issuer)).unwrap()), &database);
    let read = || {
        let connection = rusqlite::Connection::open(&path).unwrap();
        let rows: Vec<(Option<String>, Option<String>)> = connection
            .prepare("SELECT nonce, code_verifier FROM vipps_logins")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let file = [std::fs::read(&path).unwrap_or_default(), std::fs::read(format!("{database}-wal")).unwrap_or_default()].concat();
        (rows, String::from_utf8_lossy(&file).into_owned())
    };

    let started = start_login(&registry.router).await;
    let (rows, file) = read();
    assert!(rows.iter().all(|(nonce, verifier)| nonce.is_some() && verifier.is_some()), "kept while waiting");
    assert!(!file.contains(&started.parameter("state")), "the state itself is never stored");

    let good = TokenSpec {
        issuer: issuer.clone(),
        audience: CLIENT_ID.into(),
        nonce: started.parameter("nonce"),
        subject: "vipps-subject-1".into(),
        issued_seconds_ago: 5,
        expires_in_seconds: 300,
        signer: Signer::Trusted,
        at_hash_for: Some(ACCESS_TOKEN.into()),
    };
    shared.lock().unwrap().id_token = sign(&keys, &good);
    let callback = json!({ "state": started.parameter("state"), "code": "code-from-the-double", "iss": issuer });
    let (status, staged, _) = post_callback(&registry.router, KEY, &callback).await;
    assert_eq!(status, StatusCode::OK, "{staged}");
    let (rows, file) = read();
    assert_eq!(rows, vec![(None, None)], "gone once the login ended");
    assert!(!file.contains(staged["stage_id"].as_str().unwrap()), "nor is the stage handle");
    drop(registry);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{database}{suffix}"));
    }
}
