use std::sync::Arc;

use forms_model::calendar::Day;
use forms_model::holidays::Holidays;
use forms_model::schema::Form;

use super::store::{ChangeError, Store};
use super::*;

fn form(extension: Option<u32>, basis: bool) -> Form {
    let text = "title: T\nprefix: INF\nintro: i\npurpose: p\nlegal_basis: l\nretention: r\ndeadline_days: 10\ndesk: ppid\nfields: []\n";
    let mut form: Form = serde_yaml::from_str(text).expect("form");
    form.id = "informasi-publik".into();
    form.extension_days = extension;
    form.refusal_basis = basis;
    form
}

fn day(y: i64, m: u32, d: u32) -> Day {
    Day::from_ymd(y, m, d).expect("day")
}

fn note(text: &str) -> Step {
    Step {
        note: Some(text.into()),
        ..Step::default()
    }
}

fn holidays() -> Holidays {
    Holidays::parse(
        "2026:\n  sumber: SKB\n  hari:\n    - {tanggal: 2026-02-16, nama: Cuti bersama Imlek}\n    - {tanggal: 2026-02-17, nama: Tahun Baru Imlek}\n",
    )
    .expect("list")
}

/// A request received on Thursday 12 February 2026, due 10 working days later (the two
/// Imlek days skipped): Monday 2 March.
fn received(form: &Form) -> Request {
    let at = day(2026, 2, 12).noon_secs();
    let due = form.deadline_days.due(day(2026, 2, 12), &holidays());
    assert_eq!(due, "2026-03-02");
    Request::received("INF-7K3M-Q9XP", form, "ppid", at, &due)
}

#[test]
fn a_request_goes_from_receipt_to_answer_and_keeps_each_step() {
    let form = form(Some(7), true);
    let mut request = received(&form);
    let h = holidays();
    let monday = day(2026, 2, 16).noon_secs();
    request
        .apply(&form, Action::Proses, Step::default(), "ppid", monday, &h)
        .expect("process");
    assert_eq!(
        request.apply(&form, Action::Proses, Step::default(), "ppid", monday, &h),
        Err(Refused::State(State::Diproses))
    );
    assert_eq!(
        request.apply(&form, Action::Selesai, Step::default(), "ppid", monday, &h),
        Err(Refused::NoteMissing)
    );
    let friday = day(2026, 2, 20).noon_secs();
    request
        .apply(
            &form,
            Action::Selesai,
            note("Salinan terlampir."),
            "ppid",
            friday,
            &h,
        )
        .expect("complete");
    assert_eq!(request.state, State::Selesai);
    let states: Vec<State> = request.history.iter().map(|e| e.state).collect();
    assert_eq!(states, [State::Diterima, State::Diproses, State::Selesai]);
    assert_eq!(
        request.history[2].note.as_deref(),
        Some("Salinan terlampir.")
    );
    // 12 Feb (Thu) to 20 Feb (Fri): 13 Fri, 18 Wed, 19 Thu, 20 Fri (16, 17 are holidays).
    assert_eq!(request.days_to_answer(&h), Some(4));
    assert!(Action::offered(&form, &request).is_empty(), "closed");
}

#[test]
fn an_extension_moves_the_deadline_once_and_only_before_it_ends() {
    let form = form(Some(7), true);
    let h = holidays();
    let mut request = received(&form);
    let on_due_day = day(2026, 3, 2).noon_secs();
    request
        .apply(
            &form,
            Action::Perpanjang,
            note("Dokumen di arsip daerah."),
            "ppid",
            on_due_day,
            &h,
        )
        .expect("extend");
    assert_eq!(
        request.due, "2026-03-11",
        "seven working days after 2 March"
    );
    assert_eq!(request.state, State::Diperpanjang);
    assert_eq!(
        request.apply(
            &form,
            Action::Perpanjang,
            note("lagi"),
            "ppid",
            on_due_day,
            &h
        ),
        Err(Refused::ExtendedBefore)
    );

    let mut late = received(&form);
    assert_eq!(
        late.apply(
            &form,
            Action::Perpanjang,
            note("x"),
            "ppid",
            day(2026, 3, 3).noon_secs(),
            &h
        ),
        Err(Refused::TooLate)
    );

    let mut processed = received(&form);
    processed
        .apply(
            &form,
            Action::Proses,
            Step::default(),
            "ppid",
            on_due_day,
            &h,
        )
        .expect("process");
    processed.extended = true;
    assert_eq!(
        processed.check(&form, Action::Perpanjang, None),
        Err(Refused::ExtendedBefore)
    );

    let other = super::tests::form(None, false);
    assert_eq!(
        received(&other).check(&other, Action::Perpanjang, None),
        Err(Refused::NoExtension)
    );
}

#[test]
fn a_refusal_of_an_information_request_names_its_basis() {
    let form = form(Some(7), true);
    let h = holidays();
    let mut request = received(&form);
    let now = day(2026, 2, 13).noon_secs();
    assert_eq!(
        request.apply(&form, Action::Tolak, note("Dikecualikan."), "ppid", now, &h),
        Err(Refused::BasisMissing)
    );
    let step = Step {
        note: Some("Informasi ini dikecualikan.".into()),
        basis: Some("UU 14/2008 Pasal 17 huruf h".into()),
        link: Some("abc".into()),
    };
    request
        .apply(&form, Action::Tolak, step.clone(), "ppid", now, &h)
        .expect("refuse");
    assert_eq!(request.state, State::Ditolak);
    assert_eq!(
        request.check(&form, Action::Selesai, Some(&step)),
        Err(Refused::State(State::Ditolak))
    );
}

#[test]
fn a_link_acts_once() {
    let form = form(None, false);
    let h = holidays();
    let mut request = received(&form);
    let step = Step {
        link: Some("sig".into()),
        ..Step::default()
    };
    request
        .apply(&form, Action::Proses, step.clone(), "ppid", 1, &h)
        .expect("first");
    request.state = State::Diterima;
    assert_eq!(
        request.apply(&form, Action::Proses, step, "ppid", 2, &h),
        Err(Refused::Used)
    );
}

#[test]
fn overdue_is_open_past_the_due_day() {
    let form = form(None, false);
    let mut request = received(&form);
    assert!(!request.is_overdue(day(2026, 3, 2)));
    assert!(request.is_overdue(day(2026, 3, 3)));
    request.state = State::Selesai;
    assert!(!request.is_overdue(day(2026, 3, 3)));
}

#[test]
fn the_store_creates_once_survives_a_reopen_and_archives() {
    let dir = tempfile::tempdir().expect("dir");
    let form = form(None, false);
    let store = Store::folder(dir.path()).expect("store");
    let request = received(&form);
    assert!(store.create(&request).expect("create"));
    assert!(!store.create(&request).expect("again"), "first writer wins");
    let store = Store::folder(dir.path()).expect("reopened");
    assert_eq!(
        store.get(&request.reference).expect("get"),
        Some(request.clone())
    );
    assert_eq!(store.get("../../etc/passwd").expect("junk"), None);
    assert!(matches!(
        store.change("INF-2222-2222", |_| Ok(())),
        Err(ChangeError::Unknown)
    ));
    let (_, archived) = store
        .change(&request.reference, |r| {
            r.archive();
            Ok(())
        })
        .expect("archive");
    assert!(archived.archived && archived.history.is_empty());
    assert!(store.mark_once("digest:ppid:2026-02-13").expect("mark"));
    assert!(!store.mark_once("digest:ppid:2026-02-13").expect("again"));
}

#[test]
fn fifty_steps_at_once_leave_a_consistent_history() {
    let dir = tempfile::tempdir().expect("dir");
    let form = Arc::new(form(None, false));
    let store = Arc::new(Store::folder(dir.path()).expect("store"));
    let request = received(&form);
    store.create(&request).expect("create");
    let threads: Vec<_> = (0..50)
        .map(|i| {
            let (store, form) = (Arc::clone(&store), Arc::clone(&form));
            std::thread::spawn(move || {
                let action = if i % 2 == 0 {
                    Action::Proses
                } else {
                    Action::Selesai
                };
                store
                    .change("INF-7K3M-Q9XP", |r| {
                        r.apply(
                            &form,
                            action,
                            note(&format!("langkah {i}")),
                            "ppid",
                            1,
                            &holidays(),
                        )
                    })
                    .is_ok()
            })
        })
        .collect();
    let applied = threads
        .into_iter()
        .map(|t| t.join().expect("thread"))
        .filter(|ok| *ok)
        .count();
    let stored = store.get("INF-7K3M-Q9XP").expect("get").expect("kept");
    assert_eq!(
        stored.history.len(),
        1 + applied,
        "every step that succeeded is kept"
    );
    assert_eq!(stored.version as usize, applied);
    assert!(
        (1..=2).contains(&applied),
        "at most process then complete: {applied}"
    );
    assert_eq!(
        stored.state,
        State::Selesai,
        "completion is possible from either state"
    );
}
