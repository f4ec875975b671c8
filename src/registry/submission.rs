//! Sending one capture to the registry until it is stored or clearly refused.
//! The loop is here, in plain Rust, with the HTTP call, the sleep, the clock
//! and the randomness behind `RegistryTransport` (gloo-net and `setTimeout` in
//! the browser), so its behaviour is tested natively.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::problem::{Problem, ProblemErrorCode, ProblemKind};
use super::retry::{parse_retry_after, AttemptOutcome, RetryDecision, RetryPolicy};
use super::IdempotencyKey;
use crate::error::{Coded, ErrorCode};

/// One call of the contract: the same method, URL, credential, key and body
/// on every attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryRequest {
    pub method: HttpMethod,
    pub url: String,
    /// `Authorization` header value (`Session <token>` in an onboarding session).
    pub authorization: Option<String>,
    /// Creating requests carry one; the registry answers a repeat with the first answer.
    pub idempotency_key: Option<IdempotencyKey>,
    /// JSON body of a POST.
    pub json_body: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Post,
}

impl HttpMethod {
    pub const fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
        }
    }
}

/// What one HTTP attempt returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptResult {
    NetworkError,
    TimedOut,
    Response { status: u16, retry_after: Option<String>, body: String },
}

/// The browser (or a test) provides the effects.
#[allow(async_fn_in_trait)] // used single-threaded in wasm; no Send bound wanted
pub trait RegistryTransport {
    async fn send(&self, request: &RegistryRequest, timeout_ms: u32) -> AttemptResult;
    async fn sleep_ms(&self, milliseconds: u32);
    fn now_unix_seconds(&self) -> i64;
    /// Uniform in `[0, 1)`.
    fn random_unit(&self) -> f64;
}

/// Progress the page shows while it waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SubmissionStatus {
    Sending { attempt: u32 },
    Waiting { attempt: u32, delay_ms: u32, reason: WaitReason },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WaitReason {
    Unreachable,
    TimedOut,
    Busy,
    ServerError,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubmitError {
    #[error("the registry could not be reached after {attempts} attempts")]
    Unavailable { attempts: u32, last_status: Option<u16> },
    #[error("the registry refused the request ({status})")]
    Rejected { status: u16, problem: Option<ProblemKind> },
    #[error("the registry answered 2xx with a body that is not the contract's")]
    MalformedAnswer,
}

impl Coded for SubmitError {
    fn code(&self) -> ErrorCode {
        match self {
            SubmitError::Unavailable { .. } => ErrorCode::RegistryUnavailable,
            SubmitError::Rejected { problem: Some(kind), .. } => kind.error_code(),
            SubmitError::Rejected { problem: None, .. } | SubmitError::MalformedAnswer => ErrorCode::RegistryRejected,
        }
    }
}

/// Sends `request` until the registry answers 2xx with an `Answer`, refuses
/// it for good, or the policy gives up.
pub async fn submit<T: RegistryTransport, Answer: DeserializeOwned>(
    transport: &T,
    policy: &RetryPolicy,
    request: &RegistryRequest,
    mut on_status: impl FnMut(SubmissionStatus),
) -> Result<Answer, SubmitError> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        on_status(SubmissionStatus::Sending { attempt });
        let result = transport.send(request, policy.attempt_timeout_ms).await;
        let (outcome, reason) = match &result {
            AttemptResult::NetworkError => (AttemptOutcome::NetworkError, WaitReason::Unreachable),
            AttemptResult::TimedOut => (AttemptOutcome::TimedOut, WaitReason::TimedOut),
            AttemptResult::Response { status, retry_after, body } => {
                let retry_after_ms = retry_after.as_deref().and_then(|value| parse_retry_after(value, transport.now_unix_seconds()));
                let reason = if *status == 429 || *status == 503 { WaitReason::Busy } else { WaitReason::ServerError };
                let problem = if (200..=299).contains(status) { None } else { problem_kind(body) };
                (AttemptOutcome::Response { status: *status, retry_after_ms, problem }, reason)
            }
        };
        match policy.decide(attempt, outcome, transport.random_unit()) {
            RetryDecision::Succeeded => {
                let AttemptResult::Response { body, .. } = &result else { return Err(SubmitError::MalformedAnswer) };
                return serde_json::from_str(body).map_err(|_| SubmitError::MalformedAnswer);
            }
            RetryDecision::Rejected => {
                let (AttemptResult::Response { status, .. }, AttemptOutcome::Response { problem, .. }) = (&result, outcome) else {
                    return Err(SubmitError::MalformedAnswer);
                };
                return Err(SubmitError::Rejected { status: *status, problem });
            }
            RetryDecision::GiveUp => {
                let last_status = match result {
                    AttemptResult::Response { status, .. } => Some(status),
                    _ => None,
                };
                return Err(SubmitError::Unavailable { attempts: attempt, last_status });
            }
            RetryDecision::RetryAfter { delay_ms } => {
                on_status(SubmissionStatus::Waiting { attempt, delay_ms, reason });
                transport.sleep_ms(delay_ms).await;
            }
        }
    }
}

/// The problem type of an error answer, when it is one of ours.
fn problem_kind(body: &str) -> Option<ProblemKind> {
    serde_json::from_str::<Problem>(body).ok().and_then(|problem| ProblemKind::from_type_uri(&problem.problem_type))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::StoredIdentity;
    use std::cell::RefCell;
    use std::future::Future;
    use std::task::{Context, Poll, Waker};

    /// The fake transport's futures are always ready, so polling once suffices.
    fn run<F: Future>(future: F) -> F::Output {
        let mut future = std::pin::pin!(future);
        match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(output) => output,
            Poll::Pending => panic!("fake transport never waits"),
        }
    }

    /// Plays back scripted attempt results and records what was sent and slept.
    struct ScriptedTransport {
        script: RefCell<Vec<AttemptResult>>,
        sent: RefCell<Vec<RegistryRequest>>,
        slept: RefCell<Vec<u32>>,
    }

    impl ScriptedTransport {
        fn new(mut script: Vec<AttemptResult>) -> Self {
            script.reverse();
            ScriptedTransport { script: RefCell::new(script), sent: RefCell::default(), slept: RefCell::default() }
        }
    }

    impl RegistryTransport for ScriptedTransport {
        async fn send(&self, request: &RegistryRequest, _timeout_ms: u32) -> AttemptResult {
            self.sent.borrow_mut().push(request.clone());
            self.script.borrow_mut().pop().expect("script long enough")
        }
        async fn sleep_ms(&self, milliseconds: u32) {
            self.slept.borrow_mut().push(milliseconds);
        }
        fn now_unix_seconds(&self) -> i64 {
            1_795_392_000
        }
        fn random_unit(&self) -> f64 {
            0.0
        }
    }

    fn request() -> RegistryRequest {
        RegistryRequest {
            method: HttpMethod::Post,
            url: "/v2/identities/document".into(),
            authorization: None,
            idempotency_key: Some(IdempotencyKey::from_random_bytes([7; 16])),
            json_body: Some("{}".into()),
        }
    }

    fn created() -> AttemptResult {
        let body = r#"{"identity_id":"i-1","person":{"given_names":"Anna Maria","surname":"Eriksson","date_of_birth":"1974-08-12","nationality":"SWE"}}"#;
        AttemptResult::Response { status: 201, retry_after: None, body: body.into() }
    }

    fn status(code: u16, retry_after: Option<&str>, problem: Option<ProblemKind>) -> AttemptResult {
        let body = problem.map(|kind| serde_json::to_string(&kind.to_problem(None)).unwrap()).unwrap_or_default();
        AttemptResult::Response { status: code, retry_after: retry_after.map(String::from), body }
    }

    #[test]
    fn down_then_500_then_429_then_created_sends_the_same_request_each_time() {
        let transport = ScriptedTransport::new(vec![AttemptResult::NetworkError, status(500, None, None), status(429, Some("3"), Some(ProblemKind::RateLimited)), created()]);
        let mut statuses = Vec::new();
        let stored: StoredIdentity = run(submit(&transport, &RetryPolicy::default(), &request(), |status| statuses.push(status))).unwrap();
        assert_eq!(stored.person.surname, "Eriksson");
        let sent = transport.sent.borrow();
        assert_eq!(sent.len(), 4);
        assert!(sent.iter().all(|each| *each == request()));
        assert_eq!(*transport.slept.borrow(), [250, 500, 3_000]);
        assert_eq!(statuses[1], SubmissionStatus::Waiting { attempt: 1, delay_ms: 250, reason: WaitReason::Unreachable });
        assert_eq!(statuses[5], SubmissionStatus::Waiting { attempt: 3, delay_ms: 3_000, reason: WaitReason::Busy });
        assert_eq!(statuses.last(), Some(&SubmissionStatus::Sending { attempt: 4 }));
    }

    #[test]
    fn a_4xx_problem_is_final_and_keeps_its_kind() {
        let transport = ScriptedTransport::new(vec![status(404, None, Some(ProblemKind::HmsCardNotFound))]);
        let error = run(submit::<_, StoredIdentity>(&transport, &RetryPolicy::default(), &request(), |_| {})).unwrap_err();
        assert_eq!(error, SubmitError::Rejected { status: 404, problem: Some(ProblemKind::HmsCardNotFound) });
        assert_eq!(error.code(), ErrorCode::HmsCardNotFound);
        assert_eq!(transport.sent.borrow().len(), 1);
    }

    #[test]
    fn a_failed_vipps_exchange_is_final_although_it_is_a_5xx() {
        let transport = ScriptedTransport::new(vec![status(502, None, Some(ProblemKind::VippsExchangeFailed))]);
        let error = run(submit::<_, StoredIdentity>(&transport, &RetryPolicy::default(), &request(), |_| {})).unwrap_err();
        assert_eq!(error, SubmitError::Rejected { status: 502, problem: Some(ProblemKind::VippsExchangeFailed) });
        assert_eq!(error.code(), ErrorCode::VippsExchangeFailed);
        assert_eq!(transport.sent.borrow().len(), 1, "a single-use code is not sent twice");
        assert!(transport.slept.borrow().is_empty());
    }

    #[test]
    fn a_registry_that_stays_down_ends_in_registry_unavailable_after_the_last_attempt() {
        let policy = RetryPolicy { max_attempts: 3, ..RetryPolicy::default() };
        let transport = ScriptedTransport::new(vec![AttemptResult::NetworkError, AttemptResult::TimedOut, status(503, Some("1"), None)]);
        let error = run(submit::<_, StoredIdentity>(&transport, &policy, &request(), |_| {})).unwrap_err();
        assert_eq!(error, SubmitError::Unavailable { attempts: 3, last_status: Some(503) });
        assert_eq!(error.code(), ErrorCode::RegistryUnavailable);
        assert_eq!(transport.slept.borrow().len(), 2);
    }

    #[test]
    fn a_2xx_with_a_body_outside_the_contract_is_not_taken_as_stored() {
        let transport = ScriptedTransport::new(vec![AttemptResult::Response { status: 201, retry_after: None, body: "{\"ok\":true}".into() }]);
        assert_eq!(run(submit::<_, StoredIdentity>(&transport, &RetryPolicy::default(), &request(), |_| {})), Err(SubmitError::MalformedAnswer));
    }
}
