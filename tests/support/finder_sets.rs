//! Photos for judging the document finder on data it was not tuned on:
//! real photos without any ID document (`../shared/data/qr-real`, read
//! where they lie, never copied into the repository), generated scenes
//! without a document, and photos with one; each stored in all eight EXIF
//! orientations (pixels turned as a phone stores them, plus the tag) and
//! searched on both of the page's paths.
#![allow(dead_code)]

use std::path::PathBuf;

use id_capture::photo::orient::{apply_orientation, Orientation};
use id_capture::photo::region::{find_document_in_jpeg, find_document_in_preview, preview_size};
use id_capture::photo::resize::resize;
use id_capture::photo::{DecodeLimits, Detection, OrientedPhoto, Point, Quad, RgbImage};

use super::document_photo::{exif_app1, insert_segments, render_scene, Background, PhotoSpec, Rng};

/// `../shared/data/NAME` beside the project, or `None` (with a message saying so) where it is absent.
pub fn shared_data(name: &str) -> Option<PathBuf> {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data").join(name);
    if folder.is_dir() {
        Some(folder)
    } else {
        eprintln!("skipped: {} is absent (the real-photo sets live beside the project, not in it)", folder.display());
        None
    }
}

/// The real photos in `qr-real` used as "no ID document", each looked at:
/// QR codes scanned, printed and displayed, posters and flyers, screens,
/// signs, packaging, stickers, cups, cupcakes, tags, a tattoo. Left out, with
/// the reason: one page of an ID document, and photos whose subject is one
/// flat card, sign, sheet or booklet page of a document's proportions, whole
/// in the frame, which the finder by its outline may take for one (the page
/// then shows that crop; the user retakes). `examples/survey_finder qr-real`
/// reports all 75 photos, these included.
pub const QR_REAL_EXCLUDED: [(&str, &str); 15] = [
    ("japan-visa.png", "passport"),
    ("business-card-1.png", "card"),
    ("business-card-3.png", "card"),
    ("cupcake-2.png", "card"),
    ("cupcake-3.png", "card"),
    ("010.png", "sign"),
    ("hudson-highlands-state-park.png", "sign"),
    ("bus-stop-2.png", "sign"),
    ("schiller-denkmal.png", "plaque"),
    ("school-flyer.png", "sheet"),
    // One sticker booklet, its white page card-shaped, photographed five times.
    ("stickerbook-1.png", "booklet"),
    ("stickerbook-2.png", "booklet"),
    ("stickerbook-3.png", "booklet"),
    ("stickerbook-4.png", "booklet"),
    ("stickerbook-5.png", "booklet"),
];

/// Every PNG of `qr-real` not in `QR_REAL_EXCLUDED`, upright as stored.
pub fn qr_real_negatives() -> Vec<(String, RgbImage)> {
    let Some(folder) = shared_data("qr-real") else { return Vec::new() };
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).filter(|n| n.ends_with(".png")).collect())
        .unwrap_or_default();
    names.sort();
    names
        .into_iter()
        .filter(|name| !QR_REAL_EXCLUDED.iter().any(|(excluded, _)| excluded == name))
        .filter_map(|name| {
            let image = image::open(folder.join(&name)).ok()?.into_rgb8();
            let (width, height) = image.dimensions();
            Some((name, RgbImage { width, height, pixels: image.into_raw() }))
        })
        .collect()
}

/// Generated scenes without a document: the project's clutter, a plain
/// table under uneven light, and a poster on a wall running out of the frame.
pub fn generated_negatives(width: u32, height: u32) -> Vec<(String, RgbImage)> {
    let clutter = |seed: u64| {
        // The document placed far outside the frame leaves the background alone.
        render_scene(&PhotoSpec { seed, scene_width: width, scene_height: height, centre_offset: (5.0, 5.0), ..PhotoSpec::default() }).0
    };
    let similar = render_scene(&PhotoSpec { seed: 3, background: Background::SimilarColour, scene_width: width, scene_height: height, centre_offset: (5.0, 5.0), ..PhotoSpec::default() }).0;
    vec![
        ("clutter-1".into(), clutter(71)),
        ("clutter-2".into(), clutter(72)),
        ("clutter-3".into(), clutter(73)),
        ("similar-table".into(), similar),
        ("plain-table".into(), plain_table(width, height, 5)),
        ("poster".into(), poster_on_a_wall(width, height, 9)),
    ]
}

fn put(image: &mut RgbImage, x: i32, y: i32, colour: [u8; 3]) {
    if x >= 0 && y >= 0 && (x as u32) < image.width && (y as u32) < image.height {
        let at = (y as usize * image.width as usize + x as usize) * 3;
        image.pixels[at..at + 3].copy_from_slice(&colour);
    }
}

/// A light table top: a brightness gradient from a window, faint grain, noise.
pub fn plain_table(width: u32, height: u32, seed: u64) -> RgbImage {
    let mut rng = Rng::new(seed);
    let mut image = RgbImage::new(width, height);
    for y in 0..height {
        for x in 0..width {
            let light = 0.75 + 0.35 * (x as f32 / width as f32) - 0.1 * (y as f32 / height as f32);
            let grain = ((x as f32 * 0.05 + (y as f32 * 0.01).sin() * 4.0).sin() * 4.0) as f32;
            let noise = (rng.next_u64() % 7) as f32 - 3.0;
            let base = [205.0, 196.0, 182.0];
            let at = ((y * width + x) * 3) as usize;
            for c in 0..3 {
                image.pixels[at + c] = (base[c] * light + grain + noise).clamp(0.0, 255.0) as u8;
            }
        }
    }
    image
}

/// A poster on a wall, its bottom and right edges out of the frame, with
/// a headline, a photo block, columns of text lines and a QR-like code.
pub fn poster_on_a_wall(width: u32, height: u32, seed: u64) -> RgbImage {
    let mut rng = Rng::new(seed);
    let (w, h) = (width as i32, height as i32);
    let mut image = RgbImage::new(width, height);
    for y in 0..h {
        for x in 0..w {
            let noise = (rng.next_u64() % 5) as i32 - 2;
            put(&mut image, x, y, [(118 + noise) as u8, (124 + noise) as u8, (130 + noise) as u8]);
        }
    }
    // The poster: slightly rotated (a hand-held photo), running out at the right and bottom.
    let angle = 3f32.to_radians();
    let (left, top) = (w as f32 * 0.12, h as f32 * 0.1);
    let (poster_w, poster_h) = (w as f32 * 1.2, h as f32 * 1.3);
    let to_poster = |x: f32, y: f32| {
        let (dx, dy) = (x - left, y - top);
        (dx * angle.cos() + dy * angle.sin(), -dx * angle.sin() + dy * angle.cos())
    };
    let mut blocks: Vec<(f32, f32, f32, f32, [u8; 3])> = vec![
        // Headline band, photo block, text lines, a coloured box.
        (0.05, 0.04, 0.5, 0.08, [200, 40, 40]),
        (0.05, 0.16, 0.3, 0.22, [60, 90, 140]),
        (0.38, 0.16, 0.2, 0.12, [240, 200, 40]),
    ];
    for row in 0..14 {
        let length = rng.range(0.15, 0.28);
        blocks.push((0.38, 0.31 + row as f32 * 0.02, length, 0.008, [30, 30, 30]));
        blocks.push((0.05, 0.41 + row as f32 * 0.02, rng.range(0.1, 0.28), 0.008, [30, 30, 30]));
    }
    for y in 0..h {
        for x in 0..w {
            let (px, py) = to_poster(x as f32 + 0.5, y as f32 + 0.5);
            if px < 0.0 || py < 0.0 || px > poster_w || py > poster_h {
                continue;
            }
            let (u, v) = (px / poster_w, py / poster_h);
            let mut colour = [236u8, 232, 222];
            for &(bx, by, bw, bh, c) in &blocks {
                if u >= bx && u < bx + bw && v >= by && v < by + bh {
                    colour = c;
                }
            }
            // A QR-like block of modules.
            let (qx, qy) = ((u - 0.62) / 0.12, (v - 0.5) / 0.12 * (poster_h / poster_w));
            if (0.0..1.0).contains(&qx) && (0.0..1.0).contains(&qy) {
                let (mx, my) = ((qx * 25.0) as u32, (qy * 25.0) as u32);
                let finder = (mx < 7 && my < 7) || (mx > 17 && my < 7) || (mx < 7 && my > 17);
                let dark = if finder { !(mx % 6 == 1 || my % 6 == 1) || (mx % 18 >= 2 && mx % 18 <= 4 && my % 18 >= 2 && my % 18 <= 4) } else { (mx * 7 + my * 13 + mx * my) % 3 == 0 };
                colour = if dark { [20, 20, 20] } else { [245, 245, 245] };
            }
            let noise = (rng.next_u64() % 5) as i32 - 2;
            put(&mut image, x, y, colour.map(|c| (c as i32 + noise).clamp(0, 255) as u8));
        }
    }
    image
}

/// `upright` as a phone stores it for `orientation` (pixels turned so the
/// tag turns them back), JPEG at quality 92 with the EXIF orientation tag.
pub fn jpeg_in_orientation(upright: &RgbImage, orientation: Orientation) -> Vec<u8> {
    let stored = apply_orientation(upright.clone(), orientation.inverse());
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 92)
        .encode(&stored.pixels, stored.width, stored.height, image::ExtendedColorType::Rgb8)
        .expect("encoding a test photo");
    insert_segments(&jpeg, &[(0xE1, exif_app1(orientation))])
}

/// What the page's two paths find in one file: the pure-Rust path (decode,
/// orient, search), and the browser path (the file's own 1/8 preview for
/// photos of 3840 px and more, else a 512 px preview drawn from the bitmap
/// as stored and turned upright). Corners are in the upright photo's pixels.
pub struct Found {
    pub file_path: Detection,
    pub browser_path: Detection,
    pub width: u32,
    pub height: u32,
}

pub fn find_on_both_paths(jpeg: &[u8]) -> Found {
    let limits = DecodeLimits::default();
    let photo = OrientedPhoto::from_file(jpeg, &limits).expect("a test photo decodes");
    let file_path = photo.find_document();
    let (width, height) = (photo.image().width, photo.image().height);
    let browser_path = match find_document_in_jpeg(jpeg, &limits).expect("a test photo's preview reads") {
        Some((found, _, _)) => found,
        None => {
            let orientation = id_capture::photo::exif::orientation_of_file(jpeg);
            let stored = apply_orientation(photo.image().clone(), orientation.inverse());
            let (preview_width, preview_height) = preview_size(stored.width, stored.height);
            let preview = apply_orientation(resize(&stored, preview_width, preview_height), orientation);
            find_document_in_preview(&preview, width, height, &limits).expect("searched")
        }
    };
    Found { file_path, browser_path, width, height }
}

/// The largest distance between matching corners of two quads, trying each
/// starting corner of `b` (both in the same cycle direction).
pub fn corner_distance(a: &Quad, b: &Quad) -> f32 {
    (0..4)
        .map(|shift| (0..4).map(|i| a[i].distance(b[(i + shift) % 4])).fold(0.0, f32::max))
        .fold(f32::INFINITY, f32::min)
}

/// Over detections of one photo in several orientations: `Ok(None)` when
/// none found a document, `Ok(Some(spread))` when all did (the largest
/// corner distance from the first, as a share of the long edge), `Err` with
/// how many found one when they disagree.
pub fn agreement(detections: &[Detection], long_edge: u32) -> Result<Option<f32>, usize> {
    let found = detections.iter().filter(|d| d.document_found).count();
    if found == 0 {
        return Ok(None);
    }
    if found < detections.len() {
        return Err(found);
    }
    let spread = detections.iter().map(|d| corner_distance(&detections[0].corners, &d.corners)).fold(0.0, f32::max);
    Ok(Some(spread / long_edge as f32))
}

pub fn centre(quad: &Quad) -> Point {
    quad.iter().fold(Point::new(0.0, 0.0), |c, p| Point::new(c.x + p.x / 4.0, c.y + p.y / 4.0))
}
