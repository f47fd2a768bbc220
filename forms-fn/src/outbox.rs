//! The outbox: every accepted submission is written here, durably, before the citizen is
//! told it was received; it leaves `pending/` only when its mail has been accepted by the
//! mail server. A local folder (atomic rename, fsync); the resend command drains it.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::validate::Answer;

/// One submission as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub reference: String,
    pub form_id: String,
    /// Seconds since 1970 (UTC).
    pub received_at: u64,
    /// The desk's address.
    pub desk: String,
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

/// A new file only the service's own user can read (0600): it holds personal data.
fn private_file(path: &Path) -> std::io::Result<File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

pub struct Outbox {
    dir: PathBuf,
}

impl Outbox {
    /// An outbox in `dir` (created when missing).
    pub fn open(dir: &Path) -> std::io::Result<Outbox> {
        fs::create_dir_all(dir.join("pending"))?;
        fs::create_dir_all(dir.join("sent"))?;
        Ok(Outbox {
            dir: dir.to_path_buf(),
        })
    }

    fn pending(&self, reference: &str) -> PathBuf {
        self.dir.join("pending").join(format!("{reference}.json"))
    }

    /// Writes `record` to `pending/` so that it survives a crash right after: written to a
    /// temporary file, flushed to disk, renamed into place, and the folder flushed too.
    pub fn save(&self, record: &Record) -> std::io::Result<()> {
        let target = self.pending(&record.reference);
        let temp = self
            .dir
            .join("pending")
            .join(format!(".{}.tmp", record.reference));
        let json = serde_json::to_vec(record).map_err(std::io::Error::other)?;
        {
            let mut file = private_file(&temp)?;
            file.write_all(&json)?;
            file.sync_all()?;
        }
        fs::rename(&temp, &target)?;
        File::open(self.dir.join("pending"))?.sync_all()
    }

    /// Moves a fully delivered record to `sent/`.
    pub fn mark_sent(&self, record: &Record) -> std::io::Result<()> {
        let target = self
            .dir
            .join("sent")
            .join(format!("{}.json", record.reference));
        fs::rename(self.pending(&record.reference), target)?;
        File::open(self.dir.join("sent"))?.sync_all()?;
        File::open(self.dir.join("pending"))?.sync_all()
    }

    /// Every record still waiting for its mail, oldest first.
    pub fn pending_records(&self) -> std::io::Result<Vec<Record>> {
        let mut records = Vec::new();
        for entry in fs::read_dir(self.dir.join("pending"))? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "json") {
                let bytes = fs::read(&path)?;
                let record: Record =
                    serde_json::from_slice(&bytes).map_err(std::io::Error::other)?;
                records.push(record);
            }
        }
        records.sort_by(|a, b| (a.received_at, &a.reference).cmp(&(b.received_at, &b.reference)));
        Ok(records)
    }

    /// The pending record of `reference`, as last saved.
    pub fn load(&self, reference: &str) -> std::io::Result<Record> {
        let bytes = fs::read(self.pending(reference))?;
        serde_json::from_slice(&bytes).map_err(std::io::Error::other)
    }

    pub fn is_sent(&self, reference: &str) -> bool {
        self.dir
            .join("sent")
            .join(format!("{reference}.json"))
            .exists()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Record {
        Record {
            reference: "INF-2345-6789".into(),
            form_id: "informasi-publik".into(),
            received_at: 1,
            desk: "ppid@kpu.example".into(),
            answers: Vec::new(),
            files: vec![StoredFile {
                field: "surat".into(),
                filename: "a.pdf".into(),
                bytes: b"%PDF-1".to_vec(),
            }],
            citizen_email: None,
            answer_by: "2026-03-01".into(),
            desk_sent: false,
            citizen_sent: false,
            attempts: 0,
            next_attempt: 0,
            alerted: false,
        }
    }

    #[test]
    fn saves_lists_and_marks_sent() {
        let dir = tempfile::tempdir().expect("temp dir");
        let outbox = Outbox::open(dir.path()).expect("open");
        outbox.save(&record()).expect("save");
        let pending = outbox.pending_records().expect("list");
        assert_eq!(pending, vec![record()]);
        outbox.mark_sent(&pending[0]).expect("mark");
        assert!(outbox.pending_records().expect("list").is_empty());
        assert!(outbox.is_sent("INF-2345-6789"));
        let leftovers: Vec<_> = fs::read_dir(dir.path().join("pending"))
            .expect("dir")
            .collect();
        assert!(leftovers.is_empty(), "no temporary files left");
    }
}
