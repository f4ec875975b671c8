//! Unit tests of the QR entry points: input validation and robustness. Image
//! conditions live in tests/qr_images.rs.

use super::*;
use crate::error::{Coded, ErrorCode};

// Shared with the browser test (tests/web.rs), which proves the same image cannot trap the wasm module.
#[path = "../../tests/support/rqrr_trigger.rs"]
mod rqrr_trigger;
use rqrr_trigger::{draw_finder, upstream_panic_bitmap};

#[test]
fn upstream_rqrr_panics_on_the_trigger_image() {
    let (width, height, dark) = upstream_panic_bitmap();
    let outcome = std::panic::catch_unwind(|| {
        let mut prepared = rqrr_upstream::PreparedImage::prepare_from_bitmap(width, height, |x, y| dark[y * width + x]);
        prepared.detect_grids().len()
    });
    let message = outcome.expect_err("upstream 0.10.1 panics on this image");
    let text = message.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| message.downcast_ref::<String>().cloned());
    assert_eq!(text.as_deref(), Some("assertion failed: x <= i32::MAX as f64"));
}

#[test]
fn patched_rqrr_survives_the_upstream_trigger_image() {
    let (width, height, dark) = upstream_panic_bitmap();
    let mut prepared = rqrr::PreparedImage::prepare_from_bitmap(width, height, |x, y| dark[y * width + x]);
    let _ = prepared.detect_grids();
}

#[test]
fn decoder_returns_an_error_not_a_panic_on_the_upstream_trigger_image() {
    let (width, height, dark) = upstream_panic_bitmap();
    let grey: Vec<u8> = dark.iter().map(|&d| if d { 10 } else { 240 }).collect();
    let options = ScanOptions { max_attempts: Some(32), ..ScanOptions::default() };
    assert!(matches!(decode_grey(width as u32, height as u32, &grey, &options), Err(QrError::NoQrCodeFound { .. })));
}

/// Deterministic pseudo-random numbers in [0, 1).
fn random_stream(seed: u64) -> impl FnMut() -> f64 {
    let mut state = seed;
    move || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The random search that found the upstream panic, run against our decoder
/// (overflow checks are on in test builds, so arithmetic overflow would panic too).
#[test]
fn random_finder_pattern_clutter_never_panics() {
    let mut next = random_stream(7);
    let (width, height) = (200usize, 200usize);
    for _ in 0..1500 {
        let mut dark = vec![false; width * height];
        let module = 2.0 + next() * 4.0;
        for _ in 0..3 + (next() * 3.0) as usize {
            draw_finder(&mut dark, width, (20.0 + next() * 160.0, 20.0 + next() * 160.0, next() * std::f64::consts::TAU), module);
        }
        let mut prepared = rqrr::PreparedImage::prepare_from_bitmap(width, height, |x, y| dark[y * width + x]);
        let _ = prepared.detect_grids();
    }
}

#[test]
fn random_noise_and_extreme_images_never_panic() {
    let mut next = random_stream(11);
    let options = ScanOptions { max_attempts: Some(32), ..ScanOptions::default() };
    for (width, height) in [(1, 1), (1, 500), (500, 1), (21, 21), (40, 25), (333, 211), (640, 480)] {
        for fill in [0u8, 255, 128] {
            let flat = vec![fill; width * height];
            assert!(decode_grey(width as u32, height as u32, &flat, &options).is_err());
        }
        let noise: Vec<u8> = (0..width * height).map(|_| (next() * 256.0) as u8).collect();
        assert!(decode_grey(width as u32, height as u32, &noise, &options).is_err());
        let checkerboard: Vec<u8> = (0..width * height).map(|i| if (i % width / 3 + i / width / 3) % 2 == 0 { 0 } else { 255 }).collect();
        assert!(decode_grey(width as u32, height as u32, &checkerboard, &options).is_err());
    }
}

#[test]
fn wrong_buffer_length_is_invalid_pixels() {
    let error = decode_rgba(4, 4, &[0; 63], &ScanOptions::default()).unwrap_err();
    assert_eq!(error, QrError::InvalidPixels { expected: 64, actual: 63 });
    assert_eq!(error.code(), ErrorCode::InvalidPixels);
    assert_eq!(decode_grey(4, 4, &[0; 64], &ScanOptions::default()).unwrap_err().code(), ErrorCode::InvalidPixels);
    assert_eq!(decode_grey(0, 4, &[], &ScanOptions::default()).unwrap_err(), QrError::EmptyImage);
}

#[test]
fn oversized_dimensions_are_refused_before_reading_pixels() {
    let error = decode_rgba(u32::MAX, u32::MAX, &[], &ScanOptions::default()).unwrap_err();
    assert!(matches!(error, QrError::ImageTooLarge { .. }));
    assert_eq!(error.code(), ErrorCode::ImageTooLarge);
}

#[test]
fn region_outside_the_image_is_a_config_error() {
    let options = ScanOptions { region: Some(ScanRegion { x: 50, y: 0, width: 10, height: 10 }), ..ScanOptions::default() };
    let error = decode_grey(40, 40, &[255; 1600], &options).unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidConfig);
    let huge = ScanOptions { region: Some(ScanRegion { x: 0, y: 0, width: u32::MAX, height: u32::MAX }), ..ScanOptions::default() };
    assert!(matches!(decode_grey(40, 40, &[255; 1600], &huge), Err(QrError::NoQrCodeFound { .. })), "clamped to the image");
}

#[test]
fn work_is_bounded_by_max_attempts() {
    let options = ScanOptions { max_attempts: Some(2), ..ScanOptions::default() };
    assert_eq!(decode_grey(64, 64, &[200; 4096], &options), Err(QrError::NoQrCodeFound { attempts: 2 }));
    let zero = ScanOptions { max_attempts: Some(0), ..ScanOptions::default() };
    assert_eq!(decode_grey(64, 64, &[200; 4096], &zero), Err(QrError::NoQrCodeFound { attempts: 0 }));
}

#[test]
fn scan_options_deserialise_from_camel_case_json() {
    let options: ScanOptions =
        serde_json::from_str(r#"{"region": {"x": 1, "y": 2, "width": 3, "height": 4}, "maxAttempts": 3}"#).unwrap();
    assert_eq!(options.max_attempts(), 3);
    assert_eq!(options.region, Some(ScanRegion { x: 1, y: 2, width: 3, height: 4 }));
    assert!(serde_json::from_str::<ScanOptions>(r#"{"budget": 1}"#).is_err());
}

#[test]
fn keep_going_stops_further_passes() {
    let mut asked = 0;
    let result = decode_grey_while(64, 64, &[200; 4096], &ScanOptions::default(), &mut || {
        asked += 1;
        asked < 3
    });
    assert_eq!(result, Err(QrError::NoQrCodeFound { attempts: 3 }), "first pass, then two allowed");
}
