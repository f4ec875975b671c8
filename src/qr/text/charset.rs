//! Character sets a QR code's byte data can be in: the ECI assignments of
//! AIM ECI / ISO/IEC 18004 8.4.2 that fit in small tables, and the guess for
//! byte data without an ECI (the ZXing family's rule: UTF-8 if the bytes are
//! UTF-8 with a multibyte character, Shift_JIS if they look like Japanese,
//! else ISO-8859-1, the QR default).

use super::double_byte;
use super::tables;

/// One of the character sets this decoder can turn into Unicode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    Iso8859_1,
    Utf8,
    ShiftJis,
    Utf16Be,
    Ascii,
    /// Bytes 0x80..=0xFF through a 128-entry table (CP437, ISO-8859-x, Windows-125x).
    SingleByte(&'static [u16; 128]),
}

impl Charset {
    /// The character set an ECI designator assigns, or `None` when it is
    /// not a character set this decoder has tables for (Big5 28, GB18030 29,
    /// EUC-KR 30, and unassigned numbers).
    pub fn from_eci(eci: u32) -> Option<Charset> {
        use Charset::*;
        Some(match eci {
            0 | 2 => SingleByte(&tables::CP437),
            1 | 3 => Iso8859_1,
            4 => SingleByte(&tables::ISO_8859_2),
            5 => SingleByte(&tables::ISO_8859_3),
            6 => SingleByte(&tables::ISO_8859_4),
            7 => SingleByte(&tables::ISO_8859_5),
            8 => SingleByte(&tables::ISO_8859_6),
            9 => SingleByte(&tables::ISO_8859_7),
            10 => SingleByte(&tables::ISO_8859_8),
            11 => SingleByte(&tables::ISO_8859_9),
            12 => SingleByte(&tables::ISO_8859_10),
            13 => SingleByte(&tables::ISO_8859_11),
            15 => SingleByte(&tables::ISO_8859_13),
            16 => SingleByte(&tables::ISO_8859_14),
            17 => SingleByte(&tables::ISO_8859_15),
            18 => SingleByte(&tables::ISO_8859_16),
            20 => ShiftJis,
            21 => SingleByte(&tables::WINDOWS_1250),
            22 => SingleByte(&tables::WINDOWS_1251),
            23 => SingleByte(&tables::WINDOWS_1252),
            24 => SingleByte(&tables::WINDOWS_1256),
            25 => Utf16Be,
            26 => Utf8,
            27 | 170 => Ascii,
            _ => return None,
        })
    }

    /// Appends `bytes` decoded as this character set. Sequences that are not
    /// valid in it become U+FFFD (as ZXing's `new String(bytes, charset)`),
    /// visible rather than silently another character.
    pub fn decode_into(self, bytes: &[u8], out: &mut String) {
        match self {
            Charset::Iso8859_1 => out.extend(bytes.iter().map(|&b| b as char)),
            Charset::Utf8 => out.push_str(&String::from_utf8_lossy(bytes)),
            Charset::Ascii => out.extend(bytes.iter().map(|&b| if b < 0x80 { b as char } else { char::REPLACEMENT_CHARACTER })),
            Charset::SingleByte(table) => out.extend(bytes.iter().map(|&b| single_byte_char(table, b))),
            Charset::Utf16Be => {
                let units = bytes.chunks(2).map(|pair| match pair {
                    [high, low] => u16::from_be_bytes([*high, *low]),
                    _ => 0xFFFD,
                });
                out.extend(char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)));
            }
            Charset::ShiftJis => double_byte::decode_shift_jis(bytes, out),
        }
    }
}

fn single_byte_char(table: &[u16; 128], byte: u8) -> char {
    if byte < 0x80 {
        return byte as char;
    }
    let code = table.get(usize::from(byte - 0x80)).copied().unwrap_or(0);
    char::from_u32(u32::from(code)).filter(|_| code != 0).unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// The character set of byte data that carries no ECI, guessed as the ZXing
/// family does (`StringUtils.guessEncoding`), in our own words:
/// - valid UTF-8 with at least one multibyte character → UTF-8;
/// - valid Shift_JIS with a run of ≥ 3 half-width katakana or ≥ 3
///   double-byte characters → Shift_JIS;
/// - both ISO-8859-1 and Shift_JIS possible: Shift_JIS when it is exactly
///   one run of two katakana, or when ≥ 10 % of the bytes would be unusual
///   Latin-1 (symbols 0xA0..=0xBF, × and ÷); else ISO-8859-1;
/// - then whichever single one is possible, ISO-8859-1 first; ISO-8859-1 when
///   none is (it maps every byte).
///
/// `kanji_in_symbol`: the symbol also holds a Kanji-mode segment, which is
/// Shift_JIS by definition; valid Shift_JIS bytes are then read as Shift_JIS.
pub fn guess(bytes: &[u8], kanji_in_symbol: bool) -> Charset {
    let utf8_multibyte = match std::str::from_utf8(bytes) {
        Ok(text) => text.len() != text.chars().count(),
        Err(_) => false,
    };
    if utf8_multibyte {
        return Charset::Utf8;
    }
    let latin1_ok = !bytes.iter().any(|b| (0x80..0xA0).contains(b));
    let unusual_latin1 = bytes.iter().filter(|&&b| (0xA0..0xC0).contains(&b) || b == 0xD7 || b == 0xF7).count();
    let sjis = ShiftJisShape::of(bytes);
    if let Some(shape) = sjis {
        if kanji_in_symbol || shape.longest_katakana_run >= 3 || shape.longest_double_byte_run >= 3 {
            return Charset::ShiftJis;
        }
        if latin1_ok {
            let two_katakana = shape.longest_katakana_run == 2 && shape.katakana == 2;
            return if two_katakana || unusual_latin1 * 10 >= bytes.len() { Charset::ShiftJis } else { Charset::Iso8859_1 };
        }
        return Charset::ShiftJis;
    }
    Charset::Iso8859_1
}

/// How Japanese a byte string looks when read as Shift_JIS.
struct ShiftJisShape {
    katakana: usize,
    longest_katakana_run: usize,
    longest_double_byte_run: usize,
}

impl ShiftJisShape {
    /// `None` when the bytes are not well-formed Shift_JIS.
    fn of(bytes: &[u8]) -> Option<ShiftJisShape> {
        let mut shape = ShiftJisShape { katakana: 0, longest_katakana_run: 0, longest_double_byte_run: 0 };
        let (mut katakana_run, mut double_byte_run) = (0, 0);
        let mut index = 0;
        while let Some(&byte) = bytes.get(index) {
            index += 1;
            match byte {
                0x00..=0x7F => (katakana_run, double_byte_run) = (0, 0),
                0xA1..=0xDF => {
                    shape.katakana += 1;
                    katakana_run += 1;
                    double_byte_run = 0;
                    shape.longest_katakana_run = shape.longest_katakana_run.max(katakana_run);
                }
                0x81..=0x9F | 0xE0..=0xEF => {
                    let trail = *bytes.get(index)?;
                    if trail < 0x40 || trail == 0x7F || trail > 0xFC {
                        return None;
                    }
                    index += 1;
                    double_byte_run += 1;
                    katakana_run = 0;
                    shape.longest_double_byte_run = shape.longest_double_byte_run.max(double_byte_run);
                }
                _ => return None,
            }
        }
        Some(shape)
    }
}
