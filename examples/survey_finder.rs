//! The document finder on photos it was not tuned on, each stored in all
//! eight EXIF orientations and searched on both of the page's paths: how
//! many photos without a document get a crop, and whether the photos with
//! one get the same crop in every orientation.
//!
//! cargo run --release --example survey_finder -- [qr-real] [qr-real-all] [generated] [mrz-b] [project] [project-12mp] [--verbose]
//! (SURVEY_DRAW=DIR saves each photo with a crop, its outline drawn; SURVEY_ONLY=NAME prints the evidence per orientation.)

#[path = "../tests/support/document_photo.rs"]
#[allow(dead_code)]
mod document_photo;
#[path = "../tests/support/finder_sets.rs"]
mod finder_sets;

use document_photo::{make_photo, render_scene, DocumentKind, PhotoSpec, Rng, Background};
use finder_sets::{agreement, corner_distance, find_on_both_paths, generated_negatives, jpeg_in_orientation, qr_real_negatives, shared_data};
use id_capture::photo::{Detection, Orientation, Quad, RgbImage};

struct Tally {
    photos: usize,
    photos_with_a_crop: usize,
    crops: usize,
    disagreeing: usize,
    worst_spread: f32,
    worst_truth_error: f32,
    within_tolerance: usize,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "--verbose");
    let wants = |set: &str| args.iter().any(|a| a == set);
    let mut sets: Vec<(&str, bool, Vec<(String, RgbImage, Option<Quad>)>)> = Vec::new();
    if wants("qr-real") {
        sets.push(("qr-real (no document)", false, qr_real_negatives().into_iter().map(|(n, i)| (n, i, None)).collect()));
    }
    if wants("qr-real-all") {
        // Every photo, those the test leaves out (finder_sets::QR_REAL_EXCLUDED) included.
        if let Some(folder) = shared_data("qr-real") {
            let mut names: Vec<String> = std::fs::read_dir(&folder).unwrap().filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).filter(|n| n.ends_with(".png")).collect();
            names.sort();
            let photos = names
                .into_iter()
                .map(|name| {
                    let image = image::open(folder.join(&name)).unwrap().into_rgb8();
                    let (w, h) = image.dimensions();
                    (name, RgbImage { width: w, height: h, pixels: image.into_raw() }, None)
                })
                .collect();
            sets.push(("qr-real, all 75 (no ID document in 74)", false, photos));
        }
    }
    if wants("generated") {
        let mut photos: Vec<(String, RgbImage, Option<Quad>)> = generated_negatives(1600, 1200).into_iter().map(|(n, i)| (n, i, None)).collect();
        photos.extend(generated_negatives(1800, 1200).into_iter().map(|(n, i)| (format!("{n} 1800"), i, None)));
        sets.push(("generated (no document)", false, photos));
    }
    if wants("mrz-b") {
        if let Some(folder) = shared_data("mrz-photos-b") {
            let mut names: Vec<String> = std::fs::read_dir(&folder).unwrap().filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).filter(|n| n.ends_with(".jpg")).collect();
            names.sort();
            let photos = names
                .into_iter()
                .map(|name| {
                    let image = image::open(folder.join(&name)).unwrap().into_rgb8();
                    let (w, h) = image.dimensions();
                    (name, RgbImage { width: w, height: h, pixels: image.into_raw() }, None)
                })
                .collect();
            sets.push(("mrz-photos-b (document)", true, photos));
        }
    }
    if wants("finder-test") {
        let cases = [(601, DocumentKind::Id1Card, Background::Cluttered, 12.0, 0.03)];
        let photos = cases.iter().map(|&(seed, kind, background, rotation_degrees, perspective)| {
            let spec = PhotoSpec { seed, kind, background, rotation_degrees, perspective, scene_width: 1600, scene_height: 1200, ..PhotoSpec::default() };
            let (scene, truth) = render_scene(&spec);
            (format!("seed {seed}"), scene, Some(truth))
        }).collect();
        sets.push(("finder test", true, photos));
    }
    for (flag, width, height, count) in [("project", 1600, 1200, 24), ("project-12mp", 4032, 3024, 6)] {
        if !wants(flag) {
            continue;
        }
        let mut rng = Rng::new(2026);
        let photos = (0..count)
            .map(|i| {
                let spec = PhotoSpec {
                    seed: 500 + i as u64,
                    kind: if i % 3 == 2 { DocumentKind::PassportPage } else { DocumentKind::Id1Card },
                    background: if i % 4 == 3 { Background::SimilarColour } else { Background::Cluttered },
                    scene_width: width,
                    scene_height: height,
                    rotation_degrees: rng.range(-30.0, 30.0),
                    perspective: rng.range(0.0, 0.06),
                    document_share: rng.range(0.4, 0.7),
                    ..PhotoSpec::default()
                };
                let (scene, truth) = render_scene(&spec);
                (format!("seed {} {:?} {:?}", spec.seed, spec.kind, spec.background), scene, Some(truth))
            })
            .collect();
        sets.push((if width > 2000 { "project 12 MP (document)" } else { "project 1600 (document)" }, true, photos));
    }
    let _ = make_photo;
    for (set, _has_document, photos) in &sets {
        for path in ["file path", "browser path"] {
            let mut tally = Tally { photos: 0, photos_with_a_crop: 0, crops: 0, disagreeing: 0, worst_spread: 0.0, worst_truth_error: 0.0, within_tolerance: 0 };
            for (name, upright, truth) in photos {
                if let Ok(only) = std::env::var("SURVEY_ONLY") {
                    if !name.contains(&only) {
                        continue;
                    }
                    for &o in &Orientation::ALL {
                        let decoded = id_capture::photo::OrientedPhoto::from_file(&jpeg_in_orientation(upright, o), &Default::default()).unwrap();
                        println!("    {o:?} {:?}", id_capture::photo::document::find_document_weighed(decoded.image()).1);
                        let stored = id_capture::photo::orient::apply_orientation(decoded.image().clone(), o.inverse());
                        let (pw, ph) = id_capture::photo::region::preview_size(stored.width, stored.height);
                        let preview = id_capture::photo::orient::apply_orientation(id_capture::photo::resize::resize(&stored, pw, ph), o);
                        println!("      preview {:?}", id_capture::photo::document::find_document_weighed(&preview).1);
                    }
                }
                let detections: Vec<Detection> = Orientation::ALL
                    .iter()
                    .map(|&o| {
                        let found = find_on_both_paths(&jpeg_in_orientation(upright, o));
                        if path == "file path" { found.file_path } else { found.browser_path }
                    })
                    .collect();
                let long = upright.width.max(upright.height);
                let crops = detections.iter().filter(|d| d.document_found).count();
                tally.photos += 1;
                tally.crops += crops;
                tally.photos_with_a_crop += (crops > 0) as usize;
                let agreed = agreement(&detections, long);
                match agreed {
                    Ok(Some(spread)) => tally.worst_spread = tally.worst_spread.max(spread),
                    Err(_) => tally.disagreeing += 1,
                    Ok(None) => {}
                }
                let mut worst_truth = 0f32;
                if let Some(truth) = truth {
                    worst_truth = detections.iter().map(|d| if d.document_found { corner_distance(&d.corners, truth) } else { f32::INFINITY }).fold(0.0, f32::max);
                    tally.worst_truth_error = tally.worst_truth_error.max(worst_truth);
                    tally.within_tolerance += (worst_truth <= 0.01 * long as f32) as usize;
                }
                if let (Some(dir), "file path") = (std::env::var_os("SURVEY_DRAW"), path) {
                    if let Some(d) = detections.iter().find(|d| d.document_found) {
                        draw(upright, &d.corners, &std::path::Path::new(&dir).join(format!("{}.png", name.replace(' ', "_"))));
                    }
                }
                if verbose || crops > 0 || agreed.is_err() {
                    let confidences: Vec<String> = detections.iter().map(|d| format!("{}{:.2}", if d.document_found { "+" } else { "-" }, d.confidence)).collect();
                    let spread = match agreed { Ok(Some(s)) => format!("spread {:.2} %", s * 100.0), Ok(None) => "none".into(), Err(n) => format!("DISAGREE {n}/8") };
                    println!("  {path:12} {name:40} crops {crops}/8  {spread}  truth err {worst_truth:.1}  [{}]", confidences.join(" "));
                    if path == "file path" {
                        let decoded = id_capture::photo::OrientedPhoto::from_file(&jpeg_in_orientation(upright, Orientation::Normal), &Default::default()).unwrap();
                        println!("      evidence {:?}", id_capture::photo::document::find_document_weighed(decoded.image()).1);
                    }
                }
            }
            println!(
                "{set} — {path}: {} photos × 8 orientations: {} photos with a crop, {} crops of {}; {} photos disagree across orientations; worst spread {:.2} % of the long edge{}",
                tally.photos,
                tally.photos_with_a_crop,
                tally.crops,
                tally.photos * 8,
                tally.disagreeing,
                tally.worst_spread * 100.0,
                if photos.iter().any(|p| p.2.is_some()) { format!("; within 1 % of truth in all 8: {}/{}, worst {:.1} px", tally.within_tolerance, tally.photos, tally.worst_truth_error) } else { String::new() }
            );
        }
    }
}

/// The photo with the found outline drawn in magenta (a tuning aid).
fn draw(upright: &RgbImage, quad: &Quad, path: &std::path::Path) {
    let mut image = image::RgbImage::from_raw(upright.width, upright.height, upright.pixels.clone()).unwrap();
    for i in 0..4 {
        let (a, b) = (quad[i], quad[(i + 1) % 4]);
        let steps = a.distance(b).ceil() as usize + 1;
        for s in 0..=steps {
            let t = s as f32 / steps as f32;
            let (x, y) = (a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
            for (dx, dy) in [(0, 0), (1, 0), (0, 1), (-1, 0), (0, -1)] {
                let (px, py) = (x as i32 + dx, y as i32 + dy);
                if px >= 0 && py >= 0 && (px as u32) < image.width() && (py as u32) < image.height() {
                    image.put_pixel(px as u32, py as u32, image::Rgb([255, 0, 255]));
                }
            }
        }
    }
    let _ = image.save(path);
}
