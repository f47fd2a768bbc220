//! The portal itself (the repository's `content/` and `templates/`), built once per test
//! binary, its HTML pages read into memory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub struct Built {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
    /// Output path → text, for every HTML file.
    pub pages: BTreeMap<String, String>,
}

pub fn site() -> &'static Built {
    static SITE: OnceLock<Built> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("public");
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let output = super::generator(&[
            "build",
            "--root",
            repo.to_str().expect("utf-8"),
            "--output",
            root.to_str().expect("utf-8"),
        ]);
        assert!(output.status.success(), "{}", super::stderr(&output));
        let errors = super::stderr(&output)
            .lines()
            .filter(|l| l.starts_with("error"))
            .count();
        assert_eq!(errors, 0);
        // The only warnings are the facts the office still has to confirm (the
        // translations still to be reviewed by a native speaker are notes).
        let stderr = super::stderr(&output);
        let others: Vec<&str> = stderr
            .lines()
            .filter(|l| {
                l.starts_with("warning:")
                    && !l.starts_with("warning: value to confirm before publishing:")
            })
            .collect();
        assert!(
            others.is_empty(),
            "warnings other than placeholders: {others:?}"
        );
        let mut pages = BTreeMap::new();
        collect(&root, &root, &mut pages);
        Built {
            _dir: dir,
            root,
            pages,
        }
    })
}

fn collect(root: &Path, dir: &Path, pages: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            // The content editor is the office's, not a page citizens read (tests/editor.rs).
            if path
                .strip_prefix(root)
                .is_ok_and(|p| p == Path::new("admin"))
            {
                continue;
            }
            collect(root, &path, pages);
        } else if path.extension().is_some_and(|e| e == "html") {
            let rel = path
                .strip_prefix(root)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            pages.insert(rel, std::fs::read_to_string(&path).expect("read"));
        }
    }
}

/// Pages people read (not the redirect pages of aliases; the search page redirects only
/// without JavaScript).
pub fn content_pages() -> impl Iterator<Item = (&'static String, &'static String)> {
    site()
        .pages
        .iter()
        .filter(|(_, html)| !html.contains("http-equiv=\"refresh\"") || html.contains("<noscript>"))
}
