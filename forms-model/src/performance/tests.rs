//! Figures checked against values worked out by hand.

use super::skm::{Grade, Index, Scores, Survey, WORKED_EXAMPLE as FIVE};
use super::times::{Case, Requests, median, percentile};
use super::{Cell, HIDDEN};
use crate::calendar::Day;
use crate::holidays::Holidays;

#[test]
fn five_answers_give_the_hand_computed_index_and_grade() {
    let index = Index::of(&FIVE).expect("answers");
    assert_eq!(index.means, [3.6, 3.2, 3.2, 4.0, 3.2, 3.6, 3.8, 3.0, 3.4]);
    assert_eq!(index.hundredths, 8611);
    assert_eq!(index.grade, Grade::B);
    let survey = Survey::of(&FIVE);
    assert_eq!(survey.respondents, Cell::Value(5.0));
    assert_eq!(survey.weighted, Some(Cell::Value(3.4444)));
    assert_eq!(survey.index, Some(Cell::Value(86.11)));
    assert_eq!(survey.elements[3], Cell::Value(4.0));
    assert_eq!(survey.grade, Some(Grade::B));
}

/// `n` respondents whose scores add up to `total` (each score 1 to 4).
fn answers_totalling(n: usize, total: u64) -> Vec<Scores> {
    assert!((9 * n as u64..=36 * n as u64).contains(&total));
    let mut left = total - 9 * n as u64;
    (0..n)
        .map(|_| {
            let mut scores = [1u8; 9];
            for score in &mut scores {
                let add = left.min(3);
                *score += add as u8;
                left -= add;
            }
            scores
        })
        .collect()
}

#[test]
fn the_grades_change_exactly_at_the_regulations_boundaries() {
    // 100 respondents: the index is total / 36, rounded to two decimals.
    for (total, hundredths, grade) in [
        (3600, 10000, Grade::A), // everything 4
        (3179, 8831, Grade::A),  // 88.3056: the lowest A
        (3178, 8828, Grade::B),  // 88.2778
        (2758, 7661, Grade::B),  // 76.6111: the lowest B
        (2757, 7658, Grade::C),  // 76.5833
        (2340, 6500, Grade::C),  // 65.0000: the lowest C
        (2339, 6497, Grade::D),  // 64.9722
        (900, 2500, Grade::D),   // everything 1
    ] {
        let index = Index::of(&answers_totalling(100, total)).expect("answers");
        assert_eq!(
            (index.hundredths, index.grade),
            (hundredths, grade),
            "total {total}"
        );
    }
    assert_eq!(Grade::of_hundredths(8830), Grade::B);
    assert_eq!(Grade::of_hundredths(7660), Grade::C);
    assert_eq!(Grade::of_hundredths(6499), Grade::D);
}

#[test]
fn a_half_hundredth_rounds_up() {
    // 8 respondents, total 81: 25 × 81 / 72 = 28.125, so 28.13.
    let index = Index::of(&answers_totalling(8, 81)).expect("answers");
    assert_eq!(index.hundredths, 2813);
}

#[test]
fn fewer_than_five_people_are_never_described() {
    let four = Survey::of(&FIVE[..4]);
    assert_eq!(four.respondents, Cell::Hidden);
    assert!(four.elements.iter().all(|c| *c == Cell::Hidden));
    assert_eq!(four.index, Some(Cell::Hidden));
    assert_eq!(four.grade, None);
    let none = Survey::of(&[]);
    assert_eq!(none.respondents, Cell::Value(0.0));
    assert!(none.elements.is_empty() && none.index.is_none());
    assert_eq!(Cell::count(0), Cell::Value(0.0));
    assert_eq!(Cell::count(4), Cell::Hidden);
    assert_eq!(Cell::count(5), Cell::Value(5.0));
    assert_eq!(Cell::over(3, 2.5, 1), Some(Cell::Hidden));
    assert_eq!(Cell::over(0, 2.5, 1), None);
}

#[test]
fn cells_read_as_numbers_or_the_hidden_mark_in_json() {
    let cells = [Cell::Value(12.0), Cell::Value(0.8), Cell::Hidden];
    let json = serde_json::to_string(&cells).expect("serialises");
    assert_eq!(json, format!("[12,0.8,\"{HIDDEN}\"]"));
    let back: Vec<Cell> = serde_json::from_str(&json).expect("reads back");
    assert_eq!(back, cells);
    assert!(serde_json::from_str::<Cell>("\"banyak\"").is_err());
}

const HOLIDAYS: &str = "2026:\n  sumber: SKB\n  hari:\n    - {tanggal: 2026-02-16, nama: Cuti bersama Imlek}\n    - {tanggal: 2026-02-17, nama: Tahun Baru Imlek}\n";

fn day(text: &str) -> Day {
    Day::parse(text).expect("a day")
}

fn case(state: &str, due: Option<&str>, closed: Option<&str>) -> Case {
    Case {
        service: "informasi-publik".into(),
        received: day("2026-02-12"),
        due: due.map(day),
        state: state.into(),
        closed: closed.map(day),
    }
}

#[test]
fn answer_times_count_working_days_and_lateness_by_the_deadline() {
    let holidays = Holidays::parse(HOLIDAYS).expect("valid");
    // Received Thursday 12 February, due 2 March (10 working days past the Imlek leave).
    let due = Some("2026-03-02");
    let cases = [
        case("selesai", due, Some("2026-02-13")), // 1 working day
        case("selesai", due, Some("2026-02-18")), // 2: the 16th and 17th are holidays
        case("selesai", due, Some("2026-03-02")), // 10: on the deadline
        case("ditolak", due, Some("2026-03-03")), // 11: late
        case("selesai", due, Some("2026-02-20")), // 4
        case("diproses", due, None),              // open past its deadline
        case("diterima", None, None),             // no time limit set
    ];
    let refs: Vec<&Case> = cases.iter().collect();
    let figures = Requests::of(&refs, &holidays, day("2026-03-10"));
    assert_eq!(figures.received, Cell::Value(7.0));
    assert_eq!(figures.answered, Cell::Value(5.0));
    // Four of five on time: 0.8; days 1, 2, 4, 10, 11: median 4, 90th percentile 11.
    assert_eq!(figures.on_time_share, Some(Cell::Value(0.8)));
    assert_eq!(figures.days_median, Some(Cell::Value(4.0)));
    assert_eq!(figures.days_p90, Some(Cell::Value(11.0)));
    // Counts under five are hidden, zeros shown.
    assert_eq!(figures.on_time, Cell::Hidden);
    assert_eq!(figures.open_past_deadline, Cell::Hidden);
    assert_eq!(figures.by_state["selesai"], Cell::Hidden);
    assert_eq!(figures.by_state["dialihkan"], Cell::Value(0.0));
    // Fewer than five answered: no time statistics.
    let few = Requests::of(&refs[..3], &holidays, day("2026-03-10"));
    assert_eq!(few.days_median, Some(Cell::Hidden));
    assert_eq!(few.on_time_share, Some(Cell::Hidden));
}

#[test]
fn medians_and_percentiles_follow_their_definitions() {
    assert_eq!(median(&[1, 2, 3, 4]), Some(2.5));
    assert_eq!(median(&[7]), Some(7.0));
    assert_eq!(median(&[]), None);
    let ten: Vec<u32> = (1..=10).collect();
    assert_eq!(percentile(&ten, 90), Some(9.0));
    assert_eq!(percentile(&ten, 50), Some(5.0));
    assert_eq!(percentile(&[3], 90), Some(3.0));
}
