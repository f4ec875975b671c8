//! Measures the MRZ reader on generated document photos it was not tuned on:
//! share of documents with name, birth date and nationality all exact, wrong
//! readings accepted as valid (must be 0), and ms per photo (reader only).
//! Run: `cargo run --release --example mrz_accuracy -- [COUNT] [SEED]`
//! (`HARSH=1` for smaller, blurrier, noisier, lower-quality photos).

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::Instant;

use id_capture::error::Coded;
use id_capture::mrz::{read_mrz, DocumentKind};
use support::mrz_fixtures::{today, Rng};
use support::mrz_photos::PhotoMaker;

fn main() {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(500);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(424_242);
    let mut maker = PhotoMaker::new();
    maker.harsh = std::env::var_os("HARSH").is_some();
    let mut rng = Rng::new(seed);
    let (mut exact, mut exact_flagged, mut wrong_accepted, mut wrong_but_flagged, mut total_ms, mut max_ms) = (0, 0, 0, 0, 0.0, 0f64);
    let mut refused = std::collections::BTreeMap::<&str, usize>::new();
    for index in 0..count {
        let kind = DocumentKind::ALL[index % DocumentKind::ALL.len()];
        let photo = maker.make(&mut rng, kind);
        let started = Instant::now();
        let result = read_mrz(photo.width, photo.height, &photo.grey, today());
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        total_ms += ms;
        max_ms = max_ms.max(ms);
        let truth = &photo.truth;
        match result {
            Ok(reading) => {
                let right = reading.surname == truth.surname
                    && reading.given_names == truth.given_names
                    && reading.date_of_birth == truth.date_of_birth
                    && reading.nationality == truth.nationality;
                if right {
                    exact += 1;
                    exact_flagged += usize::from(reading.names_need_confirmation);
                } else {
                    wrong_accepted += 1;
                    wrong_but_flagged += usize::from(reading.names_need_confirmation);
                    eprintln!("WRONG #{index} {kind:?}: read {} / {} / {:?} / {:?}; truth {:?}", reading.surname, reading.given_names, reading.date_of_birth, reading.nationality, truth.lines);
                }
            }
            Err(error) => {
                *refused.entry(error.code().as_str()).or_default() += 1;
                eprintln!("REFUSED #{index} {kind:?}: {}", error.code());
            }
        }
    }
    println!(
        "{count} photos (seed {seed}): {:.1}% all three fields exact ({exact_flagged} of them with names flagged for confirmation), {wrong_accepted} wrong readings accepted as valid ({wrong_but_flagged} of them flagged for name confirmation), refused {refused:?}, reader {:.1} ms mean, {:.1} ms max",
        100.0 * exact as f64 / count as f64,
        total_ms / count as f64,
        max_ms
    );
}
