//! OCR-B glyph templates for the 37 MRZ characters, rendered offline by
//! `examples/make_mrz_templates.rs` from Debian's `fonts-ocr-b` and embedded
//! here (4 bits per pixel, 5.9 KB), so the library never needs the font.
//!
//! Frame of a template (and of a cell sampled from a photo): one character
//! advance wide, centred on the cell; vertically from `FRAME_TOP` to
//! `FRAME_BOTTOM` advances around the middle of the glyph boxes.

/// Template width and height in samples.
pub const TEMPLATE_WIDTH: usize = 16;
pub const TEMPLATE_HEIGHT: usize = 20;
pub const TEMPLATE_PIXELS: usize = TEMPLATE_WIDTH * TEMPLATE_HEIGHT;
/// Frame edges above and below the glyph-box middle, in character advances.
pub const FRAME_ABOVE: f32 = 35.5 / 56.8;
pub const FRAME_BELOW: f32 = 32.5 / 56.8;

/// The MRZ alphabet in template order.
pub const ALPHABET: &[u8; 37] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<";

const PACKED: &[u8; 37 * TEMPLATE_PIXELS / 2] = include_bytes!("ocr_b_templates.bin");

/// Mean-free templates (ink positive) with their Euclidean norms, ready for
/// normalised cross-correlation.
pub struct Templates {
    pub centred: Vec<[i16; TEMPLATE_PIXELS]>,
    pub norms: Vec<f32>,
}

impl Templates {
    pub fn load() -> Templates {
        let mut centred = Vec::with_capacity(ALPHABET.len());
        let mut norms = Vec::with_capacity(ALPHABET.len());
        for glyph in PACKED.chunks_exact(TEMPLATE_PIXELS / 2) {
            let mut ink = [0i16; TEMPLATE_PIXELS];
            for (index, byte) in glyph.iter().enumerate() {
                ink[2 * index] = i16::from(byte >> 4) * 17;
                ink[2 * index + 1] = i16::from(byte & 0x0F) * 17;
            }
            let mean = ink.iter().map(|&v| i32::from(v)).sum::<i32>() / TEMPLATE_PIXELS as i32;
            let mut norm = 0f32;
            for value in ink.iter_mut() {
                *value -= mean as i16;
                norm += f32::from(*value) * f32::from(*value);
            }
            centred.push(ink);
            norms.push(norm.sqrt().max(1.0));
        }
        Templates { centred, norms }
    }
}
