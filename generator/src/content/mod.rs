//! Reads `content/`: finds sections, pages and other files, reads every front matter (in
//! parallel), and builds the site model with URLs, section listings and tags.
//! Markdown is not rendered here; that is `render_markdown`'s job.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::SiteConfig;
use crate::diagnostic::Diagnostic;
use crate::site::{Document, Site};
use crate::t;

mod document;
mod tree;

use document::{file_name, file_out_path, parent_dir, relative};
pub use document::{language_of, parse_document, read_document, url_path};
use tree::{check_duplicate_urls, place, translations};
pub use tree::{collect_tags, sort_pages};

pub const CONTENT_DIR: &str = "content";

/// The files found under `content/`, paths relative to it with `/`.
#[derive(Debug, Default)]
struct Inventory {
    markdown: Vec<String>,
    files: Vec<String>,
}

fn inventory(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> Inventory {
    let dir = root.join(CONTENT_DIR);
    let mut inv = Inventory::default();
    let walker = WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err.path().unwrap_or(&dir).to_path_buf();
                diagnostics.push(Diagnostic::error(
                    relative(root, &path),
                    t!("content.cannot_read", reason = err),
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(&dir) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        // Settings files, not pages or files to publish.
        if rel == "site.yaml" || Some(rel.as_str()) == holidays_file() {
            continue;
        }
        if rel.ends_with(".md") {
            inv.markdown.push(rel);
        } else {
            inv.files.push(rel);
        }
    }
    inv
}

/// The holidays list's name inside `content/`.
fn holidays_file() -> Option<&'static str> {
    forms_model::holidays::HOLIDAYS_FILE.strip_prefix("content/")
}

/// Builds the site model from `content/`. Problems go to `diagnostics`; documents with
/// errors are left out so the rest can still be checked.
pub fn load(
    root: &Path,
    config: SiteConfig,
    drafts: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Site {
    let inv = inventory(root, diagnostics);
    let (docs, unreadable) = read_all(root, &inv.markdown, &config, diagnostics);
    warn_awaiting_review(&docs, drafts, diagnostics);
    let hidden_dirs = hidden_dirs(&docs, drafts);
    let is_hidden = |path: &str| {
        hidden_dirs.iter().any(|dir| {
            path.strip_prefix(dir.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
        })
    };
    let mut docs: Vec<Document> = docs
        .into_iter()
        .filter(|d| {
            (drafts || !(d.meta.draft || d.meta.awaiting_review)) && !is_hidden(&d.tree_path)
        })
        .collect();
    let duplicates = check_duplicate_urls(&docs, diagnostics);
    let mut position = 0;
    docs.retain(|_| {
        position += 1;
        !duplicates.contains(&(position - 1))
    });
    check_bundles_in_sections(&docs, diagnostics);
    check_translated_sections(&docs, &config.language, diagnostics);

    let mut site = Site {
        pages: Vec::new(),
        sections: Vec::new(),
        by_content_path: HashMap::new(),
        files: Vec::new(),
        tags: BTreeMap::new(),
        unreadable,
        translations: HashMap::new(),
        i18n: Default::default(),
        config,
    };
    place(&mut site, docs);
    site.translations = translations(&site);
    site.tags = collect_tags(&site.pages);
    site.files = inv
        .files
        .iter()
        .filter(|p| !is_hidden(p))
        .map(|p| (Path::new(CONTENT_DIR).join(p), file_out_path(p)))
        .collect();
    site
}

/// Every Markdown file read (in parallel); the paths of those that could not be read.
fn read_all(
    root: &Path,
    paths: &[String],
    config: &SiteConfig,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Document>, HashSet<String>) {
    let parsed: Vec<(Option<Document>, Vec<Diagnostic>)> = paths
        .par_iter()
        .map(|path| {
            let mut d = Vec::new();
            let doc = read_document(root, path, config, &mut d);
            (doc, d)
        })
        .collect();
    let mut docs = Vec::with_capacity(parsed.len());
    let mut unreadable = HashSet::new();
    for ((doc, d), path) in parsed.into_iter().zip(paths) {
        diagnostics.extend(d);
        match doc {
            Some(doc) => docs.push(doc),
            None => {
                unreadable.insert(path.clone());
            }
        }
    }
    (docs, unreadable)
}

/// The folders of draft sections: a draft section hides everything below it.
fn hidden_dirs(docs: &[Document], drafts: bool) -> Vec<String> {
    docs.iter()
        .filter(|d| !drafts && d.meta.draft && file_name(&d.tree_path) == "_index.md")
        .filter(|d| d.tree_path != "_index.md")
        .map(|d| parent_dir(&d.tree_path).to_string())
        .collect()
}

/// A translation awaiting review is left out (or, previewing drafts, shown): say so, as a
/// note. Like a draft, it is not a mistake to fix before publishing, so `--strict` lets it be.
fn warn_awaiting_review(docs: &[Document], drafts: bool, diagnostics: &mut Vec<Diagnostic>) {
    for d in docs.iter().filter(|d| d.meta.awaiting_review) {
        let line = d
            .source
            .lines()
            .position(|l| l.starts_with("status_terjemahan"))
            .map_or(1, |i| i + 1);
        let message = if drafts {
            t!("content.awaiting_review.in_preview")
        } else {
            t!("content.awaiting_review.left_out")
        };
        diagnostics.push(
            Diagnostic::note(&d.file, message)
                .at(&d.source, line, 1)
                .underline("status_terjemahan".len())
                .help(t!("content.awaiting_review.help")),
        );
    }
}

/// A translated page in a folder whose section has no translation in its language: its
/// list (`/en/berita/`) does not exist, and the page is listed under the language's home.
fn check_translated_sections(docs: &[Document], default: &str, diagnostics: &mut Vec<Diagnostic>) {
    let section_dirs = section_dirs(docs);
    for d in docs {
        if d.lang == default || file_name(&d.tree_path) == "_index.md" {
            continue;
        }
        let dir = parent_dir(&d.tree_path);
        let Some(default_dir) = dir.strip_prefix(&format!("{}/", d.lang)) else {
            continue;
        };
        // A page bundle (`berita/rapat/index.en.md`) belongs to the folder above it.
        let default_dir = if file_name(&d.tree_path) == "index.md" {
            parent_dir(default_dir)
        } else {
            default_dir
        };
        let dir = match default_dir {
            "" => d.lang.clone(),
            _ => format!("{}/{default_dir}", d.lang),
        };
        if section_dirs.contains(default_dir) && !section_dirs.contains(dir.as_str()) {
            diagnostics.push(
                Diagnostic::warning(
                    &d.file,
                    t!(
                        "content.section_untranslated",
                        lang = d.lang,
                        dir = default_dir
                    ),
                )
                .help(t!(
                    "content.section_untranslated.help",
                    lang = d.lang,
                    dir = default_dir
                )),
            );
        }
    }
}

/// The folders holding a section's `_index.md`, as tree paths (`en/berita`).
fn section_dirs(docs: &[Document]) -> HashSet<&str> {
    docs.iter()
        .filter(|d| file_name(&d.tree_path) == "_index.md")
        .map(|d| parent_dir(&d.tree_path))
        .collect()
}

/// A folder is a section (`_index.md`) or a page bundle (`index.md`), not both.
fn check_bundles_in_sections(docs: &[Document], diagnostics: &mut Vec<Diagnostic>) {
    let section_dirs = section_dirs(docs);
    for d in docs {
        if file_name(&d.tree_path) == "index.md" && section_dirs.contains(parent_dir(&d.tree_path))
        {
            diagnostics.push(
                Diagnostic::error(&d.file, t!("content.section_and_bundle"))
                    .help(t!("content.section_and_bundle.help")),
            );
        }
    }
}

#[cfg(test)]
mod tests;
