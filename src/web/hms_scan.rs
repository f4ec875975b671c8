//! HMS card scanning at the boundary. `scanHmsCardFrame` decodes one frame
//! (it runs in the capture Web Worker); `IdCapture.scanHmsCard` drives the
//! camera and the worker (JavaScript in `js/hms_scanner.js`, because it is all
//! browser plumbing); the decisions are the core's (`crate::qr`, `crate::hms`).

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::capture::{from_js_strict, to_js, CaptureWorker, IdCapture};
use super::js_error::{self, JsErrorBuilder};
use crate::error::{Coded, ErrorCode};
use crate::hms::{recognise_hms_card, HmsError, HmsRules};
use crate::qr::{decode_rgba_while, QrPoint, ScanOptions};

/// The longest time budget a page may give one frame.
const MAX_FRAME_MILLISECONDS: u32 = 10_000;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "ScanFrameOptions")]
    pub type ScanFrameOptionsJs;
    #[wasm_bindgen(typescript_type = "HmsCardFrame")]
    pub type HmsCardFrameJs;
    #[wasm_bindgen(typescript_type = "ScanHmsCardOptions")]
    pub type ScanHmsCardOptionsJs;
    #[wasm_bindgen(typescript_type = "Promise<HmsCardScan>")]
    pub type HmsCardScanPromise;
}

#[wasm_bindgen(module = "/src/web/js/hms_scanner.js")]
extern "C" {
    #[wasm_bindgen(js_name = scanWithCamera)]
    fn scan_with_camera(video: &JsValue, worker: &CaptureWorker, settings: &JsValue, options: &JsValue) -> js_sys::Promise;
    #[wasm_bindgen(js_name = scanImageFile)]
    fn scan_image_file(file: &JsValue, worker: &CaptureWorker, settings: &JsValue) -> js_sys::Promise;
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FrameOptions {
    #[serde(default)]
    scan: ScanOptions,
    #[serde(default)]
    hms_rules: Option<HmsRules>,
    /// Wall-clock budget for this frame: no new pass starts after it (a pass
    /// already running finishes). A camera loop keeps its frame rate on slow
    /// phones; the pass count (`scan.maxAttempts`) still bounds the work.
    #[serde(default)]
    max_milliseconds: Option<u32>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HmsCardFrame {
    hms_card_reference: String,
    corners: [QrPoint; 4],
}

/// Decodes one RGBA frame (`ImageData`) and recognises an HMS card in it.
/// Throws `no_qr_code_found`, `not_an_hms_card` (with `kind`: what the code
/// was instead), `invalid_pixels` or `invalid_config`.
#[wasm_bindgen(js_name = scanHmsCardFrame, skip_typescript)]
pub fn scan_hms_card_frame(width: u32, height: u32, rgba: &[u8], options: Option<ScanFrameOptionsJs>) -> Result<HmsCardFrameJs, JsValue> {
    let options: FrameOptions = match options.map(JsValue::from) {
        Some(options) if options.is_object() => {
            from_js_strict(&options).ok_or_else(|| js_error::invalid_argument(ErrorCode::InvalidConfig, "the scan options"))?
        }
        _ => FrameOptions::default(),
    };
    let rules = options.hms_rules.unwrap_or_default();
    rules.validate().map_err(|error| hms_error(&error))?;
    let deadline = options.max_milliseconds.map(|ms| js_sys::Date::now() + f64::from(ms.min(MAX_FRAME_MILLISECONDS)));
    let mut keep_going = || deadline.is_none_or(|deadline| js_sys::Date::now() < deadline);
    let decoded = decode_rgba_while(width, height, rgba, &options.scan, &mut keep_going).map_err(|error| js_error::coded(&error))?;
    let reference = recognise_hms_card(&decoded.text, &rules).map_err(|error| hms_error(&error))?;
    Ok(to_js(&HmsCardFrame { hms_card_reference: reference.into_string(), corners: decoded.corners })?.unchecked_into())
}

fn hms_error(error: &HmsError) -> JsValue {
    let builder = JsErrorBuilder::new(error.code(), &error.to_string());
    match error {
        HmsError::NotAnHmsCard { kind } => builder.with("kind", kind.as_str()).build(),
        HmsError::InvalidRules { .. } => builder.build(),
    }
}

#[wasm_bindgen]
impl IdCapture {
    /// Scans with the rear camera into `video` until an HMS card's QR code is
    /// read; resolves `{ hmsCardReference }` and stops the camera. Decoding runs
    /// in this capture's worker, one frame at a time. Rejects with `camera_denied`,
    /// `camera_unavailable`, `capture_unavailable` (no worker can run, or the
    /// capture was disposed), `AbortError` when `options.signal` aborts, or
    /// what `onStatus`/`onReady` threw; the camera stops whatever the outcome.
    #[wasm_bindgen(js_name = scanHmsCard)]
    pub fn scan_hms_card(&self, video: web_sys::HtmlVideoElement, options: Option<ScanHmsCardOptionsJs>) -> Result<HmsCardScanPromise, JsValue> {
        let settings = self.scanner_settings()?;
        let options = options.map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        Ok(js_error::settled_by_snippet(scan_with_camera(&video, &self.worker, &settings, &options)).unchecked_into())
    }

    /// Reads an HMS card from a photo (`<input type=file accept=image/* capture=environment>`),
    /// the fallback when there is no camera or permission is denied.
    #[wasm_bindgen(js_name = scanHmsCardPhoto)]
    pub fn scan_hms_card_photo(&self, file: web_sys::Blob) -> Result<HmsCardScanPromise, JsValue> {
        let settings = self.scanner_settings()?;
        Ok(js_error::settled_by_snippet(scan_image_file(&file, &self.worker, &settings)).unchecked_into())
    }
}

impl IdCapture {
    fn scanner_settings(&self) -> Result<JsValue, JsValue> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct ScannerSettings<'a> {
            hms_rules: &'a HmsRules,
        }
        to_js(&ScannerSettings { hms_rules: &self.settings.hms_rules })
    }
}

#[wasm_bindgen(module = "/src/web/js/document_camera.js")]
extern "C" {
    #[wasm_bindgen(js_name = openDocumentCamera)]
    fn open_document_camera(video: &web_sys::HtmlVideoElement, lifetime: &web_sys::AbortSignal) -> js_sys::Promise;
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "Promise<DocumentCamera>")]
    pub type DocumentCameraPromise;
}

#[wasm_bindgen]
impl IdCapture {
    /// A live rear-camera preview in `video` for photographing an ID document;
    /// resolves `{ takePhoto(): Promise<Blob>, stop() }`; `dispose()` stops it
    /// too. Rejects with `camera_denied` or `camera_unavailable`.
    #[wasm_bindgen(js_name = openDocumentCamera)]
    pub fn open_document_camera(&self, video: web_sys::HtmlVideoElement) -> DocumentCameraPromise {
        js_error::settled_by_snippet(open_document_camera(&video, &self.worker.signal())).unchecked_into()
    }
}
