//! `POST /v1/identities/vipps` against providers:
//! - the real OpenID provider of `tests/oidc-provider/provider.mjs` (node), logged in
//!   through its forms like a browser would, for the round trip;
//! - a test double of the token endpoint (discovery, JWKS, token, userinfo) that serves
//!   ID tokens this test signs itself, for the forged-token cases.
//!
//! Needs `node` and `npm install` at the repository root.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
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
use openidconnect::core::{CoreIdToken, CoreIdTokenClaims, CoreJsonWebKeySet, CoreJwsSigningAlgorithm, CoreRsaPrivateSigningKey};
use openidconnect::{AccessToken, Audience, EmptyAdditionalClaims, IssuerUrl, JsonWebKeyId, Nonce, PrivateSigningKey, StandardClaims, SubjectIdentifier};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tower::ServiceExt;

const CLIENT_ID: &str = "id-capture-local";
const CLIENT_SECRET: &str = "test-secret-4bd2e1";
const REDIRECT_URI: &str = "http://127.0.0.1:5173/vipps/callback";
const KEY: &str = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
const OTHER_KEY: &str = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";
const THIRD_KEY: &str = "1b2c3d4e-5f60-4b7c-8d9e-0f1a2b3c4d5e";

fn repository_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn registry_for(issuer: &str) -> (Router, Store) {
    let config = RegistryConfig { database: ":memory:".into(), ..RegistryConfig::default() };
    let store = Store::open(":memory:").unwrap();
    let settings = VippsSettings {
        issuer: issuer.to_owned(),
        client_id: CLIENT_ID.to_owned(),
        client_secret: ClientSecret::new(CLIENT_SECRET.to_owned()),
        allowed_redirect_uris: vec![REDIRECT_URI.to_owned()],
    };
    let state = AppState::new(store.clone(), Arc::new(InventedCardDirectory::invented()), &config).with_vipps(VippsExchange::new(settings).unwrap());
    (build_router(state, &config), store)
}

async fn post_vipps(router: &Router, key: &str, body: &Value) -> (StatusCode, Value, String) {
    let request = Request::post("/v1/identities/vipps")
        .header(header::CONTENT_TYPE, "application/json")
        .header("idempotency-key", key)
        .body(Body::from(body.to_string()))
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null), text)
}

fn base64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

// ---------------------------------------------------------------------------
// The real provider (node oidc-provider), driven through its login and consent forms.

struct LocalProvider {
    child: Child,
    issuer: String,
}

impl LocalProvider {
    fn start() -> LocalProvider {
        let root = repository_root();
        assert!(root.join("node_modules/oidc-provider").exists(), "run `npm install` at the repository root first");
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
        LocalProvider { child, issuer: ready["issuer"].as_str().unwrap().to_owned() }
    }
}

impl Drop for LocalProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the browser module would hold after `start`.
struct BrowserFlow {
    state: String,
    nonce: String,
    code_verifier: String,
}

impl BrowserFlow {
    fn new(seed: u8) -> BrowserFlow {
        BrowserFlow { state: base64url(&[seed; 32]), nonce: base64url(&[seed ^ 0x5a; 32]), code_verifier: base64url(&[seed ^ 0xa5; 32]) }
    }
}

/// Logs in as the invented user through the provider's forms, returns the code.
async fn log_in(issuer: &str, flow: &BrowserFlow, scope: &str) -> String {
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let challenge = base64url(Sha256::digest(flow.code_verifier.as_bytes()).as_slice());
    let mut url = reqwest::Url::parse(&format!("{issuer}oauth2/auth")).unwrap();
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", CLIENT_ID)
        .append_pair("redirect_uri", REDIRECT_URI)
        .append_pair("scope", scope)
        .append_pair("state", &flow.state)
        .append_pair("nonce", &flow.nonce)
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256");
    let mut cookies: BTreeMap<String, String> = BTreeMap::new();
    let mut next: (reqwest::Url, Option<Vec<(String, String)>>) = (url, None);
    for _ in 0..10 {
        let (url, form) = next;
        let cookie_header = cookies.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join("; ");
        let request = match &form {
            Some(fields) => http.post(url.clone()).form(fields),
            None => http.get(url.clone()),
        };
        let response = request.header(header::COOKIE, cookie_header).send().await.unwrap();
        for set_cookie in response.headers().get_all(header::SET_COOKIE) {
            let pair = set_cookie.to_str().unwrap().split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            cookies.insert(name.to_owned(), value.to_owned());
        }
        if response.status().is_redirection() {
            let location = response.headers()[header::LOCATION].to_str().unwrap().to_owned();
            if location.starts_with(REDIRECT_URI) {
                let callback = reqwest::Url::parse(&location).unwrap();
                let parameters: BTreeMap<String, String> = callback.query_pairs().into_owned().collect();
                assert_eq!(parameters.get("state"), Some(&flow.state));
                assert_eq!(parameters.get("iss").map(String::as_str), Some(issuer));
                return parameters.get("code").expect("the callback has a code").clone();
            }
            next = (url.join(&location).unwrap(), None);
            continue;
        }
        assert_eq!(response.status(), StatusCode::OK, "the provider showed an error page");
        let html = response.text().await.unwrap();
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

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let length = text[from..].find(end)?;
    Some(&text[from..from + length])
}

fn grant(code: &str, flow: &BrowserFlow) -> Value {
    json!({ "code": code, "code_verifier": flow.code_verifier, "redirect_uri": REDIRECT_URI, "nonce": flow.nonce })
}

#[tokio::test]
async fn round_trip_with_the_local_provider_stores_only_name_and_birth_date() {
    let provider = LocalProvider::start();
    let (router, store) = registry_for(&provider.issuer);
    let flow = BrowserFlow::new(1);
    // Ask for email and phone too: the registry must still keep only the person.
    let code = log_in(&provider.issuer, &flow, "openid name birthDate email phoneNumber").await;

    let (status, body, text) = post_vipps(&router, KEY, &grant(&code, &flow)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["person"], json!({ "given_names": "Kari", "surname": "Nordmann-Testesen", "date_of_birth": "1988-04-17", "nationality": null }));
    for leaked in ["example.invalid", "4712345678", "\"sub\"", "kari\""] {
        assert!(!text.contains(leaked), "the answer contains {leaked}");
    }
    assert_eq!(store.count_identities().unwrap(), 1);

    // The same request again (a retry): the first answer, no second exchange (the code is used up).
    let (status, again, _) = post_vipps(&router, KEY, &grant(&code, &flow)).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(again, body);
    assert_eq!(store.count_identities().unwrap(), 1);

    // The used code under a new key: the provider refuses it.
    let (status, problem, _) = post_vipps(&router, OTHER_KEY, &grant(&code, &flow)).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert_eq!(problem["type"], "/problems/vipps-exchange-failed");
    assert_eq!(store.count_identities().unwrap(), 1);
}

#[tokio::test]
async fn the_provider_refuses_a_wrong_verifier_and_a_wrong_nonce_fails_the_token() {
    let provider = LocalProvider::start();
    let (router, store) = registry_for(&provider.issuer);

    let flow = BrowserFlow::new(2);
    let code = log_in(&provider.issuer, &flow, "openid name birthDate").await;
    let mut wrong_verifier = grant(&code, &flow);
    wrong_verifier["code_verifier"] = json!(BrowserFlow::new(9).code_verifier);
    let (status, problem, _) = post_vipps(&router, KEY, &wrong_verifier).await;
    assert_eq!((status, problem["type"].as_str()), (StatusCode::BAD_GATEWAY, Some("/problems/vipps-exchange-failed")));

    let flow = BrowserFlow::new(3);
    let code = log_in(&provider.issuer, &flow, "openid name birthDate").await;
    let mut wrong_nonce = grant(&code, &flow);
    wrong_nonce["nonce"] = json!(BrowserFlow::new(8).nonce);
    let (status, problem, _) = post_vipps(&router, OTHER_KEY, &wrong_nonce).await;
    assert_eq!((status, problem["type"].as_str()), (StatusCode::UNAUTHORIZED, Some("/problems/vipps-invalid-token")));

    let flow = BrowserFlow::new(4);
    let code = log_in(&provider.issuer, &flow, "openid name birthDate").await;
    let mut other_redirect = grant(&code, &flow);
    other_redirect["redirect_uri"] = json!("http://127.0.0.1:5173/elsewhere");
    let (status, problem, _) = post_vipps(&router, THIRD_KEY, &other_redirect).await;
    assert_eq!((status, problem["type"].as_str()), (StatusCode::BAD_REQUEST, Some("/problems/invalid-request")));
    assert_eq!(store.count_identities().unwrap(), 0);
}

// ---------------------------------------------------------------------------
// A test double of the provider's token side, serving ID tokens this test signs.

struct SigningKeys {
    trusted: CoreRsaPrivateSigningKey,
    /// Same `kid`, not in the JWKS: a forger's key.
    forger: CoreRsaPrivateSigningKey,
}

fn signing_keys() -> SigningKeys {
    // Fresh keys from node's crypto (a test dependency already): no private key is committed.
    let script = "const c=require('crypto');for(let i=0;i<2;i++)process.stdout.write(c.generateKeyPairSync('rsa',{modulusLength:2048}).privateKey.export({type:'pkcs1',format:'pem'}))";
    let output = Command::new("node").args(["-e", script]).output().expect("node is installed");
    let pems = String::from_utf8(output.stdout).unwrap();
    let end = "-----END RSA PRIVATE KEY-----";
    let mut keys = pems.split_inclusive(end).map(|pem| CoreRsaPrivateSigningKey::from_pem(pem.trim(), Some(JsonWebKeyId::new("test-key".into()))).unwrap());
    SigningKeys { trusted: keys.next().unwrap(), forger: keys.next().unwrap() }
}

#[derive(Default)]
struct DoubleState {
    issuer: String,
    jwks: Value,
    id_token: String,
    userinfo: Value,
    token_authorization: Option<String>,
}

type Shared = Arc<Mutex<DoubleState>>;
const ACCESS_TOKEN: &str = "access-token-from-the-double";

async fn start_double(keys: &SigningKeys) -> (String, Shared) {
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let issuer = format!("{origin}/access/");
    let jwks = serde_json::to_value(CoreJsonWebKeySet::new(vec![keys.trusted.as_verification_key()])).unwrap();
    let shared: Shared = Arc::new(Mutex::new(DoubleState { issuer: issuer.clone(), jwks, ..DoubleState::default() }));
    let app = Router::new()
        .route("/access/.well-known/openid-configuration", get(discovery))
        .route("/access/.well-known/jwks.json", get(|State(s): State<Shared>| async move { Json(s.lock().unwrap().jwks.clone()) }))
        .route("/access/oauth2/token", post(token))
        .route("/vipps-userinfo-api/userinfo", get(|State(s): State<Shared>| async move { Json(s.lock().unwrap().userinfo.clone()) }))
        .with_state(shared.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (issuer, shared)
}

async fn discovery(State(shared): State<Shared>) -> Json<Value> {
    let issuer = shared.lock().unwrap().issuer.clone();
    let origin = issuer.trim_end_matches("/access/");
    Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}oauth2/auth"),
        "token_endpoint": format!("{issuer}oauth2/token"),
        "jwks_uri": format!("{issuer}.well-known/jwks.json"),
        "userinfo_endpoint": format!("{origin}/vipps-userinfo-api/userinfo"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
    }))
}

async fn token(State(shared): State<Shared>, headers: HeaderMap) -> Json<Value> {
    let mut state = shared.lock().unwrap();
    state.token_authorization = headers.get(header::AUTHORIZATION).map(|value| value.to_str().unwrap().to_owned());
    Json(json!({ "access_token": ACCESS_TOKEN, "token_type": "Bearer", "expires_in": 300, "id_token": state.id_token }))
}

/// The ID token a well-behaved provider would issue for `flow`; each case bends one claim.
struct TokenSpec {
    issuer: String,
    audience: String,
    nonce: String,
    subject: String,
    issued_seconds_ago: i64,
    expires_in_seconds: i64,
    signed_by_forger: bool,
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
    let key = if spec.signed_by_forger { &keys.forger } else { &keys.trusted };
    let access_token = spec.at_hash_for.clone().map(AccessToken::new);
    CoreIdToken::new(claims, key, CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256, access_token.as_ref(), None).unwrap().to_string()
}

struct Double {
    router: Router,
    store: Store,
    shared: Shared,
    keys: SigningKeys,
    issuer: String,
}

impl Double {
    async fn new() -> Double {
        let keys = signing_keys();
        let (issuer, shared) = start_double(&keys).await;
        shared.lock().unwrap().userinfo = json!({ "sub": "vipps-subject-1", "name": "Kari Nordmann-Testesen", "birthdate": "1988-04-17",
                                                   "email": "kari@example.invalid", "phone_number": "4712345678" });
        let (router, store) = registry_for(&issuer);
        Double { router, store, shared, keys, issuer }
    }

    fn good_spec(&self, flow: &BrowserFlow) -> TokenSpec {
        TokenSpec {
            issuer: self.issuer.clone(),
            audience: CLIENT_ID.into(),
            nonce: flow.nonce.clone(),
            subject: "vipps-subject-1".into(),
            issued_seconds_ago: 5,
            expires_in_seconds: 300,
            signed_by_forger: false,
            at_hash_for: Some(ACCESS_TOKEN.into()),
        }
    }

    /// Serves a token made from `spec`, posts a grant, returns status and problem type.
    async fn exchange(&self, spec: TokenSpec, flow: &BrowserFlow, key: &str) -> (StatusCode, Value) {
        self.shared.lock().unwrap().id_token = sign(&self.keys, &spec);
        let (status, body, _) = post_vipps(&self.router, key, &grant("code-from-the-double", flow)).await;
        (status, body)
    }
}

fn assert_invalid_token(outcome: (StatusCode, Value), case: &str) {
    assert_eq!(outcome.0, StatusCode::UNAUTHORIZED, "{case}: {}", outcome.1);
    assert_eq!(outcome.1["type"], "/problems/vipps-invalid-token", "{case}");
}

#[tokio::test]
async fn a_well_formed_token_from_the_double_is_accepted_with_client_secret_basic() {
    let double = Double::new().await;
    let flow = BrowserFlow::new(10);
    let (status, body) = double.exchange(double.good_spec(&flow), &flow, KEY).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // `name` split at its last space, as the double sends no given_name/family_name.
    assert_eq!(body["person"], json!({ "given_names": "Kari", "surname": "Nordmann-Testesen", "date_of_birth": "1988-04-17", "nationality": null }));
    let expected_basic = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}")));
    assert_eq!(double.shared.lock().unwrap().token_authorization.as_deref(), Some(expected_basic.as_str()));
}

#[tokio::test]
async fn forged_tokens_are_refused_and_nothing_is_stored() {
    let double = Double::new().await;
    let flow = BrowserFlow::new(11);
    let keys = ["11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222", "33333333-3333-4333-8333-333333333333",
                "44444444-4444-4444-8444-444444444444", "55555555-5555-4555-8555-555555555555", "66666666-6666-4666-8666-666666666666",
                "77777777-7777-4777-8777-777777777777"];
    let cases: Vec<(&str, TokenSpec)> = vec![
        ("wrong nonce", TokenSpec { nonce: BrowserFlow::new(99).nonce, ..double.good_spec(&flow) }),
        ("wrong audience", TokenSpec { audience: "another-client".into(), ..double.good_spec(&flow) }),
        ("expired", TokenSpec { issued_seconds_ago: 400, expires_in_seconds: -100, ..double.good_spec(&flow) }),
        ("bad signature", TokenSpec { signed_by_forger: true, ..double.good_spec(&flow) }),
        ("wrong issuer", TokenSpec { issuer: "http://127.0.0.1:1/access/".into(), ..double.good_spec(&flow) }),
        ("issued in the future", TokenSpec { issued_seconds_ago: -3600, expires_in_seconds: 7200, ..double.good_spec(&flow) }),
        ("access token hash of another token", TokenSpec { at_hash_for: Some("another-access-token".into()), ..double.good_spec(&flow) }),
    ];
    for ((case, spec), key) in cases.into_iter().zip(keys) {
        assert_invalid_token(double.exchange(spec, &flow, key).await, case);
    }
    assert_eq!(double.store.count_identities().unwrap(), 0);
}

#[tokio::test]
async fn userinfo_about_another_subject_is_refused() {
    let double = Double::new().await;
    double.shared.lock().unwrap().userinfo["sub"] = json!("someone-else");
    let flow = BrowserFlow::new(12);
    assert_invalid_token(double.exchange(double.good_spec(&flow), &flow, KEY).await, "userinfo subject");
    assert_eq!(double.store.count_identities().unwrap(), 0);
}

#[tokio::test]
async fn an_unreachable_provider_is_a_bad_gateway_and_no_vipps_configuration_is_503() {
    // A port nothing listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let (router, store) = registry_for(&format!("http://{closed}/access/"));
    let flow = BrowserFlow::new(13);
    let (status, problem, _) = post_vipps(&router, KEY, &grant("some-code", &flow)).await;
    assert_eq!((status, problem["type"].as_str()), (StatusCode::BAD_GATEWAY, Some("/problems/vipps-exchange-failed")));
    assert_eq!(store.count_identities().unwrap(), 0);

    let config = RegistryConfig::default();
    let state = AppState::new(Store::open(":memory:").unwrap(), Arc::new(InventedCardDirectory::invented()), &config);
    let (status, problem, _) = post_vipps(&build_router(state, &config), KEY, &grant("some-code", &flow)).await;
    assert_eq!((status, problem["type"].as_str()), (StatusCode::SERVICE_UNAVAILABLE, Some("/problems/vipps-not-configured")));
}

#[tokio::test]
async fn the_secret_never_appears_in_debug_output_or_answers() {
    let double = Double::new().await;
    let flow = BrowserFlow::new(14);
    let (_, body) = double.exchange(TokenSpec { signed_by_forger: true, ..double.good_spec(&flow) }, &flow, KEY).await;
    assert!(!body.to_string().contains(CLIENT_SECRET));
    let settings = VippsSettings {
        issuer: double.issuer.clone(),
        client_id: CLIENT_ID.into(),
        client_secret: ClientSecret::new(CLIENT_SECRET.into()),
        allowed_redirect_uris: vec![REDIRECT_URI.into()],
    };
    let exchange = VippsExchange::new(settings.clone()).unwrap();
    assert!(!format!("{settings:?} {exchange:?}").contains(CLIENT_SECRET));
}
