//! The requests in the DynamoDB table every instance shares: one item per request under
//! `req#<reference>`, its JSON in `doc`, changed by conditional writes over its version.

use super::{ARCHIVED_DAYS, ChangeError, RETRIES, StoreError};
use crate::requests::{Refused, Request};

pub(super) fn key(reference: &str) -> String {
    format!("req#{reference}")
}

pub(super) fn table_error(what: &str, source: std::io::Error) -> StoreError {
    StoreError::Io {
        path: what.to_string(),
        source,
    }
}

pub(super) fn to_json(request: &Request) -> Result<String, StoreError> {
    serde_json::to_string(request).map_err(|source| StoreError::Corrupt {
        path: request.reference.clone(),
        source,
    })
}

pub(super) fn from_json(what: &str, doc: &str) -> Result<Request, StoreError> {
    serde_json::from_str(doc).map_err(|source| StoreError::Corrupt {
        path: what.to_string(),
        source,
    })
}

/// A change in the table: read, change, write over the version read; when another writer
/// got there first, again over the newer version.
pub(super) fn table_change<T>(
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
