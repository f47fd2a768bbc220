//! `content/site.yaml`: the site's identity and the settings the engine needs.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::front_matter::{self, top_level_keys};
use crate::messages::Lang;
use crate::service_standard::Confirmable;
use crate::t;
use crate::yaml_error::yaml_error;

pub const CONFIG_FILE: &str = "content/site.yaml";

const KEYS: [&str; 11] = [
    "title",
    "description",
    "base_url",
    "language",
    "languages",
    "menu",
    "contact",
    "forms",
    "cms",
    "editor_language",
    "extra",
];

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SiteConfig {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Absolute URL of the site's root, always ending with `/`.
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    /// The other languages of the site, each under its own prefix (`/en/`).
    #[serde(default)]
    pub languages: Vec<Language>,
    #[serde(default)]
    pub menu: Vec<MenuItem>,
    /// Free map of contact facts (address, phone, email...), placeholders allowed.
    #[serde(default)]
    pub contact: serde_yaml::Mapping,
    /// Where forms post and which desk receives what (read by the form function too).
    #[serde(default)]
    pub forms: forms_model::settings::FormsSettings,
    /// The content editor at `/admin/`; none is published without it.
    #[serde(default)]
    pub cms: Option<CmsSettings>,
    /// The language of the generator's messages to editors, `id` or `en` (read by
    /// `messages::from_site_settings`).
    #[serde(default)]
    pub editor_language: Option<String>,
    #[serde(default)]
    pub extra: serde_yaml::Mapping,
}

/// Where the content editor saves and who signs editors in (DEPLOY.md, "Content editor").
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CmsSettings {
    /// The GitHub repository of the site, `owner/name`.
    pub repo: Confirmable<String>,
    /// The branch the site is published from.
    #[serde(default = "default_branch")]
    pub branch: String,
    /// The address of the OAuth proxy that signs editors in to GitHub (`https://...`).
    pub auth: Confirmable<String>,
}

fn default_branch() -> String {
    "main".to_string()
}

/// Where the rendered forms post when site.yaml names no endpoint: the local server's
/// address for the form function (`generator serve` answers there).
pub const LOCAL_FORMS_ENDPOINT: &str = forms_model::settings::DEFAULT_ENDPOINT;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    pub name: String,
    /// A root-relative URL, an absolute URL, or an internal link `@/layanan/_index.md`.
    pub url: String,
}

/// A language besides the default one. Its pages are translations written as sibling
/// files (`paw.en.md`) and published under `/{code}/`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Language {
    /// The BCP 47 code: `en`, `sas` (Sasak), `smw` (Samawa), `bhp` (Mbojo).
    pub code: String,
    /// The language's own name, shown in the language switcher.
    pub name: String,
    /// The language of the menus and labels around its pages, when it has no template
    /// strings of its own yet (`ui: id`); those parts then carry `lang="id"`.
    #[serde(default)]
    pub ui: Option<String>,
    /// The header menu of its pages; the default language's menu when empty.
    #[serde(default)]
    pub menu: Vec<MenuItem>,
    /// The footer links of its pages; `extra.menu_kaki` when empty.
    #[serde(default)]
    pub footer: Vec<MenuItem>,
    /// Contact facts written in this language (`jam_layanan: Monday to Friday...`); the
    /// others are shown as written in the default language's `contact`.
    #[serde(default)]
    pub contact: serde_yaml::Mapping,
}

impl Language {
    /// The language whose template strings frame its pages.
    pub fn ui(&self) -> &str {
        self.ui.as_deref().unwrap_or(&self.code)
    }
}

fn default_language() -> String {
    "id".to_string()
}

impl SiteConfig {
    /// The path part of `base_url`, e.g. `/` or `/portal/`: every root-relative URL starts
    /// with it.
    pub fn base_path(&self) -> &str {
        let after_scheme = self.base_url.split_once("://").map_or("", |(_, r)| r);
        after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
    }

    /// The absolute URL of a root-relative one.
    pub fn permalink(&self, url: &str) -> String {
        let origin_end = self.base_url.len() - self.base_path().len();
        format!("{}{url}", &self.base_url[..origin_end])
    }
}

/// Reads and checks `site.yaml`; `base_url` overrides the file's (for deploys and `serve`).
/// Errors and placeholder warnings go to `diagnostics`.
pub fn load(
    root: &Path,
    base_url: Option<&str>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<SiteConfig> {
    let file = Path::new(CONFIG_FILE);
    let source = match std::fs::read_to_string(root.join(file)) {
        Ok(s) => s,
        Err(err) => {
            diagnostics.push(
                Diagnostic::error(file, t!("config.unreadable", error = err))
                    .help(t!("config.unreadable.help")),
            );
            return None;
        }
    };
    parse(file, &source, base_url, diagnostics)
}

pub fn parse(
    file: &Path,
    source: &str,
    base_url: Option<&str>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<SiteConfig> {
    crate::messages::from_site_settings(source);
    let before = diagnostics.len();
    for key in top_level_keys(source, 1) {
        if !KEYS.contains(&key.name) {
            let d = Diagnostic::error(file, t!("config.unknown_setting", name = key.name))
                .at(source, key.line, 1)
                .underline(key.name.chars().count());
            diagnostics.push(match did_you_mean(key.name, &KEYS) {
                Some(setting) => {
                    d.help(t!("config.unknown_setting.did_you_mean", setting = setting))
                }
                None => d.help(t!(
                    "config.unknown_setting.help",
                    settings = KEYS.join(", ")
                )),
            });
        }
    }
    for (line, column, text) in front_matter::placeholders(source, 1) {
        diagnostics.push(placeholder_warning(file, source, line, column, &text));
    }
    let mut config: SiteConfig = match serde_yaml::from_str(source) {
        Ok(c) => c,
        Err(err) => {
            diagnostics.push(yaml_error(file, source, 1, &err));
            return None;
        }
    };
    if let Some(url) = base_url {
        config.base_url = url.to_string();
    }
    let scheme_ok =
        config.base_url.starts_with("https://") || config.base_url.starts_with("http://");
    let host = config.base_url.split_once("://").map_or("", |(_, r)| r);
    if !scheme_ok
        || host.is_empty()
        || host.starts_with('/')
        || config.base_url.contains(char::is_whitespace)
    {
        let line = top_level_keys(source, 1)
            .iter()
            .find(|k| k.name == "base_url")
            .map_or(1, |k| k.line);
        diagnostics.push(
            Diagnostic::error(
                file,
                t!("config.base_url.not_absolute", url = config.base_url),
            )
            .at(source, line, 1)
            .underline(8)
            .help(t!("config.base_url.help")),
        );
    }
    if !config.base_url.ends_with('/') {
        config.base_url.push('/');
    }
    check_languages(file, source, &config, diagnostics);
    check_editor_language(file, source, &config, diagnostics);
    diagnostics[before..]
        .iter()
        .all(|d| !d.is_error())
        .then_some(config)
}

/// Language codes are URL prefixes and file-name suffixes: short, lower-case letters, each
/// once, and not the default language.
fn check_languages(
    file: &Path,
    source: &str,
    config: &SiteConfig,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut seen = vec![config.language.as_str()];
    for language in &config.languages {
        let code = language.code.as_str();
        let line = source
            .lines()
            .position(|l| l.contains("code:") && l.contains(code))
            .map_or(1, |i| i + 1);
        let valid = (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase());
        let problem = if !valid {
            Some(t!("config.language.unusable.code"))
        } else if seen.contains(&code) {
            Some(t!("config.language.unusable.twice"))
        } else {
            None
        };
        if let Some(help) = problem {
            diagnostics.push(
                Diagnostic::error(file, t!("config.language.unusable", code = code))
                    .at(source, line, 1)
                    .help(help),
            );
        }
        if let Some(ui) = &language.ui
            && ui != code
            && ui != &config.language
        {
            diagnostics.push(
                Diagnostic::error(
                    file,
                    t!("config.language.ui_not_default", code = code, ui = ui),
                )
                .at(source, line, 1)
                .help(t!(
                    "config.language.ui_not_default.help",
                    default = config.language,
                    code = code
                )),
            );
        }
        seen.push(code);
    }
}

/// `editor_language` takes what `messages::from_site_settings` understands; anything else
/// would leave the messages in another language than the one asked for, without a word.
fn check_editor_language(
    file: &Path,
    source: &str,
    config: &SiteConfig,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(value) = &config.editor_language else {
        return;
    };
    if Lang::parse(value).is_some() {
        return;
    }
    let line = top_level_keys(source, 1)
        .iter()
        .find(|k| k.name == "editor_language")
        .map_or(1, |k| k.line);
    let column = source
        .lines()
        .nth(line - 1)
        .and_then(|text| text.find(value.as_str()))
        .map_or(1, |i| i + 1);
    diagnostics.push(
        Diagnostic::warning(file, t!("config.editor_language.unknown", value = value))
            .at(source, line, column)
            .underline(value.chars().count())
            .help(t!("config.editor_language.help")),
    );
}

impl SiteConfig {
    /// The language of `code`, when it is one of `languages` (not the default).
    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// The office's contact facts for pages in `code`, in `contact`'s order: each key with
    /// its value and the language the value is written in, the language's own
    /// (`languages[].contact`) in place of the default's.
    pub fn contact_in<'a>(
        &'a self,
        code: &'a str,
    ) -> Vec<(&'a serde_yaml::Value, &'a serde_yaml::Value, &'a str)> {
        let own = self.language(code).map(|l| &l.contact);
        let mut facts: Vec<_> = self
            .contact
            .iter()
            .map(|(key, value)| match own.and_then(|c| c.get(key)) {
                Some(translated) => (key, translated, code),
                None => (key, value, self.language.as_str()),
            })
            .collect();
        facts.extend(
            own.into_iter()
                .flatten()
                .filter(|(key, _)| !self.contact.contains_key(*key))
                .map(|(key, value)| (key, value, code)),
        );
        facts
    }

    /// The language of the labels around pages in `code`.
    pub fn ui_language<'a>(&'a self, code: &'a str) -> &'a str {
        self.language(code).map_or(code, Language::ui)
    }

    /// Every language code, the default first.
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.language.as_str())
            .chain(self.languages.iter().map(|l| l.code.as_str()))
    }

    /// The URL prefix of a language: empty for the default, `en/` for English.
    pub fn prefix(&self, code: &str) -> String {
        if code == self.language {
            String::new()
        } else {
            format!("{code}/")
        }
    }
}

/// A value still to confirm. Kept to two lines (no quoted source, no help): a site may have
/// dozens, and the fix is the same for all, said once after the list.
pub fn placeholder_warning(
    file: &Path,
    _source: &str,
    line: usize,
    column: usize,
    text: &str,
) -> Diagnostic {
    let mut d = Diagnostic::warning(file, t!("config.placeholder", text = text));
    d.line = Some(line);
    d.column = Some(column);
    d
}

/// Whether `d` is a value to confirm (see [`placeholder_warning`]), in either language.
pub fn is_placeholder(d: &Diagnostic) -> bool {
    d.is_warning() && d.message.starts_with(&t!("config.placeholder", text = ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(yaml: &str) -> (Option<SiteConfig>, Vec<Diagnostic>) {
        let mut d = Vec::new();
        let c = parse(Path::new(CONFIG_FILE), yaml, None, &mut d);
        (c, d)
    }

    #[test]
    fn base_path_and_permalinks_follow_the_base_url() {
        let (c, d) = parse_str("title: T\nbase_url: https://a.example/portal\n");
        assert!(d.is_empty(), "{d:?}");
        let c = c.expect("valid");
        assert_eq!(c.base_url, "https://a.example/portal/");
        assert_eq!(c.base_path(), "/portal/");
        assert_eq!(
            c.permalink("/portal/layanan/"),
            "https://a.example/portal/layanan/"
        );
    }

    #[test]
    fn warns_about_placeholders_and_rejects_unknown_settings() {
        let (c, d) = parse_str(
            "title: T\nbase_url: https://a.example/\ncontact:\n  telepon: {konfirmasi: nomor kantor}\nmenus: []\n",
        );
        assert!(c.is_none());
        assert_eq!(d.len(), 2);
        assert!(
            d.iter()
                .any(|d| d.message.contains("unknown setting `menus`")
                    && d.help.as_deref() == Some("did you mean `menu`?"))
        );
        assert!(d.iter().any(|d| !d.is_error() && d.line == Some(4)));
    }

    #[test]
    fn warns_about_an_editor_language_it_does_not_speak() {
        let (c, d) = parse_str("title: T\nbase_url: https://a.example/\neditor_language: fr\n");
        assert!(c.is_some(), "a warning, not an error: {d:?}");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].is_warning());
        assert_eq!((d[0].line, d[0].column), (Some(3), Some(18)));
        assert_eq!(d[0].message, "unknown editor language `fr`");
        let help = d[0].help.as_deref().unwrap_or_default();
        assert!(help.contains("`id`") && help.contains("`en`"), "{help}");
        for good in ["id", "en", "\"en\""] {
            let (_, d) = parse_str(&format!(
                "title: T\nbase_url: https://a.example/\neditor_language: {good}\n"
            ));
            assert!(d.is_empty(), "{good}: {d:?}");
        }
    }

    #[test]
    fn a_language_writes_its_own_contact_facts_and_keeps_the_others() {
        let (c, d) = parse_str(
            "title: T\nbase_url: https://a.example/\ncontact:\n  telepon: \"(0370) 1\"\n  jam_layanan: Senin\nlanguages:\n  - code: en\n    name: English\n    contact:\n      jam_layanan: Monday\n      fax: \"2\"\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let c = c.expect("parses");
        let facts = |code| -> Vec<(String, String, String)> {
            c.contact_in(code)
                .into_iter()
                .map(|(k, v, l)| {
                    let text = |v: &serde_yaml::Value| v.as_str().unwrap_or_default().to_string();
                    (text(k), text(v), l.to_string())
                })
                .collect()
        };
        let row = |k: &str, v: &str, l: &str| (k.to_string(), v.to_string(), l.to_string());
        assert_eq!(
            facts("en"),
            [
                row("telepon", "(0370) 1", "id"),
                row("jam_layanan", "Monday", "en"),
                row("fax", "2", "en")
            ]
        );
        assert_eq!(
            facts("id"),
            [
                row("telepon", "(0370) 1", "id"),
                row("jam_layanan", "Senin", "id")
            ]
        );
    }

    #[test]
    fn rejects_a_relative_base_url() {
        let (_, d) = parse_str("title: T\nbase_url: /situs/\n");
        assert!(d[0].message.contains("not an absolute URL"));
    }
}
