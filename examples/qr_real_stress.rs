//! Tuning aid: the tuning half of `../shared/data/qr-real` (even positions in
//! sorted order; the held-out half is never read here) under changes a phone
//! adds: half size (small modules), rotation, mirror, inversion, low
//! contrast, and a bulge (a code on a curved surface). Counts the images
//! whose text still equals what the untouched image decodes to, with the
//! still budget (12 passes).
//! `cargo run --release --example qr_real_stress [-- DATA_DIR]`

use id_capture::qr::{decode_grey, ScanOptions};
use image::GrayImage;

fn bilinear(image: &GrayImage, x: f64, y: f64) -> u8 {
    let (w, h) = (image.width() as i64, image.height() as i64);
    let (x0, y0) = (x.floor() as i64, y.floor() as i64);
    let (fx, fy) = (x - x0 as f64, y - y0 as f64);
    let at = |x: i64, y: i64| -> f64 {
        if x < 0 || y < 0 || x >= w || y >= h {
            255.0
        } else {
            image.get_pixel(x as u32, y as u32).0[0] as f64
        }
    };
    let top = at(x0, y0) * (1.0 - fx) + at(x0 + 1, y0) * fx;
    let bottom = at(x0, y0 + 1) * (1.0 - fx) + at(x0 + 1, y0 + 1) * fx;
    (top * (1.0 - fy) + bottom * fy).round().clamp(0.0, 255.0) as u8
}

/// `map` takes an output pixel to the source point it shows.
fn warp(image: &GrayImage, width: u32, height: u32, map: impl Fn(f64, f64) -> (f64, f64)) -> GrayImage {
    GrayImage::from_fn(width, height, |x, y| {
        let (sx, sy) = map(x as f64 + 0.5, y as f64 + 0.5);
        image::Luma([bilinear(image, sx - 0.5, sy - 0.5)])
    })
}

fn rotated(image: &GrayImage, degrees: f64) -> GrayImage {
    let (w, h) = (image.width() as f64, image.height() as f64);
    let (s, c) = degrees.to_radians().sin_cos();
    let (out_w, out_h) = ((w * c.abs() + h * s.abs()).ceil(), (w * s.abs() + h * c.abs()).ceil());
    warp(image, out_w as u32, out_h as u32, |x, y| {
        let (dx, dy) = (x - out_w / 2.0, y - out_h / 2.0);
        (c * dx + s * dy + w / 2.0, -s * dx + c * dy + h / 2.0)
    })
}

fn variants(image: &GrayImage) -> Vec<(&'static str, GrayImage)> {
    let (w, h) = (image.width(), image.height());
    let half = image::imageops::resize(image, (w / 2).max(1), (h / 2).max(1), image::imageops::FilterType::Triangle);
    let mut mirrored = image.clone();
    image::imageops::flip_horizontal_in_place(&mut mirrored);
    let mut inverted = image.clone();
    image::imageops::invert(&mut inverted);
    let low_contrast = GrayImage::from_fn(w, h, |x, y| image::Luma([100 + image.get_pixel(x, y).0[0] / 5]));
    let (cx, radius) = (w as f64 / 2.0, w as f64 / 2.0);
    let bulge = warp(image, w, h, |x, y| {
        // Printed on a cylinder seen from the front: modules shrink towards the edges.
        let u = ((x - cx) / radius).clamp(-1.0, 1.0);
        (cx + radius * u.asin() / std::f64::consts::FRAC_PI_2, y)
    });
    vec![
        ("half size", half),
        ("rotated 20°", rotated(image, 20.0)),
        ("rotated 45°", rotated(image, 45.0)),
        ("mirrored", mirrored),
        ("inverted", inverted),
        ("low contrast", low_contrast),
        ("cylinder", bulge),
    ]
}

fn main() {
    let folder = std::env::args().nth(1).unwrap_or_else(|| format!("{}/../shared/data/qr-real", env!("CARGO_MANIFEST_DIR")));
    let Ok(truth) = std::fs::read_to_string(format!("{folder}/truth.json")) else {
        eprintln!("no {folder}/truth.json: nothing to do");
        return;
    };
    let truth: std::collections::BTreeMap<String, serde_json::Value> = serde_json::from_str(&truth).expect("JSON");
    let options = ScanOptions { max_attempts: Some(12), ..ScanOptions::default() };
    let decode = |image: &GrayImage| decode_grey(image.width(), image.height(), image.as_raw(), &options).ok().map(|d| d.text);
    let mut totals: Vec<(&str, usize, usize)> = Vec::new();
    let verbose = std::env::var("STRESS_VERBOSE").is_ok();
    for (name, _) in truth.iter().step_by(2) {
        let Ok(image) = image::open(format!("{folder}/{name}")) else { continue };
        let grey = image.to_luma8();
        let Some(reference) = decode(&grey) else { continue };
        for (index, (variant, changed)) in variants(&grey).into_iter().enumerate() {
            if totals.len() <= index {
                totals.push((variant, 0, 0));
            }
            let read = decode(&changed);
            if let Some(total) = totals.get_mut(index) {
                total.2 += 1;
                if read.as_deref() == Some(reference.as_str()) {
                    total.1 += 1;
                } else if verbose {
                    println!("{variant}: {name} {}", if read.is_some() { "WRONG" } else { "missed" });
                }
            }
        }
    }
    for (variant, read, of) in totals {
        println!("{variant:>13}: {read}/{of}");
    }
}
