//! Which template renders a page or a section, and the check that every one a page names
//! exists (with the templates that do, when it does not).

use crate::diagnostic::Diagnostic;
use crate::site::{Document, Site};
use crate::t;
use crate::templates::Templates;

pub(super) fn section_template(index: usize, doc: &Document) -> String {
    let default = if index == 0 {
        "index.html"
    } else {
        "section.html"
    };
    doc.meta
        .template
        .clone()
        .unwrap_or_else(|| default.to_string())
}

/// Checks that every page and section has its template, pages with other errors included;
/// a missing default template is reported once.
pub fn check_templates(site: &Site, templates: &Templates) -> Vec<Diagnostic> {
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut push = |d: Diagnostic| {
        if !diagnostics.contains(&d) {
            diagnostics.push(d);
        }
    };
    for i in 0..site.pages.len() {
        if let Err(d) = page_template(site, i, templates) {
            push(d);
        }
    }
    for (i, section) in site.sections.iter().enumerate() {
        if let Err(d) = check_template(templates, &section_template(i, &section.doc), &section.doc)
        {
            push(d);
        }
    }
    diagnostics
}

/// The template of page `index`: its own, its section's `page_template`, `service.html`
/// for service pages, or `page.html`.
pub(super) fn page_template(
    site: &Site,
    index: usize,
    templates: &Templates,
) -> Result<String, Diagnostic> {
    let page = &site.pages[index];
    let doc = &page.doc;
    // A translation is laid out like its original unless its own section says otherwise
    // (its section may not be translated: `en/formulir/` then sits under `/en/`).
    let original_section = site.translations_of(doc).iter().find_map(|&t| match t {
        crate::site::Target::Page(i) if site.pages[i].doc.lang == site.config.language => {
            Some(&site.sections[site.pages[i].section].doc)
        }
        _ => None,
    });
    let own_section = &site.sections[page.section].doc;
    let section = match original_section {
        Some(original) if own_section.meta.page_template.is_none() => original,
        _ => own_section,
    };
    let name = match (&doc.meta.template, &section.meta.page_template) {
        (Some(t), _) => t.clone(),
        (None, Some(t)) => {
            if !templates.has(t) {
                return Err(missing_template(section, t, templates));
            }
            t.clone()
        }
        (None, None) if doc.meta.standar_pelayanan.is_some() && templates.has("service.html") => {
            "service.html".to_string()
        }
        (None, None) => "page.html".to_string(),
    };
    check_template(templates, &name, doc)?;
    Ok(name)
}

fn check_template(templates: &Templates, name: &str, doc: &Document) -> Result<(), Diagnostic> {
    if templates.has(name) {
        Ok(())
    } else if doc.meta.template.as_deref() == Some(name) {
        Err(missing_template(doc, name, templates))
    } else {
        Err(Diagnostic::error(
            format!("templates/{name}"),
            t!("render.no_theme_template", name = name),
        )
        .help(t!("render.no_theme_template.default", name = name)))
    }
}

fn missing_template(doc: &Document, name: &str, templates: &Templates) -> Diagnostic {
    let names: Vec<&str> = templates.names().collect();
    let d = Diagnostic::error(&doc.file, t!("render.no_template", name = name));
    let line = doc
        .source
        .lines()
        .position(|l| l.contains(name) && l.contains("template"))
        .map_or(1, |i| i + 1);
    let column = doc
        .source
        .lines()
        .nth(line - 1)
        .and_then(|l| l.find(name))
        .map_or(1, |c| c + 1);
    let d = d
        .at(&doc.source, line, column)
        .underline(name.chars().count());
    match crate::diagnostic::did_you_mean(name, &names) {
        Some(template) => d.help(t!("render.no_template.did_you_mean", template = template)),
        None => {
            let names = names.join(", ");
            d.help(t!("render.no_template.list", names = names))
        }
    }
}
