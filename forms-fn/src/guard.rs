//! Defences of a public, anonymous endpoint: the origin check and CORS, rate limits per
//! source (every post counts, charged first) and per form (only accepted submissions
//! count, so junk from one source cannot close a form for everyone), budgets on
//! confirmation mail (per address, per source, overall), the honeypot, and duplicate
//! submissions answered with the first one's receipt.
//!
//! The counters and the remembered receipts live in memory (one local server), or, with a
//! shared table (`REQUESTS_TABLE`, on AWS), in DynamoDB, so that every Lambda instance counts
//! the same hits and knows the same receipts: a duplicate sent to a second instance gets the
//! first receipt, and limits do not multiply with concurrency. In the table a limit counts
//! a sliding window estimated from two fixed ones (a counter per key and window, removed by
//! TTL) and keys are hashed, so no
//! address is stored; if the table cannot be reached the limit lets the request through
//! (logged), rather than turning an outage into refusals.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The client's address, put in the request's extensions by whoever received it (the Lambda
/// request context, or the socket locally).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientIp(pub String);

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Posts one source may make to one form in `window`, refused ones included.
    pub per_source: usize,
    /// Submissions one form accepts from everyone in `window` (accepted ones only).
    pub per_form: usize,
    /// Confirmations one email address may receive in `mail_window`.
    pub mails_per_address: usize,
    /// Confirmations the submissions of one source may send in `mail_window`.
    pub mails_per_source: usize,
    /// Confirmations the whole function may send in `mail_window`.
    pub mails_overall: usize,
    pub window: Duration,
    pub mail_window: Duration,
    /// How long an identical submission is answered with the first one's receipt.
    pub duplicate_window: Duration,
    /// Status lookups one source may make in `window`.
    pub lookups_per_source: usize,
    /// Lookups of one reference, from anywhere, in `window`: guessing the contact of a known
    /// reference stops here whatever the number of sources.
    pub lookups_per_reference: usize,
    /// Requests to the desks' links one source (an office's network) may make in `window`.
    pub links_per_source: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            per_source: 10,
            per_form: 600,
            mails_per_address: 3,
            mails_per_source: 5,
            mails_overall: 300,
            window: Duration::from_secs(600),
            mail_window: Duration::from_secs(3600),
            duplicate_window: Duration::from_secs(600),
            lookups_per_source: 20,
            lookups_per_reference: 10,
            links_per_source: 120,
        }
    }
}

/// A receipt remembered for duplicates.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Remembered {
    pub reference: String,
    /// The day (ISO) the receipt promised an answer by.
    pub answer_by: String,
    /// SHA-256 of what was submitted: an `Idempotency-Key` only stands for the same body.
    pub body: String,
    /// Whether the receipt said a confirmation was mailed.
    pub confirmation: bool,
}

/// The source a rate limit counts: an IPv4 address, or the /64 network of an IPv6 address
/// (one subscriber usually holds a whole /64, so counting single addresses would let one
/// source post as 2^64 sources).
pub fn source_key(ip: &str) -> String {
    match ip.parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Err(_) => ip.to_string(),
    }
}

/// An email address as a mailbox receives it, for counting: lowercased, without a
/// `+tag` and without dots in the local part (many providers deliver `v.ictim+1@` to
/// `victim@`), so variants of one address share its budget.
pub fn mailbox_key(address: &str) -> String {
    let address = address.to_lowercase();
    let (local, domain) = address.rsplit_once('@').unwrap_or((&address, ""));
    let local = local.split('+').next().unwrap_or_default().replace('.', "");
    format!("{local}@{domain}")
}

#[derive(Default)]
pub struct Guard {
    pub limits: Limits,
    /// Origins allowed to post (the site's, and `ALLOWED_ORIGINS`), as `scheme://host[:port]`.
    pub origins: Vec<String>,
    hits: Mutex<HashMap<String, Vec<Instant>>>,
    receipts: Mutex<HashMap<String, (Instant, Remembered)>>,
    /// The table every instance shares, when there is one.
    #[cfg(feature = "s3")]
    pub shared: Option<std::sync::Arc<crate::table::Table>>,
}

/// A key as the shared table stores it: hashed, so no address or body is kept there.
#[cfg(feature = "s3")]
fn hashed(kind: &str, key: &str) -> String {
    format!(
        "{kind}#{}",
        forms_model::hash::sha256_parts([key.as_bytes()])
    )
}

/// One hit on `key` in the shared table; `Err(seconds)` past `max`. The table keeps one
/// counter per key and fixed window; the hits of the last `window` are estimated as this
/// window's count plus the previous window's, weighted by how much of it still lies within
/// the last `window` (a sliding window, so a burst across a boundary is not counted twice
/// over).
#[cfg(feature = "s3")]
fn shared_count(
    table: &crate::table::Table,
    key: &str,
    max: usize,
    window: Duration,
) -> Result<(), u64> {
    let now = forms_model::calendar::system_secs();
    let length = window.as_secs().max(1);
    let index = now / length;
    let ends = (index + 1) * length;
    let counter = |i: u64| hashed("rate", &format!("{key}#{i}"));
    // Kept through the next window, where it is the previous one.
    let counted = table
        .count(&counter(index), ends + length + 60)
        .and_then(|current| {
            let previous = table.counter(&counter(index.saturating_sub(1)), now)?;
            Ok((current, previous))
        });
    match counted {
        Ok((current, previous)) => {
            let elapsed = (now - index * length) as f64 / length as f64;
            let estimate = current as f64 + previous as f64 * (1.0 - elapsed);
            if estimate > max as f64 {
                Err(ends.saturating_sub(now).max(1))
            } else {
                Ok(())
            }
        }
        Err(err) => {
            tracing::warn!(error = %err, "rate limit not counted: the shared table did not answer");
            Ok(())
        }
    }
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
        #[cfg(feature = "s3")]
        if let Some(table) = &self.shared {
            return shared_count(table, &key, max, window);
        }
        let now = Instant::now();
        let mut hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        // Forget stale keys now and then, so memory stays bounded under a spray of sources.
        if hits.len() > 10_000 {
            let longest = self.limits.window.max(self.limits.mail_window);
            hits.retain(|_, times| {
                times
                    .last()
                    .is_some_and(|t| now.duration_since(*t) < longest)
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

    /// Counts one post from `source` to `form`, whatever becomes of it, or says how long
    /// to wait. Charged before anything else is read, so a flood only closes the form to
    /// the source that floods.
    pub fn admit_source(&self, source: &str, form: &str) -> Result<(), u64> {
        let l = self.limits;
        self.count(
            format!("source:{}:{form}", source_key(source)),
            l.per_source,
            l.window,
        )
    }

    /// Counts one request of `kind` (`status`, `tautan`) from `source` against `max` in the
    /// window, or says how long to wait.
    pub fn admit_counted(&self, source: &str, kind: &str, max: usize) -> Result<(), u64> {
        self.count(
            format!("{kind}:{}", source_key(source)),
            max,
            self.limits.window,
        )
    }

    /// Counts one status lookup of `reference`, or says how long to wait.
    pub fn admit_reference(&self, reference: &str) -> Result<(), u64> {
        let l = self.limits;
        self.count(
            format!("reference:{reference}"),
            l.lookups_per_reference,
            l.window,
        )
    }

    /// Counts one accepted submission against the form's overall budget, or says how long
    /// to wait.
    pub fn admit_form(&self, form: &str) -> Result<(), u64> {
        let l = self.limits;
        self.count(format!("form:{form}"), l.per_form, l.window)
    }

    /// Whether one more confirmation may go to `address` for a submission from `source`:
    /// within the address's budget (its variants counted as one), the source's and the
    /// function's overall. A refusal charges nothing further.
    pub fn may_mail(&self, address: &str, source: &str) -> bool {
        let l = self.limits;
        let checks = [
            (
                format!("mail:{}", mailbox_key(address)),
                l.mails_per_address,
            ),
            (
                format!("mail-source:{}", source_key(source)),
                l.mails_per_source,
            ),
            ("mail-all".to_string(), l.mails_overall),
        ];
        #[cfg(feature = "s3")]
        if let Some(table) = &self.shared {
            // Each budget charged; any one spent refuses.
            let spent: Vec<bool> = checks
                .iter()
                .map(|(key, max)| shared_count(table, key, *max, l.mail_window).is_err())
                .collect();
            return !spent.contains(&true);
        }
        let now = Instant::now();
        let mut hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        let full = checks.iter().any(|(key, max)| {
            hits.get(key).is_some_and(|times| {
                times
                    .iter()
                    .filter(|t| now.duration_since(**t) < l.mail_window)
                    .count()
                    >= *max
            })
        });
        if full {
            return false;
        }
        for (key, _) in checks {
            let times = hits.entry(key).or_default();
            times.retain(|t| now.duration_since(*t) < l.mail_window);
            times.push(now);
        }
        true
    }

    /// The receipt already given for this submission key, if recent.
    pub fn seen(&self, key: &str) -> Option<Remembered> {
        #[cfg(feature = "s3")]
        if let Some(table) = &self.shared {
            let now = forms_model::calendar::system_secs();
            return match table.get(&hashed("receipt", key), now) {
                Ok(found) => found.and_then(|(doc, _)| serde_json::from_str(&doc).ok()),
                Err(err) => {
                    tracing::warn!(error = %err, "duplicates not checked: the shared table did not answer");
                    None
                }
            };
        }
        let now = Instant::now();
        let mut receipts = self.receipts.lock().unwrap_or_else(|e| e.into_inner());
        receipts.retain(|_, (t, _)| now.duration_since(*t) < self.limits.duplicate_window);
        receipts.get(key).map(|(_, r)| r.clone())
    }

    pub fn remember(&self, key: String, receipt: Remembered) {
        #[cfg(feature = "s3")]
        if let Some(table) = &self.shared {
            let expires =
                forms_model::calendar::system_secs() + self.limits.duplicate_window.as_secs();
            let doc = serde_json::to_string(&receipt).unwrap_or_default();
            if let Err(err) = table.put(&hashed("receipt", &key), &doc, Some(expires)) {
                tracing::warn!(error = %err, reference = %receipt.reference, "receipt not remembered in the shared table");
            }
            return;
        }
        let mut receipts = self.receipts.lock().unwrap_or_else(|e| e.into_inner());
        receipts.insert(key, (Instant::now(), receipt));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use forms_model::settings::origin_of;

    #[test]
    fn limits_each_source_per_form_and_says_when_to_retry() {
        let guard = Guard::new(
            Vec::new(),
            Limits {
                per_source: 2,
                ..Limits::default()
            },
        );
        assert!(guard.admit_source("203.0.113.7", "pengaduan").is_ok());
        assert!(guard.admit_source("203.0.113.7", "pengaduan").is_ok());
        let wait = guard
            .admit_source("203.0.113.7", "pengaduan")
            .expect_err("third");
        assert!(wait > 0 && wait <= 600);
        assert!(
            guard.admit_source("203.0.113.7", "magang").is_ok(),
            "another form"
        );
        assert!(
            guard.admit_source("198.51.100.2", "pengaduan").is_ok(),
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
        assert!(guard.may_mail("Warga@Contoh.id", "203.0.113.7"));
        assert!(!guard.may_mail("warga@contoh.id", "198.51.100.2"));
        for variant in [
            "w.arga@contoh.id",
            "warga+1@contoh.id",
            "W.A.R.G.A+x@CONTOH.id",
        ] {
            assert!(!guard.may_mail(variant, "198.51.100.3"), "{variant}");
        }
    }

    #[test]
    fn one_source_and_the_whole_function_have_a_mail_budget() {
        let guard = Guard::new(
            Vec::new(),
            Limits {
                mails_per_source: 2,
                mails_overall: 3,
                ..Limits::default()
            },
        );
        assert!(guard.may_mail("a@contoh.id", "203.0.113.7"));
        assert!(guard.may_mail("b@contoh.id", "203.0.113.7"));
        assert!(
            !guard.may_mail("c@contoh.id", "203.0.113.7"),
            "source spent"
        );
        assert!(guard.may_mail("c@contoh.id", "198.51.100.2"));
        assert!(!guard.may_mail("d@contoh.id", "192.0.2.1"), "overall spent");
    }

    #[test]
    fn ipv6_sources_are_counted_by_their_64_bit_network() {
        assert_eq!(source_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(
            source_key("2001:db8:1:2:ffff:1:2:3"),
            source_key("2001:db8:1:2::9")
        );
        assert_ne!(source_key("2001:db8:1:3::1"), source_key("2001:db8:1:2::1"));
        assert_eq!(source_key("::ffff:203.0.113.7"), "203.0.113.7");
        assert_eq!(source_key("203.0.113.7"), "203.0.113.7");
        let guard = Guard::new(
            Vec::new(),
            Limits {
                per_source: 1,
                ..Limits::default()
            },
        );
        assert!(guard.admit_source("2001:db8:1:2::1", "pengaduan").is_ok());
        assert!(guard.admit_source("2001:db8:1:2::2", "pengaduan").is_err());
    }

    #[test]
    fn only_accepted_submissions_count_against_a_form() {
        let guard = Guard::new(
            Vec::new(),
            Limits {
                per_source: 1,
                per_form: 2,
                ..Limits::default()
            },
        );
        // A flood from one source is refused at its source and leaves the form's budget.
        for _ in 0..500 {
            let _ = guard.admit_source("203.0.113.66", "pengaduan");
        }
        assert!(guard.admit_source("198.51.100.2", "pengaduan").is_ok());
        assert!(guard.admit_form("pengaduan").is_ok());
        assert!(guard.admit_form("pengaduan").is_ok());
        assert!(guard.admit_form("pengaduan").is_err());
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
