//! `forms-fn serve` against clients that hold it up: half-sent headers, bodies that never
//! finish, bodies held open to take memory, posts that should be refused before their body
//! is read; and `forms-fn resend` over an outbox larger than the memory it may use.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use socket2::{Domain, Socket, Type};

/// `forms-fn serve` with short timeouts, rate limits out of the way (every client here is
/// on loopback), mail to a folder.
fn server(dir: &Path, extra: &[&str]) -> (common::Process, u16) {
    let site = common::site_with_desks(dir);
    let mut command = Command::new(env!("CARGO_BIN_EXE_forms-fn"));
    command
        .env("SITE_DIR", &site)
        .env("OUTBOX_DIR", dir.join("outbox"))
        .env("MAIL_DIR", dir.join("mail"))
        .env("RATE_LIMIT_PER_SOURCE", "100000")
        .env("RATE_LIMIT_PER_FORM", "100000")
        .env_remove("SMTP_URL");
    let port = common::free_port();
    let child = command
        .args(["serve", "--port", &port.to_string()])
        .args(extra)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("forms-fn starts");
    common::wait_for_port(port);
    (common::Process(child), port)
}

/// A field of `/proc/<pid>/status` (`Threads`, `VmRSS` in kB).
fn status(pid: u32, field: &str) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{field}:")))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .expect("field")
}

/// A connection from `source` (an address of the loopback range), so that one test can be
/// several sources.
fn connect_from(source: &str, port: u16) -> TcpStream {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).expect("socket");
    let local: SocketAddr = format!("{source}:0").parse().expect("address");
    socket.bind(&local.into()).expect("bind");
    let remote: SocketAddr = format!("127.0.0.1:{port}").parse().expect("address");
    socket.connect(&remote.into()).expect("connect");
    let stream: TcpStream = socket.into();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    stream
}

/// A head of a form post; `length` is what it declares.
fn head(origin: &str, length: usize) -> String {
    format!(
        "POST /informasi-publik HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: {origin}\r\nAccept: application/json\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {length}\r\n\r\n"
    )
}

/// The status of the answer on `stream`, or `None` when it was closed without one.
fn status_of(stream: &mut TcpStream) -> Option<u16> {
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer);
    text.split(' ').nth(1)?.parse().ok()
}

/// A real submission from `source`: answered 200 with a reference.
fn submit_from(source: &str, port: u16) -> u16 {
    let dir = common::site_dir();
    let forms = forms_model::schema::load_dir(&dir).expect("forms");
    let form = &forms["informasi-publik"];
    let (fields, _) = common::valid_answers_on(form, forms_model::calendar::Day::today());
    let body = common::urlencoded(&fields);
    let mut stream = connect_from(source, port);
    stream
        .write_all(head("https://kpu-ntb.example", body.len()).as_bytes())
        .expect("head");
    stream.write_all(&body).expect("body");
    status_of(&mut stream).unwrap_or(0)
}

#[test]
fn slow_headers_are_cut_off_and_other_sources_are_still_answered() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (server, port) = server(dir.path(), &["--header-timeout", "2"]);
    let pid = server.0.id();
    let before = status(pid, "Threads");
    // A thousand half-sent heads from one source, each left hanging.
    let mut held = Vec::new();
    for _ in 0..1000 {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
            continue;
        };
        let _ = stream.write_all(b"POST /informasi-publik HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        held.push(stream);
    }
    let threads = status(pid, "Threads");
    assert!(
        threads <= before + 10,
        "threads grew from {before} to {threads} with 1000 slow clients"
    );
    // Another source is answered while they hang.
    assert_eq!(submit_from("127.0.0.2", port), 200);
    // The server closes the slow heads itself (408, or closed once over the bounds).
    let mut closed = 0;
    for stream in held.iter_mut().take(40) {
        let started = Instant::now();
        let _ = status_of(stream);
        assert!(started.elapsed() < Duration::from_secs(10), "left open");
        closed += 1;
    }
    assert_eq!(closed, 40);
    // And it still listens.
    assert_eq!(submit_from("127.0.0.3", port), 200);
}

#[test]
fn a_body_that_does_not_arrive_in_time_gets_408() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_server, port) = server(dir.path(), &["--body-timeout", "2"]);
    let mut stream = connect_from("127.0.0.4", port);
    stream
        .write_all(head("https://kpu-ntb.example", 1000).as_bytes())
        .expect("head");
    stream.write_all(b"nama=Siti").expect("a little");
    let started = Instant::now();
    assert_eq!(status_of(&mut stream), Some(408));
    assert!(started.elapsed() < Duration::from_secs(8));
    assert!(
        std::fs::read_dir(dir.path().join("outbox/pending"))
            .expect("pending")
            .next()
            .is_none()
    );
}

#[test]
fn bodies_held_open_cannot_take_the_servers_memory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (server, port) = server(dir.path(), &["--body-timeout", "30"]);
    let pid = server.0.id();
    let chunk = vec![b'a'; 64 * 1024];
    // A hundred posts of almost 4 MB from ten sources, held just short of their end.
    let mut held = Vec::new();
    for n in 0..100 {
        let mut stream = connect_from(&format!("127.0.1.{}", n % 10 + 1), port);
        let _ = stream.write_all(head("https://kpu-ntb.example", 4_000_000).as_bytes());
        let mut sent = 0;
        while sent < 3_900_000 {
            if stream.write_all(&chunk).is_err() {
                break;
            }
            sent += chunk.len();
        }
        held.push(stream);
    }
    let rss_mb = status(pid, "VmRSS") / 1024;
    assert!(
        rss_mb < 150,
        "{rss_mb} MB resident with a hundred bodies held open"
    );
    // Those over the budget were told to come back.
    let busy = held
        .iter_mut()
        .filter(|s| {
            s.set_read_timeout(Some(Duration::from_millis(300))).ok();
            let mut buf = [0u8; 64];
            let n = (&**s).read(&mut buf).unwrap_or(0);
            String::from_utf8_lossy(&buf[..n]).contains(" 503 ")
        })
        .count();
    assert!(busy > 0, "no post was refused for the budget");
    drop(held);
    assert_eq!(submit_from("127.0.0.5", port), 200);
}

#[test]
fn a_foreign_or_oversized_post_is_refused_before_its_body_is_sent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_server, port) = server(dir.path(), &[]);
    for (origin, length, expected) in [
        ("https://penipu.example", 4_000_000, 403),
        ("https://kpu-ntb.example", 50_000_000, 413),
    ] {
        let mut stream = connect_from("127.0.0.6", port);
        stream
            .write_all(head(origin, length).as_bytes())
            .expect("head");
        // No body at all: the answer must come from the head alone.
        assert_eq!(status_of(&mut stream), Some(expected), "{origin} {length}");
    }
}

#[test]
fn the_resend_holds_one_record_at_a_time() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = common::site_with_desks(dir.path());
    let outbox = forms_fn::outbox::Outbox::open(&dir.path().join("outbox")).expect("outbox");
    // Thirty pending submissions with a 3 MB attachment each: about 120 MB of records.
    let attachment = [common::PDF, &vec![b'x'; 3 * 1024 * 1024]].concat();
    for n in 0..30 {
        outbox
            .save(&forms_fn::outbox::Record {
                received_at: 1,
                files: vec![forms_fn::outbox::StoredFile {
                    field: "lampiran".into(),
                    filename: "bukti.pdf".into(),
                    bytes: attachment.clone(),
                }],
                ..forms_fn::outbox::Record::new(
                    &format!("PGD-UJI{n:02}-AAAA"),
                    "pengaduan",
                    "meja-pengaduan@kpu-ntb.example",
                    "2026-03-01",
                )
            })
            .expect("save");
    }
    // Python reports the peak memory of the child it waited for.
    let script = format!(
        "import resource, subprocess, sys\nr = subprocess.run([{bin:?}, 'resend', '--scheduled'])\nprint(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\nsys.exit(r.returncode)",
        bin = env!("CARGO_BIN_EXE_forms-fn")
    );
    let out = Command::new("python3")
        .args(["-c", &script])
        .env("SITE_DIR", &site)
        .env("OUTBOX_DIR", dir.path().join("outbox"))
        .env("MAIL_DIR", dir.path().join("mail"))
        .env_remove("SMTP_URL")
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let peak_mb = String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .trim()
        .parse::<u64>()
        .expect("kB")
        / 1024;
    assert!(
        outbox.pending().expect("pending").is_empty(),
        "all delivered"
    );
    assert!(peak_mb < 60, "the resend peaked at {peak_mb} MB");
}
