//! id-capture-contract: what the browser module (`id-capture`) and the
//! registry both speak, and nothing else — the person and its validation,
//! calendar dates, nationality codes, Registry API v2 payloads and paths,
//! RFC 9457 problem types, idempotency keys, session tokens and handles.
//! Both sides validate with this same code, so they cannot drift apart.
//!
//! Plain Rust with a handful of small dependencies: the registry builds it
//! without the capture code (image, rqrr, the MRZ reader), and in the browser
//! it is part of the module's wasm. The only target split is the name rules'
//! Unicode data (`person::unicode_text`).

pub mod country;
pub mod date;
pub mod endpoints;
pub mod handle;
pub mod idempotency_key;
pub mod payloads;
pub mod person;
pub mod problem;
pub mod session_token;

pub use date::Date;
pub use idempotency_key::IdempotencyKey;
pub use payloads::{
    ConfirmRequest, DocumentRequest, DocumentSource, Employer, HmsCardLookupRequest, StagedIdentity, StoredIdentity, VippsCallbackRequest,
    VippsLoginRequest, VippsLoginStarted, VippsLoginState, VippsLoginStatus,
};
pub use person::{Person, PersonError, PersonField};
pub use problem::{Problem, ProblemKind};
pub use session_token::SessionToken;
