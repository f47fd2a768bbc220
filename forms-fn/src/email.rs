//! The messages: to the desk (every answer labelled as on the form, attachments attached,
//! `Reply-To` the citizen), and a short confirmation to the citizen (reference, what happens
//! next, the deadline; none of their own text echoed back). Subjects carry the reference and
//! the form's title only, never personal data.

use std::fmt::Write as _;

use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};

use crate::outbox::Record;
use forms_model::calendar::Day;
use forms_model::content_type;
use forms_model::html::escape;
use forms_model::schema::Form;
use forms_model::validate::{Answer, Value};

fn message_id(record: &Record, kind: &str, from: &Mailbox) -> String {
    // Stable per submission, so a message re-sent after a crash can be recognised as the same.
    format!("<{}.{kind}@{}>", record.reference, from.email.domain())
}

fn lines(answers: &[Answer], record: &Record, text: &mut String, html: &mut String, indent: &str) {
    for answer in answers {
        let _ = writeln!(text, "{indent}{}:", answer.label);
        let _ = write!(
            html,
            "<tr><th scope=\"row\">{}</th><td>",
            escape(&answer.label)
        );
        match &answer.value {
            Value::Text(t) => {
                for line in t.lines() {
                    let _ = writeln!(text, "{indent}  {line}");
                }
                let _ = write!(html, "{}", escape(t).replace('\n', "<br>"));
            }
            Value::Choices(c) => {
                let _ = writeln!(text, "{indent}  {}", c.join("; "));
                let _ = write!(html, "{}", escape(&c.join("; ")));
            }
            Value::Files(indices) => {
                let names: Vec<String> = indices
                    .iter()
                    .filter_map(|&i| record.files.get(i))
                    .map(|f| {
                        format!(
                            "{} ({} KB, terlampir)",
                            f.filename,
                            f.bytes.len().div_ceil(1024)
                        )
                    })
                    .collect();
                let _ = writeln!(text, "{indent}  {}", names.join("; "));
                let _ = write!(html, "{}", escape(&names.join("; ")));
            }
            Value::Rows(rows) => {
                html.push_str("<table>");
                for (i, row) in rows.iter().enumerate() {
                    let _ = writeln!(text, "{indent}  {} {}:", answer.label, i + 1);
                    let _ = write!(
                        html,
                        "<tr><th colspan=\"2\">{} {}</th></tr>",
                        escape(&answer.label),
                        i + 1
                    );
                    lines(row, record, text, html, &format!("{indent}    "));
                }
                html.push_str("</table>");
            }
            Value::Empty => {
                let _ = writeln!(text, "{indent}  (tidak diisi)");
                html.push_str("<em>(tidak diisi)</em>");
            }
        }
        text.push('\n');
        html.push_str("</td></tr>\n");
    }
}

/// What the citizen is promised about the answer: a date, when the service standard sets a
/// time limit; otherwise that none is promised yet.
pub fn promise(form: &Form, record: &Record, lang: forms_model::lang::Lang) -> String {
    if form.survey.is_some() {
        return lang
            .pick(
                "Terima kasih. Penilaian Anda kami hitung dalam Indeks Kepuasan Masyarakat, yang kami umumkan bersama tindak lanjutnya di halaman Kinerja Layanan.",
                "Thank you. Your rating counts towards the public satisfaction index, which we publish with what we do about it on the Service Performance page.",
            )
            .to_string();
    }
    match (form.deadline_days.days(), Day::parse(&record.answer_by)) {
        (Some(days), Some(day)) => {
            let date = lang.date(day);
            lang.pick(
                format!("Kami akan menjawab paling lambat {date} ({days} hari kerja)."),
                format!("We will answer by {date} ({days} working days) at the latest."),
            )
        }
        _ => lang
            .pick(
                "Standar pelayanan belum menetapkan jangka waktu jawaban layanan ini, sehingga kami belum menjanjikan tanggal. Petugas kami akan menindaklanjuti kiriman Anda.",
                "The service standard does not yet set a time limit for this answer, so we do not promise a date. Our staff will follow up your submission.",
            )
            .to_string(),
    }
}

/// The deadline line of the desk's mail.
fn desk_deadline(form: &Form, record: &Record) -> String {
    if form.survey.is_some() {
        return "tidak ada (survei kepuasan: baca saran, bila ada)".to_string();
    }
    match (form.deadline_days.days(), Day::parse(&record.answer_by)) {
        (Some(days), Some(day)) => format!("{} ({days} hari kerja)", day.display_id()),
        _ => "belum ditetapkan dalam standar pelayanan".to_string(),
    }
}

/// Why a message cannot be built (never retried as it is: the record stays pending for an
/// operator to fix the address).
#[derive(Debug, thiserror::Error)]
pub enum MessageError {
    #[error("the {whose} address is not usable")]
    Address {
        whose: &'static str,
        source: lettre::address::AddressError,
    },
    #[error("the citizen's address does not pass the form's own check")]
    Unusable,
    #[error("an attachment's type")]
    ContentType(#[from] lettre::message::header::ContentTypeErr),
    #[error("the message cannot be built")]
    Build(#[from] lettre::error::Error),
}

fn mailbox(whose: &'static str, address: &str) -> Result<Mailbox, MessageError> {
    address
        .parse()
        .map_err(|source| MessageError::Address { whose, source })
}

/// The message to the desk.
pub fn to_desk(
    form: &Form,
    record: &Record,
    from: &Mailbox,
    links: Option<&str>,
) -> Result<Message, MessageError> {
    let to = mailbox("desk", &record.desk)?;
    let deadline = desk_deadline(form, record);
    let mut text = format!(
        "Kiriman baru melalui formulir \"{}\".\n\nNomor referensi: {}\nBatas jawaban: {deadline}\n\n",
        form.title, record.reference
    );
    let mut rows = String::new();
    lines(&record.answers, record, &mut text, &mut rows, "");
    text.push_str("Balas surel ini untuk menjawab pengirim, bila ia memberikan alamat surel.\n");
    let mut link_rows = String::new();
    if let Some(links) = links {
        text.push('\n');
        text.push_str(links);
        link_rows = format!(
            "<pre style=\"white-space:pre-wrap\">{}</pre>\n",
            escape(links)
        );
    }
    let html = format!(
        "<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body>\n<p>Kiriman baru melalui formulir <strong>{title}</strong>.</p>\n<p>Nomor referensi: <strong>{reference}</strong><br>Batas jawaban: {deadline}</p>\n<table>\n{rows}</table>\n{link_rows}</body></html>\n",
        title = escape(&form.title),
        reference = escape(&record.reference),
        deadline = escape(&deadline),
    );
    let mut builder = Message::builder().from(from.clone()).to(to);
    for copy in &record.copies {
        builder = builder.cc(mailbox("copy", copy)?);
    }
    let mut builder = builder
        .subject(format!("[{}] {}", record.reference, form.title))
        .message_id(Some(message_id(record, "meja", from)));
    if let Some(email) = &record.citizen_email
        && let Ok(mailbox) = email.parse::<Mailbox>()
    {
        builder = builder.reply_to(mailbox);
    }
    let mut mixed = MultiPart::mixed().multipart(MultiPart::alternative_plain_html(text, html));
    for file in &record.files {
        let kind = ContentType::parse(
            forms_model::validate::sniff(&file.bytes)
                .map_or("application/octet-stream", content_type::of_extension),
        )?;
        mixed =
            mixed.singlepart(Attachment::new(file.filename.clone()).body(file.bytes.clone(), kind));
    }
    Ok(builder.multipart(mixed)?)
}

/// The confirmation to the citizen, when they gave an email address.
pub fn to_citizen(
    form: &Form,
    record: &Record,
    from: &Mailbox,
    status_url: Option<&str>,
) -> Option<Result<Message, MessageError>> {
    let email = record.citizen_email.as_ref()?;
    Some((|| {
        // The validator's own test: an address that would not pass the form today (one an
        // older version let through) is not one to send to.
        forms_model::validate::email(email).map_err(|_| MessageError::Unusable)?;
        let to = mailbox("citizen's", email)?;
        let text = format!(
            "Terima kasih. Kiriman Anda melalui formulir \"{title}\" sudah kami terima dan tercatat.\n\nNomor referensi: {reference}\n\nSimpan nomor ini: sebutkan nomor ini bila Anda menanyakan perkembangannya.\n{promise}\n\nSurel ini dikirim otomatis. Jangan membalas dengan data pribadi.\n\nKPU Provinsi Nusa Tenggara Barat\n",
            title = form.title,
            reference = record.reference,
            promise = promise(form, record, forms_model::lang::Lang::Id),
        );
        let text = match status_url {
            Some(url) => text.replacen(
                "\n\nSurel ini",
                &format!("\n\nLihat perkembangan permohonan Anda (masukkan juga alamat surel atau nomor HP yang Anda berikan):\n{url}\n\nSurel ini"),
                1,
            ),
            None => text,
        };
        Message::builder()
            .from(from.clone())
            .to(to)
            .subject(format!(
                "[{}] Kiriman Anda sudah kami terima",
                record.reference
            ))
            .message_id(Some(message_id(record, "warga", from)))
            .singlepart(SinglePart::plain(text))
            .map_err(MessageError::Build)
    })())
}
