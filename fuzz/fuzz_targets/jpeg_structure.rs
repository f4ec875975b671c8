//! JPEG segment walking, the header (SOF/IHDR) reader and the EXIF
//! orientation reader (`photo::jpeg_segments`, `header`, `exif`).
//! Input: a raw file, or (any first byte but FF and 89) a damaged real JPEG with an EXIF segment.
//! Oracles: every segment lies inside the file; the copy that says "upright"
//! reads as upright and keeps the size; the copy without metadata has no
//! metadata segment, still walks, and keeps the size and the scan data.
#![no_main]

use id_capture::photo::exif::{jpeg_orientation_entry, jpeg_with_normal_orientation, orientation_of_file};
use id_capture::photo::header::read_header;
use id_capture::photo::jpeg_segments::{all_markers, check_complete, header_segments, segment_at, without_metadata, APP1, COM, SOS};
use id_capture::photo::Orientation;
use id_capture_fuzz::photo_input;
use libfuzzer_sys::fuzz_target;

fn inside(bytes: &[u8], payload: &[u8]) -> bool {
    let start = payload.as_ptr() as usize;
    let file = bytes.as_ptr() as usize;
    payload.is_empty() || (start >= file && start + payload.len() <= file + bytes.len())
}

fuzz_target!(|data: &[u8]| {
    let bytes = photo_input(data);
    let bytes = bytes.as_slice();

    let mut position = 0;
    for _ in 0..64 {
        let Some((segment, next)) = segment_at(bytes, position) else { break };
        assert!(next > position && next <= bytes.len() && inside(bytes, segment.payload));
        position = next;
    }
    if let Some(segments) = header_segments(bytes) {
        assert!(segments.iter().all(|s| inside(bytes, s.payload)));
        assert_eq!(segments.last().map(|s| s.marker), Some(SOS));
    }
    let markers = all_markers(bytes);
    if let Some(markers) = &markers {
        assert!(markers.iter().all(|s| inside(bytes, s.payload)));
    }
    let _ = check_complete(bytes);

    let header = read_header(bytes);
    let orientation = orientation_of_file(bytes);
    if let Some(entry) = jpeg_orientation_entry(bytes) {
        assert_eq!(entry.orientation, orientation, "the two EXIF readers disagree");
        assert!(entry.value_at + 2 <= bytes.len());
    }
    if let Some((upright, said)) = jpeg_with_normal_orientation(bytes) {
        assert_eq!(said, orientation);
        assert_ne!(said, Orientation::Normal);
        assert_eq!(upright.len(), bytes.len());
        assert_eq!(orientation_of_file(&upright), Orientation::Normal);
        assert_eq!(read_header(&upright).ok(), header.clone().ok(), "rewriting the orientation changed the header");
    }
    if let Ok(header) = &header {
        assert!(header.width > 0 && header.height > 0);
        if let Some(clean) = without_metadata(bytes, header.width, header.height) {
            let clean_markers = all_markers(&clean).expect("the copy without metadata must still walk");
            assert!(!clean_markers.iter().any(|s| (APP1..=0xEF).contains(&s.marker) || s.marker == COM), "metadata left in");
            assert_eq!(orientation_of_file(&clean), Orientation::Normal);
            let clean_header = read_header(&clean).expect("the copy without metadata must read");
            assert_eq!((clean_header.width, clean_header.height), (header.width, header.height));
            assert!(clean.len() <= bytes.len() + 2);
        }
    }
});
