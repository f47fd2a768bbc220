//! The daily round, each working morning: a reminder to the desk two working days before a
//! deadline, an escalation to the desk's head on the deadline, and to every desk with open
//! requests a digest of them sorted by deadline; and, where a retention period is set, the
//! archiving of requests whose submissions have been deleted. Run by `forms-fn daily` (a timer locally, an
//! EventBridge schedule on AWS); running it twice on one day sends nothing twice.

use std::collections::BTreeMap;

use forms_model::calendar::Day;

use super::store::{ChangeError, Store, StoreError};
use super::{Refused, Request, mail};
use crate::app::App;

/// What a round did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Round {
    pub reminders: usize,
    pub escalations: usize,
    pub digests: usize,
    /// Mail that could not be sent (logged; the next round tries again).
    pub failed: usize,
    /// Requests archived because their submissions are gone (see [`super::retention`]).
    pub archived: usize,
}

/// Which mail a request is due for today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Due {
    Reminder,
    Escalation,
}

fn due_for(request: &Request, today: Day, app: &App) -> Option<Due> {
    let due = request.due_day().filter(|_| request.state.is_open())?;
    if today >= due && !request.escalated {
        Some(Due::Escalation)
    } else if app.holidays.plus_working_days(today, 2) >= due && !request.reminded {
        Some(Due::Reminder)
    } else {
        None
    }
}

/// Runs the round for the app's today.
pub fn run(app: &App, store: &Store) -> Result<Round, StoreError> {
    let today = app.clock.today();
    let now = app.clock.now_secs();
    let mut round = Round::default();
    if let Some(days) = app.retention_days {
        let cutoff = now.saturating_sub(u64::from(days) * 86_400);
        round.archived = super::retention::archive_purged(store, &app.outbox, cutoff)?;
    }
    if !app.holidays.is_working_day(today) {
        return Ok(round);
    }
    for request in store.all()? {
        let Some(form) = app.forms.get(&request.form_id) else {
            continue;
        };
        let Some(kind) = due_for(&request, today, app) else {
            continue;
        };
        // Claimed in the store first, so two rounds at once send it once.
        let claimed = store.change(&request.reference, |r| {
            if due_for(r, today, app) != Some(kind) {
                return Err(Refused::Used);
            }
            r.reminded = true;
            r.escalated |= kind == Due::Escalation;
            Ok(())
        });
        let request = match claimed {
            Ok(((), request)) => request,
            Err(ChangeError::Store(e)) => return Err(e),
            Err(_) => continue,
        };
        let desk = app.desks.get(&request.desk).map(String::as_str);
        let message = match kind {
            Due::Reminder => desk.map(|to| mail::reminder(app, form, &request, to, now)),
            Due::Escalation => app
                .heads
                .get(&request.desk)
                .map(String::as_str)
                .or(app.admin.as_ref().map(|a| a.email.as_ref()))
                .map(|head| mail::escalation(app, form, &request, head, desk, now)),
        };
        match message.map(|m| m.map(|m| app.mailer.send(&m))) {
            Some(Ok(Ok(()))) => match kind {
                Due::Reminder => round.reminders += 1,
                Due::Escalation => round.escalations += 1,
            },
            _ => {
                tracing::warn!(reference = %request.reference, kind = ?kind, "daily mail not sent");
                round.failed += 1;
                // Unclaimed, so tomorrow's round tries again.
                let _ = store.change(&request.reference, |r| {
                    match kind {
                        Due::Reminder => r.reminded = false,
                        Due::Escalation => r.escalated = false,
                    }
                    Ok(())
                });
            }
        }
    }
    digests(app, store, today, now, &mut round)?;
    Ok(round)
}

fn digests(
    app: &App,
    store: &Store,
    today: Day,
    now: u64,
    round: &mut Round,
) -> Result<(), StoreError> {
    let requests = store.all()?;
    let mut by_desk: BTreeMap<&str, Vec<_>> = BTreeMap::new();
    for request in requests.iter().filter(|r| r.state.is_open() && !r.archived) {
        if let Some(form) = app.forms.get(&request.form_id) {
            by_desk
                .entry(request.desk.as_str())
                .or_default()
                .push((form, request));
        }
    }
    for (desk, mut open) in by_desk {
        let Some(to) = app.desks.get(desk) else {
            continue;
        };
        if !store.mark_once(&format!("digest:{desk}:{}", today.iso()))? {
            continue;
        }
        open.sort_by(|a, b| {
            (a.1.due.is_empty(), &a.1.due, &a.1.reference).cmp(&(
                b.1.due.is_empty(),
                &b.1.due,
                &b.1.reference,
            ))
        });
        match mail::digest(app, to, desk, &open, today, now).map(|m| app.mailer.send(&m)) {
            Ok(Ok(())) => round.digests += 1,
            _ => {
                tracing::warn!(desk, "digest not sent");
                round.failed += 1;
            }
        }
    }
    Ok(())
}
