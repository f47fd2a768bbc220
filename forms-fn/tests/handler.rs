//! The handler, fed the JSON events Lambda delivers (API Gateway HTTP API / Function URL,
//! payload version 2.0), parsed by lambda_http as in production. Mail goes to `.eml` files.

mod common;

use common::requests::{event, json_body};
use forms_fn::handle;
use http::Request;
use mail_parser::MessageParser;

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
        answer["answer_by"], "2026-03-02",
        "10 working days after Thursday 12 February 2026: the weekends, and 16 and 17 February \
         (collective leave and Chinese New Year in content/hari-libur.yaml) are skipped"
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
    assert!(confirmation.contains(reference) && confirmation.contains("2 Maret 2026"));
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
    assert_eq!(built_in.forms.len(), 9);
    for (id, form) in &on_disk.forms {
        assert_eq!(
            built_in.forms[id].hash, form.hash,
            "{id}: the binary carries the site's own definition"
        );
    }
}
