//! Measures the MRZ reader on generated document photos it was not tuned on:
//! share of documents with name, birth date and nationality all exact, wrong
//! readings accepted as valid (must be 0), and ms per photo (reader only).
//! Run: `cargo run --release --example mrz_accuracy -- [COUNT] [SEED]`
//! (`HARSH=1` for smaller, blurrier, noisier, lower-quality photos;
//! `WILD=1` for whole phone photos rendered unlike the templates, at any
//! quarter turn, ±30° skew and in perspective, read by the page's whole path
//! `photo::mrz_read::read_photo_mrz`; ms then covers that path; with
//! `SMALL=1` the document takes a fifth to a third of the frame).

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::Instant;

use id_capture::error::Coded;
use id_capture::mrz::{read_mrz, DocumentKind, MrzError, MrzReading};
use id_capture::photo::mrz_read::read_photo_mrz;
use id_capture::photo::RgbImage;
use support::mrz_fixtures::{today, GeneratedMrz, Rng};
use support::mrz_photos::{PhotoMaker, WildPhoto};

/// One generated photo read: the truth and the reader's answer.
/// One generated photo read: the truth, the reader's answer and its time (ms).
fn read_one(maker: &PhotoMaker, rng: &mut Rng, kind: DocumentKind, wild: bool) -> (GeneratedMrz, Result<MrzReading, MrzError>, f64) {
    if wild {
        // SMALL=1: the document a fifth to a third of the frame (MRZ ~300–500 px wide).
        let share = if std::env::var_os("SMALL").is_some() { (0.2, 0.32) } else { WildPhoto::default().document_share };
        let photo = maker.make_wild(rng, kind, WildPhoto { document_share: share, ..WildPhoto::default() });
        let rgb = RgbImage { width: photo.width, height: photo.height, pixels: photo.grey.iter().flat_map(|&g| [g, g, g]).collect() };
        let started = Instant::now();
        let found = read_photo_mrz(&rgb, 1600, today()).expect("the page path runs");
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        (photo.truth, found.mrz.map(|(recognised, _)| recognised.reading), ms)
    } else {
        let photo = maker.make(rng, kind);
        let started = Instant::now();
        let result = read_mrz(photo.width, photo.height, &photo.grey, today());
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        (photo.truth, result, ms)
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(500);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(424_242);
    let mut maker = PhotoMaker::new();
    maker.harsh = std::env::var_os("HARSH").is_some();
    let wild = std::env::var_os("WILD").is_some();
    let (mut birth_or_nationality_wrong_unflagged, mut flagged_fields) = (0, 0);
    let mut rng = Rng::new(seed);
    let (mut exact, mut exact_flagged, mut wrong_accepted, mut wrong_but_flagged, mut total_ms, mut max_ms) = (0, 0, 0, 0, 0.0, 0f64);
    let mut refused = std::collections::BTreeMap::<&str, usize>::new();
    for index in 0..count {
        let kind = DocumentKind::ALL[index % DocumentKind::ALL.len()];
        let (truth, result, ms) = read_one(&maker, &mut rng, kind, wild);
        total_ms += ms;
        max_ms = max_ms.max(ms);
        let truth = &truth;
        match result {
            Ok(reading) => {
                let right = reading.surname == truth.surname
                    && reading.given_names == truth.given_names
                    && reading.date_of_birth == truth.date_of_birth
                    && reading.nationality == truth.nationality;
                let flags = usize::from(reading.date_of_birth_needs_confirmation) + usize::from(reading.nationality_needs_confirmation);
                flagged_fields += usize::from(flags > 0);
                let birth_wrong = reading.date_of_birth != truth.date_of_birth && !reading.date_of_birth_needs_confirmation;
                let nationality_wrong = reading.nationality != truth.nationality && !reading.nationality_needs_confirmation;
                birth_or_nationality_wrong_unflagged += usize::from(birth_wrong || nationality_wrong);
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
        "{count} photos (seed {seed}{}): {:.1}% all four fields exact ({exact_flagged} of them with names flagged for confirmation), {wrong_accepted} wrong readings accepted as valid ({wrong_but_flagged} of them flagged for name confirmation; {birth_or_nationality_wrong_unflagged} with a wrong birth date or nationality not flagged), {flagged_fields} with birth date or nationality flagged, refused {refused:?}, reader {:.1} ms mean, {:.1} ms max",
        if wild { ", wild" } else { "" },
        100.0 * exact as f64 / count as f64,
        total_ms / count as f64,
        max_ms
    );
}
