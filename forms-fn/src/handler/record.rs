//! What the form's definition says about a submission: fields it does not know, where it is
//! routed, and the outbox record an accepted one becomes.

use forms_model::lang::LANG_FIELD;
use forms_model::media::strip_jpeg_metadata;
use forms_model::render::{HASH_FIELD, HONEYPOT_FIELD, SURVEY_LINK_FIELD};
use forms_model::schema::{Field, FieldType, Form, Route};
use forms_model::submission::{Submission, Upload};
use forms_model::validate::{Answer, Value, sniff, trimmed};

use crate::app::App;
use crate::outbox::{Record, StoredFile, Unsent};
use crate::reference;

/// A name the form does not define (group rows and the hidden fields allowed).
pub fn unknown_field(form: &Form, submission: &Submission) -> Option<String> {
    let in_group = |f: &Field, name: &str| {
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
            || (name == SURVEY_LINK_FIELD && form.survey.is_some())
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

/// A file part under a name that is not a file field: only a declared file input (at the
/// top, or in a group's row) may carry a file.
pub fn file_outside_a_file_field(form: &Form, submission: &Submission) -> Option<String> {
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

/// Guidance instead of mail, when a routing rule says the matter belongs elsewhere.
pub fn guidance<'a>(form: &'a Form, submission: &Submission) -> Option<&'a str> {
    matching_route(form, submission)?.guidance.as_deref()
}

fn matching_route<'a>(form: &'a Form, submission: &Submission) -> Option<&'a Route> {
    // The answer as validation reads it (trimmed of blank and invisible characters), so a
    // value routes the same way it validates.
    form.routes.iter().find(|r| {
        submission
            .value(&r.field)
            .map(trimmed)
            .is_some_and(|v| r.equals.iter().any(|e| e == v))
    })
}

/// The key of the desk a submission is routed to.
pub fn desk_key<'a>(form: &'a Form, submission: &Submission) -> &'a str {
    matching_route(form, submission)
        .and_then(|r| r.desk.as_deref())
        .unwrap_or(&form.desk)
}

/// A record with nothing in it, for receipts that repeat or pretend one.
pub fn empty_record(app: &App, form: &Form) -> Record {
    Record::new(
        "",
        &form.id,
        "",
        &form.deadline_days.due(app.clock.today(), &app.holidays),
    )
}

/// The record of an accepted submission: routed on its answers, with only the files that
/// validation accepted (photos without their metadata), and whether its confirmation may
/// be mailed decided now, so the receipt says the truth.
pub fn record(
    app: &App,
    form: &Form,
    submission: &Submission,
    mut answers: Vec<Answer>,
    source: &str,
) -> Record {
    let route = matching_route(form, submission);
    let desk_key = desk_key(form, submission);
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
        received_at: app.clock.now_secs(),
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
            &form.deadline_days.due(app.clock.today(), &app.holidays),
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
                        kept.push(stored(upload));
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

/// An upload as kept: photos lose their EXIF (GPS position included).
fn stored(upload: &Upload) -> StoredFile {
    StoredFile {
        field: upload.field.clone(),
        filename: upload.filename.clone(),
        bytes: match sniff(&upload.bytes) {
            Some("jpg") => strip_jpeg_metadata(&upload.bytes).unwrap_or_default(),
            _ => upload.bytes.clone(),
        },
    }
}
