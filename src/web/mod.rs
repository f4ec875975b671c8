//! The wasm-bindgen boundary: converts types, touches the browser, calls the
//! core. Nothing here decides anything the core could decide.

mod browser;
mod camera;
mod camera_scan;
mod capture;
mod document_camera;
mod hms_scan;
mod image_backend;
mod js_error;
mod photo;
mod registry_client;
mod vipps;

pub use capture::IdCapture;
pub use js_error::{from_snippet, settled_by_snippet, IdCaptureErrorClass};
pub use hms_scan::scan_hms_card_frame;
pub use photo::{capture_photo, forget_photos, prepare_photo_capture, recrop_photo};

use wasm_bindgen::prelude::*;

/// The package's whole public TypeScript: `IdCapture`, `IdCaptureError` and
/// their types, hand-written (every export above it is `skip_typescript`:
/// plumbing the capture worker calls stays out of the public types). The
/// error-code union is checked against `ErrorCode::ALL` by a native test, the
/// whole file by `tsc --strict` on `tests/partner-types/`.
#[wasm_bindgen(typescript_custom_section)]
const TYPESCRIPT_TYPES: &str = include_str!("id-capture.d.ts");

/// JavaScript modules that other snippets import: declared here so that
/// wasm-bindgen ships them inside pkg/ with the rest.
#[wasm_bindgen(module = "/src/web/js/capture_worker.js")]
extern "C" {
    /// Never called: the declaration ships the worker, which only
    /// `new Worker(new URL(...))` in worker_client.js refers to.
    #[wasm_bindgen(js_name = shipped)]
    fn _capture_worker_shipped();
}
