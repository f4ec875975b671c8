//! Walks the marker segments of a JPEG file up to the first scan. Used to
//! read the EXIF orientation without a metadata crate, to detect truncated
//! files, and by tests to prove the output carries no metadata segments.

/// One header segment: its marker byte (the `xx` of `FF xx`) and payload
/// (without the two length bytes). Standalone markers have an empty payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JpegSegment<'a> {
    pub marker: u8,
    pub payload: &'a [u8],
}

pub const SOI: u8 = 0xD8;
pub const EOI: u8 = 0xD9;
pub const SOS: u8 = 0xDA;
pub const APP0: u8 = 0xE0;
pub const APP1: u8 = 0xE1;
pub const COM: u8 = 0xFE;

/// The segments from SOI up to and including the first SOS, or `None` when
/// the file does not start like a JPEG or a length runs past the end.
pub fn header_segments(bytes: &[u8]) -> Option<Vec<JpegSegment<'_>>> {
    if bytes.get(0..2)? != [0xFF, SOI] {
        return None;
    }
    let mut segments = vec![JpegSegment { marker: SOI, payload: &[] }];
    let mut position = 2;
    loop {
        // Markers may be preceded by any number of 0xFF fill bytes.
        if *bytes.get(position)? != 0xFF {
            return None;
        }
        while *bytes.get(position)? == 0xFF {
            position += 1;
        }
        let marker = *bytes.get(position)?;
        position += 1;
        if marker == 0x01 || (0xD0..=0xD7).contains(&marker) {
            segments.push(JpegSegment { marker, payload: &[] });
            continue;
        }
        if marker == EOI || marker == SOI {
            return None;
        }
        let length_bytes = bytes.get(position..position + 2)?;
        let length = u16::from_be_bytes([length_bytes[0], length_bytes[1]]) as usize;
        if length < 2 {
            return None;
        }
        let payload = bytes.get(position + 2..position + length)?;
        segments.push(JpegSegment { marker, payload });
        position += length;
        if marker == SOS {
            return Some(segments);
        }
    }
}

/// Every marker in the file, including those after the first scan (for
/// progressive files and for tests), as (marker, payload) in file order.
/// Entropy-coded data is skipped: inside it `FF 00` is a stuffed byte and
/// `FF D0..D7` are restart markers.
pub fn all_markers(bytes: &[u8]) -> Option<Vec<JpegSegment<'_>>> {
    let mut segments = header_segments(bytes)?;
    let mut position = {
        // Resume after the first SOS header.
        let last = segments.last()?;
        let start = last.payload.as_ptr() as usize - bytes.as_ptr() as usize;
        start + last.payload.len()
    };
    loop {
        let rest = bytes.get(position..)?;
        let offset = rest.windows(2).position(|w| w[0] == 0xFF && w[1] != 0x00 && w[1] != 0xFF && !(0xD0..=0xD7).contains(&w[1]))?;
        position += offset + 1;
        let marker = *bytes.get(position)?;
        position += 1;
        if marker == EOI {
            segments.push(JpegSegment { marker, payload: &[] });
            return Some(segments);
        }
        let length_bytes = bytes.get(position..position + 2)?;
        let length = u16::from_be_bytes([length_bytes[0], length_bytes[1]]) as usize;
        let payload = bytes.get(position + 2..position + length.max(2))?;
        segments.push(JpegSegment { marker, payload });
        position += length.max(2);
    }
}

/// Whether the file reaches its end-of-image marker: decoders fill a
/// truncated file with grey rather than failing, so we check ourselves.
pub fn has_end_of_image(bytes: &[u8]) -> bool {
    // Stuffing guarantees FF D9 appears in scan data only as the real marker;
    // phones append trailers (e.g. gain maps) after it, so search, don't peek.
    let Some(segments) = header_segments(bytes) else { return false };
    let Some(last) = segments.last() else { return false };
    let scan_start = last.payload.as_ptr() as usize - bytes.as_ptr() as usize + last.payload.len();
    bytes.get(scan_start..).is_some_and(|scan| scan.windows(2).any(|w| w == [0xFF, EOI]))
}
