//! The office's performance in figures: for each service and for the whole office, how many
//! requests came and how they stand, how fast they were answered against the standard's time
//! limit, and what the public said in the satisfaction survey (SKM, PermenPANRB 14/2017);
//! for the PPID, the figures of its yearly report. `forms-fn stats` computes a [`Report`]
//! from the request store and writes it as JSON; the generator reads it from `content/` and
//! publishes it. No personal data and no free text, and no cell that describes fewer than
//! [`MIN_GROUP`] people: such a cell reads "< 5".

pub mod skm;
pub mod times;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Groups smaller than this are not described.
pub const MIN_GROUP: usize = 5;

/// What a hidden cell reads.
pub const HIDDEN: &str = "< 5";

/// The version of the JSON layout below; a reader refuses others.
pub const SCHEMA: u32 = 1;

/// One figure, or hidden because it would describe fewer than [`MIN_GROUP`] people.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawCell", into = "RawCell")]
pub enum Cell {
    Value(f64),
    Hidden,
}

impl Cell {
    /// A count of people (or of their requests): 0 is shown, 1 to 4 are hidden.
    pub fn count(n: usize) -> Cell {
        if n == 0 || n >= MIN_GROUP {
            Cell::Value(n as f64)
        } else {
            Cell::Hidden
        }
    }

    /// A statistic over a group of `n` people, rounded to `decimals`; hidden for a small
    /// group, absent (`None`) for an empty one.
    pub fn over(n: usize, value: f64, decimals: i32) -> Option<Cell> {
        match n {
            0 => None,
            n if n < MIN_GROUP => Some(Cell::Hidden),
            _ => Some(Cell::Value(round(value, decimals))),
        }
    }

    pub fn value(self) -> Option<f64> {
        match self {
            Cell::Value(v) => Some(v),
            Cell::Hidden => None,
        }
    }
}

/// `value` rounded half away from zero to `decimals`.
pub fn round(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (value * scale).round() / scale
}

/// A cell as JSON: a whole number, a number, or the text [`HIDDEN`].
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum RawCell {
    Whole(u64),
    Number(f64),
    Text(String),
}

impl From<Cell> for RawCell {
    fn from(cell: Cell) -> RawCell {
        match cell {
            Cell::Value(v) if v >= 0.0 && v.fract() == 0.0 && v < 9.0e15 => {
                RawCell::Whole(v as u64)
            }
            Cell::Value(v) => RawCell::Number(v),
            Cell::Hidden => RawCell::Text(HIDDEN.to_string()),
        }
    }
}

impl TryFrom<RawCell> for Cell {
    type Error = String;

    fn try_from(raw: RawCell) -> Result<Cell, String> {
        match raw {
            RawCell::Whole(n) => Ok(Cell::Value(n as f64)),
            RawCell::Number(v) => Ok(Cell::Value(v)),
            RawCell::Text(t) if t == HIDDEN => Ok(Cell::Hidden),
            RawCell::Text(t) => Err(format!("`{t}` is neither a number nor \"{HIDDEN}\"")),
        }
    }
}

/// The figures of one period (a file in `content/kinerja/`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// [`SCHEMA`].
    pub schema: u32,
    /// The first and last day of the period (ISO, WITA), both included.
    pub from: String,
    pub to: String,
    /// The day the figures were taken: open requests and lateness are as of then.
    pub as_of: String,
    /// The whole office.
    pub office: Figures,
    /// Each service, in the order the survey lists them, then any other service a form
    /// counts under.
    pub services: Vec<ServiceFigures>,
    /// The PPID's yearly-report figures (information requests and objections).
    pub ppid: Ppid,
}

/// One service's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceFigures {
    /// The service page's slug (`informasi-publik`, `paw`, ...).
    pub service: String,
    pub title: String,
    /// The standard's time limit in working days, when it sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard_days: Option<u32>,
    #[serde(flatten)]
    pub figures: Figures,
}

/// Requests and survey answers of one service, or of the office.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub requests: times::Requests,
    pub survey: skm::Survey,
}

/// The PPID's figures, in the order of its yearly report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ppid {
    /// Information requests received in the period.
    pub received: Cell,
    /// Answered by giving all that was asked.
    pub granted_full: Cell,
    /// Answered by giving part of it (the rest withheld under the exemption it names).
    pub granted_part: Cell,
    /// Refused, in all and by the article of the exemption the PPID named (`Pasal 17
    /// huruf h`; `lainnya` for any other basis).
    pub refused: Cell,
    pub refused_by_basis: BTreeMap<String, Cell>,
    /// The information is not held here: the applicant was told who holds it.
    pub forwarded: Cell,
    /// Still open as of the report's day.
    pub open: Cell,
    /// Working days from receipt to answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_median: Option<Cell>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_p90: Option<Cell>,
    /// Objections to the PPID's superior: received, and where they stand (answered,
    /// refused, forwarded, open).
    pub objections: Cell,
    pub objections_answered: Cell,
    pub objections_refused: Cell,
    pub objections_forwarded: Cell,
    pub objections_open: Cell,
}
