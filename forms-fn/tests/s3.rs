//! The outbox on S3, against a real S3-protocol server on loopback (moto's server mode, from
//! PyPI), with `forms-fn` run as operators run it (settings in its environment) and a real
//! SMTP server: each submission is one encrypted object, moved from `pending/` to `sent/`
//! only once the mail server has accepted its mail; a bucket that fails mid-write costs the
//! citizen a "try again", never a receipt for something not stored; retention is a
//! lifecycle rule and a purge command that never touch what is still owed.

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use aws_sdk_s3::Client;
use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_s3::types::{BucketLocationConstraint, CreateBucketConfiguration};
use base64::Engine as _;

const BUCKET: &str = "kiriman-kpu-ntb";
const PREFIX: &str = "formulir/";

/// moto's S3 server on `port`, empty, with the outbox bucket created.
fn s3_server(port: u16) -> (common::Process, Peek) {
    let (server, _) = test_support::servers::s3_server(Some(port));
    let peek = Peek::new(port);
    let jakarta = CreateBucketConfiguration::builder()
        .location_constraint(BucketLocationConstraint::ApSoutheast3)
        .build();
    peek.run(
        peek.client
            .create_bucket()
            .bucket(BUCKET)
            .create_bucket_configuration(jakarta)
            .send(),
    )
    .expect("bucket created");
    (server, peek)
}

/// The test's own look into the bucket, with the SDK.
struct Peek {
    runtime: tokio::runtime::Runtime,
    client: Client,
}

impl Peek {
    fn new(port: u16) -> Peek {
        let config = aws_sdk_s3::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("ap-southeast-3"))
            .endpoint_url(format!("http://127.0.0.1:{port}"))
            .force_path_style(true)
            .credentials_provider(Credentials::new("uji", "uji", None, None, "tests"))
            .build();
        Peek {
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime"),
            client: Client::from_conf(config),
        }
    }

    fn run<T, E: std::fmt::Debug>(
        &self,
        future: impl std::future::Future<Output = Result<T, E>>,
    ) -> Result<T, String> {
        self.runtime.block_on(future).map_err(|e| format!("{e:?}"))
    }

    /// Every key in the bucket, sorted.
    fn keys(&self) -> Vec<String> {
        let page = self
            .run(self.client.list_objects_v2().bucket(BUCKET).send())
            .expect("list");
        let mut keys: Vec<String> = page
            .contents()
            .iter()
            .filter_map(|o| o.key().map(str::to_string))
            .collect();
        keys.sort();
        keys
    }

    fn get(&self, key: &str) -> Vec<u8> {
        let object = self
            .run(self.client.get_object().bucket(BUCKET).key(key).send())
            .expect("get");
        self.runtime
            .block_on(object.body.collect())
            .expect("body")
            .to_vec()
    }

    fn encryption(&self, key: &str) -> Option<String> {
        self.run(self.client.head_object().bucket(BUCKET).key(key).send())
            .expect("head")
            .server_side_encryption()
            .map(|e| e.as_str().to_string())
    }

    fn put(&self, key: &str, body: Vec<u8>) {
        self.run(
            self.client
                .put_object()
                .bucket(BUCKET)
                .key(key)
                .body(body.into())
                .send(),
        )
        .expect("put");
    }

    fn wait_for_key(&self, key: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !self.keys().iter().any(|k| k == key) {
            assert!(Instant::now() < deadline, "{key} never appeared");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// `forms-fn` with the outbox in the test bucket behind `s3_port`, and no local outbox.
fn forms_fn(args: &[&str], site: &Path, dir: &Path, smtp_port: u16, s3_port: u16) -> Command {
    let mut command = common::forms_fn(args, site, &dir.join("no-local-outbox"), smtp_port);
    command
        .env("OUTBOX_BUCKET", BUCKET)
        .env("OUTBOX_PREFIX", PREFIX)
        .env("OUTBOX_S3_ENDPOINT", format!("http://127.0.0.1:{s3_port}"));
    common::aws_test_env(&mut command, dir);
    command
}

fn run(mut command: Command) -> String {
    let out = command.output().expect("forms-fn runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn key(state: &str, reference: &str) -> String {
    format!("{PREFIX}{state}/{reference}.json")
}

/// A multipart post of valid answers to `informasi-publik` from `name`, with an ID scan of
/// `size` bytes.
fn information_request(site: &Path, dir: &Path, name: &str, size: usize) -> Vec<u8> {
    let app = forms_fn::app::load(&forms_fn::Config {
        site_dir: Some(site.to_path_buf()),
        ..common::config(dir, None)
    })
    .expect("app");
    let form = &app.forms["informasi-publik"];
    let (mut fields, mut files) =
        common::valid_answers_on(form, forms_model::calendar::Day::today());
    for (field, value) in &mut fields {
        if field == "nama" {
            *value = name.to_string();
        }
    }
    for (_, bytes) in &mut files {
        bytes.resize(size.max(bytes.len()), b'%');
    }
    common::multipart(&fields, &files)
}

fn post(port: u16, body: &[u8]) -> (u16, String) {
    common::post(
        port,
        "/informasi-publik",
        &format!("multipart/form-data; boundary={}", common::BOUNDARY),
        body,
    )
}

fn reference_in(answer: &str) -> String {
    let json: serde_json::Value = serde_json::from_str(answer).expect("JSON");
    json["reference"].as_str().expect("reference").to_string()
}

#[test]
fn a_submission_is_one_encrypted_object_moved_to_sent_only_after_smtp_accepts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = common::site_with_desks(dir.path());
    let maildir = dir.path().join("maildir");
    let (smtp_port, s3_port) = (common::free_port(), common::free_port());
    let (_s3, peek) = s3_server(s3_port);
    // The mail server is down when the citizen submits.
    let (_function, port) =
        common::serve_with(forms_fn(&[], &site, dir.path(), smtp_port, s3_port));

    let (status, answer) = post(
        port,
        &information_request(&site, dir.path(), "Baiq Nurul", 300_000),
    );
    assert_eq!(status, 200, "{answer}");
    let reference = reference_in(&answer);
    let pending = key("pending", &reference);
    assert_eq!(
        peek.keys(),
        vec![pending.clone()],
        "one object, still pending"
    );
    assert_eq!(peek.encryption(&pending).as_deref(), Some("AES256"));
    let record: forms_fn::outbox::Record =
        serde_json::from_slice(&peek.get(&pending)).expect("a record");
    assert_eq!(record.reference, reference);
    assert!(!record.desk_sent);
    assert_eq!(record.files.len(), 1, "the attachment is inside the object");
    assert_eq!(record.files[0].bytes.len(), 300_000);
    assert!(
        !dir.path().join("no-local-outbox").exists(),
        "nothing written to the function's own disk"
    );

    let _smtp = common::smtp_server(smtp_port, &maildir);
    let said = run(forms_fn(&["resend"], &site, dir.path(), smtp_port, s3_port));
    assert_eq!(said, "1 delivered, 0 still pending");
    let sent = key("sent", &reference);
    assert_eq!(peek.keys(), vec![sent.clone()]);
    assert_eq!(peek.encryption(&sent).as_deref(), Some("AES256"));
    assert_eq!(common::desk_messages_for(&maildir, &reference), 1);
    let again = run(forms_fn(&["resend"], &site, dir.path(), smtp_port, s3_port));
    assert_eq!(again, "0 delivered, 0 still pending");
    assert_eq!(common::desk_messages_for(&maildir, &reference), 1);

    // The stored object is what the desk got: the attachment, whole.
    let stored: serde_json::Value = serde_json::from_slice(&peek.get(&sent)).expect("JSON");
    let attachment = base64::engine::general_purpose::STANDARD
        .decode(stored["files"][0]["bytes"].as_str().expect("bytes"))
        .expect("base64");
    assert_eq!(attachment, record.files[0].bytes);
}

/// A TCP relay in front of the S3 server that can cut every connection once `cut_after`
/// bytes of requests have gone through it: the server going away in the middle of a PUT.
struct Relay {
    port: u16,
    cut_after: Arc<AtomicUsize>,
}

impl Relay {
    fn to(target: u16) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let cut_after = Arc::new(AtomicUsize::new(usize::MAX));
        let cut = Arc::clone(&cut_after);
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let cut = Arc::clone(&cut);
                std::thread::spawn(move || relay(client, target, &cut));
            }
        });
        Relay { port, cut_after }
    }
}

fn relay(mut client: TcpStream, target: u16, cut_after: &AtomicUsize) {
    let Ok(mut server) = TcpStream::connect(("127.0.0.1", target)) else {
        return;
    };
    let (Ok(mut back), Ok(mut to_client)) = (server.try_clone(), client.try_clone()) else {
        return;
    };
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut back, &mut to_client);
        let _ = to_client.shutdown(Shutdown::Both);
    });
    let mut buffer = [0; 16 * 1024];
    let mut forwarded = 0;
    loop {
        let n = match client.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let limit = cut_after.load(Ordering::SeqCst);
        if forwarded + n > limit {
            let _ = server.write_all(&buffer[..limit.saturating_sub(forwarded)]);
            break;
        }
        forwarded += n;
        if server.write_all(&buffer[..n]).is_err() {
            break;
        }
    }
    let _ = server.shutdown(Shutdown::Both);
    let _ = client.shutdown(Shutdown::Both);
}

#[test]
fn a_bucket_failing_mid_write_gets_a_try_again_and_never_a_receipt() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = common::site_with_desks(dir.path());
    let maildir = dir.path().join("maildir");
    let (smtp_port, s3_port) = (common::free_port(), common::free_port());
    let _smtp = common::smtp_server(smtp_port, &maildir);
    let (s3, peek) = s3_server(s3_port);
    let relay = Relay::to(s3_port);
    let (_function, port) =
        common::serve_with(forms_fn(&[], &site, dir.path(), smtp_port, relay.port));
    let body = |name| information_request(&site, dir.path(), name, 1_000_000);

    // Every connection to S3 breaks 64 KiB into the upload (the SDK retries, in vain).
    relay.cut_after.store(64 * 1024, Ordering::SeqCst);
    let (status, answer) = post(port, &body("Lalu Ahmad"));
    assert_eq!(status, 503, "{answer}");
    assert!(answer.contains("belum dapat kami catat"), "{answer}");
    assert!(!answer.contains("reference"), "no receipt: {answer}");
    assert!(
        peek.keys().is_empty(),
        "nothing half-written: {:?}",
        peek.keys()
    );
    assert!(common::received(&maildir).is_empty(), "nothing mailed");

    // The connection heals; the citizen's second try is recorded and delivered.
    relay.cut_after.store(usize::MAX, Ordering::SeqCst);
    let (status, answer) = post(port, &body("Lalu Ahmad"));
    assert_eq!(status, 200, "{answer}");
    let reference = reference_in(&answer);
    peek.wait_for_key(&key("sent", &reference));
    assert_eq!(common::desk_messages_for(&maildir, &reference), 1);

    // The server goes away altogether: an answer still comes, and in bounded time.
    drop(s3);
    let started = Instant::now();
    let (status, answer) = post(port, &body("Siti Hajar"));
    assert_eq!(status, 503, "{answer}");
    assert!(
        started.elapsed() < Duration::from_secs(25),
        "answered in {:?}",
        started.elapsed()
    );
    // A new server (moto keeps nothing): submissions are recorded again.
    let (_s3, peek) = s3_server(s3_port);
    let (status, answer) = post(port, &body("Siti Hajar"));
    assert_eq!(status, 200, "{answer}");
    peek.wait_for_key(&key("sent", &reference_in(&answer)));
}

fn stored_record(reference: &str) -> Vec<u8> {
    serde_json::to_vec(&forms_fn::outbox::Record {
        received_at: 1_790_000_000,
        desk_sent: true,
        citizen_sent: true,
        ..forms_fn::outbox::Record::new(
            reference,
            "pengaduan",
            "meja@kpu-ntb.example",
            "2026-09-30",
        )
    })
    .expect("JSON")
}

#[test]
fn retention_is_a_lifecycle_rule_and_a_purge_that_never_touch_pending_records() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = common::site_with_desks(dir.path());
    let s3_port = common::free_port();
    let smtp_port = common::free_port();
    let (_s3, peek) = s3_server(s3_port);
    let command = |args: &[&str]| forms_fn(args, &site, dir.path(), smtp_port, s3_port);

    let said = run(command(&["retention", "--days", "30"]));
    assert!(said.ends_with("expire 30 days after delivery"), "{said}");
    let rules = peek
        .run(
            peek.client
                .get_bucket_lifecycle_configuration()
                .bucket(BUCKET)
                .send(),
        )
        .expect("lifecycle");
    let sent_rule = rules
        .rules()
        .iter()
        .find(|r| r.id() == Some("sent-retention"))
        .expect("the retention rule");
    assert_eq!(
        sent_rule.filter().and_then(|f| f.prefix()),
        Some("formulir/sent/")
    );
    assert_eq!(sent_rule.expiration().and_then(|e| e.days()), Some(30));
    assert!(
        rules
            .rules()
            .iter()
            .all(|r| r.filter().and_then(|f| f.prefix()) != Some("formulir/pending/")),
        "pending records never expire"
    );

    peek.put(
        &key("sent", "ADU-1111-2222"),
        stored_record("ADU-1111-2222"),
    );
    peek.put(
        &key("pending", "ADU-3333-4444"),
        stored_record("ADU-3333-4444"),
    );
    let said = run(command(&["purge", "--days", "30"]));
    assert!(said.starts_with("0 delivered records"), "{said}");
    // S3 keeps whole seconds: let the delivered one be older than "now".
    std::thread::sleep(Duration::from_millis(1100));
    let said = run(command(&["purge", "--days", "0"]));
    assert!(said.starts_with("1 delivered records"), "{said}");
    assert_eq!(peek.keys(), vec![key("pending", "ADU-3333-4444")]);
}

#[test]
fn a_record_left_in_both_places_by_a_crash_is_not_mailed_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = common::site_with_desks(dir.path());
    let maildir = dir.path().join("maildir");
    let (smtp_port, s3_port) = (common::free_port(), common::free_port());
    let _smtp = common::smtp_server(smtp_port, &maildir);
    let (_s3, peek) = s3_server(s3_port);
    // Delivered and written to `sent/`, then the function died before deleting `pending/`.
    let mut unsent =
        serde_json::from_slice::<forms_fn::outbox::Record>(&stored_record("ADU-5555-6666"))
            .expect("record");
    unsent.desk_sent = false;
    unsent.citizen_sent = false;
    peek.put(
        &key("pending", "ADU-5555-6666"),
        serde_json::to_vec(&unsent).expect("JSON"),
    );
    peek.put(
        &key("sent", "ADU-5555-6666"),
        stored_record("ADU-5555-6666"),
    );

    let said = run(forms_fn(&["resend"], &site, dir.path(), smtp_port, s3_port));
    assert_eq!(said, "0 delivered, 0 still pending");
    assert_eq!(peek.keys(), vec![key("sent", "ADU-5555-6666")]);
    assert!(
        common::received(&maildir).is_empty(),
        "nothing mailed twice"
    );
}
