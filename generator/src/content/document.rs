//! One source file: where it is published (its URL from its path), its language, and its
//! front matter and body read into a [`Document`].

use std::path::{Path, PathBuf};

use super::CONTENT_DIR;
use crate::config::{self, SiteConfig};
use crate::diagnostic::Diagnostic;
use crate::front_matter;
use crate::site::Document;
use crate::slug::slugify;
use crate::t;

pub(super) fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// The folder of a content path: `layanan/paw.md` → `layanan`, `paw.md` → ``.
pub(super) fn parent_dir(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

pub(super) fn file_name(path: &str) -> &str {
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

pub(super) fn slug_part(part: &str) -> String {
    let slug = slugify(part);
    if slug.is_empty() {
        part.to_lowercase()
    } else {
        slug
    }
}

/// Output path of a non-Markdown file: folders slugged like page URLs, name kept.
pub(super) fn file_out_path(content_path: &str) -> String {
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
                Diagnostic::error(&file, t!("content.unreadable_file", reason = err))
                    .help(t!("content.unreadable_file.help")),
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
