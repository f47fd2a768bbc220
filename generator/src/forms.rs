//! The generator's side of forms: reads the definitions in `content/forms/`, checks them
//! against the desks of site.yaml, and renders each form's HTML once per build (templates
//! place it with `form(id=...)`).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use forms_model::calendar::Day;
use forms_model::holidays::{HOLIDAYS_FILE, Holidays};
use forms_model::lang::Lang;
use forms_model::schema::{self, Form};
use forms_model::settings::form_action;
use forms_model::submission::Submission;

use crate::config::{CONFIG_FILE, LOCAL_FORMS_ENDPOINT, SiteConfig};
use crate::diagnostic::Diagnostic;
use crate::{messages, t};

/// The editor's language in forms_model's terms: the definitions' and the holiday list's
/// problems are worded there, the form function sharing them.
fn editor_lang() -> Lang {
    match messages::current() {
        messages::Lang::Id => Lang::Id,
        messages::Lang::En => Lang::En,
    }
}

/// Reads every definition; problems become diagnostics at the definition's line.
pub fn load(
    root: &Path,
    config: &SiteConfig,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Form> {
    let forms = match schema::load_dir_in(root, editor_lang()) {
        Ok(forms) => forms,
        Err(errors) => {
            for e in errors {
                let d = Diagnostic::error(&e.file, e.message.clone());
                let source = std::fs::read_to_string(root.join(&e.file)).unwrap_or_default();
                diagnostics.push(match (e.line, e.column) {
                    (Some(line), Some(column)) => d.at(&source, line, column),
                    _ => d.help(t!("forms.definition.help")),
                });
            }
            return BTreeMap::new();
        }
    };
    for form in forms.values() {
        let file = format!("{}/{}.yaml", schema::FORMS_DIR, form.id);
        let source = std::fs::read_to_string(root.join(&file)).unwrap_or_default();
        let to_confirm = [
            (
                "deadline_days:",
                match &form.deadline_days {
                    schema::Deadline::Pending { konfirmasi } => Some(konfirmasi),
                    schema::Deadline::Days(_) | schema::Deadline::Absent => None,
                },
            ),
            (
                "retention:",
                match &form.retention {
                    schema::Text::Pending { konfirmasi } => Some(konfirmasi),
                    schema::Text::Known(_) => None,
                },
            ),
        ];
        for (key, text) in to_confirm {
            if let Some(text) = text {
                let line = source
                    .lines()
                    .position(|l| l.starts_with(key))
                    .map_or(1, |i| i + 1);
                diagnostics.push(crate::config::placeholder_warning(
                    Path::new(&file),
                    &source,
                    line,
                    1,
                    text,
                ));
            }
        }
        for desk in form.desks() {
            if !config.forms.desks.contains_key(desk) {
                diagnostics.push(
                    Diagnostic::error(
                        format!("{}/{}.yaml", schema::FORMS_DIR, form.id),
                        t!("forms.desk_unknown", desk = desk),
                    )
                    .help(t!(
                        "forms.desk_unknown.help",
                        desk = desk,
                        config = CONFIG_FILE
                    )),
                );
            }
        }
    }
    forms
}

/// Checks the list of holidays the forms' deadlines skip (`content/hari-libur.yaml`): it
/// must read, and cover the years a deadline set `today` may reach; a year still missing,
/// and a placeholder in the file, are values to confirm (`build --strict` refuses them).
pub fn check_holidays(root: &Path, today: Day, diagnostics: &mut Vec<Diagnostic>) {
    let file = Path::new(HOLIDAYS_FILE);
    let source = match std::fs::read_to_string(root.join(file)) {
        Ok(source) => source,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            diagnostics.push(Diagnostic::error(
                file,
                t!("forms.holidays_unreadable", error = e),
            ));
            return;
        }
    };
    let text = if source.is_empty() { "{}" } else { &source };
    let holidays = match Holidays::parse_in(text, editor_lang()) {
        Ok(holidays) => holidays,
        Err(e) => {
            let d = Diagnostic::error(file, e.message.clone());
            diagnostics.push(match e.line {
                Some(line) => d.at(&source, line, 1),
                None => d,
            });
            return;
        }
    };
    for (line, column, text) in crate::front_matter::placeholders(&source, 1) {
        diagnostics.push(crate::config::placeholder_warning(
            file, &source, line, column, &text,
        ));
    }
    for year in holidays.missing_years(today) {
        diagnostics.push(crate::config::placeholder_warning(
            file,
            &source,
            1,
            1,
            &t!("forms.holidays_missing_year", year = year),
        ));
    }
}

/// Where forms post: site.yaml's `forms.endpoint`, or the local server's path.
pub fn endpoint(config: &SiteConfig, override_endpoint: Option<&str>) -> String {
    override_endpoint
        .map(str::to_string)
        .or_else(|| config.forms.endpoint_url().map(str::to_string))
        .unwrap_or_else(|| LOCAL_FORMS_ENDPOINT.to_string())
        .trim_end_matches('/')
        .to_string()
}

/// Each form's HTML, empty, posting to `{endpoint}/{id}` (`{endpoint}/en/{id}` in English),
/// once in each language the form function answers in, keyed `{lang}/{id}` (`id/pengaduan`,
/// `en/pengaduan`).
pub fn render_all(forms: &BTreeMap<String, Form>, endpoint: &str) -> HashMap<String, String> {
    let mut html = HashMap::new();
    let empty = Submission::default();
    for lang in [Lang::Id, Lang::En] {
        for (id, form) in forms {
            let action = form_action(endpoint, id, lang);
            html.insert(
                format!("{}/{id}", lang.code()),
                forms_model::render::form(form, &action, lang, &empty, &Vec::new()),
            );
        }
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(list: Option<&str>, today: &str) -> Vec<Diagnostic> {
        let dir = tempfile::tempdir().expect("temp dir");
        if let Some(list) = list {
            std::fs::create_dir_all(dir.path().join("content")).expect("mkdir");
            std::fs::write(dir.path().join(HOLIDAYS_FILE), list).expect("write");
        }
        let mut diagnostics = Vec::new();
        check_holidays(
            dir.path(),
            Day::parse(today).expect("day"),
            &mut diagnostics,
        );
        diagnostics
    }

    const LIST: &str = "2026:\n  sumber: SKB\n  hari:\n    - {tanggal: 2026-12-25, nama: Natal}\n";

    #[test]
    fn the_years_a_deadline_may_reach_must_be_listed() {
        assert!(check(Some(LIST), "2026-06-01").is_empty());
        let late = check(Some(LIST), "2026-12-04");
        assert_eq!(late.len(), 1, "{late:?}");
        assert!(!late[0].is_error());
        assert!(
            late[0]
                .message
                .starts_with("value to confirm before publishing")
        );
        assert!(late[0].message.contains("of 2027"), "{}", late[0].message);
        let none = check(None, "2026-12-04");
        assert_eq!(none.len(), 2, "2026 and 2027: {none:?}");
    }

    #[test]
    fn a_day_outside_its_year_is_an_error_at_its_line() {
        let d = check(
            Some(&LIST.replace("2026-12-25", "2027-12-25")),
            "2026-06-01",
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].is_error() && d[0].line == Some(4), "{d:?}");
    }
}
