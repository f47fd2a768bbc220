//! The rules for one typed answer (text, email, phone, NIK, date, number) and the character
//! checks every answer passes.

use super::Value;
use crate::calendar::Day;
use crate::lang::Lang;
use crate::schema::{Field, FieldType};

pub(super) fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().chain(c).collect())
        .unwrap_or_default()
}

pub(super) fn is_bidi_control(c: char) -> bool {
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

pub(super) fn text(field: &Field, value: &str, lang: Lang) -> Result<Value, String> {
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

pub(super) fn email_in(value: &str, lang: Lang) -> Result<String, String> {
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

pub(super) fn phone_in(value: &str, lang: Lang) -> Result<String, String> {
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

pub(super) fn nik_in(value: &str, lang: Lang) -> Result<String, String> {
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

pub(super) fn date(field: &Field, value: &str, today: Day, lang: Lang) -> Result<Value, String> {
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

pub(super) fn number(field: &Field, value: &str, lang: Lang) -> Result<Value, String> {
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
