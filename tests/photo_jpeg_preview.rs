//! The 1/8-scale preview read from a JPEG's DC terms: it matches the block
//! means of a full decode for every layout cameras and editors write
//! (4:4:4, 4:2:2, 4:2:0, grey, restart intervals, progressive), it is placed
//! on the upright photo exactly for all eight EXIF orientations, the document
//! search finds the corners on it, and broken files are typed errors.

mod support;

use id_capture::photo::decode::decode_file;
use id_capture::photo::jpeg_preview::{jpeg_preview, JpegPreview, PREVIEW_FACTOR};
use id_capture::photo::orient::apply_orientation;
use id_capture::photo::region::find_document_in_jpeg;
use id_capture::photo::{DecodeLimits, Orientation, PhotoError, RgbImage};
use jpeg_encoder::{ColorType, Encoder, SamplingFactor};
use support::document_photo::{insert_segments, exif_app1, make_photo, render_scene, DocumentKind, PhotoSpec};

/// A scene with a document on clutter, at a size that is no multiple of 16,
/// so partial blocks and partial MCUs are exercised.
fn scene() -> RgbImage {
    let spec = PhotoSpec { seed: 7, rotation_degrees: 11.0, scene_width: 1203, scene_height: 893, ..PhotoSpec::default() };
    render_scene(&spec).0
}

/// How a test JPEG is written.
#[derive(Clone, Copy, Debug)]
struct Layout {
    sampling: SamplingFactor,
    progressive: bool,
    restart_interval: u16,
    grey: bool,
}

const BASELINE_420: Layout = Layout { sampling: SamplingFactor::R_4_2_0, progressive: false, restart_interval: 0, grey: false };

fn encode(image: &RgbImage, layout: Layout) -> Vec<u8> {
    let mut jpeg = Vec::new();
    let mut encoder = Encoder::new(&mut jpeg, 90);
    encoder.set_sampling_factor(layout.sampling);
    encoder.set_progressive(layout.progressive);
    encoder.set_restart_interval(layout.restart_interval);
    if layout.grey {
        let grey: Vec<u8> = image.pixels.chunks_exact(3).map(|p| ((p[0] as u32 * 77 + p[1] as u32 * 150 + p[2] as u32 * 29) >> 8) as u8).collect();
        encoder.encode(&grey, image.width as u16, image.height as u16, ColorType::Luma).expect("encoded");
    } else {
        encoder.encode(&image.pixels, image.width as u16, image.height as u16, ColorType::Rgb).expect("encoded");
    }
    jpeg
}

/// The mean colour of the photo pixels under each preview pixel (the
/// preview's placement on the photo included), from a full decode.
fn block_means(photo: &RgbImage, preview: &JpegPreview) -> Vec<[f32; 3]> {
    let (w, h) = (photo.width as i64, photo.height as i64);
    let mut means = Vec::new();
    for py in 0..preview.image.height as i64 {
        for px in 0..preview.image.width as i64 {
            let x0 = px * PREVIEW_FACTOR as i64 + preview.offset_x as i64;
            let y0 = py * PREVIEW_FACTOR as i64 + preview.offset_y as i64;
            let (mut sum, mut count) = ([0f32; 3], 0f32);
            for y in y0.max(0)..(y0 + 8).min(h) {
                for x in x0.max(0)..(x0 + 8).min(w) {
                    let at = ((y * w + x) * 3) as usize;
                    for (c, total) in sum.iter_mut().enumerate() {
                        *total += photo.pixels[at + c] as f32;
                    }
                    count += 1.0;
                }
            }
            means.push(sum.map(|s| s / count.max(1.0)));
        }
    }
    means
}

/// Mean and 99th-percentile absolute difference of `value` over all preview pixels.
fn differences(preview: &RgbImage, means: &[[f32; 3]], value: impl Fn([f32; 3]) -> Vec<f32>) -> (f32, f32) {
    let mut all: Vec<f32> = preview
        .pixels
        .chunks_exact(3)
        .zip(means)
        .flat_map(|(p, m)| value([p[0] as f32, p[1] as f32, p[2] as f32]).into_iter().zip(value(*m)).map(|(a, b)| (a - b).abs()))
        .collect();
    let mean = all.iter().sum::<f32>() / all.len() as f32;
    all.sort_by(f32::total_cmp);
    (mean, all[all.len() * 99 / 100])
}

fn luma(rgb: [f32; 3]) -> Vec<f32> {
    vec![0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]]
}

fn assert_matches_full_decode(jpeg: &[u8], case: &str) {
    let preview = jpeg_preview(jpeg, &DecodeLimits::default()).unwrap_or_else(|error| panic!("{case}: {error}"));
    let decoded = decode_file(jpeg, &DecodeLimits::default()).expect("full decode");
    let oriented = apply_orientation(decoded, id_capture::photo::exif::orientation_of_file(jpeg));
    assert_eq!((preview.photo_width, preview.photo_height), (oriented.width, oriented.height), "{case}");
    assert_eq!(preview.image.width, oriented.width.div_ceil(8), "{case}");
    assert_eq!(preview.image.height, oriented.height.div_ceil(8), "{case}");
    let means = block_means(&oriented, &preview);
    // Luma is exact at 1/8 (up to rounding and the decoder's clamping).
    let (mean, p99) = differences(&preview.image, &means, luma);
    assert!(mean < 0.8 && p99 < 4.0, "{case}: preview luma differs from the decode's block means: mean {mean:.2}, p99 {p99:.1}");
    // Subsampled chroma is one value per 16 px, which a full decode
    // interpolates: at colour edges an 8 px block's colour differs more.
    let (mean, p99) = differences(&preview.image, &means, |rgb| rgb.to_vec());
    assert!(mean < 3.0 && p99 < 40.0, "{case}: preview colour differs from the decode's block means: mean {mean:.2}, p99 {p99:.1}");
}

#[test]
fn the_preview_is_the_block_means_of_a_full_decode_for_every_layout() {
    let image = scene();
    let layouts = [
        ("baseline 4:4:4", Layout { sampling: SamplingFactor::R_4_4_4, ..BASELINE_420 }),
        ("baseline 4:2:2", Layout { sampling: SamplingFactor::R_4_2_2, ..BASELINE_420 }),
        ("baseline 4:2:0", BASELINE_420),
        ("baseline 4:2:0, restart every 7 MCUs", Layout { restart_interval: 7, ..BASELINE_420 }),
        ("progressive 4:2:0", Layout { progressive: true, ..BASELINE_420 }),
        ("progressive 4:4:4, restart every 3 MCUs", Layout { sampling: SamplingFactor::R_4_4_4, progressive: true, restart_interval: 3, grey: false }),
        ("baseline grey", Layout { grey: true, ..BASELINE_420 }),
        ("progressive grey", Layout { grey: true, progressive: true, ..BASELINE_420 }),
    ];
    for (case, layout) in layouts {
        assert_matches_full_decode(&encode(&image, layout), case);
    }
    // And the image crate's own encoder (the generated phone photos, our fallback encoder).
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90).encode(&image.pixels, image.width, image.height, image::ExtendedColorType::Rgb8).expect("encoded");
    assert_matches_full_decode(&jpeg, "image crate encoder");
}

#[test]
fn the_preview_lies_exactly_on_the_upright_photo_for_all_eight_orientations() {
    let image = scene();
    for orientation in Orientation::ALL {
        // Stored so that the orientation displays `image` upright.
        let stored = apply_orientation(image.clone(), orientation.inverse());
        let jpeg = insert_segments(&encode(&stored, BASELINE_420), &[(0xE1, exif_app1(orientation))]);
        let preview = jpeg_preview(&jpeg, &DecodeLimits::default()).expect("preview");
        assert_eq!((preview.photo_width, preview.photo_height), (image.width, image.height), "{orientation:?}");
        // 1203 and 893 are no multiples of 8: a reversed axis starts 5 (or 3) px before the photo.
        assert!([0.0, -5.0, -3.0].contains(&preview.offset_x) && [0.0, -5.0, -3.0].contains(&preview.offset_y), "{orientation:?}");
        assert_matches_full_decode(&jpeg, &format!("{orientation:?}"));
    }
}

#[test]
fn the_document_is_found_on_the_preview_in_every_orientation() {
    for (i, orientation) in Orientation::ALL.into_iter().enumerate() {
        let kind = if i % 3 == 2 { DocumentKind::PassportPage } else { DocumentKind::Id1Card };
        // A 12 MP phone photo: the size the page reads this preview for.
        let spec = PhotoSpec { seed: 300 + i as u64, kind, orientation, rotation_degrees: -14.0 + 5.0 * i as f32, scene_width: 4032, scene_height: 3024, ..PhotoSpec::default() };
        let photo = make_photo(&spec);
        let (found, width, height) = find_document_in_jpeg(&photo.jpeg, &DecodeLimits::default()).expect("searched").expect("a preview large enough");
        assert_eq!((width, height), (photo.displayed_width, photo.displayed_height), "{orientation:?}");
        assert!(found.document_found, "{orientation:?}: not found");
        // Within two preview pixels: the crop then refines at the output's scale.
        let error = found.corners.iter().zip(&photo.corners).map(|(a, b)| a.distance(*b)).fold(0.0, f32::max);
        assert!(error <= 2.0 * PREVIEW_FACTOR as f32, "{orientation:?}: corner error {error:.1} px; found {:?}, truth {:?}", found.corners, photo.corners);
    }
}

#[test]
fn broken_or_unsupported_files_are_typed_errors() {
    let jpeg = encode(&scene(), Layout { restart_interval: 5, ..BASELINE_420 });
    let limits = DecodeLimits::default();
    // Cut inside the scan: the data runs out before the last block (the page names it `image_incomplete`).
    for keep in [jpeg.len() / 2, jpeg.len() - 40] {
        assert!(matches!(jpeg_preview(&jpeg[..keep], &limits), Err(PhotoError::Incomplete { .. })), "cut at {keep}");
    }
    // A restart marker lost.
    let restart = jpeg.windows(2).position(|w| w[0] == 0xFF && (0xD0..=0xD7).contains(&w[1])).expect("a restart marker");
    let mut without_restart = jpeg.clone();
    without_restart.drain(restart..restart + 2);
    assert!(matches!(jpeg_preview(&without_restart, &limits), Err(PhotoError::Incomplete { .. })));
    // Garbage in the entropy data never panics; it is an error or a preview of the right size.
    let scan = jpeg.windows(2).position(|w| w == [0xFF, 0xDA]).expect("a scan");
    for seed in 0..64u64 {
        let mut damaged = jpeg.clone();
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        for _ in 0..8 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let at = scan + 20 + (state as usize % (jpeg.len() - scan - 40));
            damaged[at] = (state >> 32) as u8;
        }
        if let Ok(preview) = jpeg_preview(&damaged, &limits) {
            assert_eq!((preview.image.width, preview.image.height), (1203u32.div_ceil(8), 893u32.div_ceil(8)));
        }
    }
    // Not a JPEG, an arithmetic-coded frame, a 12-bit frame, a bomb header.
    assert!(matches!(jpeg_preview(b"\x89PNG\r\n\x1a\n", &limits), Err(PhotoError::Unsupported { .. })));
    let frame = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).expect("a baseline frame");
    let mut arithmetic = jpeg.clone();
    arithmetic[frame + 1] = 0xC9;
    assert!(matches!(jpeg_preview(&arithmetic, &limits), Err(PhotoError::Unsupported { .. })));
    let mut twelve_bit = jpeg.clone();
    twelve_bit[frame + 4] = 12;
    assert!(matches!(jpeg_preview(&twelve_bit, &limits), Err(PhotoError::Unsupported { .. })));
    let mut bomb = jpeg.clone();
    bomb[frame + 5..frame + 9].copy_from_slice(&[0xC3, 0x50, 0xC3, 0x50]);
    assert!(matches!(jpeg_preview(&bomb, &limits), Err(PhotoError::TooLarge { .. })));
}

#[test]
fn a_files_head_is_rewritten_to_say_upright_and_only_its_orientation_value_changes() {
    use id_capture::photo::exif::{jpeg_with_normal_orientation, orientation_of_file};
    let jpeg = encode(&scene(), BASELINE_420);
    // Big-endian EXIF ("MM"), as some cameras write it: IFD0 with one entry, Orientation = 8.
    let big_endian = [&b"Exif\0\0MM\0*\0\0\0\x08\0\x01"[..], &[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 8, 0, 0], &[0, 0, 0, 0]].concat();
    let mut cases: Vec<(Vec<u8>, Orientation)> = Orientation::ALL.iter().map(|&o| (insert_segments(&jpeg, &[(0xE1, exif_app1(o))]), o)).collect();
    cases.push((insert_segments(&jpeg, &[(0xE1, big_endian)]), Orientation::Rotate270));
    for (file, orientation) in cases {
        // The page rewrites only the file's first bytes; the scan follows unchanged.
        let head = &file[..4096];
        let Some((rewritten, said)) = jpeg_with_normal_orientation(head) else {
            assert_eq!(orientation, Orientation::Normal, "nothing to undo only when upright");
            continue;
        };
        assert_eq!(said, orientation);
        assert_eq!(rewritten.len(), head.len());
        assert_eq!(rewritten.iter().zip(head).filter(|(a, b)| a != b).count(), 1, "{orientation:?}: one byte changes");
        let whole = [&rewritten[..], &file[4096..]].concat();
        assert_eq!(orientation_of_file(&whole), Orientation::Normal, "{orientation:?}");
        assert_eq!(decode_file(&whole, &DecodeLimits::default()).expect("still decodes"), decode_file(&file, &DecodeLimits::default()).unwrap());
    }
    // A head that ends before the scan header is left alone (the browser then applies the orientation).
    let file = insert_segments(&jpeg, &[(0xE1, exif_app1(Orientation::Rotate90))]);
    assert!(jpeg_with_normal_orientation(&file[..200]).is_none());
}
