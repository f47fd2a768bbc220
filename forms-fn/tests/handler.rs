//! The handler, fed the JSON events Lambda delivers (API Gateway HTTP API / Function URL,
//! payload version 2.0), parsed by lambda_http as in production. Mail goes to `.eml` files.

mod common;

use base64::Engine as _;
use forms_fn::handle;
use http::Request;
use mail_parser::MessageParser;
use serde_json::json;

/// A v2.0 event, as an HTTP API or a Function URL delivers it.
fn event(
    method: &str,
    path: &str,
    content_type: &str,
    accept: &str,
    body: &[u8],
) -> Request<Vec<u8>> {
    let event = json!({
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {
            "content-type": content_type,
            "accept": accept,
            "origin": "https://kpu-ntb.example",
            "user-agent": "Mozilla/5.0 (Linux; Android 10)",
            "x-forwarded-for": "203.0.113.7"
        },
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "a1b2c3d4e5",
            "domainName": "a1b2c3d4e5.lambda-url.ap-southeast-3.on.aws",
            "domainPrefix": "a1b2c3d4e5",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.7",
                "userAgent": "Mozilla/5.0 (Linux; Android 10)"
            },
            "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
            "routeKey": "$default",
            "stage": "$default",
            "time": "12/Feb/2026:02:00:00 +0000",
            "timeEpoch": 1_770_861_600_000_u64
        },
        "body": base64::engine::general_purpose::STANDARD.encode(body),
        "isBase64Encoded": true
    });
    let request =
        lambda_http::request::from_str(&event.to_string()).expect("lambda_http parses the event");
    let (parts, body) = request.into_parts();
    Request::from_parts(parts, body.as_ref().to_vec())
}

fn json_body(response: &http::Response<Vec<u8>>) -> serde_json::Value {
    serde_json::from_slice(response.body()).expect("JSON")
}

#[test]
fn an_urlencoded_request_is_recorded_mailed_and_answered_with_its_reference() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    let form = &app.forms["informasi-publik"];
    let (fields, _) = common::valid_answers(form);
    let request = event(
        "POST",
        "/informasi-publik",
        "application/x-www-form-urlencoded",
        "application/json",
        &common::urlencoded(&fields),
    );
    let response = handle(&app, &request);
    assert_eq!(
        response.status(),
        200,
        "{}",
        String::from_utf8_lossy(response.body())
    );
    let answer = json_body(&response);
    let reference = answer["reference"].as_str().expect("reference");
    assert!(
        reference.starts_with("INF-") && reference.len() == 13,
        "{reference}"
    );
    assert_eq!(
        answer["answer_by"], "2026-02-26",
        "10 working days after 12 February 2026"
    );
    assert!(
        app.outbox.is_sent(reference).expect("outbox"),
        "recorded and marked sent"
    );

    let mails = common::mails(&dir.path().join("mail"));
    assert_eq!(
        mails.len(),
        2,
        "one to the desk, one confirmation to the citizen"
    );
    let parsed: Vec<_> = mails
        .iter()
        .map(|m| MessageParser::default().parse(m).expect("mail"))
        .collect();
    let desk = parsed
        .iter()
        .find(|m| {
            m.to().and_then(|t| t.first()).and_then(|a| a.address())
                == Some("meja-ppid@contoh.invalid")
        })
        .expect("desk mail");
    assert_eq!(
        desk.subject(),
        Some(format!("[{reference}] {}", form.title).as_str())
    );
    assert_eq!(
        desk.reply_to()
            .and_then(|r| r.first())
            .and_then(|a| a.address()),
        Some("warga@contoh.id")
    );
    let text = desk.body_text(0).expect("text part");
    for field in form
        .fields
        .iter()
        .filter(|f| f.kind != forms_model::schema::FieldType::Group)
    {
        assert!(
            text.contains(&format!("{}:", field.label)),
            "the desk mail lacks `{}`",
            field.label
        );
    }
    assert!(text.contains("+6281234567890"), "phone normalised");
    let citizen = parsed
        .iter()
        .find(|m| {
            m.to().and_then(|t| t.first()).and_then(|a| a.address()) == Some("warga@contoh.id")
        })
        .expect("confirmation");
    assert_eq!(
        citizen.subject(),
        Some(format!("[{reference}] Kiriman Anda sudah kami terima").as_str())
    );
    let confirmation = citizen.body_text(0).expect("text");
    assert!(confirmation.contains(reference) && confirmation.contains("26 Februari 2026"));
    assert!(
        !confirmation.contains("Uraian uji"),
        "no echo of the citizen's text"
    );
}

#[test]
fn a_multipart_request_with_an_attachment_reaches_the_desk_with_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    let form = &app.forms["magang"];
    let (fields, files) = common::valid_answers(form);
    assert!(!files.is_empty(), "magang asks for a cover letter");
    let content_type = format!("multipart/form-data; boundary={}", common::BOUNDARY);
    let response = handle(
        &app,
        &event(
            "POST",
            "/magang",
            &content_type,
            "text/html",
            &common::multipart(&fields, &files),
        ),
    );
    assert_eq!(
        response.status(),
        200,
        "{}",
        String::from_utf8_lossy(response.body())
    );
    let html = String::from_utf8_lossy(response.body()).into_owned();
    assert!(
        html.contains("Kiriman Anda sudah kami terima") && html.contains("MAG-"),
        "{html}"
    );
    let mails = common::mails(&dir.path().join("mail"));
    let desk = mails
        .iter()
        .map(|m| MessageParser::default().parse(m).expect("mail"))
        .find(|m| {
            m.to().and_then(|t| t.first()).and_then(|a| a.address())
                == Some("meja-sdm@contoh.invalid")
        })
        .expect("desk mail");
    let attachment = desk.attachments().next().expect("an attachment");
    assert_eq!(attachment.contents(), common::PDF);
    assert!(
        desk.body_text(0)
            .expect("text")
            .contains("Mahasiswa peserta magang 1"),
        "group rows listed"
    );
}

#[test]
fn invalid_answers_get_field_messages_and_keep_the_values() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    let form = &app.forms["pengaduan"];
    let (mut fields, _) = common::valid_answers(form);
    for (name, value) in &mut fields {
        if name == "uraian" {
            *value = "terlalu pendek".into();
        }
        if name == "email" {
            *value = "bukan-surel".into();
        }
    }
    let body = common::urlencoded(&fields);
    let response = handle(
        &app,
        &event(
            "POST",
            "/pengaduan",
            "application/x-www-form-urlencoded",
            "application/json",
            &body,
        ),
    );
    assert_eq!(response.status(), 422);
    let errors = &json_body(&response)["errors"];
    assert!(
        errors["uraian"]
            .as_str()
            .expect("uraian")
            .contains("paling sedikit 30 huruf"),
        "{errors}"
    );
    assert!(
        errors["email"]
            .as_str()
            .expect("email")
            .contains("alamat surel yang benar"),
        "{errors}"
    );

    let response = handle(
        &app,
        &event(
            "POST",
            "/pengaduan",
            "application/x-www-form-urlencoded",
            "text/html",
            &body,
        ),
    );
    assert_eq!(response.status(), 422);
    let html = String::from_utf8_lossy(response.body()).into_owned();
    assert!(
        html.contains("Ada yang perlu diperbaiki") && html.contains("href=\"#f-uraian\""),
        "error summary links to the field"
    );
    assert!(
        html.contains("value=\"bukan-surel\""),
        "the citizen's value is kept"
    );
    assert!(html.contains("aria-invalid=\"true\""));
    assert!(
        common::mails(&dir.path().join("mail")).is_empty()
            && app.outbox.pending_records().expect("outbox").is_empty(),
        "nothing recorded"
    );
}

#[test]
fn a_complaint_for_bawaslu_is_answered_with_guidance_and_not_kept() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    let form = &app.forms["pengaduan"];
    let route = form
        .routes
        .iter()
        .find(|r| r.guidance.is_some())
        .expect("a guidance route");
    let body = common::urlencoded(&[
        (forms_model::render::HASH_FIELD.into(), form.hash.clone()),
        (route.field.clone(), route.equals[0].clone()),
    ]);
    let response = handle(
        &app,
        &event(
            "POST",
            "/pengaduan",
            "application/x-www-form-urlencoded",
            "application/json",
            &body,
        ),
    );
    assert_eq!(response.status(), 200);
    assert_eq!(
        json_body(&response)["guidance"].as_str(),
        route.guidance.as_deref()
    );
    assert!(app.outbox.pending_records().expect("outbox").is_empty());
    assert!(common::mails(&dir.path().join("mail")).is_empty());
}

#[test]
fn bad_requests_get_the_right_status_and_a_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    let form = &app.forms["informasi-publik"];
    let (fields, _) = common::valid_answers(form);
    let good = common::urlencoded(&fields);
    let form_type = "application/x-www-form-urlencoded";
    let cases: Vec<(Request<Vec<u8>>, u16, &str)> = vec![
        (
            event("POST", "/tidak-ada", form_type, "application/json", &good),
            404,
            "tidak ada",
        ),
        (
            event(
                "GET",
                "/informasi-publik",
                form_type,
                "application/json",
                b"",
            ),
            405,
            "POST",
        ),
        (
            event(
                "POST",
                "/informasi-publik",
                "text/plain",
                "application/json",
                &good,
            ),
            415,
            "urlencoded",
        ),
        (
            event(
                "POST",
                "/informasi-publik",
                form_type,
                "application/json",
                b"a=%zz",
            ),
            400,
            "rusak",
        ),
        (
            event(
                "POST",
                "/informasi-publik",
                "multipart/form-data; boundary=X",
                "application/json",
                b"--X\r\nrusak",
            ),
            400,
            "rusak",
        ),
        (
            event(
                "POST",
                "/informasi-publik",
                form_type,
                "application/json",
                &vec![b'a'; 5 * 1024 * 1024],
            ),
            413,
            "terlalu besar",
        ),
        (
            event(
                "POST",
                "/informasi-publik",
                form_type,
                "application/json",
                &String::from_utf8_lossy(&good)
                    .replace(&form.hash, "0000000000000000")
                    .into_bytes(),
            ),
            409,
            "Muat ulang",
        ),
    ];
    for (request, status, words) in cases {
        let response = handle(&app, &request);
        let body = String::from_utf8_lossy(response.body()).into_owned();
        assert_eq!(
            response.status().as_u16(),
            status,
            "{} {}: {body}",
            request.method(),
            request.uri()
        );
        assert!(body.contains(words), "{status}: {body}");
    }
    assert!(app.outbox.pending_records().expect("outbox").is_empty());
}

#[test]
fn without_a_site_folder_the_binary_uses_the_definitions_it_was_built_with() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = forms_fn::Config {
        site_dir: None,
        ..common::config(dir.path(), None)
    };
    let built_in = forms_fn::app::load(&config).expect("built-in definitions load");
    let on_disk = common::app(dir.path());
    assert_eq!(built_in.forms.len(), 8);
    for (id, form) in &on_disk.forms {
        assert_eq!(
            built_in.forms[id].hash, form.hash,
            "{id}: the binary carries the site's own definition"
        );
    }
}

/// A request from `origin` (or none), from the address `ip`.
fn from(origin: Option<&str>, ip: &str, body: &[u8], extra: &[(&str, &str)]) -> Request<Vec<u8>> {
    let mut builder = Request::builder()
        .method("POST")
        .uri("/informasi-publik")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json");
    if let Some(origin) = origin {
        builder = builder.header("origin", origin);
    }
    for (name, value) in extra {
        builder = builder.header(*name, *value);
    }
    let mut request = builder.body(body.to_vec()).expect("request");
    request
        .extensions_mut()
        .insert(forms_fn::guard::ClientIp(ip.to_string()));
    request
}

/// The answers with the applicant's name made unique, so they are not a duplicate.
fn varied(fields: &[(String, String)], n: usize) -> Vec<u8> {
    let fields: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| {
            if k == "nama" {
                (k.clone(), format!("{v} {n}"))
            } else {
                (k.clone(), v.clone())
            }
        })
        .collect();
    common::urlencoded(&fields)
}

/// Posts `fields` from the site's origin, from one address.
fn from_site(app: &forms_fn::App, fields: &[(String, String)]) -> http::Response<Vec<u8>> {
    handle(
        app,
        &from(
            Some("https://kpu-ntb.example"),
            "203.0.113.7",
            &common::urlencoded(fields),
            &[],
        ),
    )
}

fn desk_mails(dir: &std::path::Path) -> usize {
    common::mails(&dir.join("mail"))
        .iter()
        .filter_map(|m| MessageParser::default().parse(m))
        .filter(|m| {
            m.to().and_then(|t| t.first()).and_then(|a| a.address())
                == Some("meja-ppid@contoh.invalid")
        })
        .count()
}

#[test]
fn only_the_sites_own_origin_may_post_and_read_the_answers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    let (fields, _) = common::valid_answers(&app.forms["informasi-publik"]);
    let body = common::urlencoded(&fields);
    for origin in [Some("https://tiruan.example"), None] {
        let response = handle(&app, &from(origin, "203.0.113.7", &body, &[]));
        assert_eq!(response.status(), 403, "{origin:?}");
        assert!(
            response
                .headers()
                .get("access-control-allow-origin")
                .is_none()
        );
    }
    // The function's own pages (the form again, with its errors) post back to it.
    let own = |origin: &str, ip: &str| {
        handle(
            &app,
            &from(
                Some(origin),
                ip,
                &varied(&fields, 1),
                &[("host", "abc123.lambda-url.ap-southeast-3.on.aws")],
            ),
        )
        .status()
    };
    assert_eq!(
        own(
            "https://abc123.lambda-url.ap-southeast-3.on.aws",
            "203.0.113.5"
        ),
        200
    );
    assert_eq!(
        own(
            "https://abc123.lambda-url.ap-southeast-3.on.aws.tiruan.example",
            "203.0.113.6"
        ),
        403
    );
    // A Referer from the site is as good as its Origin.
    let response = handle(
        &app,
        &from(
            None,
            "203.0.113.8",
            &body,
            &[(
                "referer",
                "https://kpu-ntb.example/formulir/informasi-publik/",
            )],
        ),
    );
    assert_eq!(
        response.status(),
        200,
        "{}",
        String::from_utf8_lossy(response.body())
    );
    let mut invalid = body.clone();
    invalid.extend(b"&email=rusak");
    let response = handle(
        &app,
        &from(
            Some("https://kpu-ntb.example"),
            "203.0.113.9",
            &invalid,
            &[],
        ),
    );
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "https://kpu-ntb.example",
        "errors readable by the site's script"
    );

    let preflight = |origin: &str| {
        let request = Request::builder()
            .method("OPTIONS")
            .uri("/informasi-publik")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .body(Vec::new())
            .expect("request");
        handle(&app, &request)
    };
    let allowed = preflight("https://kpu-ntb.example");
    assert_eq!(allowed.status(), 204);
    assert_eq!(allowed.headers()["access-control-allow-methods"], "POST");
    assert_eq!(preflight("https://tiruan.example").status(), 403);
}

#[test]
fn a_source_that_posts_too_often_is_told_when_to_retry() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    let (fields, _) = common::valid_answers(&app.forms["informasi-publik"]);
    for n in 0..app.guard.limits.per_source {
        // Different answers each time, so these are not duplicates.
        let body = varied(&fields, n);
        assert_eq!(
            handle(
                &app,
                &from(Some("https://kpu-ntb.example"), "198.51.100.4", &body, &[])
            )
            .status(),
            200
        );
    }
    let response = handle(
        &app,
        &from(
            Some("https://kpu-ntb.example"),
            "198.51.100.4",
            &common::urlencoded(&fields),
            &[],
        ),
    );
    assert_eq!(response.status(), 429);
    let wait: u64 = response.headers()["retry-after"]
        .to_str()
        .expect("text")
        .parse()
        .expect("seconds");
    assert!(wait > 0 && wait <= 600);
    let other = handle(
        &app,
        &from(
            Some("https://kpu-ntb.example"),
            "198.51.100.5",
            &common::urlencoded(&fields),
            &[],
        ),
    );
    assert_eq!(other.status(), 200, "another source is not held back");
}

#[test]
fn a_filled_honeypot_looks_accepted_but_nothing_is_kept_or_sent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    let (mut fields, _) = common::valid_answers(&app.forms["informasi-publik"]);
    fields.push((
        forms_model::render::HONEYPOT_FIELD.to_string(),
        "https://spam.example".to_string(),
    ));
    let response = from_site(&app, &fields);
    assert_eq!(response.status(), 200);
    assert!(
        json_body(&response)["reference"]
            .as_str()
            .is_some_and(|r| r.starts_with("INF-"))
    );
    assert!(common::mails(&dir.path().join("mail")).is_empty());
    assert!(app.outbox.pending_records().expect("outbox").is_empty());
    assert!(
        std::fs::read_dir(dir.path().join("outbox/sent"))
            .expect("sent")
            .next()
            .is_none()
    );
}

#[test]
fn a_repeated_submission_gets_the_first_reference_and_one_email() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    let (fields, _) = common::valid_answers(&app.forms["informasi-publik"]);
    let body = common::urlencoded(&fields);
    let post = |extra: &[(&str, &str)], body: &[u8]| {
        let response = handle(
            &app,
            &from(Some("https://kpu-ntb.example"), "203.0.113.7", body, extra),
        );
        assert_eq!(response.status(), 200);
        json_body(&response)["reference"]
            .as_str()
            .expect("reference")
            .to_string()
    };
    // Without JavaScript: the same answers twice (a double click, a resubmission).
    let first = post(&[], &body);
    assert_eq!(post(&[], &body), first);
    assert_eq!(desk_mails(dir.path()), 1);
    // With the script: the same key and the same answers (a retry after a lost answer).
    let keyed = post(&[("idempotency-key", "k1")], &varied(&fields, 1));
    assert_ne!(keyed, first, "a new key is a new submission");
    assert_eq!(
        post(&[("idempotency-key", "k1")], &varied(&fields, 1)),
        keyed
    );
    assert_eq!(desk_mails(dir.path()), 2);
}

#[test]
fn fields_the_form_does_not_have_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    let (mut fields, _) = common::valid_answers(&app.forms["informasi-publik"]);
    fields.push(("bcc".to_string(), "lain@contoh.id".to_string()));
    let response = from_site(&app, &fields);
    assert_eq!(response.status(), 400);
    assert!(
        json_body(&response)["error"]
            .as_str()
            .expect("error")
            .contains("`bcc`")
    );
}

#[test]
fn confirmations_to_one_address_are_rate_limited() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    let (fields, _) = common::valid_answers(&app.forms["informasi-publik"]);
    for n in 0..(app.guard.limits.mails_per_address + 2) {
        let body = varied(&fields, n);
        let ip = format!("203.0.113.{}", 10 + n);
        assert_eq!(
            handle(
                &app,
                &from(Some("https://kpu-ntb.example"), &ip, &body, &[])
            )
            .status(),
            200
        );
    }
    let confirmations = common::mails(&dir.path().join("mail"))
        .iter()
        .filter_map(|m| MessageParser::default().parse(m))
        .filter(|m| {
            m.to().and_then(|t| t.first()).and_then(|a| a.address()) == Some("warga@contoh.id")
        })
        .count();
    assert_eq!(confirmations, app.guard.limits.mails_per_address);
    assert_eq!(
        desk_mails(dir.path()),
        app.guard.limits.mails_per_address + 2,
        "every desk mail still goes"
    );
}

/// A JPEG photo with an EXIF block holding a GPS position.
fn photo_with_gps() -> Vec<u8> {
    let segment = |marker: u8, body: &[u8]| {
        let len = (body.len() + 2) as u16;
        [&[0xFF, marker][..], &len.to_be_bytes(), body].concat()
    };
    [
        &[0xFF, 0xD8][..],
        &segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"),
        &segment(
            0xE1,
            b"Exif\0\0MM\0*GPSLatitude S 8 35 GPSLongitude E 116 6",
        ),
        &segment(0xDB, &[0u8; 65]),
        &[
            0xFF, 0xDA, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 0x12, 0x34, 0xFF, 0xD9,
        ],
    ]
    .concat()
}

#[test]
fn a_photo_reaches_the_desk_without_its_exif() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    let form = &app.forms["pengaduan"];
    let (fields, _) = common::valid_answers(form);
    let field = form
        .fields
        .iter()
        .find(|f| f.kind == forms_model::schema::FieldType::File)
        .expect("an attachment field");
    let body = common::multipart(&fields, &[(field.name.clone(), photo_with_gps())]);
    let request = Request::builder()
        .method("POST")
        .uri("/pengaduan")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={}", common::BOUNDARY),
        )
        .header("accept", "application/json")
        .header("origin", "https://kpu-ntb.example")
        .body(body)
        .expect("request");
    let response = handle(&app, &request);
    assert_eq!(
        response.status(),
        200,
        "{}",
        String::from_utf8_lossy(response.body())
    );
    let mails = common::mails(&dir.path().join("mail"));
    let desk = mails
        .iter()
        .filter_map(|m| MessageParser::default().parse(m))
        .find(|m| m.attachments().next().is_some())
        .expect("the desk mail with the photo");
    let photo = desk
        .attachments()
        .next()
        .expect("attachment")
        .contents()
        .to_vec();
    assert!(
        photo.starts_with(&[0xFF, 0xD8]) && photo.ends_with(&[0xFF, 0xD9]),
        "still a JPEG"
    );
    let text = String::from_utf8_lossy(&photo);
    assert!(
        !text.contains("Exif") && !text.contains("GPS"),
        "metadata removed"
    );
    let stored = std::fs::read_dir(dir.path().join("outbox/sent"))
        .expect("sent")
        .next()
        .expect("record")
        .expect("entry")
        .path();
    assert!(
        !std::fs::read_to_string(stored)
            .expect("record")
            .contains("R1BT"),
        "not in the outbox either (base64 of GPS)"
    );
}

#[test]
fn the_scheduled_resend_backs_off_alerts_after_five_failures_and_never_deletes() {
    use forms_fn::mailer::Mailer;
    use forms_fn::resend::{self, ALERT_AFTER, backoff};

    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = common::app(dir.path());
    // A mail server that is not there: every send fails.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    app.mailer = Mailer::smtp(&format!("smtp://127.0.0.1:{closed}"), None).expect("mailer");
    let (fields, _) = common::valid_answers(&app.forms["informasi-publik"]);
    let response = from_site(&app, &fields);
    assert_eq!(response.status(), 200, "recorded, and the citizen told so");
    let reference = json_body(&response)["reference"]
        .as_str()
        .expect("reference")
        .to_string();

    // In its first minutes a record belongs to the request that took it.
    let received = app.outbox.load(&reference).expect("pending").received_at;
    let fresh = resend::run(&app, received + 60, true).expect("runs");
    assert_eq!(
        (fresh.waiting, fresh.pending),
        (1, 0),
        "left to its request"
    );

    let mut now = 1_800_000_000;
    for attempt in 1..=ALERT_AFTER + 1 {
        let summary = resend::run(&app, now, true).expect("runs");
        assert_eq!(
            (summary.delivered, summary.pending),
            (0, 1),
            "attempt {attempt}"
        );
        assert_eq!(
            summary.alerted,
            usize::from(attempt == ALERT_AFTER),
            "alert exactly once, at attempt {ALERT_AFTER}"
        );
        let record = app.outbox.load(&reference).expect("still in the outbox");
        assert_eq!(record.attempts, attempt);
        assert_eq!(record.next_attempt, now + backoff(attempt));
        // Before its time, a record is left alone.
        let early = resend::run(&app, now + backoff(attempt) - 1, true).expect("runs");
        assert_eq!((early.waiting, early.pending), (1, 0));
        now += backoff(attempt);
    }

    // The mail server is back (here: the local folder); the next run delivers it.
    app.mailer = Mailer::files(&dir.path().join("mail")).expect("mailer");
    let summary = resend::run(&app, now, true).expect("runs");
    assert_eq!(summary.delivered, 1);
    assert!(app.outbox.is_sent(&reference).expect("outbox"));
}

#[test]
fn only_the_voter_data_form_asks_for_a_nik() {
    // Data minimisation: the kab/kota desk needs a voter's NIK whole to find the record; no
    // other service needs one, so no other form may ask for it.
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    for (id, form) in &app.forms {
        let asks = form
            .fields
            .iter()
            .chain(form.fields.iter().flat_map(|f| f.fields.iter()))
            .any(|f| f.kind == forms_model::schema::FieldType::Nik);
        assert_eq!(asks, id == "data-pemilih", "{id}");
    }
}

#[test]
fn answers_follow_the_language_of_the_form_page() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    let form = &app.forms["pengaduan"];
    let (mut fields, _) = common::valid_answers(form);
    fields.push(("_bahasa".into(), "en".into()));
    let valid = common::urlencoded(&fields);
    for (name, value) in &mut fields {
        if name == "uraian" {
            *value = "terlalu pendek".into();
        }
        if name == "email" {
            *value = "bukan-surel".into();
        }
    }
    let invalid = common::urlencoded(&fields);
    // English form pages post to `{endpoint}/en/{id}`.
    let post = |body: &[u8], accept: &str| {
        handle(
            &app,
            &event(
                "POST",
                "/en/pengaduan",
                "application/x-www-form-urlencoded",
                accept,
                body,
            ),
        )
    };

    let response = post(&invalid, "application/json");
    assert_eq!(response.status(), 422);
    let errors = &json_body(&response)["errors"];
    assert!(
        errors["uraian"]
            .as_str()
            .expect("uraian")
            .contains("is too short: write at least 30 characters"),
        "{errors}"
    );
    assert!(
        errors["email"]
            .as_str()
            .expect("email")
            .starts_with("Write a valid email address")
    );

    // Without JavaScript: the page, the form again and its labels around the definition's.
    let html = String::from_utf8_lossy(post(&invalid, "text/html").body()).into_owned();
    assert!(html.contains("<html lang=\"en\">"));
    assert!(
        html.contains("<h2>Some answers need correcting</h2>"),
        "{html}"
    );
    assert!(html.contains("(required)") && !html.contains("(wajib)"));
    assert!(
        html.contains("name=\"_bahasa\" value=\"en\""),
        "the next try stays English"
    );
    assert!(html.contains(">Send</button>"));

    let response = post(&valid, "text/html");
    assert_eq!(response.status(), 200);
    let html = String::from_utf8_lossy(response.body()).into_owned();
    assert!(
        html.contains("<h1>We have received your submission</h1>"),
        "{html}"
    );
    // The complaints standard sets no time limit yet: the receipt promises no date.
    assert!(html.contains("so we do not promise a date"), "{html}");

    // Refused before its fields are read: the address still says which language.
    let big = vec![b'a'; 5 * 1024 * 1024];
    let form_type = "application/x-www-form-urlencoded";
    for (method, path, body, status, words) in [
        (
            "POST",
            "/en/pengaduan",
            &big[..],
            413,
            "The submission is too large: a submission can be",
        ),
        (
            "POST",
            "/pengaduan",
            &big[..],
            413,
            "Kiriman terlalu besar: kiriman paling besar",
        ),
        (
            "GET",
            "/en/pengaduan",
            &b""[..],
            405,
            "This form only accepts submissions (POST).",
        ),
        (
            "POST",
            "/en/tidak-ada",
            &valid[..],
            404,
            "This form does not exist.",
        ),
    ] {
        let response = handle(&app, &event(method, path, form_type, "text/html", body));
        let html = String::from_utf8_lossy(response.body()).into_owned();
        assert_eq!(response.status().as_u16(), status, "{path}");
        assert!(html.contains(words), "{path}: {html}");
        let lang = if path.starts_with("/en/") { "en" } else { "id" };
        assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{path}");
    }
    // The desk still reads Indonesian.
    let mails = common::mails(&dir.path().join("mail"));
    assert!(!mails.is_empty());
    let title = form.title.clone();
    assert!(
        mails
            .iter()
            .map(|m| String::from_utf8_lossy(m).into_owned())
            .any(|m| m.contains(&title) && !m.contains("We have received")),
        "desk mail in Indonesian"
    );
}
