//! The text of a QR code from its error-corrected data codewords (ISO/IEC
//! 18004 7.4 and 8.4): numeric, alphanumeric, byte and Kanji segments, ECI
//! designators, FNC1 (GS1 and AIM application) and structured append headers.
//!
//! rqrr corrects the codewords (`Grid::decode_codewords`); the meaning of
//! the bits is decided here, so that character sets are ours to get right:
//! rqrr alone wrote Kanji as raw Shift_JIS bytes, skipped ECI designators
//! and stopped at FNC1 and structured append headers.

mod charset;
mod double_byte;
#[rustfmt::skip]
mod tables;
#[cfg(test)]
mod tests;

pub use charset::Charset;

/// Why the data codewords are not text. Never carries the data itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("QR version {0} is outside 1..=40")]
    InvalidVersion(usize),
    #[error("unknown segment mode {0:#06b}")]
    UnknownMode(u8),
    #[error("a segment is longer than the data")]
    Truncated,
    #[error("a numeric or alphanumeric group is out of range")]
    InvalidGroup,
    #[error("ECI {0} names a character set this decoder has no table for")]
    UnsupportedEci(u32),
    #[error("Hanzi subset {0} is not GB 2312")]
    UnsupportedHanziSubset(u32),
    #[error("malformed ECI designator")]
    InvalidEci,
}

/// Mode indicators (ISO/IEC 18004 Table 2).
const MODE_TERMINATOR: u8 = 0b0000;
const MODE_NUMERIC: u8 = 0b0001;
const MODE_ALPHANUMERIC: u8 = 0b0010;
const MODE_STRUCTURED_APPEND: u8 = 0b0011;
const MODE_BYTE: u8 = 0b0100;
const MODE_FNC1_FIRST: u8 = 0b0101;
const MODE_ECI: u8 = 0b0111;
const MODE_KANJI: u8 = 0b1000;
const MODE_FNC1_SECOND: u8 = 0b1001;
/// Hanzi mode is not in ISO/IEC 18004 but in China's GB/T 18284: GB 2312
/// characters in 13 bits, after a 4-bit subset indicator (1 = GB 2312).
const MODE_HANZI: u8 = 0b1101;
const HANZI_SUBSET_GB2312: u32 = 1;

const ALPHANUMERIC: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
/// GS, what FNC1 stands for in GS1 and AIM application data.
const GROUP_SEPARATOR: char = '\u{1D}';

/// Reads big-endian bit fields from the codewords.
struct Bits<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl Bits<'_> {
    fn remaining(&self) -> usize {
        (self.bytes.len() * 8).saturating_sub(self.position)
    }

    fn read(&mut self, count: usize) -> Result<u32, TextError> {
        if count > 32 || count > self.remaining() {
            return Err(TextError::Truncated);
        }
        let mut value = 0u32;
        for _ in 0..count {
            let byte = self.bytes.get(self.position / 8).copied().unwrap_or(0);
            let bit = (byte >> (7 - self.position % 8)) & 1;
            value = (value << 1) | u32::from(bit);
            self.position += 1;
        }
        Ok(value)
    }
}

/// Bits of the character count indicator (ISO/IEC 18004 Table 3).
fn count_bits(mode: u8, version: usize) -> usize {
    let size_class = match version {
        0..=9 => 0,
        10..=26 => 1,
        _ => 2,
    };
    let per_class: [usize; 3] = match mode {
        MODE_NUMERIC => [10, 12, 14],
        MODE_ALPHANUMERIC => [9, 11, 13],
        MODE_BYTE => [8, 16, 16],
        _ => [8, 10, 12], // Kanji and Hanzi
    };
    per_class[size_class]
}

/// One stretch of the decoded data before character sets are applied.
enum Piece {
    /// Characters fixed by the mode (numeric, alphanumeric, Kanji).
    Text(String),
    /// Byte-mode data under the ECI in force (`None`: no ECI seen yet).
    Bytes { bytes: Vec<u8>, eci: Option<Charset> },
}

/// The text of a symbol of `version` (1..=40) whose error-corrected data
/// codewords are `data`. Byte data without an ECI gets one character set
/// guessed from all such bytes of the symbol together (more evidence than
/// any one segment), as zxing-cpp does.
pub fn decode_text(version: usize, data: &[u8]) -> Result<String, TextError> {
    if !(1..=40).contains(&version) {
        return Err(TextError::InvalidVersion(version));
    }
    let mut bits = Bits { bytes: data, position: 0 };
    let mut pieces: Vec<Piece> = Vec::new();
    let mut eci: Option<Charset> = None;
    let mut fnc1 = false;
    let mut kanji_seen = false;
    // Fewer than 4 bits left is an abbreviated terminator (7.4.9).
    while bits.remaining() >= 4 {
        let mode = bits.read(4)? as u8;
        match mode {
            MODE_TERMINATOR => break,
            MODE_NUMERIC => pieces.push(Piece::Text(read_numeric(&mut bits, version)?)),
            MODE_ALPHANUMERIC => pieces.push(Piece::Text(read_alphanumeric(&mut bits, version, fnc1)?)),
            MODE_BYTE => {
                let count = bits.read(count_bits(MODE_BYTE, version))? as usize;
                if count * 8 > bits.remaining() {
                    return Err(TextError::Truncated);
                }
                let bytes = (0..count).map(|_| bits.read(8).map(|b| b as u8)).collect::<Result<Vec<u8>, _>>()?;
                match pieces.last_mut() {
                    // Adjacent byte segments under one ECI are one byte string:
                    // a multibyte character may straddle them.
                    Some(Piece::Bytes { bytes: previous, eci: previous_eci }) if *previous_eci == eci => {
                        previous.extend_from_slice(&bytes)
                    }
                    _ => pieces.push(Piece::Bytes { bytes, eci }),
                }
            }
            MODE_KANJI => {
                kanji_seen = true;
                pieces.push(Piece::Text(read_kanji(&mut bits, version)?));
            }
            MODE_HANZI => pieces.push(Piece::Text(read_hanzi(&mut bits, version)?)),
            MODE_ECI => {
                let designator = read_eci_designator(&mut bits)?;
                eci = Some(Charset::from_eci(designator).ok_or(TextError::UnsupportedEci(designator))?);
            }
            MODE_FNC1_FIRST => fnc1 = true,
            MODE_FNC1_SECOND => {
                // The application indicator (7.4.8.3) labels the data; it is not part of it.
                bits.read(8)?;
                fnc1 = true;
            }
            MODE_STRUCTURED_APPEND => {
                // Symbol position, total symbols, parity (7.4.2): this symbol's own text follows.
                bits.read(16)?;
            }
            other => return Err(TextError::UnknownMode(other)),
        }
    }
    let unlabelled: Vec<u8> = pieces
        .iter()
        .filter_map(|piece| match piece {
            Piece::Bytes { bytes, eci: None } => Some(bytes.as_slice()),
            _ => None,
        })
        .flatten()
        .copied()
        .collect();
    let guessed = charset::guess(&unlabelled, kanji_seen);
    let mut text = String::new();
    for piece in &pieces {
        match piece {
            Piece::Text(part) => text.push_str(part),
            Piece::Bytes { bytes, eci } => eci.unwrap_or(guessed).decode_into(bytes, &mut text),
        }
    }
    Ok(text)
}

fn read_numeric(bits: &mut Bits, version: usize) -> Result<String, TextError> {
    let mut count = bits.read(count_bits(MODE_NUMERIC, version))? as usize;
    let mut text = String::with_capacity(count);
    while count > 0 {
        let (digits, width, limit) = match count {
            1 => (1, 4, 10),
            2 => (2, 7, 100),
            _ => (3, 10, 1000),
        };
        let group = bits.read(width)?;
        if group >= limit {
            return Err(TextError::InvalidGroup);
        }
        let formatted = format!("{group:0digits$}");
        text.push_str(&formatted);
        count -= digits;
    }
    Ok(text)
}

fn read_alphanumeric(bits: &mut Bits, version: usize, fnc1: bool) -> Result<String, TextError> {
    let mut count = bits.read(count_bits(MODE_ALPHANUMERIC, version))? as usize;
    let mut raw = Vec::with_capacity(count);
    while count > 0 {
        let (chars, width) = if count >= 2 { (2, 11) } else { (1, 6) };
        let group = bits.read(width)? as usize;
        if chars == 2 {
            let (first, second) = (group / 45, group % 45);
            raw.push(*ALPHANUMERIC.get(first).ok_or(TextError::InvalidGroup)?);
            raw.push(*ALPHANUMERIC.get(second).ok_or(TextError::InvalidGroup)?);
        } else {
            raw.push(*ALPHANUMERIC.get(group).ok_or(TextError::InvalidGroup)?);
        }
        count -= chars;
    }
    if !fnc1 {
        return Ok(raw.iter().map(|&b| b as char).collect());
    }
    // Under FNC1, '%' encodes FNC1 (GS) and "%%" a literal '%' (7.4.8.1).
    let mut text = String::with_capacity(raw.len());
    let mut chars = raw.iter().map(|&b| b as char).peekable();
    while let Some(c) = chars.next() {
        if c == '%' {
            if chars.peek() == Some(&'%') {
                chars.next();
                text.push('%');
            } else {
                text.push(GROUP_SEPARATOR);
            }
        } else {
            text.push(c);
        }
    }
    Ok(text)
}

fn read_kanji(bits: &mut Bits, version: usize) -> Result<String, TextError> {
    // 8.4.5: the 13 bits are (high − offset) × 0xC0 + low, offset
    // 0x8140 for 0x8140..=0x9FFC and 0xC140 for 0xE040..=0xEBBF.
    let shift_jis = read_double_byte_codes(bits, count_bits(MODE_KANJI, version), 0xC0, 0x1F00, [0x8140, 0xC140])?;
    let mut text = String::with_capacity(shift_jis.len() * 3 / 2);
    double_byte::decode_shift_jis(&shift_jis, &mut text);
    Ok(text)
}

fn read_hanzi(bits: &mut Bits, version: usize) -> Result<String, TextError> {
    let subset = bits.read(4)?;
    if subset != HANZI_SUBSET_GB2312 {
        return Err(TextError::UnsupportedHanziSubset(subset));
    }
    // GB/T 18284: the 13 bits are (high − offset) × 0x60 + (low − 0xA1),
    // offset 0xA1 for 0xA1A1..=0xAAFE and 0xA6 for 0xB0A1..=0xFAFE.
    let gb2312 = read_double_byte_codes(bits, count_bits(MODE_HANZI, version), 0x60, 0x0A00, [0xA1A1, 0xA6A1])?;
    let mut text = String::with_capacity(gb2312.len() * 3 / 2);
    double_byte::decode_gb2312(&gb2312, &mut text);
    Ok(text)
}

/// Kanji and Hanzi segments: a count, then 13-bit values that unpack to
/// two-byte codes as `(value / row) << 8 | value % row`, plus the first
/// offset below `split` and the second from it. Returns the codes' bytes.
fn read_double_byte_codes(bits: &mut Bits, count_width: usize, row: u32, split: u32, offsets: [u32; 2]) -> Result<Vec<u8>, TextError> {
    let count = bits.read(count_width)? as usize;
    if count * 13 > bits.remaining() {
        return Err(TextError::Truncated);
    }
    let mut bytes = Vec::with_capacity(count * 2);
    for _ in 0..count {
        let value = bits.read(13)?;
        let packed = ((value / row) << 8) | (value % row);
        let code = packed + if packed < split { offsets[0] } else { offsets[1] };
        bytes.extend_from_slice(&(code as u16).to_be_bytes());
    }
    Ok(bytes)
}

/// ECI designator: 1, 2 or 3 bytes, told apart by the leading bits (8.4.2).
fn read_eci_designator(bits: &mut Bits) -> Result<u32, TextError> {
    let first = bits.read(8)?;
    if first & 0x80 == 0 {
        Ok(first & 0x7F)
    } else if first & 0xC0 == 0x80 {
        Ok(((first & 0x3F) << 8) | bits.read(8)?)
    } else if first & 0xE0 == 0xC0 {
        Ok(((first & 0x1F) << 16) | bits.read(16)?)
    } else {
        Err(TextError::InvalidEci)
    }
}
