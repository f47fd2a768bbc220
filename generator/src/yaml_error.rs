//! YAML errors for editors: serde's and libyaml's messages reworded, placed on the right
//! line of the whole file, with what to do about them.

use std::path::Path;

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::keys::{Kind, kind_of};
use crate::service_standard;
use crate::t;

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
        Diagnostic::error(file, t!("yaml.tab", line = line))
            .at(yaml.source, *line, column)
            .help(t!("yaml.tab.help")),
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
        Some(_) if parent_indent == 0 => t!(
            "yaml.indentation.help.top",
            parent = parent_key,
            wanted = sibling,
            here = here
        ),
        Some(_) => t!(
            "yaml.indentation.help.nested",
            parent = parent_key,
            parent_indent = parent_indent,
            wanted = sibling,
            here = here
        ),
        None => t!("yaml.indentation.help.above", wanted = sibling),
    };
    Some(Diagnostic {
        message: t!("yaml.indentation", here = here),
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
    d.help(t!("yaml.curly_quotes.help", fixed = straight.trim()))
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
    Some(match named_component(prefix, rest) {
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

/// The component of `standar_pelayanan` one of the standard's own messages is about:
/// "jangka_waktu must be ...", "each item of persyaratan must be ...". In another language
/// the sentence is built differently, so there the component is the first one it names as
/// a word (before its example in backticks); serde's own messages name none.
fn named_component(prefix: &str, rest: &str) -> Option<&'static str> {
    let keys = service_standard::accepted_keys();
    if let Some(key) = keys
        .iter()
        .copied()
        .find(|k| rest.starts_with(&format!("{k} must")) || rest.contains(&format!(" of {k} must")))
    {
        return Some(key);
    }
    const SERDE: [&str; 8] = [
        "invalid type",
        "invalid value",
        "invalid length",
        "unknown field",
        "unknown variant",
        "missing field",
        "duplicate field",
        "data did not match",
    ];
    if !prefix.starts_with("standar_pelayanan") || SERDE.iter().any(|s| rest.starts_with(s)) {
        return None;
    }
    let sentence = rest.split('`').next().unwrap_or(rest);
    let is_word_char = |c: char| c.is_ascii_alphanumeric() || c == '_';
    keys.into_iter()
        .filter_map(|k| {
            sentence
                .match_indices(k)
                .find(|(i, _)| {
                    !sentence[..*i].ends_with(is_word_char)
                        && !sentence[i + k.len()..].starts_with(is_word_char)
                })
                .map(|(i, _)| (i, k))
        })
        .min()
        .map(|(_, k)| k)
}

/// Rewords serde's messages for editors and adds what to do.
fn explain(message: &str) -> (String, Option<String>) {
    if let Some(rest) = message.split("unknown field `").nth(1) {
        let field = rest.split('`').next().unwrap_or_default();
        let path = message.split(": unknown field").next().unwrap_or_default();
        let help = match did_you_mean(field, &service_standard::accepted_keys()) {
            Some(s) if path.starts_with("standar_pelayanan") => {
                t!("yaml.unknown_key.did_you_mean", suggestion = s)
            }
            _ => t!(
                "yaml.unknown_key.accepted",
                keys = service_standard::accepted_keys().join(", ")
            ),
        };
        return (t!("yaml.unknown_key", key = field, path = path), Some(help));
    }
    if let Some((prefix, rest)) = message.split_once(": ")
        && let Some(key) = named_component(prefix, rest)
    {
        // The message already names the component, so its own sentence says "it".
        let help = rest.replacen(
            &format!("{key} must be"),
            &t!("yaml.component.it_must_be"),
            1,
        );
        return (t!("yaml.component", key = key), Some(help));
    }
    if message.contains("while scanning a quoted scalar") {
        return (
            t!("yaml.unclosed_quote"),
            Some(t!("yaml.unclosed_quote.help")),
        );
    }
    if message.contains("mapping values are not allowed") {
        return (
            t!("yaml.colon_in_value"),
            Some(t!("yaml.colon_in_value.help")),
        );
    }
    if message.contains("did not find expected key")
        || message.contains("did not find expected '-'")
    {
        return (
            t!("yaml.inconsistent_indentation", detail = message),
            Some(t!("yaml.inconsistent_indentation.help")),
        );
    }
    if message.contains("invalid type") {
        let key = message.split(':').next().unwrap_or_default();
        let message = reword_type_error(message);
        let key = key.trim();
        let example = kind_of(key).and_then(|kind| match kind {
            Kind::Text => Some(t!("yaml.write.text", key = key)),
            Kind::Number => Some(t!("yaml.write.number", key = key)),
            Kind::Flag => Some(t!("yaml.write.flag", key = key)),
            Kind::List => Some(t!("yaml.write.list", key = key)),
            Kind::Date => Some(t!("yaml.write.date", key = key)),
            Kind::Map => Some(t!("yaml.write.map", key = key)),
            Kind::Other => None,
        });
        return (message, example);
    }
    if message.contains("did not match any variant") {
        let key = message.split(':').next().unwrap_or_default();
        return (
            t!("yaml.wrong_shape", key = key),
            Some(t!("yaml.wrong_shape.help")),
        );
    }
    // libyaml's and serde's own words, for what no case above recognises.
    (message.to_string(), None)
}

/// `weight: invalid type: string "x", expected i64` → "`weight` must be a whole number,
/// not the text "x"". A type serde names that is not one of these is left in its words.
fn reword_type_error(message: &str) -> String {
    let Some((key, rest)) = message.split_once(": invalid type: ") else {
        return message.to_string();
    };
    let plain = |what: &str| -> String {
        let what = what.trim();
        match what {
            "i64" | "u64" | "i32" | "u32" | "usize" | "u16" | "u8" => t!("yaml.type.whole_number"),
            "a sequence" | "sequence" => t!("yaml.type.list"),
            "a boolean" => t!("yaml.type.true_or_false"),
            "a string" => t!("yaml.type.text"),
            "a map" | "a mapping" | "map" => t!("yaml.type.map"),
            // English keeps serde's words for these; other languages get their own.
            "a YAML mapping" => t!("yaml.type.yaml_mapping"),
            "unit value" => t!("yaml.type.nothing"),
            _ if what.starts_with("struct ") => {
                t!("yaml.type.structure", name = &what["struct ".len()..])
            }
            _ if what.starts_with("floating point ") => {
                t!(
                    "yaml.type.fraction",
                    value = &what["floating point ".len()..]
                )
            }
            _ if what.starts_with("string ") => {
                t!("yaml.type.the_text", value = &what["string ".len()..])
            }
            _ if what.starts_with("integer ") => {
                t!("yaml.type.the_number", value = &what["integer ".len()..])
            }
            _ if what.starts_with("boolean ") => format!("`{}`", &what["boolean ".len()..]),
            _ => what.to_string(),
        }
    };
    let (found, expected) = match rest.split_once(", expected ") {
        Some((found, expected)) => (found, plain(expected)),
        None => (rest, t!("yaml.type.another")),
    };
    t!(
        "yaml.type_error",
        key = key,
        expected = expected,
        found = plain(found)
    )
}
