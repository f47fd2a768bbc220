//! Helpers shared by the form function's tests: the portal's own form definitions, answers
//! that pass them, and an app writing to a temporary folder.
#![allow(dead_code, unused_imports)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use forms_fn::{App, Config};
use forms_model::calendar::{Clock, Day};
use forms_model::render::HASH_FIELD;
use forms_model::schema::{self, Field, FieldType, Form};
use mail_parser::MessageParser;

pub mod requests;
pub mod tracked;

/// The repository's site folder (its `content/forms/` are the real definitions).
pub fn site_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A fixed "today" (a Thursday) so dates in answers are stable.
pub fn today() -> Day {
    Day::parse("2026-02-12").expect("valid")
}

/// A clock fixed at noon (WITA) of [`today`].
pub fn clock() -> Clock {
    Clock::new(|| today().noon_secs())
}

pub fn config(dir: &Path, smtp_url: Option<String>) -> Config {
    Config {
        site_dir: Some(site_dir()),
        outbox_dir: dir.join("outbox"),
        outbox_bucket: None,
        mail_dir: dir.join("mail"),
        smtp_url,
        smtp_url_secret: None,
        smtp_ca_file: None,
        mail_from: "Formulir KPU Provinsi NTB <formulir@kpu-ntb.example>".into(),
        stylesheet: None,
        allowed_origins: Vec::new(),
        admin_email: Some("admin@kpu-ntb.example".into()),
        link_secret: None,
        link_secret_secret: None,
        requests_table: None,
        dynamodb_endpoint: None,
        retention_days: None,
        limits: forms_fn::guard::Limits::default(),
    }
}

pub fn app(dir: &Path) -> App {
    let mut app = forms_fn::app::load(&config(dir, None)).expect("app loads");
    app.clock = clock();
    app
}

/// A small but real PDF's first bytes: enough for the type check.
pub const PDF: &[u8] = b"%PDF-1.4\n% lampiran uji\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

/// One valid answer for `field` under `name`, as (name, value) pairs and files.
fn answer(
    form: &Form,
    field: &Field,
    name: &str,
    today: Day,
    fields: &mut Vec<(String, String)>,
    files: &mut Vec<(String, Vec<u8>)>,
) {
    let value = match field.kind {
        FieldType::Text => {
            // A fixed-length number (such as a family card number) or a short text.
            let text = if field.min_length.is_some() && field.min_length == field.max_length {
                "5271011203900123".to_string()
            } else {
                format!("Uji-{}", field.label.replace(' ', "-"))
            };
            let len = field
                .max_length
                .unwrap_or(24)
                .min(24)
                .max(field.min_length.unwrap_or(0));
            text.chars().cycle().take(len).collect::<String>()
        }
        FieldType::Textarea => {
            "Uraian uji yang cukup panjang untuk memenuhi batas paling sedikit tiga puluh huruf."
                .to_string()
        }
        FieldType::Email => "warga@contoh.id".to_string(),
        FieldType::Phone => "0812-3456-7890".to_string(),
        FieldType::Nik => "5201014101900001".to_string(),
        FieldType::Date => {
            let mut day = today;
            if let Some(n) = field.min_days_ahead {
                day = day.plus_days(i64::from(n));
            }
            if field.not_future {
                day = day.plus_days(-400);
            }
            while field.working_day && !day.is_weekday() {
                day = day.plus_days(1);
            }
            day.iso()
        }
        FieldType::Number => field.min.unwrap_or(1).max(1).to_string(),
        FieldType::Choice | FieldType::Multi => {
            // An answer that a routing rule does not turn into guidance.
            let guided = |v: &str| {
                form.routes.iter().any(|r| {
                    r.field == field.name && r.guidance.is_some() && r.equals.iter().any(|e| e == v)
                })
            };
            field
                .options
                .iter()
                .map(|o| o.value.clone())
                .find(|v| !guided(v))
                .expect("an option")
        }
        FieldType::Kabkota => "52.71".to_string(),
        FieldType::Consent => "ya".to_string(),
        FieldType::File => {
            files.push((name.to_string(), PDF.to_vec()));
            return;
        }
        FieldType::Group => {
            for row in 1..=field.min_rows.unwrap_or(1).max(1) {
                for inner in &field.fields {
                    answer(
                        form,
                        inner,
                        &format!("{}-{row}-{}", field.name, inner.name),
                        today,
                        fields,
                        files,
                    );
                }
            }
            return;
        }
    };
    fields.push((name.to_string(), value));
}

/// Text answers as (name, value), and files as (field, bytes).
pub type Answers = (Vec<(String, String)>, Vec<(String, Vec<u8>)>);

/// Answers to every field of `form` that pass validation on the fixed test day.
pub fn valid_answers(form: &Form) -> Answers {
    valid_answers_on(form, today())
}

/// Answers to every field of `form` that pass validation on `day`, with the form's hash.
pub fn valid_answers_on(form: &Form, day: Day) -> Answers {
    let mut fields = vec![(HASH_FIELD.to_string(), form.hash.clone())];
    let mut files = Vec::new();
    for field in &form.fields {
        answer(form, field, &field.name, day, &mut fields, &mut files);
    }
    (fields, files)
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn urlencoded(fields: &[(String, String)]) -> Vec<u8> {
    fields
        .iter()
        .map(|(n, v)| format!("{}={}", encode(n), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

pub const BOUNDARY: &str = "----batas-uji-7MA4YWxkTrZu0gW";

pub fn multipart(fields: &[(String, String)], files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .bytes(),
        );
    }
    for (name, bytes) in files {
        body.extend(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"surat {name}.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").bytes());
        body.extend(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{BOUNDARY}--\r\n").bytes());
    body
}

/// Every `.eml` written to `dir`, parsed.
pub fn mails(dir: &Path) -> Vec<Vec<u8>> {
    let mut mails: Vec<_> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "eml"))
                .collect()
        })
        .unwrap_or_default();
    mails.sort();
    mails
        .into_iter()
        .map(|p| std::fs::read(p).expect("read mail"))
        .collect()
}

/// A copy of the site's forms with real desk addresses (the repo's are still placeholders).
pub fn site_with_desks(dir: &Path) -> PathBuf {
    let site = dir.join("site");
    // The definitions and the lists of options they read.
    for folder in [schema::FORMS_DIR, schema::LISTS_DIR] {
        std::fs::create_dir_all(site.join(folder)).expect("mkdir");
        for entry in std::fs::read_dir(site_dir().join(folder)).expect("forms") {
            let path = entry.expect("entry").path();
            if path.is_file() {
                std::fs::copy(
                    &path,
                    site.join(folder).join(path.file_name().expect("name")),
                )
                .expect("copy");
            }
        }
    }
    let desks = [
        "ppid",
        "pengaduan",
        "wbs",
        "teknis",
        "sosdiklih",
        "sdm",
        "data",
    ]
    .iter()
    .map(|d| d.to_string())
    .chain(
        forms_model::schema::KAB_KOTA
            .iter()
            .map(|(code, _)| format!("data-{}", code.replace('.', "-"))),
    )
    .map(|d| format!("    {d}: meja-{d}@kpu-ntb.example\n"))
    .collect::<String>();
    std::fs::write(
        site.join("content/site.yaml"),
        format!("title: Uji\nbase_url: https://kpu-ntb.example/\nforms:\n  desks:\n{desks}"),
    )
    .expect("site.yaml");
    site
}

pub use test_support::{Process, free_port, python_with, wait_for_port};

/// The Python that has aiosmtpd.
pub fn python() -> String {
    python_with("aiosmtpd")
}

pub fn smtp_server(port: u16, maildir: &Path) -> Process {
    test_support::servers::smtp_server(port, maildir, &[])
}

/// aiosmtpd on `port`, storing a Maildir, with extra options (`--tlscert`...).
pub fn smtp_server_with(port: u16, maildir: &Path, options: &[&str]) -> Process {
    test_support::servers::smtp_server(port, maildir, options)
}

/// The `forms-fn` binary with `args` and the settings of a test site.
pub fn forms_fn(args: &[&str], site: &Path, outbox: &Path, smtp_port: u16) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_forms-fn"));
    command
        .args(args)
        .env("SITE_DIR", site)
        .env("OUTBOX_DIR", outbox)
        .env("SMTP_URL", format!("smtp://127.0.0.1:{smtp_port}"))
        .env(
            "MAIL_FROM",
            "Formulir KPU Provinsi NTB <formulir@kpu-ntb.example>",
        );
    command
}

/// `command` talking to AWS-protocol test servers on loopback: test credentials and
/// region, and nothing read from this machine's AWS settings.
pub fn aws_test_env(command: &mut Command, dir: &Path) {
    command
        .env("AWS_ACCESS_KEY_ID", "uji")
        .env("AWS_SECRET_ACCESS_KEY", "uji")
        .env("AWS_REGION", "ap-southeast-3")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", dir.join("no-aws-config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.join("no-aws-credentials"),
        )
        .env_remove("AWS_PROFILE");
}

pub fn serve(site: &Path, outbox: &Path, smtp_port: u16) -> (Process, u16) {
    serve_with(forms_fn(&[], site, outbox, smtp_port))
}

/// `forms-fn serve` run by `command` (settings in its environment) on a free port, once it
/// listens.
pub fn serve_with(command: Command) -> (Process, u16) {
    let (process, port, _) = serve_logged(command);
    (process, port)
}

/// What a server has logged so far, line by line.
pub type Log = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

/// [`serve_with`], keeping the server's log.
pub fn serve_logged(mut command: Command) -> (Process, u16, Log) {
    let port = free_port();
    let mut child = command
        .args(["serve", "--port", &port.to_string()])
        .stderr(Stdio::piped())
        .spawn()
        .expect("forms-fn starts");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    loop {
        let line = lines.next().expect("forms-fn said nothing").expect("line");
        if line.contains("listening on") {
            break;
        }
    }
    // Keep reading its log so it never blocks on a full pipe.
    let log = Log::default();
    let keep = std::sync::Arc::clone(&log);
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            keep.lock().expect("log").push(line);
        }
    });
    (Process(child), port, log)
}

/// Waits (at most 20 s) for a line of `log` that contains every one of `parts`.
pub fn wait_for_line(log: &Log, parts: &[&str]) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if log
            .lock()
            .expect("log")
            .iter()
            .any(|line| parts.iter().all(|p| line.contains(p)))
        {
            return;
        }
        assert!(Instant::now() < deadline, "no log line with {parts:?}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Posts `body` as the site's own page would (JSON answers asked for); the status and
/// the body, reduced to its JSON object.
pub fn post(port: u16, path: &str, content_type: &str, body: &[u8]) -> (u16, String) {
    let answer = test_support::http::exchange(
        port,
        "POST",
        path,
        &[
            "Origin: https://kpu-ntb.example",
            &format!("Content-Type: {content_type}"),
            "Accept: application/json",
        ],
        body,
        Duration::from_secs(30),
    )
    .expect("an answer");
    let body = answer.body;
    // The Lambda emulator answers with chunked encoding: keep only the JSON object.
    let body = match (body.find('{'), body.rfind('}')) {
        (Some(a), Some(b)) if a < b => body[a..=b].to_string(),
        _ => body,
    };
    (answer.status, body)
}

pub fn submit(port: u16, form: &forms_model::schema::Form) -> String {
    submit_at(port, "", form)
}

/// Submits valid answers to `{prefix}/{id}` and returns the reference.
pub fn submit_at(port: u16, prefix: &str, form: &forms_model::schema::Form) -> String {
    // The server's clock is the real one.
    let (fields, files) = valid_answers_on(form, Day::today());
    let (content_type, body) = if files.is_empty() {
        (
            "application/x-www-form-urlencoded".to_string(),
            urlencoded(&fields),
        )
    } else {
        (
            format!("multipart/form-data; boundary={}", BOUNDARY),
            multipart(&fields, &files),
        )
    };
    let (status, body) = post(port, &format!("{prefix}/{}", form.id), &content_type, &body);
    assert_eq!(status, 200, "{}: {body}", form.id);
    let answer: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    answer["reference"].as_str().expect("reference").to_string()
}

/// Every message in the Maildir.
pub fn received(maildir: &Path) -> Vec<Vec<u8>> {
    ["new", "cur"]
        .iter()
        .filter_map(|d| std::fs::read_dir(maildir.join(d)).ok())
        .flatten()
        .filter_map(|e| e.ok())
        .map(|e| std::fs::read(e.path()).expect("read"))
        .collect()
}

pub fn desk_messages_for(maildir: &Path, reference: &str) -> usize {
    received(maildir)
        .iter()
        .filter_map(|m| MessageParser::default().parse(m))
        .filter(|m| {
            m.subject().is_some_and(|s| {
                s.starts_with(&format!("[{reference}]")) && !s.contains("sudah kami terima")
            })
        })
        .count()
}

/// Waits (at most 20 s) until the record `reference` in the outbox folder has all its mail
/// delivered.
pub fn wait_until_sent(outbox: &Path, reference: &str) {
    let sent = outbox.join("sent").join(format!("{reference}.json"));
    let deadline = Instant::now() + Duration::from_secs(20);
    while !sent.exists() {
        assert!(Instant::now() < deadline, "{reference} was not delivered");
        std::thread::sleep(Duration::from_millis(10));
    }
}
