//! Problems as HTTP responses: `application/problem+json`, with `Retry-After`
//! where the contract asks for it.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use id_capture::registry::ProblemKind;

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
