//! Retention: a request's details go with its submission. Once `forms-fn purge` has deleted
//! a delivered record, its request keeps only the reference, the service, the state and the
//! keyed hashes of the contact (so the status page can say "archived" to the citizen who
//! asks, and to nobody else); the dates, the desk and the notes are cleared.

use super::store::{ChangeError, Store, StoreError};
use crate::outbox::Outbox;

/// Archives every request received before `cutoff` whose record the outbox no longer
/// holds (neither pending nor delivered); how many.
pub fn archive_purged(store: &Store, outbox: &Outbox, cutoff: u64) -> Result<usize, StoreError> {
    let mut archived = 0;
    for request in store.all()? {
        if request.archived || request.received_at >= cutoff {
            continue;
        }
        let gone = |r: std::io::Result<crate::outbox::Record>| {
            r.is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
        };
        if !(gone(outbox.load(&request.reference)) && gone(outbox.load_sent(&request.reference))) {
            continue;
        }
        match store.change(&request.reference, |r| {
            r.archive();
            Ok(())
        }) {
            Ok(_) => archived += 1,
            Err(ChangeError::Store(e)) => return Err(e),
            Err(_) => {}
        }
    }
    Ok(archived)
}
