//! The request handler: `POST {base}/{id}` in, an answer out, with plain `http` types so the
//! same code runs under Lambda, in `forms-fn serve` and inside `generator serve`.
//!
//! Order matters: a submission is validated, then recorded in the outbox, and only then is
//! the citizen told it was received; mail goes out after that, and a failed send leaves the
//! record pending for the resend command.

use std::time::Instant;

use http::{Method, Request, Response, StatusCode, header};
use serde_json::json;

use crate::app::App;
use crate::calendar::Day;
use crate::email;
use crate::html::{escape, page};
use crate::outbox::{Record, StoredFile};
use crate::reference;
use crate::render::{self, HASH_FIELD};
use crate::schema::{FieldType, Form};
use crate::submission::{self, ParseError, Submission};
use crate::validate::{self, Answer, Value};

type Reply = Response<Vec<u8>>;

fn wants_json(request: &Request<Vec<u8>>) -> bool {
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

/// A failure that is the request's fault (4xx), in the citizen's language.
fn problem(app: &App, json: bool, status: StatusCode, message: &str) -> Reply {
    if json {
        return json_reply(status, json!({ "error": message }));
    }
    let body = format!(
        "<h1>Kiriman tidak dapat diproses</h1>\n<p>{}</p>\n<p><a href=\"{}\">Kembali ke situs KPU Provinsi NTB</a></p>",
        escape(message),
        escape(&app.site_url)
    );
    html_reply(
        status,
        page(
            "Kiriman tidak dapat diproses",
            app.stylesheet.as_deref(),
            &body,
        ),
    )
}

/// Handles one request to the forms endpoint.
pub fn handle(app: &App, request: &Request<Vec<u8>>) -> Reply {
    let started = Instant::now();
    let json = wants_json(request);
    let id = request
        .uri()
        .path()
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let Some(form) = app.forms.get(&id) else {
        return problem(app, json, StatusCode::NOT_FOUND, "Formulir ini tidak ada.");
    };
    if request.method() != Method::POST {
        let mut r = problem(
            app,
            json,
            StatusCode::METHOD_NOT_ALLOWED,
            "Formulir hanya menerima kiriman (POST).",
        );
        r.headers_mut()
            .insert(header::ALLOW, http::HeaderValue::from_static("POST"));
        return r;
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let submission = match submission::parse(content_type, request.body(), &app.limits) {
        Ok(s) => s,
        Err(ParseError::UnsupportedType) => {
            return problem(
                app,
                json,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Kirim formulir sebagai application/x-www-form-urlencoded atau multipart/form-data.",
            );
        }
        Err(ParseError::TooLarge(limit)) => {
            return problem(
                app,
                json,
                StatusCode::PAYLOAD_TOO_LARGE,
                &format!(
                    "Kiriman terlalu besar: {limit}. Perkecil lampiran, atau serahkan di loket."
                ),
            );
        }
        Err(ParseError::Malformed(what)) => {
            return problem(
                app,
                json,
                StatusCode::BAD_REQUEST,
                &format!("Kiriman rusak ({what}). Muat ulang halaman formulir lalu kirim lagi."),
            );
        }
    };
    if submission.value(HASH_FIELD) != Some(form.hash.as_str()) {
        tracing::info!(form = %id, outcome = "stale_form", "rejected");
        return problem(
            app,
            json,
            StatusCode::CONFLICT,
            "Formulir ini sudah diperbarui sejak halaman Anda dibuka. Muat ulang halaman formulir, lalu isi dan kirim lagi.",
        );
    }
    // A matter that belongs elsewhere is answered first: the citizen should not have to
    // complete a form we will not keep.
    if let Some(guidance) = guidance(form, &submission) {
        tracing::info!(form = %id, outcome = "guided", "answered with guidance");
        return if json {
            json_reply(StatusCode::OK, json!({ "guidance": guidance }))
        } else {
            let body = format!(
                "<h1>Pengaduan Anda ditangani lembaga lain</h1>\n<p>{}</p>\n<p>Kiriman ini tidak kami simpan dan tidak kami teruskan.</p>\n<p><a href=\"{}\">Kembali ke situs KPU Provinsi NTB</a></p>",
                escape(guidance),
                escape(&app.site_url)
            );
            html_reply(
                StatusCode::OK,
                page("Ke mana harus mengadu", app.stylesheet.as_deref(), &body),
            )
        };
    }
    let today = (app.today)();
    let answers = match validate::validate(form, &submission, today) {
        Ok(a) => a,
        Err(errors) => {
            tracing::info!(form = %id, outcome = "invalid", fields = errors.len(), "rejected");
            return invalid(app, form, request, &submission, &errors, json);
        }
    };
    let record = record(app, form, &submission, answers, today);
    if let Err(err) = app.outbox.save(&record) {
        tracing::error!(form = %id, outcome = "not_recorded", error = %err, "outbox write failed");
        return problem(
            app,
            json,
            StatusCode::SERVICE_UNAVAILABLE,
            "Kiriman Anda belum dapat kami catat karena gangguan. Tidak ada yang tersimpan: coba kirim lagi beberapa saat lagi.",
        );
    }
    let delivered = deliver(app, form, record.clone());
    tracing::info!(
        reference = %record.reference,
        form = %id,
        outcome = if delivered { "delivered" } else { "recorded_pending_mail" },
        elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
        "received"
    );
    receipt(app, form, &record, json)
}

/// Guidance instead of mail, when a routing rule says the matter belongs elsewhere.
fn guidance<'a>(form: &'a Form, submission: &Submission) -> Option<&'a str> {
    let route = matching_route(form, submission)?;
    route.guidance.as_deref()
}

fn matching_route<'a>(form: &'a Form, submission: &Submission) -> Option<&'a crate::schema::Route> {
    form.routes.iter().find(|r| {
        submission
            .value(&r.field)
            .is_some_and(|v| r.equals.iter().any(|e| e == v))
    })
}

fn record(
    app: &App,
    form: &Form,
    submission: &Submission,
    answers: Vec<Answer>,
    today: Day,
) -> Record {
    let desk_key = matching_route(form, submission)
        .and_then(|r| r.desk.as_ref())
        .unwrap_or(&form.desk);
    let citizen_email = form
        .fields
        .iter()
        .filter(|f| f.kind == FieldType::Email)
        .find_map(|f| answers.iter().find(|a| a.name == f.name))
        .and_then(|a| match &a.value {
            Value::Text(t) => Some(t.clone()),
            _ => None,
        });
    Record {
        reference: reference::new(&form.prefix),
        form_id: form.id.clone(),
        received_at: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        desk: app.desks.get(desk_key).cloned().unwrap_or_default(),
        answers,
        files: submission
            .files
            .iter()
            .map(|f| StoredFile {
                field: f.field.clone(),
                filename: f.filename.clone(),
                bytes: f.bytes.clone(),
            })
            .collect(),
        citizen_email,
        answer_by: today.plus_working_days(form.deadline_days).iso(),
        desk_sent: false,
        citizen_sent: false,
    }
}

/// Sends what is still unsent of `record` and moves it to `sent/` when all is delivered.
/// Returns whether everything went out.
pub fn deliver(app: &App, form: &Form, mut record: Record) -> bool {
    if !record.desk_sent {
        match email::to_desk(form, &record, &app.from).and_then(|m| app.mailer.send(&m)) {
            Ok(()) => {
                record.desk_sent = true;
                // Remember progress, so a resend does not mail the desk twice.
                if app.outbox.save(&record).is_err() {
                    return false;
                }
            }
            Err(err) => {
                tracing::warn!(reference = %record.reference, error = %err, "desk mail not sent; kept pending");
                return false;
            }
        }
    }
    if !record.citizen_sent {
        match email::to_citizen(form, &record, &app.from) {
            None => record.citizen_sent = true,
            Some(message) => match message.and_then(|m| app.mailer.send(&m)) {
                Ok(()) => record.citizen_sent = true,
                Err(err) => {
                    tracing::warn!(reference = %record.reference, error = %err, "confirmation not sent; kept pending");
                    let _ = app.outbox.save(&record);
                    return false;
                }
            },
        }
    }
    app.outbox.mark_sent(&record).is_ok()
}

/// Re-sends every pending submission; returns (delivered, still pending).
pub fn resend_pending(app: &App) -> Result<(usize, usize), String> {
    let records = app
        .outbox
        .pending_records()
        .map_err(|e| format!("cannot read the outbox: {e}"))?;
    let (mut delivered, mut pending) = (0, 0);
    for record in records {
        let Some(form) = app.forms.get(&record.form_id) else {
            pending += 1;
            continue;
        };
        if deliver(app, form, record) {
            delivered += 1;
        } else {
            pending += 1;
        }
    }
    Ok((delivered, pending))
}

fn invalid(
    app: &App,
    form: &Form,
    request: &Request<Vec<u8>>,
    submission: &Submission,
    errors: &validate::Errors,
    json: bool,
) -> Reply {
    if json {
        return json_reply(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({ "errors": validate::errors_map(errors) }),
        );
    }
    let action = request.uri().path().to_string();
    let body = format!(
        "<h1>{}</h1>\n<p>Periksa kembali isian Anda. Isian yang sudah benar tetap tersimpan di formulir di bawah ini.</p>\n{}",
        escape(&form.title),
        render::form(form, &action, submission, errors)
    );
    html_reply(
        StatusCode::UNPROCESSABLE_ENTITY,
        page(
            &format!("Periksa isian: {}", form.title),
            app.stylesheet.as_deref(),
            &body,
        ),
    )
}

fn receipt(app: &App, form: &Form, record: &Record, json: bool) -> Reply {
    let answer_by = Day::parse(&record.answer_by)
        .map(Day::display_id)
        .unwrap_or_default();
    let message = format!(
        "Kiriman Anda sudah kami terima dan tercatat dengan nomor {}. Kami akan menjawab paling lambat {answer_by} ({} hari kerja).",
        record.reference, form.deadline_days
    );
    if json {
        return json_reply(
            StatusCode::OK,
            json!({ "reference": record.reference, "answer_by": record.answer_by, "message": message }),
        );
    }
    let email_note = if record.citizen_email.is_some() {
        "<p>Kami juga mengirim tanda terima ke alamat surel Anda.</p>"
    } else {
        ""
    };
    let body = format!(
        "<h1>Kiriman Anda sudah kami terima</h1>\n<p>Nomor referensi Anda:</p>\n<p class=\"nomor-referensi\"><strong>{reference}</strong></p>\n<p>Simpan atau catat nomor ini. Sebutkan nomor ini bila Anda menanyakan perkembangannya.</p>\n<p>Kami akan menjawab paling lambat <strong>{answer_by}</strong> ({days} hari kerja).</p>\n{email_note}\n<p><a href=\"{site}\">Kembali ke situs KPU Provinsi NTB</a></p>",
        reference = escape(&record.reference),
        answer_by = escape(&answer_by),
        days = form.deadline_days,
        site = escape(&app.site_url),
    );
    html_reply(
        StatusCode::OK,
        page(
            &format!("Diterima: {}", form.title),
            app.stylesheet.as_deref(),
            &body,
        ),
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
    tiny_http_request_parts(request.method().as_str(), request.url(), &headers, body)
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
