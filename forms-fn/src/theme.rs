//! The function's pages and messages, from the site's theme: the templates in
//! `templates/function/` and the words in `templates/i18n/{id,en}.yaml`, the same files the
//! generator reads, so wording and look change in one place. They are read from the site's
//! folder when it has them (`SITE_DIR`), otherwise from the copy built into the binary.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use tera::{Context, Kwargs, State, Tera, Value};

use forms_model::lang::Lang;

use crate::embedded;

/// Where the function's templates live in a theme.
const PAGES_DIR: &str = "templates/function";
const WORDS_DIR: &str = "templates/i18n";

/// Why the theme cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("cannot read `{path}`")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("`{file}` is not a map of words")]
    Words {
        file: String,
        source: serde_yaml::Error,
    },
    #[error("the function's templates have an error")]
    Template(#[from] tera::Error),
}

/// The words of the two languages the function answers in, by key.
#[derive(Debug, Default)]
pub struct Words {
    id: BTreeMap<String, String>,
    en: BTreeMap<String, String>,
}

impl Words {
    /// The text of `key` in `lang` (Indonesian when the language lacks it; the key itself
    /// when no language has it, which the tests rule out).
    pub fn text<'a>(&'a self, lang: Lang, key: &'a str) -> &'a str {
        lang.pick(&self.id, &self.en)
            .get(key)
            .or_else(|| self.id.get(key))
            .map_or(key, String::as_str)
    }

    /// The text of `key` with its `{name}` slots filled from `args`.
    pub fn fill(&self, lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
        let mut text = self.text(lang, key).to_string();
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    fn parse(file: &str, text: &str) -> Result<BTreeMap<String, String>, ThemeError> {
        let map: BTreeMap<String, serde_yaml::Value> =
            serde_yaml::from_str(text).map_err(|source| ThemeError::Words {
                file: file.to_string(),
                source,
            })?;
        Ok(map
            .into_iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string())))
            .collect())
    }
}

pub struct Theme {
    tera: Tera,
    pub words: Arc<Words>,
}

impl Theme {
    /// The site's theme when `site_dir` has the function's templates, else the built-in one.
    pub fn load(site_dir: Option<&Path>) -> Result<Theme, ThemeError> {
        match site_dir.filter(|dir| dir.join(PAGES_DIR).join("base.html").is_file()) {
            Some(dir) => Theme::from_dir(dir),
            None => Theme::new(
                embedded::PAGES
                    .iter()
                    .map(|(name, text)| (name.to_string(), text.to_string())),
                embedded::WORDS
                    .iter()
                    .map(|(code, text)| (code.to_string(), text.to_string())),
            ),
        }
    }

    fn from_dir(dir: &Path) -> Result<Theme, ThemeError> {
        let read = |path: &Path| {
            std::fs::read_to_string(path).map_err(|source| ThemeError::Read {
                path: path.display().to_string(),
                source,
            })
        };
        let mut pages = Vec::new();
        for entry in std::fs::read_dir(dir.join(PAGES_DIR)).map_err(|source| ThemeError::Read {
            path: PAGES_DIR.to_string(),
            source,
        })? {
            let path = entry
                .map_err(|source| ThemeError::Read {
                    path: PAGES_DIR.to_string(),
                    source,
                })?
                .path();
            if let Some(stem) = path
                .file_stem()
                .filter(|_| path.extension().is_some_and(|e| e == "html"))
            {
                pages.push((stem.to_string_lossy().into_owned(), read(&path)?));
            }
        }
        let mut words = Vec::new();
        for code in ["id", "en"] {
            words.push((
                code.to_string(),
                read(&dir.join(WORDS_DIR).join(format!("{code}.yaml")))?,
            ));
        }
        Theme::new(pages, words)
    }

    fn new(
        pages: impl IntoIterator<Item = (String, String)>,
        words: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Theme, ThemeError> {
        let mut all = Words::default();
        for (code, text) in words {
            let file = format!("{WORDS_DIR}/{code}.yaml");
            match code.as_str() {
                "id" => all.id = Words::parse(&file, &text)?,
                "en" => all.en = Words::parse(&file, &text)?,
                _ => {}
            }
        }
        let words = Arc::new(all);
        let mut tera = Tera::new();
        let for_t = Arc::clone(&words);
        tera.register_function("t", move |kwargs: Kwargs, state: &State| {
            let key: String = kwargs.must_get("key")?;
            let lang = Lang::from_code(&state.get::<String>("ui_lang")?.unwrap_or_default());
            let args: Vec<(String, String)> = kwargs
                .iter()
                .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.to_string())))
                .filter(|(k, _)| k != "key")
                .collect();
            let args: Vec<(&str, &str)> =
                args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            Ok::<_, tera::Error>(Value::from(for_t.fill(lang, &key, &args)))
        });
        tera.add_raw_templates(
            pages
                .into_iter()
                .map(|(name, text)| (format!("function/{name}.html"), text)),
        )?;
        Ok(Theme { tera, words })
    }

    /// Renders the page `name` (`receipt`, `problem`, ...) in `lang` with `context`.
    pub fn page(
        &self,
        name: &str,
        lang: Lang,
        mut context: Context,
    ) -> Result<String, tera::Error> {
        context.insert("ui_lang", lang.code());
        self.tera.render(&format!("function/{name}.html"), &context)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every message key the function uses, as written in its source.
    fn keys_in_source() -> Vec<String> {
        let sources = [
            include_str!("handler/refusal.rs"),
            include_str!("handler/pages.rs"),
            include_str!("../../templates/function/base.html"),
            include_str!("../../templates/function/problem.html"),
            include_str!("../../templates/function/guidance.html"),
            include_str!("../../templates/function/check.html"),
            include_str!("../../templates/function/receipt.html"),
        ];
        let mut keys: Vec<String> = sources
            .iter()
            .flat_map(|text| text.split('"').filter(|s| s.starts_with("fn_")))
            .map(str::to_string)
            .collect();
        keys.sort();
        keys.dedup();
        keys
    }

    #[test]
    fn every_word_the_function_uses_exists_in_both_languages() {
        let theme = Theme::load(None).expect("the built-in theme loads");
        let keys = keys_in_source();
        assert!(keys.len() > 25, "{keys:?}");
        for key in &keys {
            for (code, words) in [("id", &theme.words.id), ("en", &theme.words.en)] {
                assert!(
                    words.contains_key(key),
                    "`{key}` is missing from templates/i18n/{code}.yaml"
                );
            }
        }
    }

    #[test]
    fn slots_are_filled_and_pages_speak_the_language_asked() {
        let theme = Theme::load(None).expect("loads");
        assert_eq!(
            theme
                .words
                .fill(Lang::En, "fn_too_many", &[("minutes", "3")]),
            "Too many submissions in a short time. Try again in 3 minutes."
        );
        let mut context = Context::new();
        context.insert("message", "<b>x</b>");
        context.insert("stylesheet", &None::<String>);
        context.insert("site_url", "https://kpu-ntb.example/");
        let html = theme.page("problem", Lang::En, context).expect("renders");
        assert!(
            html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"),
            "{html}"
        );
        assert!(
            html.contains("<p>&lt;b&gt;x&lt;/b&gt;</p>"),
            "escaped: {html}"
        );
        assert!(html.contains("Your submission could not be processed"));
        assert!(
            !html.contains("stylesheet"),
            "no stylesheet link without one"
        );
    }
}
