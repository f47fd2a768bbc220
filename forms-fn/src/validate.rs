//! The rules every answer must meet, per field type, with the messages citizens read (in
//! the form page's language, [`Lang`]). Pure: no I/O; "today" is a parameter.

use std::collections::BTreeMap;

use crate::calendar::Day;
use crate::lang::Lang;
use crate::schema::{Field, FieldType, Form};
use crate::submission::{Submission, Upload};

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
    let lang = Lang::of(submission);
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
        let required = field.required
            || field.required_if.as_ref().is_some_and(|c| {
                submission
                    .values(&c.field)
                    .iter()
                    .any(|v| c.equals.iter().any(|e| e == trimmed(v)))
            });
        return if required {
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
        } else {
            Ok(Value::Empty)
        };
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
        FieldType::Choice | FieldType::Kabkota => {
            let options = Form::options_of(field);
            match options.iter().find(|(v, _)| v == value) {
                Some((_, label)) => Ok(Value::Choices(vec![label.clone()])),
                None => Err(lang.pick(
                    format!("Pilih salah satu pilihan {}.", lower_first(&field.label)),
                    format!("Choose one of the options of {}.", field.label),
                )),
            }
        }
        FieldType::Multi => {
            let options = Form::options_of(field);
            let mut labels = Vec::new();
            for v in &values {
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

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().chain(c).collect())
        .unwrap_or_default()
}

fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// Characters that print nothing: a field holding only these (and spaces) is empty, so they
/// cannot stand in for a required answer. Joiners inside a word (emoji, some scripts) stay.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200D}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2800}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
    )
}

/// An answer without the blank and invisible characters around it.
pub fn trimmed(value: &str) -> &str {
    value.trim_matches(|c: char| c.is_whitespace() || is_invisible(c))
}

/// Line breaks of every kind: a one-line field refuses them all.
fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{0085}' | '\u{2028}' | '\u{2029}')
}

fn text(field: &Field, value: &str, lang: Lang) -> Result<Value, String> {
    let len = value.chars().count();
    if let Some(min) = field.min_length
        && len < min
    {
        return Err(lang.pick(
            format!(
                "{} terlalu pendek: tulis paling sedikit {min} huruf (sekarang {len}).",
                field.label
            ),
            format!(
                "{} is too short: write at least {min} characters (now {len}).",
                field.label
            ),
        ));
    }
    let max = field
        .max_length
        .unwrap_or(if field.kind == FieldType::Textarea {
            4000
        } else {
            200
        });
    if len > max {
        return Err(lang.pick(
            format!(
                "{} terlalu panjang: paling banyak {max} huruf (sekarang {len}).",
                field.label
            ),
            format!(
                "{} is too long: at most {max} characters (now {len}).",
                field.label
            ),
        ));
    }
    if field.kind == FieldType::Text && value.contains(is_line_break) {
        return Err(lang.pick(
            format!("{} harus satu baris.", field.label),
            format!("{} must be one line.", field.label),
        ));
    }
    Ok(Value::Text(value.to_string()))
}

/// An email address the mailer will accept: plausible in shape, and parsed by lettre (as an
/// address and as a mailbox) to exactly what was written. An address that passed here but
/// that the mailer later refused would leave its confirmation pending for ever.
pub fn email(value: &str) -> Result<String, String> {
    email_in(value, Lang::Id)
}

fn email_in(value: &str, lang: Lang) -> Result<String, String> {
    let bad = || {
        lang.pick(
            "Tulis alamat surel yang benar, misalnya nama@contoh.id.",
            "Write a valid email address, for example name@example.id.",
        )
        .to_string()
    };
    if value.len() > 254
        || value.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"')
        })
    {
        return Err(bad());
    }
    let (local, domain) = value.rsplit_once('@').ok_or_else(bad)?;
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
    if local.is_empty() || local.contains('@') || !domain_ok {
        return Err(bad());
    }
    let address: lettre::Address = value.parse().map_err(|_| bad())?;
    let mailbox: lettre::message::Mailbox = value.parse().map_err(|_| bad())?;
    if AsRef::<str>::as_ref(&address) != value || mailbox.email != address {
        return Err(bad());
    }
    Ok(value.to_string())
}

/// An Indonesian mobile number, returned in E.164 form (`+62812...`).
pub fn phone(value: &str) -> Result<String, String> {
    phone_in(value, Lang::Id)
}

fn phone_in(value: &str, lang: Lang) -> Result<String, String> {
    let bad = || {
        lang.pick(
            "Tulis nomor HP yang benar, misalnya 0812 3456 7890.",
            "Write a valid Indonesian mobile number, for example 0812 3456 7890.",
        )
        .to_string()
    };
    let compact: String = value
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .collect();
    let national = compact
        .strip_prefix("+62")
        .or_else(|| compact.strip_prefix("62"))
        .or_else(|| compact.strip_prefix('0'))
        .ok_or_else(bad)?;
    let digits_ok = national.chars().all(|c| c.is_ascii_digit());
    let mut chars = national.chars();
    let shape_ok =
        chars.next() == Some('8') && chars.next().is_some_and(|c| ('1'..='9').contains(&c));
    if !digits_ok || !shape_ok || !(9..=12).contains(&national.len()) {
        return Err(bad());
    }
    Ok(format!("+62{national}"))
}

/// A NIK (Nomor Induk Kependudukan): 16 digits with the structure Dukcapil gives it.
pub fn nik(value: &str) -> Result<String, String> {
    nik_in(value, Lang::Id)
}

fn nik_in(value: &str, lang: Lang) -> Result<String, String> {
    let say = |id: &str, en: &str| lang.pick(id, en).to_string();
    let compact: String = value.chars().filter(|c| *c != ' ' && *c != '.').collect();
    if compact.len() != 16 || !compact.chars().all(|c| c.is_ascii_digit()) {
        return Err(say(
            "NIK terdiri atas 16 angka. Lihat KTP-el atau Kartu Keluarga.",
            "A NIK has 16 digits. See the KTP-el (identity card) or Kartu Keluarga (family card).",
        ));
    }
    let n = |range: std::ops::Range<usize>| compact[range].parse::<u32>().unwrap_or(0);
    if !(11..=94).contains(&n(0..2)) {
        return Err(say(
            "Dua angka pertama NIK (kode provinsi) tidak dikenal. Periksa lagi.",
            "The first two digits of the NIK (province code) are not known. Please check.",
        ));
    }
    let day = n(6..8);
    if !((1..=31).contains(&day) || (41..=71).contains(&day)) || !(1..=12).contains(&n(8..10)) {
        return Err(say(
            "Angka ke-7 sampai ke-12 NIK (tanggal lahir) tidak sesuai. Periksa lagi.",
            "Digits 7 to 12 of the NIK (date of birth) do not fit. Please check.",
        ));
    }
    if &compact[12..] == "0000" {
        return Err(say(
            "Empat angka terakhir NIK tidak boleh 0000. Periksa lagi.",
            "The last four digits of the NIK cannot be 0000. Please check.",
        ));
    }
    Ok(compact)
}

fn date(field: &Field, value: &str, today: Day, lang: Lang) -> Result<Value, String> {
    let day = Day::parse(value).ok_or_else(|| {
        lang.pick(
            format!(
                "{}: tulis tanggal yang benar (hari, bulan, tahun).",
                field.label
            ),
            format!("{}: write a valid date (day, month, year).", field.label),
        )
    })?;
    if field.not_future && day > today {
        return Err(lang.pick(
            format!("{} tidak boleh setelah hari ini.", field.label),
            format!("{} cannot be after today.", field.label),
        ));
    }
    if let Some(n) = field.min_days_ahead
        && day < today.plus_days(n.into())
    {
        let first = lang.date(today.plus_days(n.into()));
        return Err(lang.pick(
            format!("{} paling cepat {first}.", field.label),
            format!("{} can be {first} at the earliest.", field.label),
        ));
    }
    if let Some(n) = field.max_days_ahead
        && day > today.plus_days(n.into())
    {
        let last = lang.date(today.plus_days(n.into()));
        return Err(lang.pick(
            format!("{} paling lambat {last}.", field.label),
            format!("{} can be {last} at the latest.", field.label),
        ));
    }
    if field.working_day && !day.is_weekday() {
        return Err(lang.pick(
            format!("{} harus hari kerja (Senin sampai Jumat).", field.label),
            format!("{} must be a working day (Monday to Friday).", field.label),
        ));
    }
    Ok(Value::Text(day.display_id()))
}

fn number(field: &Field, value: &str, lang: Lang) -> Result<Value, String> {
    let n: i64 = value.parse().map_err(|_| {
        lang.pick(
            format!("{}: tulis angka bulat, misalnya 3.", field.label),
            format!("{}: write a whole number, for example 3.", field.label),
        )
    })?;
    if let Some(min) = field.min
        && n < min
    {
        return Err(lang.pick(
            format!("{} paling sedikit {min}.", field.label),
            format!("{} must be at least {min}.", field.label),
        ));
    }
    if let Some(max) = field.max
        && n > max
    {
        return Err(lang.pick(
            format!("{} paling banyak {max}.", field.label),
            format!("{} must be at most {max}.", field.label),
        ));
    }
    Ok(Value::Text(n.to_string()))
}

/// The kind of a file by its first bytes, whatever its name says.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("jpg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("png")
    } else {
        None
    }
}

fn files(field: &Field, name: &str, submission: &Submission, lang: Lang) -> Result<Value, String> {
    let uploads: Vec<(usize, &Upload)> = submission.files_for(name).collect();
    if uploads.is_empty() {
        return if field.required {
            Err(lang.pick(
                format!("Lampirkan {}.", lower_first(&field.label)),
                format!("Attach: {}.", field.label),
            ))
        } else {
            Ok(Value::Empty)
        };
    }
    // Every file input offers one file (none has `multiple`): more is not a citizen's post.
    if uploads.len() > 1 {
        return Err(lang.pick(
            format!("{}: lampirkan satu berkas saja.", field.label),
            format!("{}: attach one file only.", field.label),
        ));
    }
    let max_bytes = u64::from(field.max_mb.unwrap_or(2)) * 1024 * 1024;
    for (_, upload) in &uploads {
        let kind = sniff(&upload.bytes);
        if kind.is_none_or(|k| {
            !field
                .accept
                .iter()
                .any(|a| a == k || (a == "jpeg" && k == "jpg"))
        }) {
            let kinds = field.accept.join(", ").to_uppercase();
            return Err(lang.pick(
                format!("{}: berkas harus {kinds}.", field.label),
                format!("{}: the file must be {kinds}.", field.label),
            ));
        }
        if kind == Some("jpg") && crate::media::strip_jpeg_metadata(&upload.bytes).is_none() {
            return Err(lang.pick(
                format!("{}: berkas JPG rusak atau tidak lengkap.", field.label),
                format!("{}: the JPG file is damaged or incomplete.", field.label),
            ));
        }
        if upload.bytes.len() as u64 > max_bytes {
            let mb = field.max_mb.unwrap_or(2);
            return Err(lang.pick(
                format!("{}: ukuran berkas paling besar {mb} MB.", field.label),
                format!("{}: the file can be {mb} MB at most.", field.label),
            ));
        }
    }
    Ok(Value::Files(uploads.into_iter().map(|(i, _)| i).collect()))
}

/// Values as field name → message, for JSON answers.
pub fn errors_map(errors: &Errors) -> BTreeMap<String, String> {
    errors.iter().cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Choice;

    fn field(kind: FieldType) -> Field {
        Field {
            name: "x".into(),
            kind,
            label: "Isian".into(),
            hint: None,
            required: true,
            required_if: None,
            autocomplete: None,
            min_length: None,
            max_length: None,
            min: None,
            max: None,
            min_days_ahead: None,
            max_days_ahead: None,
            not_future: false,
            working_day: false,
            options: vec![
                Choice {
                    value: "a".into(),
                    label: "Pilihan A".into(),
                },
                Choice {
                    value: "b".into(),
                    label: "Pilihan B".into(),
                },
            ],
            options_from: None,
            accept: vec!["pdf".into(), "jpg".into()],
            max_mb: Some(1),
            fields: Vec::new(),
            min_rows: None,
            max_rows: None,
            rows: None,
        }
    }

    fn form(fields: Vec<Field>) -> Form {
        serde_yaml::from_str::<Form>(
            "title: T\nprefix: TES\nintro: i\npurpose: p\nlegal_basis: l\nretention: r\ndeadline_days: 5\ndesk: d\nfields: []\n",
        )
        .map(|f| Form { fields, ..f })
        .expect("valid")
    }

    fn today() -> Day {
        Day::parse("2026-02-12").expect("a Thursday")
    }

    /// Checks one field of `kind` (adjusted by `tweak`) against `value`.
    fn check(kind: FieldType, tweak: fn(&mut Field), value: &str) -> Result<Vec<Answer>, Errors> {
        let mut f = field(kind);
        tweak(&mut f);
        let submission = Submission {
            fields: vec![("x".into(), value.into())],
            files: Vec::new(),
        };
        validate(&form(vec![f]), &submission, today())
    }

    fn ok(kind: FieldType, tweak: fn(&mut Field), value: &str) -> String {
        match check(kind, tweak, value) {
            Ok(answers) => match &answers[0].value {
                Value::Text(t) => t.clone(),
                Value::Choices(c) => c.join("|"),
                other => format!("{other:?}"),
            },
            Err(e) => panic!("{kind:?} `{value}` rejected: {e:?}"),
        }
    }

    fn err(kind: FieldType, tweak: fn(&mut Field), value: &str) -> String {
        match check(kind, tweak, value) {
            Ok(a) => panic!("{kind:?} `{value}` accepted: {a:?}"),
            Err(e) => e[0].1.clone(),
        }
    }

    fn none(_: &mut Field) {}

    /// A field type, how its definition is adjusted, the answer, and what must come out.
    type Case = (FieldType, fn(&mut Field), &'static str, &'static str);

    #[test]
    fn accepts_and_normalises_valid_answers_of_every_type() {
        let cases: Vec<Case> = vec![
            (FieldType::Text, none, "  Siti Aminah ", "Siti Aminah"),
            (
                FieldType::Textarea,
                none,
                "Baris satu\nBaris dua",
                "Baris satu\nBaris dua",
            ),
            (FieldType::Email, none, "siti@contoh.id", "siti@contoh.id"),
            (FieldType::Phone, none, "0812-3456-7890", "+6281234567890"),
            (FieldType::Phone, none, "+62 812 3456 789", "+628123456789"),
            (FieldType::Phone, none, "6281234567890", "+6281234567890"),
            (FieldType::Nik, none, "5201014101900001", "5201014101900001"),
            (
                FieldType::Nik,
                none,
                "5271 0112 0390 0123",
                "5271011203900123",
            ),
            (
                FieldType::Date,
                |f| f.not_future = true,
                "2000-01-31",
                "31 Januari 2000",
            ),
            (
                FieldType::Date,
                |f| {
                    f.min_days_ahead = Some(14);
                    f.working_day = true;
                },
                "2026-02-26",
                "26 Februari 2026",
            ),
            (
                FieldType::Number,
                |f| {
                    f.min = Some(1);
                    f.max = Some(20);
                },
                "20",
                "20",
            ),
            (FieldType::Choice, none, "b", "Pilihan B"),
            (FieldType::Kabkota, none, "52.71", "Kota Mataram"),
            (FieldType::Consent, none, "ya", "Ya"),
        ];
        for (kind, tweak, input, expected) in cases {
            assert_eq!(ok(kind, tweak, input), expected, "{kind:?} `{input}`");
        }
    }

    #[test]
    fn rejects_invalid_answers_with_a_message_that_says_what_to_do() {
        let cases: Vec<Case> = vec![
            (FieldType::Text, none, "", "Isian wajib diisi."),
            (
                FieldType::Text,
                |f| f.max_length = Some(5),
                "enam!!",
                "terlalu panjang: paling banyak 5 huruf (sekarang 6)",
            ),
            (
                FieldType::Textarea,
                |f| f.min_length = Some(30),
                "pendek",
                "terlalu pendek: tulis paling sedikit 30 huruf",
            ),
            (FieldType::Text, none, "dua\nbaris", "harus satu baris"),
            (
                FieldType::Text,
                none,
                "teks \u{202E}terbalik",
                "karakter yang tidak diizinkan",
            ),
            (
                FieldType::Email,
                none,
                "siti@contoh",
                "alamat surel yang benar",
            ),
            (
                FieldType::Email,
                none,
                "siti contoh.id",
                "alamat surel yang benar",
            ),
            (
                FieldType::Email,
                none,
                "a@b@c.id",
                "alamat surel yang benar",
            ),
            (FieldType::Phone, none, "0370 123456", "nomor HP yang benar"),
            (FieldType::Phone, none, "0812345", "nomor HP yang benar"),
            (
                FieldType::Phone,
                none,
                "08123456789012345",
                "nomor HP yang benar",
            ),
            (
                FieldType::Phone,
                none,
                "0802 3456 7890",
                "nomor HP yang benar",
            ),
            (FieldType::Nik, none, "520101410190000", "16 angka"),
            (FieldType::Nik, none, "52010141019000012", "16 angka"),
            (FieldType::Nik, none, "1001014101900001", "kode provinsi"),
            (FieldType::Nik, none, "9901014101900001", "kode provinsi"),
            (FieldType::Nik, none, "5201013201900001", "tanggal lahir"),
            (FieldType::Nik, none, "5201017201900001", "tanggal lahir"),
            (FieldType::Nik, none, "5201011513900001", "tanggal lahir"),
            (FieldType::Nik, none, "5201014101900000", "tidak boleh 0000"),
            (
                FieldType::Date,
                none,
                "31-01-2000",
                "tulis tanggal yang benar",
            ),
            (
                FieldType::Date,
                none,
                "2026-02-30",
                "tulis tanggal yang benar",
            ),
            (
                FieldType::Date,
                |f| f.not_future = true,
                "2026-02-13",
                "tidak boleh setelah hari ini",
            ),
            (
                FieldType::Date,
                |f| f.min_days_ahead = Some(14),
                "2026-02-25",
                "paling cepat 26 Februari 2026",
            ),
            (
                FieldType::Date,
                |f| f.max_days_ahead = Some(30),
                "2026-04-01",
                "paling lambat 14 Maret 2026",
            ),
            (
                FieldType::Date,
                |f| f.working_day = true,
                "2026-02-14",
                "harus hari kerja",
            ),
            (FieldType::Number, none, "tiga", "tulis angka bulat"),
            (
                FieldType::Number,
                |f| f.min = Some(1),
                "0",
                "paling sedikit 1",
            ),
            (
                FieldType::Number,
                |f| f.max = Some(20),
                "21",
                "paling banyak 20",
            ),
            (FieldType::Choice, none, "c", "Pilih salah satu pilihan"),
            (FieldType::Choice, none, "", "Pilih isian."),
            (
                FieldType::Kabkota,
                none,
                "52.99",
                "Pilih salah satu pilihan",
            ),
            (FieldType::Consent, none, "", "Centang \"Isian\""),
            (FieldType::Multi, none, "z", "tidak dikenal"),
        ];
        for (kind, tweak, input, expected) in cases {
            let message = err(kind, tweak, input);
            assert!(
                message.contains(expected),
                "{kind:?} `{input}`: `{message}` lacks `{expected}`"
            );
        }
    }

    #[test]
    fn keeps_every_choice_of_a_multiple_choice_and_refuses_a_repeated_single_field() {
        let f = field(FieldType::Multi);
        let s = Submission {
            fields: vec![("x".into(), "a".into()), ("x".into(), "b".into())],
            files: Vec::new(),
        };
        let answers = validate(&form(vec![f]), &s, today()).expect("valid");
        assert_eq!(
            answers[0].value,
            Value::Choices(vec!["Pilihan A".into(), "Pilihan B".into()])
        );
        let f = field(FieldType::Text);
        let s = Submission {
            fields: vec![("x".into(), "a".into()), ("x".into(), "b".into())],
            files: Vec::new(),
        };
        let e = validate(&form(vec![f]), &s, today()).expect_err("repeated");
        assert!(e[0].1.contains("hanya boleh diisi satu kali"));
    }

    #[test]
    fn checks_files_by_their_content_not_their_name() {
        let f = field(FieldType::File);
        let upload = |name: &str, bytes: &[u8]| Submission {
            fields: Vec::new(),
            files: vec![Upload {
                field: "x".into(),
                filename: name.into(),
                bytes: bytes.to_vec(),
            }],
        };
        assert!(
            validate(
                &form(vec![f.clone()]),
                &upload("surat.pdf", b"%PDF-1.7 ..."),
                today()
            )
            .is_ok()
        );
        let jpeg = [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02, 0x11, 0x22, 0xFF, 0xD9];
        assert!(
            validate(&form(vec![f.clone()]), &upload("foto.pdf", &jpeg), today()).is_ok(),
            "a JPEG, whatever its name"
        );
        let e = validate(
            &form(vec![f.clone()]),
            &upload("foto.jpg", &[0xFF, 0xD8, 0xFF, 0xE1, 0x40]),
            today(),
        )
        .expect_err("truncated");
        assert!(e[0].1.contains("rusak"), "{e:?}");
        let e = validate(
            &form(vec![f.clone()]),
            &upload("surat.pdf", b"MZ\x90\x00 not a pdf"),
            today(),
        )
        .expect_err("exe");
        assert!(e[0].1.contains("berkas harus PDF, JPG"), "{e:?}");
        let big = [b"%PDF-".as_slice(), &vec![b' '; 1024 * 1024 + 1]].concat();
        let e =
            validate(&form(vec![f.clone()]), &upload("besar.pdf", &big), today()).expect_err("big");
        assert!(e[0].1.contains("paling besar 1 MB"), "{e:?}");
        let e = validate(&form(vec![f]), &Submission::default(), today()).expect_err("missing");
        assert!(e[0].1.contains("Lampirkan isian"), "{e:?}");
    }

    #[test]
    fn validates_the_rows_of_a_group_that_were_filled() {
        let mut g = field(FieldType::Group);
        g.name = "anggota".into();
        g.min_rows = Some(1);
        g.max_rows = Some(3);
        g.fields = vec![
            Field {
                name: "nama".into(),
                ..field(FieldType::Text)
            },
            Field {
                name: "hp".into(),
                ..field(FieldType::Phone)
            },
        ];
        let s = Submission {
            fields: vec![
                ("anggota-1-nama".into(), "Ani".into()),
                ("anggota-1-hp".into(), "081234567890".into()),
                ("anggota-3-nama".into(), "Budi".into()),
                ("anggota-3-hp".into(), "123".into()),
            ],
            files: Vec::new(),
        };
        let e = validate(&form(vec![g.clone()]), &s, today()).expect_err("row 3 phone");
        assert_eq!(e[0].0, "anggota-3-hp");
        assert!(e[0].1.starts_with("Baris 3: "), "{e:?}");
        let e = validate(&form(vec![g]), &Submission::default(), today()).expect_err("no rows");
        assert!(e[0].1.contains("isi paling sedikit 1 baris"), "{e:?}");
    }

    #[test]
    fn invisible_characters_do_not_fill_a_required_field() {
        for filler in [
            "\u{200B}",
            "\u{2060}",
            "\u{FEFF}",
            "\u{3164}",
            "\u{2800}",
            " \u{200B}\u{00AD} ",
        ] {
            assert_eq!(
                err(FieldType::Text, none, filler),
                "Isian wajib diisi.",
                "{filler:?}"
            );
        }
        assert_eq!(ok(FieldType::Text, none, "\u{FEFF}Siti\u{200B}"), "Siti");
    }

    #[test]
    fn a_one_line_field_refuses_every_kind_of_line_break() {
        for value in ["dua\u{2028}baris", "dua\u{2029}baris", "dua\rbaris"] {
            assert!(
                err(FieldType::Text, none, value).contains("harus satu baris"),
                "{value:?}"
            );
        }
        assert!(
            err(FieldType::Text, none, "teks \u{061C}arab").contains("tidak diizinkan"),
            "the Arabic letter mark is a bidi control"
        );
    }

    #[test]
    fn refuses_emails_the_mailer_would_refuse() {
        for address in ["a(b)@example.com", ".a@x.id", "a..b@x.id", "a.@x.id"] {
            assert!(
                err(FieldType::Email, none, address).contains("alamat surel yang benar"),
                "{address}"
            );
        }
        for address in ["v+1@contoh.id", "siti.aminah@kpu-ntb.example"] {
            assert_eq!(ok(FieldType::Email, none, address), address);
            assert!(address.parse::<lettre::message::Mailbox>().is_ok());
        }
    }

    #[test]
    fn a_file_input_takes_one_file() {
        let pdf = Upload {
            field: "x".into(),
            filename: "a.pdf".into(),
            bytes: b"%PDF-1.7".to_vec(),
        };
        let many = Submission {
            fields: Vec::new(),
            files: vec![pdf; 3],
        };
        let e = validate(&form(vec![field(FieldType::File)]), &many, today()).expect_err("three");
        assert!(e[0].1.contains("satu berkas saja"), "{e:?}");
    }
}
