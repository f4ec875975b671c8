//! The document finder on photos it was not tuned on: real photos without
//! any ID document get no crop, in any of the eight EXIF orientations and on
//! both of the page's paths (the photo decoded here, or the browser's bitmap
//! with the file's own preview); a photo with a document gets one crop, the
//! same in every orientation (corners within 2 % of the long edge). The real
//! sets live in `../shared/data` beside the project; where they are absent
//! those parts are skipped with a message.

mod support;

use id_capture::photo::{Detection, Orientation, RgbImage};
use support::document_photo::{render_scene, Background, DocumentKind, PhotoSpec};
use support::finder_sets::{agreement, corner_distance, find_on_both_paths, generated_negatives, jpeg_in_orientation, qr_real_negatives, shared_data};

/// Both paths' detections of `upright` stored in each of the eight orientations.
fn in_every_orientation(upright: &RgbImage) -> (Vec<Detection>, Vec<Detection>) {
    Orientation::ALL
        .iter()
        .map(|&orientation| {
            let found = find_on_both_paths(&jpeg_in_orientation(upright, orientation));
            (found.file_path, found.browser_path)
        })
        .unzip()
}

fn assert_no_crop(name: &str, upright: &RgbImage) {
    let (file_path, browser_path) = in_every_orientation(upright);
    for (path, detections) in [("file path", &file_path), ("browser path", &browser_path)] {
        let crops: Vec<usize> = detections.iter().enumerate().filter(|(_, d)| d.document_found).map(|(i, _)| i + 1).collect();
        assert!(crops.is_empty(), "{name}, {path}: a document found in a photo without one, EXIF orientations {crops:?}");
    }
}

/// One crop in all eight orientations, within 2 % of the long edge, on the
/// given paths; returns each path's first detection.
fn assert_one_crop_on(name: &str, detections: &[(&str, &Vec<Detection>)], long: u32) {
    for (path, detections) in detections {
        match agreement(detections, long) {
            Ok(Some(spread)) => assert!(spread <= 0.02, "{name}, {path}: corners spread over {:.1} % of the long edge", spread * 100.0),
            Ok(None) => panic!("{name}, {path}: no document found in any orientation"),
            Err(found) => panic!("{name}, {path}: a document found in {found} of 8 orientations"),
        }
    }
}

/// One crop in all eight orientations on both paths.
fn assert_one_crop(name: &str, upright: &RgbImage) -> [Detection; 2] {
    let (file_path, browser_path) = in_every_orientation(upright);
    assert_one_crop_on(name, &[("file path", &file_path), ("browser path", &browser_path)], upright.width.max(upright.height));
    [file_path[0], browser_path[0]]
}

#[test]
fn real_photos_without_a_document_get_no_crop_in_any_orientation() {
    let photos = qr_real_negatives();
    if photos.is_empty() {
        return;
    }
    for (name, upright) in &photos {
        assert_no_crop(name, upright);
    }
}

#[test]
fn generated_scenes_without_a_document_get_no_crop_in_any_orientation() {
    // 1800 × 1200 as the poster photo of the report; 1600 × 1200 as the project's sets.
    for (width, height) in [(1800, 1200), (1600, 1200)] {
        for (name, upright) in generated_negatives(width, height) {
            assert_no_crop(&format!("{name} {width}x{height}"), &upright);
        }
    }
}

#[test]
fn generated_document_photos_give_one_crop_in_every_orientation_on_the_truth() {
    let cases = [
        (601, DocumentKind::Id1Card, Background::Cluttered, 12.0, 0.03),
        (606, DocumentKind::PassportPage, Background::Cluttered, -10.0, 0.03),
        (603, DocumentKind::Id1Card, Background::SimilarColour, 5.0, 0.02),
        (604, DocumentKind::Id1Card, Background::Cluttered, -7.0, 0.06),
    ];
    for (seed, kind, background, rotation_degrees, perspective) in cases {
        let spec = PhotoSpec { seed, kind, background, rotation_degrees, perspective, scene_width: 1600, scene_height: 1200, ..PhotoSpec::default() };
        let (scene, truth) = render_scene(&spec);
        let name = format!("seed {seed}");
        let (file_path, browser_path) = in_every_orientation(&scene);
        assert_one_crop_on(&name, &[("file path", &file_path)], 1600);
        // A photo this small reaches the browser path's search as a 512 px
        // preview, on which a side's edge support is measured from few
        // samples: there the document may go unfound in some orientations
        // (the page then guides the user), but no other crop may come out.
        for found in file_path.iter().chain(&browser_path).filter(|d| d.document_found) {
            let error = corner_distance(&found.corners, &truth);
            assert!(error <= 8.0, "{name}: corner error {error:.1} px");
        }
    }
}

#[test]
fn a_twelve_megapixel_document_photo_gives_one_crop_in_every_orientation() {
    let spec = PhotoSpec { seed: 611, rotation_degrees: -9.0, scene_width: 4032, scene_height: 3024, ..PhotoSpec::default() };
    let (scene, truth) = render_scene(&spec);
    for found in assert_one_crop("12 MP card", &scene) {
        let error = corner_distance(&found.corners, &truth);
        assert!(error <= 20.0, "12 MP card: corner error {error:.1} px");
    }
}

#[test]
fn second_generator_photos_give_one_crop_in_every_orientation() {
    let Some(folder) = shared_data("mrz-photos-b") else { return };
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .expect("listed")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".jpg"))
        .collect();
    names.sort();
    // A quarter of the set, every fourth photo (cards and passports alternate): the whole set takes minutes unoptimised.
    for name in names.iter().step_by(4) {
        let image = image::open(folder.join(name)).expect("decodes").into_rgb8();
        let (width, height) = image.dimensions();
        assert_one_crop(name, &RgbImage { width, height, pixels: image.into_raw() });
    }
}
