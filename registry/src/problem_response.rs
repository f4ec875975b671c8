//! Problems as HTTP responses: `application/problem+json`, with `Retry-After`
//! where the contract asks for it.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use id_capture_contract::ProblemKind;

/// A problem to answer with. `detail` never holds personal data.
#[derive(Debug)]
pub struct ApiProblem {
    pub kind: ProblemKind,
    pub detail: Option<String>,
    pub retry_after_seconds: Option<u32>,
}

impl ApiProblem {
    pub fn new(kind: ProblemKind) -> Self {
        ApiProblem { kind, detail: None, retry_after_seconds: None }
    }

    pub fn with_detail(kind: ProblemKind, detail: impl Into<String>) -> Self {
        ApiProblem { kind, detail: Some(detail.into()), retry_after_seconds: None }
    }

    pub fn retry_after(mut self, seconds: u32) -> Self {
        self.retry_after_seconds = Some(seconds);
        self
    }
}

impl From<ProblemKind> for ApiProblem {
    fn from(kind: ProblemKind) -> Self {
        ApiProblem::new(kind)
    }
}

impl IntoResponse for ApiProblem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.kind.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let retry_after = match (self.retry_after_seconds, self.kind) {
            (Some(seconds), _) => Some(seconds),
            (None, ProblemKind::RateLimited | ProblemKind::Unavailable | ProblemKind::VippsNotConfigured) => Some(1),
            (None, _) => None,
        };
        let body = serde_json::to_vec(&self.kind.to_problem(self.detail)).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let Some(seconds) = retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// Errors made by the framework or a layer (axum's 405 and body-limit 413,
/// the file server's 404, a timeout's 408) come with a plain-text or empty
/// body; they become problem details too, keeping their status and headers
/// (`Allow`, `Retry-After`). A status without a problem kind of its own gets
/// RFC 9457's `about:blank` with the status's reason phrase.
pub async fn problems_for_bare_errors(response: Response) -> Response {
    let status = response.status();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/problem+json"));
    if !(status.is_client_error() || status.is_server_error()) || is_problem {
        return response;
    }
    let problem = match ProblemKind::ALL.into_iter().find(|kind| kind.status() == status.as_u16() && kind_for_bare_status(*kind)) {
        Some(kind) => kind.to_problem(None),
        None => id_capture_contract::Problem {
            problem_type: "about:blank".into(),
            title: status.canonical_reason().unwrap_or("Error").into(),
            status: status.as_u16(),
            detail: None,
        },
    };
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    if matches!(status, StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE) && !parts.headers.contains_key(header::RETRY_AFTER) {
        parts.headers.insert(header::RETRY_AFTER, HeaderValue::from(1));
    }
    Response::from_parts(parts, axum::body::Body::from(serde_json::to_vec(&problem).unwrap_or_default()))
}

/// The generic kind for a status, not one that claims something specific
/// (a bare 404 is "no such resource", never "unknown HMS card").
fn kind_for_bare_status(kind: ProblemKind) -> bool {
    matches!(
        kind,
        ProblemKind::InvalidRequest
            | ProblemKind::NotFound
            | ProblemKind::MethodNotAllowed
            | ProblemKind::RequestTimeout
            | ProblemKind::PayloadTooLarge
            | ProblemKind::UnsupportedMediaType
            | ProblemKind::RequestHeaderFieldsTooLarge
            | ProblemKind::RateLimited
            | ProblemKind::Internal
            | ProblemKind::Unavailable
    )
}

/// Paths whose answers may carry personal data (and every other API answer):
/// never stored by a browser or proxy cache.
pub const NO_STORE_PREFIXES: [&str; 2] = ["/v1/", "/v2/"];

pub async fn no_store_for_api(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let is_api = NO_STORE_PREFIXES.iter().any(|prefix| request.uri().path().starts_with(prefix));
    let mut response = next.run(request).await;
    if is_api {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
