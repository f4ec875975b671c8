//! Reads the one EXIF field we need, the orientation, straight from the
//! TIFF structure in a JPEG's APP1 segment or a PNG's eXIf chunk. A few dozen
//! bounds-checked lines instead of a metadata crate.

use super::jpeg_segments::{header_segments, APP1};
use super::orient::Orientation;

const EXIF_PREFIX: &[u8] = b"Exif\0\0";
const ORIENTATION_TAG: u16 = 0x0112;

/// The orientation recorded in a JPEG or PNG file; `Normal` when absent or unreadable.
pub fn orientation_of_file(bytes: &[u8]) -> Orientation {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        let Some(segments) = header_segments(bytes) else { return Orientation::Normal };
        return segments
            .iter()
            .filter(|segment| segment.marker == APP1)
            .find_map(|segment| segment.payload.strip_prefix(EXIF_PREFIX))
            .and_then(orientation_from_tiff)
            .unwrap_or(Orientation::Normal);
    }
    png_exif_chunk(bytes).and_then(orientation_from_tiff).unwrap_or(Orientation::Normal)
}

/// The orientation tag of IFD0 in a TIFF structure ("II*\0" or "MM\0*").
pub fn orientation_from_tiff(tiff: &[u8]) -> Option<Orientation> {
    orientation_entry(tiff).map(|entry| entry.orientation)
}

/// Where a JPEG's orientation value lies, so it can be rewritten.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OrientationEntry {
    pub orientation: Orientation,
    /// Byte offset of the 16-bit value (in the TIFF, or in the file from [`jpeg_orientation_entry`]).
    pub value_at: usize,
    pub little_endian: bool,
}

/// The orientation entry of a JPEG's first EXIF segment, as browsers read
/// it; `None` when absent, unreadable, or not within `bytes` (a file's head).
pub fn jpeg_orientation_entry(bytes: &[u8]) -> Option<OrientationEntry> {
    let segments = header_segments(bytes)?;
    let exif = segments.iter().filter(|segment| segment.marker == APP1).find_map(|segment| segment.payload.strip_prefix(EXIF_PREFIX))?;
    let entry = orientation_entry(exif)?;
    let tiff_at = exif.as_ptr() as usize - bytes.as_ptr() as usize;
    Some(OrientationEntry { value_at: tiff_at + entry.value_at, ..entry })
}

/// A copy of a JPEG file (or of its head) that says it is stored upright,
/// and the orientation it said: a browser then decodes the pixels as stored.
/// `None` when it already says so or says nothing we read.
pub fn jpeg_with_normal_orientation(bytes: &[u8]) -> Option<(Vec<u8>, Orientation)> {
    let entry = jpeg_orientation_entry(bytes).filter(|entry| entry.orientation != Orientation::Normal)?;
    let mut copy = bytes.to_vec();
    let value = if entry.little_endian { 1u16.to_le_bytes() } else { 1u16.to_be_bytes() };
    copy[entry.value_at..entry.value_at + 2].copy_from_slice(&value);
    Some((copy, entry.orientation))
}

fn orientation_entry(tiff: &[u8]) -> Option<OrientationEntry> {
    let little_endian = match tiff.get(0..2)? {
        b"II" => true,
        b"MM" => false,
        _ => return None,
    };
    // Offsets come from the file (u32): checked, as `at + 2` can overflow a 32-bit usize (wasm32).
    let read_u16 = |at: usize| -> Option<u16> {
        let b = tiff.get(at..at.checked_add(2)?)?;
        Some(if little_endian { u16::from_le_bytes([b[0], b[1]]) } else { u16::from_be_bytes([b[0], b[1]]) })
    };
    let read_u32 = |at: usize| -> Option<u32> {
        let b = tiff.get(at..at.checked_add(4)?)?;
        let b = [b[0], b[1], b[2], b[3]];
        Some(if little_endian { u32::from_le_bytes(b) } else { u32::from_be_bytes(b) })
    };
    if read_u16(2)? != 42 {
        return None;
    }
    let ifd0 = read_u32(4)? as usize;
    let entry_count = read_u16(ifd0)? as usize;
    for index in 0..entry_count.min(512) {
        let entry = ifd0.checked_add(2 + index * 12)?;
        if read_u16(entry)? != ORIENTATION_TAG {
            continue;
        }
        // Type SHORT (3), count 1: the value sits in the first two bytes of the value field.
        if read_u16(entry.checked_add(2)?)? != 3 {
            return None;
        }
        let value_at = entry.checked_add(8)?;
        let orientation = Orientation::from_exif(read_u16(value_at)?)?;
        return Some(OrientationEntry { orientation, value_at, little_endian });
    }
    None
}

fn png_exif_chunk(bytes: &[u8]) -> Option<&[u8]> {
    let mut position = 8;
    loop {
        let length_bytes = bytes.get(position..position + 4)?;
        let length = u32::from_be_bytes([length_bytes[0], length_bytes[1], length_bytes[2], length_bytes[3]]) as usize;
        let kind = bytes.get(position + 4..position + 8)?;
        let data_start = position + 8;
        let data = bytes.get(data_start..data_start.checked_add(length)?)?;
        match kind {
            b"eXIf" => return Some(data.strip_prefix(EXIF_PREFIX).unwrap_or(data)),
            // Browsers honour eXIf only before the image data.
            b"IDAT" | b"IEND" => return None,
            _ => position = data_start + length + 4,
        }
    }
}
