//! Writes a synthetic phone photo of an ID document (with planted GPS EXIF,
//! XMP, ICC, IPTC and a comment) and prints its true corners as JSON.
//!
//! cargo run --release --example make_document_photo -- OUT.jpg [--passport]
//!   [--similar] [--orientation 1-8] [--width 4032 --height 3024] [--rotate DEG]
//!   [--share 0.55] [--perspective 0.04] [--seed N] [--blur R] [--dark] [--glare]
//!   [--noise 3] [--quality 90]   (--noise 6 --quality 94: ~4.6 MB, a real phone's size)

#[path = "../tests/support/document_photo.rs"]
mod document_photo;

use document_photo::{make_photo, Background, DocumentKind, PhotoSpec};
use id_capture::photo::Orientation;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(out) = args.first().filter(|a| !a.starts_with("--")) else {
        eprintln!("usage: make_document_photo OUT.jpg [--passport] [--similar] [--orientation 1-8] [--width W --height H] [--rotate DEG] [--share S] [--seed N] [--blur R] [--dark] [--glare] [--noise N] [--quality Q]");
        std::process::exit(2);
    };
    let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).and_then(|v| v.parse::<f64>().ok());
    let has = |flag: &str| args.iter().any(|a| a == flag);
    let spec = PhotoSpec {
        kind: if has("--passport") { DocumentKind::PassportPage } else { DocumentKind::Id1Card },
        background: if has("--similar") { Background::SimilarColour } else { Background::Cluttered },
        scene_width: value("--width").unwrap_or(4032.0) as u32,
        scene_height: value("--height").unwrap_or(3024.0) as u32,
        rotation_degrees: value("--rotate").unwrap_or(8.0) as f32,
        document_share: value("--share").unwrap_or(0.55) as f32,
        orientation: Orientation::from_exif(value("--orientation").unwrap_or(1.0) as u16).unwrap_or(Orientation::Normal),
        seed: value("--seed").unwrap_or(1.0) as u64,
        blur_radius: value("--blur").unwrap_or(0.0) as u32,
        brightness: if has("--dark") { 0.25 } else { 1.0 },
        noise: value("--noise").unwrap_or(3.0) as u32,
        jpeg_quality: value("--quality").unwrap_or(90.0).clamp(1.0, 100.0) as u8,
        glare: has("--glare"),
        perspective: value("--perspective").unwrap_or(0.04) as f32,
        ..PhotoSpec::default()
    };
    let photo = make_photo(&spec);
    std::fs::write(out, &photo.jpeg).expect("write output");
    let corners: Vec<[f32; 2]> = photo.corners.iter().map(|p| [p.x, p.y]).collect();
    println!(
        "{}",
        serde_json::json!({"bytes": photo.jpeg.len(), "displayed_width": photo.displayed_width, "displayed_height": photo.displayed_height, "corners": corners})
    );
}
