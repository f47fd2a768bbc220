//! Saving a page from the editor without rewriting it. Decap sends the whole file as it
//! would write it: its own YAML style (block maps where the file had `{konfirmasi: ...}`,
//! its own quoting, keys in the form's order) and no comments. Written as sent, changing one
//! value would rewrite most lines of the front matter, and a reviewer could not see what
//! changed. `apply` keeps the file as it was and changes only the values that changed, each
//! on its own line(s); it falls back to the editor's text only where it cannot (and then the
//! meaning is still the editor's).

use serde_yaml::{Mapping, Value};

/// Top-level keys the editor does not show: kept even when the editor's text leaves them out.
const KEPT: [&str; 1] = ["extra"];

/// The file to write, given the file on disk and the editor's version of it.
pub fn apply(old: &str, new: &str) -> String {
    merged(old, new).unwrap_or_else(|| new.to_string())
}

fn merged(old: &str, new: &str) -> Option<String> {
    let (old_yaml, old_body) = split(old)?;
    let (new_yaml, new_body) = split(new)?;
    let old_value: Value = serde_yaml::from_str(old_yaml).ok()?;
    let new_value: Value = serde_yaml::from_str(new_yaml).ok()?;
    let (Value::Mapping(old_map), Value::Mapping(new_map)) = (&old_value, &new_value) else {
        return None;
    };
    let lines: Vec<&str> = old_yaml.lines().collect();
    let mut edits = Vec::new();
    merge_map(
        &lines,
        0,
        lines.len(),
        0,
        old_map,
        new_map,
        true,
        &mut edits,
    )?;
    let yaml = apply_edits(&lines, edits);
    // The result must mean what the editor sent (with the kept keys): else use its text.
    let expected = Value::Mapping(expected_map(old_map, new_map, true));
    let result: Value = serde_yaml::from_str(&yaml).ok()?;
    if result != expected {
        return None;
    }
    let body = if old_body.trim_end() == new_body.trim_end() {
        old_body
    } else {
        new_body
    };
    Some(format!("---\n{yaml}---\n{body}"))
}

/// The front matter (with its last newline) and the body.
fn split(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("---\n")?;
    if let Some(body) = rest.strip_prefix("---\n") {
        return Some(("", body));
    }
    let end = rest.find("\n---\n").map(|i| i + 1)?;
    Some((&rest[..end], &rest[end + 4..]))
}

/// Replace lines `from..to` with `with`.
struct Edit {
    from: usize,
    to: usize,
    with: Vec<String>,
}

fn apply_edits(lines: &[&str], mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|e| (e.from, e.to));
    let mut out = String::new();
    let mut at = 0;
    for edit in edits {
        for line in &lines[at..edit.from.max(at)] {
            out.push_str(line);
            out.push('\n');
        }
        for line in &edit.with {
            out.push_str(line);
            out.push('\n');
        }
        at = edit.to.max(at);
    }
    for line in &lines[at..] {
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_content(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with('#')
}

/// One `key: value` of a block mapping: its line, the end of its block, and the text after
/// `key:` when the value is on the same line.
struct Entry<'a> {
    line: usize,
    end: usize,
    inline: &'a str,
}

fn find_key<'a>(
    lines: &[&'a str],
    start: usize,
    end: usize,
    indent: usize,
    key: &str,
) -> Option<Entry<'a>> {
    let prefix = format!("{key}:");
    let line = (start..end).find(|&i| {
        let l = lines[i];
        indent_of(l) == indent && {
            let t = &l[indent..];
            t.starts_with(&prefix)
                && (t.len() == prefix.len() || t[prefix.len()..].starts_with(' '))
        }
    })?;
    let block_end = ((line + 1)..end)
        .find(|&i| {
            let l = lines[i];
            is_content(l)
                && (indent_of(l) < indent
                    || (indent_of(l) == indent && !l[indent..].starts_with("- ")))
        })
        .unwrap_or(end);
    // Blank lines before the next key stay with it.
    let mut block_end = block_end;
    while block_end > line + 1 && !is_content(lines[block_end - 1]) {
        block_end -= 1;
    }
    let inline = lines[line][indent + prefix.len()..].trim();
    Some(Entry {
        line,
        end: block_end,
        inline,
    })
}

/// The `- ` items of a block sequence in `start..end`: (first line, end).
fn items(lines: &[&str], start: usize, end: usize) -> Vec<(usize, usize)> {
    let dash = (start..end)
        .find(|&i| is_content(lines[i]))
        .map(|i| indent_of(lines[i]));
    let Some(dash) = dash else { return Vec::new() };
    let starts: Vec<usize> = (start..end)
        .filter(|&i| indent_of(lines[i]) == dash && lines[i][dash..].starts_with("- "))
        .collect();
    starts
        .iter()
        .enumerate()
        .map(|(n, &s)| (s, starts.get(n + 1).copied().unwrap_or(end)))
        .collect()
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Sequence(s) => s.is_empty(),
        Value::Mapping(m) => m.is_empty(),
        Value::Bool(b) => !b,
        _ => false,
    }
}

/// What the file must mean after the merge: the editor's values, without the empty ones it
/// adds, with the keys it does not show.
fn expected_map(old: &Mapping, new: &Mapping, top: bool) -> Mapping {
    let mut out = Mapping::new();
    for (key, value) in new {
        match (old.get(key), value) {
            (None, v) if is_empty(v) => {}
            (Some(Value::Mapping(o)), Value::Mapping(n)) => {
                out.insert(key.clone(), Value::Mapping(expected_map(o, n, false)));
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    for (key, value) in old {
        if !new.contains_key(key) && top && key.as_str().is_some_and(|k| KEPT.contains(&k)) {
            out.insert(key.clone(), value.clone());
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn merge_map(
    lines: &[&str],
    start: usize,
    end: usize,
    indent: usize,
    old: &Mapping,
    new: &Mapping,
    top: bool,
    edits: &mut Vec<Edit>,
) -> Option<()> {
    for (key, value) in new {
        let name = key.as_str()?;
        match old.get(key) {
            Some(old_value) if old_value == value => {}
            Some(old_value) => {
                let entry = find_key(lines, start, end, indent, name)?;
                merge_entry(lines, &entry, indent, name, old_value, value, edits)?;
            }
            None if is_empty(value) => {}
            None => {
                // A new key goes after the last line of this mapping.
                let mut at = end;
                while at > start && !is_content(lines[at - 1]) {
                    at -= 1;
                }
                edits.push(Edit {
                    from: at,
                    to: at,
                    with: render_entry(indent, name, value),
                });
            }
        }
    }
    for (key, _) in old {
        let name = key.as_str()?;
        if new.contains_key(key) || (top && KEPT.contains(&name)) {
            continue;
        }
        let entry = find_key(lines, start, end, indent, name)?;
        edits.push(Edit {
            from: entry.line,
            to: entry.end,
            with: Vec::new(),
        });
    }
    Some(())
}

fn merge_entry(
    lines: &[&str],
    entry: &Entry,
    indent: usize,
    name: &str,
    old: &Value,
    new: &Value,
    edits: &mut Vec<Edit>,
) -> Option<()> {
    if entry.inline.is_empty() {
        match (old, new) {
            (Value::Mapping(o), Value::Mapping(n)) => {
                let child = ((entry.line + 1)..entry.end)
                    .find(|&i| is_content(lines[i]))
                    .map(|i| indent_of(lines[i]))?;
                return merge_map(lines, entry.line + 1, entry.end, child, o, n, false, edits);
            }
            (Value::Sequence(o), Value::Sequence(n)) if o.len() == n.len() => {
                let found = items(lines, entry.line + 1, entry.end);
                if found.len() != o.len() {
                    return None;
                }
                for ((from, to), (ov, nv)) in found.into_iter().zip(o.iter().zip(n)) {
                    if ov == nv {
                        continue;
                    }
                    let dash = indent_of(lines[from]);
                    // Only an item written on its one line is changed in place.
                    if to - from != 1 {
                        return None;
                    }
                    edits.push(Edit {
                        from,
                        to,
                        with: vec![format!("{}- {}", " ".repeat(dash), inline(nv)?)],
                    });
                }
                return Some(());
            }
            _ => {}
        }
    }
    edits.push(Edit {
        from: entry.line,
        to: entry.end,
        with: render_entry(indent, name, new),
    });
    Some(())
}

/// `key: value` at `indent`, on one line when the value fits on one.
fn render_entry(indent: usize, name: &str, value: &Value) -> Vec<String> {
    let pad = " ".repeat(indent);
    if let Some(text) = inline(value) {
        return vec![format!("{pad}{name}: {text}")];
    }
    let mut out = vec![format!("{pad}{name}:")];
    match value {
        Value::Sequence(items) => {
            for item in items {
                match inline(item) {
                    Some(text) => out.push(format!("{pad}  - {text}")),
                    None => out.push(format!("{pad}  - {}", json(item))),
                }
            }
        }
        Value::Mapping(map) => {
            for (k, v) in map {
                let key = k.as_str().map_or_else(|| json(k), str::to_string);
                out.extend(render_entry(indent + 2, &key, v));
            }
        }
        other => out.push(format!("{pad}  {}", json(other))),
    }
    out
}

/// A value written on one line in the files' style: plain text where YAML reads it back as
/// the same text, else quoted; maps and lists of such values in flow style.
fn inline(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(scalar(s, false)),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some("null".into()),
        Value::Mapping(map) => {
            let parts: Option<Vec<String>> = map
                .iter()
                .map(|(k, v)| {
                    let key = scalar(k.as_str()?, true);
                    let text = match v {
                        Value::String(s) => scalar(s, true),
                        Value::Mapping(_) | Value::Sequence(_) => return None,
                        other => inline(other)?,
                    };
                    Some(format!("{key}: {text}"))
                })
                .collect();
            Some(format!("{{{}}}", parts?.join(", ")))
        }
        Value::Sequence(items) if items.iter().all(|i| matches!(i, Value::String(_))) => {
            let parts: Vec<String> = items
                .iter()
                .filter_map(|i| i.as_str().map(|s| scalar(s, true)))
                .collect();
            let line = format!("[{}]", parts.join(", "));
            (line.len() <= 80).then_some(line)
        }
        _ => None,
    }
}

fn scalar(text: &str, in_flow: bool) -> String {
    let flow_safe = !in_flow || !text.contains([',', '[', ']', '{', '}']);
    let plain = flow_safe
        && !text.is_empty()
        && !text.contains(['\n', '"', '\''])
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && text.trim() == text
        && !text.starts_with(|c: char| "-?:,[]{}#&*!|>%@`".contains(c))
        && serde_yaml::from_str::<Value>(text).ok() == Some(Value::String(text.to_string()));
    if plain {
        text.to_string()
    } else {
        json(&Value::String(text.to_string()))
    }
}

fn json(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "---\ntitle: Layanan PAW\n# a comment the editor never sees\ntags: [paw, dprd]\nstandar_pelayanan:\n  persyaratan:\n    - Surat Pimpinan DPRD\n    - {konfirmasi: \"dokumen pendukung\"}\n  biaya: {konfirmasi: \"apakah gratis\"}\n  jangka_waktu: {nilai: 5, satuan: hari_kerja, keterangan: \"sejak surat diterima\"}\nextra:\n  formulir:\n    - {id: tanggapan-paw, nama: Tanggapan}\n---\nIsi halaman.\n";

    /// What Decap sends for PAGE with `biaya` set: its own style, no comment, no `extra`.
    fn decap(biaya: &str) -> String {
        format!(
            "---\ntitle: Layanan PAW\ntags:\n  - paw\n  - dprd\nstandar_pelayanan:\n  persyaratan:\n    - Surat Pimpinan DPRD\n    - konfirmasi: dokumen pendukung\n  jangka_waktu:\n    nilai: 5\n    satuan: hari_kerja\n    keterangan: sejak surat diterima\n  biaya: {biaya}\n---\nIsi halaman.\n"
        )
    }

    fn changed_lines(a: &str, b: &str) -> Vec<(String, String)> {
        assert_eq!(a.lines().count(), b.lines().count(), "{b}");
        a.lines()
            .zip(b.lines())
            .filter(|(x, y)| x != y)
            .map(|(x, y)| (x.to_string(), y.to_string()))
            .collect()
    }

    #[test]
    fn one_changed_value_changes_one_line() {
        let out = apply(PAGE, &decap("Gratis"));
        assert_eq!(
            changed_lines(PAGE, &out),
            [(
                "  biaya: {konfirmasi: \"apakah gratis\"}".to_string(),
                "  biaya: Gratis".to_string()
            )]
        );
    }

    #[test]
    fn an_unchanged_file_is_written_back_as_it_was() {
        assert_eq!(apply(PAGE, &decap("\n    konfirmasi: apakah gratis")), PAGE);
    }

    #[test]
    fn a_changed_list_item_and_a_placeholder_keep_their_style() {
        let new = decap("Gratis").replace(
            "    - konfirmasi: dokumen pendukung",
            "    - \"KTP-el: asli\"",
        );
        let out = apply(PAGE, &new);
        let changed = changed_lines(PAGE, &out);
        assert_eq!(changed.len(), 2, "{out}");
        assert_eq!(changed[0].1, "    - \"KTP-el: asli\"");
    }

    #[test]
    fn a_new_key_is_added_and_an_empty_one_is_not() {
        let new = decap("Gratis").replace(
            "title: Layanan PAW\n",
            "title: Layanan PAW\ndescription: Cara mengajukan.\ndraft: false\nweight:\n",
        );
        let out = apply(PAGE, &new);
        assert!(out.contains("description: Cara mengajukan.\n"), "{out}");
        assert!(!out.contains("draft"), "{out}");
        assert!(!out.contains("weight"), "{out}");
    }

    #[test]
    fn a_changed_body_is_the_editors() {
        let new = decap("Gratis").replace("Isi halaman.", "Isi baru.");
        assert!(apply(PAGE, &new).ends_with("---\nIsi baru.\n"));
    }

    #[test]
    fn a_value_the_editor_drops_is_removed_but_extra_is_kept() {
        let new = decap("Gratis").replace("tags:\n  - paw\n  - dprd\n", "");
        let out = apply(PAGE, &new);
        assert!(!out.contains("tags"), "{out}");
        assert!(out.contains("extra:\n  formulir:"), "{out}");
    }

    #[test]
    fn text_that_yaml_would_misread_is_quoted() {
        for text in ["ya", "10", "2026-02-12", "a: b", "- x", "", " x", "#x"] {
            let written = scalar(text, false);
            let read: Value = serde_yaml::from_str(&format!("k: {written}")).expect("valid");
            assert_eq!(read["k"], Value::String(text.into()), "{text} → {written}");
        }
        assert_eq!(scalar("Gratis", false), "Gratis");
        assert_eq!(scalar("a, b", true), "\"a, b\"");
    }

    #[test]
    fn a_file_it_cannot_follow_gets_the_editors_text() {
        assert_eq!(
            apply("no front matter", "---\ntitle: T\n---\n"),
            "---\ntitle: T\n---\n"
        );
    }
}
