//! A form's definition (`content/forms/<id>.yaml`): its fields and their rules, who receives
//! it, and what the citizen is told. One definition serves the generator (the HTML form), the
//! function (validation, routing, the email) and the docs.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::hash::fnv1a;
use crate::lang::Lang;

mod check;
mod load;
pub mod survey;

pub use load::{load_dir, load_dir_in, parse_all};

/// Where form definitions live, inside a site's folder.
pub const FORMS_DIR: &str = "content/forms";

/// Where lists of options that editors keep apart from a form live (`options_from: name`
/// reads `content/forms/pilihan/name.yaml`): the open PAW cases, for one.
pub const LISTS_DIR: &str = "content/forms/pilihan";

/// Lists of options by name → their YAML text.
pub type Lists = BTreeMap<String, String>;

/// The form ids the site publishes; part of the public contract (URLs, endpoints).
pub const FORM_IDS: [&str; 8] = [
    "autentifikasi",
    "tanggapan-paw",
    "informasi-publik",
    "keberatan-informasi",
    "pengaduan",
    "magang",
    "data-pemilih",
    "pendidikan-pemilih",
];

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Form {
    /// Set from the file name when loaded.
    #[serde(skip_deserializing, default)]
    pub id: String,
    pub title: String,
    /// Three capital letters that start every reference (`INF-7K3M-Q9XP`).
    pub prefix: String,
    /// Shown above the form.
    pub intro: String,
    /// Why the data is collected, shown beside the consent box.
    pub purpose: String,
    pub legal_basis: String,
    /// How long a submission is kept (a text, or a placeholder to confirm).
    pub retention: Text,
    /// Working days within which the receipt promises an answer, or a placeholder while
    /// the service standard sets none (then no date is promised). A survey has none.
    #[serde(default)]
    pub deadline_days: Deadline,
    /// The service page (`content/layanan/<service>.md`) this form belongs to, for the
    /// performance figures; by default the form's own id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// Set for the satisfaction survey (SKM): its answers are ratings, counted for the
    /// performance figures, not requests to answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survey: Option<survey::Survey>,
    /// Working days the desk may add once to the deadline, with the reason, announced to the
    /// applicant before the first deadline ends (information requests: UU 14/2008 Pasal 22
    /// ayat (8)); none: the deadline cannot be extended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_days: Option<u32>,
    /// Whether a refusal must name its legal basis (information requests: the exemption's
    /// article).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub refusal_basis: bool,
    /// The desk (a key of `forms.desks` in site.yaml) that receives the form.
    pub desk: String,
    /// Routing rules, first match wins: a desk for some answers, or guidance instead of mail.
    #[serde(default)]
    pub routes: Vec<Route>,
    pub fields: Vec<Field>,
    /// Hash of the definition's text, set when loaded; the rendered form carries it.
    #[serde(skip_deserializing, default)]
    pub hash: String,
}

/// A time limit in working days, or a placeholder still to be confirmed by the office.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Deadline {
    Days(u32),
    Pending {
        konfirmasi: String,
    },
    /// Not given: a survey expects no answer (any other form without one is refused).
    #[default]
    #[serde(skip)]
    Absent,
}

impl Deadline {
    /// The working days, when the standard has set them.
    pub fn days(&self) -> Option<u32> {
        match self {
            Deadline::Days(days) => Some(*days),
            Deadline::Pending { .. } | Deadline::Absent => None,
        }
    }

    /// The day (ISO) an answer is due when received on `today`, in working days that skip
    /// `holidays`; empty while unset.
    pub fn due(&self, today: crate::calendar::Day, holidays: &crate::holidays::Holidays) -> String {
        self.days()
            .map(|days| holidays.plus_working_days(today, days).iso())
            .unwrap_or_default()
    }
}

/// Text, or a placeholder still to be confirmed by the office.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Text {
    Known(String),
    Pending { konfirmasi: String },
}

impl Text {
    /// The text, or a visible "to be confirmed" note.
    pub fn shown(&self) -> String {
        match self {
            Text::Known(t) => t.clone(),
            Text::Pending { konfirmasi } => format!("[perlu konfirmasi: {konfirmasi}]"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// The field whose answer decides.
    pub field: String,
    /// The answers this rule applies to.
    pub equals: Vec<String>,
    /// Send to this desk instead of the form's.
    #[serde(default)]
    pub desk: Option<String>,
    /// Desks that receive a copy (`Cc`) of what goes to `desk`.
    #[serde(default)]
    pub copy: Vec<String>,
    /// Or: do not send; answer the citizen with this guidance (e.g. "this belongs to Bawaslu").
    #[serde(default)]
    pub guidance: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    Text,
    Textarea,
    Email,
    Phone,
    Nik,
    Date,
    Number,
    Choice,
    Multi,
    Kabkota,
    Consent,
    File,
    Group,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: FieldType,
    pub label: String,
    #[serde(default)]
    pub hint: Option<String>,
    #[serde(default)]
    pub required: bool,
    /// Required only when another field has one of some answers (an email address when
    /// the copy is to be sent by email).
    #[serde(default)]
    pub required_if: Option<Condition>,
    /// The `autocomplete` token for the browser (`name`, `email`, `tel`...).
    #[serde(default)]
    pub autocomplete: Option<String>,
    #[serde(default)]
    pub min_length: Option<usize>,
    #[serde(default)]
    pub max_length: Option<usize>,
    /// Number range.
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
    /// Dates: at least this many days after today.
    #[serde(default)]
    pub min_days_ahead: Option<u32>,
    /// Dates: at most this many days after today.
    #[serde(default)]
    pub max_days_ahead: Option<u32>,
    /// Dates: must not be in the future (a date of birth, the day something happened).
    #[serde(default)]
    pub not_future: bool,
    /// Dates: must fall on a working day (Monday to Friday).
    #[serde(default)]
    pub working_day: bool,
    /// Choices.
    #[serde(default)]
    pub options: Vec<Choice>,
    /// Choices kept in a list of their own (`content/forms/pilihan/<name>.yaml`), offered
    /// before `options`.
    #[serde(default)]
    pub options_from: Option<String>,
    /// Files: allowed kinds (`pdf`, `jpg`, `png`) and the largest size.
    #[serde(default)]
    pub accept: Vec<String>,
    #[serde(default)]
    pub max_mb: Option<u32>,
    /// Groups: the fields of one row, and how many rows.
    #[serde(default)]
    pub fields: Vec<Field>,
    #[serde(default)]
    pub min_rows: Option<usize>,
    #[serde(default)]
    pub max_rows: Option<usize>,
    /// Groups: rows offered without JavaScript.
    #[serde(default)]
    pub rows: Option<usize>,
}

/// "When `field` is one of `equals`".
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub field: String,
    pub equals: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// The ten kabupaten and kota of NTB, by their Kemendagri codes.
pub const KAB_KOTA: [(&str, &str); 10] = [
    ("52.01", "Kabupaten Lombok Barat"),
    ("52.02", "Kabupaten Lombok Tengah"),
    ("52.03", "Kabupaten Lombok Timur"),
    ("52.04", "Kabupaten Sumbawa"),
    ("52.05", "Kabupaten Dompu"),
    ("52.06", "Kabupaten Bima"),
    ("52.07", "Kabupaten Sumbawa Barat"),
    ("52.08", "Kabupaten Lombok Utara"),
    ("52.71", "Kota Mataram"),
    ("52.72", "Kota Bima"),
];

impl Form {
    /// The service page this form belongs to.
    pub fn service(&self) -> &str {
        self.service.as_deref().unwrap_or(&self.id)
    }

    /// Every field, groups' fields included, with its name path (`anggota.nama`).
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Every desk this form's mail may go to: its own, its routes' and their copies'.
    pub fn desks(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.desk)
            .chain(self.routes.iter().filter_map(|r| r.desk.as_ref()))
            .chain(self.routes.iter().flat_map(|r| r.copy.iter()))
    }

    /// The options a choice-like field offers (kab/kota included).
    pub fn options_of(field: &Field) -> Vec<(String, String)> {
        match field.kind {
            FieldType::Kabkota => KAB_KOTA
                .iter()
                .map(|(v, l)| (v.to_string(), l.to_string()))
                .collect(),
            _ => field
                .options
                .iter()
                .map(|c| (c.value.clone(), c.label.clone()))
                .collect(),
        }
    }
}

/// A problem with a form definition, for the build's report. The message is for the
/// site's editor, in the language the definitions were read in (English unless asked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

/// Parses one definition; `id` is its file name without `.yaml`. Problems in English.
pub fn parse(id: &str, file: &str, text: &str, lists: &Lists) -> Result<Form, Vec<SchemaError>> {
    parse_in(id, file, text, lists, Lang::En)
}

/// [`parse`], the problems in `lang`: the generator tells editors in their language. serde's
/// own report stays in its words, after a sentence of ours.
pub fn parse_in(
    id: &str,
    file: &str,
    text: &str,
    lists: &Lists,
    lang: Lang,
) -> Result<Form, Vec<SchemaError>> {
    let mut form: Form = serde_yaml::from_str(text).map_err(|e| {
        vec![SchemaError {
            file: file.to_string(),
            line: e.location().map(|l| l.line()),
            column: e.location().map(|l| l.column()),
            message: lang.pick(
                format!("definisi formulir tidak ditulis dengan benar: {e}"),
                e.to_string(),
            ),
        }]
    })?;
    form.id = id.to_string();
    // The lists a form reads are part of what it is: a page built with other options is
    // stale, like one built from another definition.
    let mut fingerprinted = text.to_string();
    let mut problems = Vec::new();
    for field in &mut form.fields {
        let Some(name) = field.options_from.clone() else {
            continue;
        };
        match lists
            .get(&name)
            .map(|t| serde_yaml::from_str::<Vec<Choice>>(t))
        {
            Some(Ok(mut listed)) => {
                fingerprinted.push_str(&lists[&name]);
                listed.append(&mut field.options);
                field.options = listed;
            }
            Some(Err(e)) => problems.push(lang.pick(
                format!(
                    "daftar pilihan dalam berkas `{LISTS_DIR}/{name}.yaml` tidak ditulis dengan benar: {e}"
                ),
                format!("{LISTS_DIR}/{name}.yaml: {e}"),
            )),
            None => problems.push(lang.pick(
                format!(
                    "berkas daftar pilihan tidak ada: isian `{}` mengambil pilihannya dari `{LISTS_DIR}/{name}.yaml`",
                    field.name
                ),
                format!(
                    "`{}` reads its options from `{LISTS_DIR}/{name}.yaml`, which does not exist",
                    field.name
                ),
            )),
        }
    }
    form.hash = format!("{:016x}", fnv1a(fingerprinted.as_bytes()));
    problems.extend(check::check(&form, lang));
    if problems.is_empty() {
        Ok(form)
    } else {
        Err(problems
            .into_iter()
            .map(|message| SchemaError {
                file: file.to_string(),
                line: None,
                column: None,
                message,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests;
