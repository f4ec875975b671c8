//! QR decoding on valid symbols: text from the input encoded by the
//! `qrcode` crate (the encoder the core's tests use), drawn small at 2–3
//! pixels per module with a quiet zone, any contrast and quarter turn, then
//! up to 8 modules flipped.
//! Oracles: an untouched symbol decodes to its text; with at most two
//! modules flipped (fewer than any block's error correction covers) a
//! decoded text is still exactly the encoded one, never another.
#![no_main]

use arbitrary::Arbitrary;
use id_capture::qr::{decode_grey, ScanOptions};
use libfuzzer_sys::fuzz_target;
use qrcode::{Color, EcLevel, QrCode};

#[derive(Arbitrary, Debug)]
struct Input {
    text: String,
    level: u8,
    scale: u8,
    turn: u8,
    dark: u8,
    light: u8,
    flips: Vec<(u8, u8)>,
}

fuzz_target!(|input: Input| {
    let text: String = input.text.chars().take(40).collect();
    let level = [EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H][usize::from(input.level % 4)];
    let Ok(code) = QrCode::with_error_correction_level(text.as_bytes(), level) else { return };
    let modules = code.width();
    let mut dark: Vec<bool> = code.to_colors().into_iter().map(|c| c == Color::Dark).collect();
    let mut flipped = 0;
    for &(x, y) in input.flips.iter().take(8) {
        let (x, y) = (usize::from(x) % modules, usize::from(y) % modules);
        dark[y * modules + x] ^= true;
        flipped += 1;
    }
    let scale = 2 + usize::from(input.scale % 2);
    let side = (modules + 8) * scale;
    let (ink, paper) = (input.dark % 96, 160 + input.light % 96);
    let mut grey = vec![paper; side * side];
    for y in 0..side {
        for x in 0..side {
            let (mx, my) = ((x / scale).wrapping_sub(4), (y / scale).wrapping_sub(4));
            if mx < modules && my < modules && dark[my * modules + mx] {
                // A quarter turn of the drawing: the decoder must not care.
                let (tx, ty) = match input.turn % 4 {
                    0 => (x, y),
                    1 => (side - 1 - y, x),
                    2 => (side - 1 - x, side - 1 - y),
                    _ => (y, side - 1 - x),
                };
                grey[ty * side + tx] = ink;
            }
        }
    }
    let decoded = decode_grey(side as u32, side as u32, &grey, &ScanOptions::default());
    // Byte data without an ECI is decoded by guessing its charset: only ASCII round-trips for sure.
    let exact = text.is_ascii();
    match decoded {
        Ok(decoded) if exact && flipped <= 2 => assert_eq!(decoded.text, text, "{flipped} flipped modules changed the text"),
        Ok(_) => {}
        Err(error) => assert!(flipped > 0, "an untouched {modules}×{modules} symbol at scale {scale} did not decode: {error}"),
    }
});
