//! Runs the photo pipeline on a file and prints one JSON line, with the
//! time of each stage (native timing lives here, not in the library).
//!
//! cargo run --release --example process_photo -- IN OUT [--max-edge N] [--max-bytes N] [--grey OUT.png] [--rgba]

use std::time::Instant;

use id_capture::photo::backend::{run_ready, NativeBackend};
use id_capture::photo::capture::{capture_document, capture_kept, KeptPhoto, MrzStep};
use id_capture::photo::{Orientation, OrientedPhoto, PhotoOptions, Stage};

/// This thread's CPU time in ms (Linux), so figures mean something on a busy machine.
fn thread_cpu_ms() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|text| text.split_whitespace().next().and_then(|ns| ns.parse::<f64>().ok()))
        .map(|ns| ns / 1e6)
        .unwrap_or(0.0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: process_photo IN OUT [--max-edge N] [--max-bytes N] [--grey OUT.png]");
        std::process::exit(2);
    }
    let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1));
    let mut options = PhotoOptions::default();
    if let Some(edge) = value("--max-edge").and_then(|v| v.parse().ok()) {
        options.max_edge = edge;
    }
    if let Some(bytes) = value("--max-bytes").and_then(|v| v.parse().ok()) {
        options.max_bytes = bytes;
    }
    let input = std::fs::read(&args[0]).expect("read input");
    let browser_pixels = args.iter().any(|a| a == "--rgba").then(|| {
        let displayed = OrientedPhoto::from_file(&input, &options.limits).expect("decodable input");
        displayed.image().clone()
    });
    let start = Instant::now();
    let cpu_start = thread_cpu_ms();
    let mut last = (start, cpu_start);
    let mut stage_ms = serde_json::Map::new();
    let mut stage_cpu_ms = serde_json::Map::new();
    let mut on_stage = |stage: Stage| {
        let now = (Instant::now(), thread_cpu_ms());
        let name = serde_json::to_value(stage).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        stage_ms.insert(name.clone(), serde_json::json!(((now.0 - last.0).as_secs_f64() * 1000.0 * 10.0).round() / 10.0));
        stage_cpu_ms.insert(name, serde_json::json!(((now.1 - last.1) * 10.0).round() / 10.0));
        last = now;
    };
    // The capture pipeline (the page's, over our own backend) without the MRZ.
    // --rgba: from pixels already decoded upright, as a browser hands them over.
    let result = if let Some(displayed) = browser_pixels {
        let kept = KeptPhoto::from_pixels(displayed, Orientation::Normal);
        run_ready(capture_kept(&NativeBackend::without_file(), &kept, None, &options, MrzStep::Skip, &mut on_stage)).map(|captured| captured.processed)
    } else {
        run_ready(capture_document(&NativeBackend::for_file(&input), &options, MrzStep::Skip, &mut on_stage)).map(|(_, captured)| captured.processed)
    };
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    let cpu_ms = thread_cpu_ms() - cpu_start;
    match result {
        Ok(photo) => {
            std::fs::write(&args[1], &photo.jpeg).expect("write output");
            if let Some(path) = value("--grey") {
                let grey = &photo.grey_for_reading;
                image::save_buffer(path, &grey.pixels, grey.width as u32, grey.height as u32, image::ExtendedColorType::L8).expect("write grey");
            }
            let corners: Vec<[f32; 2]> = photo.corners.iter().map(|p| [(p.x * 10.0).round() / 10.0, (p.y * 10.0).round() / 10.0]).collect();
            println!(
                "{}",
                serde_json::json!({
                    "width": photo.width, "height": photo.height, "bytes": photo.bytes,
                    "document_found": photo.document_found, "corners": corners, "ms": (ms * 10.0).round() / 10.0,
                    "stages_ms": stage_ms, "cpu_ms": (cpu_ms * 10.0).round() / 10.0, "stages_cpu_ms": stage_cpu_ms, "jpeg_quality": photo.jpeg_quality, "confidence": photo.confidence,
                    "quality": photo.quality,
                })
            );
        }
        Err(error) => {
            use id_capture::error::Coded;
            println!("{}", serde_json::json!({"error": error.code().as_str(), "message": error.to_string(), "ms": ms}));
            std::process::exit(1);
        }
    }
}
