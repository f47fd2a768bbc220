//! The outbox: every accepted submission is written here, durably, before the citizen is
//! told it was received; it leaves `pending` only when its mail has been accepted by the
//! mail server, and the resend command drains what is left. Two backends with the same
//! layout, `pending/{reference}.json` and `sent/{reference}.json`, one object per
//! submission with its attachments inside: a local folder ([`folder`]) and, for the AWS
//! deployment, an S3 bucket ([`s3`]).

use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use forms_model::validate::Answer;

/// One submission as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub reference: String,
    pub form_id: String,
    /// Seconds since 1970 (UTC).
    pub received_at: u64,
    /// The desk's address.
    pub desk: String,
    /// Desks that receive a copy (`Cc`), by address.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub copies: Vec<String>,
    pub answers: Vec<Answer>,
    pub files: Vec<StoredFile>,
    /// The citizen's email, when given, for the confirmation and `Reply-To`.
    pub citizen_email: Option<String>,
    /// The day (ISO) by which the receipt promises an answer.
    pub answer_by: String,
    pub desk_sent: bool,
    pub citizen_sent: bool,
    /// Failed scheduled attempts so far, and when (seconds since 1970) to try next.
    #[serde(default)]
    pub attempts: u32,
    #[serde(default)]
    pub next_attempt: u64,
    /// Whether the administrator was told this one is stuck.
    #[serde(default)]
    pub alerted: bool,
    /// Why the citizen's confirmation was not mailed and never will be (with
    /// `citizen_sent` set, so the record is not held back for it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation_unsent: Option<Unsent>,
}

/// Why a confirmation is not sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unsent {
    /// Over a mail budget (the address, the source, or overall) when the receipt was given.
    Suppressed,
    /// The mail system refused the address for good (an unusable address, or a 5xx).
    Refused,
}

impl Record {
    /// A new record to `desk` with nothing in it yet and nothing sent.
    pub fn new(reference: &str, form_id: &str, desk: &str, answer_by: &str) -> Record {
        Record {
            reference: reference.to_string(),
            form_id: form_id.to_string(),
            received_at: 0,
            desk: desk.to_string(),
            copies: Vec::new(),
            answers: Vec::new(),
            files: Vec::new(),
            citizen_email: None,
            answer_by: answer_by.to_string(),
            desk_sent: false,
            citizen_sent: false,
            attempts: 0,
            next_attempt: 0,
            alerted: false,
            confirmation_unsent: None,
        }
    }

    /// Whether the receipt may say a confirmation is on its way.
    pub fn confirmation_promised(&self) -> bool {
        self.citizen_email.is_some() && self.confirmation_unsent != Some(Unsent::Suppressed)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredFile {
    pub field: String,
    pub filename: String,
    #[serde(with = "base64_bytes")]
    pub bytes: Vec<u8>,
}

mod base64_bytes {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}

pub mod folder;
#[cfg(feature = "s3")]
pub mod s3;

/// An S3 bucket for the outbox: where it is and how objects are encrypted.
#[derive(Debug, Clone, Default)]
pub struct BucketSettings {
    pub bucket: String,
    /// Prepended to every key (`OUTBOX_PREFIX`), e.g. `formulir/`.
    pub prefix: String,
    /// An S3-compatible endpoint instead of AWS's (`OUTBOX_S3_ENDPOINT`), addressed
    /// path-style: a test server on loopback, or a provider other than AWS.
    pub endpoint: Option<String>,
    /// A KMS key for SSE-KMS (`OUTBOX_KMS_KEY`); without it, SSE-S3 (AES-256).
    pub kms_key: Option<String>,
}

/// Where the outbox is kept.
pub enum Outbox {
    Folder(folder::Folder),
    #[cfg(feature = "s3")]
    S3(s3::Bucket),
}

impl Outbox {
    /// An outbox in the local folder `dir` (created when missing).
    pub fn open(dir: &Path) -> io::Result<Outbox> {
        folder::Folder::open(dir).map(Outbox::Folder)
    }

    /// Writes `record` to `pending` so that it survives a crash right after; returns only
    /// once it is stored.
    pub fn save(&self, record: &Record) -> io::Result<()> {
        match self {
            Outbox::Folder(f) => f.save(record),
            #[cfg(feature = "s3")]
            Outbox::S3(b) => b.save(record),
        }
    }

    /// Moves a fully delivered record from `pending` to `sent`.
    pub fn mark_sent(&self, record: &Record) -> io::Result<()> {
        match self {
            Outbox::Folder(f) => f.mark_sent(record),
            #[cfg(feature = "s3")]
            Outbox::S3(b) => b.mark_sent(record),
        }
    }

    /// The references of every record still waiting for its mail, least recently written
    /// first. Only names: a caller loads one record at a time ([`Outbox::load`]), so what
    /// is pending (attachments included) never has to fit in memory at once.
    pub fn pending(&self) -> io::Result<Vec<String>> {
        let mut pending = match self {
            Outbox::Folder(f) => f.pending(),
            #[cfg(feature = "s3")]
            Outbox::S3(b) => b.pending(),
        }?;
        pending.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
        Ok(pending
            .into_iter()
            .map(|(reference, _)| reference)
            .collect())
    }

    /// Every record still waiting for its mail, loaded: for tests and small outboxes.
    pub fn pending_records(&self) -> io::Result<Vec<Record>> {
        self.pending()?
            .iter()
            .map(|reference| self.load(reference))
            .collect()
    }

    /// The pending record of `reference`, as last saved.
    pub fn load(&self, reference: &str) -> io::Result<Record> {
        match self {
            Outbox::Folder(f) => f.load(reference),
            #[cfg(feature = "s3")]
            Outbox::S3(b) => b.load(reference),
        }
    }

    /// The delivered record of `reference`, as moved to `sent`.
    pub fn load_sent(&self, reference: &str) -> io::Result<Record> {
        match self {
            Outbox::Folder(f) => f.load_sent(reference),
            #[cfg(feature = "s3")]
            Outbox::S3(b) => b.load_sent(reference),
        }
    }

    pub fn is_sent(&self, reference: &str) -> io::Result<bool> {
        match self {
            Outbox::Folder(f) => Ok(f.is_sent(reference)),
            #[cfg(feature = "s3")]
            Outbox::S3(b) => b.is_sent(reference),
        }
    }

    /// Deletes the delivered records moved to `sent` before `cutoff` (seconds since 1970)
    /// and returns how many; what is still pending is never touched.
    pub fn purge_sent(&self, cutoff: u64) -> io::Result<usize> {
        match self {
            Outbox::Folder(f) => f.purge_sent(cutoff),
            #[cfg(feature = "s3")]
            Outbox::S3(b) => b.purge_sent(cutoff),
        }
    }
}

impl Outbox {
    /// Has the store itself delete delivered records `days` after delivery (an S3
    /// lifecycle rule). A folder has no such thing: run `forms-fn purge` from a timer.
    pub fn set_retention(&self, days: u32) -> io::Result<()> {
        match self {
            Outbox::Folder(_) => {
                let _ = days;
                Err(io::Error::new(
                    io::ErrorKind::Unsupported,
                    "a local folder has no lifecycle rules: run `forms-fn purge` from a timer",
                ))
            }
            #[cfg(feature = "s3")]
            Outbox::S3(b) => b.set_retention(days),
        }
    }

    /// Where the records are, for messages.
    pub fn describe(&self) -> String {
        match self {
            Outbox::Folder(f) => f.describe(),
            #[cfg(feature = "s3")]
            Outbox::S3(b) => b.describe(),
        }
    }
}

fn encode(record: &Record) -> io::Result<Vec<u8>> {
    serde_json::to_vec(record).map_err(io::Error::other)
}

fn decode(bytes: &[u8]) -> io::Result<Record> {
    serde_json::from_slice(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// The reference a stored record's name carries (`pending/INF-2345-6789.json`).
fn reference_of(name: &str) -> Option<&str> {
    let file = name.rsplit('/').next()?;
    let reference = file.strip_suffix(".json")?;
    (!reference.is_empty() && !reference.starts_with('.')).then_some(reference)
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    fn record() -> Record {
        Record {
            received_at: 1,
            files: vec![StoredFile {
                field: "surat".into(),
                filename: "a.pdf".into(),
                bytes: b"%PDF-1".to_vec(),
            }],
            ..Record::new(
                "INF-2345-6789",
                "informasi-publik",
                "ppid@kpu.example",
                "2026-03-01",
            )
        }
    }

    #[test]
    fn saves_lists_and_marks_sent() {
        let dir = tempfile::tempdir().expect("temp dir");
        let outbox = Outbox::open(dir.path()).expect("open");
        assert_eq!(outbox.purge_sent(u64::MAX).expect("purge"), 0);
        outbox.save(&record()).expect("save");
        let pending = outbox.pending_records().expect("list");
        assert_eq!(pending, vec![record()]);
        outbox.mark_sent(&pending[0]).expect("mark");
        assert!(outbox.pending_records().expect("list").is_empty());
        assert!(outbox.is_sent("INF-2345-6789").expect("sent"));
        assert_eq!(outbox.purge_sent(0).expect("purge"), 0, "too recent");
        assert_eq!(outbox.purge_sent(u64::MAX).expect("purge"), 1);
        assert!(!outbox.is_sent("INF-2345-6789").expect("sent"));
        let leftovers: Vec<_> = fs::read_dir(dir.path().join("pending"))
            .expect("dir")
            .collect();
        assert!(leftovers.is_empty(), "no temporary files left");
    }

    #[test]
    fn reference_of_a_name() {
        assert_eq!(reference_of("p/pending/INF-1.json"), Some("INF-1"));
        assert_eq!(reference_of("pending/.INF-1.tmp"), None);
        assert_eq!(reference_of("pending/.json"), None);
    }
}
