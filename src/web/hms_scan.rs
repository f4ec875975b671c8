//! HMS card scanning at the boundary. `scanHmsCardFrame` decodes one frame
//! (it runs in the capture Web Worker); `IdCapture.scanHmsCard` drives the
//! camera and the worker (`camera_scan.rs`); `scanHmsCardPhoto` sends a picked
//! photo to the worker. The decisions are the core's (`crate::qr`, `crate::hms`).

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::camera;
use super::camera_scan::{self, ScanFailure};
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

/// The live loop's budget per frame: 6 passes decode as many of the benchmark's frames
/// as zxing-wasm (bench/README.md); the time budget keeps the frame rate on slow phones.
const CAMERA_PASSES: u32 = 6;
const CAMERA_FRAME_MILLISECONDS: u32 = 150;
/// A picked photo gets a bigger budget, at most this many pixels on its longer side.
const PHOTO_PASSES: u32 = 12;
const PHOTO_LONGER_SIDE: f64 = 2048.0;

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
        let frame_options = self.scan_options(CAMERA_PASSES, Some(CAMERA_FRAME_MILLISECONDS))?;
        let options = options.map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        let scan = camera_scan::scan_with_camera(video, self.worker.clone(), frame_options, options);
        Ok(camera::promise_of(async move { scan.await.map_err(ScanFailure::into_js) }).unchecked_into())
    }

    /// Reads an HMS card from a photo (`<input type=file accept=image/* capture=environment>`),
    /// the fallback when there is no camera or permission is denied.
    #[wasm_bindgen(js_name = scanHmsCardPhoto)]
    pub fn scan_hms_card_photo(&self, file: web_sys::Blob) -> Result<HmsCardScanPromise, JsValue> {
        let options = self.scan_options(PHOTO_PASSES, None)?;
        let worker = self.worker.clone();
        Ok(js_error::settled_by_snippet(camera::promise_of(scan_photo(file, worker, options))).unchecked_into())
    }
}

/// A picked or taken photo: decoded by the browser, scanned by the worker.
async fn scan_photo(file: web_sys::Blob, worker: CaptureWorker, options: JsValue) -> Result<JsValue, JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let bitmap_options = web_sys::ImageBitmapOptions::new();
    bitmap_options.set_image_orientation(web_sys::ImageOrientation::FromImage);
    let decoding = window.create_image_bitmap_with_blob_and_image_bitmap_options(&file, &bitmap_options);
    let unreadable = || JsErrorBuilder::new(ErrorCode::ImageCorrupt, "the photo could not be read").build();
    let bitmap: web_sys::ImageBitmap = JsFuture::from(decoding.map_err(|_| unreadable())?).await.map_err(|_| unreadable())?.unchecked_into();
    let (width, height) = (f64::from(bitmap.width()), f64::from(bitmap.height()));
    let scale = (PHOTO_LONGER_SIDE / width.max(height)).min(1.0);
    let scaled = |side: f64| (side * scale).round().max(1.0) as u32;
    let request = camera_scan::scan_request(&camera_scan::pixel_context()?, &bitmap, scaled(width), scaled(height), &options);
    bitmap.close();
    let (message, transfer) = request?;
    let reply = JsFuture::from(worker.request(&message, &transfer)).await?;
    let reference = camera::property(&camera::property(&reply, "found"), "hmsCardReference");
    Ok(camera::object(&[("hmsCardReference", reference)]))
}

impl IdCapture {
    /// The options sent to the worker with each frame: its pass budget and this capture's HMS card rules.
    fn scan_options(&self, passes: u32, max_milliseconds: Option<u32>) -> Result<JsValue, JsValue> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Passes {
            max_attempts: u32,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct WorkerScanOptions<'a> {
            scan: Passes,
            #[serde(skip_serializing_if = "Option::is_none")]
            max_milliseconds: Option<u32>,
            hms_rules: &'a HmsRules,
        }
        to_js(&WorkerScanOptions { scan: Passes { max_attempts: passes }, max_milliseconds, hms_rules: &self.settings.hms_rules })
    }
}
