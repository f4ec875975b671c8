//! ICAO 9303 Part 3 check digits: weights 7-3-1 repeating, `<` = 0,
//! `0`–`9` = 0–9, `A`–`Z` = 10–35, sum modulo 10.

/// The numeric value ICAO gives an MRZ character, or `None` outside the 37.
pub fn character_value(character: u8) -> Option<u32> {
    match character {
        b'<' => Some(0),
        b'0'..=b'9' => Some(u32::from(character - b'0')),
        b'A'..=b'Z' => Some(u32::from(character - b'A') + 10),
        _ => None,
    }
}

/// The check digit (0–9) of `field`, or `None` when it holds a non-MRZ character.
pub fn check_digit(field: &[u8]) -> Option<u8> {
    const WEIGHTS: [u32; 3] = [7, 3, 1];
    let mut sum = 0u32;
    for (index, &character) in field.iter().enumerate() {
        sum += character_value(character)? * WEIGHTS[index % 3];
    }
    Some((sum % 10) as u8)
}

/// True when `check` is the check digit of `field`. A filler `<` in the
/// check position passes only when the whole field is filler (ICAO allows
/// this for empty optional data).
pub fn check_passes(field: &[u8], check: u8) -> bool {
    if check == b'<' {
        return field.iter().all(|&c| c == b'<');
    }
    match check_digit(field) {
        Some(digit) => check == b'0' + digit,
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computes_the_specimen_check_digits_of_doc_9303() {
        assert_eq!(check_digit(b"L898902C3"), Some(6));
        assert_eq!(check_digit(b"740812"), Some(2));
        assert_eq!(check_digit(b"120415"), Some(9));
        assert_eq!(check_digit(b"ZE184226B<<<<<"), Some(1));
    }

    #[test]
    fn refuses_characters_outside_the_mrz_alphabet() {
        assert_eq!(check_digit(b"L89a"), None);
        assert!(!check_passes(b"L8 9", b'0'));
    }

    #[test]
    fn filler_check_digit_passes_only_for_an_all_filler_field() {
        assert!(check_passes(b"<<<<<<<<<<<<<<", b'<'));
        assert!(check_passes(b"<<<<<<<<<<<<<<", b'0'));
        assert!(!check_passes(b"ZE184226B<<<<<", b'<'));
    }
}
