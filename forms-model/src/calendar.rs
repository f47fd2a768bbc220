//! Calendar days in WITA (UTC+8), the province's time zone: today, day arithmetic and
//! weekdays, without a date-time crate (days are all the forms need), and the one clock
//! everything that asks "now" reads, so tests (and deadlines) can fix it.

use std::time::{SystemTime, UNIX_EPOCH};

/// A day, as days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(i64);

/// Indonesian month names, January first.
pub const MONTHS: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

/// Seconds since 1970 from the system clock.
pub fn system_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Where "now" comes from: the system clock, or a fixed time in tests.
#[derive(Debug, Clone, Copy)]
pub struct Clock(fn() -> u64);

impl Clock {
    pub const SYSTEM: Clock = Clock(system_secs);

    /// A clock that reads `now` (seconds since 1970).
    pub const fn new(now: fn() -> u64) -> Clock {
        Clock(now)
    }

    pub fn now_secs(self) -> u64 {
        (self.0)()
    }

    /// Today in WITA.
    pub fn today(self) -> Day {
        Day::of_secs(self.now_secs())
    }
}

impl Default for Clock {
    fn default() -> Clock {
        Clock::SYSTEM
    }
}

impl Day {
    /// Today in WITA by the system clock.
    pub fn today() -> Day {
        Clock::SYSTEM.today()
    }

    /// The day in WITA of a moment (seconds since 1970).
    pub fn of_secs(secs: u64) -> Day {
        Day((secs as i64 + 8 * 3600).div_euclid(86_400))
    }

    /// Noon of this day in WITA, as seconds since 1970 (for clocks fixed on a day).
    pub fn noon_secs(self) -> u64 {
        (self.0 * 86_400 + 4 * 3600).max(0) as u64
    }

    pub fn from_ymd(y: i64, m: u32, d: u32) -> Option<Day> {
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return None;
        }
        // Days from civil (H. Hinnant's algorithm).
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(m);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Day(era * 146_097 + doe - 719_468))
    }

    /// `YYYY-MM-DD`, as browsers send `<input type="date">`.
    pub fn parse(text: &str) -> Option<Day> {
        let mut parts = text.trim().splitn(3, '-');
        let y = parts.next()?;
        let m = parts.next()?;
        let d = parts.next()?;
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        Day::from_ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    pub fn ymd(self) -> (i64, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + i64::from(m <= 2);
        (y, m, d)
    }

    pub fn plus_days(self, n: i64) -> Day {
        Day(self.0 + n)
    }

    /// Monday to Friday (holidays: [`crate::holidays::Holidays`]).
    pub fn is_weekday(self) -> bool {
        // 1970-01-01 was a Thursday.
        !matches!((self.0 + 3).rem_euclid(7), 5 | 6)
    }

    pub fn iso(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// `12 Februari 2026`.
    pub fn display_id(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{d} {} {y}", MONTHS[(m - 1) as usize])
    }
}

/// English month names, January first.
pub const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Days in month `m` (1-12) of year `y`, leap years included.
pub fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_dates_and_knows_weekdays() {
        let d = Day::parse("2026-02-12").expect("valid");
        assert_eq!(d.iso(), "2026-02-12");
        assert_eq!(d.display_id(), "12 Februari 2026");
        assert!(d.is_weekday(), "a Thursday");
        assert!(
            !Day::parse("2026-02-14").expect("valid").is_weekday(),
            "a Saturday"
        );
        assert_eq!(
            Day::parse("2024-02-29").map(Day::iso).as_deref(),
            Some("2024-02-29")
        );
        assert_eq!(Day::parse("2026-02-29"), None);
        assert_eq!(Day::parse("12-02-2026"), None);
    }
}
