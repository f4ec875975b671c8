//! id-capture: identify a worker for the workforce registry from a phone
//! browser, sending only the minimal person.
//!
//! The modules at this level are the pure core: plain Rust, no browser types,
//! tested natively with `cargo test`. `web` is the thin wasm-bindgen boundary.

pub mod config;
pub mod error;
pub mod hms;
pub mod mrz;
pub mod oidc;
pub mod person;
pub mod photo;
pub mod qr;
pub mod raster;
pub mod registry;
pub mod url;

// The contract shared with the registry, at the paths the module always had.
pub use id_capture_contract::{country, date};

#[cfg(target_arch = "wasm32")]
pub mod web;
