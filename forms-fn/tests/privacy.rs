//! What a citizen sends stays out of logs, URLs and headers: on submitting, on looking the
//! request up, and while the desk acts on it from its links. (The only test in this file:
//! it installs a log subscriber, and tracing's per-callsite caches are shared by the
//! tests of one process.)

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use forms_fn::handle;
use forms_model::schema::FieldType;
use http::Request;

/// A log sink the test can read.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Text answers, files, and the values that must not leak.
type Marked = (Vec<(String, String)>, Vec<(String, Vec<u8>)>, Vec<String>);

/// Distinctive answers: if any of these shows up in a log line or a URL, it leaked.
fn marked(form: &forms_model::schema::Form) -> Marked {
    let (mut fields, files) = common::valid_answers(form);
    let mut secrets = Vec::new();
    for (name, value) in &mut fields {
        let field = form.fields.iter().find(|f| &f.name == name);
        let free_text =
            field.is_some_and(|f| f.min_length.is_none() && f.max_length.unwrap_or(200) >= 20);
        let secret = match field.map(|f| f.kind) {
            Some(FieldType::Text) if free_text => Some(format!(
                "Rahasia{}",
                &name.chars().take(6).collect::<String>()
            )),
            Some(FieldType::Textarea) => {
                Some("Kisah pribadi pelapor yang tidak boleh tercatat di log apa pun.".to_string())
            }
            Some(FieldType::Email) => Some("siti.rahasia@contoh.id".to_string()),
            Some(FieldType::Phone) => Some("0813 9999 1234".to_string()),
            Some(FieldType::Nik) => Some("5271014506880007".to_string()),
            _ => None,
        };
        if let Some(secret) = secret {
            *value = secret.clone();
            secrets.push(secret);
        }
    }
    secrets.push("+6281399991234".to_string());
    (fields, files, secrets)
}

fn subscriber_to(log: &Captured) -> impl tracing::Subscriber + Send + Sync + 'static {
    let writer = log.clone();
    tracing_subscriber::fmt()
        .json()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish()
}

/// Where `secrets` show up in an answer's headers and URLs.
fn leaks_in(what: &str, response: &http::Response<Vec<u8>>, secrets: &[String]) -> Vec<String> {
    let html = String::from_utf8_lossy(response.body());
    let mut leaks = Vec::new();
    for secret in secrets {
        for (name, value) in response.headers() {
            if value.to_str().unwrap_or_default().contains(secret.as_str()) {
                leaks.push(format!("{what}: header {name}"));
            }
        }
        for attribute in ["href=\"", "action=\"", "src=\""] {
            for part in html.split(attribute).skip(1) {
                let url = part.split('"').next().unwrap_or_default();
                if url.contains(secret.as_str()) || url.contains(&secret.replace(' ', "+")) {
                    leaks.push(format!("{what}: URL {url}"));
                }
            }
        }
    }
    leaks
}

/// A request submitted, looked up (right, wrong and other-format contacts, JSON and HTML),
/// and acted on from every link in the desk's mail (each opened, one confirmed with a
/// note), then the morning round: where the citizen's values and the desk's note leaked.
fn tracking(dir: &std::path::Path, log: &Captured) -> Vec<String> {
    let mut config = common::config(dir, None);
    config.site_dir = Some(common::site_with_desks(dir));
    let mut app = forms_fn::app::load(&config).expect("app loads");
    app.clock = common::clock();
    let form = &app.forms["informasi-publik"];
    let (fields, _, mut secrets) = marked(form);
    let answer = common::requests::from_site(&app, &fields);
    assert_eq!(answer.status(), 200, "{}", common::requests::text(&answer));
    let reference = common::requests::json_body(&answer)["reference"]
        .as_str()
        .expect("reference")
        .to_string();
    let note = "Catatan untuk pemohon: dokumen 7731 siap diambil.";
    secrets.push(note.to_string());
    let mut leaks = leaks_in("receipt", &answer, &secrets);

    let email = secrets
        .iter()
        .find(|s| s.contains('@'))
        .expect("an email")
        .clone();
    for (contact, accept) in [
        (email.as_str(), "application/json"),
        (email.as_str(), "text/html"),
        ("0813 9999 1234", "text/html"),
        ("orang.lain@contoh.id", "text/html"),
    ] {
        let body = common::urlencoded(&[
            ("nomor".to_string(), reference.clone()),
            ("kontak".to_string(), contact.to_string()),
        ]);
        let answer = handle(
            &app,
            &common::requests::post(
                "/status",
                "203.0.113.9",
                "application/x-www-form-urlencoded",
                body,
                &[("accept", accept)],
            ),
        );
        assert!(
            [200, 404].contains(&answer.status().as_u16()),
            "{}",
            answer.status()
        );
        leaks.extend(leaks_in("status", &answer, &secrets));
    }

    let links: Vec<String> = common::mails(&dir.join("mail"))
        .iter()
        .filter_map(|raw| mail_parser::MessageParser::default().parse(raw))
        .filter_map(|m| m.body_text(0).map(|t| t.into_owned()))
        .flat_map(|text| {
            text.split_whitespace()
                .filter_map(|w| {
                    w.split_once("/tautan/")
                        .map(|(_, t)| format!("/tautan/{t}"))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        links.len() >= 4,
        "the desk mail carries its links: {links:?}"
    );
    for link in &links {
        let mut request = Request::builder()
            .method("GET")
            .uri(link)
            .body(Vec::new())
            .expect("request");
        request
            .extensions_mut()
            .insert(forms_fn::guard::ClientIp("198.51.100.20".into()));
        let page = handle(&app, &request);
        assert_eq!(page.status(), 200, "{link}");
        leaks.extend(leaks_in("desk page", &page, &secrets));
    }
    let process = links
        .iter()
        .find(|l| l.contains(".proses."))
        .expect("a process link");
    let body = common::urlencoded(&[("catatan".to_string(), note.to_string())]);
    let step = handle(
        &app,
        &common::requests::post(
            process,
            "198.51.100.20",
            "application/x-www-form-urlencoded",
            body,
            &[],
        ),
    );
    assert_eq!(step.status(), 200, "{}", common::requests::text(&step));
    leaks.extend(leaks_in("desk step", &step, &secrets));
    let store = app.requests.as_ref().expect("a store");
    forms_fn::requests::daily::run(&app, store).expect("the morning round");

    let logs = String::from_utf8_lossy(&log.0.lock().expect("lock")).into_owned();
    for secret in &secrets {
        if logs.contains(secret.as_str()) {
            leaks.push(format!("tracking: log carries `{secret}`"));
        }
    }
    leaks
}

#[test]
fn no_submitted_value_reaches_a_log_line_a_url_or_a_header() {
    let log = Captured::default();
    let subscriber = subscriber_to(&log);
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    let mut leaks = Vec::new();
    tracing::subscriber::with_default(subscriber, || {
        for form in app.forms.values() {
            let (fields, files, secrets) = marked(form);
            // One valid submission and one with an error, in both answer formats.
            let mut broken = fields.clone();
            broken.retain(|(n, _)| n != "persetujuan");
            for (body, accept, expected) in [
                (&fields, "application/json", 200),
                (&broken, "text/html", 422),
            ] {
                let (content_type, bytes) = if files.is_empty() {
                    (
                        "application/x-www-form-urlencoded".to_string(),
                        common::urlencoded(body),
                    )
                } else {
                    (
                        format!("multipart/form-data; boundary={}", common::BOUNDARY),
                        common::multipart(body, &files),
                    )
                };
                let request = Request::builder()
                    .method("POST")
                    .uri(format!("/{}", form.id))
                    .header("content-type", content_type)
                    .header("accept", accept)
                    .header("origin", "https://kpu-ntb.example")
                    .body(bytes)
                    .expect("request");
                let response = forms_fn::handle(&app, &request);
                assert_eq!(
                    response.status().as_u16(),
                    expected,
                    "{}: {}",
                    form.id,
                    String::from_utf8_lossy(response.body())
                );
                leaks.extend(leaks_in(&form.id, &response, &secrets));
            }
            let logs = String::from_utf8_lossy(&log.0.lock().expect("lock")).into_owned();
            for secret in &secrets {
                if logs.contains(secret.as_str()) {
                    leaks.push(format!("{}: log carries `{secret}`", form.id));
                }
            }
        }
    });
    let tracked = tempfile::tempdir().expect("temp dir");
    tracing::subscriber::with_default(subscriber_to(&log), || {
        leaks.extend(tracking(tracked.path(), &log));
    });
    let logs = String::from_utf8_lossy(&log.0.lock().expect("lock")).into_owned();
    assert!(
        logs.contains("\"outcome\":\"step\""),
        "the log did record the desk's step: {logs}"
    );
    assert!(
        logs.contains("\"outcome\":\"delivered\""),
        "the log did record the outcomes: {logs}"
    );
    assert!(logs.contains("\"reference\":"), "with references");
    assert!(leaks.is_empty(), "{leaks:#?}");
}
