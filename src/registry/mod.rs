//! The module's side of the registry: the retry policy, submission with
//! idempotency keys, and where the registry is. The contract itself (payloads,
//! problem types, idempotency keys, session tokens, endpoint paths) is the
//! `id-capture-contract` crate, shared with the registry server and
//! re-exported here under its old paths. The HTTP call itself is in `web/`.

pub use id_capture_contract::{endpoints, idempotency_key, payloads, session_token};
pub mod problem;
pub mod retry;
pub mod submission;
pub mod url;

pub use idempotency_key::IdempotencyKey;
pub use payloads::{
    ConfirmRequest, DocumentRequest, DocumentSource, Employer, HmsCardLookupRequest, StagedIdentity, StoredIdentity, VippsCallbackRequest,
    VippsLoginRequest, VippsLoginStarted, VippsLoginState, VippsLoginStatus,
};
pub use problem::{Problem, ProblemErrorCode, ProblemKind};
pub use session_token::SessionToken;
pub use retry::{AttemptOutcome, RetryDecision, RetryPolicy};
pub use submission::{submit, AttemptResult, HttpMethod, RegistryRequest, RegistryTransport, SubmissionStatus, SubmitError};
pub use url::RegistryUrl;
