//! Embeds the site's form definitions, the lists of options they read and the settings
//! (`../content/forms/*.yaml`, `../content/forms/pilihan/*.yaml`, `../content/site.yaml`),
//! and the theme's function pages and words (`../templates/function/*.html`,
//! `../templates/i18n/{id,en}.yaml`) in the library, so the Lambda binary carries exactly
//! what the site was built from, with no files to ship beside it.

use std::fmt::Write as _;
use std::path::Path;

/// A constant `name` holding (file name without its extension, text) for each file of `dir`
/// ending in `.{extension}`.
fn embed(code: &mut String, dir: &Path, extension: &str, name: &str, doc: &str) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let _ = writeln!(
        code,
        "/// {doc}: (name, YAML text).\npub const {name}: &[(&str, &str)] = &["
    );
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == extension))
    {
        println!("cargo:rerun-if-changed={}", path.display());
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let _ = writeln!(
            code,
            "    ({stem:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    code.push_str("];\n");
}

/// A constant `name` holding the text of `path`, or `None` when the repository has no such
/// file.
fn embed_file(code: &mut String, path: &Path, name: &str, doc: &str) {
    println!("cargo:rerun-if-changed={}", path.display());
    let value = if path.exists() {
        format!("Some(include_str!({:?}))", path.display().to_string())
    } else {
        "None".into()
    };
    let _ = writeln!(
        code,
        "/// {doc}, when the repository has it.\npub const {name}: Option<&str> = {value};"
    );
}

fn main() {
    // Read when the script runs, not when it is compiled: cargo may reuse a compiled build
    // script for another checkout of the same crate (such as a fresh clone sharing the
    // target folder), which would then embed that checkout's site.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let content = Path::new(&manifest).join("../content");
    let forms = content.join("forms");
    let mut code = String::new();
    embed(
        &mut code,
        &forms,
        "yaml",
        "FORMS",
        "The form definitions the site in this repository publishes",
    );
    embed(
        &mut code,
        &forms.join("pilihan"),
        "yaml",
        "LISTS",
        "The lists of options the forms read (`options_from`)",
    );
    let templates = content.join("../templates");
    embed(
        &mut code,
        &templates.join("function"),
        "html",
        "PAGES",
        "The templates of the function's pages (`templates/function/`)",
    );
    embed(
        &mut code,
        &templates.join("i18n"),
        "yaml",
        "WORDS",
        "The theme's words by language (`templates/i18n/`)",
    );
    embed_file(
        &mut code,
        &content.join("hari-libur.yaml"),
        "HOLIDAYS",
        "The holidays deadlines skip (`content/hari-libur.yaml`)",
    );
    embed_file(
        &mut code,
        &content.join("site.yaml"),
        "SITE",
        "The site's settings (`content/site.yaml`)",
    );
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded.rs");
    std::fs::write(out, code).expect("write embedded.rs");
}
