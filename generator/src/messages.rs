//! The message catalogue: every text the generator says to an editor, in Indonesian and
//! English, kept in `generator/messages/*.yaml` (one file per area) and looked up by key with
//! [`t!`](crate::t).
//!
//! The `generator` program ([`init`]) chooses the language: `--lang`, else the locale
//! variables (`LC_ALL`, `LC_MESSAGES`, `LANG`; `C` and `POSIX` state no preference), else
//! `site.yaml`'s `editor_language`, else Indonesian. Used as a library without [`init`]
//! (as the tests do), it speaks English.

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

include!(concat!(env!("OUT_DIR"), "/messages.rs"));

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Id,
    En,
}

impl Lang {
    /// `id`, `en`, or a locale such as `id_ID.UTF-8` or `en-GB`; anything else is none.
    pub fn parse(text: &str) -> Option<Lang> {
        let code = text
            .split(['_', '-', '.', '@'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match code.as_str() {
            "id" | "in" => Some(Lang::Id),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    fn from_u8(n: u8) -> Lang {
        if n == 1 { Lang::Id } else { Lang::En }
    }

    fn to_u8(self) -> u8 {
        match self {
            Lang::En => 0,
            Lang::Id => 1,
        }
    }
}

static CURRENT: AtomicU8 = AtomicU8::new(0);
/// Set by [`init`] when neither `--lang` nor the locale chose: the site's setting decides.
static SITE_DECIDES: AtomicBool = AtomicBool::new(false);

/// The language messages are given in now.
pub fn current() -> Lang {
    Lang::from_u8(CURRENT.load(Ordering::Relaxed))
}

/// For the `generator` program: the editor's choice (`--lang`), else the locale's, holds
/// for the whole run; without either, Indonesian until a site's setting says otherwise.
pub fn init(flag: Option<Lang>) {
    let chosen = flag.or_else(from_locale);
    CURRENT.store(chosen.unwrap_or(Lang::Id).to_u8(), Ordering::Relaxed);
    SITE_DECIDES.store(chosen.is_none(), Ordering::Relaxed);
}

/// The site's `editor_language`, read from `site.yaml`'s text before anything in it is
/// checked (so its own messages are in that language too), where [`init`] lets it decide.
pub fn from_site_settings(source: &str) {
    if !SITE_DECIDES.load(Ordering::Relaxed) {
        return;
    }
    let setting = source.lines().find_map(|line| {
        let value = line.strip_prefix("editor_language:")?;
        Lang::parse(value.split('#').next()?.trim().trim_matches(['"', '\'']))
    });
    CURRENT.store(setting.unwrap_or(Lang::Id).to_u8(), Ordering::Relaxed);
}

/// The language the locale variables ask for, in POSIX order; `C` or `POSIX` asks for none.
fn from_locale() -> Option<Lang> {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.is_empty())
        .and_then(|value| Lang::parse(&value))
}

/// One message in both languages.
#[derive(Debug, serde::Deserialize)]
struct Entry {
    en: String,
    id: String,
}

/// Every message, by key. The catalogue is part of the program: a malformed file is a bug
/// the catalogue's tests catch, so here it only loses that file's messages.
static CATALOGUE: LazyLock<HashMap<String, Entry>> = LazyLock::new(|| {
    CATALOGUE_FILES
        .iter()
        .filter_map(|(_, text)| serde_yaml::from_str::<HashMap<String, Entry>>(text).ok())
        .flatten()
        .collect()
});

/// The message `key` in the current language, its `{name}` placeholders filled from `args`.
/// Use [`t!`](crate::t) rather than calling this.
pub fn text(key: &str, args: &[(&str, &dyn Display)]) -> String {
    text_in(current(), key, args)
}

/// The message `key` in `lang`.
pub fn text_in(lang: Lang, key: &str, args: &[(&str, &dyn Display)]) -> String {
    match CATALOGUE.get(key) {
        Some(entry) => fill(
            match lang {
                Lang::Id => &entry.id,
                Lang::En => &entry.en,
            },
            args,
        ),
        // Never reached while the catalogue's tests pass; still says something useful.
        None => {
            let mut text = key.to_string();
            for (name, value) in args {
                text.push_str(&format!(" {name}={value}"));
            }
            text
        }
    }
}

/// Replaces `{name}` with its argument; `{{` and `}}` stand for braces.
fn fill(template: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        if let Some(end) = tail.find('}').filter(|_| tail.starts_with('{')) {
            let name = &tail[1..end];
            if let Some((_, value)) = args.iter().find(|(n, _)| *n == name) {
                out.push_str(&value.to_string());
                rest = &tail[end + 1..];
                continue;
            }
        }
        out.push_str(&tail[..1]);
        rest = &tail[1..];
    }
    out.push_str(rest);
    out
}

/// The names of a template's placeholders.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            rest = &tail[2..];
        } else if let (true, Some(end)) = (tail.starts_with('{'), tail.find('}')) {
            names.push(&tail[1..end]);
            rest = &tail[end + 1..];
        } else {
            rest = &tail[1..];
        }
    }
    names
}

/// A message of the catalogue in the current language:
/// `t!("front_matter.unknown_key", key = name)`.
#[macro_export]
macro_rules! t {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::messages::text(
            $key,
            &[$((stringify!($name), &$value as &dyn ::std::fmt::Display)),*],
        )
    };
}

#[cfg(test)]
mod tests;
