//! What is kept and sent of an accepted submission: photos without their EXIF, the
//! scheduled resend's back-off, the NIK only where the law asks, and answers in the form
//! page's language.

mod common;

use common::requests::{event, from_site, json_body};
use forms_fn::handle;
use http::Request;
use mail_parser::MessageParser;
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
