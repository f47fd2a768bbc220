//! How requests stood and how fast they were answered: counts by state, the share answered
//! within the standard's time limit, and the working days from receipt to answer (median,
//! and the 90th percentile by the nearest-rank method).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Cell;
use crate::calendar::Day;
use crate::holidays::Holidays;

/// What the figures need to know of one request (nothing personal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// The service page's slug.
    pub service: String,
    pub received: Day,
    /// The deadline as it stands (moved by an extension); `None` while the standard sets
    /// no time limit.
    pub due: Option<Day>,
    /// The state's name (`diterima`, ..., `dialihkan`).
    pub state: String,
    /// The day of the step that closed it (completed, refused or forwarded).
    pub closed: Option<Day>,
}

/// The request figures as published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Requests {
    pub received: Cell,
    /// Every state's count, by the state's name.
    pub by_state: BTreeMap<String, Cell>,
    /// Closed: completed, refused or forwarded.
    pub answered: Cell,
    /// Answered on or before the deadline, among those answered that had one.
    pub on_time: Cell,
    /// That share, 0 to 1, three decimals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_time_share: Option<Cell>,
    /// Working days from receipt to answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_median: Option<Cell>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_p90: Option<Cell>,
    /// Still open after their deadline, as of the report's day.
    pub open_past_deadline: Cell,
}

/// The states a request can be in, in the order of its life.
pub const STATES: [&str; 6] = [
    "diterima",
    "diproses",
    "diperpanjang",
    "selesai",
    "ditolak",
    "dialihkan",
];

impl Requests {
    /// The figures of `cases` as of the day `as_of`.
    pub fn of(cases: &[&Case], holidays: &Holidays, as_of: Day) -> Requests {
        let by_state = STATES
            .iter()
            .map(|s| {
                let n = cases.iter().filter(|c| c.state == *s).count();
                (s.to_string(), Cell::count(n))
            })
            .collect();
        let answered: Vec<(&Case, Day)> = cases
            .iter()
            .filter_map(|c| c.closed.map(|day| (*c, day)))
            .collect();
        let with_deadline: Vec<_> = answered.iter().filter(|(c, _)| c.due.is_some()).collect();
        let on_time = with_deadline
            .iter()
            .filter(|(c, day)| c.due.is_some_and(|due| *day <= due))
            .count();
        let mut days: Vec<u32> = answered
            .iter()
            .map(|(c, day)| holidays.working_days_between(c.received, *day))
            .collect();
        days.sort_unstable();
        let late = cases
            .iter()
            .filter(|c| c.closed.is_none() && c.due.is_some_and(|due| due < as_of))
            .count();
        Requests {
            received: Cell::count(cases.len()),
            by_state,
            answered: Cell::count(answered.len()),
            on_time: Cell::count(on_time),
            on_time_share: Cell::over(
                with_deadline.len(),
                on_time as f64 / with_deadline.len().max(1) as f64,
                3,
            ),
            days_median: median(&days).and_then(|m| Cell::over(days.len(), m, 1)),
            days_p90: percentile(&days, 90).and_then(|p| Cell::over(days.len(), p, 0)),
            open_past_deadline: Cell::count(late),
        }
    }
}

/// The middle of sorted `values` (the mean of the two middle ones for an even count).
pub fn median(values: &[u32]) -> Option<f64> {
    let n = values.len();
    match n {
        0 => None,
        n if n % 2 == 1 => Some(f64::from(values[n / 2])),
        n => Some(f64::from(values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

/// The `p`th percentile of sorted `values`, nearest rank: the smallest value with at least
/// p% of the values at or below it.
pub fn percentile(values: &[u32], p: usize) -> Option<f64> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let rank = (p * n).div_ceil(100).max(1);
    Some(f64::from(values[rank - 1]))
}
