//! The router: API routes, the page's files, CORS and security headers.

use axum::error_handling::HandleErrorLayer;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{BoxError, Json, Router};
use id_capture_contract::ProblemKind;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;
use tower::ServiceBuilder;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::config::RegistryConfig;
use crate::hms_lookup::{look_up_hms_card, HMS_LOOKUP_ENDPOINT};
use crate::identities::{create_from_document, DOCUMENT_ENDPOINT};
use crate::onboarding::{create_session, read_own_session, read_session, OWN_SESSION_ENDPOINT, SESSIONS_ENDPOINT, SESSION_ENDPOINT};
use crate::problem_response::ApiProblem;
use crate::state::AppState;
use crate::strict_json::MAX_BODY_BYTES;

/// The page may only run our own scripts and wasm, talk to the registry, show
/// blobs (the photo) and the camera. No referrer, so a Vipps callback URL
/// never leaks its code to another origin.
fn content_security_policy(config: &RegistryConfig) -> String {
    // blob: lets the page read back the photo it made on the device (never sent anywhere).
    let mut connect = String::from("'self' blob:");
    if !config.public_registry_url.is_empty() {
        connect.push(' ');
        connect.push_str(&config.public_registry_url);
    }
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src {connect}; \
         img-src 'self' blob: data:; media-src 'self' blob: mediastream:; style-src 'self'; object-src 'none'; \
         base-uri 'none'; frame-ancestors 'self'; form-action 'self'"
    )
}

pub fn build_router(state: AppState, config: &RegistryConfig) -> Router {
    let state_store = state.store.clone();
    // Creating calls: an anonymous caller takes a token from its address's bucket
    // before any work (a new creating route goes here to get the same limit);
    // sessions and partners are held to buckets of their own instead.
    let creating = Router::new()
        .route(HMS_LOOKUP_ENDPOINT, post(look_up_hms_card))
        .route(DOCUMENT_ENDPOINT, post(create_from_document))
        .route(crate::stages::CONFIRM_ENDPOINT, post(crate::stages::confirm))
        .route(crate::vipps::logins::LOGINS_ENDPOINT, post(crate::vipps::logins::start))
        .route(crate::vipps::logins::CALLBACKS_ENDPOINT, post(crate::vipps::logins::callback))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), crate::caller::limit_creating_calls));
    let api = Router::new()
        .route(id_capture_contract::endpoints::HEALTH_V1, get(|| async { Json(serde_json::json!({ "status": "ok" })) }))
        .route(id_capture_contract::endpoints::HEALTH, get(|| async { Json(serde_json::json!({ "status": "ok" })) }))
        // Partner-only (an unknown key is refused before any work); limited per partner.
        .route(SESSIONS_ENDPOINT, post(create_session))
        .route(SESSION_ENDPOINT, get(read_session))
        .route(OWN_SESSION_ENDPOINT, get(read_own_session))
        .route(crate::vipps::logins::LOGIN_STATUS_ENDPOINT, get(crate::vipps::logins::status))
        .merge(creating)
        .route("/config.json", get(|axum::extract::State(state): axum::extract::State<AppState>| async move { Json((*state.page_config).clone()) }))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state);

    let mut router = api;
    if let Some(pkg_dir) = &config.pkg_dir {
        router = router.nest_service("/pkg", ServeDir::new(pkg_dir));
    }
    router = match &config.www_dir {
        Some(www_dir) => router.fallback_service(ServeDir::new(www_dir).not_found_service(not_found.into_service())),
        None => router.fallback(not_found),
    };

    // The operator's origins (checked when the configuration was read; one that
    // slipped past in a config built in code is left out) and every active
    // partner's, read per preflight, so a partner added or revoked with the CLI
    // takes effect without a restart.
    let static_origins: Vec<String> = config.allowed_origins.iter().filter(|origin| crate::config::check_origin(origin).is_ok()).cloned().collect();
    let store = state_store;
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin: &HeaderValue, _| {
            let Ok(origin) = origin.to_str() else { return false };
            static_origins.iter().any(|allowed| allowed == origin) || store.any_partner_allows_origin(origin)
        }))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION, HeaderName::from_static(crate::idempotency::HEADER)])
        .expose_headers([header::RETRY_AFTER])
        .max_age(std::time::Duration::from_secs(600));

    let csp = HeaderValue::from_str(&content_security_policy(config)).unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"));
    router
        // The request timeout (body reading included) and a global cap on requests
        // being answered: past the cap a request is shed at once with 503 rather
        // than queued, so a flood cannot pile up work.
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(|error: BoxError| async move { limit_problem(&error) }))
                .load_shed()
                .layer(tower::limit::GlobalConcurrencyLimitLayer::new(config.limits.max_concurrent_requests))
                .timeout(config.limits.request_timeout),
        )
        .layer(axum::middleware::from_fn_with_state(config.limits.max_header_bytes, refuse_large_heads))
        .layer(SetResponseHeaderLayer::overriding(header::CONTENT_SECURITY_POLICY, csp))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
        .layer(axum::middleware::from_fn(crate::problem_response::no_store_for_api))
        .layer(cors)
        .layer(axum::middleware::map_response(crate::problem_response::problems_for_bare_errors))
        .layer(axum::middleware::from_fn(crate::request_log::log_request))
}

fn limit_problem(error: &BoxError) -> ApiProblem {
    if error.is::<tower::timeout::error::Elapsed>() {
        ApiProblem::new(ProblemKind::RequestTimeout)
    } else if error.is::<tower::load_shed::error::Overloaded>() {
        ApiProblem::new(ProblemKind::Unavailable).retry_after(1)
    } else {
        ApiProblem::new(ProblemKind::Internal)
    }
}

/// Request line and headers over the limit are a 431 problem. hyper holds
/// twice the limit (see `server`): a head past that is refused by hyper itself.
async fn refuse_large_heads(
    axum::extract::State(max_header_bytes): axum::extract::State<usize>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if head_bytes(&request) > max_header_bytes {
        return ApiProblem::new(ProblemKind::RequestHeaderFieldsTooLarge).into_response();
    }
    next.run(request).await
}

/// The size of the head as it was sent: `METHOD URI HTTP/1.1\r\n`, `name: value\r\n` each, `\r\n`.
pub fn head_bytes(request: &axum::extract::Request) -> usize {
    let request_line = request.method().as_str().len() + 1 + request.uri().to_string().len() + 1 + "HTTP/1.1\r\n".len();
    let headers: usize = request.headers().iter().map(|(name, value)| name.as_str().len() + 2 + value.len() + 2).sum();
    request_line + headers + 2
}

async fn not_found() -> impl IntoResponse {
    ApiProblem::new(ProblemKind::NotFound)
}

use axum::handler::HandlerWithoutStateExt;
