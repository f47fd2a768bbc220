//! The state all instances share, against moto's DynamoDB on loopback: two `forms-fn serve`
//! processes over one table see the same requests, answer a duplicate with the first
//! receipt (one mail), count one rate limit between them, and concurrent steps on one
//! request, through both, leave one consistent history.

mod common;

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use forms_fn::requests::store::Store;
use forms_fn::requests::{Action, Request, State};
use forms_fn::table::Table;
use mail_parser::MessageParser;

const TABLE: &str = "portal-state";
const SECRET: &str = "kunci-uji-yang-cukup-panjang-untuk-hmac-0123456789";

/// moto on a free port, with the table as the deployment template creates it.
fn dynamodb() -> (common::Process, u16) {
    let (server, port) = test_support::servers::dynamodb_server();
    let script = format!(
        "import boto3\n\
         c = boto3.client('dynamodb', endpoint_url='http://127.0.0.1:{port}', region_name='ap-southeast-3', aws_access_key_id='uji', aws_secret_access_key='uji')\n\
         c.create_table(TableName='{TABLE}', KeySchema=[{{'AttributeName': 'pk', 'KeyType': 'HASH'}}], AttributeDefinitions=[{{'AttributeName': 'pk', 'AttributeType': 'S'}}], BillingMode='PAY_PER_REQUEST')\n\
         c.update_time_to_live(TableName='{TABLE}', TimeToLiveSpecification={{'Enabled': True, 'AttributeName': 'expires'}})\n"
    );
    let out = Command::new(common::python_with("moto.server"))
        .args(["-c", &script])
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (server, port)
}

fn table(port: u16) -> Table {
    Table::open_with(
        TABLE,
        Some(format!("http://127.0.0.1:{port}")),
        Some(aws_sdk_dynamodb::config::Credentials::new(
            "uji", "uji", None, None, "test",
        )),
    )
    .expect("table")
}

/// `forms-fn serve` over the shared table, with its own outbox folder.
fn server(site: &Path, dir: &Path, name: &str, smtp: u16, db: u16) -> (common::Process, u16) {
    let mut command = common::forms_fn(&[], site, &dir.join(name), smtp);
    command
        .env("REQUESTS_TABLE", TABLE)
        .env("DYNAMODB_ENDPOINT", format!("http://127.0.0.1:{db}"))
        .env("LINK_SECRET", SECRET)
        .env("RATE_LIMIT_PER_SOURCE", "6");
    common::aws_test_env(&mut command, dir);
    common::serve_with(command)
}

fn form_body(site: &Path, dir: &Path, name: &str) -> Vec<u8> {
    let app = forms_fn::app::load(&forms_fn::Config {
        site_dir: Some(site.to_path_buf()),
        ..common::config(dir, None)
    })
    .expect("app");
    let (mut fields, _) = common::valid_answers_on(
        &app.forms["informasi-publik"],
        forms_model::calendar::Day::today(),
    );
    for (field, value) in &mut fields {
        if field == "nama" {
            *value = name.to_string();
        }
        if field == "email" {
            *value = "warga@contoh.id".to_string();
        }
    }
    common::urlencoded(&fields)
}

const FORM: &str = "application/x-www-form-urlencoded";

/// Desk mails (to the PPID's desk) that carry `reference` in their subject.
fn desk_mails(maildir: &Path, reference: &str) -> Vec<String> {
    ["new", "cur"]
        .iter()
        .flat_map(|d| std::fs::read_dir(maildir.join(d)).into_iter().flatten())
        .filter_map(|e| std::fs::read(e.ok()?.path()).ok())
        .filter_map(|raw| {
            let m = MessageParser::default().parse(&raw)?;
            let to = m.to()?.first()?.address()?.to_string();
            let subject = m.subject()?.to_string();
            (to == "meja-ppid@kpu-ntb.example" && subject.contains(reference))
                .then(|| m.body_text(0).unwrap_or_default().into_owned())
        })
        .collect()
}

fn wait_for_mails(maildir: &Path, reference: &str, n: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let found = desk_mails(maildir, reference);
        if found.len() >= n || Instant::now() > deadline {
            return found;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn two_processes_share_requests_duplicates_and_rate_limits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = common::site_with_desks(dir.path());
    let (_db, db) = dynamodb();
    let smtp_port = common::free_port();
    let maildir = dir.path().join("maildir");
    let _smtp = common::smtp_server(smtp_port, &maildir);
    let (_a, a) = server(&site, dir.path(), "outbox-a", smtp_port, db);
    let (_b, b) = server(&site, dir.path(), "outbox-b", smtp_port, db);

    // The same submission to one process, then to the other: one reference, one mail.
    let body = form_body(&site, dir.path(), "Warga Uji");
    let (status, first) = common::post(a, "/informasi-publik", FORM, &body);
    assert_eq!(status, 200, "{first}");
    let reference = serde_json::from_str::<serde_json::Value>(&first).expect("json")["reference"]
        .as_str()
        .expect("reference")
        .to_string();
    let (status, again) = common::post(b, "/informasi-publik", FORM, &body);
    assert_eq!(status, 200, "{again}");
    assert!(again.contains(&reference), "{again}");
    let mails = wait_for_mails(&maildir, &reference, 2);
    assert_eq!(mails.len(), 1, "one desk mail for one submission");

    // The request made by one process is found through the other.
    let lookup = common::urlencoded(&[
        ("nomor".to_string(), reference.clone()),
        ("kontak".to_string(), "warga@contoh.id".to_string()),
    ]);
    let (status, found) = common::post(b, "/status", FORM, &lookup);
    assert_eq!(status, 200, "{found}");
    assert!(found.contains("\"diterima\""), "{found}");

    // Six posts per source and form per window, counted once for both processes: the two
    // above, then four more, whichever process gets them.
    let mut statuses = Vec::new();
    for n in 0..8 {
        let port = if n % 2 == 0 { a } else { b };
        let body = form_body(&site, dir.path(), &format!("Warga Lain {n}"));
        statuses.push(common::post(port, "/informasi-publik", FORM, &body).0);
    }
    assert_eq!(
        statuses,
        [200, 200, 200, 200, 429, 429, 429, 429],
        "one limit across both processes"
    );

    // Fifty desks' clicks at once on one request, half through each process.
    let secret = forms_fn::requests::tokens::Keys::new(SECRET.as_bytes()).expect("keys");
    let expires = forms_model::calendar::system_secs() + 86_400;
    let actions = [
        Action::Proses,
        Action::Perpanjang,
        Action::Selesai,
        Action::Tolak,
        Action::Alihkan,
    ];
    let clicks: Vec<_> = (0..50)
        .map(|i| {
            let action = actions[i % actions.len()];
            // Each its own link: another expiry, another token.
            let token = secret.link(&reference, action, expires + i as u64);
            let port = if i % 2 == 0 { a } else { b };
            std::thread::spawn(move || {
                let body = common::urlencoded(&[
                    ("catatan".to_string(), format!("Catatan langkah {i}.")),
                    (
                        "dasar".to_string(),
                        "UU 14/2008 Pasal 17 huruf h".to_string(),
                    ),
                ]);
                let answer = test_support::http::exchange(
                    port,
                    "POST",
                    &format!("/tautan/{token}"),
                    &[
                        "Origin: https://kpu-ntb.example",
                        &format!("Content-Type: {FORM}"),
                    ],
                    &body,
                    Duration::from_secs(30),
                )
                .expect("an answer");
                answer.status
            })
        })
        .collect();
    let answers: Vec<u16> = clicks
        .into_iter()
        .map(|t| t.join().expect("click"))
        .collect();
    let applied = answers.iter().filter(|s| **s == 200).count();
    assert!(
        answers.iter().all(|s| *s == 200 || *s == 409),
        "{answers:?}"
    );
    let store = Store::Table(Arc::new(table(db)));
    let request = store.get(&reference).expect("reads").expect("kept");
    assert_eq!(request.history.len(), 1 + applied, "{answers:?}");
    assert!(!request.state.is_open(), "one closing step won");
    let closed = request
        .history
        .iter()
        .filter(|e| !e.state.is_open())
        .count();
    assert_eq!(closed, 1, "exactly one closing step: {:?}", request.history);
}

#[test]
fn fifty_concurrent_changes_in_the_table_are_all_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_db, db) = dynamodb();
    let store = Arc::new(Store::Table(Arc::new(table(db))));
    let app = common::app(dir.path());
    let form = &app.forms["informasi-publik"];
    let request = Request::received("INF-7K3M-Q9XP", form, "ppid", 1, "2026-03-02");
    assert!(store.create(&request).expect("create"));
    assert!(!store.create(&request).expect("create"), "created once");
    let threads: Vec<_> = (0..50)
        .map(|i| {
            let store = Arc::clone(&store);
            std::thread::spawn(move || {
                store
                    .change("INF-7K3M-Q9XP", |r| {
                        let mut event = r.history[0].clone();
                        event.note = Some(format!("langkah {i}"));
                        r.history.push(event);
                        Ok(())
                    })
                    .expect("change kept")
            })
        })
        .collect();
    for t in threads {
        t.join().expect("thread");
    }
    let stored = store.get("INF-7K3M-Q9XP").expect("get").expect("kept");
    assert_eq!(stored.history.len(), 51, "no change lost");
    let mut notes: Vec<_> = stored.history[1..]
        .iter()
        .filter_map(|e| e.note.clone())
        .collect();
    notes.sort();
    notes.dedup();
    assert_eq!(notes.len(), 50, "each change once");
    assert_eq!(stored.state, State::Diterima);
    assert!(store.mark_once("digest:ppid:2026-03-02").expect("mark"));
    assert!(!store.mark_once("digest:ppid:2026-03-02").expect("mark"));
    assert_eq!(store.all().expect("all").len(), 1);
}

#[test]
fn the_morning_round_archives_requests_whose_submissions_are_gone_with_a_ttl() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_db, db) = dynamodb();
    let table = Arc::new(table(db));
    let store = Store::Table(Arc::clone(&table));
    let mut app = common::app(dir.path());
    app.retention_days = Some(365);
    let form = &app.forms["informasi-publik"];
    // Received long ago; its record is no longer in the outbox (the bucket's lifecycle rule
    // deleted it), and a recent one whose record is gone too but which is inside the period.
    let old = Request::received("INF-7K3M-Q9XP", form, "ppid", 1, "1970-01-15");
    let recent = Request::received(
        "INF-7K3M-Q9XR",
        form,
        "ppid",
        app.clock.now_secs() - 86_400,
        "2026-02-26",
    );
    assert!(store.create(&old).expect("create"));
    assert!(store.create(&recent).expect("create"));

    let round = forms_fn::requests::daily::run(&app, &store).expect("round");
    assert_eq!(round.archived, 1, "{round:?}");
    let archived = store.get("INF-7K3M-Q9XP").expect("get").expect("kept");
    assert!(archived.archived && archived.history.is_empty() && archived.due.is_empty());
    assert!(
        !store
            .get("INF-7K3M-Q9XR")
            .expect("get")
            .expect("kept")
            .archived
    );
    // The archived item carries its TTL; the live one carries none.
    let now = forms_model::calendar::system_secs();
    let year = forms_fn::requests::store::ARCHIVED_DAYS * 86_400;
    assert!(table.get("req#INF-7K3M-Q9XP", now).expect("get").is_some());
    assert!(
        table
            .get("req#INF-7K3M-Q9XP", now + year + 60)
            .expect("get")
            .is_none(),
        "expires after {} days",
        forms_fn::requests::store::ARCHIVED_DAYS
    );
    assert!(
        table
            .get("req#INF-7K3M-Q9XR", now + 10 * year)
            .expect("get")
            .is_some()
    );
    // A second round finds nothing more to archive.
    assert_eq!(
        forms_fn::requests::daily::run(&app, &store)
            .expect("round")
            .archived,
        0
    );
}
