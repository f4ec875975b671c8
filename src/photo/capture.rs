//! The one capture pipeline for an ID-document photo, run by the page's
//! capture worker (over the browser's backend in `src/web`), the examples,
//! the native tests and the fuzzer (over [`NativeBackend`]): their figures
//! are the page's figures.
//!
//! Steps: check the header → start decoding → search the document on the
//! JPEG's own 1/8-scale preview meanwhile (photos of 12 MP and up), else on
//! a ~512 px preview the backend draws → draw the document's region at about
//! the output size → refine the corners there and warp upright → assess →
//! encode to the byte budget (the backend's encoder, then ours) → read the
//! MRZ on the crop, then on the whole photo. The decoded photo is kept
//! ([`KeptPhoto`]) so the user's corners can re-crop it ([`recrop`]).

use id_capture_contract::date::Date;

use super::backend::{run_ready, ImageBackend, NativeBackend};
use super::encode::{BudgetSearch, EncodedJpeg, HIGHEST_QUALITY};
use super::exif::orientation_of_file;
use super::header::read_header;
use super::jpeg_segments::without_metadata;
use super::mrz_read::{read_whole_photo_after, MrzSource, WHOLE_PHOTO_LONG_EDGE};
use super::orient::apply_orientation;
use super::region::{crop_region, find_document_in_jpeg, find_document_in_preview, plan_region, preview_size, PhotoFrame};
use super::resize::fit_within;
use super::{user_corners, CroppedDocument, Detection, GreyImage, PhotoError, PhotoOptions, ProcessedPhoto, RgbImage, ScaledRegion, Stage};
use crate::mrz::{recognise_mrz, MrzError, RecognisedMrz};

/// A decoded photo kept for re-cropping: the backend's bitmap and how it
/// relates to the upright photo the corners are given in.
pub struct KeptPhoto<B> {
    pub bitmap: B,
    pub frame: PhotoFrame,
}

impl KeptPhoto<RgbImage> {
    /// Pixels already decoded (e.g. a browser's `ImageData`) that still need `stored_as`.
    pub fn from_pixels(image: RgbImage, stored_as: super::Orientation) -> KeptPhoto<RgbImage> {
        let frame = frame_of(image.width, image.height, stored_as);
        KeptPhoto { bitmap: image, frame }
    }
}

/// The upright photo's frame for a bitmap of `width × height` that still needs `stored_as`.
fn frame_of(width: u32, height: u32, stored_as: super::Orientation) -> PhotoFrame {
    let (width, height) = if stored_as.swaps_axes() { (height, width) } else { (width, height) };
    PhotoFrame { width, height, stored_as }
}

/// What one run gives: the budgeted JPEG with its corners and advice, and
/// the MRZ reading when one was asked for.
pub struct CapturedDocument {
    pub processed: ProcessedPhoto,
    /// `None` when the caller skipped the MRZ (e.g. a driving licence).
    pub mrz: Option<Result<(RecognisedMrz, MrzSource), MrzError>>,
}

/// Whether and on which day (for the date checks) to read the MRZ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MrzStep {
    Skip,
    Read { today: Date },
}

/// Bytes of the file's head read first: its EXIF segment and, nearly
/// always, every header segment.
pub const HEAD_BYTES: usize = 128 * 1024;

/// The whole pipeline on the backend's photo file. `on_stage` marks the end of each step.
pub async fn capture_document<B: ImageBackend>(
    backend: &B,
    options: &PhotoOptions,
    mrz: MrzStep,
    on_stage: &mut dyn FnMut(Stage),
) -> Result<(KeptPhoto<B::Bitmap>, CapturedDocument), PhotoError> {
    options.validate()?;
    let head = backend.read_head(HEAD_BYTES).await?;
    // A bomb, an unsupported format or a cut header is refused before any
    // decoder sees the file; a header longer than the head is checked whole below.
    let header_in_head = match check_header(&head, options) {
        Err(PhotoError::Incomplete { .. }) if head.len() == HEAD_BYTES => false,
        checked => checked.map(|_| true)?,
    };
    let decoding = backend.decode(&head, orientation_of_file(&head), &options.limits);
    // Reading the file lets a browser's decode, started above, read it too.
    let file = backend.read_file().await?;
    if !header_in_head {
        check_header(&file, options)?;
    }
    // Runs while a browser decodes on its own thread. A cut or damaged file is
    // named here (a browser would fill the gap with grey and say nothing).
    let file_search = match find_document_in_jpeg(&file, &options.limits) {
        Err(error @ PhotoError::Incomplete { .. }) => return Err(error),
        Ok(found) => found,
        Err(_) => None,
    };
    drop(file);
    let decoded = decoding.await?;
    on_stage(Stage::Decoded);
    let (width, height) = B::size(&decoded.bitmap);
    let photo = KeptPhoto { frame: frame_of(width, height, decoded.needs), bitmap: decoded.bitmap };
    // The file's preview describes the upright photo; used when the bitmap is that photo.
    let found = file_search.filter(|(_, w, h)| (*w, *h) == (photo.frame.width, photo.frame.height)).map(|(found, _, _)| found);
    let captured = capture_kept(backend, &photo, found, options, mrz, on_stage).await?;
    Ok((photo, captured))
}

/// Decodes the backend's file to crop at corners given from elsewhere (no search).
pub async fn decode_kept<B: ImageBackend>(backend: &B, options: &PhotoOptions) -> Result<KeptPhoto<B::Bitmap>, PhotoError> {
    options.validate()?;
    let file = backend.read_file().await?;
    check_header(&file, options)?;
    let decoded = backend.decode(&file, orientation_of_file(&file), &options.limits).await?;
    let (width, height) = B::size(&decoded.bitmap);
    Ok(KeptPhoto { frame: frame_of(width, height, decoded.needs), bitmap: decoded.bitmap })
}

fn check_header(bytes: &[u8], options: &PhotoOptions) -> Result<(), PhotoError> {
    let header = read_header(bytes)?;
    options.limits.check(header.width, header.height)
}

/// The pipeline on a photo already decoded: `found` is a search already made
/// (on the file's own preview), else the backend draws a preview to search.
pub async fn capture_kept<B: ImageBackend>(
    backend: &B,
    photo: &KeptPhoto<B::Bitmap>,
    found: Option<Detection>,
    options: &PhotoOptions,
    mrz: MrzStep,
    on_stage: &mut dyn FnMut(Stage),
) -> Result<CapturedDocument, PhotoError> {
    options.validate()?;
    options.limits.check(photo.frame.width, photo.frame.height)?;
    let detection = match found {
        Some(found) => found,
        None => search_preview(backend, photo, options).await?,
    };
    on_stage(Stage::DocumentSearched);
    // Corners from a preview are refined at the region's finer scale.
    let refine = detection.document_found;
    crop_and_finish(backend, photo, detection, refine, options, mrz, on_stage).await
}

/// Re-crops a kept photo with corners the user placed (top-left, top-right,
/// bottom-right, bottom-left, upright photo pixels), taken as they are.
pub async fn recrop<B: ImageBackend>(backend: &B, photo: &KeptPhoto<B::Bitmap>, corners: super::Quad, options: &PhotoOptions, mrz: MrzStep) -> Result<CapturedDocument, PhotoError> {
    options.validate()?;
    let corners = user_corners(corners, photo.frame.width, photo.frame.height)?;
    let detection = Detection { corners, document_found: true, confidence: 1.0 };
    crop_and_finish(backend, photo, detection, false, options, mrz, &mut |_| {}).await
}

/// The search on a ~512 px preview of the whole photo, drawn by the backend.
async fn search_preview<B: ImageBackend>(backend: &B, photo: &KeptPhoto<B::Bitmap>, options: &PhotoOptions) -> Result<Detection, PhotoError> {
    let (width, height) = B::size(&photo.bitmap);
    let (preview_width, preview_height) = preview_size(width, height);
    let whole = ScaledRegion { x: 0, y: 0, width, height, drawn_width: preview_width, drawn_height: preview_height };
    let preview = apply_orientation(backend.draw(&photo.bitmap, &whole).await?.into_rgb(), photo.frame.stored_as);
    find_document_in_preview(&preview, photo.frame.width, photo.frame.height, &options.limits)
}

async fn crop_and_finish<B: ImageBackend>(
    backend: &B,
    photo: &KeptPhoto<B::Bitmap>,
    detection: Detection,
    refine: bool,
    options: &PhotoOptions,
    mrz: MrzStep,
    on_stage: &mut dyn FnMut(Stage),
) -> Result<CapturedDocument, PhotoError> {
    let frame = photo.frame;
    let (stored_width, stored_height) = frame.stored_size();
    // The region is in the bitmap's pixels; the warp turns the document upright.
    let region = plan_region(&frame.to_stored(&detection.corners), stored_width, stored_height, options.max_edge)?;
    options.limits.check(region.drawn_width, region.drawn_height)?;
    let drawn = backend.draw(&photo.bitmap, &region).await?;
    let view = drawn.view().ok_or(PhotoError::PixelBufferSize {
        expected: region.drawn_width as u64 * region.drawn_height as u64 * drawn.channels as u64,
        actual: drawn.pixels.len() as u64,
    })?;
    let (crop, corners) = crop_region(view, &region, &detection.corners, frame, refine, options.max_edge)?;
    drop(drawn);
    on_stage(Stage::Cropped);
    let cropped = CroppedDocument::new(crop, Detection { corners, ..detection }, frame.width, frame.height);
    on_stage(Stage::Assessed);
    let processed = match encode_to_budget(backend, &cropped.crop, options.max_bytes).await {
        Some(encoded) => cropped.with_jpeg(encoded, options)?,
        // No backend encoding fitted (or none offered): ours, shrinking if need be.
        None => cropped.encode(options)?,
    };
    on_stage(Stage::Encoded);
    let mrz = match mrz {
        MrzStep::Skip => None,
        MrzStep::Read { today } => Some(read_mrz(backend, photo, &processed, today).await),
    };
    if mrz.is_some() {
        on_stage(Stage::MrzRead);
    }
    Ok(CapturedDocument { processed, mrz })
}

/// The best of the backend's encodings within `max_bytes`: the budget search
/// asks for qualities, each answer is stripped of metadata and checked to be a
/// JPEG of this crop; one that is not stops the search. `None` when nothing fitted.
async fn encode_to_budget<B: ImageBackend>(backend: &B, crop: &RgbImage, max_bytes: usize) -> Option<EncodedJpeg> {
    // Browsers encode with 4:2:0 chroma subsampling: about half our size at the
    // same quality, so a 1600 px document usually fits at the top quality.
    let mut search = BudgetSearch::starting_at(max_bytes, HIGHEST_QUALITY);
    let mut best: Option<(u8, Vec<u8>)> = None;
    while let Some(quality) = search.next_quality() {
        let Some(jpeg) = backend.encode_jpeg(crop, quality).await else { break };
        let Some(clean) = without_metadata(&jpeg, crop.width, crop.height) else { break };
        if search.record(quality, clean.len()) {
            best = Some((quality, clean));
        }
    }
    let (quality, bytes) = best.filter(|(_, bytes)| bytes.len() <= max_bytes)?;
    Some(EncodedJpeg { bytes, width: crop.width, height: crop.height, quality, shrunk_to_fit: false })
}

/// The MRZ of the crop; when it gives none and no document was found (the
/// centre crop may have cut the MRZ off), of the whole photo drawn at most
/// [`WHOLE_PHOTO_LONG_EDGE`] long. On `mrz-photos-b` the whole photo read
/// only where no document was found (2 of 60); on a found card without an
/// MRZ it cost about 450 ms in Chromium for nothing.
async fn read_mrz<B: ImageBackend>(backend: &B, photo: &KeptPhoto<B::Bitmap>, processed: &ProcessedPhoto, today: Date) -> Result<(RecognisedMrz, MrzSource), MrzError> {
    let crop = &processed.grey_for_reading;
    let crop_error = match recognise_mrz(crop.width as u32, crop.height as u32, &crop.pixels, today) {
        Ok(found) => return Ok((found, MrzSource::Crop)),
        Err(error) => error,
    };
    if processed.document_found {
        return Err(crop_error);
    }
    match whole_photo_grey(backend, photo).await {
        Ok(whole) => read_whole_photo_after(crop_error, &whole, today),
        Err(_) => Err(crop_error),
    }
}

async fn whole_photo_grey<B: ImageBackend>(backend: &B, photo: &KeptPhoto<B::Bitmap>) -> Result<GreyImage, PhotoError> {
    let (width, height) = B::size(&photo.bitmap);
    let (drawn_width, drawn_height) = fit_within(width, height, WHOLE_PHOTO_LONG_EDGE);
    let whole = ScaledRegion { x: 0, y: 0, width, height, drawn_width, drawn_height };
    Ok(apply_orientation(backend.draw(&photo.bitmap, &whole).await?.into_rgb(), photo.frame.stored_as).to_grey())
}

/// [`capture_document`] over [`NativeBackend`], as a plain function.
pub fn capture_natively(file: &[u8], options: &PhotoOptions, mrz: MrzStep) -> Result<(KeptPhoto<RgbImage>, CapturedDocument), PhotoError> {
    run_ready(capture_document(&NativeBackend::for_file(file), options, mrz, &mut |_| {}))
}

#[cfg(test)]
mod tests {
    use std::future::Future;

    use super::*;
    use crate::photo::backend::{Decoded, DrawnPixels};
    use crate::photo::decode::DecodeLimits;
    use crate::photo::encode::encode_jpeg;
    use crate::photo::jpeg_segments::all_markers;
    use crate::photo::Orientation;

    /// Our backend with another encoder: one that adds metadata segments as
    /// a browser's may, or one that answers with something else (PNG).
    struct OtherEncoder {
        native: NativeBackend<'static>,
        answer: fn(&RgbImage, u8) -> Vec<u8>,
    }

    impl ImageBackend for OtherEncoder {
        type Bitmap = RgbImage;
        fn read_head(&self, len: usize) -> impl Future<Output = Result<Vec<u8>, PhotoError>> + '_ {
            self.native.read_head(len)
        }
        fn read_file(&self) -> impl Future<Output = Result<Vec<u8>, PhotoError>> + '_ {
            self.native.read_file()
        }
        fn decode<'a>(&'a self, head: &'a [u8], orientation: Orientation, limits: &'a DecodeLimits) -> impl Future<Output = Result<Decoded<RgbImage>, PhotoError>> + 'a {
            self.native.decode(head, orientation, limits)
        }
        fn size(bitmap: &RgbImage) -> (u32, u32) {
            NativeBackend::size(bitmap)
        }
        fn draw<'a>(&'a self, bitmap: &'a RgbImage, region: &'a ScaledRegion) -> impl Future<Output = Result<DrawnPixels, PhotoError>> + 'a {
            self.native.draw(bitmap, region)
        }
        fn encode_jpeg<'a>(&'a self, image: &'a RgbImage, quality: u8) -> impl Future<Output = Option<Vec<u8>>> + 'a {
            async move { Some((self.answer)(image, quality)) }
        }
    }

    fn with_metadata(image: &RgbImage, quality: u8) -> Vec<u8> {
        let clean = encode_jpeg(image, quality).unwrap();
        let mut jpeg = clean[..2].to_vec();
        jpeg.extend_from_slice(&[0xFF, 0xE1, 0, 8, b'E', b'x', b'i', b'f', 0, 0]);
        jpeg.extend_from_slice(&[0xFF, 0xE2, 0, 4, 1, 2]);
        jpeg.extend_from_slice(&clean[2..]);
        jpeg
    }

    fn grey_photo() -> &'static [u8] {
        static PHOTO: std::sync::LazyLock<Vec<u8>> = std::sync::LazyLock::new(|| encode_jpeg(&RgbImage { width: 1200, height: 900, pixels: vec![128; 1200 * 900 * 3] }, 85).unwrap());
        &PHOTO
    }

    fn markers(jpeg: &[u8]) -> Vec<u8> {
        all_markers(jpeg).unwrap().iter().map(|segment| segment.marker).collect()
    }

    #[test]
    fn a_backend_encoding_is_kept_without_its_metadata_segments() {
        let backend = OtherEncoder { native: NativeBackend::for_file(grey_photo()), answer: with_metadata };
        let (_, captured) = run_ready(capture_document(&backend, &PhotoOptions::default(), MrzStep::Skip, &mut |_| {})).unwrap();
        let processed = captured.processed;
        assert_eq!(processed.jpeg_quality, HIGHEST_QUALITY, "a small grey crop fits at the first quality asked");
        let expected = encode_jpeg(&RgbImage { width: processed.width, height: processed.height, pixels: vec![128; (processed.width * processed.height * 3) as usize] }, HIGHEST_QUALITY).unwrap();
        assert_eq!(processed.jpeg, expected, "the backend's encoding, metadata segments removed");
        assert!(!markers(&processed.jpeg).iter().any(|m| (0xE1..=0xEF).contains(m) || *m == 0xFE));
        assert!(!processed.document_found, "a plain photo has no document: the centre crop");
    }

    #[test]
    fn an_answer_that_is_not_a_jpeg_of_the_crop_stops_the_search_and_ours_encodes() {
        let backend = OtherEncoder { native: NativeBackend::for_file(grey_photo()), answer: |_, _| b"\x89PNG not a jpeg".to_vec() };
        let (_, captured) = run_ready(capture_document(&backend, &PhotoOptions::default(), MrzStep::Skip, &mut |_| {})).unwrap();
        let ours = capture_natively(grey_photo(), &PhotoOptions::default(), MrzStep::Skip).unwrap().1;
        assert_eq!(captured.processed.jpeg.len(), ours.processed.jpeg.len());
        assert!(markers(&captured.processed.jpeg).contains(&0xDA));
    }

    #[test]
    fn every_step_is_reported_in_order() {
        let mut stages = Vec::new();
        run_ready(capture_document(&NativeBackend::for_file(grey_photo()), &PhotoOptions::default(), MrzStep::Read { today: Date::new(2026, 11, 30).unwrap() }, &mut |stage| stages.push(stage))).unwrap();
        assert_eq!(stages, [Stage::Decoded, Stage::DocumentSearched, Stage::Cropped, Stage::Assessed, Stage::Encoded, Stage::MrzRead]);
    }

    #[test]
    fn a_kept_photo_recrops_at_the_users_corners_and_refuses_bad_ones() {
        let (kept, _) = capture_natively(grey_photo(), &PhotoOptions::default(), MrzStep::Skip).unwrap();
        let corners = [(100.0, 100.0), (1000.0, 120.0), (980.0, 800.0), (120.0, 780.0)].map(|(x, y)| super::super::Point::new(x, y));
        let recropped = run_ready(recrop(&NativeBackend::without_file(), &kept, corners, &PhotoOptions::default(), MrzStep::Skip)).unwrap();
        assert_eq!(recropped.processed.corners, corners);
        let crossed = [corners[0], corners[2], corners[1], corners[3]];
        assert!(matches!(run_ready(recrop(&NativeBackend::without_file(), &kept, crossed, &PhotoOptions::default(), MrzStep::Skip)), Err(PhotoError::InvalidCorners)));
    }
}
