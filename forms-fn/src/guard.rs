//! Defences of a public, anonymous endpoint: the origin check and CORS, rate limits per
//! source and per form (and on confirmation mail per address), the honeypot, and duplicate
//! submissions answered with the first one's receipt.
//!
//! The counters live in memory: one Lambda instance, or one local server. That bounds what
//! a single source can do to an instance; a flood spread over many instances is the
//! API's throttling's job (see the deployment).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The hidden field people never fill and form-filling robots do.
pub const HONEYPOT_FIELD: &str = "situs_web";

/// The client's address, put in the request's extensions by whoever received it (the Lambda
/// request context, or the socket locally).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientIp(pub String);

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Submissions one address may make to one form in `window`.
    pub per_source: usize,
    /// Submissions one form accepts from everyone in `window`.
    pub per_form: usize,
    /// Confirmations one email address may receive in `mail_window`.
    pub mails_per_address: usize,
    pub window: Duration,
    pub mail_window: Duration,
    /// How long an identical submission is answered with the first one's receipt.
    pub duplicate_window: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            per_source: 10,
            per_form: 600,
            mails_per_address: 3,
            window: Duration::from_secs(600),
            mail_window: Duration::from_secs(3600),
            duplicate_window: Duration::from_secs(600),
        }
    }
}

/// A receipt remembered for duplicates: (reference, answer-by day, message).
pub type Remembered = (String, String, String);

#[derive(Default)]
pub struct Guard {
    pub limits: Limits,
    /// Origins allowed to post (the site's, and `ALLOWED_ORIGINS`), as `scheme://host[:port]`.
    pub origins: Vec<String>,
    hits: Mutex<HashMap<String, Vec<Instant>>>,
    receipts: Mutex<HashMap<String, (Instant, Remembered)>>,
}

/// `https://host:port` of a URL, lowercased; `None` when it has no scheme and host.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest
        .split(['/', '?', '#'])
        .next()
        .filter(|h| !h.is_empty())?;
    Some(format!(
        "{}://{}",
        scheme.to_ascii_lowercase(),
        host.to_ascii_lowercase()
    ))
}

impl Guard {
    pub fn new(origins: Vec<String>, limits: Limits) -> Guard {
        Guard {
            limits,
            origins,
            ..Guard::default()
        }
    }

    pub fn origin_allowed(&self, origin: &str) -> bool {
        self.origins.iter().any(|o| o.eq_ignore_ascii_case(origin))
    }

    /// Counts a hit on `key`; `Err(seconds)` to wait when more than `max` fell in `window`.
    fn count(&self, key: String, max: usize, window: Duration) -> Result<(), u64> {
        let now = Instant::now();
        let mut hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        // Forget stale keys now and then, so memory stays bounded under a spray of sources.
        if hits.len() > 10_000 {
            hits.retain(|_, times| {
                times
                    .last()
                    .is_some_and(|t| now.duration_since(*t) < window)
            });
        }
        let times = hits.entry(key).or_default();
        times.retain(|t| now.duration_since(*t) < window);
        if times.len() >= max {
            let oldest = times[0];
            return Err(window
                .saturating_sub(now.duration_since(oldest))
                .as_secs()
                .max(1));
        }
        times.push(now);
        Ok(())
    }

    /// Admits one submission from `source` to `form`, or says how long to wait.
    pub fn admit(&self, source: &str, form: &str) -> Result<(), u64> {
        let l = self.limits;
        self.count(format!("form:{form}"), l.per_form, l.window)?;
        self.count(format!("source:{source}:{form}"), l.per_source, l.window)
    }

    /// Whether one more confirmation may go to `address` now.
    pub fn may_mail(&self, address: &str) -> bool {
        let l = self.limits;
        self.count(
            format!("mail:{}", address.to_ascii_lowercase()),
            l.mails_per_address,
            l.mail_window,
        )
        .is_ok()
    }

    /// The receipt already given for this submission key, if recent.
    pub fn seen(&self, key: &str) -> Option<Remembered> {
        let now = Instant::now();
        let mut receipts = self.receipts.lock().unwrap_or_else(|e| e.into_inner());
        receipts.retain(|_, (t, _)| now.duration_since(*t) < self.limits.duplicate_window);
        receipts.get(key).map(|(_, r)| r.clone())
    }

    pub fn remember(&self, key: String, receipt: Remembered) {
        let mut receipts = self.receipts.lock().unwrap_or_else(|e| e.into_inner());
        receipts.insert(key, (Instant::now(), receipt));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_each_source_per_form_and_says_when_to_retry() {
        let guard = Guard::new(
            Vec::new(),
            Limits {
                per_source: 2,
                ..Limits::default()
            },
        );
        assert!(guard.admit("203.0.113.7", "pengaduan").is_ok());
        assert!(guard.admit("203.0.113.7", "pengaduan").is_ok());
        let wait = guard.admit("203.0.113.7", "pengaduan").expect_err("third");
        assert!(wait > 0 && wait <= 600);
        assert!(guard.admit("203.0.113.7", "magang").is_ok(), "another form");
        assert!(
            guard.admit("198.51.100.2", "pengaduan").is_ok(),
            "another source"
        );
    }

    #[test]
    fn limits_confirmations_per_address_whatever_the_case() {
        let guard = Guard::new(
            Vec::new(),
            Limits {
                mails_per_address: 1,
                ..Limits::default()
            },
        );
        assert!(guard.may_mail("Warga@Contoh.id"));
        assert!(!guard.may_mail("warga@contoh.id"));
    }

    #[test]
    fn reads_origins_from_urls() {
        assert_eq!(
            origin_of("https://KPU-ntb.example/formulir/x/?a=b").as_deref(),
            Some("https://kpu-ntb.example")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:1111/").as_deref(),
            Some("http://127.0.0.1:1111")
        );
        assert_eq!(origin_of("null"), None);
    }
}
