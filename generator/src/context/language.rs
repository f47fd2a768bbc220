//! A language as templates see it (`language`): its name, home page, search and A–Z
//! pages, menus and the office's contact facts in that language.

use std::collections::HashMap;

use serde::Serialize;
use tera::Value;

use super::{AZ_PATH, SEARCH_PATH};
use crate::site::Site;

#[derive(Serialize)]
struct LanguageCtx<'a> {
    code: &'a str,
    name: String,
    /// The language of the labels around the page.
    ui: &'a str,
    home_url: &'a str,
    /// The search page and the A–Z index of the language.
    search_url: String,
    az_url: String,
    menu: &'a [crate::config::MenuItem],
    /// Links of the footer: `{name, url}`, the URL maybe a placeholder.
    footer: Value,
    /// The office's contact facts for pages of this language: `contact` of `site.yaml`,
    /// with those the language writes itself (`languages[].contact`) in their place.
    contact: serde_yaml::Mapping,
    /// The language each of `contact`'s values is written in, by key, for `lang`.
    contact_lang: HashMap<String, &'a str>,
}

/// The name of a language in the switcher: its own name.
pub(super) fn name(site: &Site, code: &str) -> String {
    match site.config.language(code) {
        Some(l) => l.name.clone(),
        None => site
            .i18n
            .text(code, "language_name")
            .unwrap_or(code)
            .to_string(),
    }
}

/// What templates see as `language`: its name, home, search, menu, footer and contact.
pub(super) fn value(site: &Site, code: &str) -> Value {
    let home_url = site.home_of(code).map_or(site.config.base_path(), |i| {
        site.sections[i].doc.url.as_str()
    });
    // A language without a home page (only draft translations) is searched with the
    // default language.
    let searched = match site.home_of(code) {
        Some(_) => site.config.prefix(code),
        None => String::new(),
    };
    let language = site.config.language(code);
    let menu = match language {
        Some(l) if !l.menu.is_empty() => l.menu.as_slice(),
        _ => site.config.menu.as_slice(),
    };
    let footer = match language {
        Some(l) if !l.footer.is_empty() => Value::from_serializable(&l.footer),
        _ => site
            .config
            .extra
            .get("menu_kaki")
            .map(Value::from_serializable)
            .unwrap_or_else(|| Value::from_serializable(&Vec::<()>::new())),
    };
    let mut contact = serde_yaml::Mapping::new();
    let mut contact_lang = HashMap::new();
    for (key, value, written_in) in site.config.contact_in(code) {
        if let Some(name) = key.as_str() {
            contact_lang.insert(name.to_string(), written_in);
        }
        contact.insert(key.clone(), value.clone());
    }
    Value::from_serializable(&LanguageCtx {
        code,
        name: name(site, code),
        ui: site.config.ui_language(code),
        home_url,
        search_url: format!("{}{searched}{SEARCH_PATH}", site.config.base_path()),
        az_url: format!("{}{searched}{AZ_PATH}", site.config.base_path()),
        menu,
        footer,
        contact,
        contact_lang,
    })
}
