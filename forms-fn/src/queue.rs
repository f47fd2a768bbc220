//! Mail sent after the answer, for a long-running server (`forms-fn serve`). The outbox
//! already holds each submission before the citizen gets a receipt, so the receipt need not
//! wait for the mail server: a few worker threads deliver in the background, and whatever
//! they have not delivered (a stop, a crash, a mail outage) stays pending for the resend.
//!
//! Under Lambda there is no "after the answer" (the environment is frozen once it has
//! answered), so there the handler delivers inline, as it does when no queue is set.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::outbox::Record;

pub struct Queue {
    sender: Mutex<Sender<Record>>,
    receiver: Mutex<Receiver<Record>>,
    stopping: AtomicBool,
    /// Workers in the middle of a delivery.
    busy: AtomicUsize,
}

impl Queue {
    pub fn new() -> Queue {
        let (sender, receiver) = channel();
        Queue {
            sender: Mutex::new(sender),
            receiver: Mutex::new(receiver),
            stopping: AtomicBool::new(false),
            busy: AtomicUsize::new(0),
        }
    }

    /// Hands a recorded submission to the workers. `false` when they are stopping: the
    /// record stays pending for the resend.
    pub fn push(&self, record: Record) -> bool {
        !self.stopping.load(Ordering::SeqCst)
            && self
                .sender
                .lock()
                .is_ok_and(|sender| sender.send(record).is_ok())
    }

    fn next(&self) -> Option<Record> {
        self.receiver.lock().ok()?.recv().ok()
    }

    /// Lets the deliveries under way finish (at most `patience`) and takes no more; returns
    /// how many records were still waiting in the queue (they stay pending in the outbox).
    pub fn stop(&self, patience: Duration) -> usize {
        self.stopping.store(true, Ordering::SeqCst);
        let deadline = Instant::now() + patience;
        while self.busy.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        self.receiver.try_lock().map_or(0, |r| r.try_iter().count())
    }
}

impl Default for Queue {
    fn default() -> Queue {
        Queue::new()
    }
}

/// Starts `workers` threads that hand each queued record to `deliver` (which returns
/// whether everything went out).
pub fn start<F>(queue: &Arc<Queue>, workers: usize, deliver: F)
where
    F: Fn(Record) -> bool + Send + Sync + 'static,
{
    let deliver = Arc::new(deliver);
    for n in 0..workers.max(1) {
        let queue = Arc::clone(queue);
        let deliver = Arc::clone(&deliver);
        let spawned = std::thread::Builder::new()
            .name(format!("deliver-{n}"))
            .spawn(move || work(&queue, deliver.as_ref()));
        if let Err(err) = spawned {
            tracing::error!(error = %err, "cannot start a delivery thread");
        }
    }
}

fn work(queue: &Queue, deliver: &dyn Fn(Record) -> bool) {
    while let Some(record) = queue.next() {
        // Announce the work before looking at `stopping`: `stop` sets it before counting,
        // so either it waits for this delivery or this delivery does not start.
        queue.busy.fetch_add(1, Ordering::SeqCst);
        if !queue.stopping.load(Ordering::SeqCst) {
            let (reference, form) = (record.reference.clone(), record.form_id.clone());
            let delivered = deliver(record);
            tracing::info!(
                reference = %reference,
                form = %form,
                outcome = if delivered { "delivered" } else { "pending_mail" },
                "delivery"
            );
        }
        queue.busy.fetch_sub(1, Ordering::SeqCst);
    }
}
