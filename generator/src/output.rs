//! Writes the rendered site to a folder, and removes what an earlier build left there.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::error::{Error, Result};
use crate::fs;
use crate::t;

/// What goes into one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    Bytes(Vec<u8>),
    /// Copied from this source file as it is.
    Copy(PathBuf),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path inside the output folder, with `/`: `layanan/paw/index.html`.
    pub path: String,
    pub contents: Contents,
}

impl OutputFile {
    pub fn html(path: String, text: String) -> Self {
        OutputFile {
            path,
            contents: Contents::Bytes(text.into_bytes()),
        }
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteStats {
    pub written: usize,
    pub removed: usize,
}

/// Writes `files` into `out_dir` and deletes every other file there (stale output).
/// Refuses to clean a folder that looks like a site's sources.
pub fn write(out_dir: &Path, files: &[OutputFile]) -> Result<WriteStats> {
    if out_dir.join("content").join("site.yaml").exists() || out_dir.join("Cargo.toml").exists() {
        return Err(Error::Message(t!(
            "build.output_is_sources",
            path = out_dir.display()
        )));
    }
    fs::create_dir_all(out_dir)?;
    let mut dirs: Vec<&str> = files
        .iter()
        .filter_map(|f| f.path.rfind('/').map(|i| &f.path[..i]))
        .collect();
    dirs.sort_unstable();
    dirs.dedup();
    for dir in dirs {
        fs::create_dir_all(&out_dir.join(dir))?;
    }
    files
        .par_iter()
        .try_for_each(|file| write_one(out_dir, file))?;

    let keep: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let removed = remove_stale(out_dir, &keep)?;
    Ok(WriteStats {
        written: files.len(),
        removed,
    })
}

pub fn write_one(out_dir: &Path, file: &OutputFile) -> Result<()> {
    let target = out_dir.join(&file.path);
    match &file.contents {
        Contents::Bytes(bytes) => fs::write(&target, bytes),
        Contents::Copy(source) => fs::copy(source, &target),
    }
}

fn remove_stale(out_dir: &Path, keep: &HashSet<&str>) -> Result<usize> {
    let mut removed = 0;
    for entry in WalkDir::new(out_dir).min_depth(1).contents_first(true) {
        let entry = entry.map_err(|err| Error::Io {
            action: "list",
            path: out_dir.to_path_buf(),
            source: err.into(),
        })?;
        let rel = entry
            .path()
            .strip_prefix(out_dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        if entry.file_type().is_dir() {
            // Only empty folders go; `remove_dir` fails harmlessly on the others.
            if std::fs::remove_dir(entry.path()).is_ok() {
                removed += 1;
            }
        } else if !keep.contains(rel.as_str()) {
            fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_files_and_removes_stale_ones() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("public");
        std::fs::create_dir_all(out.join("lama/halaman")).expect("mkdir");
        std::fs::write(out.join("lama/halaman/index.html"), "old").expect("write");
        let files = vec![OutputFile::html("baru/index.html".into(), "new".into())];
        let stats = write(&out, &files).expect("writes");
        assert_eq!(
            std::fs::read_to_string(out.join("baru/index.html")).expect("read"),
            "new"
        );
        assert!(!out.join("lama").exists());
        assert_eq!(stats.written, 1);
        assert_eq!(stats.removed, 3);
    }

    #[test]
    fn refuses_to_clean_the_site_sources() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("content")).expect("mkdir");
        std::fs::write(dir.path().join("content/site.yaml"), "title: x").expect("write");
        let err = write(dir.path(), &[]).expect_err("refuses");
        assert!(err.to_string().contains("refusing"));
    }
}
