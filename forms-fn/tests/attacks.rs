//! The attacks on the form function, each as it was made against the endpoint: what a
//! hostile post gets, and that nothing of it is kept or mailed. (Slow clients against the
//! local server are in `slow_clients.rs`.)

mod common;

use std::path::Path;

use common::requests::{json, json_body as body_json, post, text};
use forms_fn::handle;
use forms_fn::outbox::Unsent;
use forms_model::render::HONEYPOT_FIELD;
use http::{Request, Response};
use mail_parser::MessageParser;

fn multipart(path: &str, body: Vec<u8>) -> Request<Vec<u8>> {
    post(
        path,
        "203.0.113.7",
        &format!("multipart/form-data; boundary={}", common::BOUNDARY),
        body,
        &[("accept", "application/json")],
    )
}

fn nothing_kept(app: &forms_fn::App, dir: &Path) {
    assert!(app.outbox.pending().expect("outbox").is_empty(), "recorded");
    assert!(common::mails(&dir.join("mail")).is_empty(), "mailed");
}

/// A multipart part carrying a file under `name`.
fn file_part(name: &str, filename: &str, bytes: &[u8]) -> Vec<u8> {
    let mut part = format!(
        "--{}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: application/pdf\r\n\r\n",
        common::BOUNDARY
    )
    .into_bytes();
    part.extend(bytes);
    part.extend(b"\r\n");
    part
}

/// The valid answers of `form` as multipart, with `extra` parts before the end.
fn multipart_with(form: &forms_model::schema::Form, extra: &[Vec<u8>]) -> Vec<u8> {
    let (fields, files) = common::valid_answers(form);
    let mut body = common::multipart(&fields, &files);
    let end = format!("--{}--\r\n", common::BOUNDARY);
    body.truncate(body.len() - end.len());
    for part in extra {
        body.extend(part);
    }
    body.extend(end.bytes());
    body
}

#[test]
fn a_file_under_a_text_or_hidden_field_is_refused_and_nothing_reaches_the_desk() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    let form = &app.forms["pengaduan"];
    for field in ["judul", "_skema", "kategori", "situs_web"] {
        let smuggled = file_part(
            field,
            "Surat_Resmi_KPU.pdf.html",
            b"<script>alert(1)</script>",
        );
        let response = handle(
            &app,
            &multipart("/pengaduan", multipart_with(form, &[smuggled])),
        );
        assert_eq!(response.status(), 400, "{field}: {}", text(&response));
        assert!(
            body_json(&response)["error"]
                .as_str()
                .expect("error")
                .contains("bukan lampiran"),
            "{field}"
        );
    }
    nothing_kept(&app, dir.path());
}

#[test]
fn a_file_input_takes_one_file_not_hundreds() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    let form = &app.forms["pengaduan"];
    let many: Vec<Vec<u8>> = (0..280)
        .map(|n| file_part("lampiran", &format!("{n}.pdf"), common::PDF))
        .collect();
    let response = handle(&app, &multipart("/pengaduan", multipart_with(form, &many)));
    assert_eq!(response.status(), 422, "{}", text(&response));
    assert!(text(&response).contains("satu berkas saja"));
    nothing_kept(&app, dir.path());
}

#[test]
fn only_the_files_validation_accepted_are_kept_and_attached() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    let form = &app.forms["pengaduan"];
    let response = handle(&app, &multipart("/pengaduan", multipart_with(form, &[])));
    assert_eq!(response.status(), 200, "{}", text(&response));
    let reference = body_json(&response)["reference"]
        .as_str()
        .expect("reference")
        .to_string();
    let record = app.outbox.load_sent(&reference).expect("delivered");
    assert_eq!(record.files.len(), 1);
    assert_eq!(record.files[0].field, "lampiran");
    let attachments: Vec<usize> = common::mails(&dir.path().join("mail"))
        .iter()
        .filter_map(|m| MessageParser::default().parse(m))
        .map(|m| m.attachment_count())
        .collect();
    assert_eq!(attachments.iter().sum::<usize>(), 1, "{attachments:?}");
}

#[test]
fn junk_from_one_source_does_not_close_a_form_for_everyone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = common::config(dir.path(), None);
    config.limits.per_form = 20;
    let mut app = forms_fn::app::load(&config).expect("app");
    app.clock = common::clock();
    // A few hundred refused posts from one address, as fast as it can send them.
    for n in 0..300 {
        let junk = match n % 3 {
            0 => post(
                "/informasi-publik",
                "203.0.113.66",
                "text/plain",
                b"x".to_vec(),
                &[],
            ),
            1 => post(
                "/informasi-publik",
                "203.0.113.66",
                "application/x-www-form-urlencoded",
                b"a=%zz".to_vec(),
                &[],
            ),
            _ => json(&[("nama".to_string(), "x".to_string())], "203.0.113.66"),
        };
        let status = handle(&app, &junk).status();
        assert!(status.is_client_error(), "{status}");
    }
    let (fields, _) = common::valid_answers(&app.forms["informasi-publik"]);
    let response = handle(&app, &json(&fields, "198.51.100.2"));
    assert_eq!(response.status(), 200, "{}", text(&response));
    // Addresses of one IPv6 /64 are one source.
    let mut last = 0;
    for n in 1..=12 {
        let mut varied = fields.clone();
        varied.push(("rincian".into(), String::new()));
        varied.retain(|(k, _)| k != "rincian");
        varied.push((
            "rincian".into(),
            format!("Salinan keputusan nomor {n} tentang rekapitulasi suara."),
        ));
        last = handle(&app, &json(&varied, &format!("2001:db8:7:1::{n:x}")))
            .status()
            .as_u16();
    }
    assert_eq!(last, 429, "the eleventh post of one /64 is refused");
}

#[test]
fn an_address_the_mailer_would_refuse_is_refused_at_the_form() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    for address in ["a(b)@example.com", ".a@x.id", "a..b@x.id"] {
        let (mut fields, _) = common::valid_answers(&app.forms["informasi-publik"]);
        for (name, value) in &mut fields {
            if name == "email" {
                *value = address.to_string();
            }
        }
        let response = handle(&app, &json(&fields, "203.0.113.7"));
        assert_eq!(response.status(), 422, "{address}");
        assert!(body_json(&response)["errors"]["email"].is_string());
    }
    nothing_kept(&app, dir.path());
}

#[test]
fn a_pending_confirmation_to_an_unusable_address_leaves_the_queue_with_its_state() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    let (fields, _) = common::valid_answers(&app.forms["informasi-publik"]);
    let response = handle(&app, &json(&fields, "203.0.113.7"));
    let reference = body_json(&response)["reference"]
        .as_str()
        .expect("reference")
        .to_string();
    // As an older version recorded it: an address that passed its validator, and a
    // confirmation still to send.
    let mut record = app.outbox.load_sent(&reference).expect("sent");
    record.citizen_email = Some("a(b)@example.com".into());
    record.citizen_sent = false;
    app.outbox.save(&record).expect("save");
    let summary = forms_fn::resend::run(&app, u64::MAX / 2, true).expect("resend");
    assert_eq!((summary.delivered, summary.pending), (1, 0));
    assert!(app.outbox.pending().expect("outbox").is_empty());
    let done = app.outbox.load_sent(&reference).expect("sent");
    assert_eq!(done.confirmation_unsent, Some(Unsent::Refused));
    assert_eq!(
        forms_fn::resend::run(&app, u64::MAX / 2, true)
            .expect("again")
            .pending,
        0
    );
}

#[test]
fn confirmations_count_variants_of_an_address_and_the_receipt_tells_the_truth() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    let (fields, _) = common::valid_answers(&app.forms["informasi-publik"]);
    let with = |address: &str, n: usize| {
        let mut fields = fields.clone();
        for (name, value) in &mut fields {
            match name.as_str() {
                "email" => *value = address.to_string(),
                "nama" => *value = format!("Warga {n}"),
                _ => {}
            }
        }
        post(
            "/informasi-publik",
            &format!("198.51.100.{n}"),
            "application/x-www-form-urlencoded",
            common::urlencoded(&fields),
            &[],
        )
    };
    let addresses = [
        "korban@contoh.id",
        "k.orban@contoh.id",
        "korban+1@contoh.id",
        "KO.RBAN+promo@contoh.id",
    ];
    let pages: Vec<String> = addresses
        .iter()
        .enumerate()
        .map(|(n, a)| text(&handle(&app, &with(a, n))))
        .collect();
    for page in &pages[..3] {
        assert!(page.contains("Kami juga mengirim tanda terima"), "{page}");
    }
    assert!(!pages[3].contains("Kami juga mengirim tanda terima"));
    assert!(pages[3].contains("tidak kami kirim"));
    let confirmations = common::mails(&dir.path().join("mail"))
        .iter()
        .filter_map(|m| MessageParser::default().parse(m))
        .filter(|m| m.subject().is_some_and(|s| s.contains("sudah kami terima")))
        .count();
    assert_eq!(confirmations, 3);
}

#[test]
fn a_reused_idempotency_key_with_other_answers_is_an_error_not_someone_elses_receipt() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    let (fields, _) = common::valid_answers(&app.forms["informasi-publik"]);
    let keyed = |fields: &[(String, String)], ip: &str| {
        post(
            "/informasi-publik",
            ip,
            "application/x-www-form-urlencoded",
            common::urlencoded(fields),
            &[
                ("accept", "application/json"),
                ("idempotency-key", "kunci-1"),
            ],
        )
    };
    let first = handle(&app, &keyed(&fields, "203.0.113.7"));
    let reference = body_json(&first)["reference"].clone();
    assert!(reference.is_string());
    let mut other = fields.clone();
    for (name, value) in &mut other {
        if name == "nama" {
            *value = "Penyerang".into();
        }
    }
    let stolen = handle(&app, &keyed(&other, "198.51.100.9"));
    assert_eq!(stolen.status(), 409, "{}", text(&stolen));
    assert!(body_json(&stolen).get("reference").is_none());
    let retry = handle(&app, &keyed(&fields, "203.0.113.7"));
    assert_eq!(body_json(&retry)["reference"], reference);
    assert_eq!(app.outbox.pending().expect("outbox").len(), 0);
    assert_eq!(
        common::mails(&dir.path().join("mail")).len(),
        2,
        "one desk mail and one confirmation"
    );
}

#[test]
fn answers_route_as_they_validate_whatever_the_spaces() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    let (mut fields, _) = common::valid_answers(&app.forms["data-pemilih"]);
    for (name, value) in &mut fields {
        if name == "kabkota" {
            *value = " 52.72\u{200B} ".into();
        }
    }
    let request = post(
        "/data-pemilih",
        "203.0.113.7",
        "application/x-www-form-urlencoded",
        common::urlencoded(&fields),
        &[("accept", "application/json")],
    );
    assert_eq!(handle(&app, &request).status(), 200);
    let desk = common::mails(&dir.path().join("mail"))
        .iter()
        .filter_map(|m| MessageParser::default().parse(m))
        .filter_map(|m| m.to()?.first()?.address().map(str::to_string))
        .find(|a| a.starts_with("meja-"));
    assert_eq!(desk.as_deref(), Some("meja-data-52-72@contoh.invalid"));

    let (mut fields, files) = common::valid_answers(&app.forms["pengaduan"]);
    for (name, value) in &mut fields {
        if name == "kategori" {
            *value = "pelanggaran-pemilu ".into();
        }
    }
    let response = handle(
        &app,
        &multipart("/pengaduan", common::multipart(&fields, &files)),
    );
    assert!(
        body_json(&response)["guidance"].is_string(),
        "{}",
        text(&response)
    );
}

#[test]
fn the_error_page_posts_back_to_the_configured_endpoint_not_to_the_request_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    let response = handle(
        &app,
        &post(
            "//evil.example/informasi-publik",
            "203.0.113.7",
            "application/x-www-form-urlencoded",
            format!("_skema={}&nama=x", app.forms["informasi-publik"].hash).into_bytes(),
            &[],
        ),
    );
    assert_eq!(response.status(), 422);
    let page = text(&response);
    assert!(!page.contains("evil.example"), "{page}");
    assert!(
        page.contains("action=\"/api/forms/informasi-publik\""),
        "{page}"
    );
}

#[test]
fn a_filled_honeypot_is_answered_exactly_like_a_real_submission() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    let (fields, _) = common::valid_answers(&app.forms["informasi-publik"]);
    let html = |fields: &[(String, String)], ip: &str| {
        handle(
            &app,
            &post(
                "/informasi-publik",
                ip,
                "application/x-www-form-urlencoded",
                common::urlencoded(fields),
                &[],
            ),
        )
    };
    let real = html(&fields, "203.0.113.7");
    let mut robot = fields.clone();
    for (name, value) in &mut robot {
        if name == "nama" {
            *value = "Robot".into();
        }
    }
    robot.push((
        HONEYPOT_FIELD.to_string(),
        "https://spam.example".to_string(),
    ));
    let fake = html(&robot, "198.51.100.2");
    assert_eq!(real.status(), fake.status());
    let blank = |r: &Response<Vec<u8>>| regex_lite(&text(r));
    assert_eq!(blank(&real), blank(&fake));
    let headers = |r: &Response<Vec<u8>>| {
        let mut names: Vec<String> = r.headers().keys().map(|k| k.to_string()).collect();
        names.sort();
        names
    };
    assert_eq!(headers(&real), headers(&fake));
    // Invalid answers with the honeypot filled: the same refusal a person gets.
    let mut invalid = robot.clone();
    invalid.retain(|(k, _)| k != "nama");
    assert_eq!(html(&invalid, "198.51.100.3").status(), 422);
    assert_eq!(app.outbox.pending().expect("outbox").len(), 0);
    assert_eq!(
        common::mails(&dir.path().join("mail")).len(),
        2,
        "the real one only"
    );
}

/// The receipt with its reference number blanked (the only thing that differs).
fn regex_lite(page: &str) -> String {
    let mut out = String::new();
    for word in page.split_inclusive(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
        let looks_like_reference = word.len() >= 13
            && word.starts_with("INF-")
            && word[..13].chars().filter(|c| *c == '-').count() == 2;
        if looks_like_reference {
            out.push_str("INF-XXXX-XXXX");
            out.push_str(&word[13..]);
        } else {
            out.push_str(word);
        }
    }
    out
}
