//! Property tests: whatever arrives, the parsers, the validator, the JPEG cleaner and the
//! whole handler answer without panicking, and a malformed request is never a 5xx.

mod common;

use forms_model::submission::{self, Limits, Submission};
use proptest::prelude::*;

fn content_type() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("application/x-www-form-urlencoded".to_string()),
        Just("multipart/form-data; boundary=X".to_string()),
        Just(format!(
            "multipart/form-data; boundary={}",
            common::BOUNDARY
        )),
        Just("multipart/form-data".to_string()),
        "[ -~]{0,40}",
    ]
}

/// Bodies that look like form posts more often than random bytes would.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..600),
        "[a-z_=&%+0-9A-F-]{0,300}".prop_map(String::into_bytes),
        (
            proptest::collection::vec(("[a-z_-]{0,12}", ".{0,30}"), 0..8),
            proptest::option::of(proptest::collection::vec(any::<u8>(), 0..64))
        )
            .prop_map(|(fields, file)| {
                let fields: Vec<(String, String)> = fields;
                let files: Vec<(String, Vec<u8>)> = file
                    .into_iter()
                    .map(|f| ("lampiran".to_string(), f))
                    .collect();
                let mut body = common::multipart(&fields, &files);
                // Cut it somewhere, as a dropped connection would.
                let cut = body.len() * 3 / 4;
                body.truncate(cut.max(1));
                body
            }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parsing_any_body_never_panics(kind in content_type(), bytes in body()) {
        let _ = submission::parse(&kind, &bytes, &Limits::default());
    }

    #[test]
    fn validating_any_answers_never_panics(fields in proptest::collection::vec(("[a-z_0-9-]{1,20}", ".{0,50}"), 0..30)) {
        let dir = tempfile::tempdir().expect("temp dir");
        let app = common::app(dir.path());
        let submission = Submission { fields, files: Vec::new() };
        for form in app.forms.values() {
            let _ = forms_model::validate::validate(form, &submission, common::today());
        }
    }

    #[test]
    fn cleaning_any_jpeg_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut jpeg = vec![0xFF, 0xD8];
        jpeg.extend(bytes);
        let _ = forms_model::media::strip_jpeg_metadata(&jpeg);
    }

    #[test]
    fn the_handler_answers_any_post_with_a_client_error_or_success(kind in content_type(), bytes in body()) {
        let dir = tempfile::tempdir().expect("temp dir");
        let app = common::app(dir.path());
        let request = http::Request::builder()
            .method("POST")
            .uri("/pengaduan")
            .header("content-type", kind)
            .header("origin", "https://kpu-ntb.example")
            .body(bytes)
            .expect("request");
        let status = forms_fn::handle(&app, &request).status();
        prop_assert!(status.is_client_error() || status.is_success(), "{status}");
    }
}
