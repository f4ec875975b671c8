//! The wasm-bindgen boundary: converts types, touches the browser, calls the
//! core. Nothing here decides anything the core could decide.

mod browser;
mod capture;
mod js_error;
mod registry_client;

pub use capture::IdCapture;

use wasm_bindgen::prelude::*;

/// Types a partner reads in `id_capture.d.ts`; the error-code union is checked
/// against `ErrorCode::ALL` by a native test.
#[wasm_bindgen(typescript_custom_section)]
const TYPESCRIPT_TYPES: &str = include_str!("id-capture.d.ts");
