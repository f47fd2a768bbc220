//! The theme's words in each language: `templates/i18n/{code}.yaml` holds every label,
//! heading and message the templates print, and the names of the months. The default
//! language's file lists the keys; every other language's file must give each of them.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::diagnostic::Diagnostic;
use crate::front_matter::top_level_keys;
use crate::t;
use crate::yaml_error::yaml_error;

pub const I18N_DIR: &str = "templates/i18n";

/// The key of the month names, a list of twelve.
const MONTHS: &str = "months";

/// The words of one language.
#[derive(Debug, Clone, Default)]
pub struct Strings {
    pub months: Vec<String>,
    pub text: BTreeMap<String, String>,
}

/// The words of every language that has its own, and the default language.
#[derive(Debug, Clone, Default)]
pub struct I18n {
    pub default: String,
    pub languages: HashMap<String, Strings>,
}

impl I18n {
    /// The words of `code`, or of the default language for a language borrowing them.
    pub fn strings(&self, code: &str) -> Option<&Strings> {
        self.languages
            .get(code)
            .or_else(|| self.languages.get(&self.default))
    }

    /// "12 Februari 2026" / "12 February 2026".
    pub fn date(&self, code: &str, date: &crate::dates::Date) -> String {
        match self.strings(code) {
            Some(s) if s.months.len() == 12 => {
                let (year, month, day) = date.day.ymd();
                format!("{day} {} {year}", s.months[(month - 1) as usize])
            }
            _ => date.display_id(),
        }
    }

    /// The text of `key` in `code`, or an error that names both.
    pub fn text(&self, code: &str, key: &str) -> Result<&str, String> {
        let strings = self
            .languages
            .get(code)
            .ok_or_else(|| t!("i18n.no_language", code = code))?;
        strings.text.get(key).map(String::as_str).ok_or_else(|| {
            let file = format!("{I18N_DIR}/{code}.yaml");
            t!("i18n.missing.in_file", key = key, code = code, file = file)
        })
    }
}

pub fn file_of(code: &str) -> PathBuf {
    Path::new(I18N_DIR).join(format!("{code}.yaml"))
}

/// Reads the files of the default language and of every language with its own labels,
/// and reports keys missing from any of them.
pub fn load(root: &Path, config: &SiteConfig, diagnostics: &mut Vec<Diagnostic>) -> I18n {
    let mut i18n = I18n {
        default: config.language.clone(),
        languages: HashMap::new(),
    };
    // A theme without `templates/i18n/` prints its words as they are written (and dates
    // with Indonesian month names); it cannot use `t()` nor serve other languages' labels.
    if !root.join(I18N_DIR).is_dir() && config.languages.iter().all(|l| l.ui() != l.code) {
        return i18n;
    }
    let own: Vec<&str> = config
        .codes()
        .filter(|&c| config.ui_language(c) == c)
        .collect();
    let mut sources = HashMap::new();
    for code in &own {
        let file = file_of(code);
        let source = match std::fs::read_to_string(root.join(&file)) {
            Ok(s) => s,
            Err(err) => {
                let default = &config.language;
                let original = file_of(default);
                diagnostics.push(
                    Diagnostic::error(&file, t!("i18n.unreadable", code = code, err = err)).help(
                        t!(
                            "i18n.unreadable.help",
                            file = original.display(),
                            default = default
                        ),
                    ),
                );
                continue;
            }
        };
        if let Some(strings) = parse(&file, &source, diagnostics) {
            i18n.languages.insert((*code).to_string(), strings);
            sources.insert(*code, source);
        }
    }
    let Some(reference) = i18n.languages.get(&config.language) else {
        return i18n;
    };
    for code in own.iter().filter(|&&c| c != config.language) {
        let (Some(strings), Some(source)) = (i18n.languages.get(*code), sources.get(code)) else {
            continue;
        };
        let file = file_of(code);
        for key in reference.text.keys() {
            if !strings.text.contains_key(key) {
                diagnostics.push(
                    Diagnostic::error(&file, t!("i18n.missing", key = key, code = code)).help(t!(
                        "i18n.missing.help",
                        key = key,
                        code = code,
                        text = reference.text[key]
                    )),
                );
            }
        }
        for key in top_level_keys(source, 1) {
            if key.name != MONTHS && !reference.text.contains_key(key.name) {
                diagnostics.push(
                    Diagnostic::warning(&file, t!("i18n.unknown", key = key.name))
                        .at(source, key.line, 1)
                        .underline(key.name.chars().count())
                        .help(t!(
                            "i18n.unknown.help",
                            file = file_of(&config.language).display()
                        )),
                );
            }
        }
    }
    i18n
}

fn parse(file: &Path, source: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Strings> {
    let raw: BTreeMap<String, serde_yaml::Value> = match serde_yaml::from_str(source) {
        Ok(map) => map,
        Err(err) => {
            diagnostics.push(yaml_error(file, source, 1, &err));
            return None;
        }
    };
    let line_of = |name: &str| {
        top_level_keys(source, 1)
            .iter()
            .find(|k| k.name == name)
            .map_or(1, |k| k.line)
    };
    let mut strings = Strings::default();
    for (key, value) in raw {
        if key == MONTHS {
            let months: Vec<String> = value
                .as_sequence()
                .map(|s| {
                    s.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            if months.len() == 12 {
                strings.months = months;
            } else {
                diagnostics.push(
                    Diagnostic::error(file, t!("i18n.months"))
                        .at(source, line_of(MONTHS), 1)
                        .help(t!("i18n.months.help")),
                );
            }
            continue;
        }
        match value {
            serde_yaml::Value::String(text) => {
                strings.text.insert(key, text);
            }
            _ => diagnostics.push(
                Diagnostic::error(file, t!("i18n.not_text", key = key))
                    .at(source, line_of(&key), 1)
                    .help(t!("i18n.not_text.help")),
            ),
        }
    }
    if strings.months.is_empty() {
        diagnostics
            .push(Diagnostic::error(file, t!("i18n.months.missing")).help(t!("i18n.months.help")));
    }
    Some(strings)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "months: [Januari, Februari, Maret, April, Mei, Juni, Juli, Agustus, September, Oktober, November, Desember]\nskip: Langsung ke isi\nsearch: Cari\n";

    fn site(files: &[(&str, &str)], languages: &str) -> (I18n, Vec<Diagnostic>) {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join(I18N_DIR)).expect("mkdir");
        for (name, text) in files {
            std::fs::write(dir.path().join(I18N_DIR).join(name), text).expect("write");
        }
        let mut d = Vec::new();
        let yaml = format!("title: T\nbase_url: https://a.example/\n{languages}");
        let config = crate::config::parse(Path::new("content/site.yaml"), &yaml, None, &mut d)
            .expect("config");
        let i18n = load(dir.path(), &config, &mut d);
        (i18n, d)
    }

    #[test]
    fn a_missing_translation_names_the_key_and_the_language() {
        let en = "months: [January, February, March, April, May, June, July, August, September, October, November, December]\nskip: Skip to content\n";
        let (_, d) = site(
            &[("id.yaml", ID), ("en.yaml", en)],
            "languages:\n  - {code: en, name: English}\n",
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].is_error());
        assert_eq!(
            d[0].message,
            "the template string `search` has no translation in language `en`"
        );
        assert_eq!(d[0].file, Path::new("templates/i18n/en.yaml"));
    }

    #[test]
    fn dates_follow_the_language_and_borrowed_labels_need_no_file() {
        let en = "months: [January, February, March, April, May, June, July, August, September, October, November, December]\nskip: Skip to content\nsearch: Search\n";
        let (i18n, d) = site(
            &[("id.yaml", ID), ("en.yaml", en)],
            "languages:\n  - {code: en, name: English}\n  - {code: sas, name: Sasak, ui: id}\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let date = crate::dates::Date::parse("2026-02-12").expect("date");
        assert_eq!(i18n.date("id", &date), "12 Februari 2026");
        assert_eq!(i18n.date("en", &date), "12 February 2026");
        assert_eq!(i18n.date("sas", &date), "12 Februari 2026");
        assert_eq!(i18n.text("en", "search"), Ok("Search"));
        assert!(
            i18n.text("en", "nope")
                .expect_err("missing")
                .contains("`nope`")
        );
    }

    #[test]
    fn a_language_without_its_file_is_an_error_that_says_what_to_do() {
        let (_, d) = site(
            &[("id.yaml", ID)],
            "languages:\n  - {code: en, name: English}\n",
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("labels of language `en`"), "{d:?}");
    }
}
