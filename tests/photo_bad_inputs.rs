//! Hostile and broken files: every one gives a typed error, none panics,
//! and oversized headers are refused before any pixel memory is allocated.

mod support;

use id_capture::error::Coded;
use id_capture::photo::decode::check_complete;
use id_capture::photo::jpeg_segments::all_markers;
use id_capture::photo::region::find_document_in_jpeg;
use id_capture::photo::{process_photo, DecodeLimits, OrientedPhoto, PhotoError, PhotoOptions};
use support::document_photo::{make_photo, render_scene, PhotoSpec, Rng};

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
fn truncated_jpeg_is_incomplete_at_every_cut_on_both_paths() {
    let photo = make_photo(&PhotoSpec { scene_width: 320, scene_height: 240, ..PhotoSpec::default() });
    let length = photo.jpeg.len();
    for cut in [3, 20, 200, length / 3, length / 2, length * 9 / 10, length * 99 / 100, length - 2, length - 1] {
        // The wasm decode path, and the check the browser path runs on the bytes it reads.
        let code = code_of(&photo.jpeg[..cut]);
        assert_eq!(code, "image_incomplete", "cut at {cut} of {length}");
        let checked = check_complete(&photo.jpeg[..cut]).expect_err("a cut file is not complete");
        assert_eq!(checked.code().as_str(), "image_incomplete", "cut at {cut} of {length}: {checked}");
    }
    assert_eq!(check_complete(&photo.jpeg), Ok(()));
}

#[test]
fn trailing_data_after_the_end_of_image_is_accepted() {
    // Phones append gain maps, depth maps and vendor trailers after EOI.
    let photo = make_photo(&PhotoSpec { scene_width: 320, scene_height: 240, ..PhotoSpec::default() });
    let mut rng = Rng::new(5);
    let trailer: Vec<u8> = (0..3000).map(|_| rng.next_u64() as u8).collect();
    let with_trailer = [&photo.jpeg[..], &trailer[..], b"\xFF\xD8\xFF\xE1 second image"].concat();
    assert_eq!(check_complete(&with_trailer), Ok(()));
    assert!(process_photo(&with_trailer, &PhotoOptions::default()).is_ok());
}

/// The same scene written by another encoder in the layouts phones and editors use.
fn encoded(progressive: bool, restart_interval: u16) -> Vec<u8> {
    let (scene, _) = render_scene(&PhotoSpec { scene_width: 640, scene_height: 480, ..PhotoSpec::default() });
    let mut jpeg = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut jpeg, 90);
    encoder.set_progressive(progressive);
    encoder.set_restart_interval(restart_interval);
    encoder.encode(&scene.pixels, scene.width as u16, scene.height as u16, jpeg_encoder::ColorType::Rgb).expect("encoded");
    jpeg
}

/// Where each scan header starts.
fn scan_starts(jpeg: &[u8]) -> Vec<usize> {
    all_markers(jpeg)
        .expect("parses")
        .iter()
        .filter(|s| s.marker == 0xDA)
        .map(|s| s.payload.as_ptr() as usize - jpeg.as_ptr() as usize - 4)
        .collect()
}

#[test]
fn progressive_and_restart_interval_files_are_checked_whole_and_cut() {
    for (progressive, restart_interval) in [(false, 0), (false, 4), (true, 0), (true, 8)] {
        let case = format!("progressive {progressive}, restart interval {restart_interval}");
        let jpeg = encoded(progressive, restart_interval);
        assert_eq!(check_complete(&jpeg), Ok(()), "{case}");
        assert!(process_photo(&jpeg, &PhotoOptions::default()).is_ok(), "{case}");
        for cut in [jpeg.len() / 2, jpeg.len() * 9 / 10, jpeg.len() * 99 / 100] {
            assert_eq!(code_of(&jpeg[..cut]), "image_incomplete", "{case}: cut at {cut}");
            assert!(matches!(check_complete(&jpeg[..cut]), Err(PhotoError::Incomplete { .. })), "{case}: cut at {cut}");
        }
    }
}

#[test]
fn a_progressive_file_missing_its_last_scans_is_incomplete_even_with_an_end_marker() {
    // What a careless repair of a cut file looks like: scans dropped, EOI appended.
    let jpeg = encoded(true, 0);
    let scans = scan_starts(&jpeg);
    assert!(scans.len() > 2, "a progressive script has several scans");
    let repaired = [&jpeg[..scans[scans.len() - 2]], &[0xFF, 0xD9][..]].concat();
    assert_eq!(check_complete(&repaired), Err(PhotoError::Incomplete { reason: "JPEG ends before its last scan" }));
    assert_eq!(code_of(&repaired), "image_incomplete");
}

#[test]
fn a_middle_cut_out_of_a_file_with_restart_markers_is_named() {
    let jpeg = encoded(false, 4);
    let (from, to) = (jpeg.len() * 2 / 5, jpeg.len() * 3 / 5);
    let spliced = [&jpeg[..from], &jpeg[to..]].concat();
    assert_eq!(code_of(&spliced), "image_incomplete");
    assert!(matches!(check_complete(&spliced), Err(PhotoError::Incomplete { .. })));
}

/// What the browser path's core call (`findPhotoDocumentInJpeg`) says of a file.
fn browser_path_error(bytes: &[u8]) -> Option<PhotoError> {
    find_document_in_jpeg(bytes, &DecodeLimits::default()).err()
}

#[test]
fn a_corrupt_middle_is_named_never_passed_on_silently() {
    // Random bytes over a stretch of the scan data (a bad sector, a broken
    // transfer): a short stretch often holds no marker, so only the entropy
    // decoding sees it (its codes go out of step); a long one breaks the
    // file's marker structure too.
    for (progressive, restart_interval, stretches) in [(false, 0, &[64usize, 512, 4096][..]), (false, 4, &[64, 512, 4096]), (true, 0, &[4096])] {
        let jpeg = encoded(progressive, restart_interval);
        let mut rng = Rng::new(11);
        for &stretch in stretches {
            let mut damaged = jpeg.clone();
            let from = jpeg.len() / 2;
            for byte in &mut damaged[from..from + stretch] {
                *byte = rng.next_u64() as u8;
            }
            let case = format!("progressive {progressive}, restart interval {restart_interval}, {stretch} bytes");
            assert_eq!(code_of(&damaged), "image_incomplete", "{case}: the wasm decode path");
            assert!(matches!(browser_path_error(&damaged), Some(PhotoError::Incomplete { .. })), "{case}: the browser path");
        }
    }
    // Zeros over a stretch (a lost block of a download) hold no marker either.
    let jpeg = encoded(false, 0);
    let mut zeroed = jpeg.clone();
    zeroed[jpeg.len() / 2..jpeg.len() / 2 + 1000].fill(0);
    assert_eq!(code_of(&zeroed), "image_incomplete");
    assert!(matches!(browser_path_error(&zeroed), Some(PhotoError::Incomplete { .. })));
}

#[test]
fn the_browser_path_names_a_cut_twelve_megapixel_photo_and_reads_a_whole_one() {
    let photo = make_photo(&PhotoSpec { scene_width: 4032, scene_height: 3024, with_metadata: false, ..PhotoSpec::default() });
    assert!(matches!(find_document_in_jpeg(&photo.jpeg, &DecodeLimits::default()), Ok(Some(_))));
    for cut in [photo.jpeg.len() / 2, photo.jpeg.len() * 9 / 10, photo.jpeg.len() * 99 / 100] {
        assert!(matches!(browser_path_error(&photo.jpeg[..cut]), Some(PhotoError::Incomplete { .. })), "cut at {cut}");
    }
}

#[test]
fn a_cut_png_is_incomplete() {
    let mut png = Vec::new();
    image::ImageEncoder::write_image(image::codecs::png::PngEncoder::new(&mut png), &vec![90u8; 64 * 48 * 3], 64, 48, image::ExtendedColorType::Rgb8).unwrap();
    assert_eq!(check_complete(&png), Ok(()));
    for cut in [12, png.len() / 2, png.len() - 1] {
        assert!(matches!(check_complete(&png[..cut]), Err(PhotoError::Incomplete { .. })), "cut at {cut}");
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
