//! The registry contract (`../shared/registry-api.md`) as plain Rust: request
//! and response payloads, problem types, idempotency keys and the retry
//! policy. The module in the browser and the local registry server both use
//! these types, so they cannot drift apart. The HTTP call itself is in `web/`.

pub mod idempotency_key;
pub mod payloads;
pub mod problem;
pub mod retry;
pub mod session_token;
pub mod submission;
pub mod url;

pub use idempotency_key::IdempotencyKey;
pub use payloads::{
    ConfirmRequest, DocumentRequest, DocumentSource, Employer, HmsCardLookupRequest, StagedIdentity, StoredIdentity, VippsCallbackRequest,
    VippsLoginRequest, VippsLoginStarted, VippsLoginState, VippsLoginStatus,
};
pub use problem::{Problem, ProblemKind};
pub use session_token::SessionToken;
pub use retry::{AttemptOutcome, RetryDecision, RetryPolicy};
pub use submission::{submit, AttemptResult, HttpMethod, RegistryRequest, RegistryTransport, SubmissionStatus, SubmitError};
pub use url::RegistryUrl;
