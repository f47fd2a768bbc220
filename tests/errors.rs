//! Editors' mistakes: each fixture site under `tests/sites/errors-*` (and `external-links`)
//! is built, and the whole of what the generator says is compared with `expected.txt`
//! (English) and `expected.id.txt` (Indonesian) beside it, so no message can change or
//! vanish unnoticed in either language. Run with `UPDATE_EXPECTED=1`
//! to rewrite the files after a deliberate change, then read the diff.

mod common;

use common::{build_copy, generator, portal_copy, site, stderr};

/// Pins what the generator says in both languages: `expected.txt` (English) and
/// `expected.id.txt` (Indonesian).
fn pin(case: &str, command: &str) {
    pin_in(case, command, "en", "expected.txt");
    pin_in(case, command, "id", "expected.id.txt");
}

fn pin_in(case: &str, command: &str, lang: &str, expected_name: &str) {
    let root = site(case);
    let out = tempfile::tempdir().expect("temp dir");
    let mut args = vec![
        command,
        "--lang",
        lang,
        "--root",
        root.to_str().expect("utf-8"),
    ];
    if command == "build" {
        args.extend(["--output", out.path().to_str().expect("utf-8")]);
    }
    let output = generator(&args);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{case} must fail:\n{}",
        stderr(&output)
    );
    let actual = stderr(&output);
    let expected_file = root.join(expected_name);
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        std::fs::write(&expected_file, &actual).expect("write expected.txt");
    }
    let expected = std::fs::read_to_string(&expected_file).unwrap_or_default();
    assert!(
        actual == expected,
        "{case}: messages differ from {}\n--- actual ---\n{actual}\n--- expected ---\n{expected}",
        expected_file.display()
    );
    assert!(
        std::fs::read_dir(out.path()).expect("out").next().is_none(),
        "{case}: a failed build wrote files"
    );
}

#[test]
fn content_mistakes_are_all_reported_with_file_line_and_fix() {
    pin("errors-content", "build");
}

#[test]
fn template_syntax_errors_are_all_reported_with_the_template_line() {
    pin("errors-template-syntax", "build");
}

#[test]
fn template_runtime_errors_are_reported_once_with_the_pages_they_hit() {
    pin("errors-template-runtime", "build");
}

#[test]
fn a_template_extending_a_missing_one_is_named() {
    pin("errors-template-missing", "build");
}

#[test]
fn check_reports_malformed_external_links() {
    pin("external-links", "check");
    let root = site("external-links");
    let out = tempfile::tempdir().expect("temp dir");
    let build = generator(&[
        "build",
        "--root",
        root.to_str().expect("utf-8"),
        "--output",
        out.path().to_str().expect("utf-8"),
    ]);
    assert!(
        build.status.success(),
        "build does not check external links: {}",
        stderr(&build)
    );
}

#[test]
fn check_passes_on_a_correct_site_and_writes_nothing() {
    let root = site("basic");
    let output = generator(&["check", "--root", root.to_str().expect("utf-8")]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("checked 4 pages and 3 sections: no errors"));
    assert!(!root.join("public").exists());
}

#[test]
fn a_template_string_missing_from_a_language_stops_the_build_and_is_named() {
    let dir = portal_copy();
    let file = dir.path().join("templates/i18n/en.yaml");
    let text = std::fs::read_to_string(&file).expect("read en.yaml");
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with("main_menu:"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(text.len(), without.len(), "en.yaml has `main_menu`");
    std::fs::write(&file, without).expect("write");
    let (output, out) = build_copy(&dir);
    assert!(!output.status.success());
    let stderr = stderr(&output);
    assert!(
        stderr
            .contains("error: the template string `main_menu` has no translation in language `en`")
            && stderr.contains("templates/i18n/en.yaml"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing is written by a failed build");
}

#[test]
fn a_form_on_an_english_page_is_framed_in_english_and_says_so_to_the_function() {
    let dir = portal_copy();
    let source = dir.path().join("content/formulir/pengaduan.md");
    let text = std::fs::read_to_string(&source).expect("read the form page");
    std::fs::write(dir.path().join("content/formulir/pengaduan.en.md"), text).expect("write");
    let (output, out) = build_copy(&dir);
    assert!(output.status.success(), "{}", stderr(&output));
    let english = std::fs::read_to_string(out.join("en/formulir/pengaduan/index.html"))
        .expect("English page");
    assert!(english.contains(r#"name="_bahasa" value="en""#));
    assert!(
        english.contains(r#"action="/api/forms/en/pengaduan""#),
        "English forms post under /en/"
    );
    assert!(english.contains(">Send</button>") && english.contains("(required)"));
    let indonesian =
        std::fs::read_to_string(out.join("formulir/pengaduan/index.html")).expect("page");
    assert!(indonesian.contains(r#"name="_bahasa" value="id""#));
    assert!(indonesian.contains(r#"action="/api/forms/pengaduan""#));
    assert!(indonesian.contains(">Kirim</button>") && indonesian.contains("(wajib)"));
}

#[test]
fn a_holidays_list_with_a_wrong_day_stops_the_build_and_is_not_published() {
    let dir = portal_copy();
    let file = dir.path().join("content/hari-libur.yaml");
    let text = std::fs::read_to_string(&file).expect("read hari-libur.yaml");
    std::fs::write(&file, text.replace("2026-12-25", "2026-12-32")).expect("write");
    let (output, out) = build_copy(&dir);
    assert!(!output.status.success());
    let stderr = stderr(&output);
    assert!(
        stderr.contains("`2026-12-32` is not a day of 2026") && stderr.contains("hari-libur.yaml"),
        "{stderr}"
    );
    std::fs::write(&file, text).expect("restore");
    let (output, out_again) = build_copy(&dir);
    assert!(output.status.success(), "{}", common::stderr(&output));
    assert_eq!(out, out_again);
    assert!(
        !out.join("hari-libur.yaml").exists(),
        "a settings file, not a page to publish"
    );
}
