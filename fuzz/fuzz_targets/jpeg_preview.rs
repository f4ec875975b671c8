//! The JPEG DC preview decoder (`photo::jpeg_preview`) on hostile bytes.
//! Input: a raw JPEG/PNG file, or (any other first byte) a small image encoded by the
//! crate's own encoder and then damaged, so the entropy decoder sees real
//! Huffman tables and scans with a few bytes changed.
//! Oracle: a preview has one pixel per 8×8 block of the frame its header
//! claims, a pixel buffer of exactly that size, and an origin inside the
//! first block; the scan-data check agrees with the preview.
#![no_main]

use id_capture::photo::header::read_header;
use id_capture::photo::jpeg_preview::{check_scan_data, jpeg_preview, PREVIEW_FACTOR};
use id_capture::photo::{DecodeLimits, PhotoError};
use id_capture_fuzz::photo_input;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = DecodeLimits { max_side: 2048, max_pixels: 1 << 20 };
    let bytes = photo_input(data);
    let preview = jpeg_preview(&bytes, &limits);
    let scan_check = check_scan_data(&bytes, &limits);
    let Ok(preview) = preview else {
        // The check reads the same scans: it may only pass what the preview
        // also refused for being unsupported, too large or malformed before the scans.
        if let (Err(PhotoError::Incomplete { .. }), Ok(())) = (&preview, &scan_check) {
            panic!("the preview found the scan data damaged but check_scan_data passed it");
        }
        return;
    };
    assert!(scan_check.is_ok(), "a preview was made but check_scan_data refused: {scan_check:?}");
    let blocks = |side: u32| side.div_ceil(PREVIEW_FACTOR);
    assert_eq!((preview.image.width, preview.image.height), (blocks(preview.photo_width), blocks(preview.photo_height)));
    assert_eq!(preview.image.pixels.len(), preview.image.width as usize * preview.image.height as usize * 3);
    assert!(limits.check(preview.photo_width, preview.photo_height).is_ok());
    if let Ok(header) = read_header(&bytes) {
        let (w, h) = (header.width, header.height);
        assert!((w, h) == (preview.photo_width, preview.photo_height) || (h, w) == (preview.photo_width, preview.photo_height));
    }
    let block = PREVIEW_FACTOR as f32;
    assert!((-block..=0.0).contains(&preview.offset_x) && (-block..=0.0).contains(&preview.offset_y), "origin {} {}", preview.offset_x, preview.offset_y);
});
