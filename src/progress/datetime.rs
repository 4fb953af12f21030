//! Calendar arithmetic on epoch milliseconds: ISO 8601 timestamps and durations for xAPI, and
//! local dates for "days active" and the timeline.
//!
//! Written with `std` only: the app ships as WASM and a date crate would cost more than these
//! forty lines. The proleptic Gregorian conversion is Howard Hinnant's `civil_from_days`.

use std::fmt;

const MS_PER_DAY: i128 = 86_400_000;

/// (year, month 1–12, day 1–31) of a day counted from 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days since 1970-01-01 and milliseconds into that day, at `utc_offset_minutes` from UTC.
fn split(ms: u64, utc_offset_minutes: i32) -> (i64, u32) {
    let local = i128::from(ms) + i128::from(utc_offset_minutes) * 60_000;
    // |local| < 2^65, so the day count fits an i64 and the remainder a u32.
    (
        local.div_euclid(MS_PER_DAY) as i64,
        local.rem_euclid(MS_PER_DAY) as u32,
    )
}

/// A calendar date in the learner's time zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalDate {
    pub year: i64,
    pub month: u8,
    pub day: u8,
}

impl LocalDate {
    /// The date at `ms` for a clock `utc_offset_minutes` ahead of UTC (480 for China).
    ///
    /// ```
    /// use portal::progress::datetime::LocalDate;
    /// // 2026-11-27T20:00Z is already the 28th in Beijing.
    /// let d = LocalDate::from_millis(1_795_809_600_000, 480);
    /// assert_eq!(d.to_string(), "2026-11-28");
    /// ```
    pub fn from_millis(ms: u64, utc_offset_minutes: i32) -> LocalDate {
        let (year, month, day) = civil_from_days(split(ms, utc_offset_minutes).0);
        LocalDate { year, month, day }
    }
}

impl fmt::Display for LocalDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The day number (days since 1970-01-01) in the learner's time zone, for counting active days.
pub fn local_day(ms: u64, utc_offset_minutes: i32) -> i64 {
    split(ms, utc_offset_minutes).0
}

/// An ISO 8601 UTC timestamp with milliseconds, as xAPI wants it.
///
/// ```
/// use portal::progress::datetime::iso8601;
/// assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
/// assert_eq!(iso8601(1_795_809_600_123), "2026-11-27T20:00:00.123Z");
/// ```
pub fn iso8601(ms: u64) -> String {
    let (days, in_day) = split(ms, 0);
    let (y, mo, d) = civil_from_days(days);
    let (h, rest) = (in_day / 3_600_000, in_day % 3_600_000);
    let (mi, rest) = (rest / 60_000, rest % 60_000);
    let (s, milli) = (rest / 1000, rest % 1000);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
}

/// Local date and time to the minute, for people: `2026-11-28 04:00`.
///
/// ```
/// use portal::progress::datetime::local_datetime;
/// assert_eq!(local_datetime(1_795_809_600_000, 480), "2026-11-28 04:00");
/// ```
pub fn local_datetime(ms: u64, utc_offset_minutes: i32) -> String {
    let (days, in_day) = split(ms, utc_offset_minutes);
    let (y, mo, d) = civil_from_days(days);
    let (h, mi) = (in_day / 3_600_000, in_day % 3_600_000 / 60_000);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}")
}

/// An ISO 8601 duration to the hundredth of a second (xAPI's precision): `PT1M5.25S`.
///
/// ```
/// use portal::progress::datetime::iso8601_duration;
/// assert_eq!(iso8601_duration(65_250), "PT1M5.25S");
/// assert_eq!(iso8601_duration(0), "PT0S");
/// ```
pub fn iso8601_duration(ms: u64) -> String {
    let centis = ms / 10;
    let (h, rest) = (centis / 360_000, centis % 360_000);
    let (m, rest) = (rest / 6000, rest % 6000);
    let (s, c) = (rest / 100, rest % 100);
    let mut out = String::from("PT");
    if h > 0 {
        out.push_str(&format!("{h}H"));
    }
    if m > 0 {
        out.push_str(&format!("{m}M"));
    }
    if s > 0 || c > 0 || (h == 0 && m == 0) {
        match c {
            0 => out.push_str(&format!("{s}S")),
            c if c % 10 == 0 => out.push_str(&format!("{s}.{}S", c / 10)),
            c => out.push_str(&format!("{s}.{c:02}S")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        assert_eq!(iso8601(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso8601(253_402_300_799_999), "9999-12-31T23:59:59.999Z");
        assert_eq!(iso8601(1_709_164_799_999), "2024-02-28T23:59:59.999Z");
        assert_eq!(iso8601(1_709_164_800_000), "2024-02-29T00:00:00.000Z");
        assert_eq!(iso8601(4_107_542_400_000), "2100-03-01T00:00:00.000Z");
        // Far beyond the accepted range still formats instead of panicking.
        assert!(iso8601(u64::MAX).ends_with('Z'));
    }

    #[test]
    fn day_boundaries_follow_the_offset() {
        let midnight_utc = 1_795_824_000_000; // 2026-11-28T00:00Z
        assert_eq!(
            LocalDate::from_millis(midnight_utc - 1, 0).to_string(),
            "2026-11-27"
        );
        assert_eq!(
            LocalDate::from_millis(midnight_utc, 0).to_string(),
            "2026-11-28"
        );
        assert_eq!(
            LocalDate::from_millis(midnight_utc, -60).to_string(),
            "2026-11-27"
        );
        assert_eq!(
            local_day(midnight_utc - 1, 480),
            local_day(midnight_utc, 480)
        );
        assert_eq!(LocalDate::from_millis(0, -1).to_string(), "1969-12-31");
        assert_eq!(local_datetime(0, i32::MIN).len(), "-4078-01-13 21:52".len());
    }

    #[test]
    fn every_day_of_four_centuries_round_trips() {
        // Walk day by day through 1970..2370 and check the calendar never skips or repeats.
        let mut prev = civil_from_days(-1);
        for day in 0..146_097 {
            let (y, m, d) = civil_from_days(day);
            let next_expected = if d == 1 {
                m == prev.1 % 12 + 1 && (m != 1 || y == prev.0 + 1)
            } else {
                (y, m, d - 1) == prev
            };
            assert!(next_expected, "{prev:?} -> {:?}", (y, m, d));
            prev = (y, m, d);
        }
    }

    #[test]
    fn durations() {
        assert_eq!(iso8601_duration(3_600_000), "PT1H");
        assert_eq!(iso8601_duration(3_723_400), "PT1H2M3.4S");
        assert_eq!(iso8601_duration(9), "PT0S");
        assert_eq!(iso8601_duration(120_000), "PT2M");
    }
}
