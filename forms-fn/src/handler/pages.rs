//! The function's answers to a citizen: the receipt, the form again with what to correct,
//! guidance to another institution, and the page that says why a submission was refused;
//! each as HTML (the theme's `templates/function/`) for a plain form post, or as JSON for
//! the page's script, with the same words.

use http::{StatusCode, header};
use serde_json::json;
use tera::Context;

use forms_model::lang::Lang;
use forms_model::render;
use forms_model::schema::Form;
use forms_model::submission::Submission;
use forms_model::validate;

use super::headers::{Reply, html_reply, json_reply, reply};
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

/// The page `name` of the theme, with what every page shows (the site's stylesheet and
/// address) added to `context`.
pub(super) fn page(
    app: &App,
    status: StatusCode,
    name: &str,
    lang: Lang,
    mut context: Context,
) -> Reply {
    context.insert("stylesheet", &app.stylesheet);
    context.insert("site_url", &app.site_url);
    match app.theme.page(name, lang, context) {
        Ok(html) => html_reply(status, html),
        Err(err) => {
            // The theme's templates are tested with every page; should one still fail, the
            // citizen gets the status and a line of text rather than nothing.
            tracing::error!(page = name, error = %err, "page not rendered");
            reply(
                status,
                "text/plain; charset=utf-8",
                status.to_string().into_bytes(),
            )
        }
    }
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
        _ => problem(app, how, refusal),
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

fn problem(app: &App, how: Answering, refusal: &Refusal) -> Reply {
    let message = refusal.message.words(&app.theme.words, how.lang);
    if how.json {
        return json_reply(refusal.status, json!({ "error": message }));
    }
    let mut context = Context::new();
    context.insert("message", &message);
    page(app, refusal.status, "problem", how.lang, context)
}

/// The answer that sends a matter elsewhere; nothing is kept.
pub fn guided(app: &App, how: Answering, guidance: &str) -> Reply {
    if how.json {
        return json_reply(StatusCode::OK, json!({ "guidance": guidance }));
    }
    let mut context = Context::new();
    context.insert("guidance", guidance);
    page(app, StatusCode::OK, "guidance", how.lang, context)
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
    // Built from the configured endpoint, never from the request: a crafted path must not
    // become the address the citizen's corrected answers are sent to.
    let action = app.form_action(&form.id, how.lang);
    let mut context = Context::new();
    context.insert("form_title", &form.title);
    context.insert(
        "form",
        &render::form(form, &action, how.lang, submission, errors),
    );
    page(
        app,
        StatusCode::UNPROCESSABLE_ENTITY,
        "check",
        how.lang,
        context,
    )
}

pub fn receipt(app: &App, how: Answering, form: &Form, record: &Record) -> Reply {
    let promise = email::promise(form, record, how.lang);
    if how.json {
        let message = app.theme.words.fill(
            how.lang,
            "fn_receipt_message",
            &[("reference", &record.reference), ("promise", &promise)],
        );
        let answer_by = Some(&record.answer_by).filter(|d| !d.is_empty());
        let status_url = super::track::status_url(app, &record.reference, how.lang);
        return json_reply(
            StatusCode::OK,
            json!({ "reference": record.reference, "answer_by": answer_by, "message": message, "status_url": status_url }),
        );
    }
    let mailed = match (
        record.citizen_email.is_some(),
        record.confirmation_promised(),
    ) {
        (false, _) => "",
        (true, true) => "yes",
        (true, false) => "no",
    };
    let mut context = Context::new();
    context.insert("form_title", &form.title);
    context.insert("reference", &record.reference);
    context.insert("promise", &promise);
    context.insert("mailed", mailed);
    context.insert(
        "status_url",
        &super::track::status_url(app, &record.reference, how.lang)
            .filter(|_| !record.reference.is_empty()),
    );
    page(app, StatusCode::OK, "receipt", how.lang, context)
}
