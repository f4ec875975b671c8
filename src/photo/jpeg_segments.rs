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

/// The segment whose marker starts at `position` (after any 0xFF fill
/// bytes) and where the next one starts. Standalone markers (TEM, RST0–7,
/// SOI, EOI) have an empty payload. `None` when there is no marker there or
/// a length is below 2 or runs past the end.
pub fn segment_at(bytes: &[u8], mut position: usize) -> Option<(JpegSegment<'_>, usize)> {
    if *bytes.get(position)? != 0xFF {
        return None;
    }
    while *bytes.get(position)? == 0xFF {
        position += 1;
    }
    let marker = bytes[position];
    position += 1;
    if marker == 0x01 || (0xD0..=0xD9).contains(&marker) {
        return Some((JpegSegment { marker, payload: &[] }, position));
    }
    let length_bytes = bytes.get(position..position + 2)?;
    let length = u16::from_be_bytes([length_bytes[0], length_bytes[1]]) as usize;
    if length < 2 {
        return None;
    }
    let payload = bytes.get(position + 2..position + length)?;
    Some((JpegSegment { marker, payload }, position + length))
}

/// Bytes of entropy-coded data at the start of `data`: up to the next marker
/// that is neither a stuffed `FF 00`, a fill byte nor a restart marker.
pub fn entropy_data_length(data: &[u8]) -> usize {
    // An index loop: the JPEG preview runs this over whole progressive scans
    // in wasm, where `windows` steps stay calls at opt-level "s".
    let mut i = 0;
    while i + 1 < data.len() {
        let next = data[i + 1];
        if data[i] == 0xFF && next != 0x00 && next != 0xFF && !(0xD0..=0xD7).contains(&next) {
            return i;
        }
        i += 1;
    }
    data.len()
}

/// The segments from SOI up to and including the first SOS, or `None` when
/// the file does not start like a JPEG or a length runs past the end.
pub fn header_segments(bytes: &[u8]) -> Option<Vec<JpegSegment<'_>>> {
    if bytes.get(0..2)? != [0xFF, SOI] {
        return None;
    }
    let mut segments = vec![JpegSegment { marker: SOI, payload: &[] }];
    let mut position = 2;
    loop {
        let (segment, next) = segment_at(bytes, position)?;
        if segment.marker == EOI || segment.marker == SOI {
            return None;
        }
        segments.push(segment);
        position = next;
        if segment.marker == SOS {
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
        let data = entropy_data_length(rest);
        if data == rest.len() {
            return None;
        }
        let (segment, next) = segment_at(bytes, position + data)?;
        segments.push(segment);
        if segment.marker == EOI {
            return Some(segments);
        }
        position = next;
    }
}

/// A JPEG from an encoder we do not control (the browser's), checked and
/// rewritten without any metadata: of the header segments only the JFIF APP0,
/// tables, frame and scan headers are kept (no EXIF, XMP, ICC, IPTC or
/// comment), then the scan data as it is. `None` when the file does not parse
/// as a complete JPEG of `width × height`.
pub fn without_metadata(bytes: &[u8], width: u32, height: u32) -> Option<Vec<u8>> {
    let segments = all_markers(bytes)?;
    let frame = segments.iter().find(|s| matches!(s.marker, 0xC0..=0xC2))?;
    let frame_height = u16::from_be_bytes([*frame.payload.get(1)?, *frame.payload.get(2)?]) as u32;
    let frame_width = u16::from_be_bytes([*frame.payload.get(3)?, *frame.payload.get(4)?]) as u32;
    if (frame_width, frame_height) != (width, height) || segments.last()?.marker != EOI || !bytes.ends_with(&[0xFF, EOI]) {
        return None;
    }
    let header = header_segments(bytes)?;
    let sos = header.last()?;
    let scan_start = sos.payload.as_ptr() as usize - bytes.as_ptr() as usize + sos.payload.len();
    let mut clean = Vec::with_capacity(bytes.len());
    clean.extend_from_slice(&[0xFF, SOI]);
    for segment in &header[1..] {
        let is_metadata = (APP1..=0xEF).contains(&segment.marker) || segment.marker == COM;
        if is_metadata {
            continue;
        }
        clean.extend_from_slice(&[0xFF, segment.marker]);
        if !(segment.marker == 0x01 || (0xD0..=0xD7).contains(&segment.marker)) {
            clean.extend_from_slice(&((segment.payload.len() + 2) as u16).to_be_bytes());
            clean.extend_from_slice(segment.payload);
        }
    }
    // After the first scan header comes entropy-coded data up to EOI; a
    // progressive file has more segments there, and none may be metadata.
    if segments[header.len()..].iter().any(|s| (APP1..=0xEF).contains(&s.marker) || s.marker == COM) {
        return None;
    }
    clean.extend_from_slice(bytes.get(scan_start..)?);
    Some(clean)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
        let mut out = vec![0xFF, marker];
        out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(payload);
        out
    }

    /// A structurally complete 16×8 file (its scan data is not real, which this walk does not need).
    fn jpeg_with(extra: &[Vec<u8>]) -> Vec<u8> {
        let mut bytes = vec![0xFF, SOI];
        bytes.extend(segment(APP0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
        for e in extra {
            bytes.extend_from_slice(e);
        }
        bytes.extend(segment(0xDB, &[0; 65]));
        bytes.extend(segment(0xC0, &[8, 0, 8, 0, 16, 1, 1, 0x11, 0]));
        bytes.extend(segment(SOS, &[1, 1, 0, 0, 63, 0]));
        bytes.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, EOI]);
        bytes
    }

    #[test]
    fn metadata_segments_are_dropped_and_the_rest_kept_byte_for_byte() {
        let exif = segment(APP1, b"Exif\0\0secret");
        let icc = segment(0xE2, b"ICC_PROFILE\0");
        let comment = segment(COM, b"a comment");
        let clean = without_metadata(&jpeg_with(&[exif, icc, comment]), 16, 8).expect("parses");
        assert_eq!(clean, jpeg_with(&[]));
        let markers: Vec<u8> = all_markers(&clean).unwrap().iter().map(|s| s.marker).collect();
        assert!(!markers.iter().any(|m| (APP1..=0xEF).contains(m) || *m == COM), "{markers:x?}");
    }

    #[test]
    fn a_jpeg_of_another_size_or_without_its_end_is_refused() {
        assert!(without_metadata(&jpeg_with(&[]), 17, 8).is_none());
        let mut truncated = jpeg_with(&[]);
        truncated.truncate(truncated.len() - 2);
        assert!(without_metadata(&truncated, 16, 8).is_none());
        assert!(without_metadata(b"not a jpeg", 16, 8).is_none());
    }
}
