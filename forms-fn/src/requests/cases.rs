//! `forms-fn cases`: the open and overdue requests, for an operator, by desk, state and due
//! day; one line each, soonest deadline first, with nothing the citizen wrote.

use std::fmt::Write as _;

use forms_model::calendar::Day;

use super::{Request, State};

/// Which requests to list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub desk: Option<String>,
    pub state: Option<State>,
    /// Only those due on or before this day.
    pub due_before: Option<Day>,
    /// Only those open past their deadline.
    pub overdue: bool,
    /// Closed ones too (by default only open requests are listed).
    pub all: bool,
}

impl Filter {
    fn keeps(&self, request: &Request, today: Day) -> bool {
        (self.all || self.state.is_some() || request.state.is_open())
            && !request.archived
            && self.desk.as_ref().is_none_or(|d| *d == request.desk)
            && self.state.is_none_or(|s| s == request.state)
            && self
                .due_before
                .is_none_or(|day| request.due_day().is_some_and(|due| due <= day))
            && (!self.overdue || request.is_overdue(today))
    }
}

/// The requests `filter` keeps, soonest deadline first (those without one last).
pub fn select<'a>(requests: &'a [Request], filter: &Filter, today: Day) -> Vec<&'a Request> {
    let mut kept: Vec<&Request> = requests.iter().filter(|r| filter.keeps(r, today)).collect();
    kept.sort_by(|a, b| {
        (a.due.is_empty(), &a.due, &a.reference).cmp(&(b.due.is_empty(), &b.due, &b.reference))
    });
    kept
}

/// The listing: a header, one line per request, and how many of how many.
pub fn table(kept: &[&Request], total: usize, today: Day) -> String {
    let mut text = format!(
        "{:<14} {:<20} {:<14} {:<12} {:<10} {:<10}\n",
        "REFERENSI", "LAYANAN", "MEJA", "STATUS", "DITERIMA", "TENGGAT"
    );
    for r in kept {
        let _ = writeln!(
            text,
            "{:<14} {:<20} {:<14} {:<12} {:<10} {:<10}{}",
            r.reference,
            r.form_id,
            r.desk,
            r.state.name(),
            Day::of_secs(r.received_at).iso(),
            if r.due.is_empty() { "-" } else { &r.due },
            if r.is_overdue(today) {
                "  LEWAT TENGGAT"
            } else {
                ""
            },
        );
    }
    let _ = writeln!(text, "{} of {total} requests", kept.len());
    text
}
