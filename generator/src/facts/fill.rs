//! `{{ biaya }}`, `{{ jangka_waktu }}` and `{{ jam_layanan }}` in a page's text: the value
//! from the standard the page shows (its own, or that of the service named in
//! `extra.layanan`), so a sentence about the fee cannot go stale when the fee changes.

use std::ops::Range;

use forms_model::html::escape;

use super::service_of;
use crate::diagnostic::Diagnostic;
use crate::service_standard::{Confirmable, ServiceStandard};
use crate::site::{Document, Site};
use crate::t;

/// The names a page's text may ask for.
pub const NAMES: [&str; 3] = ["biaya", "jangka_waktu", "jam_layanan"];

/// Each `{{ name }}` in `text`: the name, and where the whole of it is written (bytes).
pub fn uses(text: &str) -> Vec<(&str, Range<usize>)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(start) = text[from..].find("{{").map(|i| from + i) {
        let Some(len) = text[start..]
            .find("}}")
            .filter(|&n| !text[start..start + n].contains('\n'))
        else {
            from = start + 2;
            continue;
        };
        let end = start + len + 2;
        found.push((text[start + 2..start + len].trim(), start..end));
        from = end;
    }
    found
}

/// The standard whose values the page's text shows.
fn standard_of<'s>(site: &'s Site, doc: &'s Document) -> Option<&'s ServiceStandard> {
    doc.meta
        .standar_pelayanan
        .as_ref()
        .or_else(|| service_of(site, doc).map(|(_, s)| s))
}

/// The page's rendered HTML with each `{{ name }}` replaced by its value, in the page's
/// labels' language (`5 working days`), a value still to confirm marked as on the rest of the
/// page.
pub fn fill(site: &Site, doc: &Document, html: &str) -> String {
    if !html.contains("{{") {
        return html.to_string();
    }
    let standard = standard_of(site, doc);
    let ui = site.config.ui_language(&doc.lang);
    let label = |key: &str| site.i18n.text(ui, key).unwrap_or(key).to_string();
    let pending = |text: &str| {
        format!(
            "<span class=\"konfirmasi\">[{}: {}]</span>",
            escape(&label("to_confirm")),
            escape(text)
        )
    };
    let value = |name: &str| -> Option<String> {
        let standard = standard?;
        Some(match name {
            "biaya" => match standard.biaya.as_ref()? {
                Confirmable::Known(cost) => escape(&cost.teks),
                Confirmable::Pending { konfirmasi } => pending(konfirmasi),
            },
            "jangka_waktu" => match standard.jangka_waktu.as_ref()? {
                Confirmable::Known(d) => {
                    let unit = format!("unit_{}", d.satuan.key());
                    let unit = if d.nilai == 1 {
                        format!("{unit}_one")
                    } else {
                        unit
                    };
                    format!("{} {}", d.nilai, escape(&label(&unit)))
                }
                Confirmable::Pending { konfirmasi } => pending(konfirmasi),
            },
            "jam_layanan" => match &standard.jam_layanan {
                Some(Confirmable::Known(hours)) => escape(hours),
                Some(Confirmable::Pending { konfirmasi }) => pending(konfirmasi),
                None => office_hours(site, &doc.lang, &pending)?,
            },
            _ => return None,
        })
    };
    let mut out = String::with_capacity(html.len());
    let mut last = 0;
    for (name, span) in uses(html) {
        if let Some(text) = value(name) {
            out.push_str(&html[last..span.start]);
            out.push_str(&text);
            last = span.end;
        }
    }
    out.push_str(&html[last..]);
    out
}

/// The office-wide hours, as written for `lang` when it has its own.
fn office_hours(site: &Site, lang: &str, pending: &dyn Fn(&str) -> String) -> Option<String> {
    let (_, value, _) = site
        .config
        .contact_in(lang)
        .into_iter()
        .find(|(key, _, _)| key.as_str() == Some("jam_layanan"))?;
    match crate::service_standard::placeholder_text(value) {
        Some(text) => Some(pending(text)),
        None => value.as_str().map(escape),
    }
}

/// A `{{ name }}` the page cannot fill: an unknown name, or a page without a standard.
pub fn check(site: &Site, doc: &Document, diagnostics: &mut Vec<Diagnostic>) {
    let has_standard = standard_of(site, doc).is_some();
    for (name, span) in uses(doc.body()) {
        let message = if !NAMES.contains(&name) {
            t!(
                "facts.fill_unknown",
                name = name,
                names = NAMES.join("`, `")
            )
        } else if !has_standard {
            t!("facts.fill_no_standard", name = name)
        } else {
            continue;
        };
        diagnostics.push(
            doc.at_span(Diagnostic::error(&doc.file, message), &span)
                .help(t!("facts.fill.help")),
        );
    }
}
