//! The days the office is closed besides Saturdays and Sundays: the national holidays and
//! collective leave days (cuti bersama) the government sets each year, listed by an editor
//! in `content/hari-libur.yaml`. Deadlines in working days skip them.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::calendar::Day;
use crate::lang::Lang;

/// Where the list lives, inside a site's folder.
pub const HOLIDAYS_FILE: &str = "content/hari-libur.yaml";

/// How far ahead the list must reach: a deadline set today may fall this many days later
/// (the longest time limit, an extension included, in calendar days, with room to spare).
pub const HORIZON_DAYS: i64 = 90;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holidays {
    days: BTreeSet<Day>,
    years: BTreeSet<i64>,
}

/// A problem with the list, for the build's report (`line` when known), in the language the
/// list was read in (English unless asked).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct HolidaysError {
    pub line: Option<usize>,
    pub message: String,
}

/// One year of the file: where its days come from, and the days.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Year {
    /// The decree that sets the year's days (text, or a placeholder).
    #[allow(dead_code)]
    sumber: serde_yaml::Value,
    /// Whether the list was checked against the decree's text (a placeholder until then).
    #[serde(default)]
    #[allow(dead_code)]
    diperiksa: Option<serde_yaml::Value>,
    hari: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    tanggal: String,
    #[allow(dead_code)]
    nama: String,
}

impl Holidays {
    /// Reads the list; every date must be a real day of the year it is listed under.
    /// Problems in English.
    pub fn parse(text: &str) -> Result<Holidays, HolidaysError> {
        Holidays::parse_in(text, Lang::En)
    }

    /// [`Holidays::parse`], the problem in `lang`: the generator tells editors in their
    /// language. serde's own report stays in its words, after a sentence of ours.
    pub fn parse_in(text: &str, lang: Lang) -> Result<Holidays, HolidaysError> {
        let years: BTreeMap<i64, Year> = serde_yaml::from_str(text).map_err(|e| HolidaysError {
            line: e.location().map(|l| l.line()),
            message: lang.pick(
                format!("daftar hari libur tidak ditulis dengan benar: {e}"),
                e.to_string(),
            ),
        })?;
        let mut holidays = Holidays::default();
        for (year, listed) in years {
            holidays.years.insert(year);
            for entry in listed.hari {
                let day = Day::parse(&entry.tanggal).filter(|d| d.ymd().0 == year);
                let Some(day) = day else {
                    return Err(HolidaysError {
                        line: text
                            .lines()
                            .position(|l| l.contains(&entry.tanggal))
                            .map(|i| i + 1),
                        message: lang.pick(
                            format!(
                                "tanggal tidak sah: `{}` bukan hari dalam tahun {year} (tulis tanggal dalam bentuk YYYY-MM-DD di bawah tahunnya)",
                                entry.tanggal
                            ),
                            format!(
                                "`{}` is not a day of {year} (write YYYY-MM-DD under its year)",
                                entry.tanggal
                            ),
                        ),
                    });
                };
                holidays.days.insert(day);
            }
        }
        Ok(holidays)
    }

    /// Whether the office works on `day`: Monday to Friday, not a listed holiday.
    pub fn is_working_day(&self, day: Day) -> bool {
        day.is_weekday() && !self.days.contains(&day)
    }

    /// The years from `today` to [`HORIZON_DAYS`] later that the list does not cover.
    pub fn missing_years(&self, today: Day) -> Vec<i64> {
        let (first, _, _) = today.ymd();
        let (last, _, _) = today.plus_days(HORIZON_DAYS).ymd();
        (first..=last).filter(|y| !self.years.contains(y)).collect()
    }

    /// The day `n` working days after `from`.
    pub fn plus_working_days(&self, from: Day, n: u32) -> Day {
        let mut day = from;
        let mut left = n;
        while left > 0 {
            day = day.plus_days(1);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// The working days after `from` up to and including `to` (0 when `to` is not later):
    /// how long an answer given on `to` to a request received on `from` took.
    pub fn working_days_between(&self, from: Day, to: Day) -> u32 {
        let mut day = from;
        let mut count = 0;
        while day < to {
            day = day.plus_days(1);
            if self.is_working_day(day) {
                count += 1;
            }
        }
        count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = "2026:\n  sumber: SKB\n  hari:\n    - {tanggal: 2026-02-16, nama: Cuti bersama Imlek}\n    - {tanggal: 2026-02-17, nama: Tahun Baru Imlek}\n";

    fn day(text: &str) -> Day {
        Day::parse(text).expect("a day")
    }

    #[test]
    fn working_days_between_counts_what_plus_working_days_adds() {
        let holidays = Holidays::parse(LIST).expect("valid");
        let from = day("2026-02-12");
        for n in 0..30 {
            let to = holidays.plus_working_days(from, n);
            assert_eq!(holidays.working_days_between(from, to), n);
        }
        // An answer on the Saturday after a Thursday receipt took one working day (Friday).
        assert_eq!(holidays.working_days_between(from, day("2026-02-14")), 1);
        assert_eq!(holidays.working_days_between(from, day("2026-02-10")), 0);
    }

    #[test]
    fn a_deadline_skips_the_weekend_and_the_listed_days() {
        let holidays = Holidays::parse(LIST).expect("valid");
        // Thursday 12 February + 3 working days: Friday 13, then Monday 16 and Tuesday 17
        // are holidays, so Wednesday 18 and Thursday 19.
        assert_eq!(
            holidays.plus_working_days(day("2026-02-12"), 3),
            day("2026-02-19")
        );
        let none = Holidays::default();
        assert_eq!(
            none.plus_working_days(day("2026-02-12"), 3),
            day("2026-02-17")
        );
        assert!(!holidays.is_working_day(day("2026-02-16")));
        assert!(holidays.is_working_day(day("2026-02-18")));
    }

    #[test]
    fn the_years_a_deadline_may_reach_must_be_listed() {
        let holidays = Holidays::parse(LIST).expect("valid");
        assert!(holidays.missing_years(day("2026-06-01")).is_empty());
        assert_eq!(holidays.missing_years(day("2026-12-04")), [2027]);
        assert_eq!(
            Holidays::default().missing_years(day("2026-12-04")),
            [2026, 2027]
        );
    }

    #[test]
    fn a_date_outside_its_year_is_an_error_at_its_line() {
        let e = Holidays::parse(&LIST.replace("2026-02-17", "2027-02-17")).expect_err("wrong year");
        assert_eq!(e.line, Some(5));
        assert!(e.message.contains("not a day of 2026"), "{e}");
    }

    #[test]
    fn an_editor_reads_the_problem_in_indonesian_when_asked() {
        let wrong = LIST.replace("2026-02-17", "2027-02-17");
        let e = Holidays::parse_in(&wrong, Lang::Id).expect_err("wrong year");
        assert_eq!(e.line, Some(5));
        assert_eq!(
            e.message,
            "tanggal tidak sah: `2027-02-17` bukan hari dalam tahun 2026 (tulis tanggal dalam \
             bentuk YYYY-MM-DD di bawah tahunnya)"
        );
    }
}
