//! What a citizen sends stays out of logs, URLs and headers. (The only test in this file:
//! it installs a log subscriber, and tracing's per-callsite caches are shared by the
//! tests of one process.)

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

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

#[test]
fn no_submitted_value_reaches_a_log_line_a_url_or_a_header() {
    let log = Captured::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
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
                let html = String::from_utf8_lossy(response.body()).into_owned();
                for secret in &secrets {
                    for (name, value) in response.headers() {
                        if value.to_str().unwrap_or_default().contains(secret.as_str()) {
                            leaks.push(format!("{}: header {name}", form.id));
                        }
                    }
                    // URLs in the answer (links, the form's action).
                    for attribute in ["href=\"", "action=\"", "src=\""] {
                        for part in html.split(attribute).skip(1) {
                            let url = part.split('"').next().unwrap_or_default();
                            if url.contains(secret.as_str())
                                || url.contains(&secret.replace(' ', "+"))
                            {
                                leaks.push(format!("{}: URL {url}", form.id));
                            }
                        }
                    }
                }
            }
            let logs = String::from_utf8_lossy(&log.0.lock().expect("lock")).into_owned();
            for secret in &secrets {
                if logs.contains(secret.as_str()) {
                    leaks.push(format!("{}: log carries `{secret}`", form.id));
                }
            }
        }
    });
    let logs = String::from_utf8_lossy(&log.0.lock().expect("lock")).into_owned();
    assert!(
        logs.contains("\"outcome\":\"delivered\""),
        "the log did record the outcomes: {logs}"
    );
    assert!(logs.contains("\"reference\":"), "with references");
    assert!(leaks.is_empty(), "{leaks:#?}");
}
