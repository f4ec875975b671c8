//! The MRZ reader (`mrz::recognise_mrz`, `recognise_mrz_in_photo`) on small
//! grey images: the first two input bytes choose the size (up to 240×120),
//! the rest are the pixels. Oracles: a reading is only returned when every
//! check passes, and its lines re-parse to the same holder facts.
#![no_main]

use id_capture::mrz::{parse_mrz_lines, recognise_mrz, recognise_mrz_in_photo, MrzError, RecognisedMrz};
use id_capture_fuzz::{small_grey, today};
use libfuzzer_sys::fuzz_target;

fn check(result: Result<RecognisedMrz, MrzError>) {
    if let Err(error) = &result {
        assert!(!matches!(error, MrzError::InvalidPixels { .. }), "the buffer fits its size: {error:?}");
    }
    let Ok(recognised) = result else { return };
    let reading = &recognised.reading;
    assert!(reading.checks_passed(), "{:?}", reading.checks);
    let again = parse_mrz_lines(recognised.lines_for_diagnostics(), today()).expect("recognised lines must parse");
    assert_eq!((again.kind, &again.surname, &again.given_names), (reading.kind, &reading.surname, &reading.given_names));
    assert_eq!((again.date_of_birth, &again.nationality, again.checks), (reading.date_of_birth, &reading.nationality, reading.checks));
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let Some((width, height, grey)) = small_grey(rest, 8, 240, 120) else { return };
    if mode & 1 == 0 {
        check(recognise_mrz(width, height, &grey, today()));
    } else {
        check(recognise_mrz_in_photo(width, height, &grey, today()));
    }
});
