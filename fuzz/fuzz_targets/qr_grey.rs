//! QR decoding (`qr::decode_grey`, our layer over the patched rqrr in
//! `vendor/rqrr`) on small grey images: two bytes choose the size (up to
//! 160×160), then scan options, then pixels.
//! Oracles: a decoded code's corners lie on (or next to) the image, within
//! the pass count is within budget, and only a missing code is an error.
#![no_main]

use id_capture::qr::{decode_grey, QrError, ScanOptions, ScanRegion};
use id_capture_fuzz::small_grey;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&option_byte, rest)) = data.split_first() else { return };
    let Some((width, height, grey)) = small_grey(rest, 1, 160, 160) else { return };
    let region = (option_byte & 0x80 != 0).then(|| {
        let byte = |at: usize| u32::from(rest.get(at).copied().unwrap_or(0));
        ScanRegion { x: byte(2) % width, y: byte(3) % height, width: 1 + byte(4), height: 1 + byte(5) }
    });
    let options = ScanOptions { region, max_attempts: Some(u32::from(option_byte & 0x07) + 1), max_working_edge: None };
    match decode_grey(width, height, &grey, &options) {
        Ok(decoded) => {
            assert!(decoded.attempt >= 1 && decoded.attempt <= options.max_attempts());
            let slack = width.max(height) as i32; // corners are extrapolated from the finder patterns
            for corner in decoded.corners {
                assert!(corner.x >= -slack && corner.y >= -slack && corner.x <= width as i32 + slack && corner.y <= height as i32 + slack, "{corner:?}");
            }
        }
        Err(QrError::NoQrCodeFound { attempts }) => assert!(attempts <= options.max_attempts()),
        // The buffer fits its size and the region starts inside the image.
        Err(error) => panic!("a well-formed input was refused: {error}"),
    }
});
