//! The content editor's configuration (`/admin/config.yml`), made from the content model:
//! one collection per section of `content/`, the front-matter keys of `keys.rs` with their
//! kinds, and the service standard's components with the rules the build enforces. Nothing
//! in it is written by hand, so the editor cannot drift from what the build accepts.

use serde_json::{Value, json};

use crate::config::CmsSettings;
use crate::front_matter::{KEYS, Kind};
use crate::service_standard::{self, Confirmable};
use crate::site::Site;

/// Where `generator serve` answers the editor's local backend (below the base path).
pub const LOCAL_API: &str = "admin/api/v1";

/// The theme's word (templates/i18n) naming each component of the standard, for its label.
const COMPONENT_WORDS: [(&str, &str); 16] = [
    ("persyaratan", "requirements"),
    ("prosedur", "systems_and_procedures"),
    ("jangka_waktu", "service_time_frame"),
    ("biaya", "fees_and_charges"),
    ("produk", "service_products"),
    ("pengaduan", "complaint_handling"),
    ("dasar_hukum", "legal_basis"),
    ("sarana_prasarana", "facilities"),
    ("kompetensi_pelaksana", "staff_competence"),
    ("pengawasan_internal", "internal_supervision"),
    ("jumlah_pelaksana", "number_of_staff"),
    ("jaminan_pelayanan", "service_guarantee"),
    ("jaminan_keamanan", "security_guarantee"),
    ("evaluasi_kinerja", "performance_evaluation"),
    ("ditinjau", "standard_reviewed"),
    ("jam_layanan", "service_hours"),
];

/// Components written as a list of items; the others hold one value.
const LIST_COMPONENTS: [&str; 8] = [
    "persyaratan",
    "prosedur",
    "produk",
    "pengaduan",
    "dasar_hukum",
    "sarana_prasarana",
    "kompetensi_pelaksana",
    "pengawasan_internal",
];

/// What an editor reads beside a front-matter key (Indonesian, the editors' language).
fn key_text(name: &str) -> (&'static str, &'static str) {
    match name {
        "title" => ("Judul", ""),
        "description" => (
            "Deskripsi",
            "Satu atau dua kalimat untuk hasil pencarian dan daftar halaman; paling banyak 160 karakter.",
        ),
        "date" => ("Tanggal", "Tanggal terbit, untuk berita."),
        "updated" => ("Tanggal diperbarui", ""),
        "draft" => ("Draf", "Draf tidak ikut terbit."),
        "weight" => ("Urutan", "Angka kecil tampil lebih dahulu."),
        "tags" => ("Topik", ""),
        "aliases" => (
            "Alamat lama",
            "Alamat lama halaman ini, dialihkan ke alamat barunya.",
        ),
        "template" => ("Templat", "Biarkan kosong kecuali diminta pengelola situs."),
        "summary" => ("Ringkasan", ""),
        "standar_pelayanan" => (
            "Standar pelayanan",
            "Empat belas komponen menurut UU 25/2009 Pasal 21. Fakta yang belum pasti: centang \"perlu konfirmasi\" dan tulis apa yang harus dipastikan.",
        ),
        "status_terjemahan" => (
            "Status terjemahan",
            "Hanya untuk terjemahan: draf tidak ikut terbit sampai diperiksa penutur asli.",
        ),
        "sort_by" => ("Urutkan menurut", "Hanya untuk halaman bagian (_index)."),
        "paginate_by" => ("Halaman per daftar", "Hanya untuk halaman bagian (_index)."),
        "feed" => ("Umpan Atom", "Hanya untuk halaman bagian (_index)."),
        "page_template" => ("Templat halaman", "Hanya untuk halaman bagian (_index)."),
        _ => ("", ""),
    }
}

/// Keys the editor leaves as they are in the file: `extra` is a free map of the theme's own
/// settings (the forms a service page links), which no form can describe.
const NOT_EDITED: [&str; 1] = ["extra"];

/// The field of one front-matter key, or `None` for a key the editor leaves alone.
fn key_field(site: &Site, name: &str, kind: Kind, with_standard: bool) -> Option<Value> {
    if NOT_EDITED.contains(&name) || (name == "standar_pelayanan" && !with_standard) {
        return None;
    }
    let (label, hint) = key_text(name);
    let mut field = match (name, kind) {
        ("title", _) => json!({"widget": "string"}),
        ("description", _) => json!({
            "widget": "text",
            "pattern": ["^[\\s\\S]{0,160}$", "Paling banyak 160 karakter."],
        }),
        ("summary", _) => json!({"widget": "text"}),
        ("standar_pelayanan", _) => standard_field(site),
        ("status_terjemahan", _) => {
            json!({"widget": "select", "options": ["draf", "ditinjau_penutur"]})
        }
        ("sort_by", _) => json!({"widget": "select", "options": ["weight", "date", "title"]}),
        (_, Kind::Date) => json!({
            "widget": "datetime",
            "format": "YYYY-MM-DD",
            "date_format": "DD-MM-YYYY",
            "time_format": false,
        }),
        (_, Kind::Flag) => json!({"widget": "boolean"}),
        (_, Kind::Number) => json!({"widget": "number", "value_type": "int", "min": 0}),
        (_, Kind::List) => json!({"widget": "list", "allow_add": true}),
        _ => json!({"widget": "string"}),
    };
    let object = field.as_object_mut()?;
    object.insert("name".into(), json!(name));
    object.insert("label".into(), json!(label));
    object.insert("required".into(), json!(name == "title"));
    object.insert("i18n".into(), json!(true));
    if !hint.is_empty() {
        object.insert("hint".into(), json!(hint));
    }
    Some(field)
}

/// `standar_pelayanan`: each component a field of the `konfirmasi` kind (a value, or a
/// placeholder `{konfirmasi: ...}`), lists of them for the list components; the six that
/// citizens read are required, as the build requires them.
fn standard_field(site: &Site) -> Value {
    let required = required_components();
    let mut fields = Vec::new();
    for key in service_standard::accepted_keys() {
        let label = COMPONENT_WORDS
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, word)| site.i18n.text(&site.config.language, word).ok())
            .unwrap_or(key);
        let is_required = required.contains(&key);
        let field = if LIST_COMPONENTS.contains(&key) {
            json!({
                "name": key,
                "label": label,
                "widget": "daftar_konfirmasi",
                "required": is_required,
                "bentuk": shape(key),
            })
        } else {
            let mut field = json!({"widget": "konfirmasi", "bentuk": shape(key)});
            if let Some(o) = field.as_object_mut() {
                o.insert("name".into(), json!(key));
                o.insert("label".into(), json!(label));
                o.insert("required".into(), json!(is_required));
            }
            field
        };
        fields.push(field);
    }
    json!({"widget": "object", "collapsed": false, "fields": fields})
}

/// The components the build requires, read from the checks themselves: a standard with
/// nothing in it misses exactly those.
pub fn required_components() -> Vec<&'static str> {
    service_standard::ServiceStandard::default().missing_required()
}

/// What a component's value looks like, for the editor's field (`cms.js`).
fn shape(key: &str) -> &'static str {
    match key {
        "jangka_waktu" => "jangka_waktu",
        "jumlah_pelaksana" => "angka",
        "ditinjau" => "tanggal",
        "prosedur" => "langkah",
        "persyaratan" => "persyaratan",
        "biaya" => "biaya",
        _ => "teks",
    }
}

/// The fields of a section's pages, in the order of `keys.rs`, then the text.
fn fields(site: &Site, with_standard: bool) -> Vec<Value> {
    let mut fields: Vec<Value> = KEYS
        .iter()
        .filter_map(|k| key_field(site, k.name, k.kind, with_standard))
        .collect();
    fields.push(json!({"name": "body", "label": "Isi", "widget": "markdown", "i18n": true, "required": false}));
    fields
}

/// The site's top-level sections (folders of `content/` with an `_index.md`).
fn collections(site: &Site) -> Vec<Value> {
    let default = site.config.language.as_str();
    let mut out = Vec::new();
    // The home page's own file, then each section folder.
    for section in &site.sections {
        let doc = &section.doc;
        if doc.lang != default {
            continue;
        }
        let folder = doc
            .content_path
            .strip_suffix("_index.md")
            .unwrap_or_default()
            .trim_end_matches('/');
        if folder.is_empty() || folder.contains('/') {
            continue;
        }
        let with_standard = section
            .pages
            .iter()
            .any(|&p| site.pages[p].doc.meta.standar_pelayanan.is_some());
        // The languages the section is written in: an editor translates beside what exists,
        // and a page is not offered in a language none of its neighbours has.
        let prefix = format!("{folder}/");
        let mut locales = vec![default.to_string()];
        for language in &site.config.languages {
            let written = site
                .pages
                .iter()
                .map(|p| &p.doc)
                .chain(site.sections.iter().map(|s| &s.doc))
                .any(|d| d.lang == language.code && d.content_path.starts_with(&prefix));
            if written {
                locales.push(language.code.clone());
            }
        }
        out.push(json!({
            "name": folder,
            "label": doc.meta.title,
            "folder": format!("content/{folder}"),
            "create": true,
            "delete": false,
            "extension": "md",
            "format": "frontmatter",
            "i18n": {"locales": locales},
            "slug": "{{slug}}",
            "summary": "{{title}}",
            "media_folder": "",
            "public_folder": "",
            "preview_path": format!("{folder}/{{{{slug}}}}/"),
            "fields": fields(site, with_standard),
        }));
    }
    out
}

/// The local backend `generator serve` answers, for a site served on this computer (Decap
/// uses it only when the editor's own address is local, and wants an absolute address).
fn local_backend(site: &Site) -> Value {
    let host = site
        .config
        .base_url
        .split_once("://")
        .map_or("", |(_, r)| r);
    let local = ["127.0.0.1:", "localhost:", "127.0.0.1/", "localhost/"]
        .iter()
        .any(|h| host.starts_with(h));
    if local {
        json!({"url": format!("{}{LOCAL_API}", site.config.base_url)})
    } else {
        json!(false)
    }
}

/// The whole configuration, as Decap CMS reads it.
pub fn config(site: &Site, cms: &CmsSettings) -> Value {
    let text = |c: &Confirmable<String>| match c {
        Confirmable::Known(v) => v.clone(),
        Confirmable::Pending { .. } => String::new(),
    };
    let base = site.config.base_path();
    let mut locales = vec![site.config.language.clone()];
    locales.extend(site.config.languages.iter().map(|l| l.code.clone()));
    json!({
        "backend": {
            "name": "github",
            "repo": text(&cms.repo),
            "branch": cms.branch,
            "base_url": text(&cms.auth),
            "squash_merges": true,
            "commit_messages": {
                "create": "Tambah {{collection}} \"{{slug}}\"",
                "update": "Ubah {{collection}} \"{{slug}}\"",
                "delete": "Hapus {{collection}} \"{{slug}}\"",
                "uploadMedia": "Unggah \"{{path}}\"",
                "deleteMedia": "Hapus \"{{path}}\"",
            },
        },
        "publish_mode": "editorial_workflow",
        // The editor's words: Indonesian where the site is (phrases in admin/id.json).
        "locale": if site.config.language == "id" { "id" } else { "en" },
        "local_backend": local_backend(site),
        "site_url": site.config.base_url,
        "display_url": site.config.base_url,
        "media_folder": "content/berkas",
        "public_folder": format!("{base}berkas"),
        "slug": {"encoding": "ascii", "clean_accents": true, "sanitize_replacement": "-"},
        "i18n": {
            "structure": "multiple_files",
            "locales": locales,
            "default_locale": site.config.language,
        },
        "collections": collections(site),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_required_components_are_the_six_citizens_read() {
        assert_eq!(
            required_components(),
            [
                "persyaratan",
                "prosedur",
                "jangka_waktu",
                "biaya",
                "produk",
                "pengaduan"
            ]
        );
    }

    #[test]
    fn every_component_has_a_word_and_every_key_a_label() {
        for key in service_standard::accepted_keys() {
            assert!(
                COMPONENT_WORDS.iter().any(|(k, _)| *k == key),
                "no label for `{key}`"
            );
        }
        for key in KEYS.iter().filter(|k| !NOT_EDITED.contains(&k.name)) {
            assert!(
                !key_text(key.name).0.is_empty(),
                "no label for `{}`",
                key.name
            );
        }
    }
}
