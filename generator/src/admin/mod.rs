//! The content editor at `/admin/`: Decap CMS (vendor/decap-cms/, embedded in the binary by
//! build.rs), its configuration made from the content model (`config.rs`), and the site's
//! own additions (`cms.js`: the field for a value or a placeholder, previews with the site's
//! stylesheet). Published only when `site.yaml` has `cms:`; never linked from a page, and
//! left out of the search index, the sitemap and `robots.txt`'s allowed paths.

pub mod config;
pub mod merge;

use crate::assets::StaticFiles;
use crate::output::{Contents, OutputFile};
use crate::site::Site;

mod decap {
    include!(concat!(env!("OUT_DIR"), "/decap.rs"));
}

/// The editor's folder in the output.
pub const DIR: &str = "admin/";

/// The site's own script for the editor, served beside Decap.
const CMS_JS: &str = include_str!("cms.js");

/// The editor's own words in Indonesian (Decap has none): its English phrases, translated.
/// A phrase missing here shows in English.
const PHRASES_ID: &str = include_str!("id.json");

/// The policy of `/admin/` only: Decap compiles its configuration's schema (`unsafe-eval`),
/// styles itself inline, and talks to GitHub. Citizens' pages keep the strict policy of
/// `hosting.rs`.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https://avatars.githubusercontent.com https://raw.githubusercontent.com; connect-src 'self' blob: data: https://api.github.com; frame-src 'self' blob:; frame-ancestors 'none'; base-uri 'self'; object-src 'none'; form-action 'self'";

/// The files of `/admin/`, when the site has an editor.
pub fn files(site: &Site, static_files: &StaticFiles) -> Vec<OutputFile> {
    let Some(cms) = &site.config.cms else {
        return Vec::new();
    };
    let base = site.config.base_path();
    let config = config::config(site, cms);
    let mut files = vec![
        OutputFile::html(format!("{DIR}index.html"), index_html(site, base)),
        OutputFile::html(format!("{DIR}config.yml"), config_yaml(&config)),
        OutputFile::html(
            format!("{DIR}setup.js"),
            setup_js(site, static_files, &config),
        ),
        OutputFile::html(format!("{DIR}cms.js"), CMS_JS.to_string()),
    ];
    files.extend(decap::FILES.iter().map(|(name, bytes)| OutputFile {
        path: format!("{DIR}decap/{name}"),
        contents: Contents::Bytes(bytes.to_vec()),
    }));
    files
}

fn config_yaml(config: &serde_json::Value) -> String {
    let yaml = serde_yaml::to_string(config).unwrap_or_default();
    format!(
        "# Made by the generator from the content model (generator/src/admin/config.rs) at each\n# build: do not edit. Settings: `cms:` in content/site.yaml.\n{yaml}"
    )
}

fn index_html(site: &Site, base: &str) -> String {
    let title = escape(&site.config.title);
    format!(
        r#"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>Penyunting konten · {title}</title>
<link href="{base}admin/config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
<noscript>Penyunting konten memerlukan JavaScript. Halaman situs untuk warga tidak memerlukannya.</noscript>
<script src="{base}admin/setup.js"></script>
<script src="{base}admin/decap/decap-cms.js"></script>
<script src="{base}admin/cms.js"></script>
</body>
</html>
"#,
        lang = escape(&site.config.language),
    )
}

/// The settings `cms.js` and the patched Decap read: the site's language (left out of file
/// names, as the generator reads them) and the stylesheet previews use.
fn setup_js(site: &Site, static_files: &StaticFiles, config: &serde_json::Value) -> String {
    let collections: Vec<&serde_json::Value> = config["collections"]
        .as_array()
        .map(|c| c.iter().map(|c| &c["name"]).collect())
        .unwrap_or_default();
    let phrases: serde_json::Value = if site.config.language == "id" {
        serde_json::from_str(PHRASES_ID).unwrap_or_default()
    } else {
        serde_json::Value::Null
    };
    let settings = serde_json::json!({
        "stylesheet": static_files.urls.get("css/main.css"),
        "collections": collections,
        "language": site.config.language,
        "phrases": phrases,
    });
    format!(
        "// Made by the generator at each build.\nwindow.CMS_MANUAL_INIT = true;\nglobalThis.DECAP_OMIT_LOCALE = {};\nglobalThis.KPU_CMS = {settings};\n",
        serde_json::Value::from(site.config.language.as_str())
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
