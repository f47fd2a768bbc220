//! The HTML form of a definition: every input labelled, hints and errors tied to it with
//! `aria-describedby`, the right `type`, `inputmode` and `autocomplete`, required fields
//! marked in words, choices in fieldsets. Works without JavaScript. The same renderer serves
//! the generator (an empty form) and the function (the form again, with the citizen's values
//! and the errors, after a failed submission).

use std::fmt::Write as _;

use crate::html::escape;
use crate::lang::{LANG_FIELD, Lang};
use crate::schema::{Field, FieldType, Form};
use crate::submission::Submission;
use crate::validate::Errors;

/// The name of the hidden field that carries the definition's hash.
pub const HASH_FIELD: &str = "_skema";

/// The hidden field people never fill and form-filling robots do.
pub const HONEYPOT_FIELD: &str = "situs_web";

/// The hidden field of a survey opened from a closing mail's link: the signed link, which
/// ties the rating to the request it rates.
pub const SURVEY_LINK_FIELD: &str = "_tautan";

/// Renders `form` posting to `action`, with the words around the definition's in `lang`,
/// filled with `values`, showing `errors`.
pub fn form(form: &Form, action: &str, lang: Lang, values: &Submission, errors: &Errors) -> String {
    let page = Page {
        lang,
        values,
        errors,
    };
    let mut html = String::with_capacity(8 * 1024);
    let has_files = form
        .fields
        .iter()
        .any(|f| f.kind == FieldType::File || f.fields.iter().any(|g| g.kind == FieldType::File));
    let enctype = if has_files {
        "multipart/form-data"
    } else {
        "application/x-www-form-urlencoded"
    };
    let _ = writeln!(
        html,
        "<form class=\"formulir-isian\" id=\"formulir-{id}\" method=\"post\" action=\"{action}\" enctype=\"{enctype}\" novalidate data-formulir=\"{id}\">",
        id = escape(&form.id),
        action = escape(action),
    );
    error_summary(&mut html, form, errors, lang);
    let _ = writeln!(
        html,
        "<input type=\"hidden\" name=\"{HASH_FIELD}\" value=\"{}\">",
        escape(&form.hash)
    );
    let _ = writeln!(
        html,
        "<input type=\"hidden\" name=\"{LANG_FIELD}\" value=\"{}\">",
        lang.code()
    );
    if form.survey.is_some()
        && let Some(link) = values.value(SURVEY_LINK_FIELD).filter(|v| !v.is_empty())
    {
        let _ = writeln!(
            html,
            "<input type=\"hidden\" name=\"{SURVEY_LINK_FIELD}\" value=\"{}\">",
            escape(link)
        );
    }
    // The honeypot: out of sight and out of the tab order, hidden from screen readers, and
    // labelled so that anyone who still meets it knows to leave it empty.
    let _ = writeln!(
        html,
        "<div class=\"madu\" aria-hidden=\"true\"><label for=\"f-{HONEYPOT_FIELD}\">{}</label><input type=\"text\" id=\"f-{HONEYPOT_FIELD}\" name=\"{HONEYPOT_FIELD}\" value=\"\" tabindex=\"-1\" autocomplete=\"off\"></div>",
        lang.pick("Jangan diisi", "Leave this empty")
    );
    html.push_str(lang.pick(
        "<p class=\"keterangan-wajib\">Isian bertanda <strong>(wajib)</strong> harus diisi.</p>\n",
        "<p class=\"keterangan-wajib\">Fields marked <strong>(required)</strong> must be filled in.</p>\n",
    ));
    for field in &form.fields {
        if field.kind == FieldType::Group {
            group(&mut html, field, page);
        } else {
            one(&mut html, field, &field.name, page);
        }
    }
    let (purpose, basis, kept, send) = lang.pick(
        ("Untuk apa data Anda:", "Dasar hukum:", "Disimpan:", "Kirim"),
        ("What your data is for:", "Legal basis:", "Kept:", "Send"),
    );
    let _ = write!(
        html,
        "<p class=\"tujuan-data\"><strong>{purpose}</strong> {}</p>\n<p class=\"tujuan-data\"><strong>{basis}</strong> {}. <strong>{kept}</strong> {}.</p>\n",
        escape(&form.purpose),
        escape(&form.legal_basis),
        escape(&form.retention.shown())
    );
    let _ = write!(
        html,
        "<button type=\"submit\" class=\"tombol-kirim\">{send}</button>\n</form>\n"
    );
    html
}

/// " (wajib)" after a label.
fn required_mark(lang: Lang) -> &'static str {
    lang.pick(
        " <span class=\"wajib\">(wajib)</span>",
        " <span class=\"wajib\">(required)</span>",
    )
}

fn error_summary(html: &mut String, form: &Form, errors: &Errors, lang: Lang) {
    let _ = write!(
        html,
        "<div class=\"ringkasan-galat\" id=\"galat-{}\" tabindex=\"-1\"",
        escape(&form.id)
    );
    if errors.is_empty() {
        html.push_str(" hidden></div>\n");
        return;
    }
    let heading = lang.pick("Ada yang perlu diperbaiki", "Some answers need correcting");
    let _ = write!(html, " role=\"alert\">\n<h2>{heading}</h2>\n<ul>\n");
    for (name, message) in errors {
        let _ = writeln!(
            html,
            "<li><a href=\"#f-{}\">{}</a></li>",
            escape(name),
            escape(message)
        );
    }
    html.push_str("</ul>\n</div>\n");
}

/// What every field of one rendering shares: the page's language, the citizen's values and
/// the errors to show.
#[derive(Clone, Copy)]
struct Page<'a> {
    lang: Lang,
    values: &'a Submission,
    errors: &'a Errors,
}

fn group(html: &mut String, field: &Field, page: Page) {
    let shown_rows = field.rows.unwrap_or(1).max(field.min_rows.unwrap_or(1));
    // Rows the citizen filled beyond the default stay visible after a failed submission.
    let filled = (1..=field.max_rows.unwrap_or(shown_rows))
        .filter(|row| {
            field.fields.iter().any(|f| {
                page.values
                    .value(&format!("{}-{row}-{}", field.name, f.name))
                    .is_some_and(|v| !v.is_empty())
            })
        })
        .max()
        .unwrap_or(0);
    let rows = shown_rows.max(filled);
    let _ = write!(
        html,
        "<fieldset class=\"grup\" data-grup=\"{name}\" data-maks=\"{max}\">\n<legend>{label}{required}</legend>\n",
        name = escape(&field.name),
        max = field.max_rows.unwrap_or(rows),
        label = escape(&field.label),
        required = if field.required || field.min_rows.unwrap_or(0) > 0 {
            required_mark(page.lang)
        } else {
            ""
        },
    );
    if let Some(hint) = &field.hint {
        let _ = writeln!(html, "<p class=\"petunjuk\">{}</p>", escape(hint));
    }
    for row in 1..=rows {
        let _ = writeln!(
            html,
            "<fieldset class=\"baris\" data-baris=\"{row}\">\n<legend>{} {row}</legend>",
            escape(&field.label)
        );
        for inner in &field.fields {
            let name = format!("{}-{row}-{}", field.name, inner.name);
            // Inside a row, a field is required only when the row is used.
            let relaxed = Field {
                required: inner.required && row <= field.min_rows.unwrap_or(0),
                ..inner.clone()
            };
            one(html, &relaxed, &name, page);
        }
        html.push_str("</fieldset>\n");
    }
    html.push_str("</fieldset>\n");
}

/// The pieces of markup every kind of field places around its input.
struct Frame {
    id: String,
    /// `aria-describedby`: the hint (when there is one) and the error slot.
    described: String,
    required_mark: &'static str,
    invalid: &'static str,
    hint_html: String,
    error_html: String,
    class: &'static str,
}

impl Frame {
    fn new(field: &Field, name: &str, page: Page) -> Frame {
        let id = format!("f-{name}");
        let error = page
            .errors
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, m)| m.as_str());
        let hint_id = format!("{id}-petunjuk");
        let error_id = format!("{id}-galat");
        let hint = hint_text(field, page.lang);
        let described = match hint {
            Some(_) => format!("{hint_id} {error_id}"),
            None => error_id.clone(),
        };
        Frame {
            described,
            required_mark: if field.required {
                required_mark(page.lang)
            } else {
                ""
            },
            invalid: if error.is_some() {
                " aria-invalid=\"true\""
            } else {
                ""
            },
            hint_html: hint
                .map(|h| {
                    format!(
                        "<p class=\"petunjuk\" id=\"{hint_id}\">{}</p>\n",
                        escape(&h)
                    )
                })
                .unwrap_or_default(),
            error_html: format!(
                "<p class=\"galat\" id=\"{error_id}\"{}>{}</p>\n",
                if error.is_some() { "" } else { " hidden" },
                error.map(escape).unwrap_or_default()
            ),
            class: if error.is_some() {
                "isian isian-galat"
            } else {
                "isian"
            },
            id,
        }
    }
}

fn one(html: &mut String, field: &Field, name: &str, page: Page) {
    let frame = Frame::new(field, name, page);
    match field.kind {
        FieldType::Choice | FieldType::Multi => choices(html, field, name, page, &frame),
        FieldType::Consent => {
            let checked = if page.values.value(name).unwrap_or_default().is_empty() {
                ""
            } else {
                " checked"
            };
            let _ = write!(
                html,
                "<div class=\"{class} persetujuan\">\n{error_html}<input type=\"checkbox\" id=\"{id}\" name=\"{n}\" value=\"ya\"{checked} aria-describedby=\"{described}\"{invalid}{req}><label for=\"{id}\">{l}{required_mark}</label>\n{hint_html}</div>\n",
                class = frame.class,
                error_html = frame.error_html,
                id = frame.id,
                described = frame.described,
                invalid = frame.invalid,
                required_mark = frame.required_mark,
                hint_html = frame.hint_html,
                n = escape(name),
                l = escape(&field.label),
                req = if field.required { " required" } else { "" },
            );
        }
        _ => {
            let _ = write!(
                html,
                "<div class=\"{}\">\n<label for=\"{}\">{}{}</label>\n{}{}",
                frame.class,
                frame.id,
                escape(&field.label),
                frame.required_mark,
                frame.hint_html,
                frame.error_html
            );
            input(html, field, name, page, &frame);
            html.push_str("</div>\n");
        }
    }
}

/// Radio buttons or checkboxes in a fieldset.
fn choices(html: &mut String, field: &Field, name: &str, page: Page, frame: &Frame) {
    let (id, described) = (&frame.id, &frame.described);
    let input_type = if field.kind == FieldType::Choice {
        "radio"
    } else {
        "checkbox"
    };
    let chosen = page.values.values(name);
    let _ = write!(
        html,
        "<fieldset class=\"{} pilihan\" id=\"{id}\" aria-describedby=\"{described}\"{}>\n<legend>{}{}</legend>\n{}{}",
        frame.class,
        frame.invalid,
        escape(&field.label),
        frame.required_mark,
        frame.hint_html,
        frame.error_html
    );
    for (i, (v, label)) in Form::options_of(field).iter().enumerate() {
        let checked = if chosen.contains(&v.as_str()) {
            " checked"
        } else {
            ""
        };
        let _ = writeln!(
            html,
            "<div class=\"opsi\"><input type=\"{input_type}\" id=\"{id}-{i}\" name=\"{n}\" value=\"{v}\"{checked}><label for=\"{id}-{i}\">{l}</label></div>",
            n = escape(name),
            v = escape(v),
            l = escape(label)
        );
    }
    html.push_str("</fieldset>\n");
}

/// The input itself of a labelled field: a text area, a list, a file picker or an `<input>`.
fn input(html: &mut String, field: &Field, name: &str, page: Page, frame: &Frame) {
    let value = page.values.value(name).unwrap_or_default();
    let common = format!(
        "id=\"{}\" name=\"{}\" aria-describedby=\"{}\"{}{}",
        frame.id,
        escape(name),
        frame.described,
        frame.invalid,
        if field.required { " required" } else { "" }
    );
    let autocomplete = autocomplete(field);
    match field.kind {
        FieldType::Textarea => {
            let _ = writeln!(
                html,
                "<textarea {common}{autocomplete}{} rows=\"6\">{}</textarea>",
                max_length(field),
                escape(value)
            );
        }
        FieldType::Kabkota => {
            let _ = writeln!(
                html,
                "<select {common}{autocomplete}>\n<option value=\"\">{}</option>",
                page.lang
                    .pick("Pilih kabupaten/kota", "Choose a regency or city")
            );
            for (v, label) in Form::options_of(field) {
                let selected = if v == value { " selected" } else { "" };
                let _ = writeln!(
                    html,
                    "<option value=\"{}\"{selected}>{}</option>",
                    escape(&v),
                    escape(&label)
                );
            }
            html.push_str("</select>\n");
        }
        FieldType::File => {
            let accept: Vec<String> = field.accept.iter().map(|a| format!(".{a}")).collect();
            let _ = writeln!(
                html,
                "<input type=\"file\" {common} accept=\"{}\">",
                escape(&accept.join(","))
            );
        }
        _ => {
            let (input_type, extra) = input_type(field);
            let _ = writeln!(
                html,
                "<input type=\"{input_type}\" {common}{autocomplete}{extra} value=\"{}\">",
                escape(value)
            );
        }
    }
}

fn max_length(field: &Field) -> String {
    field
        .max_length
        .map(|m| format!(" maxlength=\"{m}\""))
        .unwrap_or_default()
}

/// ` autocomplete="..."`: the definition's, or what the type implies.
fn autocomplete(field: &Field) -> String {
    field
        .autocomplete
        .as_deref()
        .or(match field.kind {
            FieldType::Email => Some("email"),
            FieldType::Phone => Some("tel"),
            FieldType::Nik => Some("off"),
            _ => None,
        })
        // `street-address` is multi-line: a one-line input takes its first line.
        .map(|a| {
            if a == "street-address" && field.kind != FieldType::Textarea {
                "address-line1"
            } else {
                a
            }
        })
        .map(|a| format!(" autocomplete=\"{}\"", escape(a)))
        .unwrap_or_default()
}

/// An `<input>`'s type and the attributes its kind adds.
fn input_type(field: &Field) -> (&'static str, String) {
    match field.kind {
        FieldType::Email => (
            "email",
            " inputmode=\"email\" spellcheck=\"false\"".to_string(),
        ),
        FieldType::Phone => ("tel", " inputmode=\"tel\"".to_string()),
        FieldType::Nik => (
            "text",
            " inputmode=\"numeric\" maxlength=\"16\" spellcheck=\"false\"".to_string(),
        ),
        // A date that cannot be in the future (a birth, a past request): the page's script
        // caps the picker at today, which a static page cannot.
        FieldType::Date if field.not_future => ("date", " data-tanggal=\"lampau\"".to_string()),
        FieldType::Date => ("date", String::new()),
        FieldType::Number => (
            "number",
            format!(
                " inputmode=\"numeric\"{}{}",
                field
                    .min
                    .map(|m| format!(" min=\"{m}\""))
                    .unwrap_or_default(),
                field
                    .max
                    .map(|m| format!(" max=\"{m}\""))
                    .unwrap_or_default()
            ),
        ),
        _ => ("text", max_length(field)),
    }
}

/// The hint shown under a label: the definition's, plus what the type implies.
fn hint_text(field: &Field, lang: Lang) -> Option<String> {
    let kinds = field
        .accept
        .iter()
        .map(|a| a.to_uppercase())
        .collect::<Vec<_>>()
        .join(", ");
    let mb = field.max_mb.unwrap_or(2);
    let implied = match field.kind {
        FieldType::File => Some(lang.pick(
            format!("Berkas {kinds} paling besar {mb} MB."),
            format!("{kinds} file, {mb} MB at most."),
        )),
        _ => None,
    };
    match (&field.hint, implied) {
        // A hint that already gives the size says it all.
        (Some(h), Some(_)) if h.contains(" MB") => Some(h.clone()),
        (Some(h), Some(i)) => Some(format!("{h} {i}")),
        (Some(h), None) => Some(h.clone()),
        (None, i) => i,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_field(hint: &str) -> Field {
        serde_yaml::from_str(&format!(
            "name: bukti\ntype: file\nlabel: Bukti\nhint: \"{hint}\"\naccept: [pdf]\nmax_mb: 3\n"
        ))
        .expect("a field")
    }

    #[test]
    fn a_file_hint_states_the_size_once() {
        assert_eq!(
            hint_text(&file_field("Surat pengantar."), Lang::Id).as_deref(),
            Some("Surat pengantar. Berkas PDF paling besar 3 MB.")
        );
        assert_eq!(
            hint_text(&file_field("PDF, paling besar 3 MB."), Lang::Id).as_deref(),
            Some("PDF, paling besar 3 MB.")
        );
    }
}
