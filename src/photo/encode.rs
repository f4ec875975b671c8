//! JPEG encoding to a byte budget. The encoder writes a fresh file (SOI,
//! JFIF APP0, tables, one baseline scan, EOI), so nothing of the input's
//! metadata can survive. Quality is searched, and the image is shrunk only
//! when the lowest acceptable quality still does not fit.

use serde::{Deserialize, Serialize};

use super::error::PhotoError;
use super::raster::RgbImage;
use super::resize::{fit_within, resize};

/// Below this JPEG quality print gets blocky; shrink instead.
pub const LOWEST_QUALITY: u8 = 40;
/// Above this the bytes grow fast for no visible gain.
pub const HIGHEST_QUALITY: u8 = 92;
/// Shrinking stops here: smaller cannot be read.
const SMALLEST_LONG_EDGE: u32 = 240;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncodedJpeg {
    #[serde(skip)]
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub quality: u8,
    /// True when the image had to be made smaller than asked to fit the budget.
    pub shrunk_to_fit: bool,
}

pub fn encode_jpeg(image: &RgbImage, quality: u8) -> Result<Vec<u8>, PhotoError> {
    if image.width == 0 || image.height == 0 || image.width > 65_535 || image.height > 65_535 {
        return Err(PhotoError::Empty);
    }
    if image.pixels.len() != image.width as usize * image.height as usize * 3 {
        return Err(PhotoError::PixelBufferSize {
            expected: image.width as u64 * image.height as u64 * 3,
            actual: image.pixels.len() as u64,
        });
    }
    let mut bytes = Vec::with_capacity(image.pixels.len() / 8);
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, quality.clamp(1, 100))
        .encode(&image.pixels, image.width, image.height, image::ExtendedColorType::Rgb8)
        .map_err(|_| PhotoError::Corrupt { reason: "JPEG encoding failed" })?;
    Ok(bytes)
}

/// The highest quality in `LOWEST_QUALITY..=HIGHEST_QUALITY` (to within 2)
/// whose encoding fits `max_bytes`; the image shrinks by steps only when none does.
pub fn encode_within_budget(image: &RgbImage, max_bytes: usize) -> Result<EncodedJpeg, PhotoError> {
    let mut current = image.clone();
    let mut shrunk_to_fit = false;
    loop {
        if let Some((quality, bytes)) = search_quality(&current, max_bytes)? {
            return Ok(EncodedJpeg { bytes, width: current.width, height: current.height, quality, shrunk_to_fit });
        }
        let long = current.width.max(current.height);
        if long <= SMALLEST_LONG_EDGE {
            return Err(PhotoError::ByteBudgetUnreachable { max_bytes });
        }
        let (w, h) = fit_within(current.width, current.height, ((long as f32 * 0.75) as u32).max(SMALLEST_LONG_EDGE));
        current = resize(image, w, h);
        shrunk_to_fit = true;
    }
}

/// Interpolation search on log(bytes), which is close to linear in quality:
/// typically 3–5 encodes instead of a blind ladder.
fn search_quality(image: &RgbImage, max_bytes: usize) -> Result<Option<(u8, Vec<u8>)>, PhotoError> {
    let mut fits: Option<(u8, Vec<u8>)> = None;
    let mut too_big: Option<(u8, usize)> = None;
    let mut quality = 85u8;
    for _ in 0..8 {
        let bytes = encode_jpeg(image, quality)?;
        let size = bytes.len();
        if size <= max_bytes {
            if fits.as_ref().is_none_or(|(q, _)| quality > *q) {
                fits = Some((quality, bytes));
            }
        } else if too_big.is_none_or(|(q, _)| quality < q) {
            too_big = Some((quality, size));
        }
        let next = match (&fits, too_big) {
            (Some((low, _)), _) if *low >= HIGHEST_QUALITY => break,
            (Some((low, _)), Some((high, _))) if high <= low + 2 => break,
            (None, Some((high, _))) if high <= LOWEST_QUALITY => break,
            (Some((low, _)), None) => (*low + 10).min(HIGHEST_QUALITY),
            (None, Some((high, size))) => {
                // Guess from the size ratio: each ~10 quality points is roughly ×1.3 in bytes.
                let steps = ((size as f64 / max_bytes as f64).ln() / 1.3f64.ln() * 10.0).ceil() as i32;
                (high as i32 - steps.max(5)).clamp(LOWEST_QUALITY as i32, high as i32 - 1) as u8
            }
            (Some((low, low_bytes)), Some((high, high_size))) => {
                let (l, h) = (*low as f64, high as f64);
                let (ls, hs) = ((low_bytes.len() as f64).ln(), (high_size as f64).ln());
                let target = (max_bytes as f64).ln();
                let guess = if hs > ls { l + (target - ls) / (hs - ls) * (h - l) } else { (l + h) / 2.0 };
                (guess.floor() as i32).clamp(*low as i32 + 1, high as i32 - 1) as u8
            }
            (None, None) => break,
        };
        quality = next;
    }
    Ok(fits)
}
