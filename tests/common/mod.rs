//! Helpers shared by the end-to-end tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub mod portal;

/// The seven services, by the file names of their pages in `content/layanan/`.
pub const SERVICES: [&str; 7] = [
    "autentifikasi",
    "paw",
    "informasi-publik",
    "pengaduan",
    "magang",
    "data-pemilih",
    "pendidikan-pemilih",
];

/// A fixture site under `tests/sites/`.
pub fn site(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/sites")
        .join(name)
}

/// Runs the `generator` binary, speaking English (the messages pinned by the tests; each
/// Indonesian one is pinned with `--lang id`).
pub fn generator(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_generator"))
        .env("LC_ALL", "en")
        .args(args)
        .output()
        .expect("the generator binary runs")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Copies a fixture site into a temporary folder, for tests that change it.
pub fn copy_site(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&site(name), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

pub fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The portal's sources copied into a temporary folder, for a test to change.
pub fn portal_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for sub in ["content", "templates"] {
        let status = std::process::Command::new("cp")
            .arg("-r")
            .arg(repo.join(sub))
            .arg(dir.path())
            .status()
            .expect("cp runs");
        assert!(status.success());
    }
    dir
}

/// Builds a copy into its `public/` (without the search index, which these tests skip).
pub fn build_copy(dir: &tempfile::TempDir) -> (std::process::Output, std::path::PathBuf) {
    build_copy_with(dir, &["--no-search"])
}

/// Builds a copy into its `public/`, with `options` (`--strict`, `--no-search`...).
pub fn build_copy_with(
    dir: &tempfile::TempDir,
    options: &[&str],
) -> (std::process::Output, std::path::PathBuf) {
    let out = dir.path().join("public");
    let mut args = vec!["build"];
    args.extend_from_slice(options);
    args.extend([
        "--root",
        dir.path().to_str().expect("utf-8"),
        "--output",
        out.to_str().expect("utf-8"),
    ]);
    (generator(&args), out)
}
