//! Sending mail: over SMTP when `SMTP_URL` is set (lettre's URL form, e.g.
//! `smtp://user:pass@host:587?tls=required`), otherwise as `.eml` files in a local folder, so
//! the whole journey works on a laptop with no mail server.

use std::path::Path;

use lettre::transport::stub::StubTransport;
use lettre::{FileTransport, Message, SmtpTransport, Transport};

pub enum Mailer {
    Smtp(Box<SmtpTransport>),
    Files(FileTransport),
    /// Accepts every message and sends nothing: for measuring the handler without a mail
    /// server's delay.
    Discard(StubTransport),
}

impl Mailer {
    pub fn smtp(url: &str) -> Result<Mailer, String> {
        let transport = SmtpTransport::from_url(url)
            .map_err(|e| format!("SMTP_URL is not a usable SMTP address: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(10)))
            .build();
        Ok(Mailer::Smtp(Box::new(transport)))
    }

    pub fn files(dir: &Path) -> Result<Mailer, String> {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create the mail folder `{}`: {e}", dir.display()))?;
        Ok(Mailer::Files(FileTransport::new(dir)))
    }

    pub fn discard() -> Mailer {
        Mailer::Discard(StubTransport::new_ok())
    }

    /// Sends `message`; `Ok` only once the server (or the folder) has accepted it. The error
    /// names the kind of failure only: a server's full reply can quote a citizen's address,
    /// and errors end up in logs.
    pub fn send(&self, message: &Message) -> Result<(), String> {
        match self {
            Mailer::Smtp(t) => t.send(message).map(|_| ()).map_err(|e| {
                let kind = if e.is_timeout() {
                    "timeout"
                } else if e.is_tls() {
                    "TLS failure"
                } else if e.is_permanent() {
                    "permanent rejection"
                } else if e.is_transient() {
                    "temporary rejection"
                } else if e.is_client() {
                    "client error"
                } else {
                    "connection failure"
                };
                let code = e.status().map(|c| format!(" ({c})")).unwrap_or_default();
                format!("SMTP {kind}{code}")
            }),
            Mailer::Files(t) => t
                .send(message)
                .map(|_| ())
                .map_err(|_| "cannot write the mail file".to_string()),
            Mailer::Discard(t) => t
                .send(message)
                .map(|_| ())
                .map_err(|_| "discarded".to_string()),
        }
    }

    pub fn is_local(&self) -> bool {
        matches!(self, Mailer::Files(_) | Mailer::Discard(_))
    }
}
