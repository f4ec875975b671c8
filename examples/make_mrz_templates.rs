//! Renders the 37 MRZ characters from the OCR-B font into
//! `src/mrz/ocr_b_templates.bin` (the frame is documented in `src/mrz/templates.rs`).
//! Run: `cargo run --example make_mrz_templates [FONT]`.

use ab_glyph::{point, Font, FontRef, PxScale, ScaleFont};

const WIDTH: usize = 16;
const HEIGHT: usize = 20;
const SUPERSAMPLE: usize = 8;
const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<";

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| "/usr/share/fonts/opentype/ocr-b/OCRB.otf".into());
    let data = std::fs::read(&path).expect("read OCR-B font");
    let font = FontRef::try_from_slice(&data).expect("parse font");
    // Scale so one advance is WIDTH * SUPERSAMPLE pixels.
    let unit_scale = font.as_scaled(PxScale::from(100.0));
    let advance_units = unit_scale.h_advance(font.glyph_id('0'));
    let advance_px = (WIDTH * SUPERSAMPLE) as f32;
    let px_per_unit = advance_px / advance_units;
    let scale = PxScale::from(100.0 * px_per_unit);
    let frame_above = 35.5 / 56.8 * advance_px;
    let middle_below_cap_top = 28.5 * px_per_unit;
    let cap_top_above_baseline = 56.0 * px_per_unit;
    // Baseline y inside the supersampled frame.
    let baseline = frame_above + (cap_top_above_baseline - middle_below_cap_top);
    let mut packed = Vec::new();
    for &character in ALPHABET {
        let mut coverage = vec![0f32; WIDTH * SUPERSAMPLE * HEIGHT * SUPERSAMPLE];
        let glyph = font.glyph_id(character as char).with_scale_and_position(scale, point(0.0, baseline));
        let outline = font.outline_glyph(glyph).expect("glyph outline");
        let bounds = outline.px_bounds();
        outline.draw(|x, y, c| {
            let (x, y) = (x as i32 + bounds.min.x as i32, y as i32 + bounds.min.y as i32);
            if x >= 0 && y >= 0 && (x as usize) < WIDTH * SUPERSAMPLE && (y as usize) < HEIGHT * SUPERSAMPLE {
                coverage[y as usize * WIDTH * SUPERSAMPLE + x as usize] += c;
            }
        });
        let mut nibbles = Vec::with_capacity(WIDTH * HEIGHT);
        for row in 0..HEIGHT {
            for column in 0..WIDTH {
                let mut sum = 0f32;
                for dy in 0..SUPERSAMPLE {
                    for dx in 0..SUPERSAMPLE {
                        sum += coverage[(row * SUPERSAMPLE + dy) * WIDTH * SUPERSAMPLE + column * SUPERSAMPLE + dx];
                    }
                }
                let ink = (sum / (SUPERSAMPLE * SUPERSAMPLE) as f32).clamp(0.0, 1.0);
                nibbles.push((ink * 15.0).round() as u8);
            }
        }
        for pair in nibbles.chunks_exact(2) {
            packed.push(pair[0] << 4 | pair[1]);
        }
        if std::env::var_os("SHOW").is_some() {
            println!("{}", character as char);
            for row in nibbles.chunks(WIDTH) {
                println!("{}", row.iter().map(|&n| if n > 10 { '#' } else if n > 4 { '+' } else { '.' }).collect::<String>());
            }
        }
    }
    std::fs::write("src/mrz/ocr_b_templates.bin", &packed).expect("write templates");
    println!("wrote {} bytes", packed.len());
}
