//! The catalogue is complete and agrees with the code: every file parses, every message has
//! both languages with the same placeholders, every key the code uses exists with exactly
//! the arguments the code gives, and no message is left unused.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use super::*;

/// Every `t!("key", a = ..., b = ...)` in the generator's sources: (file, key, argument names).
fn uses() -> Vec<(String, String, BTreeSet<String>)> {
    let call = regex::Regex::new(r#"\bt!\(\s*"([^"]+)""#).expect("regex");
    let arg = regex::Regex::new(r"(?:^|,)\s*([a-z_][a-z0-9_]*)\s*=[^=]").expect("regex");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.expect("walk src");
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).expect("read source");
        for m in call.captures_iter(&text) {
            let whole = m.get(0).expect("match");
            // Examples in comments are not uses.
            let line_start = text[..whole.start()].rfind('\n').map_or(0, |i| i + 1);
            if text[line_start..whole.start()]
                .trim_start()
                .starts_with("//")
            {
                continue;
            }
            // The arguments: up to the parenthesis that closes `t!(`, at depth zero.
            let mut depth = 0usize;
            let mut args = String::new();
            let mut chunk = String::new();
            let mut in_string = false;
            for c in text[whole.end()..].chars() {
                match c {
                    '"' => in_string = !in_string,
                    '(' | '[' | '{' if !in_string => depth += 1,
                    ')' | ']' | '}' if !in_string && depth > 0 => depth -= 1,
                    ')' if !in_string => break,
                    _ => {}
                }
                if depth == 0 && !in_string && c == ',' {
                    args.push_str(&chunk);
                    chunk.clear();
                }
                if depth == 0 && !in_string {
                    chunk.push(c);
                } else {
                    chunk.push(' ');
                }
            }
            args.push_str(&chunk);
            let names = arg.captures_iter(&args).map(|c| c[1].to_string()).collect();
            found.push((entry.path().display().to_string(), m[1].to_string(), names));
        }
    }
    found
}

fn catalogue() -> HashMap<String, Entry> {
    let mut all = HashMap::new();
    for (name, text) in CATALOGUE_FILES {
        let file: HashMap<String, Entry> =
            serde_yaml::from_str(text).unwrap_or_else(|e| panic!("generator/messages/{name}: {e}"));
        for (key, entry) in file {
            assert!(
                all.insert(key.clone(), entry).is_none(),
                "`{key}` is in two files"
            );
        }
    }
    all
}

#[test]
fn every_message_has_both_languages_with_the_same_placeholders() {
    let all = catalogue();
    assert!(all.len() > 10, "the catalogue is nearly empty");
    for (key, entry) in &all {
        assert!(
            !entry.en.trim().is_empty() && !entry.id.trim().is_empty(),
            "`{key}` is empty in a language"
        );
        let en: BTreeSet<_> = placeholders(&entry.en).into_iter().collect();
        let id: BTreeSet<_> = placeholders(&entry.id).into_iter().collect();
        // English may need a plural ending Indonesian does without: a subset, not more.
        assert!(
            id.is_subset(&en),
            "`{key}`: the Indonesian text uses {:?}, which the English does not",
            id.difference(&en).collect::<Vec<_>>()
        );
        assert!(
            en.iter().all(|n| id.contains(n) || *n == "s"),
            "`{key}`: the Indonesian text leaves out {:?}",
            en.difference(&id).collect::<Vec<_>>()
        );
        assert_ne!(entry.en, entry.id, "`{key}` is not translated");
    }
}

#[test]
fn every_key_the_code_uses_exists_with_the_arguments_it_is_given() {
    let all = catalogue();
    let uses = uses();
    assert!(
        uses.len() > 10,
        "the scan found too few uses: {}",
        uses.len()
    );
    let mut problems = Vec::new();
    for (file, key, given) in &uses {
        let Some(entry) = all.get(key) else {
            problems.push(format!("{file}: `{key}` is not in the catalogue"));
            continue;
        };
        let wanted: BTreeSet<String> = placeholders(&entry.en)
            .into_iter()
            .map(String::from)
            .collect();
        if &wanted != given {
            problems.push(format!(
                "{file}: `{key}` wants {wanted:?}, the code gives {given:?}"
            ));
        }
    }
    let used: BTreeSet<&str> = uses.iter().map(|(_, k, _)| k.as_str()).collect();
    for key in all.keys() {
        if !used.contains(key.as_str()) {
            problems.push(format!("`{key}` is in the catalogue but never used"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn placeholders_are_filled_and_doubled_braces_are_literal() {
    let n = 3;
    assert_eq!(
        fill(
            "{n} error{s}; write `{{konfirmasi: ...}}`",
            &[("n", &n), ("s", &"s")]
        ),
        "3 errors; write `{konfirmasi: ...}`"
    );
    assert_eq!(placeholders("{a} {{b}} {c}"), ["a", "c"]);
}

#[test]
fn languages_are_read_from_codes_and_locales() {
    assert_eq!(Lang::parse("id_ID.UTF-8"), Some(Lang::Id));
    assert_eq!(Lang::parse("en-GB"), Some(Lang::En));
    assert_eq!(Lang::parse("EN"), Some(Lang::En));
    assert_eq!(Lang::parse("C.UTF-8"), None);
    assert_eq!(Lang::parse("POSIX"), None);
}

#[test]
fn a_message_reads_in_either_language() {
    let en = text_in(Lang::En, "report.summary.errors", &[("n", &2), ("s", &"s")]);
    let id = text_in(Lang::Id, "report.summary.errors", &[("n", &2), ("s", &"s")]);
    assert_eq!(en, "the site has 2 errors");
    assert_eq!(id, "situs ini memiliki 2 kesalahan");
}
