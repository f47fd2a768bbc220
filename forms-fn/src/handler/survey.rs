//! The satisfaction survey (SKM). A closing mail carries a signed link,
//! `{endpoint}/survei/{link}`, that opens the survey with the service filled in and the link
//! in a hidden field; the answer posted with it rates that request, once. Anyone can also
//! answer the survey from the site (a walk-in visitor, from the counter's poster): that
//! rating belongs to no request. Either way the answer becomes a [`Rating`] in the store;
//! the suggestion goes to the service's desk in its mail, like any form.

use http::StatusCode;
use tera::Context;

use forms_model::render::{self, SURVEY_LINK_FIELD};
use forms_model::schema::Form;
use forms_model::submission::Submission;
use forms_model::validate::Errors;

use super::headers::Reply;
use super::pages::{self, Answering};
use super::refusal::Refusal;
use crate::app::App;
use crate::outbox::Record;
use crate::requests::ratings::Rating;
use crate::requests::tokens::LinkError;

/// The request a survey answer rates, from its hidden link: `None` for an answer without
/// one; refused when the link is forged or expired, the request unknown, or already rated.
pub fn rated_request(
    app: &App,
    form: &Form,
    submission: &Submission,
) -> Result<Option<(String, String)>, Refusal> {
    if form.survey.is_none() {
        return Ok(None);
    }
    let Some(token) = submission
        .value(SURVEY_LINK_FIELD)
        .filter(|t| !t.is_empty())
    else {
        return Ok(None);
    };
    checked(app, token).map(Some)
}

/// A survey link's request and the service it rates, if it may still be rated.
fn checked(app: &App, token: &str) -> Result<(String, String), Refusal> {
    let refused = |key| Refusal::new(StatusCode::FORBIDDEN, key).logged("survey_link_refused");
    let reference = app
        .keys
        .verify_survey(token, app.clock.now_secs())
        .map_err(|e| match e {
            LinkError::Expired => refused("fn_link_expired"),
            _ => refused("fn_link_invalid"),
        })?;
    let store = app
        .requests
        .as_ref()
        .ok_or_else(|| refused("fn_link_invalid"))?;
    let request = store
        .get(&reference)
        .ok()
        .flatten()
        .ok_or_else(|| refused("fn_link_invalid"))?;
    let service = app
        .forms
        .get(&request.form_id)
        .map(|f| f.service().to_string())
        .ok_or_else(|| refused("fn_link_invalid"))?;
    if store.rated(&reference).unwrap_or(false) {
        return Err(Refusal::new(StatusCode::CONFLICT, "fn_survey_done").logged("survey_repeated"));
    }
    Ok((reference, service))
}

/// Keeps the rating of a recorded survey answer. The record is already safe in the outbox,
/// so a store that fails is logged rather than refused.
pub fn rate(
    app: &App,
    form: &Form,
    record: &Record,
    submission: &Submission,
    request: Option<(String, String)>,
) {
    let Some(store) = &app.requests else { return };
    let day = app.clock.today().iso();
    let Some(mut rating) =
        Rating::from_answers(form, &record.reference, &day, |n| submission.value(n))
    else {
        return;
    };
    // Tied to the request only when it rates the request's service: a citizen who changed
    // the service on the page rates that one, like a visitor at the counter.
    if let Some((reference, _)) = request.filter(|(_, s)| *s == rating.service) {
        rating.request = Some(reference);
    }
    match store.add_rating(&rating) {
        Ok(true) => {}
        Ok(false) => {
            tracing::info!(reference = %record.reference, outcome = "survey_repeated", "rating not counted twice");
        }
        Err(err) => {
            tracing::error!(reference = %record.reference, error = %err, outcome = "not_rated", "rating not kept");
        }
    }
}

/// The page a survey link opens: the survey with the service filled in.
pub fn page(app: &App, how: Answering, token: &str) -> Reply {
    let Some(form) = app.forms.values().find(|f| f.survey.is_some()) else {
        return pages::refused(app, how, &Refusal::not_found(), None);
    };
    let (_, service) = match checked(app, token) {
        Ok(found) => found,
        Err(refusal) => return pages::refused(app, how, &refusal, None),
    };
    let field = form
        .survey
        .as_ref()
        .map(|s| s.service_field.clone())
        .unwrap_or_default();
    let values = Submission {
        fields: vec![
            (field, service),
            (SURVEY_LINK_FIELD.to_string(), token.to_string()),
        ],
        files: Vec::new(),
    };
    let action = app.form_action(&form.id, how.lang);
    let mut context = Context::new();
    context.insert("form_title", &form.title);
    context.insert("intro", &form.intro);
    context.insert(
        "form",
        &render::form(form, &action, how.lang, &values, &Errors::default()),
    );
    pages::page(app, StatusCode::OK, "survey", how.lang, context)
}
