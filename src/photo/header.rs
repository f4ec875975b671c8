//! Recognises the file format and reads the pixel dimensions from the header
//! alone, so a decompression bomb is refused before any pixel is decoded.

use super::error::PhotoError;
use super::jpeg_segments::{check_complete, frame_size, header_segments, is_frame_marker, SOS};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageFormat {
    Jpeg,
    Png,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageHeader {
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
}

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

pub fn read_header(bytes: &[u8]) -> Result<ImageHeader, PhotoError> {
    if bytes.is_empty() {
        return Err(PhotoError::Empty);
    }
    if bytes.starts_with(&[0xFF, 0xD8]) {
        return read_jpeg_header(bytes);
    }
    if bytes.starts_with(&PNG_SIGNATURE) {
        return read_png_header(bytes);
    }
    Err(PhotoError::Unsupported { format: name_unsupported_format(bytes) })
}

fn read_jpeg_header(bytes: &[u8]) -> Result<ImageHeader, PhotoError> {
    let Some(segments) = header_segments(bytes) else {
        // Cut short within its header (the usual case), or malformed.
        return Err(match check_complete(bytes) {
            Err(error @ PhotoError::Incomplete { .. }) => error,
            _ => PhotoError::Corrupt { reason: "JPEG header is malformed" },
        });
    };
    for segment in &segments {
        if !is_frame_marker(segment.marker) {
            continue;
        }
        let Some((width, height)) = frame_size(segment.payload) else {
            return Err(PhotoError::Corrupt { reason: "JPEG frame header is too short" });
        };
        if width == 0 || height == 0 {
            return Err(PhotoError::Empty);
        }
        return Ok(ImageHeader { format: ImageFormat::Jpeg, width, height });
    }
    debug_assert!(segments.last().is_some_and(|s| s.marker == SOS));
    Err(PhotoError::Corrupt { reason: "JPEG has no frame header" })
}

fn read_png_header(bytes: &[u8]) -> Result<ImageHeader, PhotoError> {
    // Signature, then the IHDR chunk: length (4), type (4), width (4), height (4).
    let ihdr = bytes.get(8..24).ok_or(PhotoError::Incomplete { reason: "PNG header is cut short" })?;
    if &ihdr[4..8] != b"IHDR" {
        return Err(PhotoError::Corrupt { reason: "PNG does not start with IHDR" });
    }
    let width = u32::from_be_bytes([ihdr[8], ihdr[9], ihdr[10], ihdr[11]]);
    let height = u32::from_be_bytes([ihdr[12], ihdr[13], ihdr[14], ihdr[15]]);
    if width == 0 || height == 0 {
        return Err(PhotoError::Empty);
    }
    Ok(ImageHeader { format: ImageFormat::Png, width, height })
}

/// A name for the error message, so the page can tell an iPhone user that
/// HEIC needs converting rather than saying "corrupt".
fn name_unsupported_format(bytes: &[u8]) -> &'static str {
    if bytes.get(4..8) == Some(b"ftyp") {
        return match bytes.get(8..12) {
            Some(b"avif") | Some(b"avis") => "AVIF",
            _ => "HEIC",
        };
    }
    if bytes.get(0..4) == Some(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        return "WebP";
    }
    if bytes.starts_with(b"GIF8") {
        return "GIF";
    }
    if bytes.starts_with(b"BM") {
        return "BMP";
    }
    if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        return "TIFF";
    }
    if bytes.starts_with(b"%PDF") {
        return "PDF";
    }
    "unknown"
}
