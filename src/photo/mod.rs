//! ID-document photo: bytes (or browser pixels) → upright, cropped,
//! size-budgeted JPEG with no metadata, plus retake advice and the greyscale
//! crop the MRZ reader takes.
//!
//! One pipeline, [`capture`], over an [`backend::ImageBackend`] (ours here,
//! the browser's in `src/web`): [`decode`] (header-checked limits) →
//! [`document`] search on a preview ([`region`]) → [`warp`] of the region
//! drawn at output scale, upright per the EXIF ([`exif`], [`orient`]) →
//! [`quality`] → [`encode`] (quality search to the byte budget) → MRZ
//! ([`mrz_read`]). Its [`capture::KeptPhoto`] re-crops with corners the user
//! adjusted without decoding again.

pub mod backend;
pub mod capture;
pub mod decode;
pub mod document;
pub mod encode;
pub mod error;
pub mod exif;
pub mod geometry;
pub mod header;
pub mod jpeg_preview;
pub mod jpeg_segments;
pub mod mrz_read;
pub mod orient;
pub mod quality;
pub mod raster;
pub mod region;
pub mod resize;
pub mod warp;

use serde::{Deserialize, Serialize};

pub use decode::DecodeLimits;
pub use document::Detection;
pub use error::PhotoError;
pub use geometry::{Point, Quad};
pub use orient::Orientation;
pub use quality::{QualityFlags, QualityMeasures};
pub use raster::{GreyImage, PixelView, RgbImage};
pub use region::ScaledRegion;

use geometry::{is_convex, quad_area, quad_side_lengths};

/// What the caller may tune; every field has a default (serde too).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PhotoOptions {
    /// Long edge of the output in pixels; the crop is never enlarged.
    pub max_edge: u32,
    /// Upper bound on the output JPEG's size.
    pub max_bytes: usize,
    /// Also make a small preview JPEG with this long edge.
    pub thumbnail_max_edge: Option<u32>,
    pub thumbnail_quality: u8,
    pub limits: DecodeLimits,
}

impl Default for PhotoOptions {
    fn default() -> Self {
        PhotoOptions {
            max_edge: 1600,
            max_bytes: 300_000,
            thumbnail_max_edge: None,
            thumbnail_quality: 75,
            limits: DecodeLimits::default(),
        }
    }
}

impl PhotoOptions {
    pub fn validate(&self) -> Result<(), PhotoError> {
        if !(32..=8192).contains(&self.max_edge) {
            return Err(PhotoError::InvalidOptions { reason: "max_edge must be 32 to 8192" });
        }
        if self.max_bytes == 0 {
            return Err(PhotoError::InvalidOptions { reason: "max_bytes must be positive" });
        }
        if self.thumbnail_max_edge.is_some_and(|edge| !(16..=2048).contains(&edge)) {
            return Err(PhotoError::InvalidOptions { reason: "thumbnail_max_edge must be 16 to 2048" });
        }
        Ok(())
    }
}

/// The result. Serialising it gives the metadata for JavaScript; the pixel
/// and JPEG buffers are skipped and handed over separately.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProcessedPhoto {
    #[serde(skip)]
    pub jpeg: Vec<u8>,
    #[serde(skip)]
    pub thumbnail_jpeg: Option<Vec<u8>>,
    /// The upright crop in greyscale at output size, before JPEG loss: for the MRZ reader.
    #[serde(skip)]
    pub grey_for_reading: GreyImage,
    pub width: u32,
    pub height: u32,
    pub bytes: usize,
    pub jpeg_quality: u8,
    pub shrunk_to_fit: bool,
    pub document_found: bool,
    pub confidence: f32,
    /// Top-left, top-right, bottom-right, bottom-left of the crop in the
    /// oriented photo (as displayed), for manual adjustment.
    pub corners: Quad,
    /// Size of the oriented photo the corners refer to.
    pub source_width: u32,
    pub source_height: u32,
    pub quality: QualityFlags,
}

/// Pipeline steps, reported as each completes (progress display, timing).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Decoded,
    DocumentSearched,
    Cropped,
    Assessed,
    Encoded,
    MrzRead,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Decoded => "decoded",
            Stage::DocumentSearched => "document_searched",
            Stage::Cropped => "cropped",
            Stage::Assessed => "assessed",
            Stage::Encoded => "encoded",
            Stage::MrzRead => "mrz_read",
        }
    }
}

/// A decoded photo as displayed (EXIF orientation applied exactly once), for
/// analyses of the whole upright photo (the finder surveys); the capture
/// pipeline keeps its own [`capture::KeptPhoto`].
#[derive(Clone, Debug, PartialEq)]
pub struct OrientedPhoto {
    image: RgbImage,
}

impl OrientedPhoto {
    pub fn from_file(bytes: &[u8], limits: &DecodeLimits) -> Result<OrientedPhoto, PhotoError> {
        let stored = decode::decode_file(bytes, limits)?;
        Ok(OrientedPhoto { image: orient::apply_orientation(stored, exif::orientation_of_file(bytes)) })
    }

    pub fn image(&self) -> &RgbImage {
        &self.image
    }

    /// The finder on the whole photo at full size (the pipeline searches a preview).
    pub fn find_document(&self) -> Detection {
        document::find_document(&self.image)
    }
}

/// Corners a user placed, checked (inside the photo, convex, of useful size)
/// and clamped to the photo.
pub fn user_corners(corners: Quad, photo_width: u32, photo_height: u32) -> Result<Quad, PhotoError> {
    let (w, h) = (photo_width as f32, photo_height as f32);
    let inside = corners.iter().all(|p| p.x.is_finite() && p.y.is_finite() && p.x >= -1.0 && p.y >= -1.0 && p.x <= w + 1.0 && p.y <= h + 1.0);
    if !inside || !is_convex(&corners) || quad_area(&corners) < 64.0 * 64.0 {
        return Err(PhotoError::InvalidCorners);
    }
    Ok(corners.map(|p| Point::new(p.x.clamp(0.0, w), p.y.clamp(0.0, h))))
}

/// The straightened document and its quality advice, before encoding: both
/// paths meet here. The pure-Rust path encodes with [`CroppedDocument::encode`];
/// the browser path may bring a JPEG from the browser's own encoder
/// ([`CroppedDocument::with_jpeg`]).
#[derive(Clone, Debug, PartialEq)]
pub struct CroppedDocument {
    pub crop: RgbImage,
    pub detection: Detection,
    /// Size of the oriented photo the corners refer to.
    pub photo_width: u32,
    pub photo_height: u32,
    pub quality: QualityFlags,
    /// The crop in greyscale: measured for the advice, then read by the MRZ reader.
    pub grey: GreyImage,
}

impl CroppedDocument {
    pub fn new(crop: RgbImage, detection: Detection, photo_width: u32, photo_height: u32) -> CroppedDocument {
        let grey = crop.to_grey();
        let quality = quality::assess_quality(&crop, &grey, &detection.corners, photo_width, photo_height, detection.document_found);
        CroppedDocument { crop, detection, photo_width, photo_height, quality, grey }
    }

    /// Encodes with our own encoder to the byte budget.
    pub fn encode(&self, options: &PhotoOptions) -> Result<ProcessedPhoto, PhotoError> {
        options.validate()?;
        let encoded = encode::encode_within_budget(&self.crop, options.max_bytes)?;
        self.with_jpeg(encoded, options)
    }

    /// The result around an encoding of this crop (checked by the caller:
    /// see [`encode::BudgetSearch`] and [`jpeg_segments::without_metadata`]).
    pub fn with_jpeg(&self, encoded: encode::EncodedJpeg, options: &PhotoOptions) -> Result<ProcessedPhoto, PhotoError> {
        let thumbnail_jpeg = match options.thumbnail_max_edge {
            Some(edge) => {
                let (w, h) = resize::fit_within(self.crop.width, self.crop.height, edge);
                Some(encode::encode_jpeg(&resize::resize(&self.crop, w, h), options.thumbnail_quality)?)
            }
            None => None,
        };
        Ok(ProcessedPhoto {
            bytes: encoded.bytes.len(),
            jpeg: encoded.bytes,
            thumbnail_jpeg,
            grey_for_reading: self.grey.clone(),
            width: encoded.width,
            height: encoded.height,
            jpeg_quality: encoded.quality,
            shrunk_to_fit: encoded.shrunk_to_fit,
            document_found: self.detection.document_found,
            confidence: self.detection.confidence,
            corners: self.detection.corners,
            source_width: self.photo_width,
            source_height: self.photo_height,
            quality: self.quality,
        })
    }
}

/// The capture pipeline over our own backend without the MRZ: decodes,
/// finds the document, crops upright, assesses and encodes.
pub fn process_photo(bytes: &[u8], options: &PhotoOptions) -> Result<ProcessedPhoto, PhotoError> {
    Ok(capture::capture_natively(bytes, options, capture::MrzStep::Skip)?.1.processed)
}

/// The same from browser pixels (`ImageData`, RGBA) that still need `orientation_to_apply`.
pub fn process_rgba(width: u32, height: u32, rgba: &[u8], orientation_to_apply: Orientation, options: &PhotoOptions) -> Result<ProcessedPhoto, PhotoError> {
    options.validate()?;
    let kept = capture::KeptPhoto::from_pixels(decode::rgb_from_rgba(width, height, rgba, &options.limits)?, orientation_to_apply);
    let captured = backend::run_ready(capture::capture_kept(&backend::NativeBackend::without_file(), &kept, None, options, capture::MrzStep::Skip, &mut |_| {}))?;
    Ok(captured.processed)
}

/// Decodes the file and crops it with corners the user supplied (upright photo pixels).
pub fn process_photo_with_corners(bytes: &[u8], corners: Quad, options: &PhotoOptions) -> Result<ProcessedPhoto, PhotoError> {
    let kept = backend::run_ready(capture::decode_kept(&backend::NativeBackend::for_file(bytes), options))?;
    Ok(backend::run_ready(capture::recrop(&backend::NativeBackend::without_file(), &kept, corners, options, capture::MrzStep::Skip))?.processed)
}

/// Warps the quad to an upright rectangle of the document's shape, at most
/// `max_edge` long. Sides within 8 % of the ID-1 or ID-3 aspect are snapped
/// to it, which undoes most of the foreshortening of a tilted phone.
pub fn crop_document(image: PixelView, corners: &Quad, max_edge: u32) -> Option<RgbImage> {
    let (horizontal, vertical) = quad_side_lengths(corners);
    if horizontal < 1.0 || vertical < 1.0 {
        return None;
    }
    let mut aspect = horizontal / vertical;
    for target in [document::ID1_ASPECT, document::ID3_ASPECT, 1.0 / document::ID1_ASPECT, 1.0 / document::ID3_ASPECT] {
        if (aspect / target - 1.0).abs() < 0.08 {
            aspect = target;
            break;
        }
    }
    let native_long = horizontal.max(vertical);
    let long = native_long.round().clamp(1.0, max_edge as f32);
    let (width, height) = if aspect >= 1.0 { (long, long / aspect) } else { (long * aspect, long) };
    let (width, height) = (width.round().max(1.0) as u32, height.round().max(1.0) as u32);
    // Bilinear sampling aliases past 2:1; warp at twice the size and average down.
    if native_long > 1.5 * long {
        let large = warp::warp_quad(image, corners, width * 2, height * 2)?;
        Some(resize::resize(&large, width, height))
    } else {
        warp::warp_quad(image, corners, width, height)
    }
}
