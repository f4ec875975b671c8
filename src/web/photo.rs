//! ID document photos at the boundary: `PhotoSession` holds one decoded,
//! upright photo inside the capture worker so the user can re-crop it without
//! decoding again; each run returns the budgeted JPEG (bytes stay on the
//! phone), the corners, quality advice, and the fields read from the MRZ.
//! `IdCapture.processPhoto` drives the worker (`js/photo.js`).

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::browser;
use super::capture::{from_js_strict, to_js, CaptureWorker, IdCapture};
use super::js_error::{self, JsErrorBuilder};
use crate::date::Date;
use crate::error::{Coded, ErrorCode};
use crate::mrz::{DocumentKind, MrzReading};
use crate::person::Person;
use crate::photo::decode::rgb_from_rgba;
use crate::photo::encode::{BudgetSearch, EncodedJpeg, HIGHEST_QUALITY};
use crate::photo::header::read_header;
use crate::photo::jpeg_preview::jpeg_preview;
use crate::photo::jpeg_segments::without_metadata;
use crate::photo::mrz_read::{read_mrz_after_crop, whole_photo_grey};
use crate::photo::exif::jpeg_with_normal_orientation;
use crate::photo::orient::apply_orientation;
use crate::photo::region::{crop_region, find_document_in_jpeg, find_document_in_preview, plan_region, preview_size, PhotoFrame};
use crate::photo::{
    user_corners, CroppedDocument, DecodeLimits, Detection, OrientedPhoto, Orientation, PhotoError, PhotoOptions, PixelView, ProcessedPhoto, Quad,
    QualityFlags, RgbImage, ScaledRegion,
};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "PhotoOptions")]
    pub type PhotoOptionsJs;
    #[wasm_bindgen(typescript_type = "PhotoCorners")]
    pub type PhotoCornersJs;
    #[wasm_bindgen(typescript_type = "ProcessedPhotoResult")]
    pub type ProcessedPhotoJs;
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
    fn from_js(options: Option<PhotoOptionsJs>) -> Result<JsPhotoOptions, JsValue> {
        match options.map(JsValue::from) {
            Some(options) if options.is_object() => {
                from_js_strict(&options).ok_or_else(|| js_error::invalid_argument(ErrorCode::InvalidConfig, "the photo options"))
            }
            _ => Ok(JsPhotoOptions::default()),
        }
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

/// One decoded, upright photo, kept for re-cropping (capture worker plumbing: not in the public types).
#[wasm_bindgen(skip_typescript)]
pub struct PhotoSession {
    photo: OrientedPhoto,
}

#[wasm_bindgen]
impl PhotoSession {
    /// From the file's bytes, decoded in Rust with the EXIF orientation applied once.
    #[wasm_bindgen(js_name = fromFile)]
    pub fn from_file(bytes: &[u8]) -> Result<PhotoSession, JsValue> {
        let photo = OrientedPhoto::from_file(bytes, &DecodeLimits::default()).map_err(|error| photo_error(&error))?;
        Ok(PhotoSession { photo })
    }

    /// Finds the document, crops, compresses, reads the MRZ.
    pub fn process(&self, options: Option<PhotoOptionsJs>) -> Result<ProcessedPhotoJs, JsValue> {
        let options = JsPhotoOptions::from_js(options)?;
        let processed = self.photo.process(&options.photo_options()).map_err(|error| photo_error(&error))?;
        result_to_js(&processed, &options, Some(self.photo.image()))
    }

    /// The same with corners the user adjusted (oriented-photo pixel coordinates).
    #[wasm_bindgen(js_name = processWithCorners)]
    pub fn process_with_corners(&self, corners: PhotoCornersJs, options: Option<PhotoOptionsJs>) -> Result<ProcessedPhotoJs, JsValue> {
        let corners: Quad = from_js_strict(&corners.into()).ok_or_else(|| js_error::invalid_argument(ErrorCode::InvalidConfig, "the corners"))?;
        let options = JsPhotoOptions::from_js(options)?;
        let processed = self.photo.process_with_corners(corners, &options.photo_options()).map_err(|error| photo_error(&error))?;
        result_to_js(&processed, &options, Some(self.photo.image()))
    }
}

// The browser path at the output's scale (`js/photo_pipeline.js` drives it):
// the browser decodes and scales, wasm sees a preview and the document's
// bounding box only, and the browser's JPEG encoder may do the encoding.

/// What the search found, as JavaScript names it (corners in photo coordinates).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct JsDetection {
    corners: Quad,
    document_found: bool,
    confidence: f32,
}

/// A part of the photo and the size to draw it at.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsRegion {
    x: u32,
    y: u32,
    width: u32,
    height: u32,
    drawn_width: u32,
    drawn_height: u32,
}

impl From<ScaledRegion> for JsRegion {
    fn from(r: ScaledRegion) -> Self {
        JsRegion { x: r.x, y: r.y, width: r.width, height: r.height, drawn_width: r.drawn_width, drawn_height: r.drawn_height }
    }
}

impl From<&JsRegion> for ScaledRegion {
    fn from(r: &JsRegion) -> Self {
        ScaledRegion { x: r.x, y: r.y, width: r.width, height: r.height, drawn_width: r.drawn_width, drawn_height: r.drawn_height }
    }
}

/// `[width, height]` of the preview to search a `width × height` photo on.
#[wasm_bindgen(js_name = photoPreviewSize, skip_typescript)]
pub fn photo_preview_size(width: u32, height: u32) -> Vec<u32> {
    let (w, h) = preview_size(width, height);
    vec![w, h]
}

/// Searches the preview (RGBA) of a `photoWidth × photoHeight` (upright)
/// photo: `{ corners, documentFound, confidence }`, corners in upright photo
/// coordinates. `storedAs`: the EXIF orientation (1–8) the bitmap the
/// preview was drawn from still needs (omitted: 1, the browser applied it).
#[wasm_bindgen(js_name = findPhotoDocument, skip_typescript)]
pub fn find_photo_document(
    preview_width: u32,
    preview_height: u32,
    rgba: &[u8],
    photo_width: u32,
    photo_height: u32,
    stored_as: Option<u16>,
) -> Result<JsValue, JsValue> {
    let limits = DecodeLimits::default();
    let frame = photo_frame(photo_width, photo_height, stored_as)?;
    let preview = rgb_from_rgba(preview_width, preview_height, rgba, &limits).map_err(|error| photo_error(&error))?;
    let preview = apply_orientation(preview, frame.stored_as);
    let found = find_document_in_preview(&preview, photo_width, photo_height, &limits).map_err(|error| photo_error(&error))?;
    to_js(&JsDetection { corners: found.corners, document_found: found.document_found, confidence: found.confidence })
}

/// The same search on the 1/8-scale preview read from a JPEG file's DC terms
/// (run while the browser decodes the photo): `{ corners, documentFound,
/// confidence, photoWidth, photoHeight }`, the size of the upright photo the
/// corners belong to; null when the file gives no such preview (not a JPEG,
/// too small, a variant we do not read: the page then draws one). Throws
/// `image_incomplete` when the file is cut short or its image data is damaged
/// (the browser's decode would fill the gap with grey and say nothing).
#[wasm_bindgen(js_name = findPhotoDocumentInJpeg, skip_typescript)]
pub fn find_photo_document_in_jpeg(bytes: &[u8]) -> Result<JsValue, JsValue> {
    let (found, photo_width, photo_height) = match find_document_in_jpeg(bytes, &DecodeLimits::default()) {
        Ok(Some(found)) => found,
        Err(error @ PhotoError::Incomplete { .. }) => return Err(photo_error(&error)),
        Ok(None) | Err(_) => return Ok(JsValue::NULL),
    };
    to_js(&JsJpegDetection { corners: found.corners, document_found: found.document_found, confidence: found.confidence, photo_width, photo_height })
}

/// Runs the JPEG preview decoder and the document search on any JPEG, even
/// one too small for `findPhotoDocumentInJpeg`, so the engine compiles them
/// during the capture worker's warm-up. Returns nothing and never throws.
#[wasm_bindgen(js_name = warmUpPhotoSearch, skip_typescript)]
pub fn warm_up_photo_search(bytes: &[u8]) {
    if let Ok(preview) = jpeg_preview(bytes, &DecodeLimits::default()) {
        let _ = find_document_in_preview(&preview.image, preview.photo_width, preview.photo_height, &DecodeLimits::default());
    }
}

/// A search of a JPEG's own preview, with the size of the photo it describes.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsJpegDetection {
    corners: Quad,
    document_found: bool,
    confidence: f32,
    photo_width: u32,
    photo_height: u32,
}

/// The part of the photo to draw for `corners`, and at which size:
/// `{ x, y, width, height, drawnWidth, drawnHeight }`.
/// Corners are upright; the region is in the bitmap's pixels (see `storedAs` above).
#[wasm_bindgen(js_name = planPhotoRegion, skip_typescript)]
pub fn plan_photo_region(
    corners: PhotoCornersJs,
    photo_width: u32,
    photo_height: u32,
    options: Option<PhotoOptionsJs>,
    stored_as: Option<u16>,
) -> Result<JsValue, JsValue> {
    let corners: Quad = from_js_strict(&corners.into()).ok_or_else(|| js_error::invalid_argument(ErrorCode::InvalidConfig, "the corners"))?;
    let options = JsPhotoOptions::from_js(options)?.photo_options();
    let frame = photo_frame(photo_width, photo_height, stored_as)?;
    let (bitmap_width, bitmap_height) = frame.stored_size();
    let region = plan_region(&frame.to_stored(&corners), bitmap_width, bitmap_height, options.max_edge).map_err(|error| photo_error(&error))?;
    to_js(&JsRegion::from(region))
}

/// Straightens the document from the drawn region (RGBA) with the search's
/// result (its corners are refined at this scale when it found the document).
#[wasm_bindgen(js_name = cropPhotoRegion, skip_typescript)]
pub fn crop_photo_region(
    detection: JsValue,
    region: JsValue,
    rgba: &[u8],
    photo_width: u32,
    photo_height: u32,
    options: Option<PhotoOptionsJs>,
    stored_as: Option<u16>,
) -> Result<PhotoCrop, JsValue> {
    let found: JsDetection = from_js_strict(&detection).ok_or_else(|| js_error::invalid_argument(ErrorCode::InvalidConfig, "the detection"))?;
    let detection = Detection { corners: found.corners, document_found: found.document_found, confidence: found.confidence };
    PhotoCrop::new(detection, found.document_found, &region, rgba, photo_frame(photo_width, photo_height, stored_as)?, options)
}

/// The same with corners the user adjusted (checked like `processWithCorners`, taken as they are).
#[wasm_bindgen(js_name = cropPhotoRegionWithCorners, skip_typescript)]
pub fn crop_photo_region_with_corners(
    corners: PhotoCornersJs,
    region: JsValue,
    rgba: &[u8],
    photo_width: u32,
    photo_height: u32,
    options: Option<PhotoOptionsJs>,
    stored_as: Option<u16>,
) -> Result<PhotoCrop, JsValue> {
    let corners: Quad = from_js_strict(&corners.into()).ok_or_else(|| js_error::invalid_argument(ErrorCode::InvalidConfig, "the corners"))?;
    let corners = user_corners(corners, photo_width, photo_height).map_err(|error| photo_error(&error))?;
    let detection = Detection { corners, document_found: true, confidence: 1.0 };
    PhotoCrop::new(detection, false, &region, rgba, photo_frame(photo_width, photo_height, stored_as)?, options)
}

/// The upright photo's size and how the bitmap stores it.
fn photo_frame(photo_width: u32, photo_height: u32, stored_as: Option<u16>) -> Result<PhotoFrame, JsValue> {
    let stored_as = match stored_as {
        None => Orientation::Normal,
        Some(value) => Orientation::from_exif(value).ok_or_else(|| js_error::invalid_argument(ErrorCode::InvalidConfig, "the stored orientation"))?,
    };
    Ok(PhotoFrame { width: photo_width, height: photo_height, stored_as })
}

/// The head of a JPEG file (its first bytes, holding the EXIF segment)
/// rewritten to say the pixels are stored upright, and the orientation it
/// said: `{ head, orientation }`, or null when it says nothing to undo. A
/// browser then decodes the pixels as stored, which the page draws regions
/// from about twice as fast as from a rotated bitmap (measured: 39 against
/// 78 ms, and 17 ms less decoding, for a 12 MP photo of orientation 6).
#[wasm_bindgen(js_name = jpegHeadAsStored, skip_typescript)]
pub fn jpeg_head_as_stored(head: &[u8]) -> Result<JsValue, JsValue> {
    let Some((rewritten, orientation)) = jpeg_with_normal_orientation(head) else {
        return Ok(JsValue::NULL);
    };
    let value = js_sys::Object::new();
    js_sys::Reflect::set(&value, &JsValue::from_str("head"), &js_sys::Uint8Array::from(rewritten.as_slice()))?;
    js_sys::Reflect::set(&value, &JsValue::from_str("orientation"), &JsValue::from(orientation.exif_value()))?;
    Ok(value.into())
}

/// The straightened document waiting for its JPEG: from the browser's encoder
/// (`nextJpegQuality` / `offerJpeg`, the same budget search as ours, each
/// offer stripped of metadata and checked), or from ours in `finish` when no
/// offer fitted. Capture worker plumbing: not in the public types.
#[wasm_bindgen(skip_typescript)]
pub struct PhotoCrop {
    cropped: CroppedDocument,
    options: JsPhotoOptions,
    search: BudgetSearch,
    best_jpeg: Option<(u8, Vec<u8>)>,
    /// An offer was not a clean JPEG of this crop: stop asking the browser.
    offers_refused: bool,
    /// The crop as RGBA once the page asked for it (`rgbaView`).
    rgba: Option<Vec<u8>>,
}

/// Opaque RGBA from RGB. An index loop: at opt-level "s" a per-pixel
/// `copy_from_slice` is a `memcpy` call and `chunks_exact` steps are calls too
/// (~20 ms at 1600 px, against 4).
fn rgba_from_rgb(rgb: &[u8]) -> Vec<u8> {
    let count = rgb.len() / 3;
    let mut rgba = vec![255u8; count * 4];
    for i in 0..count {
        rgba[4 * i] = rgb[3 * i];
        rgba[4 * i + 1] = rgb[3 * i + 1];
        rgba[4 * i + 2] = rgb[3 * i + 2];
    }
    rgba
}

impl PhotoCrop {
    fn new(detection: Detection, refine: bool, region: &JsValue, rgba: &[u8], frame: PhotoFrame, options: Option<PhotoOptionsJs>) -> Result<PhotoCrop, JsValue> {
        let options = JsPhotoOptions::from_js(options)?;
        let photo_options = options.photo_options();
        photo_options.validate().map_err(|error| photo_error(&error))?;
        let (photo_width, photo_height) = (frame.width, frame.height);
        photo_options.limits.check(photo_width, photo_height).map_err(|error| photo_error(&error))?;
        let region: JsRegion = from_js_strict(region).ok_or_else(|| js_error::invalid_argument(ErrorCode::InvalidConfig, "the region"))?;
        let region = ScaledRegion::from(&region);
        photo_options.limits.check(region.drawn_width, region.drawn_height).map_err(|error| photo_error(&error))?;
        // Read as RGBA where it lies: converting 2–3 MP to RGB first cost ~20 ms in Chromium.
        let drawn = PixelView::new(region.drawn_width, region.drawn_height, 4, rgba).ok_or_else(|| {
            let expected = region.drawn_width as u64 * region.drawn_height as u64 * 4;
            photo_error(&PhotoError::PixelBufferSize { expected, actual: rgba.len() as u64 })
        })?;
        let (crop, corners) = crop_region(drawn, &region, &detection.corners, frame, refine, photo_options.max_edge).map_err(|error| photo_error(&error))?;
        let cropped = CroppedDocument::new(crop, Detection { corners, ..detection }, photo_width, photo_height);
        // Browsers encode with 4:2:0 chroma subsampling: about half our size at
        // the same quality, so a 1600 px document usually fits at the top one.
        let search = BudgetSearch::starting_at(photo_options.max_bytes, HIGHEST_QUALITY);
        Ok(PhotoCrop { cropped, options, search, best_jpeg: None, offers_refused: false, rgba: None })
    }
}

#[wasm_bindgen]
impl PhotoCrop {
    #[wasm_bindgen(getter)]
    pub fn width(&self) -> u32 {
        self.cropped.crop.width
    }

    #[wasm_bindgen(getter)]
    pub fn height(&self) -> u32 {
        self.cropped.crop.height
    }

    /// The crop as RGBA, for `ImageData` and the browser's encoder: a view
    /// of the module's memory, made once per crop and freed with it. Use it
    /// at once (`putImageData` copies it): any later call into the module may
    /// move that memory. A copy into a new array cost the page 10 ms at 1600 px.
    #[wasm_bindgen(js_name = rgbaView)]
    pub fn rgba_view(&mut self) -> js_sys::Uint8Array {
        let crop = &self.cropped.crop;
        let rgba = self.rgba.get_or_insert_with(|| rgba_from_rgb(&crop.pixels));
        // SAFETY: the view is of a buffer this crop owns; the caller uses it
        // before calling into the module again (documented above).
        unsafe { js_sys::Uint8Array::view(rgba) }
    }

    /// The JPEG quality (1–100) to encode at next, or undefined when done.
    #[wasm_bindgen(js_name = nextJpegQuality)]
    pub fn next_jpeg_quality(&self) -> Option<u8> {
        if self.offers_refused { None } else { self.search.next_quality() }
    }

    /// One encoding of `rgba()` at `quality`; kept (without its metadata
    /// segments) when it is the best that fits. False when it was refused.
    #[wasm_bindgen(js_name = offerJpeg)]
    pub fn offer_jpeg(&mut self, quality: u8, jpeg: &[u8]) -> bool {
        let Some(clean) = without_metadata(jpeg, self.cropped.crop.width, self.cropped.crop.height) else {
            self.offers_refused = true;
            return false;
        };
        if self.search.record(quality, clean.len()) {
            self.best_jpeg = Some((quality, clean));
        }
        true
    }

    /// The result (as `PhotoSession.process` gives it), with the best offered
    /// JPEG, or encoded by us (shrinking if need be) when none fitted.
    pub fn finish(&self) -> Result<ProcessedPhotoJs, JsValue> {
        let photo_options = self.options.photo_options();
        let processed = match &self.best_jpeg {
            Some((quality, bytes)) if bytes.len() <= photo_options.max_bytes => {
                let encoded = EncodedJpeg { bytes: bytes.clone(), width: self.cropped.crop.width, height: self.cropped.crop.height, quality: *quality, shrunk_to_fit: false };
                self.cropped.with_jpeg(encoded, &photo_options)
            }
            _ => self.cropped.encode(&photo_options),
        };
        // The browser path holds only the drawn region, not the whole photo: no fallback here.
        result_to_js(&processed.map_err(|error| photo_error(&error))?, &self.options, None)
    }
}

/// Checks a file's header before any decoder sees it: a decompression bomb,
/// an unsupported format (HEIC, ...) or a truncated header is refused at once.
#[wasm_bindgen(js_name = checkPhotoHeader, skip_typescript)]
pub fn check_photo_header(bytes: &[u8]) -> Result<(), JsValue> {
    let header = read_header(bytes).map_err(|error| photo_error(&error))?;
    DecodeLimits::default().check(header.width, header.height).map_err(|error| photo_error(&error))
}

/// `whole_photo`: the upright photo, read when the crop gives no MRZ reading.
fn result_to_js(processed: &ProcessedPhoto, options: &JsPhotoOptions, whole_photo: Option<&RgbImage>) -> Result<ProcessedPhotoJs, JsValue> {
    let (mrz, mrz_error) = if options.skip_mrz {
        (None, None)
    } else {
        let whole = whole_photo.map(|photo| move || Some(whole_photo_grey(photo)));
        let whole = whole.as_ref().map(|make| make as &dyn Fn() -> Option<crate::photo::GreyImage>);
        match read_mrz_after_crop(&processed.grey_for_reading, whole, today()) {
            Ok((recognised, _)) => (Some(MrzFields::from(&recognised.reading)), None),
            Err(error) => (None, Some(error.code().as_str())),
        }
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
    let jpeg = js_sys::Uint8Array::from(processed.jpeg.as_slice());
    js_sys::Reflect::set(&value, &JsValue::from_str("jpeg"), &jpeg)?;
    if let Some(thumbnail) = &processed.thumbnail_jpeg {
        js_sys::Reflect::set(&value, &JsValue::from_str("thumbnail"), &js_sys::Uint8Array::from(thumbnail.as_slice()))?;
    }
    Ok(value.unchecked_into())
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
