//! End to end over real SMTP: a real SMTP server on loopback (aiosmtpd, from PyPI, storing a
//! Maildir), the `forms-fn serve` binary in front, every one of the nine forms submitted,
//! and each message the server received checked. Then the server goes down: the submission
//! is still recorded and the citizen told the truth; `forms-fn resend` delivers it once the
//! server is back, exactly once.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use forms_model::schema::FieldType;
use mail_parser::MessageParser;

#[test]
fn every_form_reaches_its_desk_over_real_smtp() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = common::site_with_desks(dir.path());
    let maildir = dir.path().join("maildir");
    let smtp_port = common::free_port();
    let _smtp = common::smtp_server(smtp_port, &maildir);
    let outbox = dir.path().join("outbox");
    let (_server, port) = common::serve(&site, &outbox, smtp_port);

    check_every_form(&site, dir.path(), &maildir, |form| {
        // `serve` answers first and mails after.
        let reference = common::submit(port, form);
        common::wait_until_sent(&outbox, &reference);
        reference
    });
}

/// Submits every form with `submit` and checks what the SMTP server received for each.
fn check_every_form(
    site: &Path,
    dir: &Path,
    maildir: &Path,
    submit: impl Fn(&forms_model::schema::Form) -> String,
) {
    let config = common::config(dir, None);
    let forms = forms_fn::app::load(&forms_fn::Config {
        site_dir: Some(site.to_path_buf()),
        outbox_dir: dir.join("checker-outbox"),
        ..config
    })
    .expect("forms")
    .forms;
    assert_eq!(forms.len(), 9);
    for form in forms.values() {
        let reference = submit(form);
        let messages: Vec<Vec<u8>> = common::received(maildir);
        let desk = messages
            .iter()
            .filter_map(|m| MessageParser::default().parse(m))
            .find(|m| m.subject() == Some(format!("[{reference}] {}", form.title).as_str()))
            .unwrap_or_else(|| {
                panic!(
                    "{}: the SMTP server did not receive the desk message",
                    form.id
                )
            });
        let to = desk
            .to()
            .and_then(|t| t.first())
            .and_then(|a| a.address())
            .expect("to")
            .to_string();
        let expected_desk = match form.id.as_str() {
            // Routed by kab/kota: the answers chose Kota Mataram (52.71).
            "data-pemilih" => "meja-data-52-71@kpu-ntb.example".to_string(),
            // Routed by the rated service: the answers chose the first, authentication.
            "skm" => "meja-teknis@kpu-ntb.example".to_string(),
            _ => format!("meja-{}@kpu-ntb.example", form.desk),
        };
        assert_eq!(to, expected_desk, "{}", form.id);
        let text = desk.body_text(0).expect("text").into_owned();
        for field in &form.fields {
            let label = if field.kind == FieldType::Group {
                format!("{} 1:", field.label)
            } else {
                format!("{}:", field.label)
            };
            assert!(
                text.contains(&label),
                "{}: the message lacks `{label}`",
                form.id
            );
        }
        let has_email = form.fields.iter().any(|f| f.kind == FieldType::Email);
        let reply_to = desk
            .reply_to()
            .and_then(|r| r.first())
            .and_then(|a| a.address())
            .map(str::to_string);
        assert_eq!(
            reply_to.as_deref(),
            has_email.then_some("warga@contoh.id"),
            "{}",
            form.id
        );
        let files = form
            .fields
            .iter()
            .filter(|f| f.kind == FieldType::File)
            .count();
        let attachments: Vec<_> = desk.attachments().collect();
        assert_eq!(attachments.len(), files, "{}: attachments", form.id);
        assert!(
            attachments.iter().all(|a| a.contents() == common::PDF),
            "{}: attachment bytes",
            form.id
        );
        assert!(
            !desk.subject().unwrap_or_default().contains("warga"),
            "no personal data in the subject"
        );
    }
}

#[test]
fn a_submission_made_while_smtp_is_down_is_kept_and_resent_exactly_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = common::site_with_desks(dir.path());
    let outbox = dir.path().join("outbox");
    let maildir = dir.path().join("maildir");
    let smtp_port = common::free_port();
    let (_server, port, log) =
        common::serve_logged(common::forms_fn(&[], &site, &outbox, smtp_port));

    let config = common::config(dir.path(), None);
    let app = forms_fn::app::load(&forms_fn::Config {
        site_dir: Some(site.clone()),
        outbox_dir: outbox.clone(),
        ..config
    })
    .expect("app");
    let reference = common::submit(port, &app.forms["informasi-publik"]);
    let pending = app.outbox.pending_records().expect("outbox");
    assert_eq!(pending.len(), 1, "recorded although the mail could not go");
    assert_eq!(pending[0].reference, reference);
    assert!(!pending[0].desk_sent);
    // The delivery after the answer has been tried, and failed.
    common::wait_for_line(&log, &["delivery", &reference, "pending_mail"]);

    let _smtp = common::smtp_server(smtp_port, &maildir);
    let resend = common::forms_fn(&["resend"], &site, &outbox, smtp_port)
        .output()
        .expect("resend runs");
    assert!(
        resend.status.success(),
        "{}",
        String::from_utf8_lossy(&resend.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&resend.stdout).trim(),
        "1 delivered, 0 still pending"
    );
    assert_eq!(common::desk_messages_for(&maildir, &reference), 1);

    let again = common::forms_fn(&["resend"], &site, &outbox, smtp_port)
        .output()
        .expect("resend runs");
    assert_eq!(
        String::from_utf8_lossy(&again.stdout).trim(),
        "0 delivered, 0 still pending"
    );
    assert_eq!(
        common::desk_messages_for(&maildir, &reference),
        1,
        "nothing sent twice"
    );
    assert!(app.outbox.is_sent(&reference).expect("outbox"));
}

/// The Lambda Runtime API emulator of cargo-lambda (from PyPI), with our release of the
/// binary connected to it as the function: the real runtime loop, events and all.
struct LambdaEmulator {
    _emulator: common::Process,
    _function: common::Process,
    port: u16,
}

fn lambda(site: &Path, outbox: &Path, smtp_port: u16) -> LambdaEmulator {
    lambda_mode("", site, outbox, smtp_port)
}

/// The emulator with the function binary run as `args` (none: the HTTP function).
/// The function under the emulated Lambda runtime, as deployed: no arguments, the mode (if
/// any) in `FORMS_FN_MODE`.
fn lambda_mode(mode: &str, site: &Path, outbox: &Path, smtp_port: u16) -> LambdaEmulator {
    let probe = Command::new("cargo-lambda")
        .args(["lambda", "--version"])
        .output();
    assert!(
        probe.is_ok_and(|o| o.status.success()),
        "cargo-lambda is missing: run scripts/test, which installs it (pip install cargo-lambda)"
    );
    let port = common::free_port();
    // cargo-lambda itself (not through `cargo`), so that stopping it stops the emulator.
    let emulator = Command::new("cargo-lambda")
        .args([
            "lambda",
            "watch",
            "--only-lambda-apis",
            "-A",
            "127.0.0.1",
            "-P",
            &port.to_string(),
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("cargo-lambda starts");
    let emulator = common::Process(emulator);
    common::wait_for_port(port);
    let function = common::forms_fn(&[], site, outbox, smtp_port)
        .env("FORMS_FN_MODE", mode)
        .env(
            "AWS_LAMBDA_RUNTIME_API",
            format!("http://127.0.0.1:{port}/.rt"),
        )
        .env("AWS_LAMBDA_FUNCTION_NAME", "_")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "1")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the function starts");
    LambdaEmulator {
        _emulator: emulator,
        _function: common::Process(function),
        port,
    }
}

#[test]
fn every_form_reaches_its_desk_through_the_lambda_runtime() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = common::site_with_desks(dir.path());
    let maildir = dir.path().join("maildir");
    let smtp_port = common::free_port();
    let _smtp = common::smtp_server(smtp_port, &maildir);
    let emulator = lambda(&site, &dir.path().join("outbox"), smtp_port);
    // A Function URL request, as the emulator routes it to the function named `_`.
    check_every_form(&site, dir.path(), &maildir, |form| {
        common::submit_at(emulator.port, "/lambda-url/_", form)
    });
}

/// A private certificate authority and a certificate it signed for `localhost`.
fn certificates(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let run = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl runs");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=CA Uji KPU NTB",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost",
    ]);
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
    )
    .expect("ext");
    run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "server.ext",
    ]);
    (
        dir.join("ca.pem"),
        dir.join("server.pem"),
        dir.join("server.key"),
    )
}

#[test]
fn mail_goes_over_starttls_to_a_relay_with_a_private_certificate() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = common::site_with_desks(dir.path());
    let maildir = dir.path().join("maildir");
    let (ca, cert, key) = certificates(dir.path());
    let smtp_port = common::free_port();
    // The server refuses mail until the client has switched to TLS.
    let _smtp = common::smtp_server_with(
        smtp_port,
        &maildir,
        &[
            "--tlscert",
            cert.to_str().expect("utf-8"),
            "--tlskey",
            key.to_str().expect("utf-8"),
        ],
    );
    let url = format!("smtp://localhost:{smtp_port}?tls=required");

    let run = |ca_file: Option<&Path>, outbox: &Path| {
        let mut command = common::forms_fn(&[], &site, outbox, smtp_port);
        command.env("SMTP_URL", &url);
        match ca_file {
            Some(ca) => command.env("SMTP_CA_FILE", ca),
            None => command.env_remove("SMTP_CA_FILE"),
        };
        common::serve_logged(command)
    };
    let config = common::config(dir.path(), None);
    let forms = forms_fn::app::load(&forms_fn::Config {
        site_dir: Some(site.clone()),
        outbox_dir: dir.path().join("checker"),
        ..config
    })
    .expect("forms")
    .forms;
    let form = &forms["informasi-publik"];

    // Trusting the private authority: delivered over TLS.
    let (_server, port, _) = run(Some(&ca), &dir.path().join("outbox-tls"));
    let reference = common::submit(port, form);
    common::wait_until_sent(&dir.path().join("outbox-tls"), &reference);
    assert_eq!(
        common::desk_messages_for(&maildir, &reference),
        1,
        "delivered over STARTTLS"
    );

    // Not trusting it: the certificate is refused, nothing is sent, the record waits.
    let outbox = dir.path().join("outbox-untrusted");
    let (_server, port, log) = run(None, &outbox);
    let reference = common::submit(port, form);
    common::wait_for_line(&log, &["delivery", &reference, "pending_mail"]);
    assert_eq!(
        common::desk_messages_for(&maildir, &reference),
        0,
        "an untrusted certificate must stop the mail"
    );
    let pending = forms_fn::outbox::Outbox::open(&outbox)
        .expect("outbox")
        .pending_records()
        .expect("pending");
    assert_eq!(pending.len(), 1, "kept for resending");
}

#[test]
fn the_scheduled_mode_delivers_what_is_pending_under_the_lambda_runtime() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = common::site_with_desks(dir.path());
    let outbox = dir.path().join("outbox");
    let maildir = dir.path().join("maildir");
    let smtp_port = common::free_port();
    // A submission made while the mail server is down.
    let reference = {
        let (_server, port) = common::serve(&site, &outbox, smtp_port);
        let config = common::config(dir.path(), None);
        let app = forms_fn::app::load(&forms_fn::Config {
            site_dir: Some(site.clone()),
            outbox_dir: dir.path().join("checker"),
            ..config
        })
        .expect("app");
        common::submit(port, &app.forms["pengaduan"])
    };
    // Made ten minutes ago: the schedule leaves fresh records to the request that took them.
    let store = forms_fn::outbox::Outbox::open(&outbox).expect("outbox");
    let mut record = store.load(&reference).expect("pending");
    record.received_at -= 600;
    store.save(&record).expect("saved");
    let _smtp = common::smtp_server(smtp_port, &maildir);
    let emulator = lambda_mode("scheduled", &site, &outbox, smtp_port);
    // What an EventBridge schedule delivers, through the emulator's invoke API.
    let event = br#"{"version":"0","id":"53dc4d37","detail-type":"Scheduled Event","source":"aws.events","time":"2026-11-28T02:00:00Z","region":"ap-southeast-3","resources":["arn:aws:events:ap-southeast-3:123456789012:rule/kirim-ulang"],"detail":{}}"#;
    let (status, body) = common::post(
        emulator.port,
        "/2015-03-31/functions/_/invocations",
        "application/json",
        event,
    );
    assert_eq!(status, 200, "{body}");
    let summary: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(summary["delivered"], 1, "{summary}");
    assert_eq!(summary["oldest_pending_secs"], 0, "nothing left waiting");
    assert_eq!(common::desk_messages_for(&maildir, &reference), 1);
}
