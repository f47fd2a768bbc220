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
    let named = service_standard::accepted_keys().into_iter().find(|k| {
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
