//! A submission tracked to its answer: the desk acts from the links in its mail (a GET only
//! shows the step, the confirming POST records it and mails the citizen), the citizen looks
//! the request up by reference and contact, and each working morning's round reminds,
//! escalates and sums up, on a clock the test moves.

mod common;

use std::cell::Cell;
use std::path::Path;

use forms_fn::requests::{Action, State};
use forms_fn::{App, handle};
use forms_model::calendar::{Clock, Day};

thread_local! {
    /// The test's "now": each test runs on its own thread, with its own clock.
    static NOW: Cell<u64> = const { Cell::new(0) };
}

fn now() -> u64 {
    NOW.with(Cell::get)
}

/// Moves the clock to 08:00 WITA of `day`.
fn at(day: &str) {
    let noon = Day::parse(day).expect("day").noon_secs();
    NOW.with(|n| n.set(noon - 4 * 3600));
}

use common::tracked::{CITIZEN, DESK, HEAD, Mail, confirm, get, link_in, mail_to};

/// The function over the tracked site, on the test's clock.
fn tracked_app(dir: &Path) -> App {
    common::tracked::app(dir, Clock::new(now))
}

fn submit(app: &App) -> String {
    common::tracked::submit(app)
}

fn form(app: &App) -> &forms_model::schema::Form {
    common::tracked::form(app)
}

fn all_mail(dir: &Path) -> Vec<Mail> {
    common::tracked::all_mail(dir)
}

/// The citizen's lookup, as the site's script asks (JSON), from `ip`.
fn lookup(app: &App, reference: &str, contact: &str, ip: &str) -> (u16, serde_json::Value) {
    let fields = vec![
        ("nomor".to_string(), reference.to_string()),
        ("kontak".to_string(), contact.to_string()),
    ];
    let answer = handle(
        app,
        &common::requests::post(
            "/status",
            ip,
            "application/x-www-form-urlencoded",
            common::urlencoded(&fields),
            &[("accept", "application/json")],
        ),
    );
    let body = serde_json::from_slice(answer.body()).unwrap_or_default();
    (answer.status().as_u16(), body)
}

fn state_of(app: &App, reference: &str) -> State {
    app.requests
        .as_ref()
        .expect("a store")
        .get(reference)
        .expect("store reads")
        .expect("request kept")
        .state
}

#[test]
fn the_desk_acts_from_its_mail_and_the_citizen_sees_each_step() {
    let dir = tempfile::tempdir().expect("tempdir");
    at("2026-02-12");
    let app = tracked_app(dir.path());
    let reference = submit(&app);

    // The citizen's confirmation links to the status page with the reference filled in.
    let confirmation = mail_to(dir.path(), CITIZEN, "sudah kami terima");
    assert_eq!(confirmation.len(), 1);
    assert!(
        confirmation[0]
            .text
            .contains(&format!("status?nomor={reference}")),
        "{}",
        confirmation[0].text
    );
    let desk_mail = mail_to(dir.path(), DESK, &reference);
    assert_eq!(desk_mail.len(), 1, "one mail to the desk");
    let process = link_in(&desk_mail[0], Action::Proses);
    let complete = link_in(&desk_mail[0], Action::Selesai);

    // A GET (a mail scanner, or the desk opening the link) shows the step, changes nothing.
    for _ in 0..3 {
        let page = handle(&app, &get(&process));
        assert_eq!(page.status(), 200);
        let html = common::requests::text(&page);
        assert!(html.contains("Mulai proses permohonan"), "{html}");
        assert!(html.contains("method=\"post\""), "{html}");
    }
    assert_eq!(state_of(&app, &reference), State::Diterima);
    let (code, status) = lookup(&app, &reference, CITIZEN, "203.0.113.9");
    assert_eq!(code, 200, "{status}");
    assert_eq!(status["state"], "diterima");
    assert_eq!(status["due"], "2026-03-02");

    // Confirmed: recorded, and the citizen told from the office with the desk to reply to.
    at("2026-02-13");
    let (code, page) = confirm(
        &app,
        &process,
        &[("catatan", "Berkas Anda sedang kami periksa.")],
    );
    assert_eq!(code, 200, "{page}");
    assert!(page.contains("Pemohon sudah diberi tahu"), "{page}");
    assert_eq!(state_of(&app, &reference), State::Diproses);
    let told = mail_to(dir.path(), CITIZEN, "Perkembangan permohonan");
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].reply_to.as_deref(), Some(DESK));
    assert!(
        told[0].text.contains("Berkas Anda sedang kami periksa."),
        "{}",
        told[0].text
    );
    let (_, status) = lookup(&app, &reference, CITIZEN, "203.0.113.9");
    assert_eq!(status["state"], "diproses");

    // The same link again is a replay: nothing changes, nobody is mailed twice.
    let (code, page) = confirm(&app, &process, &[("catatan", "lagi")]);
    assert_eq!(code, 409, "{page}");
    assert_eq!(
        mail_to(dir.path(), CITIZEN, "Perkembangan permohonan").len(),
        1
    );

    // Completing needs the note to the citizen; with it, the status page shows it.
    let (code, page) = confirm(&app, &complete, &[("catatan", "")]);
    assert_eq!(code, 422, "{page}");
    assert!(page.contains("Tulis catatan untuk pemohon"), "{page}");
    let answer_note = "Informasi yang Anda minta terlampir dalam surel ini; salinan juga dapat diambil di kantor.";
    let (code, page) = confirm(&app, &complete, &[("catatan", answer_note)]);
    assert_eq!(code, 200, "{page}");
    let (_, status) = lookup(&app, &reference, "  WARGA@contoh.id ", "203.0.113.9");
    assert_eq!(status["state"], "selesai", "{status}");
    assert_eq!(status["open"], false);
    let notes: Vec<&str> = status["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|e| e["note"].as_str())
        .collect();
    assert_eq!(notes, ["Berkas Anda sedang kami periksa.", answer_note]);
    // Nothing personal in the answer.
    let shown = status.to_string();
    assert!(
        !shown.contains(CITIZEN) && !shown.contains("Uji-"),
        "{shown}"
    );
    assert_eq!(
        mail_to(dir.path(), CITIZEN, "Perkembangan permohonan").len(),
        2
    );

    // The page without JavaScript: a POST answered with HTML.
    let fields = vec![
        ("nomor".to_string(), reference.clone()),
        ("kontak".to_string(), CITIZEN.to_string()),
    ];
    let page = handle(
        &app,
        &common::requests::post(
            "/status",
            "203.0.113.9",
            "application/x-www-form-urlencoded",
            common::urlencoded(&fields),
            &[],
        ),
    );
    let html = common::requests::text(&page);
    assert_eq!(page.status(), 200, "{html}");
    assert!(
        html.contains("Selesai") && html.contains(answer_note),
        "{html}"
    );
}

#[test]
fn forged_expired_replayed_and_altered_links_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    at("2026-02-12");
    let app = tracked_app(dir.path());
    let reference = submit(&app);
    let desk_mail = mail_to(dir.path(), DESK, &reference);
    let process = link_in(&desk_mail[0], Action::Proses);

    // Another request's reference, another action, a later expiry: the signature no longer
    // matches; so does a signature made with another key.
    let token = process.trim_start_matches("/tautan/");
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 4, "{token}");
    let altered = [
        format!("/tautan/{}.selesai.{}.{}", parts[0], parts[2], parts[3]),
        format!("/tautan/{}.tolak.{}.{}", parts[0], parts[2], parts[3]),
        format!(
            "/tautan/INF-ZZZZ-ZZZZ.{}.{}.{}",
            parts[1], parts[2], parts[3]
        ),
        format!(
            "/tautan/{}.{}.{}.{}",
            parts[0],
            parts[1],
            parts[2].replace('1', "9"),
            parts[3]
        ),
        format!(
            "/tautan/{}.{}.{}.AAAAAAAAAAAAAAAAAAAAAA",
            parts[0], parts[1], parts[2]
        ),
        "/tautan/bukan-token".to_string(),
        format!("/tautan/{token}.lebih"),
    ];
    for path in &altered {
        for get_or_post in [true, false] {
            let (code, page) = if get_or_post {
                let answer = handle(&app, &get(path));
                (answer.status().as_u16(), common::requests::text(&answer))
            } else {
                confirm(&app, path, &[("catatan", "paksa")])
            };
            assert_eq!(code, 403, "{path}: {page}");
            assert!(page.contains("Tautan ini tidak berlaku"), "{path}: {page}");
        }
    }
    assert_eq!(state_of(&app, &reference), State::Diterima);

    // Past its 30 days the real link is refused, and says why.
    at("2026-03-16");
    let (code, page) = confirm(&app, &process, &[]);
    assert_eq!(code, 403, "{page}");
    assert!(page.contains("kedaluwarsa"), "{page}");
    assert_eq!(state_of(&app, &reference), State::Diterima);
    assert!(
        mail_to(dir.path(), CITIZEN, "Perkembangan").is_empty(),
        "nobody was told of a step that did not happen"
    );
}

#[test]
fn an_unknown_reference_and_a_wrong_contact_get_one_answer_and_guessing_is_throttled() {
    let dir = tempfile::tempdir().expect("tempdir");
    at("2026-02-12");
    let app = tracked_app(dir.path());
    let reference = submit(&app);

    let wrong_contact = lookup(&app, &reference, "orang-lain@contoh.id", "203.0.113.30");
    let unknown = lookup(&app, "INF-2222-2222", CITIZEN, "203.0.113.31");
    let no_contact = lookup(&app, &reference, "", "203.0.113.32");
    assert_eq!(wrong_contact.0, 404);
    assert_eq!(wrong_contact, unknown);
    assert_eq!(wrong_contact, no_contact);
    // The phone number given works as well as the email, in its other spellings.
    for phone in ["0812-3456-7890", "+62 812 3456 7890", "081234567890"] {
        let (code, status) = lookup(&app, &reference, phone, "203.0.113.33");
        assert_eq!(code, 200, "{phone}: {status}");
    }

    // A thousand guesses from one source: past the limit every one is refused unread.
    let mut answered = 0;
    let mut throttled = 0;
    for n in 0..1000 {
        const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
        let guess: String = (0..8)
            .map(|i| char::from(ALPHABET[(n / 31usize.pow(i)) % 31]))
            .collect();
        let guess = format!("INF-{}-{}", &guess[..4], &guess[4..]);
        match lookup(&app, &guess, CITIZEN, "198.51.100.66").0 {
            404 => answered += 1,
            429 => throttled += 1,
            other => panic!("guess {n}: {other}"),
        }
    }
    assert_eq!(answered, 20, "{answered} answered");
    assert_eq!(throttled, 980);

    // One reference guessed from many sources: its own limit holds.
    let mut per_reference = Vec::new();
    for n in 0..15 {
        per_reference.push(
            lookup(
                &app,
                &reference,
                &format!("tebak{n}@contoh.id"),
                &format!("192.0.2.{n}"),
            )
            .0,
        );
    }
    // Five lookups of it above, five more answered, then none.
    assert_eq!(
        per_reference.iter().filter(|c| **c == 404).count(),
        5,
        "{per_reference:?}"
    );
    assert!(
        per_reference[5..].iter().all(|c| *c == 429),
        "{per_reference:?}"
    );
}

#[test]
fn the_morning_round_reminds_escalates_and_sums_up_on_working_days() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Thursday; Monday 16 and Tuesday 17 February 2026 are collective leave and Imlek.
    at("2026-02-12");
    let app = tracked_app(dir.path());
    let store = app.requests.as_ref().expect("a store");
    let reference = submit(&app);
    let request = store.get(&reference).expect("reads").expect("kept");
    assert_eq!(
        request.due, "2026-03-02",
        "10 working days, past the weekends and the holidays"
    );
    let round = |day: &str| {
        at(day);
        forms_fn::requests::daily::run(&app, store).expect("round")
    };
    let reminders = || mail_to(dir.path(), DESK, "Pengingat").len();
    let escalations = || mail_to(dir.path(), HEAD, "").len();
    let digests = || mail_to(dir.path(), DESK, "Ringkasan").len();

    // The next morning: a digest, nothing else; the same morning again sends nothing.
    let first = round("2026-02-13");
    assert_eq!(
        (first.reminders, first.escalations, first.digests),
        (0, 0, 1)
    );
    let again = round("2026-02-13");
    assert_eq!(
        (again.reminders, again.escalations, again.digests),
        (0, 0, 0)
    );
    // A holiday and a weekend: no round at all.
    assert_eq!(round("2026-02-16"), Default::default());
    assert_eq!(round("2026-02-14"), Default::default());
    // Three working days before: no reminder yet; two before: the reminder, once.
    assert_eq!(round("2026-02-25").reminders, 0);
    assert_eq!(reminders(), 0);
    assert_eq!(round("2026-02-26").reminders, 1);
    assert_eq!(round("2026-02-27").reminders, 0);
    assert_eq!(reminders(), 1);
    assert_eq!(escalations(), 0);
    // On the deadline (Monday 2 March) the PPID's superior is told, the desk copied.
    let due_day = round("2026-03-02");
    assert_eq!(due_day.escalations, 1);
    let escalation = &mail_to(dir.path(), HEAD, "")[0];
    assert!(
        escalation.cc.iter().any(|c| c == DESK),
        "{:?}",
        escalation.cc
    );
    assert!(
        escalation.subject.contains(&reference),
        "{}",
        escalation.subject
    );
    assert_eq!(round("2026-03-03").escalations, 0);
    assert_eq!(escalations(), 1);
    // One digest per working morning the round ran: 13, 25, 26, 27 February, 2 and 3 March.
    assert_eq!(digests(), 6);
    let digest = mail_to(dir.path(), DESK, "Ringkasan")
        .pop()
        .expect("a digest");
    assert!(digest.text.contains(&reference), "{}", digest.text);
    assert!(
        digest.text.contains("/tautan/"),
        "the digest carries fresh links"
    );

    // Every subject carries the reference and the service, never a submitted value.
    for mail in all_mail(dir.path()) {
        for secret in [CITIZEN, "Uji-", "5201014101900001", "0812-3456-7890"] {
            assert!(!mail.subject.contains(secret), "{}", mail.subject);
        }
    }
}

#[test]
fn an_extension_moves_the_deadline_once_and_tells_the_citizen() {
    let dir = tempfile::tempdir().expect("tempdir");
    at("2026-02-12");
    let app = tracked_app(dir.path());
    let reference = submit(&app);
    let desk_mail = mail_to(dir.path(), DESK, &reference);
    let extend = link_in(&desk_mail[0], Action::Perpanjang);

    at("2026-02-27");
    let (code, page) = confirm(&app, &extend, &[]);
    assert_eq!(code, 422, "the reason is required: {page}");
    let reason =
        "Informasi yang diminta tersimpan di arsip kabupaten dan perlu dihimpun lebih dulu.";
    let (code, page) = confirm(&app, &extend, &[("catatan", reason)]);
    assert_eq!(code, 200, "{page}");
    let request = app
        .requests
        .as_ref()
        .expect("store")
        .get(&reference)
        .expect("reads")
        .expect("kept");
    assert_eq!(request.state, State::Diperpanjang);
    // Seven working days after Monday 2 March.
    assert_eq!(request.due, "2026-03-11");
    let told = mail_to(dir.path(), CITIZEN, "Perkembangan permohonan");
    assert_eq!(told.len(), 1);
    assert!(told[0].text.contains(reason), "{}", told[0].text);
    assert!(told[0].text.contains("11 Maret 2026"), "{}", told[0].text);
    let (_, status) = lookup(&app, &reference, CITIZEN, "203.0.113.9");
    assert_eq!(status["due"], "2026-03-11");
    assert_eq!(status["extended"], true);

    // A second extension, from a fresh link, is refused: the law allows one.
    let again = app
        .keys
        .link(&reference, Action::Perpanjang, now() + 86_400);
    let (code, page) = confirm(&app, &format!("/tautan/{again}"), &[("catatan", "lagi")]);
    assert_eq!(code, 409, "{page}");
    assert!(page.contains("hanya boleh satu kali"), "{page}");
    assert_eq!(
        app.requests
            .as_ref()
            .expect("store")
            .get(&reference)
            .expect("reads")
            .expect("kept")
            .due,
        "2026-03-11"
    );
}

#[test]
fn an_extension_after_the_first_deadline_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    at("2026-02-12");
    let app = tracked_app(dir.path());
    let reference = submit(&app);
    let extend = link_in(
        &mail_to(dir.path(), DESK, &reference)[0],
        Action::Perpanjang,
    );
    at("2026-03-03");
    let (code, page) = confirm(&app, &extend, &[("catatan", "Terlambat.")]);
    assert_eq!(code, 409, "{page}");
    assert!(page.contains("sudah lewat"), "{page}");
    assert_eq!(state_of(&app, &reference), State::Diterima);
}

#[test]
fn a_refusal_of_an_information_request_names_its_legal_basis() {
    let dir = tempfile::tempdir().expect("tempdir");
    at("2026-02-12");
    let app = tracked_app(dir.path());
    let reference = submit(&app);
    let refuse = link_in(&mail_to(dir.path(), DESK, &reference)[0], Action::Tolak);
    let (code, page) = confirm(&app, &refuse, &[("catatan", "Informasi ini dikecualikan.")]);
    assert_eq!(code, 422, "{page}");
    assert!(page.contains("dasar hukum"), "{page}");
    let (code, page) = confirm(
        &app,
        &refuse,
        &[
            ("catatan", "Informasi ini dikecualikan."),
            ("dasar", "UU 14/2008 Pasal 17 huruf h"),
        ],
    );
    assert_eq!(code, 200, "{page}");
    let (_, status) = lookup(&app, &reference, CITIZEN, "203.0.113.9");
    assert_eq!(status["state"], "ditolak");
    assert_eq!(status["history"][1]["basis"], "UU 14/2008 Pasal 17 huruf h");
}

#[test]
fn a_purged_submission_leaves_an_archived_request_without_details() {
    let dir = tempfile::tempdir().expect("tempdir");
    at("2026-02-12");
    let app = tracked_app(dir.path());
    let reference = submit(&app);
    let store = app.requests.as_ref().expect("a store");
    // Nothing is archived while its record is kept.
    let later = forms_model::calendar::system_secs() + 60;
    assert_eq!(
        forms_fn::requests::retention::archive_purged(store, &app.outbox, later).expect("archive"),
        0
    );
    assert_eq!(app.outbox.purge_sent(later).expect("purge"), 1);
    assert_eq!(
        forms_fn::requests::retention::archive_purged(store, &app.outbox, later).expect("archive"),
        1
    );
    let (code, status) = lookup(&app, &reference, CITIZEN, "203.0.113.9");
    assert_eq!(code, 200, "{status}");
    assert_eq!(status["archived"], true);
    assert!(
        status.get("history").is_none() && status.get("due").is_none(),
        "{status}"
    );
    let kept = store.get(&reference).expect("reads").expect("kept");
    assert!(kept.history.is_empty() && kept.due.is_empty() && kept.citizen_email.is_none());
    // Still only for the citizen who gave the contact.
    assert_eq!(
        lookup(&app, &reference, "lain@contoh.id", "203.0.113.9").0,
        404
    );
}

#[test]
fn the_operator_lists_open_and_overdue_requests_from_the_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    at("2026-02-12");
    let app = tracked_app(dir.path());
    let reference = submit(&app);
    let second = {
        let (mut fields, _) = common::valid_answers_on(form(&app), Day::of_secs(now()));
        for (name, value) in &mut fields {
            if name == "nama" {
                value.push_str(" Kedua");
            }
        }
        let answer = common::requests::from_site(&app, &fields);
        common::requests::json_body(&answer)["reference"]
            .as_str()
            .expect("reference")
            .to_string()
    };
    let complete = link_in(&mail_to(dir.path(), DESK, &second)[0], Action::Selesai);
    assert_eq!(
        confirm(&app, &complete, &[("catatan", "Sudah dijawab.")]).0,
        200
    );
    let cases = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_forms-fn"))
            .arg("cases")
            .args(args)
            .env("SITE_DIR", dir.path().join("site"))
            .env("OUTBOX_DIR", dir.path().join("outbox"))
            .env_remove("SMTP_URL")
            .output()
            .expect("forms-fn runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // The real clock is past 2 March 2026: the open request is overdue.
    let open = cases(&["--desk", "ppid"]);
    assert!(
        open.contains(&reference) && open.contains("LEWAT TENGGAT"),
        "{open}"
    );
    assert!(
        !open.contains(&second),
        "closed requests are not listed: {open}"
    );
    assert!(open.contains("1 of 2 requests"), "{open}");
    let all = cases(&["--all"]);
    assert!(all.contains(&second) && all.contains("selesai"), "{all}");
    assert!(cases(&["--desk", "pengaduan"]).contains("0 of 2 requests"));
    assert!(cases(&["--due-before", "2026-02-27"]).contains("0 of 2 requests"));
    assert!(cases(&["--state", "selesai"]).contains(&second));
}
