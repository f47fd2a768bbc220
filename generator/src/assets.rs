//! The theme's static files (`templates/static/`): copied to the site root, with a content
//! hash in the names of CSS and JS files so a CDN can cache them forever.

use std::collections::BTreeMap;
use std::path::Path;

use forms_model::hash::fnv1a;
use walkdir::WalkDir;

use crate::diagnostic::Diagnostic;
use crate::output::{Contents, OutputFile};
use crate::t;
use crate::templates::{STATIC_DIR, TEMPLATE_DIR};

#[derive(Debug, Default, Clone)]
pub struct StaticFiles {
    pub files: Vec<OutputFile>,
    /// `css/main.css` → `/css/main.0123456789abcdef.css`, for templates.
    pub urls: BTreeMap<String, String>,
}

/// Extensions whose files are fingerprinted.
const FINGERPRINTED: [&str; 2] = ["css", "js"];

pub fn collect(root: &Path, base_path: &str, diagnostics: &mut Vec<Diagnostic>) -> StaticFiles {
    let dir = root.join(TEMPLATE_DIR).join(STATIC_DIR);
    let mut out = StaticFiles::default();
    if !dir.is_dir() {
        return out;
    }
    for entry in WalkDir::new(&dir).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                diagnostics.push(Diagnostic::error(
                    Path::new(TEMPLATE_DIR).join(STATIC_DIR),
                    t!("assets.static_unreadable", error = err),
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(&dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        let extension = rel.rsplit_once('.').map(|(_, e)| e).unwrap_or_default();
        let published = if FINGERPRINTED.contains(&extension) {
            match std::fs::read(entry.path()) {
                Ok(bytes) => {
                    let stem = &rel[..rel.len() - extension.len() - 1];
                    let path = format!("{stem}.{:016x}.{extension}", fnv1a(&bytes));
                    out.files.push(OutputFile {
                        path: path.clone(),
                        contents: Contents::Bytes(bytes),
                    });
                    path
                }
                Err(err) => {
                    diagnostics.push(Diagnostic::error(
                        Path::new(TEMPLATE_DIR).join(STATIC_DIR).join(&rel),
                        t!("assets.file_unreadable", error = err),
                    ));
                    continue;
                }
            }
        } else {
            out.files.push(OutputFile {
                path: rel.clone(),
                contents: Contents::Copy(entry.path().to_path_buf()),
            });
            rel.clone()
        };
        out.urls.insert(rel, format!("{base_path}{published}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_css_and_js_but_not_images() {
        let dir = tempfile::tempdir().expect("temp dir");
        let s = dir.path().join("templates/static/css");
        std::fs::create_dir_all(&s).expect("mkdir");
        std::fs::write(s.join("main.css"), "body{}").expect("write");
        std::fs::write(dir.path().join("templates/static/logo.svg"), "<svg/>").expect("write");
        let mut d = Vec::new();
        let files = collect(dir.path(), "/", &mut d);
        let css = &files.urls["css/main.css"];
        assert_eq!(css, &format!("/css/main.{:016x}.css", fnv1a(b"body{}")));
        assert_eq!(files.urls["logo.svg"], "/logo.svg");
        assert_ne!(fnv1a(b"body{}"), fnv1a(b"body{ }"));
    }
}
