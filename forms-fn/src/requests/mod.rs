//! Tracked requests: every recorded submission becomes a request that moves from receipt to
//! its answer, `diterima` → `diproses` → `selesai`, or `ditolak` (with the reason) or
//! `dialihkan` (forwarded to the institution that handles it), with `diperpanjang` for the one
//! extension the law allows. Each transition keeps when, which desk, and the note addressed to
//! the citizen; the deadline is counted in working days (WITA) and moves with an extension.
//!
//! The record holds nothing the citizen wrote: the submission stays in the outbox. Besides
//! the state it keeps the citizen's email (to mail them the desk's notes) and keyed hashes of
//! the contacts they gave, which the status page compares with what is typed there.

pub mod cases;
pub mod daily;
pub mod mail;
pub mod ratings;
pub mod retention;
pub mod stats;
pub mod store;
pub mod tokens;

use serde::{Deserialize, Serialize};

use forms_model::calendar::Day;
use forms_model::holidays::Holidays;
use forms_model::schema::Form;

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Diterima,
    Diproses,
    Diperpanjang,
    Selesai,
    Ditolak,
    Dialihkan,
}

impl State {
    pub const ALL: [State; 6] = [
        State::Diterima,
        State::Diproses,
        State::Diperpanjang,
        State::Selesai,
        State::Ditolak,
        State::Dialihkan,
    ];

    /// The name the record, the links and the status page use.
    pub fn name(self) -> &'static str {
        match self {
            State::Diterima => "diterima",
            State::Diproses => "diproses",
            State::Diperpanjang => "diperpanjang",
            State::Selesai => "selesai",
            State::Ditolak => "ditolak",
            State::Dialihkan => "dialihkan",
        }
    }

    pub fn parse(name: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.name() == name)
    }

    /// Whether the request still waits for its answer.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            State::Diterima | State::Diproses | State::Diperpanjang
        )
    }
}

/// What a desk can do with a request, each from a link in its mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Proses,
    Perpanjang,
    Selesai,
    Tolak,
    Alihkan,
}

impl Action {
    pub const ALL: [Action; 5] = [
        Action::Proses,
        Action::Perpanjang,
        Action::Selesai,
        Action::Tolak,
        Action::Alihkan,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Action::Proses => "proses",
            Action::Perpanjang => "perpanjang",
            Action::Selesai => "selesai",
            Action::Tolak => "tolak",
            Action::Alihkan => "alihkan",
        }
    }

    pub fn parse(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The state the action leads to.
    pub fn target(self) -> State {
        match self {
            Action::Proses => State::Diproses,
            Action::Perpanjang => State::Diperpanjang,
            Action::Selesai => State::Selesai,
            Action::Tolak => State::Ditolak,
            Action::Alihkan => State::Dialihkan,
        }
    }

    /// Whether the desk must write to the citizen (the reason, the answer, where it went).
    pub fn needs_note(self) -> bool {
        self != Action::Proses
    }

    /// The actions the desk's mail offers for a request of `form` in `state`.
    pub fn offered(form: &Form, request: &Request) -> Vec<Action> {
        Action::ALL
            .into_iter()
            .filter(|a| request.check(form, *a, None).is_ok())
            .collect()
    }
}

/// One step in a request's life, as the citizen and the record see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Seconds since 1970.
    pub at: u64,
    pub state: State,
    /// The desk's key (empty for the receipt).
    #[serde(default)]
    pub desk: String,
    /// What the desk wrote to the citizen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// A refusal's legal basis (information requests: the exemption's article).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    /// The link this step came from (its signature's first characters): a link acts once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Whether the note was mailed to the citizen.
    #[serde(default)]
    pub mailed: bool,
}

/// A request as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub reference: String,
    pub form_id: String,
    /// The desk's key (as routed).
    pub desk: String,
    pub state: State,
    /// Seconds since 1970.
    pub received_at: u64,
    /// The day (ISO) the answer is due; empty while the standard sets no time limit.
    pub due: String,
    /// Whether the deadline was extended (an extension is allowed once).
    #[serde(default)]
    pub extended: bool,
    /// For the desk's notes; absent when the citizen gave none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citizen_email: Option<String>,
    /// Keyed hashes of the email and phone given ([`tokens::Keys::contact`]).
    #[serde(default)]
    pub contacts: Vec<String>,
    /// The page language of the submission (`id` or `en`), for the citizen's mail.
    #[serde(default)]
    pub lang: String,
    pub history: Vec<Event>,
    /// Whether the desk got its reminder, and the head its escalation, for the current due day.
    #[serde(default)]
    pub reminded: bool,
    #[serde(default)]
    pub escalated: bool,
    /// Set when the submission was purged: only the reference and the contacts remain.
    #[serde(default)]
    pub archived: bool,
    /// Bumped by every change; a write succeeds only over the version it read.
    #[serde(default)]
    pub version: u64,
}

/// Why a desk's step is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("the request is {0:?}: this step is not possible from there")]
    State(State),
    #[error("this service's deadline cannot be extended")]
    NoExtension,
    #[error("the deadline was extended once already")]
    ExtendedBefore,
    #[error("the first deadline has passed: an extension must be announced before it ends")]
    TooLate,
    #[error("this step needs a note to the citizen")]
    NoteMissing,
    #[error("a refusal of this service names its legal basis")]
    BasisMissing,
    #[error("this link was used already")]
    Used,
    #[error("the record was archived")]
    Archived,
}

/// What a desk submits with a step.
#[derive(Debug, Clone, Default)]
pub struct Step {
    pub note: Option<String>,
    pub basis: Option<String>,
    /// The link's identifier, so it acts once.
    pub link: Option<String>,
}

impl Request {
    /// The request a recorded submission starts.
    pub fn received(
        reference: &str,
        form: &Form,
        desk: &str,
        received_at: u64,
        due: &str,
    ) -> Request {
        Request {
            reference: reference.to_string(),
            form_id: form.id.clone(),
            desk: desk.to_string(),
            state: State::Diterima,
            received_at,
            due: due.to_string(),
            extended: false,
            citizen_email: None,
            contacts: Vec::new(),
            lang: String::new(),
            history: vec![Event {
                at: received_at,
                state: State::Diterima,
                desk: String::new(),
                note: None,
                basis: None,
                link: None,
                mailed: false,
            }],
            reminded: false,
            escalated: false,
            archived: false,
            version: 0,
        }
    }

    pub fn due_day(&self) -> Option<Day> {
        Day::parse(&self.due)
    }

    /// Whether `action` is possible now (`step` absent: whether it could be, given a note).
    pub fn check(&self, form: &Form, action: Action, step: Option<&Step>) -> Result<(), Refused> {
        if self.archived {
            return Err(Refused::Archived);
        }
        let from_ok = match action {
            Action::Proses => self.state == State::Diterima,
            Action::Perpanjang => matches!(self.state, State::Diterima | State::Diproses),
            Action::Selesai | Action::Tolak | Action::Alihkan => self.state.is_open(),
        };
        // An extension of an open request says why it cannot be, before the state does.
        if action == Action::Perpanjang && self.state.is_open() {
            if form.extension_days.is_none() || self.due.is_empty() {
                return Err(Refused::NoExtension);
            }
            if self.extended {
                return Err(Refused::ExtendedBefore);
            }
        }
        if !from_ok {
            return Err(Refused::State(self.state));
        }
        let Some(step) = step else { return Ok(()) };
        if step
            .link
            .as_ref()
            .is_some_and(|l| self.history.iter().any(|e| e.link.as_ref() == Some(l)))
        {
            return Err(Refused::Used);
        }
        let filled = |v: &Option<String>| v.as_deref().is_some_and(|t| !t.trim().is_empty());
        if action.needs_note() && !filled(&step.note) {
            return Err(Refused::NoteMissing);
        }
        if action == Action::Tolak && form.refusal_basis && !filled(&step.basis) {
            return Err(Refused::BasisMissing);
        }
        Ok(())
    }

    /// Applies a desk's step at `now` (seconds), `today` being its day in WITA: the state,
    /// the history, and for an extension the new deadline.
    pub fn apply(
        &mut self,
        form: &Form,
        action: Action,
        step: Step,
        desk: &str,
        now: u64,
        holidays: &Holidays,
    ) -> Result<(), Refused> {
        self.check(form, action, Some(&step))?;
        if action == Action::Perpanjang {
            let today = Day::of_secs(now);
            let due = self.due_day().ok_or(Refused::NoExtension)?;
            if today > due {
                return Err(Refused::TooLate);
            }
            let days = form.extension_days.ok_or(Refused::NoExtension)?;
            self.due = holidays.plus_working_days(due, days).iso();
            self.extended = true;
            self.reminded = false;
            self.escalated = false;
        }
        let clean = |v: Option<String>| v.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
        self.state = action.target();
        self.history.push(Event {
            at: now,
            state: self.state,
            desk: desk.to_string(),
            note: clean(step.note),
            basis: clean(step.basis),
            link: step.link,
            mailed: false,
        });
        Ok(())
    }

    /// Working days from receipt to the answer (the last closing step), when answered.
    pub fn days_to_answer(&self, holidays: &Holidays) -> Option<u32> {
        if self.state.is_open() {
            return None;
        }
        let end = Day::of_secs(self.history.last()?.at);
        let mut day = Day::of_secs(self.received_at);
        let mut n = 0;
        while day < end {
            day = day.plus_days(1);
            if holidays.is_working_day(day) {
                n += 1;
            }
        }
        Some(n)
    }

    /// Whether the request is open past its deadline on `today`.
    pub fn is_overdue(&self, today: Day) -> bool {
        self.state.is_open() && self.due_day().is_some_and(|due| today > due)
    }

    /// The record left after the submission is purged: the reference, the contacts to check a
    /// lookup against, and nothing else.
    pub fn archive(&mut self) {
        self.archived = true;
        self.citizen_email = None;
        self.history.clear();
        self.desk.clear();
        self.due.clear();
    }
}

#[cfg(test)]
mod tests;
