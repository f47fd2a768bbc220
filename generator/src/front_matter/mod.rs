//! Splits a Markdown file into its YAML front matter and body, and reads the front matter
//! into typed settings, reporting every mistake with its line.

use std::path::Path;

use serde::Deserialize;

use crate::dates::Date;
use crate::diagnostic::{Diagnostic, did_you_mean};
pub use crate::keys::{KEYS, KeySpec, Kind, kind_of};
use crate::service_standard::ServiceStandard;
use crate::t;
use crate::yaml_error::yaml_error;

/// The raw parts of a source file.
#[derive(Debug)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// 1-based line of the file on which the YAML starts.
    pub yaml_line: usize,
    pub body: &'a str,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

/// Finds the `---` fences.
pub fn split<'a>(file: &Path, source: &'a str) -> Result<Split<'a>, Diagnostic> {
    let start = usize::from(source.starts_with('\u{feff}')) * 3;
    let text = &source[start..];
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "---" {
        return Err(Diagnostic::error(file, t!("front_matter.not_started"))
            .at(source, 1, 1)
            .help(t!("front_matter.not_started.help")));
    }
    let yaml_start = start + first_line_end + 1;
    let mut offset = yaml_start;
    for line in source[yaml_start.min(source.len())..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            let body_offset = offset + line.len();
            return Ok(Split {
                yaml: &source[yaml_start..offset],
                yaml_line: 2,
                body: &source[body_offset..],
                body_offset,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(file, t!("front_matter.not_closed"))
        .at(source, 1, 1)
        .underline(3)
        .help(t!("front_matter.not_closed.help")))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SortBy {
    #[default]
    Weight,
    Date,
    Title,
}

/// How far a translation has been checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TranslationStatus {
    /// Written, awaiting a native speaker's review.
    Draf,
    /// Checked by a native speaker.
    DitinjauPenutur,
}

/// The settings of one page or section, checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub title: String,
    pub description: Option<String>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub draft: bool,
    pub weight: Option<i64>,
    pub tags: Vec<String>,
    pub aliases: Vec<String>,
    pub template: Option<String>,
    /// Line of `template:` in the file, for errors about a missing template.
    pub template_line: Option<usize>,
    pub summary: Option<String>,
    pub extra: serde_yaml::Mapping,
    pub standar_pelayanan: Option<ServiceStandard>,
    /// `status_terjemahan: draf`: a translation still to be checked by a native speaker;
    /// left out like a draft, and the build says so.
    pub awaiting_review: bool,
    pub sort_by: SortBy,
    pub paginate_by: Option<usize>,
    pub feed: bool,
    pub page_template: Option<String>,
}

impl FrontMatter {
    /// Whether a page with `other` as its settings lists, links and renders as one with
    /// these: then `serve` re-renders the page and refreshes its entries in the lists
    /// instead of rebuilding the site. Every key counts, except the few that only change
    /// what the page and its entries say; a new key counts until it is listed here.
    pub fn same_shape(&self, other: &FrontMatter) -> bool {
        let shape = |fm: &FrontMatter| FrontMatter {
            description: None,
            updated: None,
            summary: None,
            extra: serde_yaml::Mapping::new(),
            standar_pelayanan: None,
            template_line: None,
            ..fm.clone()
        };
        shape(self) == shape(other)
    }
}

/// The front matter as written; one field per [`KEYS`] entry.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Raw {
    title: Option<String>,
    description: Option<String>,
    date: Option<String>,
    updated: Option<String>,
    draft: bool,
    weight: Option<i64>,
    tags: Vec<String>,
    aliases: Vec<String>,
    template: Option<String>,
    summary: Option<String>,
    extra: serde_yaml::Mapping,
    standar_pelayanan: Option<ServiceStandard>,
    status_terjemahan: Option<TranslationStatus>,
    sort_by: SortBy,
    paginate_by: Option<usize>,
    feed: bool,
    page_template: Option<String>,
}

/// A key written at the top level of the YAML, with its 1-based line.
pub struct Key<'a> {
    pub name: &'a str,
    pub line: usize,
    pub column: usize,
}

/// The top-level keys of `yaml` (whose first line is line `first_line` of its file), read
/// straight from the text so every one has its line: serde stops at the first problem, and
/// editors want them all.
pub fn top_level_keys(yaml: &str, first_line: usize) -> Vec<Key<'_>> {
    let mut keys = Vec::new();
    for (i, line) in yaml.lines().enumerate() {
        let Some(first) = line.chars().next() else {
            continue;
        };
        if first.is_whitespace() || matches!(first, '#' | '-' | '{' | '[') {
            continue;
        }
        if let Some(colon) = line.find(':') {
            let name = line[..colon].trim().trim_matches(['"', '\'']);
            keys.push(Key {
                name,
                line: first_line + i,
                column: 1,
            });
        }
    }
    keys
}

/// Reads the front matter. `is_section` says whether the file is an `_index.md`.
/// Problems are appended to `diagnostics`; `None` means the YAML could not be read at all.
/// A page with other mistakes is still returned, so its links and template can be checked
/// in the same build (the build fails anyway).
pub fn parse(
    file: &Path,
    source: &str,
    split: &Split<'_>,
    is_section: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<FrontMatter> {
    let keys = top_level_keys(split.yaml, split.yaml_line);
    check_keys(file, source, &keys, is_section, diagnostics);
    let at = Where {
        file,
        source,
        keys: &keys,
        first_line: split.yaml_line,
    };
    let raw: Raw = if split.yaml.trim().is_empty() {
        Raw::default()
    } else {
        match serde_yaml::from_str(split.yaml) {
            Ok(raw) => raw,
            Err(err) => {
                diagnostics.push(yaml_error(file, source, split.yaml_line, &err));
                return None;
            }
        }
    };
    let fm = FrontMatter {
        title: title(&at, raw.title, diagnostics),
        description: raw.description,
        date: date(&at, "date", raw.date, diagnostics),
        updated: date(&at, "updated", raw.updated, diagnostics),
        draft: raw.draft,
        weight: raw.weight,
        tags: raw.tags,
        aliases: raw.aliases,
        template: raw.template,
        template_line: at.line_of("template"),
        summary: raw.summary,
        extra: raw.extra,
        standar_pelayanan: raw.standar_pelayanan,
        awaiting_review: raw.status_terjemahan == Some(TranslationStatus::Draf),
        sort_by: raw.sort_by,
        paginate_by: raw.paginate_by,
        feed: raw.feed,
        page_template: raw.page_template,
    };
    if let Some(standard) = &fm.standar_pelayanan {
        check_standard(&at, standard, diagnostics);
    }
    if fm.paginate_by == Some(0) {
        diagnostics.push(
            Diagnostic::error(file, t!("front_matter.paginate_by_zero"))
                .at(source, at.line("paginate_by"), 1)
                .help(t!("front_matter.paginate_by_zero.help")),
        );
    }
    Some(fm)
}

/// Where the front matter being read is, for messages: its file, text and keys' lines.
struct Where<'a> {
    file: &'a Path,
    source: &'a str,
    keys: &'a [Key<'a>],
    /// The line the YAML starts on.
    first_line: usize,
}

impl Where<'_> {
    fn line_of(&self, name: &str) -> Option<usize> {
        self.keys.iter().find(|k| k.name == name).map(|k| k.line)
    }

    /// The line of `name`, or the first line of the YAML.
    fn line(&self, name: &str) -> usize {
        self.line_of(name).unwrap_or(self.first_line)
    }
}

/// Unknown keys, and a section's keys on a page.
fn check_keys(
    file: &Path,
    source: &str,
    keys: &[Key<'_>],
    is_section: bool,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let candidates: Vec<&str> = KEYS
        .iter()
        .filter(|k| is_section || !k.section_only)
        .map(|k| k.name)
        .collect();
    for key in keys {
        let Some(spec) = KEYS.iter().find(|k| k.name == key.name) else {
            let d = Diagnostic::error(file, t!("front_matter.unknown_key", key = key.name))
                .at(source, key.line, key.column)
                .underline(key.name.chars().count());
            let in_english = crate::keys::english_key(key.name).filter(|k| candidates.contains(k));
            diagnostics.push(
                match in_english.or_else(|| did_you_mean(key.name, &candidates)) {
                    Some(s) if in_english.is_some() => d.help(t!(
                        "front_matter.unknown_key.in_english",
                        english = s,
                        key = key.name
                    )),
                    Some(s) => d.help(t!("front_matter.unknown_key.did_you_mean", suggestion = s)),
                    None => d.help(t!(
                        "front_matter.unknown_key.accepted",
                        keys = candidates.join(", ")
                    )),
                },
            );
            continue;
        };
        if !is_section && spec.section_only {
            diagnostics.push(
                Diagnostic::error(file, t!("front_matter.section_only", key = key.name))
                    .at(source, key.line, key.column)
                    .underline(key.name.chars().count())
                    .help(t!("front_matter.section_only.help")),
            );
        }
    }
}

/// The page's title; without one, the file's name, and an error.
fn title(at: &Where<'_>, raw: Option<String>, diagnostics: &mut Vec<Diagnostic>) -> String {
    if let Some(title) = raw.filter(|t| !t.trim().is_empty()) {
        return title.trim().to_string();
    }
    let d = Diagnostic::error(at.file, t!("front_matter.no_title"));
    diagnostics.push(
        match at.line_of("title") {
            Some(line) => d.at(at.source, line, 1).underline(5),
            None => d.at(at.source, 1, 1).underline(3),
        }
        .help(t!("front_matter.no_title.help")),
    );
    at.file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The date written under `name`, or an error at its line.
fn date(
    at: &Where<'_>,
    name: &str,
    raw: Option<String>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Date> {
    let text = raw?;
    let date = Date::parse(&text);
    if date.is_none() {
        diagnostics.push(
            Diagnostic::error(
                at.file,
                t!("front_matter.invalid_date", key = name, value = text),
            )
            .at(at.source, at.line(name), name.len() + 3)
            .underline(text.chars().count())
            .help(t!("front_matter.invalid_date.help", key = name)),
        );
    }
    date
}

/// The six components of a service standard that citizens read are there.
fn check_standard(at: &Where<'_>, standard: &ServiceStandard, diagnostics: &mut Vec<Diagnostic>) {
    let missing = standard.missing_required();
    if missing.is_empty() {
        return;
    }
    let list = missing
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    diagnostics.push(
        Diagnostic::error(
            at.file,
            t!("front_matter.standard_missing", components = list),
        )
        .at(at.source, at.line("standar_pelayanan"), 1)
        .underline("standar_pelayanan".len())
        .help(t!("front_matter.standard_missing.help")),
    );
}

/// Placeholders `{konfirmasi: "..."}` written in `yaml`, as (line, column, text).
pub fn placeholders(yaml: &str, first_line: usize) -> Vec<(usize, usize, String)> {
    let mut found = Vec::new();
    for (i, full_line) in yaml.lines().enumerate() {
        // A comment may mention the marker; only values count.
        let line = match full_line.find('#') {
            Some(0) => "",
            Some(c) if full_line[..c].ends_with(char::is_whitespace) => &full_line[..c],
            _ => full_line,
        };
        let mut rest = line;
        let mut base = 0;
        while let Some(pos) = rest.find("konfirmasi:") {
            let after = &rest[pos + "konfirmasi:".len()..];
            let end = after.find('}').unwrap_or(after.len());
            let text = after[..end].trim().trim_matches(['"', '\'']).to_string();
            let column = line[..base + pos].chars().count() + 1;
            found.push((first_line + i, column, text));
            base += pos + "konfirmasi:".len();
            rest = &rest[pos + "konfirmasi:".len()..];
        }
    }
    found
}

#[cfg(test)]
mod tests;
