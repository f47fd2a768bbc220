//! The satisfaction survey (SKM) as a form: which field names the rated service, and the
//! rules its definition must meet so that every answer can be counted: the nine elements of
//! PermenPANRB 14/2017 as required choices scored 1 to 4, and no deadline (nobody answers a
//! rating).

use serde::{Deserialize, Serialize};

use super::{Deadline, FieldType, Form};
use crate::lang::Lang;
use crate::performance::skm::{ELEMENTS, Scores};

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Survey {
    /// The required choice whose answer is the rated service's page (`informasi-publik`...).
    pub service_field: String,
}

/// The scores an element's options carry.
const SCALE: [&str; 4] = ["1", "2", "3", "4"];

/// What is wrong with `form` as a survey, or as a form that is not one, in `lang`.
pub fn check(form: &Form, lang: Lang) -> Vec<String> {
    let mut problems = Vec::new();
    match (&form.survey, &form.deadline_days) {
        (None, Deadline::Absent) => problems.push(
            lang.pick(
                "batas waktu layanan belum ditulis: tambahkan `deadline_days`, yaitu jumlah hari \
                 kerja yang dijanjikan standar pelayanan untuk memberi jawaban, atau \
                 `{konfirmasi: ...}` selama standar belum menetapkannya",
                "`deadline_days` is missing: the working days within which the service standard \
                 promises an answer, or `{konfirmasi: ...}` while it sets none",
            )
            .to_string(),
        ),
        (Some(_), Deadline::Days(_) | Deadline::Pending { .. }) => problems.push(
            lang.pick(
                "survei tidak menjanjikan jawaban: hapus `deadline_days`",
                "a survey promises no answer: remove `deadline_days`",
            )
            .to_string(),
        ),
        _ => {}
    }
    let Some(survey) = &form.survey else {
        return problems;
    };
    let required_choice = |name: &str| {
        form.field(name)
            .filter(|f| f.kind == FieldType::Choice && f.required)
    };
    if required_choice(&survey.service_field).is_none() {
        problems.push(lang.pick(
            format!(
                "isian layanan yang dinilai tidak sesuai: `survey.service_field` menyebut `{}`, \
                 yang bukan isian pilihan wajib dalam formulir ini",
                survey.service_field
            ),
            format!(
                "`survey.service_field` names `{}`, which is not a required choice of the form",
                survey.service_field
            ),
        ));
    }
    for (name, element) in ELEMENTS {
        let scored = required_choice(name).is_some_and(|f| {
            f.options
                .iter()
                .map(|o| o.value.as_str())
                .eq(SCALE.iter().copied())
        });
        if !scored {
            problems.push(lang.pick(
                format!(
                    "unsur survei belum lengkap: survei memerlukan isian pilihan wajib `{name}` ({element}) dengan pilihan 1, 2, 3, dan 4, berurutan"
                ),
                format!(
                    "a survey needs the required choice `{name}` ({element}) with the options 1, 2, 3 and 4, in that order"
                ),
            ));
        }
    }
    problems
}

/// One respondent's scores, read by field name through `value`; `None` unless all nine
/// elements hold a score of 1 to 4.
pub fn scores<'a>(value: impl Fn(&str) -> Option<&'a str>) -> Option<Scores> {
    let mut scores = [0u8; 9];
    for (score, (name, _)) in scores.iter_mut().zip(ELEMENTS) {
        *score = value(name)?
            .trim()
            .parse()
            .ok()
            .filter(|s| (1..=4).contains(s))?;
    }
    Some(scores)
}
