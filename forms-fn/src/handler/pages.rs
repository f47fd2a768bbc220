//! The function's answers to a citizen: the receipt, the form again with what to correct,
//! guidance to another institution, and the page that says why a submission was refused;
//! each as HTML for a plain form post or as JSON for the page's script.

use http::{StatusCode, header};
use serde_json::json;

use forms_model::html::escape;
use forms_model::lang::Lang;
use forms_model::render;
use forms_model::schema::Form;
use forms_model::submission::Submission;
use forms_model::validate;

use super::headers::{Reply, html_reply, json_reply};
use super::refusal::Refusal;
use crate::app::App;
use crate::email;
use crate::outbox::Record;

/// How to answer: as JSON or HTML, in which language.
#[derive(Debug, Clone, Copy)]
pub struct Answering {
    pub json: bool,
    pub lang: Lang,
}

/// A whole page answered by the function: plain, accessible, with the site's stylesheet when
/// it is known, and an empty icon so the browser does not ask the function for a
/// `/favicon.ico` it does not have.
fn page(app: &App, lang: Lang, title: &str, body: &str) -> String {
    let css = app
        .stylesheet
        .as_deref()
        .map(|href| format!("<link rel=\"stylesheet\" href=\"{}\">\n", escape(href)))
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"robots\" content=\"noindex\">\n<title>{} – KPU Provinsi NTB</title>\n<link rel=\"icon\" href=\"data:,\">\n{css}</head>\n<body>\n<main id=\"isi\" class=\"wadah\">\n{body}\n</main>\n</body>\n</html>\n",
        lang.code(),
        escape(title)
    )
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

/// The answer to a refused request. Answers to correct show the form again (`form` and
/// `submission` are those of the request, when it got that far).
pub fn refused(
    app: &App,
    how: Answering,
    refusal: &Refusal,
    form: Option<(&Form, &Submission)>,
) -> Reply {
    let mut reply = match (&refusal.errors, form) {
        (Some(errors), Some((form, submission))) => invalid(app, how, form, submission, errors),
        _ => problem(app, how, refusal.status, refusal.message.pick(how.lang)),
    };
    let headers = reply.headers_mut();
    if let Some(wait) = refusal.retry_after
        && let Ok(v) = wait.to_string().parse()
    {
        headers.insert(header::RETRY_AFTER, v);
    }
    if refusal.post_only {
        headers.insert(header::ALLOW, http::HeaderValue::from_static("POST"));
    }
    reply
}

fn problem(app: &App, how: Answering, status: StatusCode, message: &str) -> Reply {
    let lang = how.lang;
    if how.json {
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
    html_reply(status, page(app, lang, title, &body))
}

/// The answer that sends a matter elsewhere; nothing is kept.
pub fn guided(app: &App, how: Answering, guidance: &str) -> Reply {
    if how.json {
        return json_reply(StatusCode::OK, json!({ "guidance": guidance }));
    }
    let lang = how.lang;
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
    html_reply(StatusCode::OK, page(app, lang, title, &body))
}

fn invalid(
    app: &App,
    how: Answering,
    form: &Form,
    submission: &Submission,
    errors: &validate::Errors,
) -> Reply {
    if how.json {
        return json_reply(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({ "errors": validate::errors_map(errors) }),
        );
    }
    let lang = how.lang;
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
        render::form(form, &action, lang, submission, errors)
    );
    html_reply(
        StatusCode::UNPROCESSABLE_ENTITY,
        page(app, lang, &title, &body),
    )
}

pub fn receipt(app: &App, how: Answering, form: &Form, record: &Record) -> Reply {
    let lang = how.lang;
    let reference = &record.reference;
    let promise = email::promise(form, record, lang);
    let message = lang.pick(
        format!("Kiriman Anda sudah kami terima dan tercatat dengan nomor {reference}. {promise}"),
        format!(
            "We have received your submission and recorded it under number {reference}. {promise}"
        ),
    );
    if how.json {
        let answer_by = Some(&record.answer_by).filter(|d| !d.is_empty());
        return json_reply(
            StatusCode::OK,
            json!({ "reference": record.reference, "answer_by": answer_by, "message": message }),
        );
    }
    let reference = escape(&record.reference);
    let promise = escape(&promise);
    let email_note = email_note(record, lang);
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
    html_reply(StatusCode::OK, page(app, lang, &title, &body))
}

/// What the receipt says about the confirmation mail.
fn email_note(record: &Record, lang: Lang) -> &'static str {
    match (
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
    }
}
