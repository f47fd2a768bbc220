//! The signed links of the desk's mail, and the keyed hashes of a citizen's contacts.
//!
//! A link is `{reference}.{action}.{expires}.{signature}`: HMAC-SHA-256 under the function's
//! secret over the first three parts, cut to 128 bits. It names one request and one step
//! and stops working at `expires`; the request's history keeps the signature of the link
//! each step came from, so a link acts once. The secret comes from `LINK_SECRET`, the secrets
//! store (`LINK_SECRET_SECRET`, read through the Lambda extension), or, for a local outbox, a
//! random key kept beside it.

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::Action;
use crate::guard::mailbox_key;

type HmacSha256 = Hmac<Sha256>;

/// How long a desk's link works (a reminder or a digest brings fresh ones).
pub const LINK_DAYS: u64 = 30;

/// The purpose a survey link is signed for (desk links name their action).
const SURVEY: &str = "survei";

/// Bytes of signature kept in a link.
const SIGNATURE_BYTES: usize = 16;

/// The function's secret.
#[derive(Clone)]
pub struct Keys {
    secret: Vec<u8>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(..)")
    }
}

/// A link that checked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub reference: String,
    pub action: Action,
    pub expires: u64,
    /// The signature's text: what the history keeps so the link acts once.
    pub id: String,
}

/// Why a link is refused. The citizen-facing page says the same for all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("not a link of this function")]
    Malformed,
    #[error("the signature does not match")]
    Forged,
    #[error("the link has expired")]
    Expired,
}

/// Why the secret cannot be had.
#[derive(Debug, thiserror::Error)]
pub enum KeysError {
    #[error("LINK_SECRET must be at least 32 characters")]
    Short,
    #[error("cannot keep the link key at `{path}`")]
    File {
        path: String,
        source: std::io::Error,
    },
}

/// Shortest secret accepted.
const MIN_SECRET: usize = 32;

impl Keys {
    pub fn new(secret: &[u8]) -> Result<Keys, KeysError> {
        if secret.len() < MIN_SECRET {
            return Err(KeysError::Short);
        }
        Ok(Keys {
            secret: secret.to_vec(),
        })
    }

    /// A random key of this process only: for an outbox that keeps no requests store, where
    /// no link is ever signed.
    pub fn ephemeral() -> Result<Keys, KeysError> {
        let mut random = [0u8; 32];
        getrandom::fill(&mut random).map_err(|e| KeysError::File {
            path: "(random)".into(),
            source: std::io::Error::other(e.to_string()),
        })?;
        Keys::new(&random)
    }

    /// The key kept in `path` (created with 32 random bytes, readable by its owner only,
    /// when absent): a local outbox's, so links survive a restart.
    pub fn in_file(path: &Path) -> Result<Keys, KeysError> {
        let fail = |source| KeysError::File {
            path: path.display().to_string(),
            source,
        };
        match std::fs::read(path) {
            Ok(bytes) => Keys::new(&bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut random = [0u8; 32];
                getrandom::fill(&mut random)
                    .map_err(|e| fail(std::io::Error::other(e.to_string())))?;
                let text = URL_SAFE_NO_PAD.encode(random).into_bytes();
                write_private(path, &text).map_err(fail)?;
                // Another process may have won the race: read what is there.
                Keys::new(&std::fs::read(path).map_err(fail)?)
            }
            Err(e) => Err(fail(e)),
        }
    }

    fn mac(&self) -> HmacSha256 {
        // HMAC takes a key of any length.
        <HmacSha256 as KeyInit>::new_from_slice(&self.secret).unwrap_or_else(|_| unreachable!())
    }

    fn sign(&self, payload: &str) -> String {
        let mut mac = self.mac();
        mac.update(payload.as_bytes());
        let full = mac.finalize().into_bytes();
        URL_SAFE_NO_PAD.encode(&full[..SIGNATURE_BYTES])
    }

    /// A link for `action` on `reference`, working until `expires` (seconds since 1970).
    pub fn link(&self, reference: &str, action: Action, expires: u64) -> String {
        self.signed(reference, action.name(), expires)
    }

    /// The citizen's link to rate the service `reference` received, in the satisfaction
    /// survey, working until `expires`. It cannot be used as a desk's link, nor the reverse.
    pub fn survey_link(&self, reference: &str, expires: u64) -> String {
        self.signed(reference, SURVEY, expires)
    }

    fn signed(&self, reference: &str, purpose: &str, expires: u64) -> String {
        let payload = format!("{reference}.{purpose}.{expires}");
        let signature = self.sign(&payload);
        format!("{payload}.{signature}")
    }

    /// Checks a desk's link's signature and expiry at `now`.
    pub fn verify(&self, token: &str, now: u64) -> Result<Link, LinkError> {
        let (reference, purpose, expires, id) = self.checked(token, now)?;
        let action = Action::parse(&purpose).ok_or(LinkError::Malformed)?;
        Ok(Link {
            reference,
            action,
            expires,
            id,
        })
    }

    /// Checks a survey link at `now`: the reference of the request it rates.
    pub fn verify_survey(&self, token: &str, now: u64) -> Result<String, LinkError> {
        match self.checked(token, now)? {
            (reference, purpose, _, _) if purpose == SURVEY => Ok(reference),
            _ => Err(LinkError::Malformed),
        }
    }

    /// A token's reference, purpose, expiry and signature, once its signature and expiry
    /// check out.
    fn checked(&self, token: &str, now: u64) -> Result<(String, String, u64, String), LinkError> {
        let mut parts = token.split('.');
        let (Some(reference), Some(purpose), Some(expires), Some(signature), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(LinkError::Malformed);
        };
        if !crate::reference::is_valid(reference)
            || !purpose.bytes().all(|b| b.is_ascii_lowercase())
        {
            return Err(LinkError::Malformed);
        }
        let expires: u64 = expires.parse().map_err(|_| LinkError::Malformed)?;
        let given = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| LinkError::Malformed)?;
        if given.len() != SIGNATURE_BYTES {
            return Err(LinkError::Malformed);
        }
        let mut mac = self.mac();
        mac.update(format!("{reference}.{purpose}.{expires}").as_bytes());
        // Compared in constant time.
        mac.verify_truncated_left(&given)
            .map_err(|_| LinkError::Forged)?;
        if now >= expires {
            return Err(LinkError::Expired);
        }
        Ok((
            reference.to_string(),
            purpose.to_string(),
            expires,
            signature.to_string(),
        ))
    }

    /// The keyed hash of a contact as the status page compares it: an email as its mailbox
    /// receives it, a phone number by its digits with `+62`/`62` read as `0`.
    pub fn contact(&self, value: &str) -> Option<String> {
        let normal = normal_contact(value)?;
        let mut mac = self.mac();
        mac.update(b"contact:");
        mac.update(normal.as_bytes());
        Some(URL_SAFE_NO_PAD.encode(&mac.finalize().into_bytes()[..SIGNATURE_BYTES]))
    }
}

/// An email or phone number in the form two spellings of it share; `None` when it is neither.
fn normal_contact(value: &str) -> Option<String> {
    let value = value.trim();
    if value.contains('@') {
        return Some(mailbox_key(value));
    }
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    let digits = match digits.strip_prefix("62") {
        Some(rest) => format!("0{rest}"),
        None => digits,
    };
    (digits.len() >= 8).then_some(digits)
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(mut file) => {
            file.write_all(bytes)?;
            file.sync_all()
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> Keys {
        Keys::new(b"0123456789abcdef0123456789abcdef").expect("long enough")
    }

    #[test]
    fn a_link_checks_out_until_it_expires() {
        let keys = keys();
        let link = keys.link("INF-7K3M-Q9XP", Action::Proses, 1_000);
        let ok = keys.verify(&link, 999).expect("valid");
        assert_eq!(ok.reference, "INF-7K3M-Q9XP");
        assert_eq!(ok.action, Action::Proses);
        assert_eq!(keys.verify(&link, 1_000), Err(LinkError::Expired));
    }

    #[test]
    fn forged_and_altered_links_are_refused() {
        let keys = keys();
        let link = keys.link("INF-7K3M-Q9XP", Action::Proses, 1_000);
        let other = Keys::new(b"another secret, just as long as the first").expect("long");
        assert_eq!(other.verify(&link, 1), Err(LinkError::Forged));
        for (from, to) in [("proses", "selesai"), ("1000", "9000"), ("Q9XP", "Q9XR")] {
            let altered = link.replace(from, to);
            assert_eq!(
                keys.verify(&altered, 1),
                Err(LinkError::Forged),
                "{altered}"
            );
        }
        for junk in ["", "a.b.c", "../../etc/passwd", &format!("{link}.x")] {
            assert_eq!(keys.verify(junk, 1), Err(LinkError::Malformed), "{junk}");
        }
        assert!(Keys::new(b"short").is_err());
    }

    #[test]
    fn contacts_match_however_they_are_written() {
        let keys = keys();
        assert_eq!(
            keys.contact("0812-3456-7890"),
            keys.contact("+62 812 3456 7890")
        );
        assert_eq!(
            keys.contact("Warga@Contoh.ID"),
            keys.contact("warga@contoh.id")
        );
        assert_ne!(keys.contact("081234567890"), keys.contact("081234567891"));
        assert_eq!(keys.contact("12"), None);
    }
}
