//! Building fixture sites end to end, through the library and the command line.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{build_copy, build_copy_with, copy_site, generator, read, site, stderr};

fn build_into(root: &Path, out: &Path, extra: &[&str]) {
    let mut args = vec![
        "build",
        "--root",
        root.to_str().expect("utf-8"),
        "--output",
        out.to_str().expect("utf-8"),
    ];
    args.extend(extra);
    let output = generator(&args);
    assert!(
        output.status.success(),
        "build failed:\n{}",
        stderr(&output)
    );
}

fn files_of(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir(dir)
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(&p).expect("read"))
        })
        .collect()
}

fn walkdir(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(walkdir(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn builds_every_kind_of_output_of_the_basic_site() {
    let out = tempfile::tempdir().expect("temp dir");
    build_into(&site("basic"), out.path(), &[]);
    let files = files_of(out.path());
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    for expected in [
        "index.html",
        "404.html",
        "robots.txt",
        "sitemap.xml",
        "layanan/index.html",
        "layanan/paw/index.html",
        "paw/index.html",
        "berita/index.html",
        "berita/halaman/2/index.html",
        "berita/atom.xml",
        "berita/rapat-pleno/index.html",
        "berita/rapat-pleno/foto.svg",
        "tag/index.html",
        "tag/paw/index.html",
        "tag/pemilih/index.html",
    ] {
        assert!(names.contains(&expected), "missing {expected} in {names:?}");
    }
    assert!(
        !names.iter().any(|n| n.contains("draf")),
        "a draft was published: {names:?}"
    );
    let css: Vec<&&str> = names
        .iter()
        .filter(|n| n.starts_with("css/main."))
        .collect();
    assert_eq!(css.len(), 1, "{names:?}");
    assert!(
        css[0].len() == "css/main.0123456789abcdef.css".len(),
        "not fingerprinted: {css:?}"
    );

    let home = read(out.path().join("index.html"));
    assert!(
        home.contains(&format!("href=\"/{}\"", css[0])),
        "CSS referenced by its hashed name"
    );
    assert!(
        home.contains(r#"<a href="/layanan/paw/#yang-perlu-disiapkan">layanan PAW</a>"#),
        "internal link with anchor"
    );
    assert!(
        home.contains(r#"<nav><a href="/layanan/">Layanan</a>"#),
        "menu link from @/ path"
    );
    assert!(
        home.contains(r#"<ul class="latest"><li><a href="/berita/rapat-pleno/">Rapat Pleno</a>"#),
        "get_section, newest first"
    );
    assert!(
        !home.contains("livereload"),
        "no live reload in build output"
    );

    let paw = read(out.path().join("layanan/paw/index.html"));
    for fact in [
        r#"<link rel="canonical" href="https://uji.example/layanan/paw/">"#,
        r#"<li><a href="/">Beranda</a></li><li><a href="/layanan/">Layanan</a></li>"#,
        "<li>Surat kuasa (jika ada)</li>",
        r#"<p class="jangka-waktu">5 hari kerja</p>"#,
        "[perlu konfirmasi: jumlah petugas]",
        r#"<h2 id="yang-perlu-disiapkan">"#,
        r#"<div class="table-scroll"><table>"#,
        r#"<a href="/berita/rapat-pleno/">berita</a>"#,
    ] {
        assert!(paw.contains(fact), "service page lacks {fact}\n{paw}");
    }

    let news = read(out.path().join("berita/index.html"));
    assert!(news.contains("Halaman 1 dari 2"), "{news}");
    assert!(news.contains(r#"<a rel="next" href="/berita/halaman/2/">"#));
    assert!(news.contains("10 Maret 2026"), "Indonesian dates");
    assert!(
        news.contains("<p>Rapat pleno terbuka.</p>"),
        "a summary skips an image-only paragraph"
    );
    let bundle = read(out.path().join("berita/rapat-pleno/index.html"));
    assert!(
        bundle.contains(r#"<img src="/berita/rapat-pleno/foto.svg" alt="Suasana rapat" />"#),
        "bundle image"
    );

    let sitemap = read(out.path().join("sitemap.xml"));
    assert!(
        sitemap.contains(
            "<loc>https://uji.example/layanan/paw/</loc>\n    <lastmod>2026-03-01</lastmod>"
        ),
        "{sitemap}"
    );
    let feed = read(out.path().join("berita/atom.xml"));
    assert!(
        feed.contains("<updated>2026-03-10T00:00:00+08:00</updated>"),
        "{feed}"
    );
    assert_eq!(feed.matches("<entry>").count(), 3);
    let alias = read(out.path().join("paw/index.html"));
    assert!(alias.contains(
        r#"<meta http-equiv="refresh" content="0; url=https://uji.example/layanan/paw/">"#
    ));
    assert!(
        read(out.path().join("robots.txt")).contains("Sitemap: https://uji.example/sitemap.xml")
    );
}

#[test]
fn building_twice_gives_byte_identical_files() {
    let a = tempfile::tempdir().expect("temp dir");
    let b = tempfile::tempdir().expect("temp dir");
    build_into(&site("basic"), a.path(), &[]);
    build_into(&site("basic"), b.path(), &[]);
    let (a, b) = (files_of(a.path()), files_of(b.path()));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs between two builds");
    }
}

#[test]
fn removes_stale_files_and_publishes_drafts_only_when_asked() {
    let src = copy_site("basic");
    let out = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(out.path().join("lama")).expect("mkdir");
    std::fs::write(out.path().join("lama/index.html"), "old").expect("write");
    build_into(src.path(), out.path(), &["--drafts"]);
    assert!(
        !out.path().join("lama").exists(),
        "stale output left behind"
    );
    assert!(
        out.path().join("berita/draf/index.html").exists(),
        "--drafts publishes drafts"
    );

    std::fs::remove_file(src.path().join("content/berita/sosialisasi.md")).expect("remove");
    build_into(src.path(), out.path(), &[]);
    assert!(
        !out.path().join("berita/sosialisasi").exists(),
        "a deleted page's output stays"
    );
    assert!(
        !out.path().join("berita/draf").exists(),
        "a draft stays published"
    );
    assert!(
        !out.path().join("tag/paw/index.html").exists()
            || !read(out.path().join("tag/paw/index.html")).contains("Sosialisasi")
    );
}

#[test]
fn base_url_option_moves_every_link_under_a_path() {
    let out = tempfile::tempdir().expect("temp dir");
    build_into(
        &site("basic"),
        out.path(),
        &["--base-url", "https://cdn.example/portal"],
    );
    let home = read(out.path().join("index.html"));
    assert!(
        home.contains(r#"<link rel="canonical" href="https://cdn.example/portal/">"#),
        "{home}"
    );
    assert!(
        home.contains(r#"href="/portal/layanan/paw/#yang-perlu-disiapkan""#),
        "{home}"
    );
    assert!(home.contains(r#"href="/portal/css/main."#), "{home}");
}

#[test]
fn strict_build_refuses_values_still_to_confirm() {
    let out = tempfile::tempdir().expect("temp dir");
    let root = site("basic");
    let output = generator(&[
        "build",
        "--strict",
        "--root",
        root.to_str().expect("utf-8"),
        "--output",
        out.path().to_str().expect("utf-8"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("warning: value to confirm before publishing: jumlah petugas"),
        "{err}"
    );
    assert!(err.contains("--> content/site.yaml:9:13"), "{err}");
    assert!(
        err.contains("error: the site has 2 warnings, and --strict refuses to build with any"),
        "{err}"
    );
    assert!(
        !out.path().join("index.html").exists(),
        "strict build wrote files"
    );
}

/// Drafts are left out of a published site without blocking it: once every value is
/// confirmed, `--strict` builds, although a page is a draft and a translation awaits its
/// review (said as a note, not a warning).
#[test]
fn strict_build_passes_once_values_are_confirmed_with_drafts_left_out() {
    let dir = copy_site("basic");
    let content = dir.path().join("content");
    let edit = |file: &str, from: &str, to: &str| {
        let path = content.join(file);
        let text = read(&path);
        assert!(text.contains(from), "{file} has no `{from}`");
        std::fs::write(&path, text.replace(from, to)).expect("write");
    };
    edit(
        "site.yaml",
        "{konfirmasi: nomor telepon kantor}",
        "\"(0370) 000000\"",
    );
    edit(
        "site.yaml",
        "extra: {}",
        "extra: {}\nlanguages:\n  - code: en\n    name: English\n    ui: id",
    );
    edit("layanan/paw.md", "{konfirmasi: jumlah petugas}", "3");
    std::fs::write(
        content.join("berita/pengumuman.en.md"),
        "---\ntitle: Schedule announcement\ndate: 2026-01-05\nstatus_terjemahan: draf\n---\nThe schedule is announced.\n",
    )
    .expect("write");
    let (output, out) = build_copy_with(&dir, &["--strict"]);
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    assert!(
        err.contains(
            "note: this translation awaits a native speaker's review: left out of the site"
        ),
        "{err}"
    );
    assert!(!err.contains("warning:"), "{err}");
    assert!(err.contains("0 warnings, 1 note"), "{err}");
    assert!(out.join("berita/pengumuman/index.html").exists());
    assert!(
        !out.join("berita/draf/index.html").exists(),
        "the draft was published"
    );
    assert!(
        !out.join("en/berita/pengumuman/index.html").exists(),
        "the translation awaiting review was published"
    );
}

/// Mistakes that used to pass without a word, each named on its line with what to write.
#[test]
fn silent_mistakes_are_reported() {
    let dir = copy_site("basic");
    let content = dir.path().join("content");
    std::fs::write(content.join("berita/foto.jpg"), b"\xff\xd8\xff").expect("write");
    let description = "Halaman uji untuk kesalahan yang dulu lolos tanpa pesan, yaitu gambar tanpa \
                       keterangan, tautan tanpa kata, judul bagian yang melompat, alamat situs \
                       sendiri, dan alamat pratinjau.";
    std::fs::write(
        content.join("berita/uji.md"),
        format!(
            "---\ntitle: Uji\ndescription: {description}\n---\n## Bagian\n\n![](foto.jpg)\n\n\
             #### Rincian\n\nLihat [PAW](http://127.0.0.1:1111/layanan/paw/), \
             [syarat PAW](https://uji.example/layanan/paw/#syarat), [lapor](lapor.go.id) \
             dan [](@/layanan/paw.md).\n"
        ),
    )
    .expect("write");
    let output = generator(&["check", "--root", dir.path().to_str().expect("utf-8")]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    let expect = |text: &str| assert!(err.contains(text), "missing `{text}` in:\n{err}");
    expect(&format!(
        "warning: the description is {} characters long; a search result shows about 160\n --> content/berita/uji.md:3:1",
        description.chars().count()
    ));
    expect("warning: an image without a description (alt text)\n --> content/berita/uji.md:7:1");
    expect(
        "warning: a heading level is skipped: `####` after `##`\n --> content/berita/uji.md:9:1",
    );
    expect("help: use `###`, one level below the heading before it");
    expect(
        "error: a link to the preview address `http://127.0.0.1:1111/layanan/paw/`, which works only on this computer\n  --> content/berita/uji.md:11:7",
    );
    expect("help: link to the page's file instead: `@/layanan/paw.md`\n");
    expect(
        "warning: a link to this site's own address: it breaks if the site moves, and is not checked",
    );
    expect("help: link to the page's file instead: `@/layanan/paw.md#syarat`");
    expect("error: broken link: `lapor.go.id` is a web address without `https://`");
    expect("help: write `https://lapor.go.id`");
    expect("warning: a link without words");
    assert!(
        !err.contains("there is no file `content/berita/lapor.go.id`"),
        "{err}"
    );
}

/// An English news item in a section with no English `_index.en.md` had no English list
/// (`/en/berita/` was a 404, with nothing said); now the editor is told, and once the
/// section is translated its English list shows the item.
#[test]
fn a_translated_page_asks_for_its_section_in_that_language() {
    let dir = copy_site("basic");
    let content = dir.path().join("content");
    let site_yaml = read(content.join("site.yaml"));
    std::fs::write(
        content.join("site.yaml"),
        site_yaml.replace(
            "extra: {}",
            "extra: {}\nlanguages:\n  - code: en\n    name: English\n    ui: id",
        ),
    )
    .expect("write");
    std::fs::write(
        content.join("berita/pengumuman.en.md"),
        "---\ntitle: Schedule announced\ndate: 2026-01-05\n---\nThe schedule is announced.\n",
    )
    .expect("write");
    let build = || {
        let (output, out) = build_copy(&dir);
        assert!(output.status.success(), "{}", stderr(&output));
        (stderr(&output), out)
    };
    let (err, _) = build();
    assert!(
        err.contains(
            "warning: this page's section has no `en` version: `content/berita/_index.en.md` is missing\n --> content/berita/pengumuman.en.md"
        ),
        "{err}"
    );
    std::fs::write(
        content.join("berita/_index.en.md"),
        "---\ntitle: News\nsort_by: date\n---\n",
    )
    .expect("write");
    let (err, out) = build();
    assert!(!err.contains("section has no"), "{err}");
    let list = read(out.join("en/berita/index.html"));
    assert!(list.contains("/en/berita/pengumuman/"), "{list}");
}

#[test]
fn plain_build_warns_about_values_still_to_confirm_and_succeeds() {
    let out = tempfile::tempdir().expect("temp dir");
    let root = site("basic");
    let output = generator(&[
        "build",
        "--root",
        root.to_str().expect("utf-8"),
        "--output",
        out.path().to_str().expect("utf-8"),
    ]);
    assert!(output.status.success());
    let err = stderr(&output);
    assert_eq!(err.matches("warning: value to confirm").count(), 2, "{err}");
    assert!(err.contains("built 4 pages and 3 sections"), "{err}");
}

#[test]
fn every_command_has_help_and_the_binary_a_version() {
    for command in ["build", "serve", "check"] {
        let output = generator(&[command, "--help"]);
        assert!(output.status.success());
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(text.contains("--root"), "{command} --help: {text}");
    }
    let output = generator(&["--version"]);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        format!("generator {}", env!("CARGO_PKG_VERSION"))
    );
    let output = generator(&["publish"]);
    assert_eq!(output.status.code(), Some(2), "unknown command");
}

#[test]
fn refuses_a_folder_without_content() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = generator(&["build", "--root", dir.path().to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("has no `content/` folder"));
}

#[test]
fn the_portal_itself_builds_without_errors() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = tempfile::tempdir().expect("temp dir");
    build_into(&root, out.path(), &[]);
    for service in common::SERVICES {
        let page = read(out.path().join(format!("layanan/{service}/index.html")));
        assert!(page.contains("<html lang=\"id\">"), "{service}");
    }
}

#[test]
fn long_tag_lists_are_split_into_pages_of_twenty() {
    let src = copy_site("basic");
    for n in 0..25 {
        std::fs::write(
            src.path().join(format!("content/berita/uji-{n:02}.md")),
            format!(
                "---\ntitle: Uji {n:02}\ndate: 2025-01-{:02}\ntags: [uji]\n---\nTeks.\n",
                n + 1
            ),
        )
        .expect("write");
    }
    let out = tempfile::tempdir().expect("temp dir");
    build_into(src.path(), out.path(), &[]);
    let first = read(out.path().join("tag/uji/index.html"));
    let second = read(out.path().join("tag/uji/halaman/2/index.html"));
    assert_eq!(
        first.matches("<li><a href=\"/berita/uji-").count(),
        20,
        "{first}"
    );
    assert_eq!(
        second.matches("<li><a href=\"/berita/uji-").count(),
        5,
        "{second}"
    );
    assert!(first.contains("Uji 24"), "newest first: {first}");
    assert!(!out.path().join("tag/uji/halaman/3").exists());
}
