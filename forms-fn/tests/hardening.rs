//! What the function's pages may load and do, the files it keeps, and a mail relay that
//! refuses: the defences beyond the request itself.

mod common;

use std::path::Path;

use common::requests::{json, json_body as body_json, post};
use forms_fn::handle;
use forms_fn::outbox::Unsent;

#[test]
fn the_functions_pages_forbid_framing_sniffing_and_foreign_resources() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    let (fields, _) = common::valid_answers(&app.forms["informasi-publik"]);
    let answers = [
        handle(
            &app,
            &post(
                "/informasi-publik",
                "203.0.113.7",
                "application/x-www-form-urlencoded",
                common::urlencoded(&fields),
                &[],
            ),
        ),
        handle(
            &app,
            &post(
                "/informasi-publik",
                "203.0.113.7",
                "application/x-www-form-urlencoded",
                b"nama=".to_vec(),
                &[],
            ),
        ),
        handle(
            &app,
            &post("/tidak-ada", "203.0.113.7", "text/plain", Vec::new(), &[]),
        ),
    ];
    for answer in &answers {
        let header = |name: &str| {
            answer
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        let csp = header("content-security-policy");
        for directive in [
            "default-src 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
            "base-uri 'none'",
        ] {
            assert!(
                csp.contains(directive),
                "{} lacks {directive}: {csp}",
                answer.status()
            );
        }
        assert!(!csp.contains("script-src"), "no scripts: {csp}");
        assert_eq!(header("x-content-type-options"), "nosniff");
        assert_eq!(header("x-frame-options"), "DENY");
    }
}

#[cfg(unix)]
#[test]
fn mail_and_outbox_files_are_the_services_own() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    let (fields, _) = common::valid_answers(&app.forms["informasi-publik"]);
    assert_eq!(handle(&app, &json(&fields, "203.0.113.7")).status(), 200);
    let mode = |p: &Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
    for folder in ["mail", "outbox", "outbox/pending", "outbox/sent"] {
        assert_eq!(mode(&dir.path().join(folder)), 0o700, "{folder}");
    }
    let mails: Vec<_> = std::fs::read_dir(dir.path().join("mail"))
        .expect("mail")
        .filter_map(|e| e.ok())
        .collect();
    let records: Vec<_> = std::fs::read_dir(dir.path().join("outbox/sent"))
        .expect("sent")
        .filter_map(|e| e.ok())
        .collect();
    assert_eq!((mails.len(), records.len()), (2, 1));
    for file in mails.iter().chain(&records) {
        assert_eq!(mode(&file.path()), 0o600, "{}", file.path().display());
    }
}

/// A real SMTP server (aiosmtpd) that refuses for good (550) every recipient whose address
/// starts with `tolak` and accepts the rest.
fn refusing_smtp_server(port: u16) -> common::Process {
    let script = r#"
import sys, threading
from aiosmtpd.controller import Controller
class Refusing:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith('tolak'):
            return '550 5.1.1 mailbox unavailable'
        envelope.rcpt_tos.append(address)
        return '250 OK'
    async def handle_DATA(self, server, session, envelope):
        return '250 OK'
Controller(Refusing(), hostname='127.0.0.1', port=int(sys.argv[1])).start()
threading.Event().wait()
"#;
    let child = std::process::Command::new(common::python())
        .args(["-c", script, &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("aiosmtpd starts");
    common::wait_for_port(port);
    common::Process(child)
}

#[test]
fn a_confirmation_refused_with_550_is_final_and_a_refused_desk_mail_stays_pending() {
    let dir = tempfile::tempdir().expect("temp dir");
    let port = common::free_port();
    let _smtp = refusing_smtp_server(port);
    let mut config = common::config(dir.path(), Some(format!("smtp://127.0.0.1:{port}")));
    config.site_dir = Some(common::site_with_desks(dir.path()));
    let mut app = forms_fn::app::load(&config).expect("app");
    app.clock = common::clock();
    let (mut fields, _) = common::valid_answers(&app.forms["informasi-publik"]);
    for (name, value) in &mut fields {
        if name == "email" {
            *value = "tolak@contoh.id".into();
        }
    }
    let response = handle(&app, &json(&fields, "203.0.113.7"));
    let reference = body_json(&response)["reference"]
        .as_str()
        .expect("reference")
        .to_string();
    let record = app.outbox.load_sent(&reference).expect("left the queue");
    assert!(record.desk_sent);
    assert_eq!(record.confirmation_unsent, Some(Unsent::Refused));
    assert!(app.outbox.pending().expect("pending").is_empty());

    // A desk the relay refuses: the submission must still reach it, so it waits.
    app.desks
        .insert("ppid".into(), "tolak-ppid@kpu-ntb.example".into());
    let mut record = record;
    record.reference = "INF-TOLA-KMEJ".into();
    record.desk = "tolak-ppid@kpu-ntb.example".into();
    record.desk_sent = false;
    app.outbox.save(&record).expect("save");
    let summary = forms_fn::resend::run(&app, u64::MAX / 2, true).expect("resend");
    assert_eq!((summary.delivered, summary.pending), (0, 1));
    assert_eq!(
        app.outbox.pending().expect("pending"),
        vec!["INF-TOLA-KMEJ".to_string()]
    );
}
