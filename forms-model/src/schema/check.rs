//! The rules of a form definition that serde cannot express, each problem said in the
//! editor's language.

use std::collections::BTreeMap;

use super::{Field, FieldType, Form, survey};
use crate::lang::Lang;

/// Rules serde cannot express: unique names, options where needed, routes that name real
/// fields and answers, a three-letter prefix.
pub(super) fn check(form: &Form, lang: Lang) -> Vec<String> {
    let mut problems = Vec::new();
    if form.prefix.len() != 3 || !form.prefix.chars().all(|c| c.is_ascii_uppercase()) {
        problems.push(lang.pick(
            format!(
                "awalan nomor referensi tidak sesuai: `prefix` harus berupa tiga huruf kapital, bukan `{}`",
                form.prefix
            ),
            format!(
                "`prefix` must be three capital letters, not `{}`",
                form.prefix
            ),
        ));
    }
    let mut seen = BTreeMap::new();
    for field in &form.fields {
        check_field(field, &mut problems, false, lang);
        if seen.insert(field.name.clone(), ()).is_some() {
            problems.push(lang.pick(
                format!("nama isian dipakai dua kali: `{}`", field.name),
                format!("two fields are named `{}`", field.name),
            ));
        }
    }
    for field in &form.fields {
        if let Some(c) = &field.required_if {
            let who = lang.pick(
                format!("`required_if` pada isian `{}`", field.name),
                format!("`{}`: `required_if`", field.name),
            );
            check_answers(form, &who, &c.field, &c.equals, &mut problems, lang);
        }
    }
    for route in &form.routes {
        if route.guidance.is_some() && !route.copy.is_empty() {
            problems.push(lang.pick(
                format!(
                    "aturan penerusan tidak sesuai: aturan pada isian `{}` memberi `guidance` dan juga menyebut `copy`; tembusan hanya menyertai kiriman ke meja layanan (`desk`)",
                    route.field
                ),
                format!(
                    "a route on `{}` gives guidance and also names `copy`: a copy goes with a desk",
                    route.field
                ),
            ));
        }
        let who = lang.pick("sebuah aturan penerusan (`routes`)", "a route");
        check_answers(form, who, &route.field, &route.equals, &mut problems, lang);
        if route.desk.is_some() == route.guidance.is_some() {
            problems.push(lang.pick(
                format!(
                    "aturan penerusan tidak sesuai: aturan pada isian `{}` memerlukan `desk` atau `guidance`, salah satu saja",
                    route.field
                ),
                format!(
                    "a route on `{}` needs either `desk` or `guidance`",
                    route.field
                ),
            ));
        }
    }
    problems.extend(survey::check(form, lang));
    problems
}

/// That `field` is one of the form's, and each of `equals` one of its options (a route's
/// or a condition's answers); `who` names the rule in `lang`. In Indonesian it follows a
/// fixed head, so that the report can tell the kinds of problem apart.
fn check_answers(
    form: &Form,
    who: &str,
    field: &str,
    equals: &[String],
    problems: &mut Vec<String>,
    lang: Lang,
) {
    let Some(found) = form.field(field) else {
        problems.push(lang.pick(
            format!("isian tidak ada dalam formulir: {who} menyebut isian `{field}`"),
            format!("{who} names the field `{field}`, which the form does not have"),
        ));
        return;
    };
    let options = Form::options_of(found);
    for answer in equals {
        if !options.iter().any(|(v, _)| v == answer) {
            problems.push(lang.pick(
                format!(
                    "jawaban bukan salah satu pilihan isian: {who} mengharapkan `{answer}` pada isian `{field}`"
                ),
                format!("{who} expects `{answer}` in `{field}`, which is not one of its options"),
            ));
        }
    }
}

fn check_field(field: &Field, problems: &mut Vec<String>, in_group: bool, lang: Lang) {
    let valid_name = !field.name.is_empty()
        && field
            .name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid_name {
        problems.push(lang.pick(
            format!(
                "nama isian tidak sesuai: `{}` hanya boleh berisi huruf kecil, angka, dan `_`",
                field.name
            ),
            format!(
                "field name `{}` must be lowercase letters, digits and `_`",
                field.name
            ),
        ));
    }
    let needs = |keys_id: &str, keys_en: &str| {
        lang.pick(
            format!(
                "kunci yang diperlukan belum ada: isian `{}` memerlukan {keys_id}",
                field.name
            ),
            format!("`{}` needs {keys_en}", field.name),
        )
    };
    match field.kind {
        FieldType::Choice | FieldType::Multi if field.options.is_empty() => {
            problems.push(needs("`options`", "`options`"));
        }
        FieldType::File if field.accept.is_empty() || field.max_mb.is_none() => {
            problems.push(needs("`accept` dan `max_mb`", "`accept` and `max_mb`"));
        }
        FieldType::Group if in_group => problems.push(lang.pick(
            format!(
                "kelompok isian tidak dapat memuat kelompok isian lain: `{}`",
                field.name
            ),
            format!("`{}`: a group cannot hold a group", field.name),
        )),
        FieldType::Group if field.fields.is_empty() => problems.push(needs("`fields`", "`fields`")),
        _ => {}
    }
    for inner in &field.fields {
        check_field(inner, problems, true, lang);
    }
}
