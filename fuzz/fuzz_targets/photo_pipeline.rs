//! The whole photo pipeline on file bytes (`photo::process_photo`, then a
//! re-crop with corners from the input), with small limits so one run stays
//! in milliseconds. Input: a raw file, or (first byte neither FF nor 89) a damaged real JPEG.
//! Oracles: the output JPEG is one the header reader accepts at the size the
//! result claims, within `max_edge` and `max_bytes`, with no metadata; the
//! corners lie on the oriented photo; the greyscale crop has the output size (unless shrunk to fit).
#![no_main]

use id_capture::photo::header::read_header;
use id_capture::photo::jpeg_segments::{all_markers, APP1, COM};
use id_capture::photo::{process_photo, process_photo_with_corners, DecodeLimits, PhotoOptions, Point, ProcessedPhoto, Quad};
use id_capture_fuzz::photo_input;
use libfuzzer_sys::fuzz_target;

fn check(photo: &ProcessedPhoto, options: &PhotoOptions) {
    let header = read_header(&photo.jpeg).expect("the output JPEG must read");
    assert_eq!((header.width, header.height), (photo.width, photo.height));
    assert!(photo.width.max(photo.height) <= options.max_edge);
    assert_eq!(photo.bytes, photo.jpeg.len());
    assert!(photo.bytes <= options.max_bytes, "over the byte budget");
    let markers = all_markers(&photo.jpeg).expect("the output JPEG must walk");
    assert!(!markers.iter().any(|s| (APP1..=0xEF).contains(&s.marker) || s.marker == COM), "metadata in the output");
    if !photo.shrunk_to_fit {
        assert_eq!((photo.grey_for_reading.width, photo.grey_for_reading.height), (photo.width as usize, photo.height as usize));
    }
    let (w, h) = (photo.source_width as f32, photo.source_height as f32);
    for corner in photo.corners.iter() {
        assert!(corner.x.is_finite() && corner.y.is_finite());
        assert!((-1.0..=w + 1.0).contains(&corner.x) && (-1.0..=h + 1.0).contains(&corner.y), "corner {corner:?} off a {w}×{h} photo");
    }
}

fuzz_target!(|data: &[u8]| {
    let options = PhotoOptions {
        max_edge: 64,
        max_bytes: 4_000,
        thumbnail_max_edge: Some(16),
        thumbnail_quality: 50,
        limits: DecodeLimits { max_side: 256, max_pixels: 256 * 256 },
    };
    let bytes = photo_input(data);
    let corners_from = data.get(data.len().saturating_sub(8)..).unwrap_or(data);
    let Ok(photo) = process_photo(&bytes, &options) else { return };
    check(&photo, &options);
    // A re-crop with corners the user dragged anywhere (inside or out).
    let coordinate = |at: usize| f32::from(corners_from.get(at).copied().unwrap_or(0)) / 255.0 * 1.2 - 0.1;
    let (w, h) = (photo.source_width as f32, photo.source_height as f32);
    let corners: Quad = std::array::from_fn(|i| Point::new(coordinate(2 * i) * w, coordinate(2 * i + 1) * h));
    if let Ok(recropped) = process_photo_with_corners(&bytes, corners, &options) {
        check(&recropped, &options);
    }
});
