//! A tracked request's test kit: the function over a site whose desks and the PPID's
//! superior have real addresses, a submitted information request, the mail as the tests
//! read it, the desk's links and the confirming POST.

use std::path::Path;

use forms_fn::requests::Action;
use forms_fn::{App, handle};
use forms_model::calendar::Clock;
use http::Request;
use mail_parser::MessageParser;

pub const DESK: &str = "meja-ppid@kpu-ntb.example";
pub const HEAD: &str = "atasan-ppid@kpu-ntb.example";
pub const CITIZEN: &str = "warga@contoh.id";

/// The function over a site whose desks and the PPID's superior have real addresses.
pub fn app(dir: &Path, clock: Clock) -> App {
    let site = super::site_with_desks(dir);
    let settings = site.join("content/site.yaml");
    let mut text = std::fs::read_to_string(&settings).expect("site.yaml");
    text.push_str(&format!("  kepala:\n    ppid: {HEAD}\n"));
    std::fs::write(&settings, text).expect("site.yaml");
    // The holidays the deadlines skip: the site's own list.
    std::fs::copy(
        super::site_dir().join("content/hari-libur.yaml"),
        site.join("content/hari-libur.yaml"),
    )
    .expect("holidays");
    let mut config = super::config(dir, None);
    config.site_dir = Some(site);
    let mut app = forms_fn::app::load(&config).expect("app loads");
    app.clock = clock;
    app
}

pub fn form(app: &App) -> &forms_model::schema::Form {
    app.forms.get("informasi-publik").expect("form")
}

/// Submits a valid information request; its reference.
pub fn submit(app: &App) -> String {
    let (fields, _) = super::valid_answers_on(form(app), app.clock.today());
    let answer = super::requests::from_site(app, &fields);
    assert_eq!(answer.status(), 200, "{}", super::requests::text(&answer));
    let json = super::requests::json_body(&answer);
    let status_url = json["status_url"]
        .as_str()
        .expect("a status link")
        .to_string();
    let reference = json["reference"].as_str().expect("reference").to_string();
    assert!(
        status_url.ends_with(&format!("/status?nomor={reference}")),
        "{status_url}"
    );
    reference
}

/// A mail as the tests read it.
pub struct Mail {
    pub to: String,
    pub cc: Vec<String>,
    pub reply_to: Option<String>,
    pub subject: String,
    pub text: String,
}

pub fn all_mail(dir: &Path) -> Vec<Mail> {
    super::mails(&dir.join("mail"))
        .iter()
        .filter_map(|m| MessageParser::default().parse(m))
        .map(|m| {
            let first = |list: Option<&mail_parser::Address>| {
                list.and_then(|a| a.first())
                    .and_then(|a| a.address())
                    .map(str::to_string)
            };
            Mail {
                to: first(m.to()).unwrap_or_default(),
                cc: m
                    .cc()
                    .map(|a| {
                        a.iter()
                            .filter_map(|a| a.address())
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default(),
                reply_to: first(m.reply_to()),
                subject: m.subject().unwrap_or_default().to_string(),
                text: m.body_text(0).unwrap_or_default().into_owned(),
            }
        })
        .collect()
}

pub fn mail_to(dir: &Path, to: &str, subject_has: &str) -> Vec<Mail> {
    all_mail(dir)
        .into_iter()
        .filter(|m| m.to == to && m.subject.contains(subject_has))
        .collect()
}

/// The path of the desk mail's link for `action` (`/tautan/{token}`).
pub fn link_in(mail: &Mail, action: Action) -> String {
    let marker = format!(".{}.", action.name());
    mail.text
        .split_whitespace()
        .filter_map(|word| word.split_once("/tautan/").map(|(_, token)| token))
        .find(|token| token.contains(&marker))
        .map(|token| format!("/tautan/{token}"))
        .unwrap_or_else(|| panic!("no {} link in:\n{}", action.name(), mail.text))
}

pub fn get(path: &str) -> Request<Vec<u8>> {
    let mut request = Request::builder()
        .method("GET")
        .uri(path)
        .body(Vec::new())
        .expect("request");
    request
        .extensions_mut()
        .insert(forms_fn::guard::ClientIp("198.51.100.20".into()));
    request
}

/// The desk confirming a step from the function's own page, with its note.
pub fn confirm(app: &App, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let fields: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let answer = handle(
        app,
        &super::requests::post(
            path,
            "198.51.100.20",
            "application/x-www-form-urlencoded",
            super::urlencoded(&fields),
            &[],
        ),
    );
    (answer.status().as_u16(), super::requests::text(&answer))
}
