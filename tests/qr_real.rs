//! QR decoding on real photos and scans (`../shared/data/qr-real`: jsQR's
//! end-to-end images with their recorded text), run the way the page runs a
//! picked photo: RGBA as it is (all are ≤ 2048 px, the page's still limit),
//! `maxAttempts` 12, no time budget.
//!
//! The set is split by sorted file name: even positions (0, 2, 4, …) are the
//! tuning half, odd positions the held-out half never looked at to choose
//! parameters. The test prints both halves and the whole set, asserts the
//! whole-set floor reached, and that no image decodes to wrong text (a
//! reading that differs from the truth is worse than none).
//!
//! Skips, saying so, where the folder is absent (it is not in this repository).

use std::collections::BTreeMap;
use std::path::PathBuf;

use id_capture::qr::{decode_rgba, ScanOptions};
use sha2::{Digest, Sha256};

/// Images read exactly (of 75) on the whole set at the last change; the floor
/// (issue 12 asks for at least 68).
const WHOLE_SET_FLOOR: usize = 71;
/// The peers' figures on the same 75 images (`../shared/data/README.md`:
/// zxing-cpp 62, jsQR 62); the decoder must read more than either.
const PEERS_BEST: usize = 62;

/// Where `truth.json` cannot be the text, the expected text's SHA-256
/// (hashes, so that no content of the set is copied here):
/// - jsQR records `""` for byte data that is not UTF-8: Shift_JIS text
///   (166–184, 186, billboard-2) and binary data (155, read as ISO-8859-1);
///   for 182 it recorded only its Kanji segment (`入り`). The expected text
///   is zxing-cpp 3.1.1's reading, which equals Python's `shift_jis` (or
///   `latin-1`) decoding of the same bytes.
/// - 170 holds two QR codes (an inner one inside an outer one); the truth is
///   the inner one, and the outer one's text is just as right a reading.
/// (`qr_real_other_expected.json`, file name → SHA-256 hex; `bench/qr.mjs` reads it too.)
static OTHER_EXPECTED: std::sync::LazyLock<BTreeMap<String, String>> =
    std::sync::LazyLock::new(|| serde_json::from_str(include_str!("qr_real_other_expected.json")).expect("hash list is JSON"));

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Exact,
    Missed,
    Wrong,
}

/// zxing-cpp's text as its Python binding prints it (the `from: zxing-cpp`
/// entries): control characters as `<NAME>`, DEL and U+0080..=U+00A0 as `<U+XX>`.
fn zxing_printed(text: &str) -> String {
    const NAMES: [&str; 32] = [
        "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR", "SO", "SI", "DLE",
        "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US",
    ];
    let mut printed = String::new();
    for c in text.chars() {
        match c as u32 {
            code @ 0..=0x1F => printed.push_str(&format!("<{}>", NAMES[code as usize])),
            0x7F => printed.push_str("<DEL>"),
            code @ 0x80..=0xA0 => printed.push_str(&format!("<U+{code:02X}>")),
            _ => printed.push(c),
        }
    }
    printed
}

fn verdict(name: &str, truth: &str, truth_from: &str, text: Option<&str>) -> Verdict {
    let Some(text) = text else { return Verdict::Missed };
    if text == truth || (truth_from == "zxing-cpp" && zxing_printed(text) == truth) {
        return Verdict::Exact;
    }
    let digest: String = Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    if OTHER_EXPECTED.get(name) == Some(&digest) {
        return Verdict::Exact;
    }
    Verdict::Wrong
}

#[test]
fn real_photos_decode_to_exact_text() {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/qr-real");
    let Ok(truth_json) = std::fs::read_to_string(folder.join("truth.json")) else {
        eprintln!("SKIPPED: {} not found (real QR photos live outside the repository)", folder.display());
        return;
    };
    let truth: BTreeMap<String, serde_json::Value> = serde_json::from_str(&truth_json).expect("truth.json is JSON");
    let options = ScanOptions { max_attempts: Some(12), ..ScanOptions::default() };
    // [tuning, held out] × [exact, literal truth match, missed, wrong]
    let mut counts = [[0usize; 4]; 2];
    let mut sizes = [0usize; 2];
    let mut wrong = Vec::new();
    for (position, (name, entry)) in truth.iter().enumerate() {
        let half = position % 2;
        sizes[half] += 1;
        let expected = entry["text"].as_str().expect("truth text");
        let from = entry["from"].as_str().unwrap_or("");
        let image = image::open(folder.join(name)).expect("readable PNG").to_rgba8();
        let decoded = decode_rgba(image.width(), image.height(), image.as_raw(), &options).ok();
        let text = decoded.as_ref().map(|d| d.text.as_str());
        let verdict = verdict(name, expected, from, text);
        let label = if half == 0 { "tuning" } else { "held-out" };
        match verdict {
            Verdict::Exact => counts[half][0] += 1,
            Verdict::Missed => {
                counts[half][2] += 1;
                println!("missed ({label}): {name}");
            }
            Verdict::Wrong => {
                counts[half][3] += 1;
                println!("WRONG ({label}): {name}");
                wrong.push(name.clone());
            }
        }
        if text == Some(expected) {
            counts[half][1] += 1;
        }
    }
    let whole: Vec<usize> = (0..4).map(|i| counts[0][i] + counts[1][i]).collect();
    for (label, row, size) in [("tuning half", &counts[0][..], sizes[0]), ("held-out half", &counts[1][..], sizes[1]), ("whole set", &whole[..], sizes[0] + sizes[1])] {
        println!(
            "{label}: {}/{size} exact ({} equal truth.json's text as written), {} missed, {} wrong",
            row[0], row[1], row[2], row[3]
        );
    }
    assert!(wrong.is_empty(), "decoded to wrong text: {wrong:?}");
    assert!(whole[0] >= WHOLE_SET_FLOOR, "{} of {} exact, floor {WHOLE_SET_FLOOR}", whole[0], sizes[0] + sizes[1]);
    assert!(whole[0] > PEERS_BEST, "{} exact does not beat the peers' {PEERS_BEST}", whole[0]);
}

#[test]
fn zxing_printed_form_names_controls() {
    assert_eq!(zxing_printed("\u{1}\u{10}AD:阿"), "<SOH><DLE>AD:阿");
    assert_eq!(zxing_printed("\u{7F}\u{8E}\u{A0}\u{AD}é"), "<DEL><U+8E><U+A0>\u{AD}é");
}
