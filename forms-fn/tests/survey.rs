//! The satisfaction survey: the closing mail invites the citizen with a signed link that
//! opens the survey for that service; the rating counts once per request; forged, expired and
//! desk links are refused; walk-in answers count without a request; `forms-fn stats`
//! computes the figures from the store (checked against hand-computed values).

mod common;

use std::path::Path;

use forms_fn::requests::Action;
use forms_fn::{App, handle};
use forms_model::calendar::{Clock, Day};
use forms_model::performance::skm::WORKED_EXAMPLE as FIVE;
use forms_model::render::{HASH_FIELD, SURVEY_LINK_FIELD};
use forms_model::schema::Form;

use common::tracked::{CITIZEN, DESK, confirm, get, link_in, mail_to};

/// 10:00 WITA on Thursday 12 February 2026.
fn clock() -> Clock {
    Clock::new(|| Day::parse("2026-02-12").expect("day").noon_secs() - 2 * 3600)
}

fn survey(app: &App) -> &Form {
    app.forms.get("skm").expect("the survey form")
}

/// The survey's answers: `service`, the nine `scores` in the regulation's element order,
/// a suggestion, consent.
fn answers(app: &App, service: &str, scores: [u8; 9]) -> Vec<(String, String)> {
    let form = survey(app);
    let mut fields = vec![
        (HASH_FIELD.to_string(), form.hash.clone()),
        ("layanan".to_string(), service.to_string()),
        (
            "saran".to_string(),
            "Loket perlu kursi tunggu tambahan.".to_string(),
        ),
        ("persetujuan".to_string(), "ya".to_string()),
        ("pendidikan".to_string(), "SMA".to_string()),
    ];
    for ((name, _), score) in forms_model::performance::skm::ELEMENTS.iter().zip(scores) {
        fields.push((name.to_string(), score.to_string()));
    }
    fields
}

fn post_survey(app: &App, fields: &[(String, String)]) -> (u16, String) {
    let answer = handle(
        app,
        &common::requests::post(
            "/skm",
            "203.0.113.7",
            "application/x-www-form-urlencoded",
            common::urlencoded(fields),
            &[],
        ),
    );
    (answer.status().as_u16(), common::requests::text(&answer))
}

/// The survey link in the citizen's closing mail (`/survei/{token}`).
fn survey_link(dir: &Path) -> String {
    let closing = mail_to(dir, CITIZEN, "selesai");
    assert_eq!(closing.len(), 1, "one closing mail");
    closing[0]
        .text
        .split_whitespace()
        .find_map(|w| {
            w.split_once("/survei/")
                .map(|(_, t)| format!("/survei/{t}"))
        })
        .unwrap_or_else(|| panic!("no survey link in:\n{}", closing[0].text))
}

/// A request submitted and completed by its desk; its reference.
fn completed(app: &App, dir: &Path) -> String {
    let reference = common::tracked::submit(app);
    let desk_mail = mail_to(dir, DESK, &reference);
    let complete = link_in(&desk_mail[0], Action::Selesai);
    let (code, page) = confirm(app, &complete, &[("catatan", "Informasi terlampir.")]);
    assert_eq!(code, 200, "{page}");
    reference
}

#[test]
fn the_closing_mail_invites_a_rating_that_counts_once_for_that_request() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = common::tracked::app(dir.path(), clock());
    let reference = completed(&app, dir.path());
    let link = survey_link(dir.path());

    // The link opens the survey with the service chosen and the link carried along.
    let page = handle(&app, &get(&link));
    let html = common::requests::text(&page);
    assert_eq!(page.status(), 200, "{html}");
    assert!(
        html.contains("value=\"informasi-publik\" checked"),
        "service filled in: {html}"
    );
    let token = link.trim_start_matches("/survei/");
    assert!(html.contains(&format!("name=\"{SURVEY_LINK_FIELD}\" value=\"{token}\"")));

    // Rated with the link: the rating is tied to the request.
    let mut fields = answers(&app, "informasi-publik", [4, 4, 3, 4, 3, 4, 4, 3, 3]);
    fields.push((SURVEY_LINK_FIELD.to_string(), token.to_string()));
    let (code, receipt) = post_survey(&app, &fields);
    assert_eq!(code, 200, "{receipt}");
    assert!(receipt.contains("Terima kasih"), "{receipt}");
    let store = app.requests.as_ref().expect("a store");
    let ratings = store.ratings().expect("ratings");
    assert_eq!(ratings.len(), 1);
    assert_eq!(ratings[0].request.as_deref(), Some(reference.as_str()));
    assert_eq!(ratings[0].service, "informasi-publik");
    assert_eq!(ratings[0].scores, [4, 4, 3, 4, 3, 4, 4, 3, 3]);
    assert_eq!(ratings[0].profile["pendidikan"], "SMA");
    // The suggestion reached the PPID's desk (the service's), not a page.
    assert!(
        common::tracked::all_mail(dir.path())
            .iter()
            .any(|m| m.to == DESK && m.text.contains("kursi tunggu")),
        "the suggestion went to the desk"
    );

    // A second rating of the same request is refused politely, by the link and by a post.
    let again = handle(&app, &get(&link));
    assert_eq!(again.status(), 409);
    assert!(common::requests::text(&again).contains("sudah kami terima"));
    fields[2].1 = "Jawaban kedua".to_string();
    let (code, page) = post_survey(&app, &fields);
    assert_eq!(code, 409, "{page}");
    assert_eq!(store.ratings().expect("ratings").len(), 1, "counted once");
}

#[test]
fn forged_expired_and_desk_links_do_not_open_or_tie_a_rating() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = common::tracked::app(dir.path(), clock());
    let reference = completed(&app, dir.path());
    let link = survey_link(dir.path());
    let token = link.trim_start_matches("/survei/");
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 4, "{token}");
    let desk_mail = mail_to(dir.path(), DESK, &reference);
    let desk_token = link_in(&desk_mail[0], Action::Proses).replace("/tautan/", "");
    let forged = [
        format!("{}.survei.{}.{}", "INF-ZZZZ-ZZZZ", parts[2], parts[3]),
        format!("{}.survei.{}.{}", parts[0], u64::MAX, parts[3]),
        format!("{}.selesai.{}.{}", parts[0], parts[2], parts[3]),
        format!("{}.survei.{}.AAAAAAAAAAAAAAAAAAAAAA", parts[0], parts[2]),
        desk_token.clone(),
        "bukan-tautan".to_string(),
    ];
    for bad in &forged {
        let page = handle(&app, &get(&format!("/survei/{bad}")));
        assert_eq!(page.status(), 403, "{bad}");
        let mut fields = answers(&app, "informasi-publik", [3; 9]);
        fields.push((SURVEY_LINK_FIELD.to_string(), bad.clone()));
        assert_eq!(post_survey(&app, &fields).0, 403, "{bad}");
    }
    // The survey link is no desk link either.
    let page = handle(&app, &get(&format!("/tautan/{token}")));
    assert_eq!(page.status(), 403);
    // Past its 30 days the link has expired.
    let mut later = common::tracked::app(
        dir.path(),
        Clock::new(|| Day::parse("2026-03-30").expect("day").noon_secs()),
    );
    later.keys = app.keys.clone();
    let expired = handle(&later, &get(&link));
    assert_eq!(expired.status(), 403);
    assert!(common::requests::text(&expired).contains("kedaluwarsa"));
    let store = app.requests.as_ref().expect("a store");
    assert!(
        store.ratings().expect("ratings").is_empty(),
        "nothing counted"
    );
}

#[test]
fn stats_count_requests_and_walk_in_ratings_with_small_groups_hidden() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = common::tracked::app(dir.path(), clock());
    let reference = completed(&app, dir.path());
    for (i, scores) in FIVE.iter().enumerate() {
        let mut fields = answers(&app, "informasi-publik", *scores);
        fields[2].1 = format!("Saran {i}");
        assert_eq!(post_survey(&app, &fields).0, 200);
    }
    for i in 0..4 {
        let mut fields = answers(&app, "magang", [2; 9]);
        fields[2].1 = format!("Saran magang {i}");
        assert_eq!(post_survey(&app, &fields).0, 200);
    }
    let store = app.requests.as_ref().expect("a store");
    assert!(
        store
            .ratings()
            .expect("ratings")
            .iter()
            .all(|r| r.request.is_none())
    );
    let day = |d| Day::parse(d).expect("day");
    let report =
        forms_fn::requests::stats::report(&app, store, day("2026-01-01"), day("2026-06-30"))
            .expect("report");
    let json = serde_json::to_value(&report).expect("json");
    let service = |id: &str| {
        json["services"]
            .as_array()
            .expect("services")
            .iter()
            .find(|s| s["service"] == id)
            .unwrap_or_else(|| panic!("no {id} in {json}"))
            .clone()
    };
    let info = service("informasi-publik");
    assert_eq!(info["standard_days"], 10);
    assert_eq!(info["survey"]["respondents"], 5);
    assert_eq!(info["survey"]["index"], 86.11);
    assert_eq!(info["survey"]["weighted"], 3.4444);
    assert_eq!(info["survey"]["grade"], "B");
    assert_eq!(info["survey"]["elements"][3], 4);
    // One request, answered the day it came: hidden counts, hidden times.
    assert_eq!(info["requests"]["received"], "< 5");
    assert_eq!(info["requests"]["by_state"]["selesai"], "< 5");
    assert_eq!(info["requests"]["by_state"]["ditolak"], 0);
    assert_eq!(info["requests"]["days_median"], "< 5");
    let internship = service("magang");
    assert_eq!(internship["survey"]["respondents"], "< 5");
    assert_eq!(internship["survey"]["index"], "< 5");
    assert!(internship["survey"].get("grade").is_none());
    // The office: nine respondents (total 155 + 4 × 18 = 227, 25 × 227 / 81 = 70.06, C).
    assert_eq!(json["office"]["survey"]["respondents"], 9);
    assert_eq!(json["office"]["survey"]["index"], 70.06);
    assert_eq!(json["office"]["survey"]["grade"], "C");
    assert_eq!(json["ppid"]["received"], "< 5");
    assert_eq!(json["ppid"]["refused"], 0);
    // Nothing personal, no free text.
    let text = json.to_string();
    for leak in [
        CITIZEN,
        "Saran",
        "Informasi terlampir",
        "SMA",
        reference.as_str(),
    ] {
        assert!(!text.contains(leak), "`{leak}` in {text}");
    }
    // Outside the period: nothing.
    let empty =
        forms_fn::requests::stats::report(&app, store, day("2025-01-01"), day("2025-12-31"))
            .expect("report");
    assert_eq!(
        serde_json::to_value(&empty).expect("json")["office"]["survey"]["respondents"],
        0
    );
}

#[test]
fn an_article_is_read_from_a_legal_basis() {
    use forms_fn::requests::stats::article;
    assert_eq!(article("UU 14/2008 Pasal 17 huruf h"), "Pasal 17 huruf h");
    assert_eq!(article("pasal 17 huruf j angka 2"), "Pasal 17 huruf j");
    assert_eq!(article("Pasal 6 ayat (3)"), "Pasal 6");
    assert_eq!(article("rahasia negara"), "lainnya");
}
