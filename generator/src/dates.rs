//! Calendar dates from front matter, shown the Indonesian way ("12 Februari 2026").
//!
//! The site only needs days, so a tiny parser beats a date-time crate here: it accepts
//! `YYYY-MM-DD`, optionally followed by a time (`T08:30:00+08:00`), which it keeps for feeds.

use std::fmt;

use forms_model::calendar::Day;

/// A day (the portal's one day type, [`Day`]) with the time of day a feed may need.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub day: Day,
    /// The time part as written (`T08:30:00+08:00`), if any.
    time: Option<String>,
}

impl Date {
    /// Parses `YYYY-MM-DD[THH:MM[:SS][Z|±HH:MM]]`; `None` when it is not a real date.
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        let (day_part, time) = match text.find(['T', ' ']) {
            Some(i) => (&text[..i], Some(&text[i + 1..])),
            None => (text, None),
        };
        let mut parts = day_part.split('-');
        let year: u16 = parse_digits(parts.next()?, 4)?;
        let month: u8 = parse_digits(parts.next()?, 2)?;
        let day: u8 = parse_digits(parts.next()?, 2)?;
        if parts.next().is_some() {
            return None;
        }
        let day = Day::from_ymd(i64::from(year), u32::from(month), u32::from(day))?;
        let time = match time {
            Some(t) => Some(format!("T{}", valid_time(t)?)),
            None => None,
        };
        Some(Date { day, time })
    }

    /// ISO form, `2026-02-12`.
    pub fn iso(&self) -> String {
        self.day.iso()
    }

    /// `12 Februari 2026`.
    pub fn display_id(&self) -> String {
        self.day.display_id()
    }

    /// RFC 3339 for feeds; a date without a time is taken as midnight in WITA (UTC+8),
    /// the province's time zone.
    pub fn rfc3339(&self) -> String {
        let time = match &self.time {
            Some(t) if t.len() > 9 => t.clone(),
            Some(t) => format!("{t}+08:00"),
            None => "T00:00:00+08:00".to_string(),
        };
        format!("{}{time}", self.iso())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

fn parse_digits<T: std::str::FromStr>(s: &str, len: usize) -> Option<T> {
    if s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

fn valid_time(t: &str) -> Option<&str> {
    let clock_end = t.find(['Z', '+', '-']).unwrap_or(t.len());
    let (clock, zone) = t.split_at(clock_end);
    let mut fields = clock.split(':');
    let hour: u8 = parse_digits(fields.next()?, 2)?;
    let minute: u8 = parse_digits(fields.next()?, 2)?;
    let second: u8 = match fields.next() {
        Some(s) => parse_digits(s.split('.').next()?, 2)?,
        None => 0,
    };
    let zone_ok = zone.is_empty()
        || zone == "Z"
        || (zone.len() == 6
            && zone.as_bytes()[3] == b':'
            && parse_digits::<u8>(&zone[1..3], 2).is_some());
    (hour < 24 && minute < 60 && second < 61 && zone_ok && fields.next().is_none()).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_dates_with_indonesian_month_names() {
        let d = Date::parse("2026-02-12").expect("valid");
        assert_eq!(d.display_id(), "12 Februari 2026");
        assert_eq!(d.iso(), "2026-02-12");
        assert_eq!(d.rfc3339(), "2026-02-12T00:00:00+08:00");
    }

    #[test]
    fn keeps_the_time_for_feeds() {
        let d = Date::parse("2026-08-17T09:30:00+08:00").expect("valid");
        assert_eq!(d.rfc3339(), "2026-08-17T09:30:00+08:00");
        let d = Date::parse("2026-08-17T09:30").expect("valid");
        assert_eq!(d.rfc3339(), "2026-08-17T09:30+08:00");
    }

    #[test]
    fn rejects_impossible_dates() {
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "26-02-01",
            "2026/02/01",
            "kemarin",
            "2026-02-01T25:00",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert!(Date::parse("2024-02-29").is_some());
    }
}
