//! Why a request is refused: one type that knows its status, what the log records, and the
//! message in both languages; the pages turn it into an answer in the page's language.

use http::StatusCode;

use forms_model::lang::Lang;
use forms_model::submission::{Limit, ParseError};
use forms_model::validate::Errors;

/// A text in Indonesian and in English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub id: String,
    pub en: String,
}

impl Text {
    pub fn new(id: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            id: id.into(),
            en: en.into(),
        }
    }

    pub fn pick(&self, lang: Lang) -> &str {
        lang.pick(&self.id, &self.en)
    }
}

#[derive(Debug, Clone)]
pub struct Refusal {
    pub status: StatusCode,
    /// The outcome a log line records (`rate_limited`, `stale_form`, ...); `None` for a
    /// request that is simply wrong (no such form, not a form post), which is not logged.
    pub outcome: Option<&'static str>,
    pub message: Text,
    /// Seconds after which trying again may succeed (`Retry-After`).
    pub retry_after: Option<u64>,
    /// Answered with `Allow: POST` (a method other than POST).
    pub post_only: bool,
    /// The answers to correct: the form is shown again with these (422).
    pub errors: Option<Errors>,
}

impl Refusal {
    pub fn new(status: StatusCode, message: Text) -> Refusal {
        Refusal {
            status,
            outcome: None,
            message,
            retry_after: None,
            post_only: false,
            errors: None,
        }
    }

    /// The same refusal, logged with `outcome`.
    pub fn logged(self, outcome: &'static str) -> Refusal {
        Refusal {
            outcome: Some(outcome),
            ..self
        }
    }

    pub fn not_found() -> Refusal {
        Refusal::new(
            StatusCode::NOT_FOUND,
            Text::new("Formulir ini tidak ada.", "This form does not exist."),
        )
    }

    pub fn not_post() -> Refusal {
        Refusal {
            post_only: true,
            ..Refusal::new(
                StatusCode::METHOD_NOT_ALLOWED,
                Text::new(
                    "Formulir hanya menerima kiriman (POST).",
                    "This form only accepts submissions (POST).",
                ),
            )
        }
    }

    pub fn foreign_origin() -> Refusal {
        Refusal::new(
            StatusCode::FORBIDDEN,
            Text::new(
                "Kiriman ini tidak datang dari situs KPU Provinsi NTB. Isi formulir di situs resmi, lalu kirim dari sana.",
                "This submission did not come from the KPU Provinsi NTB website. Fill in the form on the official website and send it from there.",
            ),
        )
        .logged("foreign_origin")
    }

    pub fn too_many(wait: u64) -> Refusal {
        let minutes = wait.div_ceil(60);
        Refusal {
            retry_after: Some(wait),
            ..Refusal::new(
                StatusCode::TOO_MANY_REQUESTS,
                Text::new(
                    format!("Terlalu banyak kiriman dalam waktu singkat. Coba lagi dalam {minutes} menit."),
                    format!("Too many submissions in a short time. Try again in {minutes} minutes."),
                ),
            )
            .logged("rate_limited")
        }
    }

    pub fn unsupported() -> Refusal {
        Refusal::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Text::new(
                "Kirim formulir sebagai application/x-www-form-urlencoded atau multipart/form-data.",
                "Send the form as application/x-www-form-urlencoded or multipart/form-data.",
            ),
        )
    }

    pub fn too_large(limit: Limit) -> Refusal {
        let (id, en) = (limit.describe(Lang::Id), limit.describe(Lang::En));
        Refusal::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            Text::new(
                format!("Kiriman terlalu besar: {id}. Perkecil lampiran, atau serahkan di loket."),
                format!(
                    "The submission is too large: {en}. Make the attachment smaller, or hand it in at our service desk."
                ),
            ),
        )
    }

    /// A body that could not be parsed.
    pub fn unparsed(err: ParseError) -> Refusal {
        match err {
            ParseError::UnsupportedType => Refusal::unsupported(),
            ParseError::TooLarge(limit) => Refusal::too_large(limit),
            // The detail names the encoding fault in Indonesian; the English answer omits it.
            ParseError::Malformed(what) => Refusal::new(
                StatusCode::BAD_REQUEST,
                Text::new(
                    format!("Kiriman rusak ({what}). Muat ulang halaman formulir lalu kirim lagi."),
                    "The submission arrived damaged. Reload the form page and send it again.",
                ),
            ),
        }
    }

    pub fn stale_form() -> Refusal {
        Refusal::new(
            StatusCode::CONFLICT,
            Text::new(
                "Formulir ini sudah diperbarui sejak halaman Anda dibuka. Muat ulang halaman formulir, lalu isi dan kirim lagi.",
                "This form has changed since you opened the page. Reload the form page, then fill it in and send it again.",
            ),
        )
        .logged("stale_form")
    }

    pub fn unknown_field(name: &str) -> Refusal {
        let name = harmless(name);
        Refusal::new(
            StatusCode::BAD_REQUEST,
            Text::new(
                format!("Kiriman berisi isian yang tidak dikenal formulir ini (`{name}`). Muat ulang halaman formulir, lalu kirim lagi."),
                format!("The submission holds a field this form does not know (`{name}`). Reload the form page, then send it again."),
            ),
        )
        .logged("unknown_field")
    }

    pub fn misplaced_file(name: &str) -> Refusal {
        let name = harmless(name);
        Refusal::new(
            StatusCode::BAD_REQUEST,
            Text::new(
                format!("Kiriman berisi berkas pada isian yang bukan lampiran (`{name}`). Muat ulang halaman formulir, lalu kirim lagi."),
                format!("The submission holds a file in a field that takes no attachment (`{name}`). Reload the form page, then send it again."),
            ),
        )
        .logged("misplaced_file")
    }

    /// Answers to correct; logged with how many (never what they were).
    pub fn invalid(errors: Errors) -> Refusal {
        Refusal {
            errors: Some(errors),
            ..Refusal::new(StatusCode::UNPROCESSABLE_ENTITY, Text::new("", ""))
        }
    }

    pub fn key_reused() -> Refusal {
        Refusal::new(
            StatusCode::CONFLICT,
            Text::new(
                "Kunci pengiriman ini sudah dipakai untuk kiriman dengan isian lain. Kirim sekali lagi: kiriman Anda akan dicatat sebagai kiriman baru.",
                "This sending key was already used for a submission with other answers. Send once more: your submission will be recorded as a new one.",
            ),
        )
        .logged("key_reused")
    }

    pub fn not_recorded() -> Refusal {
        Refusal::new(
            StatusCode::SERVICE_UNAVAILABLE,
            Text::new(
                "Kiriman Anda belum dapat kami catat karena gangguan. Tidak ada yang tersimpan: coba kirim lagi beberapa saat lagi.",
                "We could not record your submission because of a fault. Nothing was kept: please send it again in a few moments.",
            ),
        )
    }

    /// A body that could not be read (see [`Unread`]).
    pub fn unread(why: Unread, body_limit_mb: usize) -> Refusal {
        match why {
            Unread::TooLarge => Refusal::too_large(Limit::Body(body_limit_mb)),
            Unread::Slow => Refusal::new(
                StatusCode::REQUEST_TIMEOUT,
                Text::new(
                    "Kiriman terlalu lama sampai dan tidak kami terima. Tidak ada yang tersimpan: kirim lagi, sebaiknya saat sinyal lebih baik.",
                    "The submission took too long to arrive and was not received. Nothing was kept: send it again, preferably when the signal is better.",
                ),
            ),
            Unread::Busy => Refusal {
                retry_after: Some(60),
                ..Refusal::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    Text::new(
                        "Layanan formulir sedang sibuk. Tidak ada yang tersimpan: kirim lagi dalam satu menit.",
                        "The form service is busy. Nothing was kept: send it again in a minute.",
                    ),
                )
            },
            Unread::Broken => Refusal::new(
                StatusCode::BAD_REQUEST,
                Text::new(
                    "Kiriman terputus di tengah jalan. Tidak ada yang tersimpan: kirim lagi.",
                    "The submission was cut off on the way. Nothing was kept: send it again.",
                ),
            ),
        }
    }
}

/// Why a server could not read an admitted request's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unread {
    /// The body did not arrive in time (408).
    Slow,
    /// Too many bodies are being read at once (503, try again shortly).
    Busy,
    /// Longer than the limit, whatever the head said (413).
    TooLarge,
    /// The connection broke off (400).
    Broken,
}

/// Field names come from the request: keep them short and harmless in a message.
fn harmless(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
        .take(40)
        .collect()
}
