//! The generator's side of forms: reads the definitions in `content/forms/`, checks them
//! against the desks of site.yaml, and renders each form's HTML once per build (templates
//! place it with `form(id=...)`).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use forms_model::lang::Lang;
use forms_model::schema::{self, Form};
use forms_model::settings::form_action;
use forms_model::submission::Submission;

use crate::config::{CONFIG_FILE, LOCAL_FORMS_ENDPOINT, SiteConfig};
use crate::diagnostic::Diagnostic;

/// Reads every definition; problems become diagnostics at the definition's line.
pub fn load(
    root: &Path,
    config: &SiteConfig,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Form> {
    let forms = match schema::load_dir(root) {
        Ok(forms) => forms,
        Err(errors) => {
            for e in errors {
                let d = Diagnostic::error(&e.file, e.message.clone());
                let source = std::fs::read_to_string(root.join(&e.file)).unwrap_or_default();
                diagnostics.push(match (e.line, e.column) {
                    (Some(line), Some(column)) => d.at(&source, line, column),
                    _ => d.help("see docs/forms.md for what a form definition holds"),
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
                    schema::Deadline::Days(_) => None,
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
                    Diagnostic::error(format!("{}/{}.yaml", schema::FORMS_DIR, form.id), format!("the desk `{desk}` is not listed in site.yaml"))
                        .help(format!("add `{desk}: address@example` under `forms.desks` in {CONFIG_FILE}, or a `{{konfirmasi: ...}}` placeholder")),
                );
            }
        }
    }
    forms
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
