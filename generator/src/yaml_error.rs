//! YAML errors for editors: serde's and libyaml's messages reworded, placed on the right
//! line of the whole file, with what to do about them.

use std::path::Path;

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::keys::{Kind, kind_of};
use crate::service_standard;

/// Turns a YAML error into a diagnostic at the right line of the whole file.
pub fn yaml_error(
    file: &Path,
    source: &str,
    first_line: usize,
    err: &serde_yaml::Error,
) -> Diagnostic {
    let text = err.to_string();
    let text = name_the_field(source, first_line, &text).unwrap_or(text);
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
    let d = match help {
        Some(help) => d.help(help),
        None => d,
    };
    let yaml = Yaml::new(source, first_line);
    if (text.contains("tab character") || text.contains("cannot start any token"))
        && let Some(d) = tab(file, &yaml)
    {
        return d;
    }
    if text.contains("did not find expected")
        && let Some(d) = indentation(d.clone(), &yaml)
    {
        return d;
    }
    curly_quotes(d)
}

/// The lines of the YAML an error is in (1-based numbers in the whole file): from
/// `first_line` to the end of the file or of the front matter.
struct Yaml<'a> {
    source: &'a str,
    lines: Vec<(usize, &'a str)>,
}

impl<'a> Yaml<'a> {
    fn new(source: &'a str, first_line: usize) -> Self {
        let lines = source
            .lines()
            .enumerate()
            .skip(first_line - 1)
            .take_while(|(_, l)| l.trim_end() != "---")
            .map(|(i, l)| (i + 1, l))
            .collect();
        Yaml { source, lines }
    }
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// A tab in the indentation: libyaml reports it on the line before, or as a character that
/// "cannot start any token"; name the tab and its line.
fn tab(file: &Path, yaml: &Yaml<'_>) -> Option<Diagnostic> {
    let (line, text) = yaml.lines.iter().find(|(_, l)| {
        l.chars()
            .take_while(|c| c.is_whitespace())
            .any(|c| c == '\t')
    })?;
    let column = text.chars().position(|c| c == '\t').unwrap_or(0) + 1;
    Some(
        Diagnostic::error(file, format!("line {line} is indented with a tab"))
            .at(yaml.source, *line, column)
            .help(
                "YAML reads only spaces as indentation: replace the tab with spaces, as many as \
                 the lines around it at the same level",
            ),
    )
}

/// Does this line open a block (`key:` with nothing after it, or `- key:`)?
fn opens_block(line: &str) -> bool {
    let line = line.split(" #").next().unwrap_or(line).trim_end();
    line.ends_with(':') || line.ends_with(": |") || line.ends_with(": >")
}

/// An indentation error: say how far this line is indented, how far its parent and the
/// lines beside it are, and so what it needs (libyaml only says it "did not find" what it
/// expected).
fn indentation(d: Diagnostic, yaml: &Yaml<'_>) -> Option<Diagnostic> {
    let at = d.line?;
    let position = yaml.lines.iter().position(|(n, _)| *n == at)?;
    let here = indent_of(yaml.lines[position].1);
    let content = |l: &&(usize, &str)| {
        let t = l.1.trim();
        !t.is_empty() && !t.starts_with('#')
    };
    let before = &yaml.lines[..position];
    let parent = before
        .iter()
        .rev()
        .filter(content)
        .find(|(_, l)| indent_of(l) < here && opens_block(l));
    let (parent_indent, parent_key, first_child) = match parent {
        Some((n, l)) => (
            indent_of(l),
            l.trim()
                .trim_start_matches("- ")
                .trim_end_matches(':')
                .to_string(),
            before.iter().position(|(m, _)| m == n).map_or(0, |p| p + 1),
        ),
        None => (0, String::new(), 0),
    };
    let sibling = before[first_child..]
        .iter()
        .filter(content)
        .map(|(_, l)| indent_of(l))
        .find(|&i| i > parent_indent || parent.is_none())?;
    if sibling == here {
        return None;
    }
    let help = match parent {
        Some(_) if parent_indent == 0 => format!(
            "`{parent_key}:` starts at the beginning of its line and the lines under it are \
             indented {sibling} spaces: indent this line by {sibling} spaces, not {here}"
        ),
        Some(_) => format!(
            "`{parent_key}:` is indented {parent_indent} spaces and the lines under it \
             {sibling}: indent this line by {sibling} spaces, not {here}"
        ),
        None => format!("indent this line by {sibling} spaces, like the lines above it"),
    };
    Some(Diagnostic {
        message: format!("this line is indented {here} spaces, unlike the lines beside it"),
        help: Some(help),
        ..d
    })
}

const CURLY_QUOTES: [char; 4] = ['\u{201C}', '\u{201D}', '\u{2018}', '\u{2019}'];

/// Quotes pasted from a word processor (“ ” ‘ ’) are not quotes to YAML: on the line of an
/// error, they are the likely cause, so say to use straight quotes.
fn curly_quotes(d: Diagnostic) -> Diagnostic {
    let Some(line) = d.source_line.clone().filter(|l| l.contains(CURLY_QUOTES)) else {
        return d;
    };
    let straight = line
        .replace(['\u{201C}', '\u{201D}'], "\"")
        .replace(['\u{2018}', '\u{2019}'], "'");
    d.help(format!(
        "the curly quotes (“ ” or ‘ ’) a word processor writes are not quotes to YAML: type \
         straight ones, `{}`",
        straight.trim()
    ))
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
    let named = service_standard::accepted_keys().into_iter().find(|k| {
        rest.starts_with(&format!("{k} must")) || rest.contains(&format!(" of {k} must"))
    });
    Some(match named {
        Some(key) => format!("{prefix}.{key}"),
        None => prefix.to_string(),
    })
}

/// serde names only the outer key when the value that failed belongs to a field read by
/// its own deserializer: "standar_pelayanan: invalid type: string "3 orang", expected u32"
/// for a wrong `jumlah_pelaksana`. The line of that block holding the offending value names
/// the field: the error is rewritten about `standar_pelayanan.jumlah_pelaksana`.
fn name_the_field(source: &str, first_line: usize, text: &str) -> Option<String> {
    let (prefix, rest) = text.split_once(": invalid type: ")?;
    if !is_key_path(prefix) {
        return None;
    }
    let (found, _) = rest.split_once(", expected ")?;
    let value = found
        .strip_prefix("string \"")
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| found.strip_prefix("integer "))?;
    let (line, column) = locate_key_path(source, first_line, prefix)?;
    let block_indent = column - 1;
    let mut named = source
        .lines()
        .skip(line)
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .take_while(|l| l.len() - l.trim_start().len() > block_indent)
        .filter_map(|l| {
            let (key, found) = l.trim_start().trim_start_matches("- ").split_once(':')?;
            let found = found.split(" #").next().unwrap_or(found).trim();
            let found = found.trim_matches(|c| c == '"' || c == '\'');
            (found == value && is_key_path(key)).then_some(key)
        });
    // Only a value found once names its field for certain.
    let key = named.next()?;
    if named.next().is_some() {
        return None;
    }
    Some(format!("{prefix}.{key}: invalid type: {rest}"))
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
        let help = match did_you_mean(field, &service_standard::accepted_keys()) {
            Some(s) if path.starts_with("standar_pelayanan") => format!("did you mean `{s}`?"),
            _ => format!(
                "`standar_pelayanan` accepts: {}",
                service_standard::accepted_keys().join(", ")
            ),
        };
        return (format!("unknown key `{field}` in `{path}`"), Some(help));
    }
    if let Some((_, rest)) = message.split_once(": ")
        && let Some(key) = service_standard::accepted_keys().into_iter().find(|k| {
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
        let key = key.trim();
        let example = kind_of(key).and_then(|kind| match kind {
            Kind::Text => Some(format!(
                "write text, e.g. `{key}: Permohonan Informasi Publik`"
            )),
            Kind::Number => Some(format!("write a whole number, e.g. `{key}: 3`")),
            Kind::Flag => Some(format!("write `{key}: true` or `{key}: false`")),
            Kind::List => Some(format!("write a list, e.g. `{key}: [pemilih, data]`")),
            Kind::Date => Some(format!(
                "write the date as YYYY-MM-DD, e.g. `{key}: 2026-02-12`"
            )),
            Kind::Map => Some(format!("write a map of settings under `{key}:`")),
            Kind::Other => None,
        });
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
