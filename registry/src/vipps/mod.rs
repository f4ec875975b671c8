//! Vipps Login, held by the registry (see `docs/vipps-login.md`): the
//! registry makes the login's state, nonce and PKCE verifier and keeps them;
//! the browser opens the authorization URL and posts the callback's
//! parameters back from whichever tab or browser Vipps returned to. The
//! registry then exchanges the code with the client secret
//! (`client_secret_basic`), validates the ID token (RS256 against the
//! provider's cached JWKS, `iss`, `aud`, `exp`, `iat`, `nonce`, `at_hash`),
//! reads userinfo (whose `sub` must be the token's) and stages the minimal
//! person for the worker to confirm. Nothing else Vipps says (sub, phone,
//! email, address) leaves this module.
//!
//! Configured from the environment (all or none):
//! `VIPPS_ISSUER` (issuer or its discovery URL), `VIPPS_CLIENT_ID`,
//! `VIPPS_CLIENT_SECRET` or `VIPPS_CLIENT_SECRET_FILE`, and `VIPPS_REDIRECT_URIS`
//! (comma-separated; the first is the one logins use).

mod client_secret;
mod exchange;
pub mod logins;
mod person_claims;
pub mod provider;
mod settings;

pub use client_secret::ClientSecret;
pub use exchange::{AuthorizationRequest, VippsExchange, VippsExchangeError, SCOPES};
pub use person_claims::person_from_claims;
pub use settings::{VippsSettings, ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_CLIENT_SECRET_FILE, ENV_ISSUER, ENV_REDIRECT_URIS};
