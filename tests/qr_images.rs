//! QR decoding on generated camera frames: one test per condition, so a
//! regression names the condition it broke.

mod support {
    pub mod qr_card;
}

use id_capture::qr::{decode_grey, decode_rgba, ScanOptions, ScanRegion};
use support::qr_card::{card_url, invented_reference, named_scenes, render, Scene};

fn scene(name: &str) -> Scene {
    named_scenes().into_iter().find(|(n, _)| *n == name).map(|(_, s)| s).expect("scene exists")
}

fn assert_decodes(name: &str) {
    let url = card_url(&invented_reference(name.len() as u64));
    let frame = render(&url, &scene(name));
    let decoded = decode_rgba(frame.width as u32, frame.height as u32, &frame.to_rgba(), &ScanOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(decoded.text, url, "{name}");
}

#[test] fn decodes_a_straight_card() { assert_decodes("straight"); }
#[test] fn decodes_a_card_rotated_30_degrees() { assert_decodes("rotated_30"); }
#[test] fn decodes_an_upside_down_card() { assert_decodes("upside_down"); }
#[test] fn decodes_a_small_card_rotated_75_degrees() { assert_decodes("rotated_75_small"); }
#[test] fn decodes_a_card_tilted_away_at_the_top() { assert_decodes("perspective_top_far"); }
#[test] fn decodes_a_card_tilted_sideways_and_rotated() { assert_decodes("perspective_side_far"); }
#[test] fn decodes_a_blurred_card() { assert_decodes("blurred"); }
#[test] fn decodes_a_noisy_card() { assert_decodes("noisy"); }
#[test] fn decodes_a_dark_underexposed_card() { assert_decodes("dark"); }
#[test] fn decodes_a_card_under_uneven_light() { assert_decodes("uneven_light"); }
#[test] fn decodes_a_card_with_glare_beside_the_code() { assert_decodes("glare"); }
#[test] fn decodes_an_inverted_card() { assert_decodes("inverted"); }
#[test] fn decodes_a_small_card_in_a_large_frame() { assert_decodes("small_in_frame"); }
#[test] fn decodes_a_close_up_where_the_card_overflows_the_frame() { assert_decodes("close_up"); }
#[test] fn decodes_a_blurred_noisy_tilted_card() { assert_decodes("blurred_noisy_tilted"); }
#[test] fn decodes_a_dim_rotated_card_with_glare() { assert_decodes("dim_glare_rotated"); }

#[test]
fn decodes_a_12_megapixel_still_through_the_pyramid() {
    let url = card_url("STILL12MP0");
    let frame = render(&url, &Scene { frame_width: 4000, frame_height: 3000, card_width_fraction: 0.5, ..Scene::default() });
    let decoded = decode_grey(4000, 3000, &frame.grey, &ScanOptions::default()).expect("decodes");
    assert_eq!(decoded.text, url);
}

#[test]
fn grey_and_rgba_inputs_agree() {
    let url = card_url("AGREE12345");
    let frame = render(&url, &Scene::default());
    let from_grey = decode_grey(1280, 720, &frame.grey, &ScanOptions::default()).expect("grey");
    let from_rgba = decode_rgba(1280, 720, &frame.to_rgba(), &ScanOptions::default()).expect("rgba");
    assert_eq!(from_grey.text, from_rgba.text);
}

#[test]
fn scan_region_limits_the_search_and_corners_are_in_input_pixels() {
    let url = card_url("REGION1234");
    let frame = render(&url, &Scene { card_width_fraction: 0.3, center: (0.75, 0.5), ..Scene::default() });
    let left_half = ScanOptions { region: Some(ScanRegion { x: 0, y: 0, width: 600, height: 720 }), ..ScanOptions::default() };
    assert!(decode_grey(1280, 720, &frame.grey, &left_half).is_err(), "code is in the right half");
    let right_half = ScanOptions { region: Some(ScanRegion { x: 640, y: 0, width: 640, height: 720 }), ..ScanOptions::default() };
    let decoded = decode_grey(1280, 720, &frame.grey, &right_half).expect("found in right half");
    assert_eq!(decoded.text, url);
    assert!(decoded.corners.iter().all(|c| c.x >= 640 && c.x < 1280), "{:?}", decoded.corners);
}

/// A code drawn at `module_px` pixels per module (need not be whole: modules
/// then alternate between two widths, as in a scaled screenshot), with a
/// 4-module quiet zone; `mirrored` flips it left to right.
fn draw_code(code: &qrcode::QrCode, module_px: f64, mirrored: bool) -> (u32, Vec<u8>) {
    let modules = code.width();
    let colors = code.to_colors();
    let side = ((modules + 8) as f64 * module_px).round() as usize;
    let mut pixels = vec![255u8; side * side];
    for y in 0..side {
        for x in 0..side {
            let (mx, my) = ((x as f64 / module_px) as isize - 4, (y as f64 / module_px) as isize - 4);
            if mx < 0 || my < 0 || mx >= modules as isize || my >= modules as isize {
                continue;
            }
            let mx = if mirrored { modules as isize - 1 - mx } else { mx };
            if colors[my as usize * modules + mx as usize] == qrcode::Color::Dark {
                pixels[y * side + x] = 20;
            }
        }
    }
    (side as u32, pixels)
}

fn decode_drawn(side: u32, pixels: &[u8]) -> String {
    let options = ScanOptions { max_attempts: Some(12), ..ScanOptions::default() };
    decode_grey(side, side, pixels, &options).expect("decodes").text
}

#[test]
fn decodes_a_mirrored_code() {
    let code = qrcode::QrCode::new("https://hmskort.no/kort/SPEIL2345").unwrap();
    let (side, pixels) = draw_code(&code, 6.0, true);
    assert_eq!(decode_drawn(side, &pixels), "https://hmskort.no/kort/SPEIL2345");
}

#[test]
fn decodes_kanji_mode_to_unicode() {
    // 外側石 in Shift_JIS, in a Kanji-mode segment.
    let mut bits = qrcode::bits::Bits::new(qrcode::Version::Normal(2));
    bits.push_kanji_data(b"\x8a\x4f\x91\xa4\x90\xce").unwrap();
    bits.push_terminator(qrcode::EcLevel::M).unwrap();
    let code = qrcode::QrCode::with_bits(bits, qrcode::EcLevel::M).unwrap();
    let (side, pixels) = draw_code(&code, 6.0, false);
    assert_eq!(decode_drawn(side, &pixels), "外側石");
}

#[test]
fn decodes_an_eci_utf8_byte_segment() {
    let mut bits = qrcode::bits::Bits::new(qrcode::Version::Normal(3));
    bits.push_eci_designator(26).unwrap();
    bits.push_byte_data("Blåbærsyltetøy på Ørsta".as_bytes()).unwrap();
    bits.push_terminator(qrcode::EcLevel::M).unwrap();
    let code = qrcode::QrCode::with_bits(bits, qrcode::EcLevel::M).unwrap();
    let (side, pixels) = draw_code(&code, 6.0, false);
    assert_eq!(decode_drawn(side, &pixels), "Blåbærsyltetøy på Ørsta");
}

#[test]
fn decodes_a_code_whose_alignment_corner_is_torn_off() {
    let text = "https://hmskort.no/kort/REVET2345";
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::H).unwrap();
    assert!(code.width() > 21, "has an alignment pattern");
    let module_px = 6.0;
    let (side, mut pixels) = draw_code(&code, module_px, false);
    // Paper torn away diagonally across the bottom-right corner, alignment pattern included.
    let quiet = 4.0 * module_px;
    let torn_from = quiet + (code.width() as f64 - 10.0) * module_px;
    for y in 0..side as usize {
        for x in 0..side as usize {
            if (x as f64) + (y as f64) > 2.0 * torn_from + 3.0 * module_px {
                pixels[y * side as usize + x] = 255;
            }
        }
    }
    assert_eq!(decode_drawn(side, &pixels), text);
}
