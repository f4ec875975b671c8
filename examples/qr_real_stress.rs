//! Tuning aid: the tuning half of `../shared/data/qr-real` (even positions in
//! sorted order; the held-out half is never read here) under changes a phone
//! adds: a perspective tilt, half size (small modules), rotation, mirror,
//! inversion, low contrast, and two cylinder warps (a code on a curved
//! surface: mild, and across the whole half-cylinder). Counts the images
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

/// The homography taking the unit square's corners (0,0), (1,0), (1,1),
/// (0,1) to `quad`, row-major 3×3 (Heckbert's square-to-quad).
fn square_to_quad(quad: [(f64, f64); 4]) -> Option<[f64; 9]> {
    let [(x0, y0), (x1, y1), (x2, y2), (x3, y3)] = quad;
    let (dx1, dx2, dx3) = (x1 - x2, x3 - x2, x0 - x1 + x2 - x3);
    let (dy1, dy2, dy3) = (y1 - y2, y3 - y2, y0 - y1 + y2 - y3);
    let det = dx1 * dy2 - dx2 * dy1;
    if det.abs() < 1e-12 {
        return None;
    }
    let g = (dx3 * dy2 - dx2 * dy3) / det;
    let h = (dx1 * dy3 - dx3 * dy1) / det;
    Some([x1 - x0 + g * x1, x3 - x0 + h * x3, x0, y1 - y0 + g * y1, y3 - y0 + h * y3, y0, g, h, 1.0])
}

fn invert(m: [f64; 9]) -> Option<[f64; 9]> {
    let [a, b, c, d, e, f, g, h, i] = m;
    let det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
    if det.abs() < 1e-12 {
        return None;
    }
    let adj = [e * i - f * h, c * h - b * i, b * f - c * e, f * g - d * i, a * i - c * g, c * d - a * f, d * h - e * g, b * g - a * h, a * e - b * d];
    Some(adj.map(|v| v / det))
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
    // Tilted away at the top (a true perspective): the image's top edge
    // 70 % as wide as its bottom edge.
    let (fw, fh) = (w as f64, h as f64);
    let inverse = square_to_quad([(0.15 * fw, 0.0), (0.85 * fw, 0.0), (fw, fh), (0.0, fh)]).and_then(invert);
    let tilted = match inverse {
        Some(m) => warp(image, w, h, |x, y| {
            let d = m[6] * x + m[7] * y + m[8];
            ((m[0] * x + m[1] * y + m[2]) / d * fw, (m[3] * x + m[4] * y + m[5]) / d * fh)
        }),
        None => image.clone(),
    };
    let mild_cylinder = warp(image, w, h, |x, y| {
        let r = fw;
        let u = ((x - fw / 2.0) / r).clamp(-1.0, 1.0);
        (fw / 2.0 + r * u.asin(), y)
    });
    vec![
        ("tilted", tilted),
        ("mild cylinder", mild_cylinder),
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
