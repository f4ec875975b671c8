//! Decode QR codes in image files with the project's decoder and recognise
//! HMS cards. One JSON object per file and line:
//! `{"file": ..., "text": ... or null, "error": ... or null, "ms": ...,
//!   "hms_card_reference": ... or null}`
//! `cargo run --release --example decode_qr -- FILE...`
//! `ms` covers decoding only (not reading the file), with the default budget.

use std::time::Instant;

use id_capture::error::Coded;
use id_capture::hms::{recognise_hms_card, HmsRules};
use id_capture::qr::{decode_rgba, ScanOptions};
use serde_json::json;

fn main() {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: decode_qr FILE...");
        std::process::exit(2);
    }
    let options = ScanOptions::default();
    let rules = HmsRules::default();
    for file in files {
        let line = match image::open(&file) {
            Err(error) => json!({"file": file, "text": null, "error": format!("unreadable image: {error}"), "ms": null}),
            Ok(image) => {
                let rgba = image.to_rgba8();
                let start = Instant::now();
                let result = decode_rgba(rgba.width(), rgba.height(), rgba.as_raw(), &options);
                let ms = start.elapsed().as_secs_f64() * 1000.0;
                match result {
                    Ok(decoded) => {
                        let reference = recognise_hms_card(&decoded.text, &rules);
                        json!({
                            "file": file, "text": decoded.text, "error": null, "ms": round(ms),
                            "attempt": decoded.attempt,
                            "hms_card_reference": reference.as_ref().ok().map(|r| r.as_str()),
                            "hms_error": reference.err().map(|e| e.to_string()),
                        })
                    }
                    Err(error) => json!({"file": file, "text": null, "error": error.code().as_str(), "ms": round(ms)}),
                }
            }
        };
        println!("{line}");
    }
}

fn round(ms: f64) -> f64 {
    (ms * 100.0).round() / 100.0
}
