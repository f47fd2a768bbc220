//! Splits a Markdown file into its YAML front matter and body, and reads the front matter
//! into typed settings, reporting every mistake with its line.

use std::path::Path;

use serde::Deserialize;

use crate::dates::Date;
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::service_standard::{self, ServiceStandard};

/// Keys every page accepts.
pub const PAGE_KEYS: [&str; 12] = [
    "title",
    "description",
    "date",
    "updated",
    "draft",
    "weight",
    "tags",
    "aliases",
    "template",
    "summary",
    "extra",
    "standar_pelayanan",
];

/// Keys only a section's `_index.md` accepts.
pub const SECTION_KEYS: [&str; 4] = ["sort_by", "paginate_by", "feed", "page_template"];

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
        return Err(Diagnostic::error(file, "the file does not start with front matter")
            .at(source, 1, 1)
            .help("start the file with a line `---`, then the settings (at least `title: ...`), then another line `---`"));
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
    Err(Diagnostic::error(file, "the front matter is not closed")
        .at(source, 1, 1)
        .underline(3)
        .help("add a line with only `---` after the last setting, before the text of the page"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SortBy {
    #[default]
    Weight,
    Date,
    Title,
}

/// The settings of one page or section, checked.
#[derive(Debug, Clone, Default)]
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
    pub sort_by: SortBy,
    pub paginate_by: Option<usize>,
    pub feed: bool,
    pub page_template: Option<String>,
}

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
    for key in &keys {
        let known = PAGE_KEYS.contains(&key.name) || SECTION_KEYS.contains(&key.name);
        if !known {
            let mut candidates: Vec<&str> = PAGE_KEYS.to_vec();
            if is_section {
                candidates.extend(SECTION_KEYS);
            }
            let d = Diagnostic::error(file, format!("unknown front matter key `{}`", key.name))
                .at(source, key.line, key.column)
                .underline(key.name.chars().count());
            diagnostics.push(match did_you_mean(key.name, &candidates) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d.help(format!(
                    "the keys a page accepts are: {}; put your own settings under `extra:`",
                    candidates.join(", ")
                )),
            });
        } else if !is_section && SECTION_KEYS.contains(&key.name) {
            diagnostics.push(
                Diagnostic::error(file, format!("`{}` only applies to a section", key.name))
                    .at(source, key.line, key.column)
                    .underline(key.name.chars().count())
                    .help("move it to the `_index.md` of the section, or remove it"),
            );
        }
    }
    let key_line = |name: &str| keys.iter().find(|k| k.name == name).map(|k| k.line);

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

    let mut fm = FrontMatter {
        title: String::new(),
        description: raw.description,
        date: None,
        updated: None,
        draft: raw.draft,
        weight: raw.weight,
        tags: raw.tags,
        aliases: raw.aliases,
        template: raw.template,
        template_line: key_line("template"),
        summary: raw.summary,
        extra: raw.extra,
        standar_pelayanan: raw.standar_pelayanan,
        sort_by: raw.sort_by,
        paginate_by: raw.paginate_by,
        feed: raw.feed,
        page_template: raw.page_template,
    };

    match raw.title {
        Some(title) if !title.trim().is_empty() => fm.title = title.trim().to_string(),
        _ => {
            fm.title = file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let d = Diagnostic::error(file, "the page has no `title`");
            diagnostics.push(
                match key_line("title") {
                    Some(line) => d.at(source, line, 1).underline(5),
                    None => d.at(source, 1, 1).underline(3),
                }
                .help(
                    "add a line such as `title: Permohonan Informasi Publik` to the front matter",
                ),
            );
        }
    }

    for (name, raw_date, slot) in [
        ("date", raw.date, &mut fm.date),
        ("updated", raw.updated, &mut fm.updated),
    ] {
        let Some(text) = raw_date else { continue };
        match Date::parse(&text) {
            Some(date) => *slot = Some(date),
            None => {
                let line = key_line(name).unwrap_or(split.yaml_line);
                let column = name.len() + 3;
                diagnostics.push(
                    Diagnostic::error(file, format!("`{name}` is not a valid date: `{text}`"))
                        .at(source, line, column)
                        .underline(text.chars().count())
                        .help(format!(
                            "write the date as YYYY-MM-DD, e.g. `{name}: 2026-02-12`"
                        )),
                );
            }
        }
    }

    if let Some(standard) = &fm.standar_pelayanan {
        let missing = standard.missing_required();
        if !missing.is_empty() {
            let line = key_line("standar_pelayanan").unwrap_or(split.yaml_line);
            let list = missing
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ");
            diagnostics.push(
                Diagnostic::error(file, format!("`standar_pelayanan` is missing {list}"))
                    .at(source, line, 1)
                    .underline("standar_pelayanan".len())
                    .help("the six components citizens read are required: persyaratan, prosedur, jangka_waktu, biaya, produk, pengaduan; write `{konfirmasi: \"...\"}` for a value still to be confirmed"),
            );
        }
    }
    if fm.paginate_by == Some(0) {
        let line = key_line("paginate_by").unwrap_or(split.yaml_line);
        diagnostics.push(
            Diagnostic::error(file, "`paginate_by` must be at least 1")
                .at(source, line, 1)
                .help(
                    "write the number of pages per list page, e.g. `paginate_by: 10`, or remove it",
                ),
        );
    }

    Some(fm)
}

/// Turns a YAML error into a diagnostic at the right line of the whole file.
pub fn yaml_error(
    file: &Path,
    source: &str,
    first_line: usize,
    err: &serde_yaml::Error,
) -> Diagnostic {
    let text = err.to_string();
    // libyaml names places as "at line N column M" (relative to the YAML); the diagnostic
    // shows the place itself, so those go. A scanner error also names where the broken
    // construct started ("while scanning a quoted scalar at line 1 column 8"): that is
    // where the editor has to look.
    let (message, start) = strip_positions(&text);
    let (message, help) = explain(&message);
    let mut location = err
        .location()
        .map(|l| (first_line + l.line() - 1, l.column()));
    if let Some((line, column)) = start {
        location = Some((first_line + line - 1, column));
    }
    if let Some(path) = error_key_path(&text)
        && let Some(line) = locate_key_path(source, first_line, &path)
        && location.is_none_or(|(l, _)| l < line.0)
    {
        location = Some(line);
    }
    let d = Diagnostic::error(file, message);
    let d = match location {
        Some((line, column)) => {
            let width = source
                .lines()
                .nth(line - 1)
                .map(|l| {
                    l.chars()
                        .skip(column - 1)
                        .collect::<String>()
                        .trim_end()
                        .chars()
                        .count()
                })
                .unwrap_or(1);
            d.at(source, line, column).underline(width)
        }
        None => d.at(source, first_line, 1),
    };
    match help {
        Some(help) => d.help(help),
        None => d,
    }
}

/// Removes "at line N column M" from libyaml's text; returns the position named after
/// "while scanning ...", if any.
fn strip_positions(text: &str) -> (String, Option<(usize, usize)>) {
    let mut message = String::new();
    let mut start = None;
    let mut rest = text;
    while let Some(i) = rest.find(" at line ") {
        message.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let line_end = after
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after.len());
        let line: usize = after[..line_end].parse().unwrap_or(1);
        let after = &after[line_end..];
        let after = after.strip_prefix(" column ").unwrap_or(after);
        let col_end = after
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after.len());
        let column: usize = after[..col_end].parse().unwrap_or(1);
        if message.contains("while scanning") {
            start = Some((line, column));
        }
        rest = &after[col_end..];
    }
    message.push_str(rest);
    (message, start)
}

/// The dotted key path an error is about: serde's prefix (`standar_pelayanan`), completed
/// with the component our own messages name (`jangka_waktu must be ...`).
fn error_key_path(text: &str) -> Option<String> {
    let (prefix, rest) = text.split_once(": ")?;
    if !is_key_path(prefix) {
        return None;
    }
    let named = service_standard::KEYS.iter().find(|k| {
        rest.starts_with(&format!("{k} must")) || rest.contains(&format!(" of {k} must"))
    });
    Some(match named {
        Some(key) => format!("{prefix}.{key}"),
        None => prefix.to_string(),
    })
}

fn is_key_path(p: &str) -> bool {
    !p.is_empty()
        && p.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']'))
}

/// Finds the line and column of a dotted key path (`standar_pelayanan.jangka_waktu`) in
/// `source`, from line `first_line` on: each key is looked for below the previous one,
/// more indented.
fn locate_key_path(source: &str, first_line: usize, path: &str) -> Option<(usize, usize)> {
    let lines: Vec<&str> = source.lines().collect();
    let mut from = first_line - 1;
    let mut min_indent = 0;
    let mut found = None;
    for segment in path.split('.') {
        let key = segment.split('[').next().unwrap_or(segment);
        let wanted = format!("{key}:");
        let (i, indent) = lines.iter().enumerate().skip(from).find_map(|(i, l)| {
            let indent = l.len() - l.trim_start().len();
            (indent >= min_indent && l.trim_start().starts_with(&wanted)).then_some((i, indent))
        })?;
        found = Some((i + 1, indent + 1));
        from = i + 1;
        min_indent = indent + 1;
    }
    found
}

/// Rewords serde's messages for editors and adds what to do.
fn explain(message: &str) -> (String, Option<String>) {
    if let Some(rest) = message.split("unknown field `").nth(1) {
        let field = rest.split('`').next().unwrap_or_default();
        let path = message.split(": unknown field").next().unwrap_or_default();
        let help = match did_you_mean(field, &service_standard::KEYS) {
            Some(s) if path.starts_with("standar_pelayanan") => format!("did you mean `{s}`?"),
            _ => format!(
                "`standar_pelayanan` accepts: {}",
                service_standard::KEYS.join(", ")
            ),
        };
        return (format!("unknown key `{field}` in `{path}`"), Some(help));
    }
    if let Some((_, rest)) = message.split_once(": ")
        && let Some(key) = service_standard::KEYS.iter().find(|k| {
            rest.starts_with(&format!("{k} must")) || rest.contains(&format!(" of {k} must"))
        })
    {
        let help = rest.replacen(&format!("{key} must be"), "it must be", 1);
        return (format!("`{key}` is not written correctly"), Some(help));
    }
    if message.contains("while scanning a quoted scalar") {
        return (
            "a quoted text is never closed".into(),
            Some("end the text with the same quote mark it starts with (`\"` or `'`)".into()),
        );
    }
    if message.contains("mapping values are not allowed") {
        return (
            "a value contains `: `, which YAML reads as a new setting".into(),
            Some("put the value in quotes, e.g. `title: \"Pemilu 2029: jadwal\"`".into()),
        );
    }
    if message.contains("did not find expected key")
        || message.contains("did not find expected '-'")
    {
        return (
            format!("the indentation is inconsistent ({message})"),
            Some("indent nested settings with the same number of spaces (two), never tabs".into()),
        );
    }
    if message.contains("invalid type") {
        let key = message.split(':').next().unwrap_or_default();
        let message = reword_type_error(message);
        let example = match key.trim() {
            "title" | "description" | "summary" | "template" | "page_template" => Some(format!(
                "write text, e.g. `{key}: Permohonan Informasi Publik`"
            )),
            "weight" | "paginate_by" => Some(format!("write a whole number, e.g. `{key}: 3`")),
            "draft" | "feed" => Some(format!("write `{key}: true` or `{key}: false`")),
            "tags" | "aliases" => Some(format!("write a list, e.g. `{key}: [pemilih, data]`")),
            "date" | "updated" => Some(format!(
                "write the date as YYYY-MM-DD, e.g. `{key}: 2026-02-12`"
            )),
            "extra" => Some("write a map of settings under `extra:`".into()),
            _ => None,
        };
        return (message, example);
    }
    if message.contains("did not match any variant") {
        let key = message.split(':').next().unwrap_or_default();
        return (
            format!("`{key}` has a value of the wrong shape"),
            Some("see docs/content.md for the forms this value may take".into()),
        );
    }
    (message.to_string(), None)
}

/// `weight: invalid type: string "x", expected i64` → "`weight` must be a whole number,
/// not the text "x"".
fn reword_type_error(message: &str) -> String {
    let Some((key, rest)) = message.split_once(": invalid type: ") else {
        return message.to_string();
    };
    let (found, expected) = rest
        .split_once(", expected ")
        .unwrap_or((rest, "another type"));
    let plain = |t: &str| -> String {
        let t = t.trim();
        match t {
            "i64" | "u64" | "i32" | "u32" | "usize" | "u16" | "u8" => "a whole number".into(),
            "a sequence" => "a list".into(),
            "a boolean" => "true or false".into(),
            "a string" => "text".into(),
            "a map" | "a mapping" => "a map of settings".into(),
            _ if t.starts_with("string ") => format!("the text {}", &t["string ".len()..]),
            _ if t.starts_with("integer ") => format!("the number {}", &t["integer ".len()..]),
            _ if t.starts_with("boolean ") => format!("`{}`", &t["boolean ".len()..]),
            "sequence" => "a list".into(),
            "map" => "a map of settings".into(),
            _ => t.to_string(),
        }
    };
    format!("`{key}` must be {}, not {}", plain(expected), plain(found))
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
mod tests {
    use super::*;

    fn check(source: &str, is_section: bool) -> (Option<FrontMatter>, Vec<String>) {
        let file = Path::new("content/x.md");
        let mut diagnostics = Vec::new();
        let fm = match split(file, source) {
            Ok(s) => parse(file, source, &s, is_section, &mut diagnostics),
            Err(d) => {
                diagnostics.push(d);
                None
            }
        };
        (fm, diagnostics.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn splits_front_matter_from_body() {
        let source = "---\ntitle: A\n---\nBody\n";
        let s = split(Path::new("a.md"), source).expect("valid");
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(&source[s.body_offset..], "Body\n");
    }

    #[test]
    fn handles_crlf_and_byte_order_mark() {
        let source = "\u{feff}---\r\ntitle: A\r\n---\r\nBody";
        let (fm, errors) = check(source, false);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(fm.expect("valid").title, "A");
    }

    #[test]
    fn reports_every_unknown_key_with_a_suggestion() {
        let (_, errors) = check("---\ntitel: A\ntagz: [a]\nfoo: 1\n---\n", false);
        assert_eq!(errors.len(), 4, "{errors:?}"); // three keys + the missing title
        assert!(errors[0].contains("did you mean `title`?"));
        assert!(errors[1].contains("did you mean `tags`?"));
        assert!(errors[2].contains("put your own settings under `extra:`"));
    }

    #[test]
    fn rejects_section_keys_on_pages_only() {
        let (_, errors) = check("---\ntitle: A\nfeed: true\n---\n", false);
        assert!(errors[0].contains("`feed` only applies to a section"));
        let (fm, errors) = check("---\ntitle: A\nfeed: true\n---\n", true);
        assert!(errors.is_empty());
        assert!(fm.expect("valid").feed);
    }

    #[test]
    fn points_at_a_wrong_type_with_an_example() {
        let (_, errors) = check("---\ntitle: A\nweight: berat\n---\n", false);
        assert!(errors[0].contains(":3:"), "{}", errors[0]);
        assert!(errors[0].contains("write a whole number"), "{}", errors[0]);
    }

    #[test]
    fn points_at_a_nested_key_and_at_an_unclosed_quote() {
        let source = "---\ntitle: A\nstandar_pelayanan:\n  persyaratan: [KTP-el]\n  jangka_waktu: segera\n---\n";
        let (_, errors) = check(source, false);
        assert!(errors[0].contains(":5:3"), "{}", errors[0]);
        let (_, errors) = check("---\ntitle: \"Tanpa tutup\ndate: 2026-02-12\n---\n", false);
        assert!(errors[0].contains(":2:8"), "{}", errors[0]);
        assert!(!errors[0].contains("at line"), "{}", errors[0]);
    }

    #[test]
    fn finds_placeholders_with_their_lines() {
        let yaml = "# {konfirmasi: \"...\"}\na: {konfirmasi: \"nomor telepon\"} # {konfirmasi: y}\nb:\n  - {konfirmasi: x}\n";
        assert_eq!(
            placeholders(yaml, 1),
            [(2, 5, "nomor telepon".to_string()), (4, 6, "x".to_string())]
        );
    }
}
