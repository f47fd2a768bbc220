//! The office's performance in public. Each published period is two files in
//! `content/kinerja/`: `<id>.json`, the figures `forms-fn stats` wrote (copied to the site as
//! open data, with a CSV beside it), and `<id>.md`, its page, whose `extra.tindak_lanjut`
//! holds the follow-up the office committed to, per service (`kantor`: the whole office).
//! Templates read the periods through `kinerja()`, `kinerja_periode(url=...)` and
//! `kinerja_layanan(url=...)` (see [`values`]); charts are drawn here, at build time.

mod charts;
mod csv;
pub mod values;

use std::collections::BTreeMap;
use std::path::Path;

use forms_model::performance::{Report, SCHEMA};

use crate::diagnostic::Diagnostic;
use crate::output::{Contents, OutputFile};
use crate::site::Site;
use crate::t;

/// The folder of the periods, inside `content/`.
pub const DIR: &str = "kinerja";

/// The front-matter key (under `extra`) of a period's follow-up.
pub const FOLLOW_UP: &str = "tindak_lanjut";

/// One published period.
#[derive(Debug, Clone, PartialEq)]
pub struct Period {
    /// The files' name (`2026`, `2026-1`).
    pub id: String,
    pub report: Report,
    /// Follow-up text by service page name; `kantor` for the whole office.
    pub follow_up: BTreeMap<String, String>,
    /// The period page's title and address in each language it exists in.
    pub pages: BTreeMap<String, (String, String)>,
}

/// Every period, oldest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Performance {
    pub periods: Vec<Period>,
    /// The site's default language, whose page stands in for a missing translation.
    pub default_lang: String,
    /// The site's base path (`/`), for the open-data files' addresses.
    pub base: String,
}

/// Reads the periods; a file that does not read or is of another schema is an error, a
/// period without its page or without a follow-up a warning.
pub fn load(root: &Path, site: &Site, diagnostics: &mut Vec<Diagnostic>) -> Performance {
    let mut performance = Performance {
        periods: Vec::new(),
        default_lang: site.config.language.clone(),
        base: site.config.base_path().to_string(),
    };
    let dir = root.join(crate::content::CONTENT_DIR).join(DIR);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return performance;
    };
    let mut files: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    for path in files {
        let id = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let file = format!("{}/{DIR}/{id}.json", crate::content::CONTENT_DIR);
        let report = match std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|text| serde_json::from_str::<Report>(&text).map_err(|e| e.to_string()))
        {
            Ok(report) if report.schema == SCHEMA => report,
            Ok(report) => {
                diagnostics.push(
                    Diagnostic::error(
                        &file,
                        t!(
                            "performance.schema",
                            found = report.schema,
                            expected = SCHEMA
                        ),
                    )
                    .help(t!("performance.schema.help")),
                );
                continue;
            }
            Err(e) => {
                diagnostics.push(
                    Diagnostic::error(&file, t!("performance.unreadable", error = e))
                        .help(t!("performance.unreadable.help")),
                );
                continue;
            }
        };
        let period = period(site, id, report, &file, diagnostics);
        performance.periods.push(period);
    }
    performance
        .periods
        .sort_by(|a, b| (&a.report.to, &a.id).cmp(&(&b.report.to, &b.id)));
    performance
}

/// A period with what its pages say.
fn period(
    site: &Site,
    id: String,
    report: Report,
    file: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Period {
    let key = format!("{DIR}/{id}.md");
    let docs: Vec<_> = site
        .translations
        .get(&key)
        .map(|targets| targets.iter().map(|t| site.doc(*t)).collect())
        .unwrap_or_default();
    let pages = docs
        .iter()
        .map(|d| (d.lang.clone(), (d.meta.title.clone(), d.url.clone())))
        .collect();
    let mut follow_up = BTreeMap::new();
    match docs.first() {
        None => diagnostics.push(
            Diagnostic::warning(file, t!("performance.no_page", page = key))
                .help(t!("performance.no_page.help", follow_up = FOLLOW_UP)),
        ),
        Some(doc) => {
            if let Some(serde_yaml::Value::Mapping(map)) = doc.meta.extra.get(FOLLOW_UP) {
                for (k, v) in map {
                    if let (Some(k), Some(v)) = (k.as_str(), v.as_str()) {
                        follow_up.insert(k.to_string(), v.trim().to_string());
                    }
                }
            }
            if follow_up.is_empty() {
                diagnostics.push(
                    Diagnostic::warning(&doc.file, t!("performance.no_follow_up", id = id))
                        .help(t!("performance.no_follow_up.help", follow_up = FOLLOW_UP)),
                );
            }
        }
    }
    Period {
        id,
        report,
        follow_up,
        pages,
    }
}

/// The CSV beside each period's JSON.
pub fn outputs(performance: &Performance) -> Vec<OutputFile> {
    performance
        .periods
        .iter()
        .map(|p| OutputFile {
            path: format!("{DIR}/{}.csv", p.id),
            contents: Contents::Bytes(csv::report(&p.report).into_bytes()),
        })
        .collect()
}
