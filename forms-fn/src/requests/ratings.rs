//! The satisfaction survey's answers as they are counted: the rated service, the day, the
//! nine scores and the optional respondent profile, and the request rated when the answer
//! came from the link in a closing mail (one rating per request). Nothing that names the
//! respondent, and not the suggestion, which goes to the desk in its mail.

use std::collections::BTreeMap;

use forms_model::lang::Lang;
use forms_model::performance::skm::Scores;
use forms_model::schema::Form;
use forms_model::schema::survey;
use serde::{Deserialize, Serialize};

/// The profile fields the survey asks for (all optional).
pub const PROFILE: [&str; 3] = ["jenis_kelamin", "pendidikan", "pekerjaan"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    /// The survey answer's own reference (its outbox record's).
    pub reference: String,
    /// The rated service's page (`informasi-publik`, ...).
    pub service: String,
    /// The day it was given (ISO, WITA).
    pub day: String,
    /// In the order of [`forms_model::performance::skm::ELEMENTS`].
    pub scores: Scores,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub profile: BTreeMap<String, String>,
    /// The request rated, when the answer came from its closing mail's link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
}

/// How long a closing mail's survey link works.
pub const SURVEY_DAYS: u64 = 30;

/// The survey's address for rating the request `reference`, with a fresh signed link;
/// `None` where the site has no survey.
pub fn survey_url(app: &crate::App, reference: &str, lang: Lang) -> Option<String> {
    app.forms.values().find(|f| f.survey.is_some())?;
    let expires = app.clock.now_secs() + SURVEY_DAYS * 86_400;
    let token = app.keys.survey_link(reference, expires);
    Some(app.endpoint_url(&format!("survei/{token}"), lang))
}

impl Rating {
    /// What the store keeps it under: the request it rates (so a request is rated once), or
    /// its own reference.
    pub fn key(&self) -> &str {
        self.request.as_deref().unwrap_or(&self.reference)
    }

    /// The rating in a survey's answers, read through `value` (by field name); `None` when
    /// `form` is not a survey or an element has no score.
    pub fn from_answers<'a>(
        form: &Form,
        reference: &str,
        day: &str,
        value: impl Fn(&str) -> Option<&'a str>,
    ) -> Option<Rating> {
        let settings = form.survey.as_ref()?;
        let service = value(&settings.service_field)?.trim().to_string();
        let scores = survey::scores(&value)?;
        let profile = PROFILE
            .iter()
            .filter_map(|name| {
                let answer = value(name)?.trim();
                let offered = form
                    .field(name)
                    .is_some_and(|f| f.options.iter().any(|o| o.value == answer));
                offered.then(|| (name.to_string(), answer.to_string()))
            })
            .collect();
        Some(Rating {
            reference: reference.to_string(),
            service,
            day: day.to_string(),
            scores,
            profile,
            request: None,
        })
    }
}
