//! The embedded store: one JSON file per request in `{outbox}/requests/`, written
//! atomically (a temporary file renamed over the old one), changed under a lock file so two
//! processes or threads cannot lose each other's step; survey ratings in `ratings/`, marks
//! (a day's digest sent, a request rated) in `marks/`.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{ChangeError, StoreError};
use crate::requests::{Refused, Request};

const REQUESTS: &str = "requests";
/// The survey's ratings, one file each (see [`crate::requests::ratings`]).
pub(super) const RATINGS: &str = "ratings";

#[derive(Debug)]
pub struct Folder {
    pub(super) dir: PathBuf,
}

/// How long a change may hold a request's lock before another process takes it over (a
/// process that died while holding it).
const STALE_LOCK: Duration = Duration::from_secs(10);
const LOCK_WAIT: Duration = Duration::from_secs(5);

impl Folder {
    pub(super) fn open(dir: &Path) -> Result<Folder, StoreError> {
        let folder = Folder {
            dir: dir.to_path_buf(),
        };
        for sub in [REQUESTS, RATINGS, "marks", "tmp"] {
            std::fs::create_dir_all(dir.join(sub)).map_err(|e| folder.io(&dir.join(sub), e))?;
        }
        Ok(folder)
    }

    fn io(&self, path: &Path, source: std::io::Error) -> StoreError {
        StoreError::Io {
            path: path.display().to_string(),
            source,
        }
    }

    fn path(&self, reference: &str) -> PathBuf {
        self.dir.join(REQUESTS).join(format!("{reference}.json"))
    }

    /// Writes `bytes` to a new temporary file, synced, and returns its path.
    fn temporary(&self, bytes: &[u8]) -> Result<PathBuf, StoreError> {
        let mut random = [0u8; 8];
        let _ = getrandom::fill(&mut random);
        let tmp = self
            .dir
            .join("tmp")
            .join(format!("{:016x}", u64::from_le_bytes(random)));
        let mut file = std::fs::File::create(&tmp).map_err(|e| self.io(&tmp, e))?;
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| self.io(&tmp, e))?;
        Ok(tmp)
    }

    pub(super) fn create(&self, request: &Request) -> Result<bool, StoreError> {
        self.create_in(REQUESTS, &request.reference, request)
    }

    /// Writes `value` as `{sub}/{key}.json` unless that exists (`false`, nothing written).
    pub(super) fn create_in<T: Serialize>(
        &self,
        sub: &str,
        key: &str,
        value: &T,
    ) -> Result<bool, StoreError> {
        let path = self.dir.join(sub).join(format!("{key}.json"));
        let bytes = serde_json::to_vec_pretty(value).map_err(|source| StoreError::Corrupt {
            path: path.display().to_string(),
            source,
        })?;
        let tmp = self.temporary(&bytes)?;
        // A hard link never replaces an existing file: the first writer wins.
        let linked = std::fs::hard_link(&tmp, &path);
        let _ = std::fs::remove_file(&tmp);
        match linked {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
            Err(e) => Err(self.io(&path, e)),
        }
    }

    fn read<T: DeserializeOwned>(&self, path: &Path) -> Result<Option<T>, StoreError> {
        match std::fs::read(path) {
            Ok(bytes) => {
                serde_json::from_slice(&bytes)
                    .map(Some)
                    .map_err(|source| StoreError::Corrupt {
                        path: path.display().to_string(),
                        source,
                    })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(self.io(path, e)),
        }
    }

    pub(super) fn get(&self, reference: &str) -> Result<Option<Request>, StoreError> {
        if !crate::reference::is_valid(reference) {
            return Ok(None);
        }
        self.read(&self.path(reference))
    }

    pub(super) fn all(&self) -> Result<Vec<Request>, StoreError> {
        let mut requests: Vec<Request> = self.all_in(REQUESTS)?;
        requests.sort_by(|a, b| a.reference.cmp(&b.reference));
        Ok(requests)
    }

    /// Whether `{sub}/{key}.json` exists.
    pub(super) fn exists(&self, sub: &str, key: &str) -> bool {
        self.dir.join(sub).join(format!("{key}.json")).exists()
    }

    /// Every `{sub}/*.json`, read.
    pub(super) fn all_in<T: DeserializeOwned>(&self, sub: &str) -> Result<Vec<T>, StoreError> {
        let dir = self.dir.join(sub);
        let mut found = Vec::new();
        for entry in std::fs::read_dir(&dir).map_err(|e| self.io(&dir, e))? {
            let path = entry.map_err(|e| self.io(&dir, e))?.path();
            if path.extension().is_some_and(|e| e == "json")
                && let Some(value) = self.read(&path)?
            {
                found.push(value);
            }
        }
        Ok(found)
    }

    /// Takes the request's lock file, waiting for another holder; a lock older than
    /// [`STALE_LOCK`] is taken over.
    fn lock(&self, reference: &str) -> Result<Lock, StoreError> {
        let path = self.dir.join(REQUESTS).join(format!("{reference}.lock"));
        let started = Instant::now();
        loop {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(_) => return Ok(Lock(path)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let stale = std::fs::metadata(&path)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| SystemTime::now().duration_since(t).ok())
                        .is_some_and(|age| age > STALE_LOCK);
                    if stale {
                        let _ = std::fs::remove_file(&path);
                        continue;
                    }
                    if started.elapsed() > LOCK_WAIT {
                        return Err(StoreError::Busy(reference.to_string()));
                    }
                    std::thread::sleep(Duration::from_millis(2));
                }
                Err(e) => return Err(self.io(&path, e)),
            }
        }
    }

    pub(super) fn change<T>(
        &self,
        reference: &str,
        change: &mut dyn FnMut(&mut Request) -> Result<T, Refused>,
    ) -> Result<(T, Request), ChangeError> {
        if !crate::reference::is_valid(reference) {
            return Err(ChangeError::Unknown);
        }
        let _lock = self.lock(reference)?;
        let path = self.path(reference);
        let mut request = self.read(&path)?.ok_or(ChangeError::Unknown)?;
        let value = change(&mut request)?;
        request.version += 1;
        let bytes = serde_json::to_vec_pretty(&request).map_err(|source| StoreError::Corrupt {
            path: path.display().to_string(),
            source,
        })?;
        let tmp = self.temporary(&bytes)?;
        std::fs::rename(&tmp, &path).map_err(|e| self.io(&path, e))?;
        Ok((value, request))
    }

    pub(super) fn mark_once(&self, key: &str) -> Result<bool, StoreError> {
        let name: String = key
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let path = self.dir.join("marks").join(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(_) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
            Err(e) => Err(self.io(&path, e)),
        }
    }
}

/// A held lock file, removed when dropped.
struct Lock(PathBuf);

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
