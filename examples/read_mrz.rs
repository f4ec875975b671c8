//! Reads the MRZ of document photos the way the page does and prints one
//! JSON line per image: `{"file", "lines", "given_names", "surname",
//! "date_of_birth", "nationality", "checks_passed", "*_need(s)_confirmation",
//! "document_found", "source", "ms"}`. The path is the page's capture
//! pipeline (`id_capture::photo::capture`) over our own backend: decode,
//! document search on the preview, region, warp upright, encode, MRZ on the
//! crop, then on the whole photo. `ms` is that whole path; `reader_ms` the
//! MRZ reader alone on the crop (timed again: the figure to compare with
//! the reader's earlier whole-photo timings).
//! `--text` parses MRZ lines from standard input instead (documents separated by a blank line).
//! Run: `cargo run --release --example read_mrz -- FILE...`

use std::io::Read;
use std::time::Instant;

use id_capture::date::Date;
use id_capture::mrz::{parse_mrz_text, MrzReading};
use id_capture::photo::capture::{capture_natively, MrzStep};
use id_capture::photo::mrz_read::{MrzSource, PhotoMrz};
use id_capture::photo::PhotoOptions;
use serde_json::{json, Value};

fn today() -> Date {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    Date::from_unix_seconds(seconds)
}

fn fields(reading: Option<&MrzReading>) -> Value {
    match reading {
        Some(reading) => json!({
            "given_names": reading.given_names, "surname": reading.surname,
            "date_of_birth": reading.date_of_birth.map(|d| d.to_string()),
            "nationality": reading.nationality, "checks_passed": reading.checks_passed(),
            "names_need_confirmation": reading.names_need_confirmation,
            "date_of_birth_needs_confirmation": reading.date_of_birth_needs_confirmation,
            "nationality_needs_confirmation": reading.nationality_needs_confirmation,
        }),
        None => json!({"given_names": null, "surname": null, "date_of_birth": null, "nationality": null, "checks_passed": false}),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--text") {
        let mut input = String::new();
        std::io::stdin().read_to_string(&mut input).expect("read standard input");
        for document in input.split("\n\n").filter(|d| !d.trim().is_empty()) {
            let started = Instant::now();
            let parsed = parse_mrz_text(document, today());
            let mut line = fields(parsed.as_ref().ok());
            line["lines"] = json!(document.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>());
            line["ms"] = json!(started.elapsed().as_secs_f64() * 1000.0);
            if let Err(error) = parsed {
                line["error"] = json!(id_capture::error::Coded::code(&error).as_str());
            }
            println!("{line}");
        }
        return;
    }
    let options = PhotoOptions::default();
    for file in args {
        let bytes = match std::fs::read(&file) {
            Ok(bytes) => bytes,
            Err(error) => {
                println!("{}", json!({"file": file, "error": error.to_string()}));
                continue;
            }
        };
        let started = Instant::now();
        let result = capture_natively(&bytes, &options, MrzStep::Read { today: today() }).map(|(_, captured)| PhotoMrz::from(captured));
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let found = match result {
            Ok(found) => found,
            Err(error) => {
                println!("{}", json!({"file": file, "error": id_capture::error::Coded::code(&error).as_str(), "ms": ms}));
                continue;
            }
        };
        let recognised = found.mrz.as_ref().ok();
        let mut line = fields(recognised.map(|(r, _)| &r.reading));
        line["file"] = json!(file);
        line["lines"] = recognised.map_or(Value::Null, |(r, _)| json!(r.lines_for_diagnostics()));
        line["source"] = json!(recognised.map(|(_, source)| if *source == MrzSource::Crop { "crop" } else { "whole_photo" }));
        line["document_found"] = json!(found.detection.document_found);
        line["corners"] = json!(found.detection.corners.iter().map(|p| [p.x, p.y]).collect::<Vec<_>>());
        line["ms"] = json!(ms);
        let started = Instant::now();
        let _ = id_capture::mrz::read_mrz(found.crop.width as u32, found.crop.height as u32, &found.crop.pixels, today());
        line["reader_ms"] = json!(started.elapsed().as_secs_f64() * 1000.0);
        if let Err(error) = &found.mrz {
            line["error"] = json!(id_capture::error::Coded::code(error).as_str());
        }
        println!("{line}");
    }
}
