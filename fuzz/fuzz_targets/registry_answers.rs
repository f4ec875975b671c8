//! The client's reading of registry answers (`registry::submit` with a fake
//! transport: statuses, `Retry-After` values and bodies from the input) and
//! of problem bodies (`Problem`, `ProblemKind::from_type_uri`).
//! Oracles: success only on a 2xx whose body is the contract's answer (which
//! re-serialises and re-parses to itself); a refusal only on a status the
//! policy does not retry (or a final problem type); never more attempts than
//! the policy allows, never a wait longer than it allows; a known problem
//! type round-trips through its URI.
#![no_main]

use std::cell::RefCell;

use arbitrary::Arbitrary;
use id_capture::registry::retry::parse_retry_after;
use id_capture::registry::{
    submit, AttemptResult, HttpMethod, Problem, ProblemKind, RegistryRequest, RegistryTransport, RetryPolicy, StagedIdentity, StoredIdentity,
    SubmissionStatus, SubmitError, VippsLoginStarted, VippsLoginStatus,
};
use id_capture_fuzz::block_on;
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use serde::Serialize;

#[derive(Arbitrary, Debug, Clone)]
enum Attempt {
    NetworkError,
    TimedOut,
    Response { status: u16, retry_after: Option<String>, body: String },
}

#[derive(Arbitrary, Debug)]
struct Input {
    answer_type: u8,
    jitter: u8,
    attempts: Vec<Attempt>,
}

struct FakeTransport {
    attempts: Vec<Attempt>,
    sent: RefCell<usize>,
    slept: RefCell<Vec<u32>>,
    jitter: f64,
}

impl RegistryTransport for FakeTransport {
    async fn send(&self, _request: &RegistryRequest, _timeout_ms: u32) -> AttemptResult {
        let index = *self.sent.borrow();
        *self.sent.borrow_mut() += 1;
        match self.attempts.get(index).cloned().unwrap_or(Attempt::NetworkError) {
            Attempt::NetworkError => AttemptResult::NetworkError,
            Attempt::TimedOut => AttemptResult::TimedOut,
            Attempt::Response { status, retry_after, body } => AttemptResult::Response { status, retry_after, body },
        }
    }
    async fn sleep_ms(&self, milliseconds: u32) {
        self.slept.borrow_mut().push(milliseconds);
    }
    fn now_unix_seconds(&self) -> i64 {
        1_795_000_000
    }
    fn random_unit(&self) -> f64 {
        self.jitter
    }
}

fn run<Answer: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(input: &Input) {
    let policy = RetryPolicy::default();
    let transport = FakeTransport { attempts: input.attempts.clone(), sent: RefCell::new(0), slept: RefCell::new(Vec::new()), jitter: f64::from(input.jitter) / 256.0 };
    let request = RegistryRequest { method: HttpMethod::Post, url: "https://registry.example/v2/x".into(), authorization: None, idempotency_key: None, json_body: Some("{}".into()) };
    let mut statuses = Vec::new();
    let result: Result<Answer, SubmitError> = block_on(submit(&transport, &policy, &request, |status| statuses.push(status)));
    let sent = *transport.sent.borrow();
    assert!(sent >= 1 && sent as u32 <= policy.max_attempts, "{sent} attempts");
    for &delay in transport.slept.borrow().iter() {
        assert!(delay <= policy.max_delay_ms.max(policy.max_retry_after_ms), "waited {delay} ms");
    }
    assert_eq!(statuses.iter().filter(|s| matches!(s, SubmissionStatus::Sending { .. })).count(), sent);
    let last = input.attempts.get(sent - 1).cloned().unwrap_or(Attempt::NetworkError);
    match result {
        Ok(answer) => {
            let Attempt::Response { status, body, .. } = last else { panic!("success without an answer") };
            assert!((200..=299).contains(&status));
            assert_eq!(serde_json::from_str::<Answer>(&body).as_ref().ok(), Some(&answer));
            let again = serde_json::to_string(&answer).unwrap();
            assert_eq!(serde_json::from_str::<Answer>(&again).ok().as_ref(), Some(&answer), "the answer does not round-trip");
        }
        Err(SubmitError::MalformedAnswer) => {
            let Attempt::Response { status, body, .. } = last else { panic!("a malformed answer without an answer") };
            assert!((200..=299).contains(&status) && serde_json::from_str::<Answer>(&body).is_err());
        }
        Err(SubmitError::Rejected { status, problem }) => {
            let Attempt::Response { status: last_status, body, .. } = last else { panic!("a refusal without an answer") };
            assert_eq!(status, last_status);
            let final_problem = problem.is_some_and(|kind| !kind.may_succeed_on_retry());
            let retryable = status == 408 || status == 429 || (500..=599).contains(&status);
            assert!(!(200..=299).contains(&status) && (!retryable || final_problem), "{status} {problem:?} refused");
            let parsed = serde_json::from_str::<Problem>(&body).ok().and_then(|p| ProblemKind::from_type_uri(&p.problem_type));
            assert_eq!(parsed, problem);
        }
        Err(SubmitError::Unavailable { attempts, last_status }) => {
            assert_eq!(attempts as usize, sent);
            if let Attempt::Response { status, .. } = last {
                assert_eq!(last_status, Some(status));
            }
        }
    }
}

fuzz_target!(|input: Input| {
    match input.answer_type % 4 {
        0 => run::<StagedIdentity>(&input),
        1 => run::<StoredIdentity>(&input),
        2 => run::<VippsLoginStarted>(&input),
        _ => run::<VippsLoginStatus>(&input),
    }
    // Problem bodies and Retry-After values on their own.
    for attempt in &input.attempts {
        if let Attempt::Response { body, retry_after, .. } = attempt {
            if let Ok(problem) = serde_json::from_str::<Problem>(body) {
                if let Some(kind) = ProblemKind::from_type_uri(&problem.problem_type) {
                    assert_eq!(ProblemKind::from_type_uri(&kind.type_uri()), Some(kind));
                    let own = kind.to_problem(problem.detail.clone());
                    let json = serde_json::to_string(&own).unwrap();
                    assert_eq!(serde_json::from_str::<Problem>(&json).ok().as_ref(), Some(&own));
                }
            }
            if let Some(value) = retry_after {
                let _ = parse_retry_after(value, 1_795_000_000);
            }
        }
    }
});
