//! The outbox in a local folder: `forms-fn serve`, `generator serve`, a server of one's own.
//! Each record is written to a temporary file, flushed, renamed into place and the folder
//! flushed too; the folders and files are the service's own user's only (0700, 0600).

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::{Record, decode, encode, reference_of};

/// A new file only the service's own user can read (0600): it holds personal data.
fn private_file(path: &Path) -> io::Result<File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Creates `dir` (and its parents) when missing, and makes it the service user's only
/// (0700): it holds personal data.
pub fn private_dir(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Makes an existing file the service user's only (0600).
pub fn private(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

pub struct Folder {
    dir: PathBuf,
}

impl Folder {
    pub fn open(dir: &Path) -> io::Result<Folder> {
        private_dir(dir)?;
        private_dir(&dir.join("pending"))?;
        private_dir(&dir.join("sent"))?;
        Ok(Folder {
            dir: dir.to_path_buf(),
        })
    }

    fn path(&self, state: &str, reference: &str) -> PathBuf {
        self.dir.join(state).join(format!("{reference}.json"))
    }

    pub fn save(&self, record: &Record) -> io::Result<()> {
        let target = self.path("pending", &record.reference);
        let temp = self
            .dir
            .join("pending")
            .join(format!(".{}.tmp", record.reference));
        let json = encode(record)?;
        {
            let mut file = private_file(&temp)?;
            file.write_all(&json)?;
            file.sync_all()?;
        }
        fs::rename(&temp, &target)?;
        File::open(self.dir.join("pending"))?.sync_all()
    }

    pub fn mark_sent(&self, record: &Record) -> io::Result<()> {
        let target = self.path("sent", &record.reference);
        fs::rename(self.path("pending", &record.reference), &target)?;
        // The retention clock starts at delivery (a rename keeps the old time).
        fs::OpenOptions::new()
            .write(true)
            .open(&target)?
            .set_modified(SystemTime::now())?;
        File::open(self.dir.join("sent"))?.sync_all()?;
        File::open(self.dir.join("pending"))?.sync_all()
    }

    /// The references waiting in `pending/`, with when each was last written.
    pub fn pending(&self) -> io::Result<Vec<(String, u64)>> {
        let mut pending = Vec::new();
        for entry in fs::read_dir(self.dir.join("pending"))? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(reference) = reference_of(&name) {
                let modified = entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_secs());
                pending.push((reference.to_string(), modified));
            }
        }
        Ok(pending)
    }

    pub fn load(&self, reference: &str) -> io::Result<Record> {
        decode(&fs::read(self.path("pending", reference))?)
    }

    pub fn load_sent(&self, reference: &str) -> io::Result<Record> {
        decode(&fs::read(self.path("sent", reference))?)
    }

    pub fn is_sent(&self, reference: &str) -> bool {
        self.path("sent", reference).exists()
    }

    pub fn describe(&self) -> String {
        self.dir.display().to_string()
    }

    /// A record's time in `sent` is its file's modification time: when it was moved there.
    pub fn purge_sent(&self, cutoff: u64) -> io::Result<usize> {
        // Beyond what the clock can hold: everything is older.
        let cutoff = UNIX_EPOCH.checked_add(Duration::from_secs(cutoff));
        let mut purged = 0;
        for entry in fs::read_dir(self.dir.join("sent"))? {
            let entry = entry?;
            if reference_of(&entry.file_name().to_string_lossy()).is_some()
                && cutoff.is_none_or(|c| {
                    entry
                        .metadata()
                        .and_then(|m| m.modified())
                        .is_ok_and(|t| t < c)
                })
            {
                fs::remove_file(entry.path())?;
                purged += 1;
            }
        }
        Ok(purged)
    }
}
