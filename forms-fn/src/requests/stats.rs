//! `forms-fn stats`: the office's figures for a period, from the request store. Requests
//! count in the period they were received in; ratings in the period they were given in.
//! Nothing personal and no free text leaves here: a refusal's legal basis is reduced to the
//! article it names.

use std::collections::BTreeMap;

use forms_model::calendar::Day;
use forms_model::performance::skm::{Scores, Survey};
use forms_model::performance::times::{Case, Requests, median, percentile};
use forms_model::performance::{Cell, Figures, Ppid, Report, SCHEMA, ServiceFigures};
use forms_model::schema::Form;

use super::ratings::Rating;
use super::store::{Store, StoreError};
use super::{Request, State};
use crate::app::App;

/// The figures of the requests received, and the ratings given, from `from` to `to`.
pub fn report(app: &App, store: &Store, from: Day, to: Day) -> Result<Report, StoreError> {
    let as_of = app.clock.today();
    let in_period = |day: Day| from <= day && day <= to;
    let requests: Vec<(&Form, Request)> = store
        .all()?
        .into_iter()
        .filter(|r| !r.archived && in_period(Day::of_secs(r.received_at)))
        .filter_map(|r| Some((app.forms.get(&r.form_id)?, r)))
        .collect();
    let cases: Vec<Case> = requests.iter().map(|(f, r)| case(f, r)).collect();
    let ratings: Vec<Rating> = store
        .ratings()?
        .into_iter()
        .filter(|r| Day::parse(&r.day).is_some_and(in_period))
        .collect();

    let figures = |service: Option<&str>| {
        let cases: Vec<&Case> = cases
            .iter()
            .filter(|c| service.is_none_or(|s| c.service == s))
            .collect();
        let scores: Vec<Scores> = ratings
            .iter()
            .filter(|r| service.is_none_or(|s| r.service == s))
            .map(|r| r.scores)
            .collect();
        Figures {
            requests: Requests::of(&cases, &app.holidays, as_of),
            survey: Survey::of(&scores),
        }
    };
    let services = services(app)
        .into_iter()
        .map(|(service, title)| ServiceFigures {
            // The standard of the service's own form (`informasi-publik`), else of the
            // first form that counts under it (`tanggapan-paw` for `paw`).
            standard_days: app
                .forms
                .get(&service)
                .or_else(|| app.forms.values().find(|f| f.service() == service))
                .and_then(|f| f.deadline_days.days()),
            figures: figures(Some(&service)),
            service,
            title,
        })
        .collect();
    Ok(Report {
        schema: SCHEMA,
        from: from.iso(),
        to: to.iso(),
        as_of: as_of.iso(),
        office: figures(None),
        services,
        ppid: ppid(app, &requests),
    })
}

/// What the figures need of a request.
fn case(form: &Form, request: &Request) -> Case {
    Case {
        service: form.service().to_string(),
        received: Day::of_secs(request.received_at),
        due: request.due_day(),
        state: request.state.name().to_string(),
        closed: closed_on(request),
    }
}

/// The day of the step that closed `request`, if it is closed.
fn closed_on(request: &Request) -> Option<Day> {
    if request.state.is_open() {
        return None;
    }
    request
        .history
        .iter()
        .rev()
        .find(|e| e.state == request.state)
        .map(|e| Day::of_secs(e.at))
}

/// The services in the survey's order, with its words for them; then any other service a
/// form belongs to, under the form's title.
fn services(app: &App) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = app
        .forms
        .values()
        .find_map(|f| {
            let field = f.field(&f.survey.as_ref()?.service_field)?;
            Some(
                field
                    .options
                    .iter()
                    .map(|o| (o.value.clone(), o.label.clone()))
                    .collect(),
            )
        })
        .unwrap_or_default();
    for form in app.forms.values().filter(|f| f.survey.is_none()) {
        if !list.iter().any(|(s, _)| s == form.service()) {
            list.push((form.service().to_string(), form.title.clone()));
        }
    }
    list
}

/// The article a legal basis names (`Pasal 17 huruf h`), or `lainnya`.
pub fn article(basis: &str) -> String {
    let lower = basis.to_lowercase();
    let Some(at) = lower.find("pasal") else {
        return "lainnya".to_string();
    };
    let words: Vec<&str> = lower[at..].split_whitespace().collect();
    let number = words
        .get(1)
        .map(|w| w.trim_matches(|c: char| !c.is_ascii_alphanumeric()));
    let letter = match (words.get(2), words.get(3)) {
        (Some(&"huruf"), Some(l)) => Some(l.trim_matches(|c: char| !c.is_ascii_alphanumeric())),
        _ => None,
    };
    match (number, letter) {
        (Some(n), Some(l)) if !n.is_empty() && l.len() == 1 => format!("Pasal {n} huruf {l}"),
        (Some(n), _) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => {
            format!("Pasal {n}")
        }
        _ => "lainnya".to_string(),
    }
}

/// The PPID's figures: information requests (forms whose refusals name an exemption) and
/// objections (the other forms of the information service).
fn ppid(app: &App, requests: &[(&Form, Request)]) -> Ppid {
    let information: Vec<&Request> = requests
        .iter()
        .filter(|(f, _)| f.refusal_basis)
        .map(|(_, r)| r)
        .collect();
    let objections: Vec<&Request> = requests
        .iter()
        .filter(|(f, _)| !f.refusal_basis && f.service() == "informasi-publik")
        .map(|(_, r)| r)
        .collect();
    let count = |list: &[&Request], keep: &dyn Fn(&Request) -> bool| {
        Cell::count(list.iter().filter(|r| keep(r)).count())
    };
    let basis = |r: &Request| {
        r.history
            .iter()
            .rev()
            .find(|e| e.state == r.state)
            .and_then(|e| e.basis.clone())
    };
    let mut by_basis: BTreeMap<String, usize> = BTreeMap::new();
    for r in information.iter().filter(|r| r.state == State::Ditolak) {
        *by_basis
            .entry(basis(r).map_or_else(|| "lainnya".to_string(), |b| article(&b)))
            .or_default() += 1;
    }
    let mut days: Vec<u32> = information
        .iter()
        .filter_map(|r| {
            closed_on(r).map(|d| {
                app.holidays
                    .working_days_between(Day::of_secs(r.received_at), d)
            })
        })
        .collect();
    days.sort_unstable();
    Ppid {
        received: Cell::count(information.len()),
        granted_full: count(&information, &|r| {
            r.state == State::Selesai && basis(r).is_none()
        }),
        granted_part: count(&information, &|r| {
            r.state == State::Selesai && basis(r).is_some()
        }),
        refused: count(&information, &|r| r.state == State::Ditolak),
        refused_by_basis: by_basis
            .into_iter()
            .map(|(k, n)| (k, Cell::count(n)))
            .collect(),
        forwarded: count(&information, &|r| r.state == State::Dialihkan),
        open: count(&information, &|r| r.state.is_open()),
        days_median: median(&days).and_then(|m| Cell::over(days.len(), m, 1)),
        days_p90: percentile(&days, 90).and_then(|p| Cell::over(days.len(), p, 0)),
        objections: Cell::count(objections.len()),
        objections_answered: count(&objections, &|r| r.state == State::Selesai),
        objections_refused: count(&objections, &|r| r.state == State::Ditolak),
        objections_forwarded: count(&objections, &|r| r.state == State::Dialihkan),
        objections_open: count(&objections, &|r| r.state.is_open()),
    }
}
