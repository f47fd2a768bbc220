//! Where requests are kept. Locally (and in `generator serve`) an embedded store: one JSON
//! file per request in `{outbox}/requests/`, written atomically (a temporary file renamed over
//! the old one), changed under a lock file so two processes or threads cannot lose each
//! other's step. Each write bumps the request's version; a change is made over the version it
//! read, which is what the DynamoDB store's conditional writes do on AWS.

mod folder;
#[cfg(feature = "s3")]
mod table;

use std::path::Path;

pub use folder::Folder;
#[cfg(feature = "s3")]
use table::{from_json, key, table_change, table_error, to_json};

use super::ratings::Rating;
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

    /// Keeps a survey rating; `false` when one with its reference exists.
    pub fn add_rating(&self, rating: &Rating) -> Result<bool, StoreError> {
        match self {
            Store::Folder(f) => f.create_in(folder::RATINGS, rating.key(), rating),
            #[cfg(feature = "s3")]
            Store::Table(t) => {
                let doc = serde_json::to_string(rating).map_err(|source| StoreError::Corrupt {
                    path: rating.reference.clone(),
                    source,
                })?;
                t.put_new(&format!("rating#{}", rating.key()), &doc, None)
                    .map_err(|e| table_error(rating.key(), e))
            }
        }
    }

    /// Whether the request `reference` was rated already.
    pub fn rated(&self, reference: &str) -> Result<bool, StoreError> {
        if !crate::reference::is_valid(reference) {
            return Ok(false);
        }
        match self {
            Store::Folder(f) => Ok(f.exists(folder::RATINGS, reference)),
            #[cfg(feature = "s3")]
            Store::Table(t) => t
                .get(&format!("rating#{reference}"), 0)
                .map(|found| found.is_some())
                .map_err(|e| table_error(reference, e)),
        }
    }

    /// Every rating kept (for the stats), oldest day first.
    pub fn ratings(&self) -> Result<Vec<Rating>, StoreError> {
        let mut ratings: Vec<Rating> = match self {
            Store::Folder(f) => f.all_in(folder::RATINGS)?,
            #[cfg(feature = "s3")]
            Store::Table(t) => t
                .scan("rating#")
                .map_err(|e| table_error("rating#", e))?
                .iter()
                .map(|doc| {
                    serde_json::from_str(doc).map_err(|source| StoreError::Corrupt {
                        path: "rating#".to_string(),
                        source,
                    })
                })
                .collect::<Result<_, _>>()?,
        };
        ratings.sort_by(|a, b| (&a.day, &a.reference).cmp(&(&b.day, &b.reference)));
        Ok(ratings)
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
