//! Decode rate and time on generated camera frames: our decoder (full budget
//! and a 3-pass camera budget) against rqrr alone (the baseline), same frames.
//! `cargo run --release --example qr_rate -- [FRAMES]`

#[path = "../tests/support/qr_card.rs"]
mod qr_card;

use std::time::Instant;

use id_capture::qr::{decode_grey, ScanOptions};
use qr_card::{card_url, invented_reference, named_scenes, random_scene, render};

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

fn rqrr_alone(width: usize, height: usize, grey: &[u8]) -> Option<String> {
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| grey[y * width + x]);
    prepared.detect_grids().iter().find_map(|grid| grid.decode().ok().map(|(_, text)| text))
}

fn main() {
    let random_frames: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100);
    let mut scenes: Vec<(String, qr_card::Scene)> = named_scenes().into_iter().map(|(n, s)| (n.to_string(), s)).collect();
    scenes.extend((0..random_frames).map(|seed| (format!("random_{seed:03}"), random_scene(seed))));
    // `QR_RATE_ONLY=random_205` measures one frame (for profiling a slow case).
    if let Ok(only) = std::env::var("QR_RATE_ONLY") {
        scenes.retain(|(name, _)| *name == only);
    }
    let full = ScanOptions::default();
    let camera = ScanOptions { max_attempts: Some(3), ..ScanOptions::default() };
    let mut results = [(0usize, Vec::new()), (0usize, Vec::new()), (0usize, Vec::new())];
    let mut failures = Vec::new();
    let mut winning_pass = std::collections::BTreeMap::new();
    for (index, (name, scene)) in scenes.iter().enumerate() {
        let url = card_url(&invented_reference(index as u64));
        let frame = render(&url, scene);
        let (w, h) = (frame.width, frame.height);
        let runs: [Box<dyn Fn() -> Option<String>>; 3] = [
            Box::new(|| rqrr_alone(w, h, &frame.grey)),
            Box::new(|| decode_grey(w as u32, h as u32, &frame.grey, &full).ok().map(|d| d.text)),
            Box::new(|| decode_grey(w as u32, h as u32, &frame.grey, &camera).ok().map(|d| d.text)),
        ];
        for (slot, run) in results.iter_mut().zip(runs.iter()) {
            let start = Instant::now();
            let ok = run().as_deref() == Some(url.as_str());
            let ms = start.elapsed().as_secs_f64() * 1000.0;
            if ms > 1000.0 {
                println!("slow: {name} {ms:.0} ms");
            }
            slot.1.push(ms);
            slot.0 += ok as usize;
        }
        let outcome = decode_grey(w as u32, h as u32, &frame.grey, &ScanOptions { max_attempts: Some(32), ..full.clone() });
        if let Ok(decoded) = &outcome {
            *winning_pass.entry(decoded.attempt).or_insert(0) += 1;
        }
        if outcome.ok().map(|d| d.text).as_deref() != Some(url.as_str()) {
            failures.push(format!("{name} width {:.2} rot {:.0} tilt {:.2} blur {} noise {} exposure {:.2} falloff {:.2} glare {:?} inverted {}", scene.card_width_fraction, scene.rotation_degrees, scene.tilt, scene.blur_radius, scene.noise_amplitude, scene.exposure, scene.light_falloff, scene.glare.map(|g| g.1 as u32), scene.inverted));
        }
    }
    let total = scenes.len();
    for (label, (decoded, times)) in ["rqrr alone", "ours (8 passes)", "ours (3 passes)"].iter().zip(results) {
        println!(
            "{label:>16}: {decoded}/{total} = {:.1}%  median {:.1} ms  max {:.1} ms",
            100.0 * decoded as f64 / total as f64,
            median(times.clone()),
            times.iter().cloned().fold(0.0, f64::max)
        );
    }
    println!("winning pass (unlimited budget): {winning_pass:?}");
    // A 12 MP still (4000×3000) goes through the pyramid: bounded work.
    let url = card_url("STILL12MP0");
    let still = render(&url, &qr_card::Scene { frame_width: 4000, frame_height: 3000, card_width_fraction: 0.3, ..Default::default() });
    let start = Instant::now();
    let decoded = decode_grey(4000, 3000, &still.grey, &full);
    let found_ms = start.elapsed().as_secs_f64() * 1000.0;
    let blank = vec![128u8; 4000 * 3000];
    let start = Instant::now();
    let _ = decode_grey(4000, 3000, &blank, &full);
    println!(
        "12 MP still: decoded {} in {found_ms:.1} ms; blank 12 MP frame ({} passes) {:.1} ms",
        decoded.map(|d| d.text == url).unwrap_or(false),
        full.max_attempts(),
        start.elapsed().as_secs_f64() * 1000.0
    );
    for failure in failures {
        println!("missed: {failure}");
    }
}
