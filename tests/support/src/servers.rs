//! The real servers tests talk to, on loopback.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::process::{Process, free_port, python_with, wait_for_port};

/// aiosmtpd on `port`, storing what it receives in the Maildir `maildir`, with extra
/// options (`--tlscert`...).
pub fn smtp_server(port: u16, maildir: &Path, options: &[&str]) -> Process {
    let child = Command::new(python_with("aiosmtpd"))
        .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
        .args(options)
        .args(["-c", "aiosmtpd.handlers.Mailbox"])
        .arg(maildir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("aiosmtpd starts");
    wait_for_port(port);
    Process(child)
}

/// moto's S3 server on `port` (a free one when `None`), empty, once it listens.
pub fn s3_server(port: Option<u16>) -> (Process, u16) {
    let port = port.unwrap_or_else(free_port);
    let server = moto(
        port,
        &[
            "-m",
            "moto.server",
            "-H",
            "127.0.0.1",
            "-p",
            &port.to_string(),
        ],
    );
    (server, port)
}

/// moto's server for DynamoDB, answering one request at a time. A real table applies a
/// conditional write (`version = :seen`) atomically; moto's threaded server checks the
/// condition and writes in two steps, so under load two writers could both pass it and
/// one change would be lost by the emulator, not by the code under test.
pub fn dynamodb_server() -> (Process, u16) {
    let port = free_port();
    let server = moto(
        port,
        &[
            "-c",
            "import sys\n\
             from werkzeug.serving import run_simple\n\
             from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app\n\
             run_simple('127.0.0.1', int(sys.argv[1]), DomainDispatcherApplication(create_backend_app), threaded=False)\n",
            &port.to_string(),
        ],
    );
    (server, port)
}

/// Python with moto, run with `args`, once it listens on `port`.
fn moto(port: u16, args: &[&str]) -> Process {
    let child = Command::new(python_with("moto.server"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("moto starts");
    let server = Process(child);
    wait_for_port(port);
    server
}
