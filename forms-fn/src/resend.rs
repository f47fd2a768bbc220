//! Sending what is still pending: by hand (`forms-fn resend`, everything now) or on a
//! schedule (`forms-fn resend --scheduled`, or the Lambda `scheduled` mode run by an
//! EventBridge rule), which backs off after each failure and, after several, raises an
//! alert. A record is never deleted here: it waits until its mail has gone.

use lettre::Message;
use lettre::message::SinglePart;

use crate::app::App;
use crate::delivery::deliver;
use crate::outbox::Record;

/// Failed scheduled attempts after which the administrator is alerted.
pub const ALERT_AFTER: u32 = 5;

/// How long the scheduled resend leaves a new record to the delivery under way.
pub const FRESH_SECS: u64 = 120;

/// Seconds to wait after the `attempts`-th failure: 5 minutes, doubling, at most 6 hours.
pub fn backoff(attempts: u32) -> u64 {
    (300u64 << attempts.saturating_sub(1).min(10)).min(6 * 3600)
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub delivered: usize,
    /// Tried and failed again.
    pub pending: usize,
    /// Not tried: their next attempt is later.
    pub waiting: usize,
    pub alerted: usize,
    /// How long (seconds) the oldest submission still pending after this run has waited;
    /// 0 when none is.
    pub oldest_pending_secs: u64,
}

impl Summary {
    /// The run as a CloudWatch embedded-metric log line: CloudWatch turns
    /// `OldestPendingSeconds` into the metric the deployment's alarm watches.
    pub fn metric_line(&self, now: u64) -> String {
        serde_json::json!({
            "_aws": {
                "Timestamp": now * 1000,
                "CloudWatchMetrics": [{
                    "Namespace": "KpuNtbForms",
                    "Dimensions": [[]],
                    "Metrics": [
                        {"Name": "OldestPendingSeconds", "Unit": "Seconds"},
                        {"Name": "Delivered", "Unit": "Count"},
                        {"Name": "Pending", "Unit": "Count"},
                    ],
                }],
            },
            "OldestPendingSeconds": self.oldest_pending_secs,
            "Delivered": self.delivered,
            "Pending": self.pending + self.waiting,
        })
        .to_string()
    }
}

/// Why a re-send stopped (a record that cannot be delivered is not a reason: it stays
/// pending, counted).
#[derive(Debug, thiserror::Error)]
pub enum ResendError {
    #[error("cannot list the pending records of the outbox")]
    List(#[source] std::io::Error),
    #[error("cannot read or save the pending record {reference}")]
    Record {
        reference: String,
        source: std::io::Error,
    },
}

/// Tries every pending record (all of them, or with `scheduled` only those whose time has
/// come); `now` is seconds since 1970. Records are loaded one at a time and dropped before
/// the next, so the memory a run needs is that of the largest record, not of the outbox.
pub fn run(app: &App, now: u64, scheduled: bool) -> Result<Summary, ResendError> {
    let references = app.outbox.pending().map_err(ResendError::List)?;
    let mut summary = Summary::default();
    for reference in references {
        let record = match app.outbox.load(&reference) {
            Ok(record) => record,
            // Delivered by someone else since the listing.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                // One unreadable record must not hold back the others.
                tracing::error!(reference = %reference, error = %e, "cannot read a pending record");
                summary.pending += 1;
                continue;
            }
        };
        // A fresh record is still in the hands of the request that took it (or of a
        // delivery thread): trying it as well could mail the desk twice.
        let fresh = record.attempts == 0 && now < record.received_at + FRESH_SECS;
        if scheduled && (record.next_attempt > now || fresh) {
            summary.waiting += 1;
            note_oldest(&mut summary, now, record.received_at);
            continue;
        }
        let reference = record.reference.clone();
        let received_at = record.received_at;
        let delivered = match app.forms.get(&record.form_id) {
            Some(form) => deliver(app, form, record),
            None => false,
        };
        if delivered {
            summary.delivered += 1;
            continue;
        }
        summary.pending += 1;
        note_oldest(&mut summary, now, received_at);
        if scheduled {
            // `deliver` saved what did go out; add the bookkeeping to that version.
            let record_error = |source| ResendError::Record {
                reference: reference.clone(),
                source,
            };
            let mut record = app.outbox.load(&reference).map_err(record_error)?;
            record.attempts += 1;
            record.next_attempt = now + backoff(record.attempts);
            if record.attempts >= ALERT_AFTER && !record.alerted {
                alert(app, &record);
                record.alerted = true;
                summary.alerted += 1;
            }
            app.outbox.save(&record).map_err(record_error)?;
        }
    }
    Ok(summary)
}

fn note_oldest(summary: &mut Summary, now: u64, received_at: u64) {
    summary.oldest_pending_secs = summary
        .oldest_pending_secs
        .max(now.saturating_sub(received_at));
}

/// An error log line (what the alarm watches) and, when `ADMIN_EMAIL` is set, a message to
/// the administrator; neither says anything the citizen wrote.
fn alert(app: &App, record: &Record) {
    tracing::error!(
        reference = %record.reference,
        form = %record.form_id,
        attempts = record.attempts,
        outcome = "undelivered",
        "submission still undelivered; it stays in the outbox"
    );
    let Some(admin) = &app.admin else { return };
    let text = format!(
        "Kiriman {} (formulir {}) belum terkirim ke meja layanan setelah {} percobaan.\n\nKiriman tetap tersimpan di outbox dan akan terus dicoba. Periksa server surel (SMTP) dan alamat meja layanan.\n",
        record.reference, record.form_id, record.attempts
    );
    let message = Message::builder()
        .from(app.from.clone())
        .to(admin.clone())
        .subject(format!("[{}] Kiriman belum terkirim", record.reference))
        .singlepart(SinglePart::plain(text));
    // The mail server may be the very thing that is down: the log line above is the alert
    // that always goes out.
    if let Ok(message) = message {
        let _ = app.mailer.send(&message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backs_off_from_five_minutes_to_six_hours() {
        let waits: Vec<u64> = (1..=9).map(backoff).collect();
        assert_eq!(
            waits,
            [300, 600, 1200, 2400, 4800, 9600, 19200, 21600, 21600]
        );
    }

    #[test]
    fn the_metric_line_is_embedded_metric_format() {
        let summary = Summary {
            delivered: 2,
            pending: 1,
            waiting: 3,
            oldest_pending_secs: 4200,
            ..Summary::default()
        };
        let line: serde_json::Value =
            serde_json::from_str(&summary.metric_line(1_800_000_000)).expect("JSON");
        assert_eq!(line["_aws"]["Timestamp"], 1_800_000_000_000u64);
        let declared = &line["_aws"]["CloudWatchMetrics"][0];
        assert_eq!(declared["Namespace"], "KpuNtbForms");
        for metric in declared["Metrics"].as_array().expect("metrics") {
            let name = metric["Name"].as_str().expect("name");
            assert!(line[name].is_number(), "{name} has a value");
        }
        assert_eq!(line["OldestPendingSeconds"], 4200);
        assert_eq!(line["Pending"], 4);
    }
}
