//! Reads the MRZ of document photos and prints one JSON line per image:
//! `{"file", "lines", "given_names", "surname", "date_of_birth", "nationality", "checks_passed", "ms"}`.
//! `--text` parses MRZ lines from standard input instead (documents separated by a blank line).
//! Run: `cargo run --release --example read_mrz -- FILE...`

use std::io::Read;
use std::time::Instant;

use id_capture::date::Date;
use id_capture::mrz::{parse_mrz_text, recognise_mrz, MrzReading};
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
    for file in args {
        let photo = match image::open(&file) {
            Ok(photo) => photo.to_luma8(),
            Err(error) => {
                println!("{}", json!({"file": file, "error": error.to_string()}));
                continue;
            }
        };
        let started = Instant::now();
        let result = recognise_mrz(photo.width(), photo.height(), photo.as_raw(), today());
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let mut line = fields(result.as_ref().ok().map(|r| &r.reading));
        line["file"] = json!(file);
        line["lines"] = result.as_ref().ok().map_or(Value::Null, |r| json!(r.lines_for_diagnostics()));
        line["ms"] = json!(ms);
        if let Err(error) = &result {
            line["error"] = json!(id_capture::error::Coded::code(error).as_str());
        }
        println!("{line}");
    }
}
