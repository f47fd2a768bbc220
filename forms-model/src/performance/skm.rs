//! The satisfaction survey's index (Survei Kepuasan Masyarakat, PermenPANRB 14/2017,
//! Lampiran): nine elements, each answered on a scale of 1 to 4; the mean of each element
//! (NRR), their weighted sum with a weight of 1/9 each (NRR tertimbang), the index on the
//! 25–100 scale (×25), and the quality grade A–D by the regulation's conversion intervals.
//!
//! The index is exact: it is 25 × (sum of all scores) / (9 × respondents), computed in
//! integers and rounded half up to two decimals, as the regulation's table is written; the
//! grade is read from that rounded index, so there is no gap between two intervals.

use serde::{Deserialize, Serialize};

use super::Cell;

/// The nine elements in the order the regulation lists them, each with the name of its
/// field in the `skm` form and its name. (The regulation's questionnaire asks about the
/// facilities eighth and complaint handling ninth; answers are read by field name.)
pub const ELEMENTS: [(&str, &str); 9] = [
    ("persyaratan", "Persyaratan"),
    ("prosedur", "Sistem, mekanisme, dan prosedur"),
    ("waktu", "Waktu penyelesaian"),
    ("biaya", "Biaya/tarif"),
    ("produk", "Produk spesifikasi jenis pelayanan"),
    ("kompetensi", "Kompetensi pelaksana"),
    ("perilaku", "Perilaku pelaksana"),
    ("pengaduan", "Penanganan pengaduan, saran, dan masukan"),
    ("sarana", "Sarana dan prasarana"),
];

/// One respondent's scores, in the order of [`ELEMENTS`] (each 1 to 4).
pub type Scores = [u8; 9];

/// The worked example of docs/kinerja.md, which the tests check: five respondents whose
/// element sums are 18, 16, 16, 20, 16, 18, 19, 15 and 17 (total 155), so the means are 3.6,
/// 3.2, 3.2, 4.0, 3.2, 3.6, 3.8, 3.0 and 3.4, the weighted mean 155/45 = 3.4444 and the
/// index 25 × 3.4444... = 86.11, grade B (76.61 to 88.30).
pub const WORKED_EXAMPLE: [Scores; 5] = [
    [4, 4, 3, 4, 3, 4, 4, 3, 3],
    [3, 3, 3, 4, 3, 3, 4, 3, 3],
    [4, 4, 4, 4, 4, 4, 4, 4, 4],
    [3, 2, 3, 4, 3, 3, 3, 2, 3],
    [4, 3, 3, 4, 3, 4, 4, 3, 4],
];

/// The quality of service (mutu pelayanan) the index falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Grade {
    A,
    B,
    C,
    D,
}

impl Grade {
    /// The grade of an index given in hundredths (8831 for 88.31): A from 88.31, B from
    /// 76.61, C from 65.00, D below.
    pub fn of_hundredths(index: u64) -> Grade {
        match index {
            8831.. => Grade::A,
            7661.. => Grade::B,
            6500.. => Grade::C,
            _ => Grade::D,
        }
    }

    /// The unit's performance (kinerja unit pelayanan) the regulation names for it.
    pub fn performance(self) -> &'static str {
        match self {
            Grade::A => "Sangat baik",
            Grade::B => "Baik",
            Grade::C => "Kurang baik",
            Grade::D => "Tidak baik",
        }
    }

    pub fn letter(self) -> &'static str {
        match self {
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
            Grade::D => "D",
        }
    }
}

/// The index of a set of answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Index {
    pub respondents: usize,
    /// Each element's mean (NRR per unsur).
    pub means: [f64; 9],
    /// The weighted mean of the nine (NRR tertimbang), 1 to 4.
    pub weighted: f64,
    /// The index on the 25–100 scale, in hundredths, rounded half up.
    pub hundredths: u64,
    pub grade: Grade,
}

impl Index {
    /// The index of `answers`; `None` when there are none. Scores outside 1–4 are a caller's
    /// error (the form accepts only those).
    pub fn of(answers: &[Scores]) -> Option<Index> {
        let n = answers.len() as u64;
        if n == 0 {
            return None;
        }
        let mut sums = [0u64; 9];
        for scores in answers {
            for (sum, score) in sums.iter_mut().zip(scores) {
                *sum += u64::from(*score);
            }
        }
        let total: u64 = sums.iter().sum();
        // 25 × total / (9n), in hundredths, rounded half up: (2 × 2500 × total + 9n) / (18n).
        let hundredths = (5000 * total + 9 * n) / (18 * n);
        Some(Index {
            respondents: answers.len(),
            means: sums.map(|s| s as f64 / n as f64),
            weighted: total as f64 / (9 * n) as f64,
            hundredths,
            grade: Grade::of_hundredths(hundredths),
        })
    }

    /// The index on the 25–100 scale.
    pub fn value(&self) -> f64 {
        self.hundredths as f64 / 100.0
    }
}

/// The survey's figures as published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Survey {
    pub respondents: Cell,
    /// Each element's mean, in the order of [`ELEMENTS`], two decimals; absent without
    /// respondents.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub elements: Vec<Cell>,
    /// NRR tertimbang, four decimals (the precision of the regulation's intervals).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weighted: Option<Cell>,
    /// The index, 25–100, two decimals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<Cell>,
    /// Absent without respondents or when they are fewer than five.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<Grade>,
}

impl Survey {
    /// The published figures of `answers`: all hidden for fewer than five respondents.
    pub fn of(answers: &[Scores]) -> Survey {
        let n = answers.len();
        let Some(index) = Index::of(answers) else {
            return Survey {
                respondents: Cell::count(0),
                elements: Vec::new(),
                weighted: None,
                index: None,
                grade: None,
            };
        };
        let cell = |value: f64, decimals| Cell::over(n, value, decimals);
        Survey {
            respondents: Cell::count(n),
            elements: index.means.iter().filter_map(|m| cell(*m, 2)).collect(),
            weighted: cell(index.weighted, 4),
            index: cell(index.value(), 2),
            grade: (n >= super::MIN_GROUP).then_some(index.grade),
        }
    }
}
