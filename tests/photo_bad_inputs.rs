//! Hostile and broken files: every one gives a typed error, none panics,
//! and oversized headers are refused before any pixel memory is allocated.

mod support;

use id_capture::error::Coded;
use id_capture::photo::{process_photo, DecodeLimits, OrientedPhoto, PhotoError, PhotoOptions};
use support::document_photo::{make_photo, PhotoSpec, Rng};

fn code_of(bytes: &[u8]) -> &'static str {
    process_photo(bytes, &PhotoOptions::default()).expect_err("must be refused").code().as_str()
}

/// A minimal baseline JPEG header declaring `width × height`, then a scan and EOI.
fn jpeg_header(width: u16, height: u16) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8];
    // SOF0: length 11, precision 8, height, width, 1 component.
    bytes.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x0B, 0x08]);
    bytes.extend_from_slice(&height.to_be_bytes());
    bytes.extend_from_slice(&width.to_be_bytes());
    bytes.extend_from_slice(&[0x01, 0x01, 0x11, 0x00]);
    // SOS for the one component, a few bytes of "data", EOI.
    bytes.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x12, 0x34, 0xFF, 0xD9]);
    bytes
}

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    chunk.extend_from_slice(kind);
    chunk.extend_from_slice(data);
    // The CRC is not checked before our size check; zeros suffice.
    chunk.extend_from_slice(&[0, 0, 0, 0]);
    chunk
}

fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    bytes.extend(png_chunk(b"IHDR", &ihdr));
    bytes.extend(png_chunk(b"IDAT", &[0x78, 0x9C, 0x03, 0x00]));
    bytes.extend(png_chunk(b"IEND", &[]));
    bytes
}

#[test]
fn bomb_headers_are_refused_before_decoding() {
    let jpeg = process_photo(&jpeg_header(50_000, 50_000), &PhotoOptions::default()).unwrap_err();
    assert_eq!(jpeg, PhotoError::TooLarge { width: 50_000, height: 50_000, limit: 16_384 });
    let png = process_photo(&png_header(50_000, 50_000), &PhotoOptions::default()).unwrap_err();
    assert_eq!(png.code().as_str(), "image_too_large");
    // Within the side limit but over the pixel budget.
    assert_eq!(code_of(&jpeg_header(9_000, 9_000)), "image_too_large");
}

#[test]
#[cfg(feature = "photo-png")]
fn twenty_thousand_pixel_wide_png_is_too_large() {
    // A real, valid PNG: narrow in bytes, wide in pixels.
    let mut png = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut png),
        &vec![200u8; 20_000 * 2 * 3],
        20_000,
        2,
        image::ExtendedColorType::Rgb8,
    )
    .unwrap();
    let error = process_photo(&png, &PhotoOptions::default()).unwrap_err();
    assert_eq!(error, PhotoError::TooLarge { width: 20_000, height: 2, limit: 16_384 });
}

#[test]
fn zero_sized_and_empty_inputs_are_empty() {
    assert_eq!(code_of(&[]), "image_empty");
    assert_eq!(code_of(&jpeg_header(0, 100)), "image_empty");
    assert_eq!(code_of(&png_header(100, 0)), "image_empty");
}

#[test]
fn truncated_jpeg_is_corrupt_at_every_cut() {
    let photo = make_photo(&PhotoSpec { scene_width: 320, scene_height: 240, ..PhotoSpec::default() });
    for cut in [3, 20, 200, photo.jpeg.len() / 3, photo.jpeg.len() / 2, photo.jpeg.len() - 2] {
        let code = code_of(&photo.jpeg[..cut]);
        assert!(code == "image_corrupt", "cut at {cut}: {code}");
    }
}

#[test]
fn corrupt_scan_data_never_panics() {
    let photo = make_photo(&PhotoSpec { scene_width: 320, scene_height: 240, ..PhotoSpec::default() });
    let mut rng = Rng::new(7);
    for _ in 0..40 {
        let mut damaged = photo.jpeg.clone();
        for _ in 0..20 {
            let at = 2 + (rng.next_u64() as usize) % (damaged.len() - 2);
            damaged[at] = rng.next_u64() as u8;
        }
        // Either a typed error or a processed image; never a panic.
        let _ = process_photo(&damaged, &PhotoOptions::default());
    }
}

#[test]
fn random_bytes_and_other_formats_are_typed() {
    let mut rng = Rng::new(3);
    let noise: Vec<u8> = (0..5000).map(|_| rng.next_u64() as u8).collect();
    assert_eq!(code_of(&noise), "image_unsupported");
    let heic = [&[0, 0, 0, 0x18][..], b"ftypheic", &[0; 16]].concat();
    assert_eq!(process_photo(&heic, &PhotoOptions::default()).unwrap_err(), PhotoError::Unsupported { format: "HEIC" });
    let webp = [&b"RIFF"[..], &[0; 4], b"WEBPVP8 ", &[0; 16]].concat();
    assert_eq!(process_photo(&webp, &PhotoOptions::default()).unwrap_err(), PhotoError::Unsupported { format: "WebP" });
    // A PNG with a valid header and garbage image data.
    #[cfg(feature = "photo-png")]
    let mut broken_png = png_header(64, 64);
    #[cfg(feature = "photo-png")]
    {
        let idat = broken_png.len() - 12 - 8;
        broken_png[idat] ^= 0xFF;
        assert_eq!(code_of(&broken_png), "image_corrupt");
    }
}

#[test]
fn error_messages_carry_no_file_content() {
    let photo = make_photo(&PhotoSpec { scene_width: 320, scene_height: 240, ..PhotoSpec::default() });
    let message = process_photo(&photo.jpeg[..photo.jpeg.len() / 2], &PhotoOptions::default()).unwrap_err().to_string();
    assert!(!message.contains("ERIKSSON") && !message.contains("Invented"), "{message}");
}

#[test]
fn limits_are_configurable() {
    let photo = make_photo(&PhotoSpec { scene_width: 320, scene_height: 240, ..PhotoSpec::default() });
    let tight = DecodeLimits { max_side: 300, max_pixels: 1_000_000 };
    assert_eq!(OrientedPhoto::from_file(&photo.jpeg, &tight).unwrap_err(), PhotoError::TooLarge { width: 320, height: 240, limit: 300 });
    let bad_options = PhotoOptions { max_edge: 0, ..PhotoOptions::default() };
    assert_eq!(process_photo(&photo.jpeg, &bad_options).unwrap_err().code().as_str(), "invalid_config");
}
