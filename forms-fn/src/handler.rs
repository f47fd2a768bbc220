//! The request handler: `POST {base}/{id}` in, an answer out, with plain `http` types so the
//! same code runs under Lambda, in `forms-fn serve` and inside `generator serve`.
//!
//! Order matters: a submission is validated, then recorded in the outbox, and only then is
//! the citizen told it was received; mail goes out after that (before the answer, or after
//! it when the app has a delivery [`crate::queue`]), and a failed send leaves the record
//! pending for the resend command.

use std::time::Instant;

use http::{Method, Request, Response, StatusCode, header};
use serde_json::json;

use crate::app::App;
use crate::calendar::Day;
use crate::email;
use crate::guard::{ClientIp, HONEYPOT_FIELD, Remembered, origin_of};
use crate::html::{escape, page};
use crate::lang::{LANG_FIELD, Lang};
use crate::mailer::SendError;
use crate::outbox::{Record, StoredFile, Unsent};
use crate::reference;
use crate::render::{self, HASH_FIELD};
use crate::schema::{FieldType, Form};
use crate::submission::{self, ParseError, Submission, Upload};
use crate::validate::{self, Answer, Value};

type Reply = Response<Vec<u8>>;

fn wants_json<B>(request: &Request<B>) -> bool {
    request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

fn reply(status: StatusCode, content_type: &str, body: Vec<u8>) -> Reply {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if let Ok(v) = content_type.parse() {
        headers.insert(header::CONTENT_TYPE, v);
    }
    headers.insert(
        header::CACHE_CONTROL,
        http::HeaderValue::from_static("no-store"),
    );
    response
}

fn json_reply(status: StatusCode, value: serde_json::Value) -> Reply {
    reply(status, "application/json", value.to_string().into_bytes())
}

fn html_reply(status: StatusCode, html: String) -> Reply {
    reply(status, "text/html; charset=utf-8", html.into_bytes())
}

/// Logs why a submission was refused (the form and the outcome only), then answers.
fn reject(
    app: &App,
    json: bool,
    form: &str,
    outcome: &str,
    status: StatusCode,
    message: &str,
    lang: Lang,
) -> Reply {
    tracing::info!(form = %form, outcome = %outcome, "rejected");
    problem_in(app, json, status, message, lang)
}

/// "Back to the site", in the form page's language.
fn back_link(app: &App, lang: Lang) -> String {
    format!(
        "<p><a href=\"{}\">{}</a></p>",
        escape(&app.site_url),
        lang.pick(
            "Kembali ke situs KPU Provinsi NTB",
            "Back to the KPU Provinsi NTB website"
        )
    )
}

fn problem_in(app: &App, json: bool, status: StatusCode, message: &str, lang: Lang) -> Reply {
    if json {
        return json_reply(status, json!({ "error": message }));
    }
    let title = lang.pick(
        "Kiriman tidak dapat diproses",
        "Your submission could not be processed",
    );
    let body = format!(
        "<h1>{title}</h1>\n<p>{}</p>\n{}",
        escape(message),
        back_link(app, lang)
    );
    html_reply(status, page(lang, title, app.stylesheet.as_deref(), &body))
}

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
    with_security_headers(with_cors(reply, app, origin.as_deref()), app)
}

/// What the head of a request established: the form, the page's language, the source.
#[derive(Debug, Clone)]
pub struct Admitted {
    form_id: String,
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
}

/// Why a server could not read an admitted request's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unread {
    /// The body did not arrive in time (408).
    Slow,
    /// Too many bodies are being read at once (503, try again shortly).
    Busy,
    /// Longer than the limit, whatever the head said (413).
    TooLarge,
    /// The connection broke off (400).
    Broken,
}

/// The answer to an admitted request whose body could not be read.
pub fn unread(app: &App, admitted: &Admitted, why: Unread) -> Reply {
    let (json, lang) = (admitted.json, admitted.page_lang);
    tracing::info!(form = %admitted.form_id, outcome = ?why, "body not read");
    match why {
        Unread::TooLarge => too_large(
            app,
            json,
            submission::Limit::Body(app.limits.body_bytes / (1024 * 1024)),
            lang,
        ),
        Unread::Slow => problem_in(
            app,
            json,
            StatusCode::REQUEST_TIMEOUT,
            lang.pick(
                "Kiriman terlalu lama sampai dan tidak kami terima. Tidak ada yang tersimpan: kirim lagi, sebaiknya saat sinyal lebih baik.",
                "The submission took too long to arrive and was not received. Nothing was kept: send it again, preferably when the signal is better.",
            ),
            lang,
        ),
        Unread::Busy => {
            let mut r = problem_in(
                app,
                json,
                StatusCode::SERVICE_UNAVAILABLE,
                lang.pick(
                    "Layanan formulir sedang sibuk. Tidak ada yang tersimpan: kirim lagi dalam satu menit.",
                    "The form service is busy. Nothing was kept: send it again in a minute.",
                ),
                lang,
            );
            r.headers_mut()
                .insert(header::RETRY_AFTER, http::HeaderValue::from_static("60"));
            r
        }
        Unread::Broken => problem_in(
            app,
            json,
            StatusCode::BAD_REQUEST,
            lang.pick(
                "Kiriman terputus di tengah jalan. Tidak ada yang tersimpan: kirim lagi.",
                "The submission was cut off on the way. Nothing was kept: send it again.",
            ),
            lang,
        ),
    }
}

/// The checks made on a request's head, before its body is read: the form exists, the
/// method, the origin, the source's rate (every post counts, so this comes first), the
/// content type and the declared length. The local server calls it before it reads a body,
/// so a post refused here costs it no memory.
pub fn admit<B>(app: &App, request: &Request<B>) -> Result<Admitted, Reply> {
    let json = wants_json(request);
    let id = request
        .uri()
        .path()
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    // The page's language until its fields are read; then the field `_bahasa` decides.
    let page_lang = Lang::of_path(request.uri().path());
    if !app.forms.contains_key(&id) {
        return Err(not_found(app, json, page_lang));
    }
    let origin = request_origin(request);
    if request.method() == Method::OPTIONS {
        return Err(preflight(app, origin.as_deref()));
    }
    if request.method() != Method::POST {
        let mut r = problem_in(
            app,
            json,
            StatusCode::METHOD_NOT_ALLOWED,
            page_lang.pick(
                "Formulir hanya menerima kiriman (POST).",
                "This form only accepts submissions (POST).",
            ),
            page_lang,
        );
        r.headers_mut()
            .insert(header::ALLOW, http::HeaderValue::from_static("POST"));
        return Err(r);
    }
    match origin.as_deref() {
        Some(o) if app.guard.origin_allowed(o) || same_origin(request, o) => {}
        _ => {
            return Err(reject(
                app,
                json,
                &id,
                "foreign_origin",
                StatusCode::FORBIDDEN,
                page_lang.pick(
                    "Kiriman ini tidak datang dari situs KPU Provinsi NTB. Isi formulir di situs resmi, lalu kirim dari sana.",
                    "This submission did not come from the KPU Provinsi NTB website. Fill in the form on the official website and send it from there.",
                ),
                page_lang,
            ));
        }
    }
    let source = request
        .extensions()
        .get::<ClientIp>()
        .map_or("unknown", |c| c.0.as_str())
        .to_string();
    if let Err(wait) = app.guard.admit_source(&source, &id) {
        return Err(too_many(app, json, &id, wait, page_lang));
    }
    let header = |name| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    };
    if !submission::is_form_type(header(header::CONTENT_TYPE)) {
        return Err(unsupported(app, json, page_lang));
    }
    let declared = header(header::CONTENT_LENGTH).parse::<u64>().ok();
    if declared.is_some_and(|n| n > app.limits.body_bytes as u64) {
        return Err(too_large(
            app,
            json,
            submission::Limit::Body(app.limits.body_bytes / (1024 * 1024)),
            page_lang,
        ));
    }
    Ok(Admitted {
        form_id: id,
        page_lang,
        json,
        source,
        declared: declared.and_then(|n| usize::try_from(n).ok()),
    })
}

fn not_found(app: &App, json: bool, lang: Lang) -> Reply {
    problem_in(
        app,
        json,
        StatusCode::NOT_FOUND,
        lang.pick("Formulir ini tidak ada.", "This form does not exist."),
        lang,
    )
}

fn unsupported(app: &App, json: bool, lang: Lang) -> Reply {
    problem_in(
        app,
        json,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        lang.pick(
            "Kirim formulir sebagai application/x-www-form-urlencoded atau multipart/form-data.",
            "Send the form as application/x-www-form-urlencoded or multipart/form-data.",
        ),
        lang,
    )
}

fn too_many(app: &App, json: bool, id: &str, wait: u64, lang: Lang) -> Reply {
    let minutes = wait.div_ceil(60);
    let mut r = reject(
        app,
        json,
        id,
        "rate_limited",
        StatusCode::TOO_MANY_REQUESTS,
        &lang.pick(
            format!("Terlalu banyak kiriman dalam waktu singkat. Coba lagi dalam {minutes} menit."),
            format!("Too many submissions in a short time. Try again in {minutes} minutes."),
        ),
        lang,
    );
    if let Ok(v) = wait.to_string().parse() {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

fn too_large(app: &App, json: bool, limit: submission::Limit, lang: Lang) -> Reply {
    let limit = limit.describe(lang);
    problem_in(
        app,
        json,
        StatusCode::PAYLOAD_TOO_LARGE,
        &lang.pick(
            format!("Kiriman terlalu besar: {limit}. Perkecil lampiran, atau serahkan di loket."),
            format!("The submission is too large: {limit}. Make the attachment smaller, or hand it in at our service desk."),
        ),
        lang,
    )
}

/// The rest of the pipeline, once the head was admitted: each step either passes the
/// submission on or is the answer.
pub fn answer(app: &App, admitted: &Admitted, request: &Request<Vec<u8>>) -> Reply {
    match pipeline(app, admitted, request) {
        Ok(reply) | Err(reply) => reply,
    }
}

fn pipeline(app: &App, admitted: &Admitted, request: &Request<Vec<u8>>) -> Result<Reply, Reply> {
    let started = Instant::now();
    let Admitted {
        form_id: id,
        page_lang,
        json,
        source,
        ..
    } = admitted;
    let (json, page_lang) = (*json, *page_lang);
    let form = app
        .forms
        .get(id)
        .ok_or_else(|| not_found(app, json, page_lang))?;
    let submission = parse(app, request, json, page_lang)?;
    let lang = Lang::of(&submission);
    let refuse = |outcome: &str, status: StatusCode, message: String| {
        reject(app, json, id, outcome, status, &message, lang)
    };
    if submission.value(HASH_FIELD) != Some(form.hash.as_str()) {
        return Err(refuse(
            "stale_form",
            StatusCode::CONFLICT,
            lang.pick(
                "Formulir ini sudah diperbarui sejak halaman Anda dibuka. Muat ulang halaman formulir, lalu isi dan kirim lagi.",
                "This form has changed since you opened the page. Reload the form page, then fill it in and send it again.",
            )
            .to_string(),
        ));
    }
    if let Some(unknown) = unknown_field(form, &submission) {
        let name = escape_name(&unknown);
        return Err(refuse(
            "unknown_field",
            StatusCode::BAD_REQUEST,
            lang.pick(
                format!("Kiriman berisi isian yang tidak dikenal formulir ini (`{name}`). Muat ulang halaman formulir, lalu kirim lagi."),
                format!("The submission holds a field this form does not know (`{name}`). Reload the form page, then send it again."),
            ),
        ));
    }
    if let Some(misplaced) = file_outside_a_file_field(form, &submission) {
        let name = escape_name(&misplaced);
        return Err(refuse(
            "misplaced_file",
            StatusCode::BAD_REQUEST,
            lang.pick(
                format!("Kiriman berisi berkas pada isian yang bukan lampiran (`{name}`). Muat ulang halaman formulir, lalu kirim lagi."),
                format!("The submission holds a file in a field that takes no attachment (`{name}`). Reload the form page, then send it again."),
            ),
        ));
    }
    // A matter that belongs elsewhere is answered first: the citizen should not have to
    // complete a form we will not keep.
    if let Some(guidance) = guidance(form, &submission) {
        tracing::info!(form = %id, outcome = "guided", "answered with guidance");
        return Ok(guided(app, json, lang, guidance));
    }
    let today = (app.today)();
    let answers = validate::validate(form, &submission, today).map_err(|errors| {
        tracing::info!(form = %id, outcome = "invalid", fields = errors.len(), "rejected");
        invalid(app, form, &submission, &errors, json, lang)
    })?;
    let body = body_hash(&submission);
    let key = submission_key(request, form, &body);
    if let Some(earlier) = app.guard.seen(&key) {
        if earlier.body != body {
            return Err(refuse(
                "key_reused",
                StatusCode::CONFLICT,
                lang.pick(
                    "Kunci pengiriman ini sudah dipakai untuk kiriman dengan isian lain. Kirim sekali lagi: kiriman Anda akan dicatat sebagai kiriman baru.",
                    "This sending key was already used for a submission with other answers. Send once more: your submission will be recorded as a new one.",
                )
                .to_string(),
            ));
        }
        tracing::info!(reference = %earlier.reference, form = %id, outcome = "duplicate", "answered with the first receipt");
        let mut record = empty_record(form, today);
        record.reference = earlier.reference;
        record.answer_by = earlier.answer_by;
        if !earlier.confirmation {
            record.confirmation_unsent = Some(Unsent::Suppressed);
        }
        return Ok(receipt(app, form, &record, json, lang));
    }
    let honeypot = submission
        .value(HONEYPOT_FIELD)
        .is_some_and(|v| !v.is_empty());
    if !honeypot && let Err(wait) = app.guard.admit_form(id) {
        return Err(too_many(app, json, id, wait, lang));
    }
    let record = record(app, form, &submission, answers, today, source);
    let remembered = Remembered {
        reference: record.reference.clone(),
        answer_by: record.answer_by.clone(),
        body,
        confirmation: record.confirmation_promised(),
    };
    if honeypot {
        // Answered exactly like a success, so the robot learns nothing; nothing is kept
        // or sent.
        tracing::info!(form = %id, outcome = "honeypot", "dropped");
        app.guard.remember(key, remembered);
        return Ok(receipt(app, form, &record, json, lang));
    }
    if let Err(err) = app.outbox.save(&record) {
        tracing::error!(form = %id, outcome = "not_recorded", error = %err, "outbox write failed");
        return Err(problem_in(
            app,
            json,
            StatusCode::SERVICE_UNAVAILABLE,
            lang.pick(
                "Kiriman Anda belum dapat kami catat karena gangguan. Tidak ada yang tersimpan: coba kirim lagi beberapa saat lagi.",
                "We could not record your submission because of a fault. Nothing was kept: please send it again in a few moments.",
            ),
            lang,
        ));
    }
    app.guard.remember(key, remembered);
    let outcome = match &app.queue {
        Some(queue) if queue.push(record.clone()) => "recorded_queued",
        Some(_) => "recorded_pending_mail",
        None if deliver(app, form, record.clone()) => "delivered",
        None => "recorded_pending_mail",
    };
    tracing::info!(
        reference = %record.reference,
        form = %id,
        outcome,
        elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
        "received"
    );
    Ok(receipt(app, form, &record, json, lang))
}

/// The body, parsed by its content type, or the answer that refuses it.
fn parse(
    app: &App,
    request: &Request<Vec<u8>>,
    json: bool,
    page_lang: Lang,
) -> Result<Submission, Reply> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    submission::parse(content_type, request.body(), &app.limits).map_err(|err| match err {
        ParseError::UnsupportedType => unsupported(app, json, page_lang),
        ParseError::TooLarge(limit) => too_large(app, json, limit, page_lang),
        // The detail names the encoding fault in Indonesian; the English answer omits it.
        ParseError::Malformed(what) => problem_in(
            app,
            json,
            StatusCode::BAD_REQUEST,
            &page_lang.pick(
                format!("Kiriman rusak ({what}). Muat ulang halaman formulir lalu kirim lagi."),
                "The submission arrived damaged. Reload the form page and send it again."
                    .to_string(),
            ),
            page_lang,
        ),
    })
}

/// The answer that sends a matter elsewhere; nothing is kept.
fn guided(app: &App, json: bool, lang: Lang, guidance: &str) -> Reply {
    if json {
        return json_reply(StatusCode::OK, json!({ "guidance": guidance }));
    }
    let (heading, not_kept, title) = lang.pick(
        (
            "Pengaduan Anda ditangani lembaga lain",
            "Kiriman ini tidak kami simpan dan tidak kami teruskan.",
            "Ke mana harus mengadu",
        ),
        (
            "Your complaint is handled by another institution",
            "We have not kept this submission and have not passed it on.",
            "Where to complain",
        ),
    );
    let body = format!(
        "<h1>{heading}</h1>\n<p>{}</p>\n<p>{not_kept}</p>\n{}",
        escape(guidance),
        back_link(app, lang)
    );
    html_reply(
        StatusCode::OK,
        page(lang, title, app.stylesheet.as_deref(), &body),
    )
}

/// The origin a request says it comes from: `Origin`, or the origin of `Referer`.
fn request_origin<B>(request: &Request<B>) -> Option<String> {
    let header = |name| request.headers().get(name).and_then(|v| v.to_str().ok());
    header(header::ORIGIN)
        .filter(|o| *o != "null")
        .map(|o| o.trim_end_matches('/').to_ascii_lowercase())
        .or_else(|| header(header::REFERER).and_then(origin_of))
}

/// Whether `origin` is the function's own: a page the function answered with (the form
/// again, with its errors, for a citizen without JavaScript) posting back to it. The
/// browser sets `Origin`, so no other site can claim it.
fn same_origin<B>(request: &Request<B>, origin: &str) -> bool {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok());
    let authority = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    matches!((host, authority), (Some(h), Some(a)) if h.eq_ignore_ascii_case(a))
}

/// What the function's pages may load and do: the site's stylesheet, forms that post back
/// to the function, no scripts, no frames around them, and no guessing of content types.
fn with_security_headers(mut response: Reply, app: &App) -> Reply {
    let origin_of_url = |url: &str| origin_of(url).map(|o| format!(" {o}")).unwrap_or_default();
    let csp = format!(
        "default-src 'none'; style-src 'self'{}; img-src 'self' data:; form-action 'self'{}; frame-ancestors 'none'; base-uri 'none'",
        app.stylesheet
            .as_deref()
            .map(origin_of_url)
            .unwrap_or_default(),
        origin_of_url(&app.endpoint),
    );
    let headers = response.headers_mut();
    if let Ok(v) = csp.parse() {
        headers.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    set_all(
        headers,
        &[
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::X_FRAME_OPTIONS, "DENY"),
        ],
    );
    response
}

/// Lets an allowed origin's scripts read the answer.
fn with_cors(mut response: Reply, app: &App, origin: Option<&str>) -> Reply {
    if let Some(origin) = origin.filter(|o| app.guard.origin_allowed(o))
        && let Ok(value) = origin.parse()
    {
        let headers = response.headers_mut();
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
        headers.insert(header::VARY, http::HeaderValue::from_static("Origin"));
    }
    response
}

fn preflight(app: &App, origin: Option<&str>) -> Reply {
    let Some(origin) = origin.filter(|o| app.guard.origin_allowed(o)) else {
        return reply(
            StatusCode::FORBIDDEN,
            "text/plain; charset=utf-8",
            Vec::new(),
        );
    };
    let mut response = with_cors(
        reply(
            StatusCode::NO_CONTENT,
            "text/plain; charset=utf-8",
            Vec::new(),
        ),
        app,
        Some(origin),
    );
    set_all(
        response.headers_mut(),
        &[
            (header::ACCESS_CONTROL_ALLOW_METHODS, "POST"),
            (
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                "Accept, Content-Type, Idempotency-Key",
            ),
            (header::ACCESS_CONTROL_MAX_AGE, "600"),
        ],
    );
    response
}

fn set_all(headers: &mut http::HeaderMap, values: &[(header::HeaderName, &'static str)]) {
    for (name, value) in values {
        headers.insert(name.clone(), http::HeaderValue::from_static(value));
    }
}

/// A name the form does not define (group rows and the hidden fields allowed).
fn unknown_field(form: &Form, submission: &Submission) -> Option<String> {
    let in_group = |f: &crate::schema::Field, name: &str| {
        f.kind == FieldType::Group
            && name
                .strip_prefix(&format!("{}-", f.name))
                .and_then(|rest| rest.split_once('-'))
                .is_some_and(|(row, inner)| {
                    row.parse::<usize>()
                        .is_ok_and(|r| r >= 1 && r <= f.max_rows.unwrap_or(20))
                        && f.fields.iter().any(|g| g.name == inner)
                })
    };
    let known = |name: &str| {
        name == HASH_FIELD
            || name == HONEYPOT_FIELD
            || name == LANG_FIELD
            || form
                .fields
                .iter()
                .any(|f| f.name == name || in_group(f, name))
    };
    submission
        .fields
        .iter()
        .map(|(n, _)| n)
        .chain(submission.files.iter().map(|f| &f.field))
        .find(|n| !known(n))
        .cloned()
}

/// Field names come from the request: keep them short and harmless in a message.
fn escape_name(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
        .take(40)
        .collect()
}

/// SHA-256 of what was submitted (fields in a stable order, then files), in hex.
fn body_hash(submission: &Submission) -> String {
    use sha2::{Digest, Sha256};
    let mut fields: Vec<&(String, String)> = submission.fields.iter().collect();
    fields.sort();
    let mut hasher = Sha256::new();
    for (n, v) in fields {
        for part in [n.as_bytes(), v.as_bytes()] {
            hasher.update((part.len() as u64).to_be_bytes());
            hasher.update(part);
        }
    }
    for f in &submission.files {
        for part in [f.field.as_bytes(), &f.bytes] {
            hasher.update((part.len() as u64).to_be_bytes());
            hasher.update(part);
        }
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Identifies a submission for duplicates: the script's `Idempotency-Key`, or the hash of
/// what was sent (a double click, or a resubmission after a slow network without
/// JavaScript). A key only ever stands for the body it first came with.
fn submission_key(request: &Request<Vec<u8>>, form: &Form, body: &str) -> String {
    let given = request
        .headers()
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok());
    match given.filter(|k| !k.is_empty() && k.len() <= 100) {
        Some(key) => format!("{}:key:{key}", form.id),
        None => format!("{}:hash:{body}", form.id),
    }
}

/// A record with nothing in it, for receipts that repeat or pretend one.
fn empty_record(form: &Form, today: Day) -> Record {
    Record::new("", &form.id, "", &form.deadline_days.due(today))
}

/// Guidance instead of mail, when a routing rule says the matter belongs elsewhere.
fn guidance<'a>(form: &'a Form, submission: &Submission) -> Option<&'a str> {
    let route = matching_route(form, submission)?;
    route.guidance.as_deref()
}

fn matching_route<'a>(form: &'a Form, submission: &Submission) -> Option<&'a crate::schema::Route> {
    // The answer as validation reads it (trimmed of blank and invisible characters), so a
    // value routes the same way it validates.
    form.routes.iter().find(|r| {
        submission
            .value(&r.field)
            .map(validate::trimmed)
            .is_some_and(|v| r.equals.iter().any(|e| e == v))
    })
}

/// The record of an accepted submission: routed on its answers, with only the files that
/// validation accepted (photos without their metadata), and whether its confirmation may
/// be mailed decided now, so the receipt says the truth.
fn record(
    app: &App,
    form: &Form,
    submission: &Submission,
    mut answers: Vec<Answer>,
    today: Day,
    source: &str,
) -> Record {
    let route = matching_route(form, submission);
    let desk_key = route.and_then(|r| r.desk.as_ref()).unwrap_or(&form.desk);
    let copies = route
        .map(|r| {
            r.copy
                .iter()
                .filter_map(|d| app.desks.get(d).cloned())
                .collect()
        })
        .unwrap_or_default();
    let citizen_email = form
        .fields
        .iter()
        .filter(|f| f.kind == FieldType::Email)
        .find_map(|f| answers.iter().find(|a| a.name == f.name))
        .and_then(|a| match &a.value {
            Value::Text(t) => Some(t.clone()),
            _ => None,
        });
    let files = keep_validated_files(&mut answers, &submission.files);
    // The endpoint must not become a way to flood someone's mailbox.
    let confirmation_unsent = citizen_email
        .as_deref()
        .filter(|address| !app.guard.may_mail(address, source))
        .map(|_| Unsent::Suppressed);
    Record {
        received_at: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        copies,
        answers,
        files,
        citizen_sent: confirmation_unsent.is_some(),
        confirmation_unsent,
        citizen_email,
        ..Record::new(
            &reference::new(&form.prefix),
            &form.id,
            &app.desks.get(desk_key).cloned().unwrap_or_default(),
            &form.deadline_days.due(today),
        )
    }
}

/// The files the answers refer to, in order, with the answers' indices pointing into the
/// returned list. A file no answer accepted is neither kept nor mailed.
fn keep_validated_files(answers: &mut [Answer], uploads: &[Upload]) -> Vec<StoredFile> {
    fn walk(answers: &mut [Answer], uploads: &[Upload], kept: &mut Vec<StoredFile>) {
        for answer in answers {
            match &mut answer.value {
                Value::Files(indices) => {
                    for index in indices.iter_mut() {
                        let Some(upload) = uploads.get(*index) else {
                            continue;
                        };
                        *index = kept.len();
                        kept.push(StoredFile {
                            field: upload.field.clone(),
                            filename: upload.filename.clone(),
                            // Photos lose their EXIF (GPS position included) before they
                            // are kept.
                            bytes: match crate::validate::sniff(&upload.bytes) {
                                Some("jpg") => crate::media::strip_jpeg_metadata(&upload.bytes)
                                    .unwrap_or_default(),
                                _ => upload.bytes.clone(),
                            },
                        });
                    }
                }
                Value::Rows(rows) => {
                    for row in rows {
                        walk(row, uploads, kept);
                    }
                }
                _ => {}
            }
        }
    }
    let mut kept = Vec::new();
    walk(answers, uploads, &mut kept);
    kept
}

/// A file part under a name that is not a file field: only a declared file input (at the
/// top, or in a group's row) may carry a file.
fn file_outside_a_file_field(form: &Form, submission: &Submission) -> Option<String> {
    let takes_a_file = |name: &str| {
        form.fields.iter().any(|f| match f.kind {
            FieldType::File => f.name == name,
            FieldType::Group => name
                .strip_prefix(&format!("{}-", f.name))
                .and_then(|rest| rest.split_once('-'))
                .is_some_and(|(_, inner)| {
                    f.fields
                        .iter()
                        .any(|g| g.kind == FieldType::File && g.name == inner)
                }),
            _ => false,
        })
    };
    submission
        .files
        .iter()
        .find(|f| !takes_a_file(&f.field))
        .map(|f| f.field.clone())
}

/// Sends what is still unsent of `record` and moves it to `sent/` when all is delivered.
/// Returns whether everything went out.
pub fn deliver(app: &App, form: &Form, mut record: Record) -> bool {
    if !record.desk_sent {
        match email::to_desk(form, &record, &app.from) {
            Ok(message) => match app.mailer.send(&message) {
                Ok(()) => {
                    record.desk_sent = true;
                    // Remember progress, so a resend does not mail the desk twice.
                    if app.outbox.save(&record).is_err() {
                        return false;
                    }
                }
                Err(err) => {
                    // Even a permanent refusal keeps the record pending: the submission must
                    // reach the desk, and the operator can fix the address or the relay. The
                    // scheduled re-send backs off and alerts.
                    tracing::warn!(reference = %record.reference, error = %err, permanent = err.permanent, "desk mail not sent; kept pending");
                    return false;
                }
            },
            Err(err) => {
                tracing::error!(reference = %record.reference, error = %err, "desk mail cannot be built; kept pending");
                return false;
            }
        }
    }
    if !record.citizen_sent {
        let sent = match email::to_citizen(form, &record, &app.from) {
            None => Ok(()),
            // An address the mailer cannot parse will never take a message.
            Some(Err(_)) => Err(SendError::refused("unusable address")),
            Some(Ok(message)) => app.mailer.send(&message),
        };
        match sent {
            Ok(()) => record.citizen_sent = true,
            Err(err) if err.permanent => {
                // Final: the citizen was given the reference on screen; retrying a refused
                // address only keeps the record (and the alarms) pending for ever.
                tracing::warn!(reference = %record.reference, error = %err, outcome = "confirmation_refused", "confirmation refused; not retried");
                record.citizen_sent = true;
                record.confirmation_unsent = Some(Unsent::Refused);
                // The delivered record keeps this state (a folder outbox moves what is
                // stored; S3 writes what it is given).
                if app.outbox.save(&record).is_err() {
                    return false;
                }
            }
            Err(err) => {
                tracing::warn!(reference = %record.reference, error = %err, "confirmation not sent; kept pending");
                let _ = app.outbox.save(&record);
                return false;
            }
        }
    }
    app.outbox.mark_sent(&record).is_ok()
}

fn invalid(
    app: &App,
    form: &Form,
    submission: &Submission,
    errors: &validate::Errors,
    json: bool,
    lang: Lang,
) -> Reply {
    if json {
        return json_reply(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({ "errors": validate::errors_map(errors) }),
        );
    }
    // Built from the configured endpoint, never from the request: a crafted path must not
    // become the address the citizen's corrected answers are sent to.
    let action = app.form_action(&form.id, lang);
    let (intro, title) = lang.pick(
        (
            "Periksa kembali isian Anda. Isian yang sudah benar tetap tersimpan di formulir di bawah ini.",
            format!("Periksa isian: {}", form.title),
        ),
        (
            "Please check your answers. The answers that were right are kept in the form below.",
            format!("Check your answers: {}", form.title),
        ),
    );
    let body = format!(
        "<h1>{}</h1>\n<p>{intro}</p>\n{}",
        escape(&form.title),
        render::form(form, &action, submission, errors)
    );
    html_reply(
        StatusCode::UNPROCESSABLE_ENTITY,
        page(lang, &title, app.stylesheet.as_deref(), &body),
    )
}

fn receipt(app: &App, form: &Form, record: &Record, json: bool, lang: Lang) -> Reply {
    let reference = &record.reference;
    let promise = email::promise(form, record, lang);
    let message = lang.pick(
        format!("Kiriman Anda sudah kami terima dan tercatat dengan nomor {reference}. {promise}"),
        format!(
            "We have received your submission and recorded it under number {reference}. {promise}"
        ),
    );
    if json {
        let answer_by = Some(&record.answer_by).filter(|d| !d.is_empty());
        return json_reply(
            StatusCode::OK,
            json!({ "reference": record.reference, "answer_by": answer_by, "message": message }),
        );
    }
    let email_note = match (
        record.citizen_email.is_some(),
        record.confirmation_promised(),
        lang,
    ) {
        (false, _, _) => "",
        (true, true, Lang::Id) => "<p>Kami juga mengirim tanda terima ke alamat surel Anda.</p>",
        (true, true, Lang::En) => {
            "<p>We have also sent a receipt (in Indonesian) to your email address.</p>"
        }
        (true, false, Lang::Id) => {
            "<p>Tanda terima tidak kami kirim ke alamat surel Anda kali ini, karena alamat itu sudah menerima beberapa tanda terima dalam waktu singkat. Catat nomor di atas.</p>"
        }
        (true, false, Lang::En) => {
            "<p>We have not sent a receipt to your email address this time, because it has received several in a short time. Write down the number above.</p>"
        }
    };
    let reference = escape(&record.reference);
    let promise = escape(&promise);
    let (body, title) = lang.pick(
        (
            format!("<h1>Kiriman Anda sudah kami terima</h1>\n<p>Nomor referensi Anda:</p>\n<p class=\"nomor-referensi\"><strong>{reference}</strong></p>\n<p>Simpan atau catat nomor ini. Sebutkan nomor ini bila Anda menanyakan perkembangannya.</p>\n<p>{promise}</p>\n{email_note}\n"),
            format!("Diterima: {}", form.title),
        ),
        (
            format!("<h1>We have received your submission</h1>\n<p>Your reference number:</p>\n<p class=\"nomor-referensi\"><strong>{reference}</strong></p>\n<p>Keep or write down this number. Give it when you ask how your request is going.</p>\n<p>{promise}</p>\n{email_note}\n"),
            format!("Received: {}", form.title),
        ),
    );
    let body = format!("{body}{}", back_link(app, lang));
    html_reply(
        StatusCode::OK,
        page(lang, &title, app.stylesheet.as_deref(), &body),
    )
}

/// Adapts a `tiny_http` request (the local servers) to the handler.
#[cfg(feature = "local-server")]
pub fn from_tiny_http(
    app: &App,
    request: &mut tiny_http::Request,
) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    to_tiny_http(handle(
        app,
        &tiny_http_request(request, app.limits.body_bytes),
    ))
}

/// Builds an `http` request from its parts (for servers that are not `http`-typed).
pub fn tiny_http_request_parts(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: Vec<u8>,
) -> Request<Vec<u8>> {
    let mut builder = Request::builder().method(method).uri(url);
    for (name, value) in headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    builder
        .body(body)
        .unwrap_or_else(|_| Request::new(Vec::new()))
}

/// The request as `http` types; the body is read up to one byte past the limit, so an
/// oversized post is refused without reading it all.
#[cfg(feature = "local-server")]
fn tiny_http_request(request: &mut tiny_http::Request, limit: usize) -> Request<Vec<u8>> {
    let client = request.remote_addr().map(|a| ClientIp(a.ip().to_string()));
    use std::io::Read as _;
    let mut body = Vec::new();
    let _ = request
        .as_reader()
        .take(limit as u64 + 1)
        .read_to_end(&mut body);
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|h| {
            (
                h.field.as_str().as_str().to_string(),
                h.value.as_str().to_string(),
            )
        })
        .collect();
    let mut converted =
        tiny_http_request_parts(request.method().as_str(), request.url(), &headers, body);
    if let Some(client) = client {
        converted.extensions_mut().insert(client);
    }
    converted
}

#[cfg(feature = "local-server")]
fn to_tiny_http(answer: Reply) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let (parts, body) = answer.into_parts();
    let mut response = tiny_http::Response::from_data(body).with_status_code(parts.status.as_u16());
    for (name, value) in &parts.headers {
        if let Ok(h) = tiny_http::Header::from_bytes(name.as_str().as_bytes(), value.as_bytes()) {
            response.add_header(h);
        }
    }
    response
}
