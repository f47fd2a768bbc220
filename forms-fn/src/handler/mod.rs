//! The request handler: `POST {base}/{id}` in, an answer out, with plain `http` types so the
//! same code runs under Lambda, in `forms-fn serve` and inside `generator serve`.
//!
//! Two stages, each a list of steps that pass the request on or refuse it ([`Refusal`]):
//! [`admit`] checks the head before any body is read; [`answer`] parses, checks and
//! validates the body, then records the submission in the outbox, and only then tells the
//! citizen it was received. Mail goes out after that ([`crate::delivery`]): before the answer,
//! or after it when the app has a delivery [`crate::queue`]; a failed send leaves the record
//! pending for the resend command.

mod headers;
mod idempotency;
mod pages;
mod record;
mod refusal;
mod survey;
mod track;

use std::time::Instant;

use http::{Method, Request, header};

use forms_model::lang::Lang;
use forms_model::render::{HASH_FIELD, HONEYPOT_FIELD};
use forms_model::schema::Form;
use forms_model::submission::{self, Limit, Submission};
use forms_model::validate;

use crate::app::App;
use crate::guard::{ClientIp, Remembered};
use crate::outbox::{Record, Unsent};
pub use headers::Reply;
use headers::{request_origin, same_origin, wants_json};
use pages::Answering;
pub use refusal::{Arg, Message, Refusal, Unread};
pub use track::Target;

/// Handles one request to the forms endpoint. Every answer, errors included, carries the
/// CORS headers an allowed origin's script needs to read it, and the security headers.
pub fn handle(app: &App, request: &Request<Vec<u8>>) -> Reply {
    let reply = match admit(app, request) {
        Ok(admitted) => answer(app, &admitted, request),
        Err(refused) => refused,
    };
    finish(app, request, reply)
}

/// Adds the CORS and security headers every answer carries (the local server calls this
/// for answers it gives before reading a body).
pub fn finish<B>(app: &App, request: &Request<B>, reply: Reply) -> Reply {
    let origin = request_origin(request);
    headers::with_security_headers(headers::with_cors(reply, app, origin.as_deref()), app)
}

/// What the head of a request established: the form, the page's language, the source.
#[derive(Debug, Clone)]
pub struct Admitted {
    form_id: String,
    /// A form post, the status page, or a desk's link.
    target: Target,
    page_lang: Lang,
    json: bool,
    source: String,
    /// The body's length as the head declares it.
    declared: Option<usize>,
}

impl Admitted {
    pub fn declared_length(&self) -> Option<usize> {
        self.declared
    }

    fn answering(&self, lang: Lang) -> Answering {
        Answering {
            json: self.json,
            lang,
        }
    }
}

/// The checks made on a request's head, before its body is read: the form exists, the
/// method, the origin, the source's rate (every post counts, so this comes first), the
/// content type and the declared length. The local server calls it before it reads a body,
/// so a post refused here costs it no memory.
pub fn admit<B>(app: &App, request: &Request<B>) -> Result<Admitted, Reply> {
    let path = request.uri().path();
    let form_id = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let mut admitted = Admitted {
        // The page's language until its fields are read; then the field `_bahasa` decides.
        page_lang: Lang::of_path(path),
        json: wants_json(request),
        source: request
            .extensions()
            .get::<ClientIp>()
            .map_or("unknown", |c| c.0.as_str())
            .to_string(),
        declared: None,
        target: Target::of_path(path),
        form_id,
    };
    let refuse = |refusal: Refusal| {
        log(&admitted.form_id, &refusal);
        pages::refused(app, admitted.answering(admitted.page_lang), &refusal, None)
    };
    if admitted.target == Target::Form && !app.forms.contains_key(&admitted.form_id) {
        return Err(refuse(Refusal::not_found()));
    }
    if request.method() == Method::OPTIONS {
        return Err(headers::preflight(app, request_origin(request).as_deref()));
    }
    let checked = match admitted.target {
        Target::Form => head(app, request, &admitted),
        _ => track::head(app, request, &admitted),
    };
    match checked {
        Ok(declared) => {
            admitted.declared = declared;
            Ok(admitted)
        }
        Err(refusal) => Err(refuse(refusal)),
    }
}

/// The steps of [`admit`] after the form and the preflight; the body's declared length.
fn head<B>(app: &App, request: &Request<B>, admitted: &Admitted) -> Result<Option<usize>, Refusal> {
    if request.method() != Method::POST {
        return Err(Refusal::not_post());
    }
    check_origin(app, request)?;
    app.guard
        .admit_source(&admitted.source, &admitted.form_id)
        .map_err(Refusal::too_many)?;
    check_body(app, request)
}

/// A post comes from the site (or a page the function answered with).
fn check_origin<B>(app: &App, request: &Request<B>) -> Result<(), Refusal> {
    match request_origin(request) {
        Some(o) if app.guard.origin_allowed(&o) || same_origin(request, &o) => Ok(()),
        _ => Err(Refusal::foreign_origin()),
    }
}

/// The checks of a post that the status page and the desks' links share with the forms.
fn check_post<B>(app: &App, request: &Request<B>) -> Result<Option<usize>, Refusal> {
    check_origin(app, request)?;
    check_body(app, request)
}

/// A form's content type, and a declared length within the limit.
fn check_body<B>(app: &App, request: &Request<B>) -> Result<Option<usize>, Refusal> {
    let header = |name| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    };
    if !submission::is_form_type(header(header::CONTENT_TYPE)) {
        return Err(Refusal::unsupported());
    }
    let declared = header(header::CONTENT_LENGTH).parse::<u64>().ok();
    if declared.is_some_and(|n| n > app.limits.body_bytes as u64) {
        return Err(Refusal::too_large(body_limit(app)));
    }
    Ok(declared.and_then(|n| usize::try_from(n).ok()))
}

fn body_limit(app: &App) -> Limit {
    Limit::Body(app.limits.body_bytes / (1024 * 1024))
}

/// The answer to an admitted request whose body could not be read.
pub fn unread(app: &App, admitted: &Admitted, why: Unread) -> Reply {
    tracing::info!(form = %admitted.form_id, outcome = ?why, "body not read");
    let refusal = Refusal::unread(why, app.limits.body_bytes / (1024 * 1024));
    pages::refused(app, admitted.answering(admitted.page_lang), &refusal, None)
}

/// Logs why a submission was refused: the form and the outcome only, never a value.
fn log(form: &str, refusal: &Refusal) {
    if let Some(errors) = &refusal.errors {
        tracing::info!(form = %form, outcome = "invalid", fields = errors.len(), "rejected");
    } else if let Some(outcome) = refusal.outcome {
        tracing::info!(form = %form, outcome = %outcome, "rejected");
    }
}

/// What an accepted request is answered with.
enum Accepted<'a> {
    /// Recorded (or recognised as sent before): its receipt.
    Receipt(Record),
    /// A matter for another institution: guidance, and nothing kept.
    Guided(&'a str),
}

/// The rest of the pipeline, once the head was admitted.
pub fn answer(app: &App, admitted: &Admitted, request: &Request<Vec<u8>>) -> Reply {
    if admitted.target != Target::Form {
        return track::answer(app, admitted, request);
    }
    let started = Instant::now();
    let Some(form) = app.forms.get(&admitted.form_id) else {
        return pages::refused(
            app,
            admitted.answering(admitted.page_lang),
            &Refusal::not_found(),
            None,
        );
    };
    let submission = match parse(app, request) {
        Ok(submission) => submission,
        Err(refusal) => {
            let how = admitted.answering(admitted.page_lang);
            return pages::refused(app, how, &refusal, None);
        }
    };
    let how = admitted.answering(submission.lang());
    match accept(app, admitted, request, form, &submission, started) {
        Ok(Accepted::Receipt(record)) => pages::receipt(app, how, form, &record),
        Ok(Accepted::Guided(guidance)) => pages::guided(app, how, guidance),
        Err(refusal) => {
            log(&form.id, &refusal);
            pages::refused(app, how, &refusal, Some((form, &submission)))
        }
    }
}

/// The body, parsed by its content type.
fn parse(app: &App, request: &Request<Vec<u8>>) -> Result<Submission, Refusal> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    submission::parse(content_type, request.body(), &app.limits).map_err(Refusal::unparsed)
}

/// The steps a parsed submission goes through, in order.
fn accept<'a>(
    app: &App,
    admitted: &Admitted,
    request: &Request<Vec<u8>>,
    form: &'a Form,
    submission: &Submission,
    started: Instant,
) -> Result<Accepted<'a>, Refusal> {
    if submission.value(HASH_FIELD) != Some(form.hash.as_str()) {
        return Err(Refusal::stale_form());
    }
    if let Some(unknown) = record::unknown_field(form, submission) {
        return Err(Refusal::unknown_field(&unknown));
    }
    if let Some(misplaced) = record::file_outside_a_file_field(form, submission) {
        return Err(Refusal::misplaced_file(&misplaced));
    }
    // A matter that belongs elsewhere is answered first: the citizen should not have to
    // complete a form we will not keep.
    if let Some(guidance) = record::guidance(form, submission) {
        tracing::info!(form = %form.id, outcome = "guided", "answered with guidance");
        return Ok(Accepted::Guided(guidance));
    }
    let answers =
        validate::validate(form, submission, app.clock.today()).map_err(Refusal::invalid)?;
    let body = idempotency::body_hash(submission);
    let key = idempotency::submission_key(request, form, &body);
    if let Some(earlier) = app.guard.seen(&key) {
        return repeated(app, form, earlier, &body).map(Accepted::Receipt);
    }
    let honeypot = submission
        .value(HONEYPOT_FIELD)
        .is_some_and(|v| !v.is_empty());
    if !honeypot {
        app.guard.admit_form(&form.id).map_err(Refusal::too_many)?;
    }
    let rated = survey::rated_request(app, form, submission)?;
    let record = record::record(app, form, submission, answers, &admitted.source);
    let remembered = Remembered {
        reference: record.reference.clone(),
        answer_by: record.answer_by.clone(),
        body,
        confirmation: record.confirmation_promised(),
    };
    if honeypot {
        // Answered exactly like a success, so the robot learns nothing; nothing is kept
        // or sent.
        tracing::info!(form = %form.id, outcome = "honeypot", "dropped");
        app.guard.remember(key, remembered);
        return Ok(Accepted::Receipt(record));
    }
    keep(app, form, &record)?;
    if form.survey.is_some() {
        survey::rate(app, form, &record, submission, rated);
    } else {
        track::start(app, form, &record, submission);
    }
    app.guard.remember(key, remembered);
    send(app, form, &record, started);
    Ok(Accepted::Receipt(record))
}

/// A submission sent before: the first one's receipt, unless the key came with other answers.
fn repeated(app: &App, form: &Form, earlier: Remembered, body: &str) -> Result<Record, Refusal> {
    if earlier.body != body {
        return Err(Refusal::key_reused());
    }
    tracing::info!(reference = %earlier.reference, form = %form.id, outcome = "duplicate", "answered with the first receipt");
    let mut record = record::empty_record(app, form);
    record.reference = earlier.reference;
    record.answer_by = earlier.answer_by;
    if !earlier.confirmation {
        record.confirmation_unsent = Some(Unsent::Suppressed);
    }
    Ok(record)
}

/// Records the submission in the outbox: until this succeeds, nothing is promised.
fn keep(app: &App, form: &Form, record: &Record) -> Result<(), Refusal> {
    app.outbox.save(record).map_err(|err| {
        tracing::error!(form = %form.id, outcome = "not_recorded", error = %err, "outbox write failed");
        Refusal::not_recorded()
    })
}

/// Mails a recorded submission now, or hands it to the delivery queue.
fn send(app: &App, form: &Form, record: &Record, started: Instant) {
    let outcome = match &app.queue {
        Some(queue) if queue.push(record.clone()) => "recorded_queued",
        Some(_) => "recorded_pending_mail",
        None if crate::delivery::deliver(app, form, record.clone()) => "delivered",
        None => "recorded_pending_mail",
    };
    tracing::info!(
        reference = %record.reference,
        form = %form.id,
        outcome,
        elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
        "received"
    );
}
