//! Mistakes in a page that build without complaint but fail a citizen: an image without a
//! description, a link with no words, a heading level skipped, a description longer than a
//! search result shows, a link to the site's own address or to the preview.

use crate::diagnostic::Diagnostic;
use crate::links::{Dest, classify};
use crate::site::{Document, Site};

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
        let warn = |message: &str, help: String| {
            doc.at_span(Diagnostic::warning(&doc.file, message), &link.span)
                .help(help)
        };
        if !link.has_text {
            diagnostics.push(if link.is_image {
                warn(
                    "an image without a description (alt text)",
                    "write what the image shows between the brackets, e.g. \
                     `![Loket PPID di kantor KPU Provinsi NTB](loket.jpg)`: a screen reader \
                     reads it aloud, and it shows when the image does not load"
                        .into(),
                )
            } else {
                warn(
                    "a link without words",
                    "write what the link leads to between the brackets, e.g. \
                     `[Formulir pengaduan](@/layanan/pengaduan.md)`"
                        .into(),
                )
            });
        }
        let Dest::External(url) = classify(&link.dest, doc.link_base()) else {
            continue;
        };
        if let Some(path) = preview_path(url) {
            let d = doc.at_span(
                Diagnostic::error(
                    &doc.file,
                    format!(
                        "a link to the preview address `{url}`, which works only on this computer"
                    ),
                ),
                &link.span,
            );
            diagnostics.push(d.help(link_by_file(site, path)));
        } else if let Some(path) = own_path(site, url) {
            diagnostics.push(warn(
                "a link to this site's own address: it breaks if the site moves, and is not checked",
                link_by_file(site, path),
            ));
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
            format!(
                "link to the page's file instead: `@/{}{fragment}`",
                page.content_path
            )
        }
        None => "link to the page's file instead, e.g. `@/layanan/paw.md`".into(),
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
                        format!(
                            "a heading level is skipped: `{}` after `{}`",
                            hashes(*level),
                            hashes(previous)
                        ),
                    ),
                    span,
                )
                .help(format!(
                    "use `{}`, one level below the heading before it (the page's title is `#`)",
                    hashes(previous + 1)
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
            format!(
                "the description is {length} characters long; a search result shows about {DESCRIPTION_LIMIT}"
            ),
        )
        .at(&doc.source, line, 1)
        .underline("description".len())
        .help(format!(
            "shorten it to one sentence of at most {DESCRIPTION_LIMIT} characters: search engines \
             show it under the title, and cut what is longer"
        )),
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
