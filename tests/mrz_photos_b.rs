//! The page's photo → MRZ path (the capture pipeline, `photo::capture`) on
//! `../shared/data/mrz-photos-b`: 60 phone photos of TD1 cards and TD3
//! passports from a second generator (not ours: other rasteriser, layouts,
//! lighting, damage). A check set only, never tuned on. Skipped with a
//! message where the folder is absent (it is not part of the repository).

use std::path::PathBuf;

use id_capture::date::Date;
use id_capture::photo::capture::{capture_natively, MrzStep};
use id_capture::photo::PhotoOptions;

/// All four fields exact on at least this many of the 60 (reached: 60; the issue asks 58).
const AT_LEAST_EXACT: usize = 60;

fn data_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/mrz-photos-b");
    dir.join("truth.json").is_file().then_some(dir)
}

fn today() -> Date {
    Date::new(2026, 11, 30).unwrap()
}

#[test]
fn reads_the_second_generators_photos_and_accepts_no_wrong_birth_date_or_nationality_silently() {
    let Some(dir) = data_dir() else {
        eprintln!("SKIPPED: ../shared/data/mrz-photos-b not found next to the repository");
        return;
    };
    let truth: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&std::fs::read(dir.join("truth.json")).unwrap()).expect("truth.json is a JSON object");
    let mut names: Vec<&String> = truth.keys().collect();
    names.sort();
    let (mut exact, mut silent_wrong) = (0, Vec::new());
    for name in names {
        let expected = &truth[name];
        let bytes = std::fs::read(dir.join(name)).unwrap();
        let (_, captured) = capture_natively(&bytes, &PhotoOptions::default(), MrzStep::Read { today: today() }).expect("the path runs");
        let Some(Ok((recognised, _))) = &captured.mrz else { continue };
        let reading = &recognised.reading;
        let date = reading.date_of_birth.map(|d| d.to_string());
        let birth_right = date.as_deref() == expected["date_of_birth"].as_str();
        let nationality_right = reading.nationality.as_deref() == expected["nationality"].as_str();
        let names_right = reading.surname == expected["surname"].as_str().unwrap_or_default()
            && reading.given_names == expected["given_names"].as_str().unwrap_or_default();
        if birth_right && nationality_right && names_right {
            exact += 1;
        }
        // Wrong fields are acceptable only when the page asks the user to confirm them.
        if !birth_right && !reading.date_of_birth_needs_confirmation {
            silent_wrong.push(format!("{name}: date of birth"));
        }
        if !nationality_right && !reading.nationality_needs_confirmation {
            silent_wrong.push(format!("{name}: nationality"));
        }
    }
    println!("mrz-photos-b: {exact}/{} all four fields exact; silently wrong: {silent_wrong:?}", truth.len());
    assert!(silent_wrong.is_empty(), "wrong and not flagged: {silent_wrong:?}");
    assert!(exact >= AT_LEAST_EXACT, "{exact}/{} exact, expected at least {AT_LEAST_EXACT}", truth.len());
}
