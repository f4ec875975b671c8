//! Vipps Login, server side: the browser hands over `{code, code_verifier,
//! redirect_uri, nonce}`; this module exchanges the code with the client
//! secret (`client_secret_basic`), validates the ID token (signature against
//! the provider's JWKS, `iss`, `aud`, `exp`, `iat`, `nonce`, `at_hash`), reads
//! userinfo (whose `sub` must be the token's) and returns the minimal person.
//! Nothing else Vipps says (sub, phone, email, address) leaves this module.
//!
//! Configured from the environment (all or none):
//! `VIPPS_ISSUER` (issuer or its discovery URL), `VIPPS_CLIENT_ID`,
//! `VIPPS_CLIENT_SECRET` or `VIPPS_CLIENT_SECRET_FILE`, and `VIPPS_REDIRECT_URIS`
//! (comma-separated; a request with any other `redirect_uri` is a 400).
//! Failures: `vipps-exchange-failed` (502: discovery, token endpoint or userinfo
//! unreachable or refusing), `vipps-invalid-token` (401: any ID-token check,
//! or userinfo about another subject), `vipps-not-configured` (503).

mod client_secret;
mod exchange;
mod person_claims;
mod settings;

pub use client_secret::ClientSecret;
pub use exchange::{VippsExchange, VippsExchangeError};
pub use person_claims::person_from_claims;
pub use settings::{VippsSettings, ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_CLIENT_SECRET_FILE, ENV_ISSUER, ENV_REDIRECT_URIS};
