//! Embeds the content editor's program (Decap CMS, `../vendor/decap-cms/dist/`, written by
//! `vendor/decap-cms/update`) so the generator alone can publish `/admin/`: a downloaded
//! binary needs no other file.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    // Read when the script runs, not when it is compiled: a build script compiled for one
    // checkout may run for another that shares the target folder.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = PathBuf::from(manifest).join("../vendor/decap-cms/dist");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    let mut code = String::from(
        "/// The files of Decap CMS, patched (vendor/decap-cms/): (name, bytes).\npub const FILES: &[(&str, &[u8])] = &[\n",
    );
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path
            .file_name()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let _ = writeln!(
            code,
            "    ({name:?}, include_bytes!({:?})),",
            path.display().to_string()
        );
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("decap.rs"), code).expect("OUT_DIR is writable");
}
