//! Writes 1280×720 PNG frames of invented HMS cards under varied conditions,
//! plus `ground_truth.json`, for the browser benchmark (ours vs jsQR vs
//! zxing-wasm on the same frames).
//! `cargo run --release --example make_qr_frames -- OUT_DIR [RANDOM_FRAMES [FIRST_SEED]]`
//! Frames: the 16 named conditions of tests/qr_images.rs, then
//! RANDOM_FRAMES (default 84) random mixes from seed FIRST_SEED (default 0) on;
//! all deterministic. The pass plan was tuned on seeds 0..84, so a set from
//! another FIRST_SEED is a held-out check.

#[path = "../tests/support/qr_card.rs"]
mod qr_card;

use qr_card::{card_url, invented_reference, named_scenes, random_scene, render};
use serde_json::json;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(out_dir) = args.next() else {
        eprintln!("usage: make_qr_frames OUT_DIR [RANDOM_FRAMES [FIRST_SEED]]");
        std::process::exit(2);
    };
    let random_frames: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(84);
    let first_seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(0);
    std::fs::create_dir_all(&out_dir).expect("create output directory");
    let mut scenes: Vec<(String, qr_card::Scene)> = named_scenes().into_iter().map(|(n, s)| (n.to_string(), s)).collect();
    scenes.extend((first_seed..first_seed + random_frames).map(|seed| (format!("random_{seed:03}"), random_scene(seed))));
    let mut truth = Vec::new();
    for (index, (condition, scene)) in scenes.iter().enumerate() {
        let reference = invented_reference(1000 + index as u64);
        let text = card_url(&reference);
        let frame = render(&text, scene);
        let file = format!("{index:03}_{condition}.png");
        let rgba = image::RgbaImage::from_raw(frame.width as u32, frame.height as u32, frame.to_rgba()).expect("frame size");
        image::DynamicImage::ImageRgba8(rgba).to_rgb8().save(format!("{out_dir}/{file}")).expect("write PNG");
        truth.push(json!({"file": file, "condition": condition, "text": text, "hms_card_reference": reference}));
    }
    let truth_path = format!("{out_dir}/ground_truth.json");
    std::fs::write(&truth_path, serde_json::to_string_pretty(&truth).expect("json")).expect("write ground truth");
    println!("wrote {} frames and {truth_path}", truth.len());
}
