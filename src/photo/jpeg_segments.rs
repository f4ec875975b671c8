//! Walks the marker segments of a JPEG file up to the first scan. Used to
//! read the EXIF orientation without a metadata crate, to detect truncated
//! files, and by tests to prove the output carries no metadata segments.

use super::error::PhotoError;

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

/// A frame header (start of frame, SOF0..SOF15): every marker from C0 to CF
/// except DHT (C4), JPG (C8) and DAC (CC).
pub fn is_frame_marker(marker: u8) -> bool {
    (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC)
}

/// `(width, height)` from a frame header's payload (precision, then height
/// and width as big-endian u16); `None` when it is too short. The one reader
/// of frame dimensions: the size check before decoding and the metadata strip use it.
pub fn frame_size(frame_payload: &[u8]) -> Option<(u32, u32)> {
    let (h, w) = (frame_payload.get(1..3)?, frame_payload.get(3..5)?);
    Some((u16::from_be_bytes([w[0], w[1]]) as u32, u16::from_be_bytes([h[0], h[1]]) as u32))
}

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
    if frame_size(frame.payload)? != (width, height) || segments.last()?.marker != EOI || !bytes.ends_with(&[0xFF, EOI]) {
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

/// Checks that a JPEG file is whole before anyone decodes it: decoders (ours
/// and the browser's `createImageBitmap`) fill whatever is missing with grey
/// and report nothing. "Complete" means, by the file's structure alone (one
/// pass over the bytes, no entropy decoding, no allocation beyond the frame's
/// component list):
/// - every segment lies within the file, and after the last scan comes the
///   end-of-image marker (`FF D9`); bytes after it are ignored (phones append
///   gain maps and other trailers there);
/// - every scan's entropy-coded data ends at a marker that may follow a scan
///   (tables, restart interval, another scan, application data, comment,
///   end of image): a stray marker inside it is damaged data;
/// - restart markers come in their cycle (`RST0`..`RST7`), only where a restart
///   interval is defined, and as many as the scan's intervals need;
/// - every component of the frame is covered: in a sequential file by some
///   scan; in a progressive one every coefficient (0–63) of every component
///   down to its last bit (successive approximation low bit 0), i.e. all scans
///   of the script are present.
///
/// Damage that keeps the structure (bytes overwritten without any `FF`) is
/// not seen here; the JPEG preview's entropy decoding (`jpeg_preview`) checks
/// that each scan's data ends where its last block does.
///
/// A file cut short, or damaged after its first scan header, is
/// `Incomplete`; a malformed header before it is `Corrupt`; a file that is
/// not a JPEG is `Unsupported`.
pub fn check_complete(bytes: &[u8]) -> Result<(), PhotoError> {
    const CUT_SHORT: PhotoError = PhotoError::Incomplete { reason: "JPEG ends before its end-of-image marker" };
    const DAMAGED: PhotoError = PhotoError::Incomplete { reason: "JPEG image data is damaged" };
    const MALFORMED: PhotoError = PhotoError::Corrupt { reason: "JPEG header is malformed" };
    if bytes.get(0..2) != Some(&[0xFF, SOI][..]) {
        return Err(if bytes.len() < 2 && bytes.first().is_none_or(|&b| b == 0xFF) { CUT_SHORT } else { PhotoError::Unsupported { format: "not a JPEG" } });
    }
    let mut frame: Option<FrameCoverage> = None;
    let mut restart_interval = 0usize;
    let mut scans = 0usize;
    let mut position = 2;
    loop {
        let damaged = if scans == 0 { MALFORMED } else { DAMAGED };
        match bytes.get(position) {
            None => return Err(CUT_SHORT),
            Some(0xFF) => {}
            Some(_) => return Err(damaged),
        }
        let Some((segment, next)) = segment_at(bytes, position) else {
            // A marker is there: either its length runs past the end of the file or it is below 2.
            let marker_at = position + bytes[position..].iter().take_while(|&&b| b == 0xFF).count();
            let length = bytes.get(marker_at + 1..marker_at + 3).map(|l| u16::from_be_bytes([l[0], l[1]]) as usize);
            return Err(match length {
                Some(length) if length < 2 => damaged,
                _ => CUT_SHORT,
            });
        };
        position = next;
        match segment.marker {
            EOI => break,
            // Frames: sequential (C0, C1, C3, C5, C7, C9, CB, CD, CF) and progressive (C2, C6, CA, CE).
            marker if is_frame_marker(marker) => {
                if frame.is_some() && !matches!(segment.marker, 0xC5..=0xC7 | 0xCD..=0xCF) {
                    return Err(damaged);
                }
                frame = Some(FrameCoverage::read(segment.payload, matches!(segment.marker, 0xC2 | 0xC6 | 0xCA | 0xCE)).ok_or(damaged)?);
            }
            SOS => {
                let frame = frame.as_mut().ok_or(damaged.clone())?;
                let units = frame.cover(segment.payload).ok_or(damaged)?;
                scans += 1;
                position = skip_scan_data(bytes, position, restart_interval, units)?;
            }
            0xDD => {
                let interval = segment.payload.get(0..2).ok_or(damaged)?;
                restart_interval = u16::from_be_bytes([interval[0], interval[1]]) as usize;
            }
            // Tables, arithmetic conditioning, line count, application data, comments, TEM.
            0xC4 | 0xCC | 0xDB | 0xDC | 0xE0..=0xEF | COM | 0x01 => {}
            _ => return Err(damaged),
        }
    }
    match frame {
        Some(frame) if scans > 0 && frame.is_covered() => Ok(()),
        Some(_) if scans > 0 => Err(PhotoError::Incomplete { reason: "JPEG ends before its last scan" }),
        _ => Err(MALFORMED),
    }
}

/// After a scan header at `start`: where the marker ending its entropy-coded
/// data begins, with the restart markers inside checked (see `check_complete`).
fn skip_scan_data(bytes: &[u8], start: usize, restart_interval: usize, units: usize) -> Result<usize, PhotoError> {
    const DAMAGED: PhotoError = PhotoError::Incomplete { reason: "JPEG image data is damaged" };
    let expected_restarts = if restart_interval > 0 { units.div_ceil(restart_interval).saturating_sub(1) } else { 0 };
    let (mut restarts, mut position) = (0usize, start);
    loop {
        let rest = bytes.get(position..).unwrap_or(&[]);
        let data = entropy_data_length_without_restarts(rest);
        if data + 1 >= rest.len() {
            return Err(PhotoError::Incomplete { reason: "JPEG ends inside its image data" });
        }
        // `rest[data]` is 0xFF; fill bytes may repeat it.
        let fill = rest[data..].iter().take_while(|&&b| b == 0xFF).count();
        let Some(&marker) = rest.get(data + fill) else {
            return Err(PhotoError::Incomplete { reason: "JPEG ends inside its image data" });
        };
        if !(0xD0..=0xD7).contains(&marker) {
            // The scan ends here: at least one byte of data, the restart count
            // right, and a marker that may follow a scan.
            let allowed = matches!(marker, 0xC4 | 0xCC | 0xDA | 0xDB | 0xDC | 0xDD | 0xD9 | 0xE0..=0xEF | COM);
            // (One restart more than the intervals need is tolerated: an encoder may close the last interval with one.)
            let restarts_fit = units == 0 || restart_interval == 0 || restarts == expected_restarts || restarts == expected_restarts + 1;
            if position + data == start || !restarts_fit || !allowed {
                return Err(DAMAGED);
            }
            return Ok(position + data);
        }
        if restart_interval == 0 || marker != 0xD0 + (restarts % 8) as u8 {
            return Err(DAMAGED);
        }
        restarts += 1;
        position += data + fill + 1;
    }
}

/// Bytes of entropy-coded data up to the next marker of any kind except a
/// stuffed `FF 00` (restart markers end it too, unlike `entropy_data_length`).
fn entropy_data_length_without_restarts(data: &[u8]) -> usize {
    let mut i = 0;
    while i + 1 < data.len() {
        if data[i] == 0xFF && data[i + 1] != 0x00 {
            return i;
        }
        i += 1;
    }
    data.len()
}

/// A frame's components and what its scans have delivered so far.
struct FrameCoverage {
    progressive: bool,
    width: usize,
    height: usize,
    /// Per component: id, sampling factors, and per coefficient the lowest
    /// bit delivered so far (`NOT_SENT` before any scan carried it).
    components: Vec<(u8, usize, usize, [u8; 64])>,
}

const NOT_SENT: u8 = 0xFF;

impl FrameCoverage {
    fn read(payload: &[u8], progressive: bool) -> Option<FrameCoverage> {
        let height = u16::from_be_bytes([*payload.get(1)?, *payload.get(2)?]) as usize;
        let width = u16::from_be_bytes([*payload.get(3)?, *payload.get(4)?]) as usize;
        let count = *payload.get(5)? as usize;
        if count == 0 || width == 0 {
            return None;
        }
        let mut components = Vec::with_capacity(count);
        for i in 0..count {
            let spec = payload.get(6 + 3 * i..9 + 3 * i)?;
            let (h, v) = ((spec[1] >> 4) as usize, (spec[1] & 15) as usize);
            if !(1..=4).contains(&h) || !(1..=4).contains(&v) {
                return None;
            }
            components.push((spec[0], h, v, [NOT_SENT; 64]));
        }
        Some(FrameCoverage { progressive, width, height, components })
    }

    /// Records one scan header's coefficients; returns the scan's number of
    /// restart units (MCUs, or the one component's blocks; 0 when the frame
    /// leaves its height to a later DNL marker), or `None` when the
    /// header names a component the frame does not have.
    fn cover(&mut self, payload: &[u8]) -> Option<usize> {
        let count = *payload.first()? as usize;
        let tail = payload.get(1 + 2 * count..4 + 2 * count)?;
        if count == 0 {
            return None;
        }
        let (start, end, high, low) = (tail[0] as usize, tail[1] as usize, tail[2] >> 4, tail[2] & 15);
        let mut single = None;
        for i in 0..count {
            let id = payload[1 + 2 * i];
            let index = self.components.iter().position(|c| c.0 == id)?;
            single = Some(index);
            let coefficients = &mut self.components[index].3;
            if !self.progressive {
                coefficients.fill(0);
                continue;
            }
            for bit in coefficients.iter_mut().take(end.min(63) + 1).skip(start) {
                // A first pass sets the bit it stops at; a refinement moves it down by one.
                if high == 0 || *bit == high {
                    *bit = low;
                }
            }
        }
        let max_h = self.components.iter().map(|c| c.1).max().unwrap_or(1);
        let max_v = self.components.iter().map(|c| c.2).max().unwrap_or(1);
        // A height of 0 comes with a DNL marker later: no restart count to check then (0).
        let height = self.height;
        Some(match (count, single) {
            (1, Some(index)) => {
                let (_, h, v, _) = self.components[index];
                (self.width * h).div_ceil(max_h).div_ceil(8) * (height * v).div_ceil(max_v).div_ceil(8)
            }
            _ => self.width.div_ceil(8 * max_h) * height.div_ceil(8 * max_v),
        })
    }

    fn is_covered(&self) -> bool {
        self.components.iter().all(|c| c.3.iter().all(|&bit| bit == 0))
    }
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
