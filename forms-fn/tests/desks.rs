//! Each form reaches the desk the law and the office's organisation give it: voter-data
//! reports to the kab/kota with a copy to the province, bribery and gratification reports
//! to the whistleblowing desk, and what a form asks for fitted to who may use it.

mod common;

use forms_fn::guard::ClientIp;
use forms_fn::handle;
use http::Request;
use mail_parser::MessageParser;

fn post(form: &str, fields: &[(String, String)], files: &[(String, Vec<u8>)]) -> Request<Vec<u8>> {
    let (content_type, body) = if files.is_empty() {
        (
            "application/x-www-form-urlencoded".to_string(),
            common::urlencoded(fields),
        )
    } else {
        (
            format!("multipart/form-data; boundary={}", common::BOUNDARY),
            common::multipart(fields, files),
        )
    };
    let mut request = Request::builder()
        .method("POST")
        .uri(format!("/{form}"))
        .header("origin", "https://kpu-ntb.example")
        .header("accept", "application/json")
        .header("content-type", content_type)
        .body(body)
        .expect("request");
    request
        .extensions_mut()
        .insert(ClientIp("203.0.113.7".into()));
    request
}

fn set(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    fields.retain(|(n, _)| n != name);
    if !value.is_empty() {
        fields.push((name.to_string(), value.to_string()));
    }
}

/// (To, Cc) of every desk mail written so far.
fn desk_mails(dir: &std::path::Path) -> Vec<(String, Vec<String>)> {
    common::mails(&dir.join("mail"))
        .iter()
        .filter_map(|m| MessageParser::default().parse(m))
        .filter(|m| {
            m.subject()
                .is_some_and(|s| !s.contains("sudah kami terima"))
        })
        .map(|m| {
            let to = m
                .to()
                .and_then(|t| t.first())
                .and_then(|a| a.address())
                .unwrap_or_default()
                .to_string();
            let cc = m
                .cc()
                .map(|c| {
                    c.iter()
                        .filter_map(|a| a.address().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            (to, cc)
        })
        .collect()
}

#[test]
fn a_voter_data_report_goes_to_its_kab_kota_with_a_copy_to_the_province() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    let (mut fields, files) = common::valid_answers(&app.forms["data-pemilih"]);
    set(&mut fields, "kabkota", "52.06");
    set(&mut fields, "jenis", "pindah-keluar-ntb");
    let response = handle(&app, &post("data-pemilih", &fields, &files));
    assert_eq!(
        response.status(),
        200,
        "{}",
        String::from_utf8_lossy(response.body())
    );
    assert_eq!(
        desk_mails(dir.path()),
        vec![(
            "meja-data-52-06@contoh.invalid".to_string(),
            vec!["meja-data@contoh.invalid".to_string()]
        )]
    );
}

#[test]
fn bribery_and_gratification_reports_go_to_the_whistleblowing_desk() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    let (mut fields, files) = common::valid_answers(&app.forms["pengaduan"]);
    set(&mut fields, "kategori", "pungutan-gratifikasi");
    set(&mut fields, "nomor_layanan", "INF-7K3M-Q9XP");
    let response = handle(&app, &post("pengaduan", &fields, &files));
    assert_eq!(
        response.status(),
        200,
        "{}",
        String::from_utf8_lossy(response.body())
    );
    assert_eq!(desk_mails(dir.path())[0].0, "meja-wbs@contoh.invalid");
}

#[test]
fn an_information_request_needs_an_email_only_when_the_copy_goes_by_email() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    let (mut fields, files) = common::valid_answers(&app.forms["informasi-publik"]);
    set(&mut fields, "email", "");
    set(&mut fields, "cara_salinan", "surel");
    let refused = handle(&app, &post("informasi-publik", &fields, &files));
    assert_eq!(refused.status(), 422);
    let errors: serde_json::Value = serde_json::from_slice(refused.body()).expect("JSON");
    assert!(errors["errors"]["email"].is_string(), "{errors}");
    set(&mut fields, "cara_salinan", "pos");
    let accepted = handle(&app, &post("informasi-publik", &fields, &files));
    assert_eq!(
        accepted.status(),
        200,
        "{}",
        String::from_utf8_lossy(accepted.body())
    );
}

#[test]
fn an_objection_needs_the_request_date_not_a_request_number() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    let (mut fields, files) = common::valid_answers(&app.forms["keberatan-informasi"]);
    set(&mut fields, "nomor_permohonan", "");
    let accepted = handle(&app, &post("keberatan-informasi", &fields, &files));
    assert_eq!(
        accepted.status(),
        200,
        "{}",
        String::from_utf8_lossy(accepted.body())
    );
    set(&mut fields, "tanggal_permohonan", "");
    let refused = handle(&app, &post("keberatan-informasi", &fields, &files));
    assert_eq!(refused.status(), 422);
}

#[test]
fn a_receipt_promises_a_date_only_where_the_standard_sets_a_time_limit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    // Information requests: 10 working days (UU 14/2008 Pasal 22 ayat (7)).
    let (fields, files) = common::valid_answers(&app.forms["informasi-publik"]);
    let set_by_law = handle(&app, &post("informasi-publik", &fields, &files));
    let answer: serde_json::Value = serde_json::from_slice(set_by_law.body()).expect("JSON");
    assert_eq!(
        answer["answer_by"], "2026-03-02",
        "the listed holidays skipped"
    );
    assert!(
        answer["message"]
            .as_str()
            .expect("message")
            .contains("paling lambat")
    );
    // Certified copies: the office has not set one yet.
    let (fields, files) = common::valid_answers(&app.forms["autentifikasi"]);
    let unset = handle(&app, &post("autentifikasi", &fields, &files));
    let answer: serde_json::Value = serde_json::from_slice(unset.body()).expect("JSON");
    assert!(answer["answer_by"].is_null(), "{answer}");
    let message = answer["message"].as_str().expect("message");
    assert!(!message.contains("paling lambat") && message.contains("belum menjanjikan tanggal"));
    let reference = answer["reference"].as_str().expect("reference");
    let mails: Vec<String> = common::mails(&dir.path().join("mail"))
        .iter()
        .filter_map(|m| MessageParser::default().parse(m))
        .filter(|m| m.subject().is_some_and(|s| s.contains(reference)))
        .filter_map(|m| m.body_text(0).map(|t| t.into_owned()))
        .collect();
    assert!(!mails.is_empty());
    for mail in mails {
        assert!(!mail.contains("paling lambat"), "{mail}");
    }
}

#[test]
fn an_internship_student_may_give_no_phone_or_email() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = common::app(dir.path());
    let (mut fields, files) = common::valid_answers(&app.forms["magang"]);
    fields.retain(|(n, _)| {
        !(n.starts_with("anggota-") && (n.ends_with("-hp") || n.ends_with("-email")))
    });
    let accepted = handle(&app, &post("magang", &fields, &files));
    assert_eq!(
        accepted.status(),
        200,
        "{}",
        String::from_utf8_lossy(accepted.body())
    );
}
