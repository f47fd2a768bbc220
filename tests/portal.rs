//! The portal itself (the repo's `content/` and `templates/`), built once and checked page by
//! page: the frame every page shares, unique titles, heading order, what a strict
//! Content-Security-Policy allows, links that lead somewhere, the service standard on every
//! service page, and the page-weight budget.

mod common;

use common::portal::{content_pages, site};

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use regex::Regex;

fn first<'a>(re: &Regex, text: &'a str) -> Option<&'a str> {
    re.captures(text).and_then(|c| c.get(1)).map(|m| m.as_str())
}

#[test]
fn every_page_has_the_shared_frame() {
    let mut checked = 0;
    for (path, html) in content_pages() {
        let lang = if path.starts_with("en/") { "en" } else { "id" };
        assert!(
            html.contains(&format!("<html lang=\"{lang}\">")),
            "{path}: lang"
        );
        assert!(html.contains("href=\"#isi\""), "{path}: skip link");
        assert!(html.contains("id=\"isi\""), "{path}: skip link target");
        assert_eq!(html.matches("<h1").count(), 1, "{path}: exactly one h1");
        for landmark in ["<header", "<nav", "<main", "<footer"] {
            assert!(html.contains(landmark), "{path}: {landmark}");
        }
        assert!(
            html.contains("type=\"image/svg+xml\""),
            "{path}: SVG favicon"
        );
        assert!(html.contains("<meta name=\"viewport\""), "{path}: viewport");
        checked += 1;
    }
    assert!(checked > 30, "only {checked} pages");
}

#[test]
fn titles_descriptions_and_canonical_links_are_unique() {
    let title = Regex::new(r"<title>([^<]*)</title>").expect("regex");
    let description = Regex::new(r#"<meta name="description" content="([^"]*)""#).expect("regex");
    let canonical = Regex::new(r#"<link rel="canonical" href="([^"]*)""#).expect("regex");
    let mut seen: HashMap<String, &str> = HashMap::new();
    for (path, html) in content_pages() {
        let t = first(&title, html).unwrap_or_else(|| panic!("{path}: no title"));
        let d = first(&description, html).unwrap_or_else(|| panic!("{path}: no description"));
        assert!(
            !t.trim().is_empty() && !d.trim().is_empty(),
            "{path}: empty title or description"
        );
        for (kind, value) in [("title", t), ("description", d)] {
            let key = format!("{kind}:{value}");
            if let Some(other) = seen.insert(key, path) {
                panic!("{path} and {other} share the {kind} `{value}`");
            }
        }
        if path != "404.html" {
            let c = first(&canonical, html).unwrap_or_else(|| panic!("{path}: no canonical link"));
            let expected = format!(
                "https://kpu-ntb.example/{}",
                path.trim_end_matches("index.html")
            );
            assert_eq!(c, expected, "{path}: canonical");
        }
    }
}

#[test]
fn headings_never_skip_a_level() {
    let heading = Regex::new(r"<h([1-6])[ >]").expect("regex");
    for (path, html) in content_pages() {
        let mut previous = 0;
        for level in heading
            .captures_iter(html)
            .map(|c| c[1].parse::<u32>().expect("digit"))
        {
            assert!(
                level <= previous + 1,
                "{path}: h{previous} is followed by h{level}"
            );
            previous = level;
        }
    }
}

#[test]
fn pages_work_under_a_strict_content_security_policy() {
    let script = Regex::new(r"<script([^>]*)>").expect("regex");
    let handler = Regex::new(r#"\son[a-z]+\s*="#).expect("regex");
    let external = Regex::new(r#"(?:src|href)="(?:https?:)?//[^"]*"[^>]*>"#).expect("regex");
    for (path, html) in content_pages() {
        assert!(!html.contains("<style"), "{path}: <style> element");
        assert!(!html.contains(" style="), "{path}: style attribute");
        assert!(!handler.is_match(html), "{path}: inline event handler");
        for attrs in script.captures_iter(html) {
            let attrs = attrs[1].trim();
            let same_origin_file = (attrs.starts_with("src=\"/") && attrs.ends_with("defer"))
                || attrs.starts_with("type=\"module\" src=\"/");
            assert!(
                attrs == "type=\"application/ld+json\"" || same_origin_file,
                "{path}: inline script: <script {attrs}>"
            );
        }
        // Links may point outside; nothing may be loaded from outside.
        for m in external.find_iter(html) {
            let tag_start = html[..m.start()].rfind('<').expect("inside a tag");
            let tag = &html[tag_start..m.end()];
            let ok = tag.starts_with("<a ")
                || tag.contains("rel=\"canonical\"")
                || tag.contains("rel=\"alternate\" hreflang=");
            assert!(ok, "{path}: loads an external resource: {tag}");
        }
    }
}

#[test]
fn every_internal_link_and_anchor_leads_somewhere() {
    let built = site();
    let link = Regex::new(r#"(?:href|src)="(/[^"]*)""#).expect("regex");
    let id = Regex::new(r#"\sid="([^"]+)""#).expect("regex");
    let same_page = Regex::new(r##"href="#([^"]+)""##).expect("regex");
    let ids: HashMap<&str, Vec<&str>> = built
        .pages
        .iter()
        .map(|(p, html)| {
            (
                p.as_str(),
                id.captures_iter(html)
                    .map(|c| c.get(1).expect("id").as_str())
                    .collect(),
            )
        })
        .collect();
    for (path, html) in content_pages() {
        for target in link.captures_iter(html).map(|c| c[1].to_string()) {
            if target.starts_with("//") {
                continue;
            }
            let (target_path, fragment) = target
                .split_once('#')
                .map_or((target.as_str(), None), |(p, f)| (p, Some(f)));
            let mut file = target_path.trim_start_matches('/').to_string();
            if file.is_empty() || file.ends_with('/') {
                file.push_str("index.html");
            }
            assert!(
                built.root.join(&file).is_file(),
                "{path}: broken link to {target}"
            );
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let known = ids
                    .get(file.as_str())
                    .is_some_and(|ids| ids.contains(&fragment));
                assert!(
                    known,
                    "{path}: {target} has no element with id `{fragment}`"
                );
            }
        }
        for fragment in same_page.captures_iter(html) {
            let known = ids
                .get(path.as_str())
                .is_some_and(|ids| ids.contains(&&fragment[1]));
            assert!(
                known,
                "{path}: #{} points nowhere on the page",
                &fragment[1]
            );
        }
    }
}

#[test]
fn every_service_page_shows_the_six_components_and_the_full_standard() {
    let rows = Regex::new(r#"<tr><th scope="row">"#).expect("regex");
    for service in common::SERVICES {
        let path = format!("layanan/{service}/index.html");
        let html = &site().pages[&path];
        for (marker, what) in [
            (r#"<h3 id="sp-persyaratan">"#, "persyaratan"),
            (r#"<ul class="periksa">"#, "persyaratan as a checklist"),
            (r#"<h3 id="sp-prosedur">"#, "prosedur"),
            (r#"<ol class="langkah">"#, "prosedur as numbered steps"),
            ("<dt>Jangka waktu</dt>", "jangka waktu, prominent"),
            ("<dt>Biaya</dt>", "biaya, prominent"),
            (r#"<h3 id="sp-produk">"#, "produk"),
            (r#"<h3 id="sp-pengaduan">"#, "pengaduan"),
            (r#"<h3 id="sp-dasar-hukum">"#, "dasar hukum"),
            (r#"<h2 id="sp-kanal">"#, "channels"),
            ("Jam layanan", "service hours"),
            ("Standar pelayanan ditinjau", "review date"),
            (r#"<table class="tabel-standar">"#, "the full standard"),
        ] {
            assert!(html.contains(marker), "{path}: lacks {what}");
        }
        let table = &html[html.find("tabel-standar").expect("table")..];
        assert_eq!(
            rows.find_iter(table).count(),
            14,
            "{path}: the table has all 14 components"
        );
    }
}

#[test]
fn a_typical_page_with_its_css_is_under_30_kb_gzipped() {
    let built = site();
    let css_link = Regex::new(r#"<link rel="stylesheet" href="/([^"]+)""#).expect("regex");
    let gz = |bytes: &[u8]| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(bytes).expect("gzip");
        e.finish().expect("gzip").len()
    };
    for (path, html) in content_pages() {
        let css: usize = css_link
            .captures_iter(html)
            .map(|c| gz(&std::fs::read(built.root.join(&c[1])).expect("css")))
            .sum();
        let total = gz(html.as_bytes()) + css;
        assert!(
            total < 30 * 1024,
            "{path}: {total} bytes gzipped with its CSS"
        );
    }
}

#[test]
fn every_page_passes_the_nu_html_checker() {
    let jar =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../node_modules/vnu-jar/build/dist/vnu.jar");
    assert!(
        jar.is_file(),
        "the Nu Html Checker is missing: run scripts/test, which installs it (npm ci)"
    );
    let output = std::process::Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html", "--format", "gnu"])
        .arg(&site().root)
        .output()
        .expect("java runs (scripts/test installs it when missing)");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success() && report.trim().is_empty(),
        "Nu Html Checker errors:\n{report}"
    );
}

/// The `lang` of a page's `<html>` element.
fn html_lang(html: &str) -> &str {
    let re = Regex::new(r#"<html lang="([^"]+)""#).expect("regex");
    first(&re, html).unwrap_or("")
}

#[test]
fn every_page_declares_its_language_and_english_pages_live_under_en() {
    let mut english = 0;
    for (path, html) in content_pages() {
        let expected = if path.starts_with("en/") { "en" } else { "id" };
        assert_eq!(html_lang(html), expected, "{path}");
        english += usize::from(expected == "en");
    }
    // Home, the services section and its seven services, about, contact, privacy,
    // accessibility; and the English search page and A–Z index.
    assert!(english >= 14, "only {english} English pages");
    for service in common::SERVICES {
        let html = &site().pages[&format!("en/layanan/{service}/index.html")];
        assert!(
            !html.contains(">Persyaratan<"),
            "{service}: Indonesian labels"
        );
    }
}

#[test]
fn translations_know_each_other_hreflang_switcher_and_sitemap() {
    let built = site();
    let id = &built.pages["layanan/paw/index.html"];
    let en = &built.pages["en/layanan/paw/index.html"];
    for html in [id, en] {
        assert!(html.contains(r#"<link rel="alternate" hreflang="id" href="https://kpu-ntb.example/layanan/paw/">"#), "{html}");
        assert!(html.contains(
            r#"<link rel="alternate" hreflang="en" href="https://kpu-ntb.example/en/layanan/paw/">"#
        ));
        assert!(
            html.contains(r#"hreflang="x-default" href="https://kpu-ntb.example/layanan/paw/""#)
        );
    }
    // The switcher goes to the same page in the other language...
    let switch = Regex::new(r#"<a [^>]*href="(/en/layanan/paw/)"[^>]*hreflang="en"|<a [^>]*hreflang="en"[^>]*href="(/en/layanan/paw/)""#).expect("regex");
    assert!(
        switch.is_match(id),
        "no switch to English on the Indonesian page"
    );
    assert!(en.contains(r#"href="/layanan/paw/""#));
    // ...or to that language's home page, saying so, when the page is not translated.
    let untranslated = &built.pages["pendidikan-pemilih/pindah-memilih/index.html"];
    assert!(untranslated.contains(r#"href="/en/""#));
    assert!(!untranslated.contains(r#"hreflang="en" href="https://kpu-ntb.example/en/"#));
    let sitemap = read_output("sitemap.xml");
    assert!(sitemap.contains(r#"xmlns:xhtml="http://www.w3.org/1999/xhtml""#));
    let entry = sitemap
        .split("<url>")
        .find(|u| u.contains("<loc>https://kpu-ntb.example/en/layanan/paw/</loc>"))
        .expect("the English PAW page is in the sitemap");
    assert!(entry.contains(r#"<xhtml:link rel="alternate" hreflang="id" href="https://kpu-ntb.example/layanan/paw/"/>"#), "{entry}");
    assert!(entry.contains(r#"<xhtml:link rel="alternate" hreflang="en" href="https://kpu-ntb.example/en/layanan/paw/"/>"#));
}

#[test]
fn drafts_awaiting_a_native_speaker_stay_out_of_the_published_site() {
    let built = site();
    for code in ["sas", "smw", "bhp"] {
        assert!(
            !built
                .pages
                .keys()
                .any(|p| p.starts_with(&format!("{code}/"))),
            "{code} published"
        );
    }
    // A preview shows them, each page in its language, with the labels around marked
    // as Indonesian; the build says they await review.
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let output = common::generator(&[
        "build",
        "--drafts",
        "--no-search",
        "--root",
        repo.to_str().expect("utf-8"),
        "--output",
        dir.path().to_str().expect("utf-8"),
    ]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    let stderr = common::stderr(&output);
    for code in ["sas", "smw", "bhp"] {
        assert!(
            stderr.contains(&format!("cek-dpt-online.{code}.md")),
            "no warning for {code}: {stderr}"
        );
        let html = common::read(dir.path().join(format!(
            "{code}/pendidikan-pemilih/cek-dpt-online/index.html"
        )));
        assert_eq!(html_lang(&html), code);
        assert!(
            html.contains(r#"<header class="kepala" lang="id""#),
            "{code}: labels not marked"
        );
    }
    assert!(stderr.contains("awaits a native speaker's review: shown in this preview only"));
}

#[test]
fn the_search_index_covers_both_languages_and_the_a_to_z_lists_every_page() {
    let built = site();
    let entry = read_output("pagefind/pagefind-entry.json");
    assert!(
        entry.contains(r#""id""#) && entry.contains(r#""en""#),
        "{entry}"
    );
    assert!(built.root.join("pagefind/pagefind.js").is_file());
    assert!(!built.root.join("pagefind/pagefind-ui.js").exists());
    let az = &built.pages["indeks/index.html"];
    for (path, html) in content_pages() {
        if path.starts_with("en/")
            || path.starts_with("tag/")
            || path.contains("/halaman/")
            || path == "404.html"
            || path.starts_with("cari/")
            || path.starts_with("indeks/")
        {
            continue;
        }
        let url = format!("/{}", path.trim_end_matches("index.html"));
        assert!(
            az.contains(&format!("href=\"{url}\"")),
            "{url} is not in the A–Z index ({})",
            html.len()
        );
    }
}

fn read_output(name: &str) -> String {
    common::read(site().root.join(name))
}

#[test]
fn labels_and_site_facts_in_another_language_than_the_page_are_marked() {
    // English pages: units in English, and the office facts of site.yaml (Indonesian
    // placeholders here) marked as Indonesian wherever they appear.
    let built = site();
    let informasi = &built.pages["en/layanan/informasi-publik/index.html"];
    assert!(
        informasi.contains("<dd>10 working days</dd>"),
        "{informasi}"
    );
    assert!(!informasi.contains("hari kerja"));
    let paw = &built.pages["en/layanan/paw/index.html"];
    assert!(paw.contains(
        r#"[to be confirmed: <span lang="id">alamat lengkap kantor KPU Provinsi NTB</span>]"#
    ));
    let id = &built.pages["layanan/informasi-publik/index.html"];
    assert!(id.contains("<dd>10 hari kerja</dd>"));
    assert!(
        !id.contains(r#"<span lang="id">"#),
        "Indonesian page marks Indonesian"
    );

    // A service page in a language that borrows the Indonesian labels: every label says so.
    let dir = common::portal_copy();
    let paw_md = common::read(dir.path().join("content/layanan/paw.md"));
    let sasak = paw_md.replacen("title:", "title: Sasak PAW #", 1);
    std::fs::write(dir.path().join("content/layanan/paw.sas.md"), sasak).expect("write");
    let (output, out) = common::build_copy(&dir);
    assert!(output.status.success(), "{}", common::stderr(&output));
    let html = common::read(out.join("sas/layanan/paw/index.html"));
    assert_eq!(html_lang(&html), "sas");
    for label in [
        r#"<h2 id="sp-kanal" lang="id">"#,
        r#"<h3 id="sp-persyaratan" lang="id">"#,
        r#"<dt lang="id">"#,
        r#"<th scope="row" lang="id">"#,
        r#"<th scope="rowgroup" colspan="2" lang="id">"#,
    ] {
        assert!(html.contains(label), "{label} missing");
    }
    let unmarked = Regex::new(r#"<(dt|th|h3)( [a-z]+="[^"]*")*>"#).expect("regex");
    // (The header and footer are marked as a whole.)
    let article =
        &html[html.find("<article").expect("article")..html.find("</article>").expect("end")];
    let bare: Vec<&str> = unmarked
        .find_iter(article)
        .map(|m| m.as_str())
        .filter(|m| !m.contains("lang="))
        .collect();
    assert!(bare.is_empty(), "labels without lang: {bare:?}");
}

/// The portal's hundreds of values to confirm no longer bury the rest: three of them are
/// shown, then a count, and `--all-warnings` lists every one.
#[test]
fn frequent_warnings_are_folded_unless_all_are_asked_for() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let check = |extra: &[&str]| {
        let mut args = vec!["check", "--root", repo.to_str().expect("utf-8")];
        args.extend_from_slice(extra);
        let output = common::generator(&args);
        assert!(output.status.success(), "{}", common::stderr(&output));
        common::stderr(&output)
    };
    let listed = |text: &str| {
        text.lines()
            .filter(|l| l.starts_with("warning: value to confirm before publishing:"))
            .count()
    };
    let folded = check(&[]);
    let total: usize = first(
        &Regex::new(r"(?m)^(\d+) values to confirm").expect("regex"),
        &folded,
    )
    .expect("the count of values to confirm")
    .parse()
    .expect("a number");
    assert!(total > 5, "{total}");
    assert_eq!(listed(&folded), 3, "{folded}");
    assert!(
        folded.contains(&format!(
            "... and {} more of \"value to confirm before publishing\" (`--all-warnings` lists them all)",
            total - 3
        )),
        "{folded}"
    );
    assert_eq!(listed(&check(&["--all-warnings"])), total);
}
