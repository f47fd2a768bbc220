//! The mail of a tracked request: the links in the desk's mail, the desk's note to the
//! citizen (from the office's address, `Reply-To` the desk), and the daily round's reminder,
//! escalation and digest. Subjects carry the reference and the service, never personal data.

use std::fmt::Write as _;

use lettre::Message;
use lettre::message::{Mailbox, SinglePart};

use forms_model::calendar::Day;
use forms_model::lang::Lang;
use forms_model::schema::Form;

use super::tokens::LINK_DAYS;
use super::{Action, Request};
use crate::app::App;
use crate::email::MessageError;

/// What a desk's link does, in the words of its mail.
pub fn action_words(action: Action) -> &'static str {
    match action {
        Action::Proses => "Mulai proses (warga diberi tahu bahwa permohonannya sedang diproses)",
        Action::Perpanjang => "Perpanjang batas waktu, dengan alasan tertulis kepada warga",
        Action::Selesai => "Selesaikan, dengan catatan jawaban kepada warga",
        Action::Tolak => "Tolak, dengan alasan (dan dasar hukumnya) kepada warga",
        Action::Alihkan => "Alihkan ke lembaga yang berwenang, dengan catatan kepada warga",
    }
}

/// The links block of a desk's mail: one signed link per step the request allows now, each
/// working for [`LINK_DAYS`] days from `now`.
pub fn desk_links(app: &App, form: &Form, request: &Request, now: u64) -> String {
    let expires = now + LINK_DAYS * 86_400;
    let mut text = String::from(
        "Tindak lanjut (setiap tautan membuka halaman konfirmasi; belum ada yang berubah sebelum Anda menekan tombol konfirmasi):\n",
    );
    for action in Action::offered(form, request) {
        let token = app.keys.link(&request.reference, action, expires);
        let _ = writeln!(
            text,
            "- {}:\n  {}",
            action_words(action),
            app.endpoint_url(&format!("tautan/{token}"), Lang::Id)
        );
    }
    let _ = writeln!(
        text,
        "Tautan berlaku {LINK_DAYS} hari; surel pengingat dan ringkasan harian membawa tautan baru."
    );
    text
}

fn mailbox(whose: &'static str, address: &str) -> Result<Mailbox, MessageError> {
    address
        .parse()
        .map_err(|source| MessageError::Address { whose, source })
}

fn date(secs: u64) -> String {
    Day::of_secs(secs).display_id()
}

fn due(request: &Request) -> String {
    request
        .due_day()
        .map_or_else(|| "belum ditetapkan".to_string(), Day::display_id)
}

/// The state's words for the citizen.
pub fn state_words(state: super::State) -> &'static str {
    match state {
        super::State::Diterima => "diterima",
        super::State::Diproses => "sedang diproses",
        super::State::Diperpanjang => "diproses, dengan batas waktu diperpanjang",
        super::State::Selesai => "selesai",
        super::State::Ditolak => "ditolak",
        super::State::Dialihkan => "dialihkan ke lembaga yang berwenang",
    }
}

/// The mail that tells the citizen of the request's last step, with the desk's note: from the
/// office's address, `Reply-To` the desk, so the record holds exactly what they were told.
pub fn step_to_citizen(
    app: &App,
    form: &Form,
    request: &Request,
) -> Option<Result<Message, MessageError>> {
    let email = request.citizen_email.as_ref()?;
    let event = request.history.last()?;
    Some((|| {
        let to = mailbox("citizen's", email)?;
        let mut text = format!(
            "Permohonan Anda melalui layanan \"{title}\" dengan nomor referensi {reference} kini {state}.\n\n",
            title = form.title,
            reference = request.reference,
            state = state_words(event.state),
        );
        if let Some(note) = &event.note {
            let _ = writeln!(text, "Catatan dari petugas:\n{note}\n");
        }
        if let Some(basis) = &event.basis {
            let _ = writeln!(text, "Dasar hukum: {basis}\n");
        }
        if event.state.is_open() {
            let _ = writeln!(text, "Batas waktu jawaban: {}\n", due(request));
        } else if let Some(url) =
            super::ratings::survey_url(app, &request.reference, Lang::from_code(&request.lang))
        {
            let _ = writeln!(
                text,
                "Bantu kami memperbaiki layanan: nilailah layanan ini dalam Survei Kepuasan Masyarakat (sekitar dua menit, tanpa nama; tautan berlaku {} hari dan hanya untuk permohonan ini):\n{url}\n",
                super::ratings::SURVEY_DAYS
            );
        }
        let _ = writeln!(
            text,
            "Lihat perkembangannya kapan saja (masukkan nomor referensi dan alamat surel atau nomor HP yang Anda berikan):\n{}\n\nAnda dapat membalas surel ini; balasan Anda sampai ke petugas layanan.\n\nKPU Provinsi Nusa Tenggara Barat",
            status_link(app, request)
        );
        let mut builder = Message::builder()
            .from(app.from.clone())
            .to(to)
            .subject(format!(
                "[{}] Perkembangan permohonan Anda: {}",
                request.reference,
                event.state.name()
            ));
        if let Some(desk) = app.desks.get(&request.desk) {
            builder = builder.reply_to(mailbox("desk", desk)?);
        }
        builder
            .singlepart(SinglePart::plain(text))
            .map_err(MessageError::Build)
    })())
}

/// The status page with the reference filled in.
pub fn status_link(app: &App, request: &Request) -> String {
    let lang = Lang::from_code(&request.lang);
    format!(
        "{}?nomor={}",
        app.endpoint_url("status", lang),
        request.reference
    )
}

/// What a desk's mail says about one request: the service, dates, state and its links.
fn summary(app: &App, form: &Form, request: &Request, now: u64) -> String {
    format!(
        "Nomor referensi: {reference}\nLayanan: {title}\nDiterima: {received}\nStatus: {state}\nBatas waktu: {due}\n{links}",
        reference = request.reference,
        title = form.title,
        received = date(request.received_at),
        state = request.state.name(),
        due = due(request),
        links = desk_links(app, form, request, now),
    )
}

/// A message from the office to `to` (a desk or its head), with `cc` in copy.
fn office_mail(
    app: &App,
    to: &str,
    cc: Option<&str>,
    subject: String,
    text: String,
) -> Result<Message, MessageError> {
    let mut builder = Message::builder()
        .from(app.from.clone())
        .to(mailbox("desk", to)?);
    if let Some(cc) = cc {
        builder = builder.cc(mailbox("desk", cc)?);
    }
    builder
        .subject(subject)
        .singlepart(SinglePart::plain(text))
        .map_err(MessageError::Build)
}

/// Two working days before the deadline, to the desk.
pub fn reminder(
    app: &App,
    form: &Form,
    request: &Request,
    to: &str,
    now: u64,
) -> Result<Message, MessageError> {
    office_mail(
        app,
        to,
        None,
        format!(
            "[{}] Pengingat: batas waktu {}",
            request.reference,
            due(request)
        ),
        format!(
            "Permohonan ini belum selesai dan batas waktunya tinggal dua hari kerja.\n\n{}",
            summary(app, form, request, now)
        ),
    )
}

/// On the deadline, to the desk's head (the desk in copy).
pub fn escalation(
    app: &App,
    form: &Form,
    request: &Request,
    head: &str,
    desk: Option<&str>,
    now: u64,
) -> Result<Message, MessageError> {
    office_mail(
        app,
        head,
        desk,
        format!(
            "[{}] Batas waktu hari ini: permohonan belum dijawab",
            request.reference
        ),
        format!(
            "Permohonan ini mencapai batas waktunya hari ini dan belum dijawab. Mohon arahan kepada petugas layanan ({desk}).\n\n{summary}",
            desk = request.desk,
            summary = summary(app, form, request, now)
        ),
    )
}

/// Each morning, to a desk with open requests: them, by deadline.
pub fn digest(
    app: &App,
    to: &str,
    desk: &str,
    requests: &[(&Form, &Request)],
    today: Day,
    now: u64,
) -> Result<Message, MessageError> {
    let overdue = requests.iter().filter(|(_, r)| r.is_overdue(today)).count();
    let mut text = format!(
        "Permohonan terbuka pada meja {desk} per {}: {} permohonan, {overdue} melewati batas waktu. Diurutkan menurut batas waktu.\n\n",
        today.display_id(),
        requests.len()
    );
    for (form, request) in requests {
        if request.is_overdue(today) {
            text.push_str("LEWAT BATAS WAKTU\n");
        }
        text.push_str(&summary(app, form, request, now));
        text.push('\n');
    }
    office_mail(
        app,
        to,
        None,
        format!(
            "Ringkasan harian {}: {} permohonan terbuka",
            today.display_id(),
            requests.len()
        ),
        text,
    )
}
