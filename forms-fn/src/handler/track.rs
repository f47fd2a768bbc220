//! After the receipt: the request a recorded submission starts, the citizen's status page
//! (`{endpoint}/status`: the reference and the email or phone given, by POST) and the desk's
//! links (`{endpoint}/tautan/{link}`: a GET shows what the link would do and asks to confirm;
//! only the confirming POST changes anything, so a mail scanner that follows links does not).

use http::{Method, Request as HttpRequest, StatusCode};
use serde_json::json;
use tera::Context;

use forms_model::calendar::Day;
use forms_model::lang::Lang;
use forms_model::schema::{FieldType, Form};
use forms_model::submission::Submission;

use super::headers::{Reply, json_reply};
use super::pages::{self, Answering};
use super::refusal::Refusal;
use super::{Admitted, parse, record};
use crate::app::App;
use crate::outbox::Record;
use crate::requests::store::ChangeError;
use crate::requests::tokens::{Link, LinkError};
use crate::requests::{Action, Refused, Request, State, Step, mail};

/// What a path under the endpoint asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A form post, `{endpoint}/{id}`.
    Form,
    /// The status page, `{endpoint}/status`.
    Status,
    /// A desk's link, `{endpoint}/tautan/{link}`.
    Link(String),
    /// A closing mail's survey link, `{endpoint}/survei/{link}`.
    Survey(String),
}

impl Target {
    pub fn of_path(path: &str) -> Target {
        let mut segments = path.trim_end_matches('/').rsplit('/');
        let last = segments.next().unwrap_or_default();
        match (segments.next(), last) {
            (Some("tautan"), link) => Target::Link(link.to_string()),
            (Some("survei"), link) => Target::Survey(link.to_string()),
            (_, "status") => Target::Status,
            _ => Target::Form,
        }
    }

    /// The name the source's rate limit counts under.
    pub fn counter(&self) -> &'static str {
        match self {
            Target::Form => "form",
            Target::Status => "status",
            Target::Link(_) => "tautan",
            Target::Survey(_) => "survei",
        }
    }
}

/// Starts tracking a recorded submission. The record is already safe in the outbox, so a
/// store that fails is logged (the operator re-creates the request from the record) rather
/// than turned into a refusal.
pub fn start(app: &App, form: &Form, record: &Record, submission: &Submission) {
    let Some(store) = &app.requests else { return };
    let mut request = Request::received(
        &record.reference,
        form,
        record::desk_key(form, submission),
        record.received_at,
        &record.answer_by,
    );
    request.citizen_email = record.citizen_email.clone();
    request.lang = submission.lang().code().to_string();
    request.contacts = form
        .fields
        .iter()
        .filter(|f| matches!(f.kind, FieldType::Email | FieldType::Phone))
        .filter_map(|f| submission.value(&f.name))
        .filter_map(|v| app.keys.contact(v))
        .collect();
    if let Err(err) = store.create(&request) {
        tracing::error!(reference = %record.reference, error = %err, outcome = "not_tracked", "request not tracked");
    }
}

/// The status page's address with the reference filled in, when requests are tracked.
pub fn status_url(app: &App, reference: &str, lang: Lang) -> Option<String> {
    app.requests
        .as_ref()
        .map(|_| format!("{}?nomor={reference}", app.endpoint_url("status", lang)))
}

/// The checks of a status or link request's head: GET or POST; a POST from an allowed
/// origin, as a form; the source's rate.
pub fn head<B>(
    app: &App,
    request: &HttpRequest<B>,
    admitted: &Admitted,
) -> Result<Option<usize>, Refusal> {
    let method = request.method();
    if method != Method::GET && method != Method::POST {
        return Err(Refusal::not_post());
    }
    let limit = match admitted.target {
        Target::Link(_) | Target::Survey(_) => app.guard.limits.links_per_source,
        _ => app.guard.limits.lookups_per_source,
    };
    app.guard
        .admit_counted(&admitted.source, admitted.target.counter(), limit)
        .map_err(Refusal::too_many)?;
    if method == Method::POST {
        return super::check_post(app, request);
    }
    Ok(None)
}

/// Answers a status or link request.
pub fn answer(app: &App, admitted: &Admitted, request: &HttpRequest<Vec<u8>>) -> Reply {
    let lang = admitted.page_lang;
    let how = admitted.answering(lang);
    let fields = if request.method() == Method::POST {
        match parse(app, request) {
            Ok(s) => Some(s),
            Err(refusal) => return pages::refused(app, how, &refusal, None),
        }
    } else {
        None
    };
    match &admitted.target {
        Target::Status => status(app, how, request, fields.as_ref()),
        Target::Link(token) => link(app, how, token, fields.as_ref()),
        Target::Survey(token) => super::survey::page(app, how, token),
        Target::Form => pages::refused(app, how, &Refusal::not_found(), None),
    }
}

/// A status lookup's result, as the page and the JSON show it.
enum Lookup {
    /// Nothing asked yet (a GET), with the reference from the link.
    Blank(String),
    Found(Request),
    Archived(String),
    /// Unknown reference or wrong contact: one answer for both.
    NotFound(String),
}

fn status(
    app: &App,
    how: Answering,
    request: &HttpRequest<Vec<u8>>,
    fields: Option<&Submission>,
) -> Reply {
    let lookup = match fields {
        None => Lookup::Blank(
            query_value(request, "nomor")
                .filter(|n| crate::reference::is_valid(n))
                .unwrap_or_default(),
        ),
        Some(fields) => {
            let nomor = fields
                .value("nomor")
                .unwrap_or_default()
                .trim()
                .to_uppercase();
            let kontak = fields.value("kontak").unwrap_or_default();
            if let Err(wait) = app.guard.admit_reference(&nomor) {
                return pages::refused(app, how, &Refusal::too_many(wait), None);
            }
            match find(app, &nomor, kontak) {
                Ok(lookup) => lookup,
                Err(refusal) => return pages::refused(app, how, &refusal, None),
            }
        }
    };
    let words = &app.theme.words;
    if how.json {
        return match &lookup {
            Lookup::Found(r) => json_reply(StatusCode::OK, status_json(app, r, how.lang)),
            Lookup::Archived(reference) => json_reply(
                StatusCode::OK,
                json!({"reference": reference, "archived": true,
                       "message": words.text(how.lang, "fn_status_archived")}),
            ),
            Lookup::NotFound(_) | Lookup::Blank(_) => json_reply(
                StatusCode::NOT_FOUND,
                json!({"error": words.text(how.lang, "fn_status_not_found")}),
            ),
        };
    }
    let mut context = Context::new();
    let (status, nomor) = match &lookup {
        Lookup::Blank(n) => (StatusCode::OK, n.clone()),
        Lookup::Found(r) => {
            context.insert("result", &status_json(app, r, how.lang));
            (StatusCode::OK, r.reference.clone())
        }
        Lookup::Archived(n) => {
            context.insert("archived", &true);
            (StatusCode::OK, n.clone())
        }
        Lookup::NotFound(n) => {
            context.insert("not_found", &true);
            (StatusCode::NOT_FOUND, n.clone())
        }
    };
    context.insert("nomor", &nomor);
    context.insert("action", &app.endpoint_url("status", how.lang));
    pages::page(app, status, "status", how.lang, context)
}

/// Looks a reference up and checks the contact given against the request's.
fn find(app: &App, nomor: &str, kontak: &str) -> Result<Lookup, Refusal> {
    let Some(store) = &app.requests else {
        return Ok(Lookup::NotFound(nomor.to_string()));
    };
    let found = store.get(nomor).map_err(|err| {
        tracing::error!(error = %err, "status lookup failed");
        Refusal::not_recorded()
    })?;
    let contact = app.keys.contact(kontak);
    Ok(match found {
        Some(r) if contact.is_some_and(|c| r.contacts.contains(&c)) => {
            if r.archived {
                Lookup::Archived(r.reference)
            } else {
                Lookup::Found(r)
            }
        }
        _ => {
            tracing::info!(
                outcome = "status_not_found",
                "status lookup without a match"
            );
            Lookup::NotFound(nomor.to_string())
        }
    })
}

/// What the citizen sees of a request: the service, state, dates, deadline and the notes
/// addressed to them; nothing they submitted.
fn status_json(app: &App, request: &Request, lang: Lang) -> serde_json::Value {
    let words = &app.theme.words;
    let state = |s: State| {
        words
            .text(lang, &format!("fn_state_{}", s.name()))
            .to_string()
    };
    let service = app
        .forms
        .get(&request.form_id)
        .map_or(request.form_id.as_str(), |f| f.title.as_str());
    let history: Vec<_> = request
        .history
        .iter()
        .map(|e| {
            json!({
                "date": Day::of_secs(e.at).iso(),
                "date_text": lang.date(Day::of_secs(e.at)),
                "state": e.state.name(),
                "state_text": state(e.state),
                "note": e.note,
                "basis": e.basis,
            })
        })
        .collect();
    json!({
        "reference": request.reference,
        "service": service,
        "state": request.state.name(),
        "state_text": state(request.state),
        "received": Day::of_secs(request.received_at).iso(),
        "received_text": lang.date(Day::of_secs(request.received_at)),
        "due": request.due_day().map(Day::iso),
        "due_text": request.due_day().map(|d| lang.date(d)),
        "extended": request.extended,
        "open": request.state.is_open(),
        "history": history,
    })
}

fn query_value(request: &HttpRequest<Vec<u8>>, name: &str) -> Option<String> {
    request.uri().query()?.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

/// A desk's link: the confirmation page (GET), or the step confirmed (POST).
fn link(app: &App, how: Answering, token: &str, fields: Option<&Submission>) -> Reply {
    // The desks' pages are in Indonesian, whatever the path.
    let how = Answering {
        lang: Lang::Id,
        ..how
    };
    let now = app.clock.now_secs();
    let checked = app.keys.verify(token, now);
    let store = app.requests.as_ref();
    let found = match (&checked, store) {
        (Ok(link), Some(store)) => store.get(&link.reference).ok().flatten(),
        _ => None,
    };
    let (Ok(link), Some(request), Some(store)) = (checked.clone(), found, store) else {
        let key = match checked {
            Err(LinkError::Expired) => "fn_link_expired",
            _ => "fn_link_invalid",
        };
        tracing::info!(outcome = key, "desk link refused");
        return pages::refused(app, how, &Refusal::new(StatusCode::FORBIDDEN, key), None);
    };
    let Some(form) = app.forms.get(&request.form_id) else {
        return pages::refused(app, how, &Refusal::not_found(), None);
    };
    let Some(fields) = fields else {
        return confirm_page(app, how, form, &request, &link, token, None);
    };
    let step = Step {
        note: fields.value("catatan").map(str::to_string),
        basis: fields.value("dasar").map(str::to_string),
        link: Some(link.id.clone()),
    };
    let changed = store.change(&link.reference, |r| {
        let desk = r.desk.clone();
        r.apply(form, link.action, step.clone(), &desk, now, &app.holidays)
    });
    match changed {
        Ok(((), changed)) => {
            tracing::info!(reference = %changed.reference, state = changed.state.name(), outcome = "step", "desk step recorded");
            let mailed = tell_citizen(app, form, &changed);
            let mut context = Context::new();
            context.insert("reference", &changed.reference);
            context.insert(
                "state",
                &app.theme
                    .words
                    .text(how.lang, &format!("fn_state_{}", changed.state.name())),
            );
            context.insert("mailed", &mailed);
            context.insert("due", &changed.due_day().map(|d| how.lang.date(d)));
            pages::page(app, StatusCode::OK, "acted", how.lang, context)
        }
        Err(ChangeError::Refused(refused)) => {
            confirm_page(app, how, form, &request, &link, token, Some(refused))
        }
        Err(ChangeError::Unknown) => pages::refused(
            app,
            how,
            &Refusal::new(StatusCode::FORBIDDEN, "fn_link_invalid"),
            None,
        ),
        Err(ChangeError::Store(err)) => {
            tracing::error!(error = %err, "desk step not recorded");
            pages::refused(app, how, &Refusal::not_recorded(), None)
        }
    }
}

/// Mails the citizen the step just recorded, and notes in the record that it was mailed.
fn tell_citizen(app: &App, form: &Form, request: &Request) -> bool {
    let sent = match mail::step_to_citizen(app, form, request) {
        None => return false,
        Some(Ok(message)) => app.mailer.send(&message).is_ok(),
        Some(Err(_)) => false,
    };
    if sent && let Some(store) = &app.requests {
        let _ = store.change(&request.reference, |r| {
            if let Some(last) = r.history.last_mut() {
                last.mailed = true;
            }
            Ok(())
        });
    } else if !sent {
        tracing::warn!(reference = %request.reference, "step not mailed to the citizen");
    }
    sent
}

/// The page a desk's link opens: what the step does, the request's state, and the note to
/// the citizen to write; or why the step is no longer possible.
fn confirm_page(
    app: &App,
    how: Answering,
    form: &Form,
    request: &Request,
    link: &Link,
    token: &str,
    refused: Option<Refused>,
) -> Reply {
    let possible = request.check(form, link.action, None);
    let (status, problem) = match (&possible, &refused) {
        (Err(e), _) | (Ok(()), Some(e)) => (
            match e {
                Refused::NoteMissing | Refused::BasisMissing => StatusCode::UNPROCESSABLE_ENTITY,
                _ => StatusCode::CONFLICT,
            },
            Some(refused_key(e)),
        ),
        (Ok(()), None) => (StatusCode::OK, None),
    };
    let words = &app.theme.words;
    let mut context = Context::new();
    context.insert("reference", &request.reference);
    context.insert("service", &form.title);
    context.insert(
        "state",
        words.text(how.lang, &format!("fn_state_{}", request.state.name())),
    );
    context.insert("due", &request.due_day().map(|d| how.lang.date(d)));
    context.insert(
        "step",
        words.text(how.lang, &format!("fn_step_{}", link.action.name())),
    );
    context.insert("possible", &possible.is_ok());
    context.insert("problem", &problem.map(|k| words.text(how.lang, k)));
    context.insert("needs_note", &link.action.needs_note());
    context.insert(
        "needs_basis",
        &(link.action == Action::Tolak && form.refusal_basis),
    );
    // Information given in part: the withheld part's exemption, which the PPID's report
    // counts as "granted in part".
    context.insert(
        "partial_basis",
        &(link.action == Action::Selesai && form.refusal_basis),
    );
    context.insert(
        "extension",
        &(link.action == Action::Perpanjang)
            .then_some(form.extension_days)
            .flatten()
            .map(|days| {
                words.fill(
                    how.lang,
                    "fn_action_extension",
                    &[("days", &days.to_string())],
                )
            }),
    );
    context.insert(
        "post",
        &forms_model::settings::form_action(&app.endpoint, &format!("tautan/{token}"), Lang::Id),
    );
    pages::page(app, status, "action", how.lang, context)
}

fn refused_key(refused: &Refused) -> &'static str {
    match refused {
        Refused::State(_) | Refused::Used => "fn_step_done",
        Refused::NoExtension => "fn_step_no_extension",
        Refused::ExtendedBefore => "fn_step_extended_before",
        Refused::TooLate => "fn_step_too_late",
        Refused::NoteMissing => "fn_step_note_missing",
        Refused::BasisMissing => "fn_step_basis_missing",
        Refused::Archived => "fn_status_archived",
    }
}
