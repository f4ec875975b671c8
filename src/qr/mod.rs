//! QR decoding: camera pixels → the text in the QR code.
//!
//! rqrr (a patched copy in `vendor/rqrr`, panic-free) detects and decodes;
//! this layer feeds it what it struggles with alone: greyscale conversion,
//! the scan region, a downscale pyramid (close-ups, 12 MP stills, blur), and
//! several binarisations tried in turn (2-D local mean for uneven light and
//! glare, rqrr's own, Otsu, each also inverted). Work per frame is bounded by
//! `ScanOptions::max_attempts` passes over an image of at most
//! `ScanOptions::max_working_edge` pixels on its long side.

mod attempt;
mod error;
mod grey;
mod options;
mod text;
mod threshold;

pub use error::QrError;
pub use grey::GreyImage;
pub use options::{ScanOptions, ScanRegion};
pub use text::{decode_text, TextError};

use attempt::{plan_attempts, run_attempt, AttemptOutcome, FrameWork};
use grey::PixelRect;
use serde::Serialize;

/// Largest input accepted, in pixels (a 48 MP phone still fits).
pub const MAX_INPUT_PIXELS: usize = 50_000_000;

/// A decoded QR code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DecodedQr {
    /// The payload as text: every segment mode, ECI character sets, and for
    /// byte data without ECI a guess between UTF-8, Shift_JIS and ISO-8859-1
    /// (`text.rs`). Untrusted: check it with `crate::hms` before use.
    pub text: String,
    /// Corners of the code in input pixels: top-left, top-right,
    /// bottom-right, bottom-left (for viewfinder feedback).
    pub corners: [QrPoint; 4],
    /// Which pass (1-based) found it; for tuning and benchmarks.
    pub attempt: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct QrPoint {
    pub x: i32,
    pub y: i32,
}

/// Decode the first QR code found in RGBA pixels (a canvas `ImageData`:
/// `width * height * 4` bytes).
pub fn decode_rgba(width: u32, height: u32, rgba: &[u8], options: &ScanOptions) -> Result<DecodedQr, QrError> {
    decode_rgba_while(width, height, rgba, options, &mut || true)
}

/// `decode_rgba` that asks `keep_going` before every pass after the first
/// and stops when it says no: the boundary passes a wall-clock deadline
/// (`performance.now() < deadline`), the core reads no clock.
pub fn decode_rgba_while(
    width: u32,
    height: u32,
    rgba: &[u8],
    options: &ScanOptions,
    keep_going: &mut dyn FnMut() -> bool,
) -> Result<DecodedQr, QrError> {
    let rect = checked_rect(width, height, rgba.len(), 4, options)?;
    let grey = GreyImage::from_rgba_rect(rgba, width as usize, rect);
    decode_prepared(grey, rect, options, keep_going)
}

/// Decode the first QR code found in greyscale pixels (`width * height` bytes,
/// 0 black, 255 white).
pub fn decode_grey(width: u32, height: u32, grey: &[u8], options: &ScanOptions) -> Result<DecodedQr, QrError> {
    decode_grey_while(width, height, grey, options, &mut || true)
}

/// `decode_grey` with a `keep_going` check before every pass after the first.
pub fn decode_grey_while(
    width: u32,
    height: u32,
    grey: &[u8],
    options: &ScanOptions,
    keep_going: &mut dyn FnMut() -> bool,
) -> Result<DecodedQr, QrError> {
    let rect = checked_rect(width, height, grey.len(), 1, options)?;
    let image = GreyImage::from_grey_rect(grey, width as usize, rect);
    decode_prepared(image, rect, options, keep_going)
}

/// Validates the buffer against the dimensions and clamps the scan region.
fn checked_rect(
    width: u32,
    height: u32,
    buffer_len: usize,
    bytes_per_pixel: usize,
    options: &ScanOptions,
) -> Result<PixelRect, QrError> {
    let (w, h) = (width as usize, height as usize);
    if w == 0 || h == 0 {
        return Err(QrError::EmptyImage);
    }
    let pixels = w.checked_mul(h).filter(|&p| p <= MAX_INPUT_PIXELS).ok_or(QrError::ImageTooLarge {
        width,
        height,
        limit: MAX_INPUT_PIXELS,
    })?;
    let expected = pixels * bytes_per_pixel;
    if buffer_len != expected {
        return Err(QrError::InvalidPixels { expected, actual: buffer_len });
    }
    let rect = match options.region {
        None => PixelRect { x: 0, y: 0, width: w, height: h },
        Some(region) => region.clamped_to(w, h).ok_or(QrError::InvalidRegion)?,
    };
    Ok(rect)
}

fn decode_prepared(
    image: GreyImage,
    rect: PixelRect,
    options: &ScanOptions,
    keep_going: &mut dyn FnMut() -> bool,
) -> Result<DecodedQr, QrError> {
    let pyramid = build_pyramid(image, options.max_working_edge());
    let plan = plan_attempts(&pyramid, options.max_working_edge());
    let mut attempts = 0u32;
    let mut work = FrameWork::default();
    let mut doubled: Option<GreyImage> = None;
    for step in plan.iter().take(options.max_attempts() as usize) {
        if attempts > 0 && !keep_going() {
            break;
        }
        attempts += 1;
        let Some(level_image) = pyramid.get(step.level) else { continue };
        let image: &GreyImage = if step.upscaled { &*doubled.get_or_insert_with(|| level_image.doubled()) } else { level_image };
        if let AttemptOutcome::Decoded { text, corners } = run_attempt(image, step, &mut work) {
            // Level n is 2^n input pixels per pixel; an upscaled pass half that.
            let scale = 1i64 << step.level;
            let shift = u32::from(step.upscaled);
            let to_input = |p: QrPoint| QrPoint {
                x: clamp_i32(((p.x as i64 * scale) >> shift) + rect.x as i64),
                y: clamp_i32(((p.y as i64 * scale) >> shift) + rect.y as i64),
            };
            return Ok(DecodedQr { text, corners: corners.map(to_input), attempt: attempts });
        }
    }
    Err(QrError::NoQrCodeFound { attempts })
}

fn clamp_i32(value: i64) -> i32 {
    value.clamp(i32::MIN as i64, i32::MAX as i64) as i32
}

/// Level 0 is the input; each next level is half the size. Levels larger
/// than twice the working edge are dropped once used to build the next
/// (nothing is ever scanned above 2× the working edge), and halving stops
/// below 160 pixels (a QR code needs ~21 modules of ≥ 2 pixels plus margin).
fn build_pyramid(image: GreyImage, max_working_edge: usize) -> Vec<GreyImage> {
    let mut levels = vec![image];
    while let Some(last) = levels.last() {
        if last.longest_edge() / 2 < 160 || levels.len() >= 8 {
            break;
        }
        let next = last.half();
        levels.push(next);
    }
    // Too-large levels are kept as empty placeholders so indices stay scales.
    for level in levels.iter_mut() {
        if level.longest_edge() > max_working_edge * 2 {
            *level = GreyImage { width: 0, height: 0, pixels: Vec::new() };
        }
    }
    levels
}

#[cfg(test)]
mod tests;
