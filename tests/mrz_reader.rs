//! The MRZ reader on generated phone photos of invented documents, with
//! seeds the reader was never tuned on. Figures (rate, ms) are printed by
//! `cargo run --release --example mrz_accuracy`; here only correctness.

mod support;

use id_capture::error::{Coded, ErrorCode};
use id_capture::mrz::{read_mrz, DocumentKind, MrzError};
use support::mrz_fixtures::{generate, today, Rng};
use support::mrz_photos::{PhotoMaker, WildPhoto};

#[test]
fn reads_at_least_99_percent_of_unseen_generated_photos_and_accepts_no_wrong_reading() {
    let maker = PhotoMaker::new();
    let mut rng = Rng::new(90_210);
    let count = 150;
    let (mut exact, mut wrong_accepted) = (0, 0);
    for index in 0..count {
        let photo = maker.make(&mut rng, DocumentKind::ALL[index % 5]);
        match read_mrz(photo.width, photo.height, &photo.grey, today()) {
            Ok(reading) => {
                assert!(reading.checks_passed(), "a reading is returned only when its checks pass");
                let truth = &photo.truth;
                if (&reading.surname, &reading.given_names, reading.date_of_birth, &reading.nationality)
                    == (&truth.surname, &truth.given_names, truth.date_of_birth, &truth.nationality)
                {
                    exact += 1;
                } else {
                    wrong_accepted += 1;
                }
            }
            Err(error) => assert!(matches!(error, MrzError::NoMrzFound | MrzError::ChecksFailed), "{error:?}"),
        }
    }
    println!("{exact}/{count} exact, {wrong_accepted} wrong accepted");
    assert_eq!(wrong_accepted, 0);
    assert!(exact * 100 >= count * 99, "{exact}/{count} exact");
}

#[test]
fn a_printed_mrz_with_a_wrong_composite_digit_is_refused_as_checks_failed() {
    let maker = PhotoMaker::new();
    let mut rng = Rng::new(5);
    for kind in [DocumentKind::Td1, DocumentKind::Td2, DocumentKind::Td3] {
        let mut truth = generate(&mut rng, kind);
        let last_line = truth.lines.len() - 1;
        let line = if kind == DocumentKind::Td1 { 1 } else { last_line };
        let mut bytes = truth.lines[line].clone().into_bytes();
        let last = bytes.len() - 1;
        bytes[last] = b'0' + (bytes[last] - b'0' + 5) % 10;
        truth.lines[line] = String::from_utf8(bytes).unwrap();
        let photo = maker.make_from(&mut rng, truth);
        let error = read_mrz(photo.width, photo.height, &photo.grey, today()).unwrap_err();
        assert_eq!(error.code(), ErrorCode::MrzChecksFailed, "{kind:?}");
    }
}

#[test]
fn reads_a_document_photographed_upside_down() {
    let maker = PhotoMaker::new();
    let mut rng = Rng::new(11);
    let photo = maker.make(&mut rng, DocumentKind::Td3);
    let turned: Vec<u8> = photo.grey.iter().rev().copied().collect();
    let reading = read_mrz(photo.width, photo.height, &turned, today()).unwrap();
    assert_eq!(reading.surname, photo.truth.surname);
    assert_eq!(reading.date_of_birth, photo.truth.date_of_birth);
}

#[test]
fn reports_per_character_name_confidence_aligned_with_the_names() {
    let maker = PhotoMaker::new();
    let mut rng = Rng::new(12);
    let photo = maker.make(&mut rng, DocumentKind::Td1);
    let reading = read_mrz(photo.width, photo.height, &photo.grey, today()).unwrap();
    let confidence = reading.name_confidence.expect("OCR readings carry confidence");
    assert_eq!(confidence.surname.len(), reading.surname.chars().count());
    assert_eq!(confidence.given_names.len(), reading.given_names.chars().count());
}

#[test]
fn mrz_shaped_lines_of_random_characters_are_never_accepted() {
    let maker = PhotoMaker::new();
    let mut rng = Rng::new(77);
    for index in 0..6 {
        let kind = DocumentKind::ALL[index % 5];
        let mut truth = generate(&mut rng, kind);
        for line in truth.lines.iter_mut().skip(1) {
            let random: String = (0..line.len()).map(|_| *rng.pick(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<") as char).collect();
            *line = random;
        }
        let photo = maker.make_from(&mut rng, truth);
        let error = read_mrz(photo.width, photo.height, &photo.grey, today()).unwrap_err();
        assert!(matches!(error, MrzError::ChecksFailed | MrzError::NoMrzFound), "{kind:?}: {error:?}");
    }
}

#[test]
fn noise_is_refused_without_panicking() {
    let mut rng = Rng::new(3);
    let (width, height) = (900u32, 600u32);
    let noise: Vec<u8> = (0..width * height).map(|_| rng.below(256) as u8).collect();
    assert!(read_mrz(width, height, &noise, today()).is_err());
}

#[test]
fn a_page_without_an_mrz_is_no_mrz_found() {
    let (width, height) = (1200u32, 800u32);
    let blank: Vec<u8> = (0..width * height).map(|i| (200 + (i % 7)) as u8).collect();
    assert_eq!(read_mrz(width, height, &blank, today()).unwrap_err().code(), ErrorCode::NoMrzFound);
}

#[test]
fn a_buffer_of_the_wrong_length_is_invalid_pixels() {
    let error = read_mrz(100, 100, &[0u8; 99], today()).unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidPixels);
    assert!(read_mrz(u32::MAX, u32::MAX, &[], today()).is_err());
    assert!(read_mrz(0, 0, &[], today()).is_err());
}

/// A whole photo from the generator's unlike-the-templates mode with the
/// document at `quarter_turns` × 90° plus `skew` degrees; returns whether the
/// reader got the truth (from the frame as it is, no document crop).
fn reads_turned(seed: u64, kind: DocumentKind, quarter_turns: u8, skew: f32) {
    let maker = PhotoMaker::new();
    let mut rng = Rng::new(seed);
    let wild = WildPhoto { quarter_turns: Some(quarter_turns), skew_degrees: Some(skew), document_share: (0.7, 0.85), ..WildPhoto::default() };
    let photo = maker.make_wild(&mut rng, kind, wild);
    let reading = read_mrz(photo.width, photo.height, &photo.grey, today()).unwrap_or_else(|e| panic!("{kind:?} at {quarter_turns}×90°{skew:+}°: {e:?}"));
    assert_eq!(
        (&reading.surname, &reading.given_names, reading.date_of_birth, &reading.nationality),
        (&photo.truth.surname, &photo.truth.given_names, photo.truth.date_of_birth, &photo.truth.nationality)
    );
}

#[test]
fn reads_an_mrz_turned_a_quarter() {
    reads_turned(901, DocumentKind::Td3, 1, 0.0);
    reads_turned(902, DocumentKind::Td1, 3, 2.0);
}

#[test]
fn reads_an_mrz_turned_upside_down_in_a_whole_photo() {
    reads_turned(903, DocumentKind::Td3, 2, -1.0);
}

#[test]
fn reads_an_mrz_skewed_by_twenty_degrees() {
    reads_turned(904, DocumentKind::Td3, 0, 20.0);
    reads_turned(905, DocumentKind::Td1, 0, -20.0);
}

#[test]
fn the_page_path_reads_a_skewed_passport_in_a_whole_photo() {
    use id_capture::photo::mrz_read::read_photo_mrz;
    use id_capture::photo::RgbImage;
    let maker = PhotoMaker::new();
    let mut rng = Rng::new(906);
    let wild = WildPhoto { quarter_turns: Some(0), skew_degrees: Some(15.0), ..WildPhoto::default() };
    let photo = maker.make_wild(&mut rng, DocumentKind::Td3, wild);
    let rgb = RgbImage { width: photo.width, height: photo.height, pixels: photo.grey.iter().flat_map(|&g| [g, g, g]).collect() };
    let found = read_photo_mrz(&rgb, 1600, today()).unwrap();
    let (recognised, _) = found.mrz.expect("reads");
    assert_eq!(recognised.reading.date_of_birth, photo.truth.date_of_birth);
    assert_eq!(recognised.reading.surname, photo.truth.surname);
}

#[test]
fn a_printed_mrz_with_a_wrong_check_digit_is_not_repaired_into_validity() {
    // Each of the document number, birth date and expiry check digits
    // printed wrong in turn: the reader must refuse, never change
    // characters until the digits agree.
    let maker = PhotoMaker::new();
    let mut rng = Rng::new(31);
    for (kind, line, position) in [(DocumentKind::Td3, 1, 9), (DocumentKind::Td3, 1, 19), (DocumentKind::Td1, 0, 14), (DocumentKind::Td1, 1, 6), (DocumentKind::Td1, 1, 14)] {
        let mut truth = generate(&mut rng, kind);
        let mut bytes = truth.lines[line].clone().into_bytes();
        bytes[position] = b'0' + (bytes[position].wrapping_sub(b'0') % 10 + 3) % 10;
        truth.lines[line] = String::from_utf8(bytes).unwrap();
        let photo = maker.make_from(&mut rng, truth);
        let error = read_mrz(photo.width, photo.height, &photo.grey, today()).unwrap_err();
        assert_eq!(error.code(), ErrorCode::MrzChecksFailed, "{kind:?} line {line} position {position}");
    }
}
