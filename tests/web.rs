//! The JavaScript boundary in headless Chromium (wasm-bindgen-test): errors
//! carry stable codes, people are checked as the core says, and a submission to
//! a registry that is down ends in `registry_unavailable` after retrying.
#![cfg(target_arch = "wasm32")]

use id_capture::web::{from_snippet, settled_by_snippet, IdCapture, IdCaptureErrorClass};
use js_sys::{Array, Function, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn js(json: &str) -> JsValue {
    JSON::parse(json).expect("test JSON parses")
}

fn property(value: &JsValue, name: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(name)).unwrap()
}

fn capture(config: &str) -> IdCapture {
    IdCapture::new(Some(js(config).unchecked_into())).unwrap_or_else(|_| panic!("config {config} is valid"))
}

const ANNA: &str = r#"{"given_names":" Anna  Maria ","surname":"Eriksson","date_of_birth":"1974-08-12","nationality":"swe"}"#;

#[wasm_bindgen_test]
fn an_insecure_registry_url_throws_an_id_capture_error_with_code_invalid_config() {
    let error = IdCapture::new(Some(js(r#"{"registryUrl":"http://registry.example"}"#).unchecked_into())).err().expect("refused");
    assert!(error.is_instance_of::<js_sys::Error>());
    assert_eq!(property(&error, "name"), "IdCaptureError");
    assert_eq!(property(&error, "code"), "invalid_config");
}

#[wasm_bindgen_test]
fn a_misspelt_option_is_refused_rather_than_ignored() {
    let error = IdCapture::new(Some(js(r#"{"registryURL":"https://registry.example"}"#).unchecked_into())).err().expect("refused");
    assert_eq!(property(&error, "code"), "invalid_config");
}

#[wasm_bindgen_test]
fn check_person_returns_the_normalised_person_as_a_plain_object() {
    let checked: JsValue = capture("{}").check_person(js(ANNA).unchecked_into()).unwrap().into();
    assert_eq!(property(&checked, "given_names"), "Anna Maria");
    assert_eq!(property(&checked, "nationality"), "SWE");
    let keys = js_sys::Object::keys(checked.unchecked_ref::<js_sys::Object>());
    assert_eq!(keys.length(), 4);
}

#[wasm_bindgen_test]
fn check_person_names_the_field_to_correct() {
    let future_birth = r#"{"given_names":"Anna","surname":"Eriksson","date_of_birth":"2999-01-01","nationality":null}"#;
    let error = capture("{}").check_person(js(future_birth).unchecked_into()).err().expect("refused");
    assert_eq!(property(&error, "code"), "invalid_person");
    assert_eq!(property(&error, "field"), "date_of_birth");
    let message = property(&error, "message").as_string().unwrap();
    assert!(!message.contains("2999"), "messages never echo values");
}

#[wasm_bindgen_test]
fn a_person_with_extra_fields_is_refused() {
    let extra = r#"{"given_names":"Anna","surname":"Eriksson","date_of_birth":"1974-08-12","nationality":null,"document_number":"L898902C3"}"#;
    let error = capture("{}").check_person(js(extra).unchecked_into()).err().expect("refused");
    assert_eq!(property(&error, "code"), "invalid_person");
}

#[wasm_bindgen_test]
fn idempotency_keys_are_fresh_version_4_uuids() {
    let first = IdCapture::new_idempotency_key();
    let second = IdCapture::new_idempotency_key();
    assert_ne!(first, second);
    assert_eq!(first.len(), 36);
    assert_eq!(&first[14..15], "4");
}

#[wasm_bindgen_test]
async fn a_registry_that_is_down_ends_in_registry_unavailable_after_every_attempt() {
    // Port 9 on loopback: nothing listens, the connection is refused at once.
    let capture = capture(r#"{"registryUrl":"http://127.0.0.1:9","retry":{"maxAttempts":3,"baseDelayMs":20,"attemptTimeoutMs":2000}}"#);
    let statuses = Array::new();
    let record = Function::new_with_args("status", "this.push(JSON.stringify(status))").bind0(&statuses);
    let options = js(r#"{"source":"typed","correctedByUser":false}"#);
    Reflect::set(&options, &"onStatus".into(), &record).unwrap();
    let promise = wasm_bindgen_futures::future_to_promise(async move {
        capture.submit_document(js(ANNA).unchecked_into(), options.unchecked_into()).await.map(Into::into)
    });
    let error = JsFuture::from(promise).await.err().expect("rejected");
    assert_eq!(property(&error, "code"), "registry_unavailable");
    assert_eq!(property(&error, "attempts"), 3);
    let seen: Vec<String> = statuses.iter().map(|status| status.as_string().unwrap()).collect();
    assert_eq!(seen.len(), 5, "{seen:?}");
    assert!(seen[0].contains(r#""state":"sending""#));
    assert!(seen[1].contains(r#""reason":"unreachable""#));
}

#[wasm_bindgen_test]
async fn an_invalid_person_is_refused_before_anything_is_sent() {
    let capture = capture(r#"{"registryUrl":"http://127.0.0.1:9"}"#);
    let invalid = r#"{"given_names":"Anna","surname":"","date_of_birth":"1974-08-12","nationality":null}"#;
    let promise = wasm_bindgen_futures::future_to_promise(async move {
        capture.submit_document(js(invalid).unchecked_into(), js(r#"{"source":"typed"}"#).unchecked_into()).await.map(Into::into)
    });
    let error = JsFuture::from(promise).await.err().expect("rejected");
    assert_eq!(property(&error, "code"), "invalid_person");
    assert_eq!(property(&error, "field"), "surname");
}

#[path = "support/rqrr_trigger.rs"]
mod rqrr_trigger;

/// An RGBA frame with a QR code of `text`, 4 pixels a module, quiet zone included.
fn qr_frame(text: &str) -> (u32, u32, Vec<u8>) {
    let code = qrcode::QrCode::new(text.as_bytes()).expect("encodable");
    let modules = code.width();
    let scale = 4;
    let side = (modules + 8) * scale;
    let colors = code.to_colors();
    let mut rgba = vec![255u8; side * side * 4];
    for y in 0..side {
        for x in 0..side {
            let (mx, my) = ((x / scale) as isize - 4, (y / scale) as isize - 4);
            let dark = mx >= 0 && my >= 0 && (mx as usize) < modules && (my as usize) < modules && colors[my as usize * modules + mx as usize] == qrcode::Color::Dark;
            if dark {
                rgba[(y * side + x) * 4..(y * side + x) * 4 + 3].fill(0);
            }
        }
    }
    (side as u32, side as u32, rgba)
}

#[wasm_bindgen_test]
fn an_hms_card_frame_yields_only_its_card_reference() {
    let (width, height, rgba) = qr_frame("https://hmskort.no/kort/TEST0000001");
    let found: JsValue = id_capture::web::scan_hms_card_frame(width, height, &rgba, None).unwrap().into();
    assert_eq!(property(&found, "hmsCardReference"), "TEST0000001");
    assert_eq!(js_sys::Object::keys(found.unchecked_ref::<js_sys::Object>()).length(), 2, "reference and corners only");
}

#[wasm_bindgen_test]
fn a_wifi_code_is_not_an_hms_card_and_says_what_it_was_without_its_content() {
    let (width, height, rgba) = qr_frame("WIFI:T:WPA;S:SiteOffice;P:hunter22;;");
    let error = id_capture::web::scan_hms_card_frame(width, height, &rgba, None).err().expect("refused");
    assert_eq!(property(&error, "code"), "not_an_hms_card");
    assert_eq!(property(&error, "kind"), "wifi_config");
    assert!(!property(&error, "message").as_string().unwrap().contains("hunter22"));
}

#[wasm_bindgen_test]
fn a_spent_time_budget_stops_the_scan_after_its_first_pass() {
    // A blank frame: no pass can find a code, so every allowed pass runs.
    let (width, height) = (320u32, 240u32);
    let rgba = vec![200u8; (width * height * 4) as usize];
    let message = |options: &str| {
        let error = id_capture::web::scan_hms_card_frame(width, height, &rgba, Some(js(options).unchecked_into())).err().expect("no code");
        assert_eq!(property(&error, "code"), "no_qr_code_found");
        property(&error, "message").as_string().unwrap()
    };
    assert!(message(r#"{"scan":{"maxAttempts":12},"maxMilliseconds":0}"#).contains("after 1 attempts"));
    let unbounded = message(r#"{"scan":{"maxAttempts":12}}"#);
    assert!(!unbounded.contains("after 1 attempts"), "{unbounded}");
}

#[wasm_bindgen_test]
fn a_frame_with_the_wrong_pixel_count_is_invalid_pixels() {
    let error = id_capture::web::scan_hms_card_frame(10, 10, &[0u8; 399], None).err().expect("refused");
    assert_eq!(property(&error, "code"), "invalid_pixels");
}

#[wasm_bindgen_test]
fn the_image_that_panics_upstream_rqrr_is_a_typed_result_in_wasm_not_a_trap() {
    let (width, height, dark) = rqrr_trigger::upstream_panic_bitmap();
    let rgba: Vec<u8> = dark.iter().flat_map(|&d| if d { [10, 10, 10, 255] } else { [240, 240, 240, 255] }).collect();
    let options = js(r#"{"scan":{"maxAttempts":32}}"#);
    let error = id_capture::web::scan_hms_card_frame(width as u32, height as u32, &rgba, Some(options.unchecked_into())).err().expect("no code");
    assert_eq!(property(&error, "code"), "no_qr_code_found");
    // The module still works after it: a trap would have poisoned it.
    let (width, height, rgba) = qr_frame("https://hmskort.no/kort/TEST0000004");
    assert!(id_capture::web::scan_hms_card_frame(width, height, &rgba, None).is_ok());
}

/// The capture worker's entry (`capturePhoto`) on `bytes`, as the worker calls it: the result or the error.
async fn capture_photo(photo_id: u32, bytes: &[u8], options: &str) -> Result<JsValue, JsValue> {
    let parts = Array::of1(&js_sys::Uint8Array::from(bytes));
    let file = web_sys::Blob::new_with_u8_array_sequence(&parts).unwrap();
    id_capture::web::capture_photo(photo_id, file, js(options), None).await
}

#[wasm_bindgen_test]
async fn a_decompression_bomb_header_is_refused_before_decoding() {
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, b'I', b'H', b'D', b'R'];
    png.extend_from_slice(&50_000u32.to_be_bytes());
    png.extend_from_slice(&50_000u32.to_be_bytes());
    png.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    let error = capture_photo(1, &png, "{}").await.err().expect("refused");
    assert_eq!(property(&error, "code"), "image_too_large");
    assert_eq!(property(&error, "width"), 50_000);
}

#[wasm_bindgen_test]
async fn random_bytes_as_a_photo_are_a_typed_error() {
    let error = capture_photo(1, &[0x13; 4096], "{}").await.err().expect("refused");
    let code = property(&error, "code").as_string().unwrap();
    assert!(code == "image_unsupported" || code == "image_corrupt", "{code}");
}

/// A 3840 × 2560 photo (the smallest the file's own preview is read for) of
/// a light ID-1 card on a dark table, stored sideways with EXIF orientation 6.
fn sideways_card_photo() -> Vec<u8> {
    let (width, height) = (3840usize, 2560usize);
    let mut pixels = vec![70u8; width * height * 3];
    // Upright (2560 × 3840) the card spans x 700..2520, y 1000..2147; stored
    // turned back by 90°, upright (x, y) lies at stored (y, 2559 - x).
    for upright_y in 1000..2147 {
        for upright_x in 700..2520 {
            let (x, y) = (upright_y, height - 1 - upright_x);
            let at = (y * width + x) * 3;
            pixels[at..at + 3].copy_from_slice(&[225, 220, 205]);
        }
    }
    let mut jpeg = Vec::new();
    let encoder = jpeg_encoder::Encoder::new(&mut jpeg, 85);
    encoder.encode(&pixels, width as u16, height as u16, jpeg_encoder::ColorType::Rgb).expect("encoded");
    // EXIF: little-endian TIFF, one IFD entry: Orientation (0x0112), SHORT, 6.
    let exif = [&b"Exif\0\0II*\0\x08\0\0\0\x01\0"[..], &[0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0], &[0, 0, 0, 0]].concat();
    let mut with_exif = jpeg[..2].to_vec();
    with_exif.extend_from_slice(&[0xFF, 0xE1]);
    with_exif.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
    with_exif.extend_from_slice(&exif);
    with_exif.extend_from_slice(&jpeg[2..]);
    with_exif
}

/// The card's upright corners in `sideways_card_photo`.
const UPRIGHT_CARD: [(f64, f64); 4] = [(700.0, 1000.0), (2520.0, 1000.0), (2520.0, 2147.0), (700.0, 2147.0)];

/// Largest distance from a search's corners (its `shift`-th named first) to the upright card's.
fn card_corner_error(found: &JsValue, shift: usize) -> f64 {
    let corners = Array::from(&property(found, "corners"));
    (0..4)
        .map(|i| {
            let p = corners.get(((i + shift) % 4) as u32);
            let (x, y) = (property(&p, "x").as_f64().unwrap(), property(&p, "y").as_f64().unwrap());
            (x - UPRIGHT_CARD[i].0).hypot(y - UPRIGHT_CARD[i].1)
        })
        .fold(0.0, f64::max)
}

/// Largest distance between two results' corners, in pixels.
fn corner_distance(a: &JsValue, b: &[(f64, f64); 4]) -> f64 {
    let corners = Array::from(&property(a, "corners"));
    (0..4)
        .map(|i| {
            let p = corners.get(i as u32);
            (property(&p, "x").as_f64().unwrap() - b[i].0).hypot(property(&p, "y").as_f64().unwrap() - b[i].1)
        })
        .fold(0.0, f64::max)
}

#[wasm_bindgen_test]
async fn a_sideways_12_mp_photo_is_decoded_as_stored_searched_on_its_own_preview_and_cropped_upright() {
    let photo = sideways_card_photo();
    let result = capture_photo(1, &photo, r#"{"skipMrz":true}"#).await.expect("captured");
    assert_eq!((property(&result, "sourceWidth"), property(&result, "sourceHeight")), (JsValue::from(2560), JsValue::from(3840)));
    assert_eq!(property(&result, "documentFound"), true);
    let error = card_corner_error(&result, 0);
    assert!(error <= 16.0, "upright corners in upright order, error {error:.1} px");
    // The card is landscape (1820 × 1147): the crop is too, whichever way the file was stored.
    assert!(property(&result, "width").as_f64().unwrap() > property(&result, "height").as_f64().unwrap());
}

#[wasm_bindgen_test]
async fn the_browser_backend_and_the_native_backend_give_the_same_corners() {
    let photo = sideways_card_photo();
    let browser = capture_photo(1, &photo, r#"{"skipMrz":true}"#).await.expect("captured in the browser");
    let options = id_capture::photo::PhotoOptions::default();
    let (_, native) = id_capture::photo::capture::capture_natively(&photo, &options, id_capture::photo::capture::MrzStep::Skip).expect("captured natively");
    let native_corners = native.processed.corners.map(|p| (p.x as f64, p.y as f64));
    let distance = corner_distance(&browser, &native_corners);
    // Within 1 % of the long edge: the two backends scale the region with different filters.
    assert!(distance <= 38.4, "browser and native corners {distance:.1} px apart");
    assert_eq!(property(&browser, "documentFound"), native.processed.document_found);
}

#[wasm_bindgen_test]
async fn a_truncated_photo_is_named_before_the_browser_fills_it_with_grey() {
    let photo = sideways_card_photo();
    for keep in [photo.len() / 2, photo.len() * 9 / 10, photo.len() * 99 / 100] {
        let error = capture_photo(1, &photo[..keep], "{}").await.err().expect("a cut file is named");
        assert_eq!(property(&error, "code"), "image_incomplete", "cut at {keep}");
    }
}

#[wasm_bindgen_test]
async fn the_warm_up_runs_the_whole_pipeline_once_and_resolves() {
    id_capture::web::prepare_photo_capture().await;
}

#[wasm_bindgen_test]
async fn a_plain_photo_gets_the_centre_crop_as_a_browser_jpeg_without_metadata_and_recrops_by_its_id() {
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, 85).encode(&vec![128u8; 1200 * 900 * 3], 1200, 900, jpeg_encoder::ColorType::Rgb).expect("encoded");
    let result = capture_photo(7, &jpeg, r#"{"skipMrz":true}"#).await.expect("captured");
    assert_eq!(property(&result, "documentFound"), false);
    let out = js_sys::Uint8Array::new(&property(&result, "jpeg")).to_vec();
    assert!(out.len() <= 300_000 && markers_of(&out).contains(&0xDA));
    assert!(!markers_of(&out).iter().any(|m| (0xE1..=0xEF).contains(m) || *m == 0xFE), "no metadata segments");
    let corners = js(r#"[{"x":100,"y":100},{"x":1000,"y":120},{"x":980,"y":800},{"x":120,"y":780}]"#);
    let recropped = id_capture::web::recrop_photo(7, corners, js(r#"{"skipMrz":true}"#)).await.expect("recropped");
    assert!(corner_distance(&recropped, &[(100.0, 100.0), (1000.0, 120.0), (980.0, 800.0), (120.0, 780.0)]) < 0.5);
    let crossed = js(r#"[{"x":0,"y":0},{"x":300,"y":300},{"x":300,"y":0},{"x":0,"y":300}]"#);
    let error = id_capture::web::recrop_photo(7, crossed, JsValue::UNDEFINED).await.err().expect("refused");
    assert_eq!(property(&error, "code"), "invalid_config");
    id_capture::web::forget_photos();
    let error = id_capture::web::recrop_photo(7, corners_again(), JsValue::UNDEFINED).await.err().expect("forgotten");
    assert_eq!(property(&error, "code"), "photo_released");
}

fn markers_of(jpeg: &[u8]) -> Vec<u8> {
    id_capture::photo::jpeg_segments::all_markers(jpeg).expect("a complete JPEG").iter().map(|segment| segment.marker).collect()
}

fn corners_again() -> JsValue {
    js(r#"[{"x":100,"y":100},{"x":1000,"y":120},{"x":980,"y":800},{"x":120,"y":780}]"#)
}

#[wasm_bindgen_test]
fn check_person_uses_the_browsers_unicode_data_for_nfc_and_combining_marks() {
    // The wasm build normalises with String.prototype.normalize and counts marks with RegExp \p{M}.
    let decomposed = r#"{"given_names":"Zoe\u0308","surname":"A\u030asen","date_of_birth":"1974-08-12","nationality":null}"#;
    let checked: JsValue = capture("{}").check_person(js(decomposed).unchecked_into()).unwrap().into();
    assert_eq!(property(&checked, "given_names"), "Zo\u{00EB}");
    assert_eq!(property(&checked, "surname"), "\u{00C5}sen");
    for (given_names, case) in [(r"x\u0301\u0302\u0303", "three marks"), (r"\u3164", "Hangul filler"), (r"\u0410nna", "Cyrillic A in a Latin name")] {
        let person = format!(r#"{{"given_names":"{given_names}","surname":"Eriksson","date_of_birth":"1974-08-12","nationality":null}}"#);
        let error = capture("{}").check_person(js(&person).unchecked_into()).err().unwrap_or_else(|| panic!("{case} refused"));
        assert_eq!(property(&error, "code"), "invalid_person", "{case}");
        assert_eq!(property(&error, "field"), "given_names", "{case}");
    }
}

/// Packs (value, width) pairs MSB first into codewords, with the terminator and padding.
fn qr_codewords(fields: &[(u32, usize)]) -> Vec<u8> {
    let mut bits: Vec<bool> = fields.iter().flat_map(|&(value, width)| (0..width).rev().map(move |s| (value >> s) & 1 == 1)).collect();
    bits.extend([false; 4]);
    while bits.len() % 8 != 0 {
        bits.push(false);
    }
    let mut bytes: Vec<u8> = bits.chunks(8).map(|c| c.iter().fold(0u8, |a, &b| (a << 1) | b as u8)).collect();
    bytes.extend([0xEC, 0x11]);
    bytes
}

#[wasm_bindgen_test]
fn kanji_shift_jis_and_hanzi_text_read_through_the_browsers_decoders() {
    // In wasm Shift_JIS goes through TextDecoder("shift_jis"), not a table of ours.
    // Kanji mode, version 5: 外側 (8A4F 91A4) and 熙 (EAA4, the 0xE040.. range).
    let kanji: Vec<(u32, usize)> = [0x8A4Fu32, 0x91A4, 0xEAA4]
        .iter()
        .map(|&code| {
            let offset = if code <= 0x9FFC { code - 0x8140 } else { code - 0xC140 };
            ((offset >> 8) * 0xC0 + (offset & 0xFF), 13)
        })
        .collect();
    let mut fields = vec![(0b1000, 4), (3, 8)];
    fields.extend(kanji);
    assert_eq!(id_capture::qr::decode_text(5, &qr_codewords(&fields)).unwrap(), "外側熙");

    // ECI 20 (Shift_JIS) byte segment with half-width katakana and a double-byte code.
    let bytes = b"QR\x83R\xb1";
    let mut fields = vec![(0b0111, 4), (20, 8), (0b0100, 4), (bytes.len() as u32, 8)];
    fields.extend(bytes.iter().map(|&b| (u32::from(b), 8)));
    assert_eq!(id_capture::qr::decode_text(5, &qr_codewords(&fields)).unwrap(), "QRコｱ");

    // Hanzi mode (GB/T 18284), subset 1: 阿 (B0A2) and 中 (D6D0), through TextDecoder("gb2312").
    let mut fields = vec![(0b1101, 4), (1, 4), (2, 8)];
    fields.extend([0xB0A2u32, 0xD6D0].iter().map(|&code| {
        let offset = code - 0xA6A1;
        ((offset >> 8) * 0x60 + (offset & 0xFF), 13)
    }));
    assert_eq!(id_capture::qr::decode_text(5, &qr_codewords(&fields)).unwrap(), "阿中");
}

#[wasm_bindgen_test]
fn every_error_is_an_instance_of_the_exported_class_and_an_error() {
    let error = IdCapture::new(Some(js(r#"{"registryUrl":"http://registry.example"}"#).unchecked_into())).err().expect("refused");
    assert!(error.is_instance_of::<IdCaptureErrorClass>());
    assert!(error.is_instance_of::<js_sys::Error>());
    let person_error = capture("{}").check_person(js(r#"{"given_names":"Anna","surname":"","date_of_birth":"1974-08-12","nationality":null}"#).unchecked_into()).err().expect("refused");
    assert!(person_error.is_instance_of::<IdCaptureErrorClass>());
    assert_eq!(property(&person_error, "field"), "surname");
}

#[wasm_bindgen_test]
fn what_a_snippet_rejects_with_leaves_as_an_id_capture_error_with_one_of_our_codes() {
    // A plain error with a code of ours (as a worker reply carries it): the class, the code, the details.
    let from_worker = from_snippet(js(r#"{"code":"image_too_large","message":"too many pixels","limit":50000000,"width":9000,"height":9000}"#));
    assert!(from_worker.is_instance_of::<IdCaptureErrorClass>());
    assert_eq!(property(&from_worker, "code"), "image_too_large");
    assert_eq!(property(&from_worker, "limit").as_f64(), Some(50_000_000.0));
    assert_eq!(property(&from_worker, "message"), "too many pixels");
    // A code not on the list, and an exception from a bug, are `internal`.
    let unknown = from_snippet(js(r#"{"code":"camera_exploded","message":"?"}"#));
    assert_eq!(property(&unknown, "code"), "internal");
    let type_error: JsValue = js_sys::TypeError::new("x is undefined").into();
    let bug = from_snippet(type_error);
    assert!(bug.is_instance_of::<IdCaptureErrorClass>());
    assert_eq!(property(&bug, "code"), "internal");
    // An error already ours passes unchanged; an abort the page asked for stays the platform's.
    let ours = IdCapture::new(Some(js(r#"{"nope":1}"#).unchecked_into())).err().expect("refused");
    assert!(from_snippet(ours.clone()) == ours);
    let abort = js(r#"{"name":"AbortError","message":"The scan was aborted"}"#);
    assert!(from_snippet(abort.clone()) == abort);
}

#[wasm_bindgen_test]
async fn a_page_address_that_is_not_a_vipps_callback_completes_to_null_not_undefined() {
    let answer: JsValue = capture("{}").complete_vipps_login("https://portal.example/onboarding".into(), None).await.expect("no callback, no error").into();
    assert!(answer.is_null(), "completeVippsLogin answers null, as documented");
    assert!(IdCapture::session_from_url("https://portal.example/onboarding").is_null());
}

#[wasm_bindgen_test]
async fn a_snippets_promise_rejects_with_the_checked_error_and_resolves_unchanged() {
    let rejected = JsFuture::from(settled_by_snippet(js_sys::Promise::reject(&js(r#"{"code":"camera_denied","message":"denied"}"#)))).await;
    let error = rejected.expect_err("still rejected");
    assert!(error.is_instance_of::<IdCaptureErrorClass>());
    assert_eq!(property(&error, "code"), "camera_denied");
    let resolved = JsFuture::from(settled_by_snippet(js_sys::Promise::resolve(&JsValue::from_str("a card")))).await.expect("resolved");
    assert_eq!(resolved, "a card");
}
