//! The site's tree: sections in order with their pages, translations, tags.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use super::CONTENT_DIR;
use super::document::{file_name, parent_dir};
use crate::config::SiteConfig;
use crate::diagnostic::Diagnostic;
use crate::front_matter::{FrontMatter, SortBy};
use crate::site::{Document, Page, Section, Site, Tag, Target};
use crate::slug::slugify;
use crate::t;

/// Puts the documents in the tree: sections first (the home page at 0, parents before
/// children), then each page in its nearest section, sorted as the section says.
pub(super) fn place(site: &mut Site, docs: Vec<Document>) {
    let (mut section_docs, page_docs): (Vec<Document>, Vec<Document>) = docs
        .into_iter()
        .partition(|d| file_name(&d.tree_path) == "_index.md");
    if !section_docs.iter().any(|d| d.tree_path == "_index.md") {
        section_docs.push(default_home(&site.config));
    }
    section_docs.sort_by(|a, b| {
        let depth = |d: &Document| {
            parent_dir(&d.tree_path).matches('/').count() + usize::from(d.tree_path != "_index.md")
        };
        (depth(a), &a.tree_path).cmp(&(depth(b), &b.tree_path))
    });
    let mut section_of_dir: HashMap<String, usize> = HashMap::new();
    for (i, doc) in section_docs.into_iter().enumerate() {
        let dir = parent_dir(&doc.tree_path).to_string();
        let parent = (i > 0).then(|| nearest_section(&section_of_dir, &dir, true));
        site.by_content_path
            .insert(doc.content_path.clone(), Target::Section(i));
        section_of_dir.insert(dir, i);
        site.sections.push(Section {
            doc,
            parent,
            pages: Vec::new(),
            subsections: Vec::new(),
        });
        // A language's home hangs below the default home but is not one of its sections.
        if let Some(p) = parent
            && site.sections[p].doc.lang == site.sections[i].doc.lang
        {
            site.sections[p].subsections.push(i);
        }
    }
    for (i, doc) in page_docs.into_iter().enumerate() {
        let mut dir = parent_dir(&doc.tree_path);
        if file_name(&doc.tree_path) == "index.md" {
            dir = parent_dir(dir);
        }
        let section = nearest_section(&section_of_dir, dir, false);
        site.by_content_path
            .insert(doc.content_path.clone(), Target::Page(i));
        // A translation whose section is not translated keeps that section for its trail but
        // is not listed among pages in another language.
        if site.sections[section].doc.lang == doc.lang {
            site.sections[section].pages.push(i);
        }
        site.pages.push(Page { doc, section });
    }
    for s in 0..site.sections.len() {
        let mut pages = std::mem::take(&mut site.sections[s].pages);
        sort_pages(&site.pages, &mut pages, site.sections[s].doc.meta.sort_by);
        site.sections[s].pages = pages;
    }
}

/// Groups the pages and sections that translate each other, in the order of the site's
/// languages (the default first).
pub(super) fn translations(site: &Site) -> HashMap<String, Vec<Target>> {
    let order: Vec<&str> = site.config.codes().collect();
    let rank = |lang: &str| order.iter().position(|&c| c == lang).unwrap_or(usize::MAX);
    let mut map: HashMap<String, Vec<Target>> = HashMap::new();
    for target in site.targets() {
        let doc = site.doc(target);
        map.entry(doc.key.clone()).or_default().push(target);
    }
    for targets in map.values_mut() {
        targets.sort_by_key(|&t| rank(&site.doc(t).lang));
    }
    map
}

/// The section a folder belongs to: the folder's own (unless `strict_parent`) or the
/// nearest one above it; the home page in the end.
fn nearest_section(
    section_of_dir: &HashMap<String, usize>,
    dir: &str,
    strict_parent: bool,
) -> usize {
    let mut dir = if strict_parent {
        parent_dir_of_dir(dir)
    } else {
        Some(dir)
    };
    while let Some(d) = dir {
        if let Some(&i) = section_of_dir.get(d) {
            return i;
        }
        dir = parent_dir_of_dir(d);
    }
    0
}

fn parent_dir_of_dir(dir: &str) -> Option<&str> {
    if dir.is_empty() {
        None
    } else {
        Some(parent_dir(dir))
    }
}

fn default_home(config: &SiteConfig) -> Document {
    Document {
        file: PathBuf::from(CONTENT_DIR).join("_index.md"),
        content_path: "_index.md".into(),
        lang: config.language.clone(),
        key: "_index.md".into(),
        tree_path: "_index.md".into(),
        source: String::new(),
        body_offset: 0,
        meta: FrontMatter {
            title: config.title.clone(),
            description: config.description.clone(),
            ..FrontMatter::default()
        },
        url: config.base_path().to_string(),
        out_path: "index.html".into(),
        rendered: Default::default(),
        has_errors: false,
    }
}

/// Reports documents published at an address an earlier one has; returns their indices.
pub(super) fn check_duplicate_urls(
    docs: &[Document],
    diagnostics: &mut Vec<Diagnostic>,
) -> HashSet<usize> {
    let mut seen: HashMap<&str, &Document> = HashMap::new();
    let mut duplicates = HashSet::new();
    for (i, doc) in docs.iter().enumerate() {
        if let Some(first) = seen.get(doc.out_path.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    &doc.file,
                    t!(
                        "content.same_address",
                        url = doc.url,
                        other = first.file.display()
                    ),
                )
                .help(t!("content.same_address.help")),
            );
            duplicates.insert(i);
        } else {
            seen.insert(&doc.out_path, doc);
        }
    }
    duplicates
}

pub fn sort_pages(pages: &[Page], list: &mut [usize], by: SortBy) {
    list.sort_by(|&a, &b| {
        let (a, b) = (&pages[a].doc, &pages[b].doc);
        let order = match by {
            SortBy::Weight => a
                .meta
                .weight
                .unwrap_or(i64::MAX)
                .cmp(&b.meta.weight.unwrap_or(i64::MAX)),
            SortBy::Date => b.meta.date.cmp(&a.meta.date),
            SortBy::Title => std::cmp::Ordering::Equal,
        };
        order
            .then_with(|| a.meta.title.cmp(&b.meta.title))
            .then_with(|| a.content_path.cmp(&b.content_path))
    });
}

pub fn collect_tags(pages: &[Page]) -> BTreeMap<String, Tag> {
    let mut tags: BTreeMap<String, Tag> = BTreeMap::new();
    for (i, page) in pages.iter().enumerate() {
        for name in &page.doc.meta.tags {
            let slug = slugify(name);
            if slug.is_empty() {
                continue;
            }
            let tag = tags.entry(slug.clone()).or_insert_with(|| Tag {
                name: name.clone(),
                slug,
                pages: Vec::new(),
            });
            if tag.pages.last() != Some(&i) {
                tag.pages.push(i);
            }
        }
    }
    for tag in tags.values_mut() {
        sort_pages(pages, &mut tag.pages, SortBy::Date);
    }
    tags
}
