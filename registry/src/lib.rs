//! The local reference registry: Registry API v2 (`docs/registry-api.md`)
//! with an embedded SQLite store, invented HMS cards, and the page's files.
//! One process is enough to use the page, run the end-to-end tests, or let a
//! partner try the module.

pub mod app;
pub mod caller;
pub mod config;
pub mod hms_directory;
pub mod hms_lookup;
pub mod identities;
pub mod idempotency;
pub mod onboarding;
pub mod partner_cli;
pub mod partners;
pub mod problem_response;
pub mod rate_limit;
pub mod request_log;
pub mod server;
pub mod sessions;
pub mod stages;
pub mod state;
pub mod store;
pub mod strict_json;
pub mod tokens;
pub mod vipps;

pub use app::build_router;
pub use state::AppState;
pub use config::RegistryConfig;
