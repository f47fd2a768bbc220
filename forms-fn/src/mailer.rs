//! Sending mail: over SMTP when `SMTP_URL` is set (lettre's URL form, e.g.
//! `smtp://user:pass@host:587?tls=required`), otherwise as `.eml` files in a local folder, so
//! the whole journey works on a laptop with no mail server.

use std::path::Path;

use lettre::{FileTransport, Message, SmtpTransport, Transport};

pub enum Mailer {
    Smtp(Box<SmtpTransport>),
    Files(FileTransport),
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

    /// Sends `message`; `Ok` only once the server (or the folder) has accepted it.
    pub fn send(&self, message: &Message) -> Result<(), String> {
        match self {
            Mailer::Smtp(t) => t.send(message).map(|_| ()).map_err(|e| e.to_string()),
            Mailer::Files(t) => t.send(message).map(|_| ()).map_err(|e| e.to_string()),
        }
    }

    pub fn is_local(&self) -> bool {
        matches!(self, Mailer::Files(_))
    }
}
