use super::*;

/// Builds a segment bit stream the way an encoder would (ISO/IEC 18004 7.4).
#[derive(Default)]
struct Stream {
    bits: Vec<bool>,
}

impl Stream {
    fn put(mut self, value: u32, width: usize) -> Self {
        for shift in (0..width).rev() {
            self.bits.push((value >> shift) & 1 == 1);
        }
        self
    }

    fn eci(self, designator: u32) -> Self {
        let stream = self.put(0b0111, 4);
        match designator {
            0..=127 => stream.put(designator, 8),
            128..=16383 => stream.put(0b10, 2).put(designator, 14),
            _ => stream.put(0b110, 3).put(designator, 21),
        }
    }

    fn bytes(self, version: usize, bytes: &[u8]) -> Self {
        let width = if version <= 9 { 8 } else { 16 };
        bytes.iter().fold(self.put(0b0100, 4).put(bytes.len() as u32, width), |s, &b| s.put(u32::from(b), 8))
    }

    fn kanji(self, shift_jis: &[u16]) -> Self {
        let stream = self.put(0b1000, 4).put(shift_jis.len() as u32, 8);
        shift_jis.iter().fold(stream, |s, &code| {
            let offset = if code <= 0x9FFC { code - 0x8140 } else { code - 0xC140 };
            s.put(u32::from(offset >> 8) * 0xC0 + u32::from(offset & 0xFF), 13)
        })
    }

    fn hanzi(self, gb2312: &[u16]) -> Self {
        let stream = self.put(0b1101, 4).put(1, 4).put(gb2312.len() as u32, 8);
        gb2312.iter().fold(stream, |s, &code| {
            let offset = if code <= 0xAAFE { code - 0xA1A1 } else { code - 0xA6A1 };
            s.put(u32::from(offset >> 8) * 0x60 + u32::from(offset & 0xFF), 13)
        })
    }

    fn numeric(self, digits: &str) -> Self {
        let mut stream = self.put(0b0001, 4).put(digits.len() as u32, 10);
        for group in digits.as_bytes().chunks(3) {
            let value: u32 = std::str::from_utf8(group).unwrap().parse().unwrap();
            stream = stream.put(value, [0, 4, 7, 10][group.len()]);
        }
        stream
    }

    fn alphanumeric(self, text: &str) -> Self {
        let index = |c: u8| ALPHANUMERIC.iter().position(|&a| a == c).unwrap() as u32;
        let mut stream = self.put(0b0010, 4).put(text.len() as u32, 9);
        for pair in text.as_bytes().chunks(2) {
            stream = match pair {
                [a, b] => stream.put(index(*a) * 45 + index(*b), 11),
                [a] => stream.put(index(*a), 6),
                _ => stream,
            };
        }
        stream
    }

    /// Terminator and padding to whole codewords, as in a real symbol.
    fn codewords(self) -> Vec<u8> {
        let mut stream = self.put(0, 4);
        while stream.bits.len() % 8 != 0 {
            stream.bits.push(false);
        }
        let mut bytes: Vec<u8> = stream.bits.chunks(8).map(|c| c.iter().fold(0u8, |a, &b| (a << 1) | b as u8)).collect();
        bytes.extend([0xEC, 0x11, 0xEC]);
        bytes
    }
}

fn decode(stream: Stream) -> Result<String, TextError> {
    decode_text(5, &stream.codewords())
}

#[test]
fn kanji_mode_reads_as_shift_jis_characters() {
    // 外側 = Shift_JIS 8A4F 91A4; 石 = 90CE; a code from the 0xE040.. range: 熙 = EAA4.
    let text = decode(Stream::default().kanji(&[0x8A4F, 0x91A4, 0x90CE, 0xEAA4])).unwrap();
    assert_eq!(text, "外側石熙");
}

#[test]
fn eci_20_byte_segment_reads_as_shift_jis() {
    let bytes = b"[\x8aO\x91\xa4QR\x83R\x81[\x83h]";
    let text = decode(Stream::default().eci(20).bytes(5, bytes)).unwrap();
    assert_eq!(text, "[外側QRコード]");
}

#[test]
fn eci_26_byte_segment_reads_as_utf8() {
    let text = decode(Stream::default().eci(26).bytes(5, "Blåbærsyltetøy".as_bytes())).unwrap();
    assert_eq!(text, "Blåbærsyltetøy");
}

#[test]
fn eci_3_and_other_single_byte_sets() {
    assert_eq!(decode(Stream::default().eci(3).bytes(5, b"Bl\xe5b\xe6r")).unwrap(), "Blåbær");
    // ISO-8859-5 (ECI 7) and Windows-1251 (ECI 22): "Мир".
    assert_eq!(decode(Stream::default().eci(7).bytes(5, b"\xbc\xd8\xe0")).unwrap(), "Мир");
    assert_eq!(decode(Stream::default().eci(22).bytes(5, b"\xcc\xe8\xf0")).unwrap(), "Мир");
    // ISO-8859-15 (ECI 17): 0xA4 is the euro sign, not ¤.
    assert_eq!(decode(Stream::default().eci(17).bytes(5, b"5\xa4")).unwrap(), "5€");
    // ECI 25, UTF-16BE.
    assert_eq!(decode(Stream::default().eci(25).bytes(5, b"\x00A\x30\xb3")).unwrap(), "Aコ");
    // ECI 27, ASCII: a high byte is not silently another character.
    assert_eq!(decode(Stream::default().eci(27).bytes(5, b"A\xe5")).unwrap(), "A\u{FFFD}");
}

#[test]
fn two_byte_eci_designator_is_read_whole() {
    // Designator 128 would be an unassigned ECI: refused, not misread as 0.
    assert_eq!(decode(Stream::default().eci(128).bytes(5, b"x")), Err(TextError::UnsupportedEci(128)));
}

#[test]
fn eci_without_a_table_is_an_error_not_latin1() {
    assert_eq!(decode(Stream::default().eci(28).bytes(5, b"\xa4\x40")), Err(TextError::UnsupportedEci(28)));
}

#[test]
fn byte_segment_without_eci_guesses_latin1() {
    assert_eq!(decode(Stream::default().bytes(5, b"R\xf8dgr\xf8d med fl\xf8te")).unwrap(), "Rødgrød med fløte");
}

#[test]
fn byte_segment_without_eci_guesses_utf8() {
    assert_eq!(decode(Stream::default().bytes(5, "Ærlig talt".as_bytes())).unwrap(), "Ærlig talt");
}

#[test]
fn byte_segment_without_eci_guesses_shift_jis() {
    // "Google モバイル" in Shift_JIS: double-byte runs of four.
    let bytes = b"Google \x83\x82\x83o\x83C\x83\x8b\r\n";
    assert_eq!(decode(Stream::default().bytes(5, bytes)).unwrap(), "Google モバイル\r\n");
    // Half-width katakana: ﾃﾞｻﾞｲﾝ.
    assert_eq!(decode(Stream::default().bytes(5, b"\xc3\xde\xbb\xde\xb2\xddQR")).unwrap(), "ﾃﾞｻﾞｲﾝQR");
}

#[test]
fn binary_bytes_that_fit_nothing_read_as_latin1() {
    let bytes = b"\x01\x01R\xc5\xe9\xd0\x94!-";
    assert_eq!(decode(Stream::default().bytes(5, bytes)).unwrap(), "\u{1}\u{1}RÅéÐ\u{94}!-");
}

#[test]
fn mixed_segments_join_in_order() {
    let stream = Stream::default()
        .alphanumeric("HTTP://A.NO/")
        .numeric("0123456")
        .bytes(5, b"?x=\xc3\xa6")
        .kanji(&[0x8A4F]);
    assert_eq!(decode(stream).unwrap(), "HTTP://A.NO/0123456?x=æ外");
}

#[test]
fn byte_segments_beside_kanji_are_shift_jis() {
    // One half-width katakana alone would read as Latin-1; a Kanji segment in
    // the same symbol says the byte data is Shift_JIS.
    let stream = Stream::default().bytes(5, b"\xb2").kanji(&[0x93FC, 0x82E8]);
    assert_eq!(decode(stream).unwrap(), "ｲ入り");
}

#[test]
fn eci_applies_to_later_byte_segments_only() {
    let stream = Stream::default().bytes(5, b"caf\xe9 ").eci(26).bytes(5, "café".as_bytes());
    assert_eq!(decode(stream).unwrap(), "café café");
}

#[test]
fn a_character_split_over_two_byte_segments_is_whole() {
    let stream = Stream::default().eci(26).bytes(5, b"\xc3").bytes(5, b"\xa6");
    assert_eq!(decode(stream).unwrap(), "æ");
}

#[test]
fn fnc1_first_position_turns_percent_into_group_separator() {
    let stream = Stream::default().put(0b0101, 4).alphanumeric("01%10%%");
    assert_eq!(decode(stream).unwrap(), "01\u{1D}10%");
}

#[test]
fn fnc1_second_position_skips_the_application_indicator() {
    let stream = Stream::default().put(0b1001, 4).put(37, 8).alphanumeric("AB");
    assert_eq!(decode(stream).unwrap(), "AB");
}

#[test]
fn structured_append_header_is_skipped() {
    let stream = Stream::default().put(0b0011, 4).put(0x01, 8).put(0x5A, 8).bytes(5, b"part one");
    assert_eq!(decode(stream).unwrap(), "part one");
}

#[test]
fn large_versions_use_wider_counts() {
    let codewords = Stream::default().put(0b0100, 4).put(3, 16).put(u32::from(b'a'), 8).put(98, 8).put(99, 8).codewords();
    assert_eq!(decode_text(10, &codewords).unwrap(), "abc");
}

#[test]
fn malformed_data_is_an_error() {
    assert_eq!(decode(Stream::default().put(0b0110, 4)), Err(TextError::UnknownMode(0b0110)));
    assert_eq!(decode_text(5, &[0x40, 0xF0]), Err(TextError::Truncated));
    // Numeric group 1000..1023 does not exist.
    assert_eq!(decode(Stream::default().put(0b0001, 4).put(3, 10).put(1010, 10)), Err(TextError::InvalidGroup));
    assert_eq!(decode_text(0, &[]), Err(TextError::InvalidVersion(0)));
    assert_eq!(decode_text(41, &[]), Err(TextError::InvalidVersion(41)));
}

#[test]
fn hostile_codewords_never_panic() {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    for round in 0..4000 {
        let len = round % 60;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        let _ = decode_text(1 + round % 40, &bytes);
    }
}

#[test]
fn hanzi_mode_reads_as_gb2312_characters() {
    // China Mobile's codes: byte data, then 阿 (B0A2) in Hanzi mode (GB/T 18284), then bytes again.
    let text = decode(Stream::default().bytes(5, b"AD:").hanzi(&[0xB0A2, 0xD6D0, 0xA1A1]).bytes(5, b";;")).unwrap();
    assert_eq!(text, "AD:阿中\u{3000};;");
}

#[test]
fn hanzi_mode_with_another_subset_is_not_text() {
    let stream = Stream::default().put(0b1101, 4).put(2, 4).put(1, 8).put(0, 13);
    assert_eq!(decode(stream), Err(TextError::UnsupportedHanziSubset(2)));
}
