//! Decodes JPEG and PNG into RGB with the size checked from the header
//! first, and an allocation limit handed to the decoder as a second fence.

use std::io::Cursor;

use serde::{Deserialize, Serialize};

use super::error::PhotoError;
use super::header::{read_header, ImageFormat};
use super::jpeg_preview::check_scan_data;
use super::jpeg_segments;
use super::raster::RgbImage;

/// Hard limits checked before decoding. The defaults admit 48 MP phone
/// photos and refuse anything a phone's memory would not survive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DecodeLimits {
    /// Longest accepted side in pixels.
    pub max_side: u32,
    /// Most accepted pixels (width × height).
    pub max_pixels: u64,
}

impl Default for DecodeLimits {
    fn default() -> Self {
        DecodeLimits { max_side: 16_384, max_pixels: 50_000_000 }
    }
}

impl DecodeLimits {
    pub fn check(&self, width: u32, height: u32) -> Result<(), PhotoError> {
        if width == 0 || height == 0 {
            return Err(PhotoError::Empty);
        }
        if width.max(height) > self.max_side {
            return Err(PhotoError::TooLarge { width, height, limit: self.max_side as u64 });
        }
        if width as u64 * height as u64 > self.max_pixels {
            return Err(PhotoError::TooLarge { width, height, limit: self.max_pixels });
        }
        Ok(())
    }
}

/// Decodes a JPEG or PNG file to RGB (alpha is dropped), as stored: orientation is not applied here.
pub fn decode_file(bytes: &[u8], limits: &DecodeLimits) -> Result<RgbImage, PhotoError> {
    let header = read_header(bytes)?;
    limits.check(header.width, header.height)?;
    // Decoders fill a missing or damaged part with grey and say nothing.
    check_complete(bytes)?;
    if header.format == ImageFormat::Jpeg {
        check_scan_data(bytes, limits)?;
    }
    let format = match header.format {
        ImageFormat::Jpeg => image::ImageFormat::Jpeg,
        #[cfg(feature = "photo-png")]
        ImageFormat::Png => image::ImageFormat::Png,
        #[cfg(not(feature = "photo-png"))]
        ImageFormat::Png => return Err(PhotoError::Unsupported { format: "PNG" }),
    };
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let mut decoder_limits = image::Limits::default();
    decoder_limits.max_image_width = Some(limits.max_side);
    decoder_limits.max_image_height = Some(limits.max_side);
    // Room for a 16-bit RGBA intermediate of the largest accepted image.
    decoder_limits.max_alloc = Some(limits.max_pixels.saturating_mul(8));
    reader.limits(decoder_limits);
    let decoded = reader.decode().map_err(|error| map_image_error(&error, header.width, header.height, limits))?;
    let (width, height) = (decoded.width(), decoded.height());
    if (width, height) != (header.width, header.height) {
        return Err(PhotoError::Corrupt { reason: "decoded size differs from the header" });
    }
    Ok(RgbImage { width, height, pixels: decoded.into_rgb8().into_raw() })
}

/// Whether a JPEG or PNG file is whole, by its structure, before any decoder
/// sees it: decoders (zune-jpeg here, `createImageBitmap` in the browser)
/// fill a missing part with grey and say nothing. `Incomplete` when it is
/// cut short or its image data is damaged; see `jpeg_segments::check_complete`
/// for what a complete JPEG is. A PNG is complete when its chunks run, each
/// within the file, up to `IEND`. Other formats are `Unsupported` by `read_header`.
pub fn check_complete(bytes: &[u8]) -> Result<(), PhotoError> {
    match read_header(bytes) {
        Ok(header) if header.format == ImageFormat::Png => check_png_complete(bytes),
        // A JPEG (whole header or not) is walked to the end of its image.
        _ if bytes.starts_with(&[0xFF, 0xD8]) => jpeg_segments::check_complete(bytes),
        Ok(_) => Ok(()),
        Err(error) => Err(error),
    }
}

fn check_png_complete(bytes: &[u8]) -> Result<(), PhotoError> {
    let mut position = 8;
    loop {
        let Some(chunk_header) = bytes.get(position..position + 8) else {
            return Err(PhotoError::Incomplete { reason: "PNG ends before its IEND chunk" });
        };
        let length = u32::from_be_bytes([chunk_header[0], chunk_header[1], chunk_header[2], chunk_header[3]]) as usize;
        // Length, type, data and CRC.
        let end = position.saturating_add(12).saturating_add(length);
        if end > bytes.len() {
            return Err(PhotoError::Incomplete { reason: "PNG ends before its IEND chunk" });
        }
        if &chunk_header[4..8] == b"IEND" {
            return Ok(());
        }
        position = end;
    }
}

/// Converts browser `ImageData` pixels (RGBA) to RGB.
pub fn rgb_from_rgba(width: u32, height: u32, rgba: &[u8], limits: &DecodeLimits) -> Result<RgbImage, PhotoError> {
    limits.check(width, height)?;
    let expected = width as u64 * height as u64 * 4;
    if rgba.len() as u64 != expected {
        return Err(PhotoError::PixelBufferSize { expected, actual: rgba.len() as u64 });
    }
    // Filled in place: collecting a flat_map would grow the buffer by doubling.
    // An index loop, as in `RgbImage::to_grey`: at opt-level "s" a 3-byte
    // `copy_from_slice` is a `memcpy` call and `chunks_exact` steps stay calls in wasm.
    let count = width as usize * height as usize;
    let mut pixels = vec![0u8; count * 3];
    for i in 0..count {
        (pixels[3 * i], pixels[3 * i + 1], pixels[3 * i + 2]) = (rgba[4 * i], rgba[4 * i + 1], rgba[4 * i + 2]);
    }
    Ok(RgbImage { width, height, pixels })
}

fn map_image_error(error: &image::ImageError, width: u32, height: u32, limits: &DecodeLimits) -> PhotoError {
    match error {
        image::ImageError::Limits(_) => PhotoError::TooLarge { width, height, limit: limits.max_pixels },
        image::ImageError::Unsupported(_) => PhotoError::Unsupported { format: "this JPEG or PNG variant" },
        image::ImageError::Decoding(_) | image::ImageError::IoError(_) => PhotoError::Corrupt { reason: "image data cannot be decoded" },
        _ => PhotoError::Corrupt { reason: "image cannot be decoded" },
    }
}
