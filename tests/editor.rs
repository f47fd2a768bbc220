//! The content editor at `/admin/` as the portal's build publishes it: its configuration
//! follows the content model and the build's own rules, it stays out of what citizens
//! download, search and find, and it has its own policy on its own path only. (Editing in
//! chromium against `generator serve`: tests/browser/cms.test.mjs.)

mod common;

use common::portal::site;

use generator::front_matter::KEYS;
use generator::service_standard::{self, ServiceStandard};
use serde_yaml::Value;

fn config() -> Value {
    let text = common::read(site().root.join("admin/config.yml"));
    serde_yaml::from_str(&text).expect("admin/config.yml is YAML")
}

fn names(fields: &Value) -> Vec<String> {
    fields
        .as_sequence()
        .expect("a list of fields")
        .iter()
        .map(|f| f["name"].as_str().expect("a name").to_string())
        .collect()
}

fn collection<'a>(config: &'a Value, name: &str) -> &'a Value {
    config["collections"]
        .as_sequence()
        .expect("collections")
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no collection `{name}`"))
}

#[test]
fn there_is_one_collection_per_section_of_content() {
    let config = config();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let mut sections: Vec<String> = std::fs::read_dir(&repo)
        .expect("content/")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("_index.md").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    sections.sort();
    let mut collections: Vec<String> = names(&config["collections"]);
    collections.sort();
    assert_eq!(collections, sections);
    for name in &sections {
        let c = collection(&config, name);
        assert_eq!(c["folder"], format!("content/{name}").as_str());
        // Every front-matter key the build reads, except `extra` (the theme's free map,
        // kept as it is), then the text.
        let mut expected: Vec<String> = KEYS
            .iter()
            .map(|k| k.name.to_string())
            .filter(|k| k != "extra")
            .filter(|k| k != "standar_pelayanan" || name == "layanan")
            .collect();
        expected.push("body".into());
        assert_eq!(names(&c["fields"]), expected, "collection `{name}`");
    }
    // Translations are the sibling files the generator reads: `paw.md`, `paw.en.md`.
    assert_eq!(config["i18n"]["structure"], "multiple_files");
    assert_eq!(config["i18n"]["default_locale"], "id");
    assert_eq!(
        collection(&config, "layanan")["i18n"]["locales"],
        serde_yaml::from_str::<Value>("[id, en]").expect("yaml")
    );
    // Only published languages: the regional drafts awaiting a native speaker are not
    // offered, so a save never adds files in a language the section is not published in.
    let education = &collection(&config, "pendidikan-pemilih")["i18n"]["locales"];
    assert_eq!(
        education,
        &serde_yaml::from_str::<Value>("[id]").expect("yaml")
    );
}

/// A standard with every component written, as YAML.
fn full_standard() -> serde_yaml::Mapping {
    let mut map = serde_yaml::Mapping::new();
    for key in service_standard::accepted_keys() {
        let value = match key {
            "jangka_waktu" => Value::from("5 hari kerja"),
            "jumlah_pelaksana" => Value::from(3),
            "ditinjau" => Value::from("2026-02-12"),
            "persyaratan"
            | "prosedur"
            | "produk"
            | "pengaduan"
            | "dasar_hukum"
            | "sarana_prasarana"
            | "kompetensi_pelaksana"
            | "pengawasan_internal" => Value::Sequence(vec![Value::from("butir")]),
            _ => Value::from("teks"),
        };
        map.insert(Value::from(key), value);
    }
    map
}

#[test]
fn the_standards_fields_require_exactly_what_the_build_requires() {
    let config = config();
    let standard = names(&collection(&config, "layanan")["fields"])
        .iter()
        .position(|n| n == "standar_pelayanan")
        .map(|i| collection(&config, "layanan")["fields"][i].clone())
        .expect("the standard's field");
    let fields = standard["fields"].as_sequence().expect("its fields");
    assert_eq!(
        names(&standard["fields"]),
        service_standard::accepted_keys(),
        "the fourteen components and the review date, in order"
    );
    let full: ServiceStandard =
        serde_yaml::from_value(Value::Mapping(full_standard())).expect("a full standard reads");
    assert!(full.missing_required().is_empty());
    for field in fields {
        let key = field["name"].as_str().expect("name");
        // Without this component, does the build refuse the page?
        let mut without = full_standard();
        without.remove(key);
        let read: ServiceStandard = serde_yaml::from_value(Value::Mapping(without)).expect("reads");
        let build_requires = read.missing_required().contains(&key);
        assert_eq!(
            field["required"].as_bool(),
            Some(build_requires),
            "`{key}`: the editor and the build disagree on whether it is required"
        );
        // Each value may be a placeholder `{konfirmasi: ...}`, as the build accepts.
        let widget = field["widget"].as_str().expect("widget");
        assert!(
            widget == "konfirmasi" || widget == "daftar_konfirmasi",
            "`{key}`: {widget}"
        );
    }
    assert_eq!(
        fields.iter().filter(|f| f["required"] == true).count(),
        6,
        "the six components citizens read"
    );
}

#[test]
fn the_editor_is_published_but_out_of_search_sitemap_robots_and_citizens_pages() {
    let root = &site().root;
    for file in [
        "admin/index.html",
        "admin/config.yml",
        "admin/setup.js",
        "admin/cms.js",
        "admin/decap/decap-cms.js",
    ] {
        assert!(root.join(file).is_file(), "{file}");
    }
    let robots = common::read(root.join("robots.txt"));
    assert!(robots.contains("Disallow: /admin/\n"), "{robots}");
    let sitemap = common::read(root.join("sitemap.xml"));
    assert!(!sitemap.contains("/admin/"), "the sitemap lists the editor");
    let index = common::read(root.join("admin/index.html"));
    assert!(index.contains("<meta name=\"robots\" content=\"noindex, nofollow\">"));
    // No script runs inline (its policy has no 'unsafe-inline' for scripts).
    assert!(!index.contains("<script>"), "{index}");
    for (path, html) in &site().pages {
        assert!(
            !html.contains("/admin/"),
            "{path} links the editor or loads its files"
        );
    }
    // The search index has no fragment of the editor.
    let mut fragments = 0;
    for entry in std::fs::read_dir(root.join("pagefind/fragment")).expect("fragments") {
        let bytes = std::fs::read(entry.expect("entry").path()).expect("fragment");
        let mut text = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut text)
            .expect("a gzipped fragment");
        assert!(!String::from_utf8_lossy(&text).contains("/admin/"));
        fragments += 1;
    }
    assert!(fragments > 50, "{fragments} fragments");
}

#[test]
fn the_editors_looser_policy_is_on_its_own_path_only() {
    let dir = common::copy_site("basic");
    let settings = dir.path().join("content/site.yaml");
    let yaml = common::read(&settings).replace(
        "extra: {}",
        "cms: {repo: kpu-ntb/portal, auth: \"https://masuk.kpu-ntb.example\"}\nextra: {}",
    );
    std::fs::write(&settings, yaml).expect("write");
    let out = dir.path().join("public");
    let run = common::generator(&[
        "build",
        "--host-files",
        "--root",
        dir.path().to_str().expect("utf-8"),
        "--output",
        out.to_str().expect("utf-8"),
    ]);
    assert!(run.status.success(), "{}", common::stderr(&run));
    let headers = common::read(out.join("_headers"));
    let editor = generator::admin::CONTENT_SECURITY_POLICY;
    assert!(
        headers.contains(&format!(
            "/admin/*\n  ! Content-Security-Policy\n  Content-Security-Policy: {editor}\n"
        )),
        "{headers}"
    );
    // The site's own policy, for every other path, is as strict as without an editor.
    let site_wide = headers
        .lines()
        .find(|l| l.starts_with("  Content-Security-Policy:"))
        .expect("the site's policy");
    assert_eq!(
        site_wide.trim_start(),
        format!(
            "Content-Security-Policy: {}",
            generator::hosting::content_security_policy(None)
        )
    );
    let config = common::read(out.join("admin/config.yml"));
    assert!(config.contains("repo: kpu-ntb/portal"), "{config}");
    assert!(
        config.contains("base_url: https://masuk.kpu-ntb.example"),
        "{config}"
    );
    assert!(
        config.contains("publish_mode: editorial_workflow"),
        "{config}"
    );
    // Its local backend is offered only where the site is served on this computer.
    assert!(config.contains("local_backend: false"), "{config}");
}
