//! `cargo bench -p forms-fn`: prints the handler's latency (median and p99, mail transport
//! excluded, outbox on tmpfs), the release binary's cold start (process start to the first
//! answer) and its size. Targets: p99 under 2 ms, cold start under 50 ms.

#[path = "../tests/common/mod.rs"]
mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use forms_fn::mailer::Mailer;
use http::Request;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn handler_latency() {
    let dir = tempfile::tempdir_in("/dev/shm").expect("tmpfs");
    // Every request a new submission from the site's own pages, under no rate limit: the
    // full path (validate, record, build the mails), not the duplicate or refusal paths.
    let mut config = common::config(dir.path(), None);
    config.limits.per_source = usize::MAX;
    config.limits.per_form = usize::MAX;
    let mut app = forms_fn::app::load(&config).expect("app");
    app.clock = common::clock();
    app.mailer = Mailer::discard();
    let form = app.forms["informasi-publik"].clone();
    let (fields, _) = common::valid_answers(&form);
    let request = |n: usize| {
        let fields: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| match k.as_str() {
                "nama" => (k.clone(), format!("Warga Uji {n}")),
                _ => (k.clone(), v.clone()),
            })
            .collect();
        Request::builder()
            .method("POST")
            .uri("/informasi-publik")
            .header("origin", "https://kpu-ntb.example")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(common::urlencoded(&fields))
            .expect("request")
    };
    for n in 0..200 {
        assert_eq!(forms_fn::handle(&app, &request(n)).status(), 200);
    }
    let mut samples: Vec<f64> = (200..3200)
        .map(|n| {
            let r = request(n);
            let started = Instant::now();
            let answer = forms_fn::handle(&app, &r);
            let elapsed = started.elapsed().as_secs_f64() * 1000.0;
            assert_eq!(answer.status(), 200);
            elapsed
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    println!(
        "handler (informasi-publik, validate + record + build mails, transport excluded): median {:.3} ms, p99 {:.3} ms over {} requests (target p99 < 2 ms)",
        percentile(&samples, 0.5),
        percentile(&samples, 0.99),
        samples.len()
    );
}

fn cold_start() {
    let binary = env!("CARGO_BIN_EXE_forms-fn");
    let dir = tempfile::tempdir_in("/dev/shm").expect("tmpfs");
    let mut samples = Vec::new();
    for _ in 0..20 {
        let port = TcpListener::bind("127.0.0.1:0")
            .expect("bind")
            .local_addr()
            .expect("addr")
            .port();
        let started = Instant::now();
        let mut child = Command::new(binary)
            .args(["serve", "--port", &port.to_string()])
            .env("SITE_DIR", common::site_dir())
            .env("OUTBOX_DIR", dir.path().join("outbox"))
            .env_remove("SMTP_URL")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start");
        let answered = loop {
            if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) {
                let _ = stream.write_all(b"POST /informasi-publik HTTP/1.1\r\nHost: x\r\nOrigin: https://kpu-ntb.example\r\nAccept: application/json\r\nContent-Type: text/plain\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                let mut answer = String::new();
                if stream.read_to_string(&mut answer).is_ok() && answer.starts_with("HTTP/1.1 415")
                {
                    break started.elapsed();
                }
            }
            assert!(started.elapsed() < Duration::from_secs(10), "no answer");
        };
        samples.push(answered.as_secs_f64() * 1000.0);
        let _ = child.kill();
        let _ = child.wait();
    }
    samples.sort_by(f64::total_cmp);
    let size = std::fs::metadata(binary).map(|m| m.len()).unwrap_or(0);
    println!(
        "cold start (process start to first answer, {} runs): median {:.1} ms, worst {:.1} ms (target < 50 ms); binary {:.1} MiB ({binary})",
        samples.len(),
        percentile(&samples, 0.5),
        samples[samples.len() - 1],
        size as f64 / (1024.0 * 1024.0)
    );
}

fn main() {
    handler_latency();
    cold_start();
}
