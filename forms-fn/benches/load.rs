//! `cargo bench -p forms-fn --bench load`: concurrent clients post valid and invalid
//! submissions to `forms-fn serve` (release build; mail goes out after each answer) for a
//! fixed time, while the SMTP server (aiosmtpd, loopback) is stopped and restarted in the
//! middle. Then the function is stopped (SIGTERM), `forms-fn resend` runs, and the
//! reconciliation: accepted = delivered + pending, no reference mailed twice.
//! Prints requests per second, p50/p99 latency and the status counts. Target on this
//! 2-core machine: 1,000 requests/s, p99 under 20 ms, nothing lost.
//!
//! Settings: LOAD_CLIENTS (16), LOAD_SECONDS (20). The outbox is on tmpfs.

#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Status (0: no answer), latency in ms, and the reference of an accepted submission.
type Outcome = (u16, f64, Option<String>);

fn post(port: u16, body: &[u8]) -> Option<(u16, String)> {
    let answer = test_support::http::exchange(
        port,
        "POST",
        "/informasi-publik",
        &[
            "Origin: https://kpu-ntb.example",
            "Content-Type: application/x-www-form-urlencoded",
            "Accept: application/json",
        ],
        body,
        Duration::from_secs(30),
    )
    .ok()?;
    Some((answer.status, answer.body))
}

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let clients = setting("LOAD_CLIENTS", 16) as usize;
    let seconds = setting("LOAD_SECONDS", 20);
    let dir = tempfile::tempdir_in("/dev/shm").expect("tmpfs");
    let site = common::site_with_desks(dir.path());
    let outbox = dir.path().join("outbox");
    let maildir = dir.path().join("maildir");
    let smtp_port = common::free_port();
    let mut server_smtp = common::smtp_server(smtp_port, &maildir);
    let port = common::free_port();
    let mut function = Command::new(env!("CARGO_BIN_EXE_forms-fn"))
        .args(["serve", "--port", &port.to_string()])
        .env("SITE_DIR", &site)
        .env("OUTBOX_DIR", &outbox)
        .env("SMTP_URL", format!("smtp://127.0.0.1:{smtp_port}"))
        .env("RATE_LIMIT_PER_SOURCE", "100000000")
        .env("RATE_LIMIT_PER_FORM", "100000000")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("forms-fn");
    common::wait_for_port(port);

    let app = common::app(dir.path());
    let form = app.forms["informasi-publik"].clone();
    let (fields, _) = common::valid_answers_on(&form, forms_model::calendar::Day::today());
    let stop = Arc::new(AtomicBool::new(false));
    let results: Arc<Mutex<Vec<Outcome>>> = Arc::default();
    let started = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|c| client(c, port, fields.clone(), &stop, &results))
        .collect();

    // The mail server goes away for a while in the middle of the run.
    std::thread::sleep(Duration::from_secs(seconds * 35 / 100));
    drop(server_smtp);
    std::thread::sleep(Duration::from_secs(seconds * 25 / 100));
    server_smtp = common::smtp_server(smtp_port, &maildir);
    std::thread::sleep(Duration::from_secs(
        seconds.saturating_sub(seconds * 60 / 100),
    ));
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        let _ = w.join();
    }
    let elapsed = started.elapsed().as_secs_f64();
    // Stopped as an operator would: the deliveries under way finish, the queue stays pending.
    let _ = Command::new("kill")
        .args(["-TERM", &function.id().to_string()])
        .status();
    let _ = function.wait();

    let results = results.lock().expect("lock");
    report(&results, elapsed, clients);
    let accepted: HashSet<&str> = results
        .iter()
        .filter(|r| r.0 == 200)
        .filter_map(|r| r.2.as_deref())
        .collect();
    reconcile(&site, &outbox, &maildir, smtp_port, accepted.len());
    drop(server_smtp);
}

/// One client posting until `stop`: one submission in five is invalid (the consent box
/// left empty); every answer's status, latency and reference go to `results`.
fn client(
    c: usize,
    port: u16,
    fields: Vec<(String, String)>,
    stop: &Arc<AtomicBool>,
    results: &Arc<Mutex<Vec<Outcome>>>,
) -> std::thread::JoinHandle<()> {
    let (stop, results) = (Arc::clone(stop), Arc::clone(results));
    std::thread::spawn(move || {
        let mut mine = Vec::new();
        let mut n = 0u64;
        while !stop.load(Ordering::Relaxed) {
            n += 1;
            let valid = !n.is_multiple_of(5);
            let body: Vec<(String, String)> = fields
                .iter()
                .filter(|(k, _)| valid || k != "persetujuan")
                .map(|(k, v)| {
                    if k == "nama" {
                        (k.clone(), format!("Uji {c}-{n}"))
                    } else {
                        (k.clone(), v.clone())
                    }
                })
                .collect();
            let body = common::urlencoded(&body);
            let t = Instant::now();
            let answer = post(port, &body);
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            let reference = answer.as_ref().and_then(|(_, text)| {
                text.split("\"reference\":\"")
                    .nth(1)
                    .and_then(|r| r.split('"').next())
                    .map(str::to_string)
            });
            mine.push((answer.map_or(0, |(status, _)| status), ms, reference));
        }
        results.lock().expect("lock").extend(mine);
    })
}

/// Requests per second, latency percentiles and the answers' statuses.
fn report(results: &[Outcome], elapsed: f64, clients: usize) {
    let mut latencies: Vec<f64> = results.iter().map(|r| r.1).collect();
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p).round() as usize];
    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    for r in results {
        *statuses.entry(r.0).or_default() += 1;
    }
    println!(
        "{} requests in {elapsed:.1} s from {clients} clients: {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms (target 1,000/s, p99 < 20 ms)",
        results.len(),
        results.len() as f64 / elapsed,
        pct(0.5),
        pct(0.99)
    );
    println!("answers: {statuses:?} (0 = no answer)");
}

/// Records in the outbox folder `d` (`pending`, `sent`).
fn count(outbox: &Path, d: &str) -> usize {
    std::fs::read_dir(outbox.join(d))
        .map(|e| {
            e.filter_map(|e| e.ok())
                .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
                .count()
        })
        .unwrap_or(0)
}

/// A minute of `forms-fn resend`, then: accepted = delivered + pending, and no desk
/// message twice.
fn reconcile(site: &Path, outbox: &Path, maildir: &Path, smtp_port: u16, accepted: usize) {
    let pending_before = count(outbox, "pending");
    // Delivering thousands of pending messages one by one takes minutes; a minute of it is
    // enough to see the re-send work, and the reconciliation holds at any moment.
    let mut resend = Command::new(env!("CARGO_BIN_EXE_forms-fn"))
        .arg("resend")
        .env("SITE_DIR", site)
        .env("OUTBOX_DIR", outbox)
        .env("SMTP_URL", format!("smtp://127.0.0.1:{smtp_port}"))
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .spawn()
        .expect("resend");
    let deadline = Instant::now() + Duration::from_secs(60);
    while resend.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
    }
    let _ = resend.kill();
    let resend = resend.wait_with_output().expect("resend");
    let (sent, pending) = (count(outbox, "sent"), count(outbox, "pending"));
    let subjects = desk_subjects(maildir);
    let unique: HashSet<&String> = subjects.iter().collect();
    println!(
        "reconciliation: {accepted} accepted = {sent} delivered + {pending} pending ({pending_before} were pending before a minute of `forms-fn resend`{}); desk messages {}, duplicates {}",
        match String::from_utf8_lossy(&resend.stdout).trim() {
            "" => String::new(),
            said => format!(": {said}"),
        },
        subjects.len(),
        subjects.len() - unique.len()
    );
    let lost = accepted as i64 - (sent + pending) as i64;
    println!("lost: {lost}");
}

/// The subjects of the desk messages in the Maildir (not the citizens' receipts).
fn desk_subjects(maildir: &Path) -> Vec<String> {
    let mut subjects = Vec::new();
    for d in ["new", "cur"] {
        for entry in std::fs::read_dir(maildir.join(d))
            .into_iter()
            .flatten()
            .flatten()
        {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            if let Some(s) = text
                .lines()
                .find(|l| l.starts_with("Subject: [") && !l.contains("sudah kami terima"))
            {
                subjects.push(s.to_string());
            }
        }
    }
    subjects
}
