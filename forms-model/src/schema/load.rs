//! Reading definitions: from a site's folder (the generator, `SITE_DIR`) or from texts built
//! into a binary.

use std::collections::BTreeMap;
use std::path::Path;

use super::{FORMS_DIR, Form, LISTS_DIR, Lists, SchemaError, parse, parse_in};
use crate::lang::Lang;

/// Parses definitions given as (id, YAML text); problems in English.
pub fn parse_all(
    files: &[(&str, &str)],
    lists: &[(&str, &str)],
) -> Result<BTreeMap<String, Form>, Vec<SchemaError>> {
    let lists: Lists = lists
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .collect();
    let mut forms = BTreeMap::new();
    let mut errors = Vec::new();
    for (id, text) in files {
        match parse(id, &format!("{FORMS_DIR}/{id}.yaml"), text, &lists) {
            Ok(form) => {
                forms.insert(id.to_string(), form);
            }
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok(forms)
    } else {
        Err(errors)
    }
}

/// The `.yaml` files of `dir` by name (without `.yaml`), in name order; none when the
/// folder does not exist.
fn yaml_files(dir: &Path) -> Vec<(String, std::path::PathBuf)> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.sort();
    paths
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| {
            let stem = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            (stem, p)
        })
        .collect()
}

/// Loads every definition in `<root>/content/forms/`, with the lists of options in
/// `<root>/content/forms/pilihan/`; problems in English.
pub fn load_dir(root: &Path) -> Result<BTreeMap<String, Form>, Vec<SchemaError>> {
    load_dir_in(root, Lang::En)
}

/// [`load_dir`], the problems in `lang` (the editor's, for the generator's report).
pub fn load_dir_in(root: &Path, lang: Lang) -> Result<BTreeMap<String, Form>, Vec<SchemaError>> {
    let mut forms = BTreeMap::new();
    let mut errors = Vec::new();
    let cannot_read = |file: String, e: std::io::Error| SchemaError {
        file,
        line: None,
        column: None,
        message: lang.pick(
            format!("berkas tidak dapat dibaca: {e}"),
            format!("cannot read: {e}"),
        ),
    };
    let mut lists = Lists::new();
    for (name, path) in yaml_files(&root.join(LISTS_DIR)) {
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                lists.insert(name, text);
            }
            Err(e) => errors.push(cannot_read(format!("{LISTS_DIR}/{name}.yaml"), e)),
        }
    }
    for (id, path) in yaml_files(&root.join(FORMS_DIR)) {
        let file = format!("{FORMS_DIR}/{id}.yaml");
        match std::fs::read_to_string(&path) {
            Ok(text) => match parse_in(&id, &file, &text, &lists, lang) {
                Ok(form) => {
                    forms.insert(id, form);
                }
                Err(e) => errors.extend(e),
            },
            Err(e) => errors.push(cannot_read(file, e)),
        }
    }
    if errors.is_empty() {
        Ok(forms)
    } else {
        Err(errors)
    }
}
