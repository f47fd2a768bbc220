//! Sending mail: over SMTP when `SMTP_URL` is set (lettre's URL form, e.g.
//! `smtp://user:pass@host:587?tls=required`), otherwise as `.eml` files in a local folder, so
//! the whole journey works on a laptop with no mail server.

use std::path::Path;

use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::transport::stub::StubTransport;
use lettre::{FileTransport, Message, SmtpTransport, Transport};

pub enum Mailer {
    Smtp(Box<SmtpTransport>),
    /// `.eml` files in a folder only the service's user can open (0700; files 0600).
    Files(FileTransport, std::path::PathBuf),
    /// Accepts every message and sends nothing: for measuring the handler without a mail
    /// server's delay.
    Discard(StubTransport),
}

/// Why a mailer cannot be set up.
#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    #[error("SMTP_URL is not a usable SMTP address")]
    Url(#[source] lettre::transport::smtp::Error),
    #[error("cannot read SMTP_CA_FILE `{}`", path.display())]
    ReadCa {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("SMTP_CA_FILE `{}` is not a usable certificate", path.display())]
    Ca {
        path: std::path::PathBuf,
        source: lettre::transport::smtp::Error,
    },
    #[error("the TLS settings for the SMTP relay are not usable")]
    Tls(#[source] lettre::transport::smtp::Error),
    #[error("cannot create the mail folder `{}`", path.display())]
    Folder {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
}

impl Mailer {
    /// An SMTP mailer for `url`. `ca_file` (PEM) adds a certificate authority to trust, for
    /// a relay whose certificate a private authority signed.
    pub fn smtp(url: &str, ca_file: Option<&Path>) -> Result<Mailer, MailerError> {
        let mut builder = SmtpTransport::from_url(url)
            .map_err(MailerError::Url)?
            .timeout(Some(std::time::Duration::from_secs(10)));
        if let Some(path) = ca_file {
            let pem = std::fs::read(path).map_err(|source| MailerError::ReadCa {
                path: path.to_path_buf(),
                source,
            })?;
            let ca = Certificate::from_pem(&pem).map_err(|source| MailerError::Ca {
                path: path.to_path_buf(),
                source,
            })?;
            let (host, mode) = tls_mode(url);
            let parameters = TlsParameters::builder(host)
                .add_root_certificate(ca)
                .build_rustls()
                .map_err(MailerError::Tls)?;
            builder = builder.tls(match mode {
                TlsMode::Wrapper => Tls::Wrapper(parameters),
                TlsMode::Required => Tls::Required(parameters),
                TlsMode::Opportunistic => Tls::Opportunistic(parameters),
            });
        }
        Ok(Mailer::Smtp(Box::new(builder.build())))
    }

    pub fn files(dir: &Path) -> Result<Mailer, MailerError> {
        crate::outbox::folder::private_dir(dir).map_err(|source| MailerError::Folder {
            path: dir.to_path_buf(),
            source,
        })?;
        Ok(Mailer::Files(FileTransport::new(dir), dir.to_path_buf()))
    }

    pub fn discard() -> Mailer {
        Mailer::Discard(StubTransport::new_ok())
    }

    /// Sends `message`; `Ok` only once the server (or the folder) has accepted it. The error
    /// names the kind of failure only (a server's full reply can quote a citizen's address,
    /// and errors end up in logs) and says whether trying again can help.
    pub fn send(&self, message: &Message) -> Result<(), SendError> {
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
                SendError {
                    kind: format!("SMTP {kind}{code}"),
                    permanent: e.is_permanent(),
                }
            }),
            Mailer::Files(t, dir) => {
                let id = t
                    .send(message)
                    .map_err(|_| SendError::retry("cannot write the mail file"))?;
                crate::outbox::folder::private(&dir.join(format!("{id}.eml")))
                    .map_err(|_| SendError::retry("cannot protect the mail file"))
            }
            Mailer::Discard(t) => t
                .send(message)
                .map(|_| ())
                .map_err(|_| SendError::retry("discarded")),
        }
    }

    pub fn is_local(&self) -> bool {
        matches!(self, Mailer::Files(..) | Mailer::Discard(_))
    }
}

/// Why a message was not sent, in words that hold no personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    pub kind: String,
    /// The mail system refused it for good (5xx, or an address it cannot use): sending the
    /// same message again will not help.
    pub permanent: bool,
}

impl SendError {
    pub fn retry(kind: &str) -> SendError {
        SendError {
            kind: kind.to_string(),
            permanent: false,
        }
    }

    pub fn refused(kind: &str) -> SendError {
        SendError {
            kind: kind.to_string(),
            permanent: true,
        }
    }
}

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.kind)
    }
}

impl std::error::Error for SendError {}

enum TlsMode {
    Wrapper,
    Required,
    Opportunistic,
}

/// The host and TLS mode of an SMTP URL, as lettre reads them: `smtps://` wraps the
/// connection in TLS, `?tls=required` demands STARTTLS, anything else tries it.
fn tls_mode(url: &str) -> (String, TlsMode) {
    let (scheme, rest) = url.split_once("://").unwrap_or(("smtp", url));
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = host_port
        .rsplit_once(':')
        .map_or(host_port, |(h, _)| h)
        .to_string();
    let mode = if scheme == "smtps" {
        TlsMode::Wrapper
    } else if rest.contains("tls=required") {
        TlsMode::Required
    } else {
        TlsMode::Opportunistic
    };
    (host, mode)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_host_and_tls_mode_from_the_url() {
        let (host, mode) = tls_mode("smtp://user:pa%40ss@mail.example:587?tls=required");
        assert_eq!(host, "mail.example");
        assert!(matches!(mode, TlsMode::Required));
        assert!(matches!(
            tls_mode("smtps://mail.example").1,
            TlsMode::Wrapper
        ));
        assert!(matches!(
            tls_mode("smtp://localhost:25").1,
            TlsMode::Opportunistic
        ));
    }
}
