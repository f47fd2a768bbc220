//! The rules every answer must meet, per field type, with the messages citizens read (in
//! the form page's language, [`Lang`]). Pure: no I/O; "today" is a parameter.

use std::collections::BTreeMap;

use crate::calendar::Day;
use crate::lang::Lang;
use crate::schema::{Field, FieldType, Form};
use crate::submission::Submission;

mod files;
mod values;

use files::files;
pub use files::sniff;
use values::{date, email_in, is_bidi_control, lower_first, nik_in, number, phone_in, text};
pub use values::{email, nik, phone, trimmed};

/// A checked answer, ready for the email and the outbox.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Answer {
    /// The field's name (`nama`, or `anggota-2-nama` in a group row).
    pub name: String,
    pub label: String,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Value {
    Text(String),
    /// The labels of the chosen options.
    Choices(Vec<String>),
    /// Indices into the submission's files.
    Files(Vec<usize>),
    Rows(Vec<Vec<Answer>>),
    Empty,
}

/// Field name → message, in the order the fields appear.
pub type Errors = Vec<(String, String)>;

/// Checks a submission against its form. `today` is the current day in WITA.
pub fn validate(form: &Form, submission: &Submission, today: Day) -> Result<Vec<Answer>, Errors> {
    let lang = submission.lang();
    let mut answers = Vec::new();
    let mut errors = Errors::new();
    for field in &form.fields {
        if field.kind == FieldType::Group {
            match group(field, submission, today, lang) {
                Ok(rows) => answers.push(Answer {
                    name: field.name.clone(),
                    label: field.label.clone(),
                    value: Value::Rows(rows),
                }),
                Err(e) => errors.extend(e),
            }
            continue;
        }
        match one(field, &field.name, submission, today, lang) {
            Ok(value) => answers.push(Answer {
                name: field.name.clone(),
                label: field.label.clone(),
                value,
            }),
            Err(message) => errors.push((field.name.clone(), message)),
        }
    }
    if errors.is_empty() {
        Ok(answers)
    } else {
        Err(errors)
    }
}

fn group(
    field: &Field,
    submission: &Submission,
    today: Day,
    lang: Lang,
) -> Result<Vec<Vec<Answer>>, Errors> {
    let max = field.max_rows.unwrap_or(20);
    let mut rows = Vec::new();
    let mut errors = Errors::new();
    for row in 1..=max {
        let key = |inner: &Field| format!("{}-{row}-{}", field.name, inner.name);
        let filled = field.fields.iter().any(|inner| {
            submission
                .values(&key(inner))
                .iter()
                .any(|v| !trimmed(v).is_empty())
                || submission.files_for(&key(inner)).next().is_some()
        });
        if !filled {
            continue;
        }
        let mut answers = Vec::new();
        for inner in &field.fields {
            let name = key(inner);
            match one(inner, &name, submission, today, lang) {
                Ok(value) => answers.push(Answer {
                    name,
                    label: inner.label.clone(),
                    value,
                }),
                Err(message) => errors.push((
                    name,
                    lang.pick(
                        format!("Baris {row}: {message}"),
                        format!("Row {row}: {message}"),
                    ),
                )),
            }
        }
        rows.push(answers);
    }
    let min = field.min_rows.unwrap_or(usize::from(field.required));
    if rows.len() < min {
        errors.insert(
            0,
            (
                format!("{}-1-{}", field.name, field.fields[0].name),
                lang.pick(
                    format!("{}: isi paling sedikit {min} baris.", field.label),
                    format!("{}: fill in at least {min} rows.", field.label),
                ),
            ),
        );
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// Checks one field's answer under the form name `name`.
fn one(
    field: &Field,
    name: &str,
    submission: &Submission,
    today: Day,
    lang: Lang,
) -> Result<Value, String> {
    if field.kind == FieldType::File {
        return files(field, name, submission, lang);
    }
    let values: Vec<&str> = submission
        .values(name)
        .iter()
        .map(|v| trimmed(v))
        .filter(|v| !v.is_empty())
        .collect();
    if values.is_empty() {
        return missing(field, submission, lang);
    }
    if field.kind != FieldType::Multi && values.len() > 1 {
        return Err(lang.pick(
            format!("{} hanya boleh diisi satu kali.", field.label),
            format!("{} may be given only once.", field.label),
        ));
    }
    let value = values[0];
    if value
        .chars()
        .any(|c| (c.is_control() && c != '\n' && c != '\r' && c != '\t') || is_bidi_control(c))
    {
        return Err(lang.pick(
            format!("{} berisi karakter yang tidak diizinkan.", field.label),
            format!("{} contains characters that are not allowed.", field.label),
        ));
    }
    match field.kind {
        FieldType::Text | FieldType::Textarea => text(field, value, lang),
        FieldType::Email => email_in(value, lang).map(Value::Text),
        FieldType::Phone => phone_in(value, lang).map(Value::Text),
        FieldType::Nik => nik_in(value, lang).map(Value::Text),
        FieldType::Date => date(field, value, today, lang),
        FieldType::Number => number(field, value, lang),
        FieldType::Choice | FieldType::Kabkota => choice(field, value, lang),
        FieldType::Multi => choices(field, &values, lang),
        FieldType::Consent => match value {
            "ya" | "on" | "1" | "true" => Ok(Value::Text("Ya".into())),
            _ => Err(lang.pick(
                format!("Centang \"{}\" untuk melanjutkan.", field.label),
                format!("Tick \"{}\" to continue.", field.label),
            )),
        },
        FieldType::File | FieldType::Group => unreachable!("handled above"),
    }
}

/// An unanswered field: fine unless it is required (always, or by another answer).
fn missing(field: &Field, submission: &Submission, lang: Lang) -> Result<Value, String> {
    let required = field.required
        || field.required_if.as_ref().is_some_and(|c| {
            submission
                .values(&c.field)
                .iter()
                .any(|v| c.equals.iter().any(|e| e == trimmed(v)))
        });
    if !required {
        return Ok(Value::Empty);
    }
    Err(match field.kind {
        FieldType::Consent => lang.pick(
            format!("Centang \"{}\" untuk melanjutkan.", field.label),
            format!("Tick \"{}\" to continue.", field.label),
        ),
        FieldType::Choice | FieldType::Kabkota => lang.pick(
            format!("Pilih {}.", lower_first(&field.label)),
            format!("Choose: {}.", field.label),
        ),
        FieldType::Multi => lang.pick(
            format!("Pilih paling sedikit satu {}.", lower_first(&field.label)),
            format!("Choose at least one: {}.", field.label),
        ),
        _ => lang.pick(
            format!("{} wajib diisi.", field.label),
            format!("{} is required.", field.label),
        ),
    })
}

fn choice(field: &Field, value: &str, lang: Lang) -> Result<Value, String> {
    let options = Form::options_of(field);
    match options.iter().find(|(v, _)| v == value) {
        Some((_, label)) => Ok(Value::Choices(vec![label.clone()])),
        None => Err(lang.pick(
            format!("Pilih salah satu pilihan {}.", lower_first(&field.label)),
            format!("Choose one of the options of {}.", field.label),
        )),
    }
}

fn choices(field: &Field, values: &[&str], lang: Lang) -> Result<Value, String> {
    let options = Form::options_of(field);
    let mut labels = Vec::new();
    for v in values {
        match options.iter().find(|(o, _)| o == v) {
            Some((_, label)) if !labels.contains(label) => labels.push(label.clone()),
            Some(_) => {}
            None => {
                return Err(lang.pick(
                    format!(
                        "Ada pilihan {} yang tidak dikenal.",
                        lower_first(&field.label)
                    ),
                    format!("{}: an option is not known.", field.label),
                ));
            }
        }
    }
    Ok(Value::Choices(labels))
}

/// Values as field name → message, for JSON answers.
pub fn errors_map(errors: &Errors) -> BTreeMap<String, String> {
    errors.iter().cloned().collect()
}

#[cfg(test)]
mod tests;
