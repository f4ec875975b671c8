//! Vipps Login (OpenID Connect authorization code flow with PKCE), browser
//! side, as a pure state machine: time and randomness are passed in, storage
//! and navigation belong to the boundary (`web/`).
//!
//! The boundary's part of the handshake:
//! 1. `VippsConfig::new(options)` (optionally `.with_discovery(&metadata)`).
//! 2. `start(&config, &random_96_bytes, now_ms)` → store `stored_flow.to_json()`
//!    in `sessionStorage[STORED_FLOW_KEY]`, then navigate to `authorization_url`.
//! 3. On page load: if `looks_like_callback(href)`, remove the stored flow from
//!    storage FIRST (so a replayed URL finds nothing), `history.replaceState` to
//!    `cleaned_callback_url(href)`, then `complete(&config, href, stored, now_ms)`
//!    and send the grant's `request` to the registry.

mod base64url;
mod callback;
mod config;
mod constant_time;
mod discovery;
mod error;
mod pkce;
mod start;
mod stored_flow;
mod url;

pub use callback::{cleaned_callback_url, complete, looks_like_callback, Grant, MAX_CALLBACK_URL_CHARS};
pub use config::{VippsConfig, VippsOptions, DEFAULT_SCOPES};
pub use discovery::{discovery_url, ProviderMetadata};
pub use error::{OidcError, ProviderErrorCode};
pub use pkce::code_challenge_s256;
pub use start::{start, StartedFlow, RANDOM_BYTES_NEEDED};
pub use stored_flow::{StoredFlow, CLOCK_SKEW_MS, FLOW_LIFETIME_MS, STORED_FLOW_KEY};
