//! A calendar date without a date library: what the contract's `YYYY-MM-DD`
//! fields, MRZ birth dates and "today" need, and nothing more (keeps wasm small).

use std::fmt;

/// A valid proleptic Gregorian date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// A date, or `None` when no such day exists (e.g. 2023-02-29).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses exactly `YYYY-MM-DD` (ASCII digits, zero-padded).
    pub fn parse_iso(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<u16> {
            let digits = &bytes[range];
            if !digits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            Some(digits.iter().fold(0u16, |acc, d| acc * 10 + u16::from(d - b'0')))
        };
        Date::new(number(0..4)?, u8::try_from(number(5..7)?).ok()?, u8::try_from(number(8..10)?).ok()?)
    }

    /// The UTC calendar date of a Unix time in seconds (time is passed in, never read here).
    pub fn from_unix_seconds(seconds: i64) -> Date {
        // Howard Hinnant's days-from-civil inverse; exact for the whole i64 day range we use.
        let days = seconds.div_euclid(86_400);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
        let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Date { year: year.clamp(0, 9999) as u16, month: month as u8, day: day as u8 }
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn days_since_unix_epoch(self) -> i64 {
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let month = i64::from(self.month);
        let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    pub fn year(self) -> u16 {
        self.year
    }
    pub fn month(self) -> u8 {
        self.month
    }
    pub fn day(self) -> u8 {
        self.day
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

pub fn is_leap_year(year: u16) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_valid_iso_dates_and_round_trips_them() {
        for text in ["1974-08-12", "2000-02-29", "1900-01-01", "2024-12-31"] {
            assert_eq!(Date::parse_iso(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn rejects_impossible_or_malformed_dates() {
        for text in ["2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "2024-4-01", "24-04-01", "2024/04/01", "２０２４-01-01", "", "2024-01-01T00"] {
            assert_eq!(Date::parse_iso(text), None, "{text}");
        }
    }

    #[test]
    fn converts_unix_time_to_the_utc_calendar_date() {
        assert_eq!(Date::from_unix_seconds(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix_seconds(951_782_400).to_string(), "2000-02-29");
        assert_eq!(Date::from_unix_seconds(1_795_392_000).to_string(), "2026-11-23");
        assert_eq!(Date::from_unix_seconds(1_795_478_400 - 1).to_string(), "2026-11-23");
        assert_eq!(Date::from_unix_seconds(-86_400).to_string(), "1969-12-31");
    }

    #[test]
    fn every_day_of_four_centuries_round_trips_through_unix_time() {
        let mut seconds = Date::new(1900, 1, 1).map(|_| -2_208_988_800i64).unwrap();
        let mut expected = Date::new(1900, 1, 1).unwrap();
        for _ in 0..(365 * 400 + 97) {
            assert_eq!(Date::from_unix_seconds(seconds), expected);
            assert_eq!(expected.days_since_unix_epoch() * 86_400, seconds);
            seconds += 86_400;
            expected = next_day(expected);
        }
    }

    fn next_day(date: Date) -> Date {
        Date::new(date.year, date.month, date.day + 1)
            .or_else(|| Date::new(date.year, date.month + 1, 1))
            .unwrap_or_else(|| Date::new(date.year + 1, 1, 1).unwrap())
    }
}
