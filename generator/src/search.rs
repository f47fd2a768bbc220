//! Site search: a Pagefind index of every page and section, made from the generated HTML
//! in the build itself (Pagefind as a library; nothing to install beside the generator).
//! Pagefind splits the index by the pages' `<html lang>`, stems Indonesian and English words,
//! and cuts it in chunks, so a first query on a phone fetches only a small part of it.
//! The search page (`search.html`) and the A–Z index (`az.html`), one per language, are
//! rendered here too.

use std::collections::HashMap;

use pagefind::api::{HtmlFile, PagefindIndex};
use pagefind::options::PagefindServiceConfig;
use serde::Serialize;
use tera::Value;

use crate::context::{AZ_PATH, Listings, SEARCH_PATH, language_page_context};
use crate::diagnostic::Diagnostic;
use crate::output::{Contents, OutputFile};
use crate::site::{Site, Target};
use crate::t;
use crate::templates::Templates;

/// How many pages are given to Pagefind at once (and held, as HTML, until parsed).
const PAGES_PER_BATCH: usize = 256;

/// Where the index is published, below the site's root.
pub const BUNDLE_DIR: &str = "pagefind/";

/// The files of Pagefind's bundle the search page uses: its search API, worker and
/// WebAssembly, and the index. Its ready-made interfaces are left out (the theme has its own).
fn is_needed(name: &str) -> bool {
    !(name.starts_with("pagefind-ui")
        || name.starts_with("pagefind-modular-ui")
        || name.starts_with("pagefind-component-ui")
        || name.starts_with("pagefind-highlight")
        || name.starts_with("playground"))
}

/// Does the theme offer search? (It has a `search.html` template.)
pub fn enabled(templates: &Templates) -> bool {
    templates.has("search.html")
}

/// The languages that get a search page and an A–Z index: those with a home page (a
/// language with only a few draft translations is searched with the default language).
fn searched_languages(site: &Site) -> Vec<&str> {
    site.config
        .codes()
        .filter(|code| site.home_of(code).is_some())
        .collect()
}

/// Indexes the pages and sections among `outputs` (their first page, for paginated ones).
pub fn index(site: &Site, outputs: &[OutputFile]) -> Result<Vec<OutputFile>, Diagnostic> {
    let by_path: HashMap<&str, &[u8]> = outputs
        .iter()
        .filter_map(|f| match &f.contents {
            Contents::Bytes(b) => Some((f.path.as_str(), b.as_slice())),
            Contents::Copy(_) => None,
        })
        .collect();
    index_pages(pages_to_index(site, move |path| by_path.get(path).copied()))
}

/// What Pagefind is given of each page and section: its URL and the indexed part of its
/// HTML (`html` finds a page's output by its path). Each indexed part is made only when
/// it is needed, so a build holds one batch of them at a time.
pub fn pages_to_index<'a, F>(site: &'a Site, html: F) -> impl Iterator<Item = (String, String)> + 'a
where
    F: Fn(&str) -> Option<&'a [u8]> + 'a,
{
    site.targets().map(|t| site.doc(t)).filter_map(move |doc| {
        let page = html(doc.out_path.as_str())?;
        Some((
            doc.url.clone(),
            indexed_part(&String::from_utf8_lossy(page)),
        ))
    })
}

/// The files of the search bundle for `pages` (URL, indexed HTML), below [`BUNDLE_DIR`].
pub fn index_pages(
    pages: impl Iterator<Item = (String, String)>,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let failed = |message: String| Diagnostic::error(t!("search.location"), message);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| failed(t!("search.start_runtime", error = e)))?;
    let files = runtime.block_on(async {
        let config = PagefindServiceConfig::builder().build();
        let mut index = PagefindIndex::new(Some(config))
            .map_err(|e| failed(t!("search.start_pagefind", error = e)))?;
        // The pages go to Pagefind from memory (a scratch folder of pages for it to read
        // cost more, creating ten thousand files, than the parsing), a batch at a time,
        // parsed in parallel within each batch. `add_html_files` (patched, vendor/) keeps
        // each page packed as the index stores it, half the memory of its parsed words.
        let mut pages = pages.map(|(url, content)| HtmlFile {
            source_path: None,
            url: Some(url),
            content,
        });
        loop {
            let batch: Vec<HtmlFile> = pages.by_ref().take(PAGES_PER_BATCH).collect();
            if batch.is_empty() {
                break;
            }
            index
                .add_html_files(batch)
                .await
                .map_err(|e| failed(t!("search.add_pages", error = e)))?;
        }
        // `into_files` (from the patched Pagefind in vendor/) frees each page's words once
        // they are indexed; `get_files` would hold them all beside the growing index.
        index
            .into_files()
            .await
            .map_err(|e| failed(t!("search.write", error = e)))
    })?;
    Ok(files
        .into_iter()
        .filter_map(|f| {
            let name = f.filename.to_string_lossy().replace('\\', "/");
            is_needed(&name).then(|| OutputFile {
                path: format!("{BUNDLE_DIR}{name}"),
                contents: Contents::Bytes(f.contents),
            })
        })
        .collect())
}

/// What Pagefind reads of a page: the `<html>` tag (for the language) and the `<main>`
/// element, the only part it indexes (`data-pagefind-body`). Leaving out the head, header
/// and footer halves the HTML it parses; a page without `<main>` is given whole.
fn indexed_part(html: &str) -> String {
    let html_tag = html.find("<html").and_then(|start| {
        html[start..]
            .find('>')
            .map(|end| &html[start..=start + end])
    });
    let main = html.find("<main").and_then(|start| {
        html.rfind("</main>")
            .map(|end| &html[start..end + "</main>".len()])
    });
    match (html_tag, main) {
        (Some(tag), Some(main)) => format!("{tag}<body>{main}</body></html>"),
        _ => html.to_string(),
    }
}

#[derive(Serialize)]
struct Letter<'a> {
    letter: String,
    /// The id of its heading: `huruf-a`.
    id: String,
    pages: Vec<AzEntry<'a>>,
}

#[derive(Serialize)]
struct AzEntry<'a> {
    title: &'a str,
    url: &'a str,
    /// The section the page belongs to (none for sections and the home page).
    section: Option<&'a str>,
}

/// The letter a title is filed under: its first letter or digit, without accents.
fn initial(title: &str) -> String {
    match title.chars().find(|c| c.is_alphanumeric()) {
        Some(c) if c.is_ascii_digit() => "0–9".to_string(),
        Some(c) if c.is_ascii_alphabetic() => c.to_ascii_uppercase().to_string(),
        Some(c) => c.to_uppercase().to_string(),
        None => "#".to_string(),
    }
}

/// Every page and section of `lang`, by title, grouped by first letter.
fn az_entries<'a>(site: &'a Site, lang: &str) -> Vec<Letter<'a>> {
    let mut entries: Vec<AzEntry> = site
        .targets()
        .filter_map(|t| {
            let doc = site.doc(t);
            if doc.lang != lang {
                return None;
            }
            let section = match t {
                Target::Page(i) => {
                    Some(site.sections[site.pages[i].section].doc.meta.title.as_str())
                }
                Target::Section(_) => None,
            };
            Some(AzEntry {
                title: &doc.meta.title,
                url: &doc.url,
                section,
            })
        })
        .collect();
    let key = |e: &AzEntry| {
        let t: String = e
            .title
            .chars()
            .skip_while(|c| !c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        (t, e.url.to_string())
    };
    entries.sort_by_cached_key(key);
    let mut letters: Vec<Letter> = Vec::new();
    for entry in entries {
        let letter = initial(entry.title);
        match letters.last_mut() {
            Some(last) if last.letter == letter => last.pages.push(entry),
            _ => letters.push(Letter {
                id: format!("huruf-{}", crate::slug::slugify(&letter)),
                letter,
                pages: vec![entry],
            }),
        }
    }
    letters
}

/// The search page and the A–Z index of each language.
pub fn pages(
    site: &Site,
    templates: &Templates,
    listings: &Listings,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    let base = site.config.base_path();
    let languages = searched_languages(site);
    let mut jobs = vec![("search.html", SEARCH_PATH)];
    if templates.has("az.html") {
        jobs.push(("az.html", AZ_PATH));
    }
    for (template, path) in jobs {
        let urls: Vec<(&str, String)> = languages
            .iter()
            .map(|&code| (code, format!("{base}{}{path}", site.config.prefix(code))))
            .collect();
        for (lang, url) in &urls {
            let mut ctx = language_page_context(site, listings, lang, url, &urls);
            ctx.insert("bundle_url", &format!("{base}{BUNDLE_DIR}"));
            if template == "az.html" {
                ctx.insert_value("letters", Value::from_serializable(&az_entries(site, lang)));
            }
            match templates.render(template, &ctx) {
                Ok(html) => files.push(OutputFile::html(
                    format!("{}{path}index.html", site.config.prefix(lang)),
                    html,
                )),
                Err(d) => diagnostics.push(d),
            }
        }
    }
    (files, diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagefind_reads_the_language_and_the_main_element_only() {
        let page = "<!doctype html>\n<html lang=\"en\">\n<head><title>T</title></head><body><header>Menu</header><main id=\"isi\" data-pagefind-body><h1>PAW</h1></main><footer>Kontak</footer></body></html>";
        assert_eq!(
            indexed_part(page),
            "<html lang=\"en\"><body><main id=\"isi\" data-pagefind-body><h1>PAW</h1></main></body></html>"
        );
        assert_eq!(indexed_part("<p>no main</p>"), "<p>no main</p>");
    }

    /// The files of Pagefind's index of `pages` (URL, HTML) with the fourth page replaced,
    /// sorted by name: made the build's way (`packed`: pages parsed in parallel and packed as
    /// they are parsed by `add_html_files`, then `into_files`, which drops each page once
    /// indexed, a batch at a time), or page by page with Pagefind keeping its pages
    /// (`add_html_file`, `get_files`).
    fn index_files(pages: &[(String, String)], packed: bool) -> Vec<(String, Vec<u8>)> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            let mut index = PagefindIndex::new(None).expect("an index");
            if packed {
                let batch = pages
                    .iter()
                    .map(|(url, html)| HtmlFile {
                        source_path: None,
                        url: Some(url.clone()),
                        content: html.clone(),
                    })
                    .collect();
                index.add_html_files(batch).await.expect("pages added");
            } else {
                for (url, html) in pages {
                    index
                        .add_html_file(None, Some(url.clone()), html.clone())
                        .await
                        .expect("a page added");
                }
            }
            let replaced = "<html lang=\"id\"><body><main data-pagefind-body>\
                            <h1>Diganti</h1></main></body></html>";
            index
                .add_html_file(None, Some(pages[3].0.clone()), replaced.into())
                .await
                .expect("the page replaced");
            let files = if packed {
                index.into_files().await.expect("the files")
            } else {
                index.get_files().await.expect("the files")
            };
            let mut files: Vec<_> = files
                .into_iter()
                .map(|f| (f.filename.to_string_lossy().into_owned(), f.contents))
                .collect();
            files.sort();
            files
        })
    }

    /// How many pages' fragments the index has.
    fn fragments(files: &[(String, Vec<u8>)]) -> usize {
        files
            .iter()
            .filter(|(name, _)| name.ends_with(".pf_fragment"))
            .count()
    }

    /// The index the build takes is byte for byte the one made page by page with Pagefind
    /// keeping its pages, over more pages than one batch, with a page added twice; and it is
    /// the index the published Pagefind 1.6.0 makes of the same pages.
    #[test]
    fn the_index_built_in_less_memory_is_the_same_index() {
        let pages: Vec<(String, String)> = (0..1200)
            .map(|n| {
                let lang = if n % 5 == 0 { "en" } else { "id" };
                let html = format!(
                    "<html lang=\"{lang}\"><body><main data-pagefind-body><h1>Layanan {n}</h1>\
                     <p>Salinan keputusan nomor {n} pemilihan umum {}</p></main></body></html>",
                    n * 7 % 13
                );
                (format!("/halaman/{n}/"), html)
            })
            .collect();
        let kept = index_files(&pages, false);
        assert!(
            fragments(&kept) == 1200,
            "one fragment a page, the replaced page once"
        );
        assert!(
            kept.iter()
                .any(|(name, _)| name.starts_with("pagefind.en_"))
        );
        assert!(
            kept == index_files(&pages, true),
            "the two ways of building differ"
        );
        let metas: Vec<&str> = kept
            .iter()
            .map(|(name, _)| name.as_str())
            .filter(|name| name.ends_with(".pf_meta"))
            .collect();
        // The meta file's name is a hash over every page and index chunk it lists. These
        // are the names Pagefind 1.6.0 as published (without the patch) gives these pages.
        assert_eq!(
            metas,
            [
                "pagefind.en_932cca7c66.pf_meta",
                "pagefind.id_8320d36fbc.pf_meta"
            ],
            "the patched Pagefind indexes these pages differently from Pagefind 1.6.0"
        );
    }

    /// Words with diacritics are kept as variants of their plain form, in the body and in
    /// the title (indexed as metadata), and a page may have both forms: packing them when
    /// the page is added gives the same index.
    #[test]
    fn words_with_diacritics_are_packed_into_the_same_index() {
        let words = [
            "café",
            "cafe",
            "résumé",
            "resume",
            "naïve",
            "Éducation",
            "pemilu",
        ];
        let pages: Vec<(String, String)> = (0..150)
            .map(|n| {
                let word = |k: usize| words[(n * k + k) % words.len()];
                let html = format!(
                    "<html lang=\"id\"><head><meta data-pagefind-meta=\"kota:{}\"></head>\
                     <body><main data-pagefind-body><h1>{} {n}</h1><p>{} {} {} <b>{}</b></p>\
                     </main></body></html>",
                    word(5),
                    word(1),
                    word(2),
                    word(3),
                    word(1),
                    word(4)
                );
                (format!("/halaman/{n}/"), html)
            })
            .collect();
        let kept = index_files(&pages, false);
        assert!(fragments(&kept) == 150);
        assert!(
            kept == index_files(&pages, true),
            "packing the pages changed the index"
        );
    }

    #[test]
    fn titles_are_filed_under_their_first_letter_without_accents_or_quotes() {
        assert_eq!(initial("Pemilih pemula"), "P");
        assert_eq!(initial("\"Cek DPT\" online"), "C");
        assert_eq!(initial("2024: hasil pemilu"), "0–9");
        assert_eq!(initial("Éducation"), "É");
        assert_eq!(initial("…"), "#");
    }
}
