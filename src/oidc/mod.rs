//! Vipps Login, browser side. The registry is the OAuth client: it makes and
//! keeps the login's state, nonce and PKCE verifier, exchanges the code and
//! checks the ID token (`docs/vipps-login.md`). The browser only
//! 1. asks the registry to start a login and goes to the URL it answers;
//! 2. on return, in any tab or browser: `looks_like_callback(href)`, then
//!    `history.replaceState` to `cleaned_callback_url(href)` before any
//!    network call, then `read_callback(href)` and post its `request` to the
//!    registry, which answers the person to confirm.

mod callback;
mod error;

pub use callback::{cleaned_callback_url, looks_like_callback, read_callback, Callback, MAX_CALLBACK_URL_CHARS};
pub use error::{OidcError, ProviderErrorCode};
