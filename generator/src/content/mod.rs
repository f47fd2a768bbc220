//! Reads `content/`: finds sections, pages and other files, reads every front matter (in
//! parallel), and builds the site model with URLs, section listings and tags.
//! Markdown is not rendered here; that is `render_markdown`'s job.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::{self, SiteConfig};
use crate::diagnostic::Diagnostic;
use crate::front_matter::{self, FrontMatter, SortBy};
use crate::site::{Document, Page, Section, Site, Tag, Target};
use crate::slug::slugify;

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
                    format!("cannot read: {err}"),
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
        if rel == "site.yaml" {
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

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// The folder of a content path: `layanan/paw.md` → `layanan`, `paw.md` → ``.
fn parent_dir(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

fn file_name(path: &str) -> &str {
    path.rfind('/').map_or(path, |i| &path[i + 1..])
}

/// The URL path (without the base path) of a Markdown file: `layanan/paw.md` →
/// `layanan/paw/`, `layanan/_index.md` → `layanan/`, `berita/x/index.md` → `berita/x/`.
pub fn url_path(content_path: &str) -> String {
    let name = file_name(content_path);
    let dir = parent_dir(content_path);
    let mut parts: Vec<String> = dir
        .split('/')
        .filter(|p| !p.is_empty())
        .map(slug_part)
        .collect();
    if name != "_index.md" && name != "index.md" {
        parts.push(slug_part(name.trim_end_matches(".md")));
    }
    let mut url: String = parts.join("/");
    if !url.is_empty() {
        url.push('/');
    }
    url
}

fn slug_part(part: &str) -> String {
    let slug = slugify(part);
    if slug.is_empty() {
        part.to_lowercase()
    } else {
        slug
    }
}

/// Output path of a non-Markdown file: folders slugged like page URLs, name kept.
fn file_out_path(content_path: &str) -> String {
    let dir = url_path(&format!("{}/_index.md", parent_dir(content_path)));
    format!("{dir}{}", file_name(content_path))
}

/// Reads one Markdown file into a document (URL and front matter; not rendered yet).
pub fn read_document(
    root: &Path,
    content_path: &str,
    config: &SiteConfig,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Document> {
    let file = Path::new(CONTENT_DIR).join(content_path);
    let source = match std::fs::read_to_string(root.join(&file)) {
        Ok(s) => s,
        Err(err) => {
            diagnostics.push(
                Diagnostic::error(&file, format!("cannot read the file: {err}")).help(
                    "save the file as UTF-8 text (most editors offer this under \"Save as\")",
                ),
            );
            return None;
        }
    };
    parse_document(file, content_path, source, config, diagnostics)
}

/// The language of a content path and its key: `layanan/paw.en.md` → (`en`,
/// `layanan/paw.md`) when `en` is one of the site's languages; otherwise the default
/// language and the path itself.
pub fn language_of<'a>(content_path: &str, config: &'a SiteConfig) -> (&'a str, String) {
    let name = file_name(content_path);
    if let Some(stem) = name.strip_suffix(".md")
        && let Some((base, code)) = stem.rsplit_once('.')
        && let Some(language) = config.language(code)
        && !base.is_empty()
    {
        let dir = parent_dir(content_path);
        let key = if dir.is_empty() {
            format!("{base}.md")
        } else {
            format!("{dir}/{base}.md")
        };
        return (&language.code, key);
    }
    (&config.language, content_path.to_string())
}

pub fn parse_document(
    file: PathBuf,
    content_path: &str,
    source: String,
    config: &SiteConfig,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Document> {
    let (lang, key) = language_of(content_path, config);
    let is_section = file_name(&key) == "_index.md";
    let split = match front_matter::split(&file, &source) {
        Ok(s) => s,
        Err(d) => {
            diagnostics.push(d);
            return None;
        }
    };
    for (line, column, text) in front_matter::placeholders(split.yaml, split.yaml_line) {
        diagnostics.push(config::placeholder_warning(
            &file, &source, line, column, &text,
        ));
    }
    let before = diagnostics.iter().filter(|d| d.is_error()).count();
    let meta = front_matter::parse(&file, &source, &split, is_section, diagnostics)?;
    let has_errors = diagnostics.iter().filter(|d| d.is_error()).count() > before;
    let body_offset = split.body_offset;
    let prefix = config.prefix(lang);
    let tree_path = format!("{prefix}{key}");
    let rel_url = url_path(&tree_path);
    let out_path = format!("{rel_url}index.html");
    let url = format!("{}{rel_url}", config.base_path());
    Some(Document {
        file,
        content_path: content_path.to_string(),
        lang: lang.to_string(),
        key,
        tree_path,
        source,
        body_offset,
        meta,
        url,
        out_path,
        rendered: Default::default(),
        has_errors,
    })
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

    let parsed: Vec<(Option<Document>, Vec<Diagnostic>)> = inv
        .markdown
        .par_iter()
        .map(|path| {
            let mut d = Vec::new();
            let doc = read_document(root, path, &config, &mut d);
            (doc, d)
        })
        .collect();

    let mut docs = Vec::with_capacity(parsed.len());
    let mut unreadable = HashSet::new();
    for ((doc, d), path) in parsed.into_iter().zip(&inv.markdown) {
        diagnostics.extend(d);
        match doc {
            Some(doc) => docs.push(doc),
            None => {
                unreadable.insert(path.clone());
            }
        }
    }

    // A draft section hides everything below it.
    let hidden_dirs: Vec<String> = docs
        .iter()
        .filter(|d| !drafts && d.meta.draft && file_name(&d.tree_path) == "_index.md")
        .filter(|d| d.tree_path != "_index.md")
        .map(|d| parent_dir(&d.tree_path).to_string())
        .collect();
    let is_hidden = |path: &str| {
        hidden_dirs.iter().any(|dir| {
            path.strip_prefix(dir.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
        })
    };
    for d in docs.iter().filter(|d| d.meta.awaiting_review) {
        let line = d
            .source
            .lines()
            .position(|l| l.starts_with("status_terjemahan"))
            .map_or(1, |i| i + 1);
        let outcome = if drafts {
            "shown in this preview only"
        } else {
            "left out of the site"
        };
        diagnostics.push(
            Diagnostic::warning(
                &d.file,
                format!("this translation awaits a native speaker's review: {outcome}"),
            )
            .at(&d.source, line, 1)
            .underline("status_terjemahan".len())
            .help(
                "once a native speaker has checked it, write `status_terjemahan: ditinjau_penutur`",
            ),
        );
    }
    docs.retain(|d| {
        (drafts || !(d.meta.draft || d.meta.awaiting_review)) && !is_hidden(&d.tree_path)
    });

    let duplicates = check_duplicate_urls(&docs, diagnostics);
    let mut position = 0;
    docs.retain(|_| {
        position += 1;
        !duplicates.contains(&(position - 1))
    });

    let section_dirs: HashSet<String> = docs
        .iter()
        .filter(|d| file_name(&d.tree_path) == "_index.md")
        .map(|d| parent_dir(&d.tree_path).to_string())
        .collect();
    for d in &docs {
        if file_name(&d.tree_path) == "index.md" && section_dirs.contains(parent_dir(&d.tree_path))
        {
            diagnostics.push(
                Diagnostic::error(&d.file, "a folder cannot hold both `_index.md` (a section) and `index.md` (a page bundle)")
                    .help("rename `index.md` to `_index.md` if the folder is a section, or remove `_index.md` if it is one page with its images"),
            );
        }
    }

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

    // Sections first, home page at 0.
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

/// Groups the pages and sections that translate each other, in the order of the site's
/// languages (the default first).
fn translations(site: &Site) -> HashMap<String, Vec<Target>> {
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
fn check_duplicate_urls(docs: &[Document], diagnostics: &mut Vec<Diagnostic>) -> HashSet<usize> {
    let mut seen: HashMap<&str, &Document> = HashMap::new();
    let mut duplicates = HashSet::new();
    for (i, doc) in docs.iter().enumerate() {
        if let Some(first) = seen.get(doc.out_path.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    &doc.file,
                    format!(
                        "this page has the same address `{}` as `{}`",
                        doc.url,
                        first.file.display()
                    ),
                )
                .help("rename one of the two files (addresses come from file and folder names)"),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_come_from_file_and_folder_names() {
        assert_eq!(url_path("_index.md"), "");
        assert_eq!(url_path("layanan/_index.md"), "layanan/");
        assert_eq!(url_path("layanan/paw.md"), "layanan/paw/");
        assert_eq!(
            url_path("berita/Rapat Pleno/index.md"),
            "berita/rapat-pleno/"
        );
        assert_eq!(
            file_out_path("berita/Rapat Pleno/foto 1.jpg"),
            "berita/rapat-pleno/foto 1.jpg"
        );
        assert_eq!(file_out_path("logo.svg"), "logo.svg");
    }
}
