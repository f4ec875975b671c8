//! The double-byte East Asian character sets QR text uses: Shift_JIS (byte
//! segments in Shift_JIS, and Kanji mode, which is Shift_JIS packed into 13
//! bits) and GB 2312 (Hanzi mode of GB/T 18284, as Chinese issuers print).
//! Natively from our own tables (`generate_tables.py`); in the browser from
//! the engine's `TextDecoder`, which holds the same mappings (the WHATWG
//! Encoding Standard's index-jis0208 and GBK) and saves the tables' ~20 KB of
//! gzipped wasm. The browser also maps extension codes (NEC and IBM rows,
//! GBK beyond GB 2312) that the tables leave as U+FFFD.

/// Appends `bytes` decoded as Shift_JIS; malformed sequences become U+FFFD.
pub fn decode_shift_jis(bytes: &[u8], out: &mut String) {
    engine::decode(engine::Set::ShiftJis, bytes, out);
}

/// Appends `bytes` (EUC-CN form) decoded as GB 2312; malformed sequences become U+FFFD.
pub fn decode_gb2312(bytes: &[u8], out: &mut String) {
    engine::decode(engine::Set::Gb2312, bytes, out);
}

#[cfg(not(target_arch = "wasm32"))]
mod engine {
    #[derive(Clone, Copy)]
    pub enum Set {
        ShiftJis,
        Gb2312,
    }

    /// Unicode scalars in two planes (high and low byte), 94 cells per row; 0 = unmapped.
    /// JIS X 0208: rows 1–8 and 16–84. GB 2312: lead bytes 0xA1..=0xF7.
    static JIS0208_HIGH: &[u8; 7238] = include_bytes!("jis0208_high.bin");
    static JIS0208_LOW: &[u8; 7238] = include_bytes!("jis0208_low.bin");
    static GB2312_HIGH: &[u8; 8178] = include_bytes!("gb2312_high.bin");
    static GB2312_LOW: &[u8; 8178] = include_bytes!("gb2312_low.bin");

    fn plane_char(high: &[u8], low: &[u8], index: usize) -> Option<char> {
        let code = (u32::from(*high.get(index)?) << 8) | u32::from(*low.get(index)?);
        char::from_u32(code).filter(|_| code != 0)
    }

    /// The character of a Shift_JIS double-byte code, if JIS X 0208 assigns one.
    pub fn shift_jis_pair(lead: u8, trail: u8) -> Option<char> {
        let lead_index = match lead {
            0x81..=0x9F => lead - 0x81,
            0xE0..=0xEF => lead - 0xC1,
            _ => return None,
        };
        let (row_offset, cell) = match trail {
            0x40..=0x7E => (0, trail - 0x3F),
            0x80..=0x9E => (0, trail - 0x40),
            0x9F..=0xFC => (1, trail - 0x9E),
            _ => return None,
        };
        let row = usize::from(lead_index) * 2 + 1 + row_offset;
        let plane_row = match row {
            1..=8 => row - 1,
            16..=84 => row - 8,
            _ => return None,
        };
        plane_char(JIS0208_HIGH, JIS0208_LOW, plane_row * 94 + usize::from(cell) - 1)
    }

    /// The character of a GB 2312 code in EUC-CN form, if one is assigned.
    pub fn gb2312_pair(lead: u8, trail: u8) -> Option<char> {
        if !(0xA1..=0xF7).contains(&lead) || !(0xA1..=0xFE).contains(&trail) {
            return None;
        }
        plane_char(GB2312_HIGH, GB2312_LOW, usize::from(lead - 0xA1) * 94 + usize::from(trail - 0xA1))
    }

    pub fn decode(set: Set, bytes: &[u8], out: &mut String) {
        let (is_lead, is_trail, pair): (fn(u8) -> bool, fn(u8) -> bool, fn(u8, u8) -> Option<char>) = match set {
            // JIS X 0201 + JIS X 0208, as Java's `SJIS`.
            Set::ShiftJis => (|b| matches!(b, 0x81..=0x9F | 0xE0..=0xFC), |t| (0x40..=0xFC).contains(&t) && t != 0x7F, shift_jis_pair),
            Set::Gb2312 => (|b| (0xA1..=0xF7).contains(&b), |t| (0xA1..=0xFE).contains(&t), gb2312_pair),
        };
        let mut index = 0;
        while let Some(&byte) = bytes.get(index) {
            index += 1;
            match byte {
                0x00..=0x7F => out.push(byte as char),
                // Half-width katakana (JIS X 0201).
                0xA1..=0xDF if matches!(set, Set::ShiftJis) => {
                    out.push(char::from_u32(0xFF61 + u32::from(byte - 0xA1)).unwrap_or(char::REPLACEMENT_CHARACTER))
                }
                _ if is_lead(byte) => match bytes.get(index) {
                    Some(&trail) if is_trail(trail) => {
                        index += 1;
                        out.push(pair(byte, trail).unwrap_or(char::REPLACEMENT_CHARACTER));
                    }
                    _ => out.push(char::REPLACEMENT_CHARACTER),
                },
                _ => out.push(char::REPLACEMENT_CHARACTER),
            }
        }
    }
}

#[cfg(target_arch = "wasm32")]
mod engine {
    use wasm_bindgen::prelude::*;

    #[derive(Clone, Copy)]
    pub enum Set {
        ShiftJis,
        Gb2312,
    }

    #[wasm_bindgen]
    extern "C" {
        type TextDecoder;
        #[wasm_bindgen(constructor, catch)]
        fn new(label: &str) -> Result<TextDecoder, JsValue>;
        #[wasm_bindgen(method)]
        fn decode(this: &TextDecoder, bytes: &[u8]) -> String;
    }

    thread_local! {
        // Every engine the module supports has both (Encoding Standard);
        // `None` only where TextDecoder itself is missing.
        static SHIFT_JIS: Option<TextDecoder> = TextDecoder::new("shift_jis").ok();
        static GB2312: Option<TextDecoder> = TextDecoder::new("gb2312").ok();
    }

    pub fn decode(set: Set, bytes: &[u8], out: &mut String) {
        let decoder = match set {
            Set::ShiftJis => &SHIFT_JIS,
            Set::Gb2312 => &GB2312,
        };
        decoder.with(|decoder| match decoder {
            Some(decoder) => out.push_str(&decoder.decode(bytes)),
            None => out.extend(bytes.iter().map(|&b| if b < 0x80 { b as char } else { char::REPLACEMENT_CHARACTER })),
        });
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::engine::{gb2312_pair, shift_jis_pair};

    #[test]
    fn shift_jis_table_spot_checks() {
        assert_eq!(shift_jis_pair(0x82, 0xA0), Some('あ'));
        assert_eq!(shift_jis_pair(0x83, 0x52), Some('コ'));
        assert_eq!(shift_jis_pair(0x81, 0x5B), Some('ー'));
        assert_eq!(shift_jis_pair(0x88, 0x9F), Some('亜'));
        assert_eq!(shift_jis_pair(0xEA, 0xA4), Some('熙'));
        // Row 9 is empty in JIS X 0208; 0xF0 is no lead byte.
        assert_eq!(shift_jis_pair(0x85, 0x40), None);
        assert_eq!(shift_jis_pair(0xF0, 0x40), None);
    }

    #[test]
    fn gb2312_table_spot_checks() {
        assert_eq!(gb2312_pair(0xB0, 0xA1), Some('啊'));
        assert_eq!(gb2312_pair(0xB0, 0xA2), Some('阿'));
        assert_eq!(gb2312_pair(0xD6, 0xD0), Some('中'));
        assert_eq!(gb2312_pair(0xA1, 0xA1), Some('\u{3000}'));
        // Rows 0xAA..=0xAF are empty; 0xF8 is beyond GB 2312.
        assert_eq!(gb2312_pair(0xAA, 0xA1), None);
        assert_eq!(gb2312_pair(0xF8, 0xA1), None);
    }
}
