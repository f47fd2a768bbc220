//! Delivery of a recorded submission: the desk's mail (with its copies), then the citizen's
//! confirmation, then the record moves to `sent/`. Used by the handler (inline under Lambda),
//! the delivery queue (after the answer, in a long-running server) and the resend command.

use forms_model::schema::Form;

use crate::app::App;
use crate::email;
use crate::mailer::SendError;
use crate::outbox::{Record, Unsent};

/// Sends what is still unsent of `record` and moves it to `sent/` when all is delivered.
/// Returns whether everything went out.
pub fn deliver(app: &App, form: &Form, mut record: Record) -> bool {
    let request = app
        .requests
        .as_ref()
        .and_then(|store| store.get(&record.reference).ok().flatten());
    if !record.desk_sent {
        let links = request
            .as_ref()
            .map(|r| crate::requests::mail::desk_links(app, form, r, app.clock.now_secs()));
        match email::to_desk(form, &record, &app.from, links.as_deref()) {
            Ok(message) => match app.mailer.send(&message) {
                Ok(()) => {
                    record.desk_sent = true;
                    // Remember progress, so a resend does not mail the desk twice.
                    if app.outbox.save(&record).is_err() {
                        return false;
                    }
                }
                Err(err) => {
                    // Even a permanent refusal keeps the record pending: the submission must
                    // reach the desk, and the operator can fix the address or the relay. The
                    // scheduled re-send backs off and alerts.
                    tracing::warn!(reference = %record.reference, error = %err, permanent = err.permanent, "desk mail not sent; kept pending");
                    return false;
                }
            },
            Err(err) => {
                tracing::error!(reference = %record.reference, error = %err, "desk mail cannot be built; kept pending");
                return false;
            }
        }
    }
    if !record.citizen_sent {
        let status = request
            .as_ref()
            .map(|r| crate::requests::mail::status_link(app, r));
        let sent = match email::to_citizen(form, &record, &app.from, status.as_deref()) {
            None => Ok(()),
            // An address the mailer cannot parse will never take a message.
            Some(Err(_)) => Err(SendError::refused("unusable address")),
            Some(Ok(message)) => app.mailer.send(&message),
        };
        match sent {
            Ok(()) => record.citizen_sent = true,
            Err(err) if err.permanent => {
                // Final: the citizen was given the reference on screen; retrying a refused
                // address only keeps the record (and the alarms) pending for ever.
                tracing::warn!(reference = %record.reference, error = %err, outcome = "confirmation_refused", "confirmation refused; not retried");
                record.citizen_sent = true;
                record.confirmation_unsent = Some(Unsent::Refused);
                // The delivered record keeps this state (a folder outbox moves what is
                // stored; S3 writes what it is given).
                if app.outbox.save(&record).is_err() {
                    return false;
                }
            }
            Err(err) => {
                tracing::warn!(reference = %record.reference, error = %err, "confirmation not sent; kept pending");
                let _ = app.outbox.save(&record);
                return false;
            }
        }
    }
    app.outbox.mark_sent(&record).is_ok()
}

/// Delivers a record whose form this app knows; `false` (kept pending) otherwise.
pub fn deliver_record(app: &App, record: Record) -> bool {
    match app.forms.get(&record.form_id) {
        Some(form) => deliver(app, form, record),
        None => false,
    }
}
