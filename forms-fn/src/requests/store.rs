//! Where requests are kept. Locally (and in `generator serve`) an embedded store: one JSON
//! file per request in `{outbox}/requests/`, written atomically (a temporary file renamed over
//! the old one), changed under a lock file so two processes or threads cannot lose each
//! other's step. Each write bumps the request's version; a change is made over the version it
//! read, which is what the DynamoDB store's conditional writes do on AWS.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use super::{Refused, Request};

/// Why the store could not answer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot use the request store at `{path}`")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("the request `{path}` cannot be read")]
    Corrupt {
        path: String,
        source: serde_json::Error,
    },
    #[error("the request `{0}` is busy: another change did not finish")]
    Busy(String),
}

/// Why a change was not made.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error("no such request")]
    Unknown,
    #[error(transparent)]
    Refused(#[from] Refused),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The request store.
#[derive(Debug)]
pub enum Store {
    /// Files in a folder (the embedded store).
    Folder(Folder),
    /// The DynamoDB table every instance shares (`REQUESTS_TABLE`).
    #[cfg(feature = "s3")]
    Table(std::sync::Arc<crate::table::Table>),
}

/// How many times a change is tried again over a newer version before giving up.
#[cfg(feature = "s3")]
const RETRIES: usize = 100;

/// How long a mark (a day's digest sent) is kept in the table.
#[cfg(feature = "s3")]
const MARK_DAYS: u64 = 40;

/// How long an archived request (the reference, service, state and hashed contacts: enough
/// to tell the citizen who asks that it was archived) stays in the table before its TTL
/// removes it; a lookup after that is answered as an unknown reference.
#[cfg(feature = "s3")]
pub const ARCHIVED_DAYS: u64 = 365;

impl Store {
    /// The embedded store in `dir` (created when absent).
    pub fn folder(dir: &Path) -> Result<Store, StoreError> {
        Folder::open(dir).map(Store::Folder)
    }

    pub fn describe(&self) -> String {
        match self {
            Store::Folder(f) => f.dir.display().to_string(),
            #[cfg(feature = "s3")]
            Store::Table(t) => format!("DynamoDB table {}", t.name()),
        }
    }

    /// Keeps a new request; `false` when one with its reference exists (nothing changed).
    pub fn create(&self, request: &Request) -> Result<bool, StoreError> {
        match self {
            Store::Folder(f) => f.create(request),
            #[cfg(feature = "s3")]
            Store::Table(t) => t
                .put_new(&key(&request.reference), &to_json(request)?, None)
                .map_err(|e| table_error(&request.reference, e)),
        }
    }

    pub fn get(&self, reference: &str) -> Result<Option<Request>, StoreError> {
        match self {
            Store::Folder(f) => f.get(reference),
            #[cfg(feature = "s3")]
            Store::Table(_) if !crate::reference::is_valid(reference) => Ok(None),
            #[cfg(feature = "s3")]
            Store::Table(t) => t
                .get(&key(reference), 0)
                .map_err(|e| table_error(reference, e))?
                .map(|(doc, _)| from_json(reference, &doc))
                .transpose(),
        }
    }

    /// Every request kept (for the daily round, `cases` and the stats).
    pub fn all(&self) -> Result<Vec<Request>, StoreError> {
        match self {
            Store::Folder(f) => f.all(),
            #[cfg(feature = "s3")]
            Store::Table(t) => {
                let mut requests = t
                    .scan("req#")
                    .map_err(|e| table_error("req#", e))?
                    .iter()
                    .map(|doc| from_json("req#", doc))
                    .collect::<Result<Vec<_>, _>>()?;
                requests.sort_by(|a, b| a.reference.cmp(&b.reference));
                Ok(requests)
            }
        }
    }

    /// Changes a request: `change` sees the stored request and either changes it (the
    /// store then writes it with its version bumped, or runs `change` again on a newer
    /// version) or refuses.
    pub fn change<T>(
        &self,
        reference: &str,
        mut change: impl FnMut(&mut Request) -> Result<T, Refused>,
    ) -> Result<(T, Request), ChangeError> {
        match self {
            Store::Folder(f) => f.change(reference, &mut change),
            #[cfg(feature = "s3")]
            Store::Table(t) => table_change(t, reference, &mut change),
        }
    }

    /// Records that `key` happened (a day's digest, ...); `false` when it was recorded before.
    pub fn mark_once(&self, key: &str) -> Result<bool, StoreError> {
        match self {
            Store::Folder(f) => f.mark_once(key),
            #[cfg(feature = "s3")]
            Store::Table(t) => {
                let expires = forms_model::calendar::system_secs() + MARK_DAYS * 86_400;
                t.put_new(&format!("mark#{key}"), "{}", Some(expires))
                    .map_err(|e| table_error(key, e))
            }
        }
    }
}

#[cfg(feature = "s3")]
fn key(reference: &str) -> String {
    format!("req#{reference}")
}

#[cfg(feature = "s3")]
fn table_error(what: &str, source: std::io::Error) -> StoreError {
    StoreError::Io {
        path: what.to_string(),
        source,
    }
}

#[cfg(feature = "s3")]
fn to_json(request: &Request) -> Result<String, StoreError> {
    serde_json::to_string(request).map_err(|source| StoreError::Corrupt {
        path: request.reference.clone(),
        source,
    })
}

#[cfg(feature = "s3")]
fn from_json(what: &str, doc: &str) -> Result<Request, StoreError> {
    serde_json::from_str(doc).map_err(|source| StoreError::Corrupt {
        path: what.to_string(),
        source,
    })
}

/// A change in the table: read, change, write over the version read; when another writer
/// got there first, again over the newer version.
#[cfg(feature = "s3")]
fn table_change<T>(
    table: &crate::table::Table,
    reference: &str,
    change: &mut dyn FnMut(&mut Request) -> Result<T, Refused>,
) -> Result<(T, Request), ChangeError> {
    if !crate::reference::is_valid(reference) {
        return Err(ChangeError::Unknown);
    }
    let pk = key(reference);
    for _ in 0..RETRIES {
        let (doc, version) = table
            .get(&pk, 0)
            .map_err(|e| table_error(reference, e))?
            .ok_or(ChangeError::Unknown)?;
        let mut request = from_json(reference, &doc)?;
        let value = change(&mut request)?;
        request.version = version + 1;
        let expires = request
            .archived
            .then(|| forms_model::calendar::system_secs() + ARCHIVED_DAYS * 86_400);
        if table
            .replace(&pk, &to_json(&request)?, version, expires)
            .map_err(|e| table_error(reference, e))?
        {
            return Ok((value, request));
        }
        // Another writer won: wait a little (more each time, at random) before reading again.
        let mut random = [0u8; 1];
        let _ = getrandom::fill(&mut random);
        std::thread::sleep(std::time::Duration::from_micros(u64::from(random[0]) * 20));
    }
    Err(StoreError::Busy(reference.to_string()).into())
}

#[derive(Debug)]
pub struct Folder {
    dir: PathBuf,
}

/// How long a change may hold a request's lock before another process takes it over (a
/// process that died while holding it).
const STALE_LOCK: Duration = Duration::from_secs(10);
const LOCK_WAIT: Duration = Duration::from_secs(5);

impl Folder {
    fn open(dir: &Path) -> Result<Folder, StoreError> {
        let folder = Folder {
            dir: dir.to_path_buf(),
        };
        for sub in ["requests", "marks", "tmp"] {
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
        self.dir.join("requests").join(format!("{reference}.json"))
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

    fn create(&self, request: &Request) -> Result<bool, StoreError> {
        let path = self.path(&request.reference);
        let bytes = serde_json::to_vec_pretty(request).map_err(|source| StoreError::Corrupt {
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

    fn read(&self, path: &Path) -> Result<Option<Request>, StoreError> {
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

    fn get(&self, reference: &str) -> Result<Option<Request>, StoreError> {
        if !crate::reference::is_valid(reference) {
            return Ok(None);
        }
        self.read(&self.path(reference))
    }

    fn all(&self) -> Result<Vec<Request>, StoreError> {
        let dir = self.dir.join("requests");
        let mut requests = Vec::new();
        for entry in std::fs::read_dir(&dir).map_err(|e| self.io(&dir, e))? {
            let path = entry.map_err(|e| self.io(&dir, e))?.path();
            if path.extension().is_some_and(|e| e == "json")
                && let Some(request) = self.read(&path)?
            {
                requests.push(request);
            }
        }
        requests.sort_by(|a, b| a.reference.cmp(&b.reference));
        Ok(requests)
    }

    /// Takes the request's lock file, waiting for another holder; a lock older than
    /// [`STALE_LOCK`] is taken over.
    fn lock(&self, reference: &str) -> Result<Lock, StoreError> {
        let path = self.dir.join("requests").join(format!("{reference}.lock"));
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

    fn change<T>(
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

    fn mark_once(&self, key: &str) -> Result<bool, StoreError> {
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
