//! id-capture: identify a worker for the workforce registry from a phone
//! browser, sending only the minimal person.
//!
//! The modules at this level are the pure core: plain Rust, no browser types,
//! tested natively with `cargo test`. `web` is the thin wasm-bindgen boundary.

pub mod config;
pub mod country;
pub mod date;
pub mod error;
pub mod hms;
pub mod person;
pub mod qr;
pub mod registry;

#[cfg(target_arch = "wasm32")]
pub mod web;
