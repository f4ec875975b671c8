//! RFC 9457 problem details: one stable `type` per failure, shared by the
//! registry (which writes them) and the module (which maps them to error codes).

use serde::{Deserialize, Serialize};

/// Problem `type` URIs are relative references under this path of the registry.
pub const PROBLEM_TYPE_PREFIX: &str = "/problems/";

/// `application/problem+json` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// Every failure the registry reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    InvalidRequest,
    InvalidPerson,
    MissingIdempotencyKey,
    IdempotencyConflict,
    UnsupportedMediaType,
    PayloadTooLarge,
    NotFound,
    MethodNotAllowed,
    /// The request (head or body) did not arrive within the server's time limit.
    RequestTimeout,
    /// The request's head (request line and headers) is over the server's limit.
    RequestHeaderFieldsTooLarge,
    HmsCardNotValid,
    HmsCardNotFound,
    Unauthorized,
    SessionInvalid,
    SessionClosed,
    ForbiddenOrigin,
    VippsExchangeFailed,
    VippsInvalidToken,
    VippsNotConfigured,
    StageNotFound,
    VippsLoginNotFound,
    VippsLoginExpired,
    VippsLoginInProgress,
    VippsCancelled,
    VippsProviderError,
    VippsIssuerMismatch,
    RateLimited,
    Unavailable,
    Internal,
}

impl ProblemKind {
    pub const ALL: [ProblemKind; 29] = [
        ProblemKind::InvalidRequest,
        ProblemKind::InvalidPerson,
        ProblemKind::MissingIdempotencyKey,
        ProblemKind::IdempotencyConflict,
        ProblemKind::UnsupportedMediaType,
        ProblemKind::PayloadTooLarge,
        ProblemKind::NotFound,
        ProblemKind::MethodNotAllowed,
        ProblemKind::RequestTimeout,
        ProblemKind::RequestHeaderFieldsTooLarge,
        ProblemKind::HmsCardNotValid,
        ProblemKind::HmsCardNotFound,
        ProblemKind::Unauthorized,
        ProblemKind::SessionInvalid,
        ProblemKind::SessionClosed,
        ProblemKind::ForbiddenOrigin,
        ProblemKind::VippsExchangeFailed,
        ProblemKind::VippsInvalidToken,
        ProblemKind::VippsNotConfigured,
        ProblemKind::StageNotFound,
        ProblemKind::VippsLoginNotFound,
        ProblemKind::VippsLoginExpired,
        ProblemKind::VippsLoginInProgress,
        ProblemKind::VippsCancelled,
        ProblemKind::VippsProviderError,
        ProblemKind::VippsIssuerMismatch,
        ProblemKind::RateLimited,
        ProblemKind::Unavailable,
        ProblemKind::Internal,
    ];

    pub const fn slug(self) -> &'static str {
        match self {
            ProblemKind::InvalidRequest => "invalid-request",
            ProblemKind::InvalidPerson => "invalid-person",
            ProblemKind::MissingIdempotencyKey => "missing-idempotency-key",
            ProblemKind::IdempotencyConflict => "idempotency-conflict",
            ProblemKind::UnsupportedMediaType => "unsupported-media-type",
            ProblemKind::PayloadTooLarge => "payload-too-large",
            ProblemKind::NotFound => "not-found",
            ProblemKind::MethodNotAllowed => "method-not-allowed",
            ProblemKind::RequestTimeout => "request-timeout",
            ProblemKind::RequestHeaderFieldsTooLarge => "request-header-fields-too-large",
            ProblemKind::HmsCardNotValid => "hms-card-not-valid",
            ProblemKind::HmsCardNotFound => "hms-card-not-found",
            ProblemKind::Unauthorized => "unauthorized",
            ProblemKind::SessionInvalid => "session-invalid",
            ProblemKind::SessionClosed => "session-closed",
            ProblemKind::ForbiddenOrigin => "forbidden-origin",
            ProblemKind::VippsExchangeFailed => "vipps-exchange-failed",
            ProblemKind::VippsInvalidToken => "vipps-invalid-token",
            ProblemKind::VippsNotConfigured => "vipps-not-configured",
            ProblemKind::StageNotFound => "stage-not-found",
            ProblemKind::VippsLoginNotFound => "vipps-login-not-found",
            ProblemKind::VippsLoginExpired => "vipps-login-expired",
            ProblemKind::VippsLoginInProgress => "vipps-login-in-progress",
            ProblemKind::VippsCancelled => "vipps-cancelled",
            ProblemKind::VippsProviderError => "vipps-provider-error",
            ProblemKind::VippsIssuerMismatch => "vipps-issuer-mismatch",
            ProblemKind::RateLimited => "rate-limited",
            ProblemKind::Unavailable => "unavailable",
            ProblemKind::Internal => "internal",
        }
    }

    pub const fn status(self) -> u16 {
        match self {
            ProblemKind::InvalidRequest
            | ProblemKind::InvalidPerson
            | ProblemKind::MissingIdempotencyKey
            | ProblemKind::VippsCancelled
            | ProblemKind::VippsIssuerMismatch => 400,
            ProblemKind::VippsInvalidToken | ProblemKind::Unauthorized | ProblemKind::SessionInvalid => 401,
            ProblemKind::ForbiddenOrigin => 403,
            ProblemKind::NotFound
            | ProblemKind::HmsCardNotFound
            | ProblemKind::StageNotFound
            | ProblemKind::VippsLoginNotFound => 404,
            ProblemKind::VippsLoginExpired => 410,
            ProblemKind::MethodNotAllowed => 405,
            ProblemKind::RequestTimeout => 408,
            ProblemKind::HmsCardNotValid | ProblemKind::SessionClosed | ProblemKind::VippsLoginInProgress => 409,
            ProblemKind::PayloadTooLarge => 413,
            ProblemKind::UnsupportedMediaType => 415,
            ProblemKind::RequestHeaderFieldsTooLarge => 431,
            ProblemKind::IdempotencyConflict => 422,
            ProblemKind::RateLimited => 429,
            ProblemKind::Internal => 500,
            ProblemKind::VippsExchangeFailed | ProblemKind::VippsProviderError => 502,
            ProblemKind::VippsNotConfigured | ProblemKind::Unavailable => 503,
        }
    }

    /// Whether the same request, sent again, may succeed. Most 5xx are
    /// passing trouble, but a failed Vipps exchange is not: the authorization
    /// code is single-use, so only a new login can succeed; nor is a registry
    /// without Vipps configured. A Vipps callback answered "in progress" is
    /// worth sending again with the same key: once the first exchange ends,
    /// the same key gets its answer (no second token request). A request
    /// timeout is the network's (or a slow phone's) passing trouble too.
    pub const fn may_succeed_on_retry(self) -> bool {
        matches!(
            self,
            ProblemKind::RateLimited | ProblemKind::Unavailable | ProblemKind::Internal | ProblemKind::VippsLoginInProgress | ProblemKind::RequestTimeout
        )
    }

    pub const fn title(self) -> &'static str {
        match self {
            ProblemKind::InvalidRequest => "The request body does not match the contract",
            ProblemKind::InvalidPerson => "The person is not valid",
            ProblemKind::MissingIdempotencyKey => "An Idempotency-Key header with a UUID is required",
            ProblemKind::IdempotencyConflict => "This Idempotency-Key was used with a different request",
            ProblemKind::UnsupportedMediaType => "The body must be application/json",
            ProblemKind::PayloadTooLarge => "The body is too large",
            ProblemKind::NotFound => "No such resource",
            ProblemKind::MethodNotAllowed => "Method not allowed",
            ProblemKind::RequestTimeout => "The request did not arrive in time",
            ProblemKind::RequestHeaderFieldsTooLarge => "The request headers are too large",
            ProblemKind::HmsCardNotValid => "The HMS card is expired or revoked",
            ProblemKind::HmsCardNotFound => "No valid HMS card matches this reference and date of birth",
            ProblemKind::Unauthorized => "A valid API key is required",
            ProblemKind::SessionInvalid => "The onboarding session is unknown or has expired",
            ProblemKind::SessionClosed => "The onboarding session has its identity or has used its attempts",
            ProblemKind::ForbiddenOrigin => "This page origin is not allowed for this caller",
            ProblemKind::VippsExchangeFailed => "The Vipps code could not be exchanged",
            ProblemKind::VippsInvalidToken => "The Vipps ID token is not valid",
            ProblemKind::VippsNotConfigured => "Vipps Login is not configured on this registry",
            ProblemKind::StageNotFound => "No such staged identity, or it expired or was used",
            ProblemKind::VippsLoginNotFound => "No such Vipps login, or it was used",
            ProblemKind::VippsLoginExpired => "The Vipps login was not finished within its lifetime",
            ProblemKind::VippsLoginInProgress => "This Vipps login is being completed by another request",
            ProblemKind::VippsCancelled => "The Vipps login was cancelled",
            ProblemKind::VippsProviderError => "Vipps answered the login with an error",
            ProblemKind::VippsIssuerMismatch => "The callback's issuer is not the configured Vipps issuer",
            ProblemKind::RateLimited => "Too many requests",
            ProblemKind::Unavailable => "The registry is temporarily unavailable",
            ProblemKind::Internal => "Internal error",
        }
    }

    pub fn type_uri(self) -> String {
        format!("{PROBLEM_TYPE_PREFIX}{}", self.slug())
    }

    /// The kind named by a problem's `type`, relative or absolute.
    pub fn from_type_uri(problem_type: &str) -> Option<ProblemKind> {
        let slug = problem_type.rsplit('/').next()?;
        ProblemKind::ALL.into_iter().find(|kind| kind.slug() == slug)
    }

    pub fn to_problem(self, detail: Option<String>) -> Problem {
        Problem { problem_type: self.type_uri(), title: self.title().to_owned(), status: self.status(), detail }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_its_type_uri() {
        for kind in ProblemKind::ALL {
            assert_eq!(ProblemKind::from_type_uri(&kind.type_uri()), Some(kind));
            assert_eq!(ProblemKind::from_type_uri(&format!("https://registry.example{}", kind.type_uri())), Some(kind));
        }
        assert_eq!(ProblemKind::from_type_uri("about:blank"), None);
    }

    #[test]
    fn contract_statuses_are_kept() {
        assert_eq!(ProblemKind::HmsCardNotFound.status(), 404);
        assert_eq!(ProblemKind::HmsCardNotValid.status(), 409);
        assert_eq!(ProblemKind::VippsExchangeFailed.status(), 502);
        assert_eq!(ProblemKind::VippsInvalidToken.status(), 401);
        assert_eq!(ProblemKind::IdempotencyConflict.status(), 422);
        assert_eq!(ProblemKind::InvalidRequest.status(), 400);
        assert_eq!(ProblemKind::StageNotFound.status(), 404);
        assert_eq!(ProblemKind::VippsLoginNotFound.status(), 404);
        assert_eq!(ProblemKind::VippsLoginInProgress.status(), 409);
        assert_eq!(ProblemKind::VippsCancelled.status(), 400);
        assert_eq!(ProblemKind::VippsProviderError.status(), 502);
        assert_eq!(ProblemKind::VippsIssuerMismatch.status(), 400);
        assert_eq!(ProblemKind::RequestTimeout.status(), 408);
        assert_eq!(ProblemKind::RequestHeaderFieldsTooLarge.status(), 431);
    }

    #[test]
    fn all_lists_every_kind_once() {
        let slugs: std::collections::HashSet<_> = ProblemKind::ALL.iter().map(|kind| kind.slug()).collect();
        assert_eq!(slugs.len(), ProblemKind::ALL.len());
    }

    #[test]
    fn problem_json_has_the_rfc_9457_member_names() {
        let json = serde_json::to_value(ProblemKind::HmsCardNotFound.to_problem(None)).unwrap();
        assert_eq!(json["type"], "/problems/hms-card-not-found");
        assert_eq!(json["status"], 404);
        assert!(json.get("detail").is_none());
    }
}
