//! Embeds what the generator carries inside it, so a downloaded binary needs no other file:
//! the content editor's program (Decap CMS, `../vendor/decap-cms/dist/`, written by
//! `vendor/decap-cms/update`) for `/admin/`, and the message catalogue (`messages/*.yaml`).

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    embed(
        "../vendor/decap-cms/dist",
        "decap.rs",
        "/// The files of Decap CMS, patched (vendor/decap-cms/): (name, bytes).\npub const FILES: &[(&str, &[u8])] = &[\n",
        "include_bytes",
    );
    embed(
        "messages",
        "messages.rs",
        "/// The message catalogue's files (generator/messages/): (name, text).\nconst CATALOGUE_FILES: &[(&str, &str)] = &[\n",
        "include_str",
    );
}

/// Writes `OUT_DIR/{out}`: `head`, then a `(name, include_xxx!(path))` line for every file of
/// `dir` (relative to this crate), sorted by name.
fn embed(dir: &str, out: &str, head: &str, include: &str) {
    // Read when the script runs, not when it is compiled: a build script compiled for one
    // checkout may run for another that shares the target folder.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = PathBuf::from(manifest).join(dir);
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    let mut code = String::from(head);
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path
            .file_name()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let _ = writeln!(
            code,
            "    ({name:?}, {include}!({:?})),",
            path.display().to_string()
        );
    }
    code.push_str("];\n");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out_dir.join(out), code).expect("OUT_DIR is writable");
}
