//! Mistakes in a page that build without complaint but fail a citizen: an image without a
//! description, a link with no words, a heading level skipped, a description longer than a
//! search result shows, a link to the site's own address or to the preview.

use crate::diagnostic::Diagnostic;
use crate::links::{Dest, classify};
use crate::site::{Document, Site};
use crate::t;

/// About what a search result shows of a page's description (Google cuts at about 920 pixels,
/// some 155–160 characters).
pub const DESCRIPTION_LIMIT: usize = 160;

/// The addresses `generator serve` answers on: a link to them works only on the editor's
/// own computer.
const PREVIEW_HOSTS: [&str; 3] = ["127.0.0.1", "localhost", "0.0.0.0"];

pub fn check(site: &Site, doc: &Document, diagnostics: &mut Vec<Diagnostic>) {
    links(site, doc, diagnostics);
    headings(doc, diagnostics);
    description(doc, diagnostics);
}

fn links(site: &Site, doc: &Document, diagnostics: &mut Vec<Diagnostic>) {
    for link in &doc.rendered.links {
        let warn = |message: String, help: String| {
            doc.at_span(Diagnostic::warning(&doc.file, message), &link.span)
                .help(help)
        };
        if !link.has_text {
            diagnostics.push(if link.is_image {
                warn(t!("lint.image_alt"), t!("lint.image_alt.help"))
            } else {
                warn(t!("lint.link_text"), t!("lint.link_text.help"))
            });
        }
        let Dest::External(url) = classify(&link.dest, doc.link_base()) else {
            continue;
        };
        if let Some(path) = preview_path(url) {
            let d = doc.at_span(
                Diagnostic::error(&doc.file, t!("lint.preview_address", url = url)),
                &link.span,
            );
            diagnostics.push(d.help(link_by_file(site, path)));
        } else if let Some(path) = own_path(site, url) {
            diagnostics.push(warn(t!("lint.own_address"), link_by_file(site, path)));
        }
    }
}

/// The path of a link to `generator serve`'s address (`http://127.0.0.1:1111/layanan/`).
fn preview_path(url: &str) -> Option<&str> {
    let rest = without_scheme(url)?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let name = host.rsplit_once(':').map_or(host, |(name, _)| name);
    PREVIEW_HOSTS.contains(&name).then_some(path)
}

/// The path of a link to the site's own published address (`base_url`).
fn own_path<'a>(site: &Site, url: &'a str) -> Option<&'a str> {
    let base = without_scheme(site.config.base_url.trim_end_matches('/'))?;
    let rest = without_scheme(url)?.strip_prefix(base)?;
    match rest.strip_prefix('/') {
        Some(path) => Some(path),
        None if rest.is_empty() => Some(""),
        None => None,
    }
}

/// `url` without its `http://` or `https://`; `None` for another scheme.
fn without_scheme(url: &str) -> Option<&str> {
    url.strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
}

/// What to write instead of a link to `path` on the site: the page's file when one is
/// published there.
fn link_by_file(site: &Site, path: &str) -> String {
    let (path, fragment) = path.split_once('#').unwrap_or((path, ""));
    let url = format!(
        "{}{}",
        site.config.base_path(),
        path.split('?').next().unwrap_or("")
    );
    let page = site
        .targets()
        .map(|t| site.doc(t))
        .find(|d| d.url == url || d.url == format!("{url}/"));
    match page {
        Some(page) => {
            let fragment = if fragment.is_empty() {
                String::new()
            } else {
                format!("#{fragment}")
            };
            let path = &page.content_path;
            t!("lint.link_by_file", path = path, fragment = fragment)
        }
        None => t!("lint.link_by_file.example"),
    }
}

/// A heading more than one level below the one before it (the page's title is the first,
/// level 1): screen-reader users move through a page by its headings, and a gap reads as a
/// missing part.
fn headings(doc: &Document, diagnostics: &mut Vec<Diagnostic>) {
    let mut previous = 1;
    for (level, span) in &doc.rendered.headings {
        if *level > previous + 1 {
            let hashes = |n: u8| "#".repeat(n.into());
            diagnostics.push(
                doc.at_span(
                    Diagnostic::warning(
                        &doc.file,
                        t!(
                            "lint.heading_skipped",
                            level = hashes(*level),
                            previous = hashes(previous)
                        ),
                    ),
                    span,
                )
                .help(t!(
                    "lint.heading_skipped.help",
                    wanted = hashes(previous + 1)
                )),
            );
        }
        previous = *level;
    }
}

fn description(doc: &Document, diagnostics: &mut Vec<Diagnostic>) {
    let Some(description) = &doc.meta.description else {
        return;
    };
    let length = description.chars().count();
    if length <= DESCRIPTION_LIMIT {
        return;
    }
    let line = doc
        .source
        .lines()
        .position(|l| l.starts_with("description:"))
        .map_or(1, |i| i + 1);
    diagnostics.push(
        Diagnostic::warning(
            &doc.file,
            t!(
                "lint.description_long",
                length = length,
                limit = DESCRIPTION_LIMIT
            ),
        )
        .at(&doc.source, line, 1)
        .underline("description".len())
        .help(t!("lint.description_long.help", limit = DESCRIPTION_LIMIT)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_preview_address() {
        assert_eq!(
            preview_path("http://127.0.0.1:1111/layanan/paw/"),
            Some("layanan/paw/")
        );
        assert_eq!(preview_path("http://localhost:1111"), Some(""));
        assert_eq!(preview_path("https://kpu.go.id/"), None);
    }
}
