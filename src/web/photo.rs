//! ID document photos at the boundary: the capture worker runs the core's
//! capture pipeline (`photo::capture`) over the browser's backend
//! (`image_backend`) and keeps the last photos so the user can re-crop them
//! without decoding again; each run returns the budgeted JPEG (bytes stay on
//! the phone), the corners, quality advice, and the fields read from the MRZ.
//! `IdCapture.processPhoto` drives the worker (`js/photo.js`).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::browser;
use super::capture::{from_js_strict, to_js, CaptureWorker, IdCapture};
use super::image_backend::{WebBackend, WebBitmap};
use super::js_error::{self, JsErrorBuilder};
use crate::date::Date;
use crate::error::{Coded, ErrorCode};
use crate::mrz::{DocumentKind, MrzReading};
use crate::person::Person;
use crate::photo::capture::{capture_document, recrop, CapturedDocument, KeptPhoto, MrzStep};
use crate::photo::encode::encode_jpeg;
use crate::photo::jpeg_preview::jpeg_preview;
use crate::photo::region::find_document_in_preview;
use crate::photo::{DecodeLimits, PhotoError, PhotoOptions, Quad, QualityFlags, RgbImage, Stage};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "PhotoOptions")]
    pub type PhotoOptionsJs;
    #[wasm_bindgen(typescript_type = "Promise<ProcessedPhoto>")]
    pub type ProcessedPhotoPromise;
}

#[wasm_bindgen(module = "/src/web/js/photo.js")]
extern "C" {
    #[wasm_bindgen(js_name = processPhoto)]
    fn process_photo_in_worker(worker: &CaptureWorker, file: &JsValue, options: &JsValue) -> js_sys::Promise;
    #[wasm_bindgen(js_name = preparePhoto)]
    fn prepare_photo_in_worker(worker: &CaptureWorker) -> js_sys::Promise;
}

/// Options as JavaScript names them.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsPhotoOptions {
    max_edge: Option<u32>,
    max_bytes: Option<usize>,
    thumbnail_max_edge: Option<u32>,
    /// Skip reading the MRZ (e.g. a driving licence, typed beside the photo).
    #[serde(default)]
    skip_mrz: bool,
}

impl JsPhotoOptions {
    fn from_value(options: &JsValue) -> Result<JsPhotoOptions, JsValue> {
        if options.is_object() {
            from_js_strict(options).ok_or_else(|| js_error::invalid_argument(ErrorCode::InvalidConfig, "the photo options"))
        } else {
            Ok(JsPhotoOptions::default())
        }
    }

    fn mrz_step(&self) -> MrzStep {
        if self.skip_mrz { MrzStep::Skip } else { MrzStep::Read { today: today() } }
    }

    fn photo_options(&self) -> PhotoOptions {
        let defaults = PhotoOptions::default();
        PhotoOptions {
            max_edge: self.max_edge.unwrap_or(defaults.max_edge),
            max_bytes: self.max_bytes.unwrap_or(defaults.max_bytes),
            thumbnail_max_edge: self.thumbnail_max_edge,
            ..defaults
        }
    }
}

/// What the page gets back (the JPEG bytes are attached separately as a Uint8Array).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhotoResult<'a> {
    width: u32,
    height: u32,
    bytes: usize,
    jpeg_quality: u8,
    shrunk_to_fit: bool,
    document_found: bool,
    confidence: f32,
    corners: &'a Quad,
    source_width: u32,
    source_height: u32,
    quality: QualityAdvice,
    mrz: Option<MrzFields>,
    /// Why no MRZ fields came back (`no_mrz_found`, `mrz_checks_failed`, ...), or null.
    mrz_error: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct QualityAdvice {
    too_dark: bool,
    too_blurry: bool,
    glare: bool,
    document_too_small: bool,
}

impl From<&QualityFlags> for QualityAdvice {
    fn from(flags: &QualityFlags) -> Self {
        QualityAdvice { too_dark: flags.too_dark, too_blurry: flags.too_blurry, glare: flags.glare, document_too_small: flags.document_too_small }
    }
}

/// The three fields read from an MRZ whose check digits all passed.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MrzFields {
    person: Person,
    kind: DocumentKind,
    /// Names carry no check digit: ask the user to look at them when true.
    names_need_confirmation: bool,
    names_truncated: bool,
    /// A birth date character was repaired to the recogniser's runner-up: ask the user to look at it.
    date_of_birth_needs_confirmation: bool,
    /// The nationality was repaired to a known code or has a low-confidence letter (no check digit covers it).
    nationality_needs_confirmation: bool,
}

impl From<&MrzReading> for MrzFields {
    fn from(reading: &MrzReading) -> Self {
        MrzFields {
            person: reading.to_person(),
            kind: reading.kind,
            names_need_confirmation: reading.names_need_confirmation,
            names_truncated: reading.names_truncated,
            date_of_birth_needs_confirmation: reading.date_of_birth_needs_confirmation,
            nationality_needs_confirmation: reading.nationality_needs_confirmation,
        }
    }
}

// The capture worker's side (`js/capture_worker.js` only routes messages
// here): the core's capture pipeline over the browser's backend, and the
// photos kept for re-cropping. Worker plumbing: not in the public types.

/// Photos kept for re-cropping, oldest first: the last two (a 12 MP photo is ~48 MB decoded).
const KEPT_PHOTOS: usize = 2;

thread_local! {
    static KEPT: RefCell<VecDeque<(u32, Rc<KeptPhoto<WebBitmap>>)>> = const { RefCell::new(VecDeque::new()) };
}

fn keep(photo_id: u32, photo: KeptPhoto<WebBitmap>) {
    KEPT.with_borrow_mut(|kept| {
        kept.retain(|(id, _)| *id != photo_id);
        kept.push_back((photo_id, Rc::new(photo)));
        while kept.len() > KEPT_PHOTOS {
            // Dropping the last reference closes the browser's bitmap.
            kept.pop_front();
        }
    });
}

/// The whole capture of one photo file: decode, find, crop, assess, encode,
/// MRZ; the photo is kept under `photoId` for `recropPhoto`. `onStage(name)`
/// (optional) marks the end of each step, for the benchmark.
#[wasm_bindgen(js_name = capturePhoto, skip_typescript)]
pub async fn capture_photo(photo_id: u32, file: web_sys::Blob, options: JsValue, on_stage: Option<js_sys::Function>) -> Result<JsValue, JsValue> {
    let options = JsPhotoOptions::from_value(&options)?;
    let mut on_stage = |stage: Stage| {
        if let Some(report) = &on_stage {
            let _ = report.call1(&JsValue::NULL, &JsValue::from_str(stage.as_str()));
        }
    };
    let backend = WebBackend::for_file(file);
    let (photo, captured) = capture_document(&backend, &options.photo_options(), options.mrz_step(), &mut on_stage).await.map_err(|error| photo_error(&error))?;
    keep(photo_id, photo);
    result_to_js(&captured)
}

/// Re-crops the kept photo `photoId` with corners the user moved (upright
/// photo pixels); `photo_released` when it is no longer kept.
#[wasm_bindgen(js_name = recropPhoto, skip_typescript)]
pub async fn recrop_photo(photo_id: u32, corners: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let corners: Quad = from_js_strict(&corners).ok_or_else(|| js_error::invalid_argument(ErrorCode::InvalidConfig, "the corners"))?;
    let options = JsPhotoOptions::from_value(&options)?;
    let photo = KEPT.with_borrow(|kept| kept.iter().find(|(id, _)| *id == photo_id).map(|(_, photo)| Rc::clone(photo)));
    let photo = photo.ok_or_else(|| JsErrorBuilder::new(ErrorCode::PhotoReleased, "this photo is no longer kept: take or pick it again").build())?;
    let captured = recrop(&WebBackend::for_recrop(), &photo, corners, &options.photo_options(), options.mrz_step()).await.map_err(|error| photo_error(&error))?;
    result_to_js(&captured)
}

/// Drops the photos kept for re-cropping (the person was sent).
#[wasm_bindgen(js_name = forgetPhotos, skip_typescript)]
pub fn forget_photos() {
    KEPT.with_borrow_mut(VecDeque::clear);
}

/// Runs every step once on a small photo made here, so the engine has
/// compiled the module's functions and the browser has set up its canvas and
/// JPEG encoder before the user's photo arrives (measured: the first photo
/// after a page load took about twice as long as the next). Never rejects:
/// a warm-up that fails only means a slower first photo.
#[wasm_bindgen(js_name = preparePhotoCapture, skip_typescript)]
pub async fn prepare_photo_capture() {
    let Some(jpeg) = warm_up_photo() else { return };
    // The 1/8-scale preview decoder, which only photos of 12 MP and up reach.
    if let Ok(preview) = jpeg_preview(&jpeg, &DecodeLimits::default()) {
        let _ = find_document_in_preview(&preview.image, preview.photo_width, preview.photo_height, &DecodeLimits::default());
    }
    let Ok(file) = blob_of(&jpeg) else { return };
    let backend = WebBackend::for_file(file);
    let _ = capture_document(&backend, &PhotoOptions::default(), MrzStep::Read { today: today() }, &mut |_| {}).await;
}

/// A 960 × 720 grey scene with a light card on it, as a JPEG.
fn warm_up_photo() -> Option<Vec<u8>> {
    let mut scene = RgbImage::new(960, 720);
    for y in 0..720 {
        for x in 0..960 {
            let card = (180..780).contains(&x) && (190..568).contains(&y);
            let colour = if card { [232, 228, 218] } else { [74, 79, 85] };
            let i = (y * 960 + x) * 3;
            scene.pixels[i..i + 3].copy_from_slice(&colour);
        }
    }
    encode_jpeg(&scene, 90).ok()
}

fn blob_of(bytes: &[u8]) -> Result<web_sys::Blob, JsValue> {
    let properties = web_sys::BlobPropertyBag::new();
    properties.set_type("image/jpeg");
    web_sys::Blob::new_with_u8_array_sequence_and_options(&js_sys::Array::of1(&js_sys::Uint8Array::from(bytes)), &properties)
}

fn result_to_js(captured: &CapturedDocument) -> Result<JsValue, JsValue> {
    let processed = &captured.processed;
    let (mrz, mrz_error) = match &captured.mrz {
        None => (None, None),
        Some(Ok((recognised, _))) => (Some(MrzFields::from(&recognised.reading)), None),
        Some(Err(error)) => (None, Some(error.code().as_str())),
    };
    let result = PhotoResult {
        width: processed.width,
        height: processed.height,
        bytes: processed.bytes,
        jpeg_quality: processed.jpeg_quality,
        shrunk_to_fit: processed.shrunk_to_fit,
        document_found: processed.document_found,
        confidence: processed.confidence,
        corners: &processed.corners,
        source_width: processed.source_width,
        source_height: processed.source_height,
        quality: QualityAdvice::from(&processed.quality),
        mrz,
        mrz_error,
    };
    let value = to_js(&result)?;
    js_sys::Reflect::set(&value, &JsValue::from_str("jpeg"), &js_sys::Uint8Array::from(processed.jpeg.as_slice()))?;
    if let Some(thumbnail) = &processed.thumbnail_jpeg {
        js_sys::Reflect::set(&value, &JsValue::from_str("thumbnail"), &js_sys::Uint8Array::from(thumbnail.as_slice()))?;
    }
    Ok(value)
}

fn photo_error(error: &PhotoError) -> JsValue {
    let builder = JsErrorBuilder::new(error.code(), &error.to_string());
    match error {
        PhotoError::TooLarge { width, height, limit } => builder.with("width", *width).with("height", *height).with("limit", *limit as f64).build(),
        _ => builder.build(),
    }
}

fn today() -> Date {
    Date::from_unix_seconds((browser::now_unix_ms() / 1000.0) as i64)
}

#[wasm_bindgen]
impl IdCapture {
    /// Processes a photo of an ID document off the main thread: upright, cropped,
    /// compressed JPEG without metadata (`jpeg: Blob`), corners for manual
    /// adjustment, quality advice, and the MRZ fields where the document has one.
    /// The result's `recrop(corners)` re-runs with adjusted corners on this same
    /// photo; the last two photos are kept for it, until the person is sent
    /// (`photo_released` after that). Fails with `capture_unavailable` when
    /// the worker cannot run or the capture was disposed.
    #[wasm_bindgen(js_name = processPhoto)]
    pub fn process_photo(&self, file: web_sys::Blob, options: Option<PhotoOptionsJs>) -> Result<ProcessedPhotoPromise, JsValue> {
        let options = options.map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        Ok(js_error::settled_by_snippet(process_photo_in_worker(&self.worker, &file, &options)).unchecked_into())
    }

    /// Gets photo processing ready before the user takes or picks a photo:
    /// starts the capture worker, loads the module there and runs every step
    /// once on a small photo it draws itself. Call it when the photo step is
    /// shown; `processPhoto` works without it, only its first call is slower.
    /// Resolves when ready, never rejects.
    #[wasm_bindgen(js_name = preparePhoto)]
    pub fn prepare_photo(&self) -> js_sys::Promise {
        prepare_photo_in_worker(&self.worker)
    }
}
