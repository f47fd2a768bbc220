//! The handler's defences seen from a client: which origins may post, rate limits per
//! source and per address, the honeypot, repeated submissions and unknown fields.

mod common;

use common::requests::{desk_mails, from, from_site, json_body, varied};
use forms_fn::handle;
use http::Request;
use mail_parser::MessageParser;

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
