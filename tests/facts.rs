//! One fact, one place: a service's time frame, fee and hours are written in its standard;
//! procedure pages and translations show them from there, and what a page still repeats is
//! checked against it.

mod common;

use std::path::Path;

use common::*;

fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join("content").join(file);
    let text = read(&path);
    assert!(text.contains(from), "{file} has no `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

/// The text of an HTML page without its tags, for reading what a citizen sees.
fn visible(path: &Path) -> String {
    let html = read(path);
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn procedure_pages_show_the_time_frame_fee_and_hours_of_their_services_standard() {
    let dir = portal_copy();
    let root = dir.path();
    edit(
        root,
        "layanan/autentifikasi.md",
        r#"biaya: {konfirmasi: "apakah autentifikasi tidak dipungut biaya"}"#,
        "biaya: Rp5.000 per lembar",
    );
    edit(
        root,
        "layanan/paw.md",
        "  produk:\n",
        "  jam_layanan: Senin sampai Kamis, 08.00 sampai 12.00 WITA\n  produk:\n",
    );
    let (output, out) = build_copy(&dir);
    assert!(output.status.success(), "{}", stderr(&output));

    let procedure = visible(&out.join("prosedur/autentifikasi/index.html"));
    assert!(
        procedure.contains("Biaya Rp5.000 per lembar"),
        "the procedure page does not show the standard's fee: {procedure}"
    );
    // The body's `{{ biaya }}` too, on the service page and the procedure page.
    let service = visible(&out.join("layanan/autentifikasi/index.html"));
    assert!(
        service.contains("Biaya layanan ini: Rp5.000 per lembar."),
        "{service}"
    );
    assert!(!service.contains("{{"), "{service}");
    let english = read(out.join("en/layanan/autentifikasi/index.html"));
    assert!(
        english.contains("The fee for this service: <span class=\"konfirmasi\">[to be confirmed: whether certified copies are issued free of charge]</span>."),
        "the English page does not show its standard's fee still to confirm"
    );
    let procedure = visible(&out.join("prosedur/paw/index.html"));
    assert!(
        procedure.contains("Jam layanan Senin sampai Kamis, 08.00 sampai 12.00 WITA"),
        "{procedure}"
    );
    assert!(
        procedure.contains("Jangka waktu 5 hari kerja"),
        "{procedure}"
    );
    let service = visible(&out.join("layanan/paw/index.html"));
    assert!(
        service.contains("Jam layanan: Senin sampai Kamis, 08.00 sampai 12.00 WITA"),
        "the service's own hours are not shown: {service}"
    );
    // Elsewhere the office-wide hours, in the language of the page where it has them.
    let english = read(out.join("en/layanan/pengaduan/index.html"));
    assert!(
        english.contains(
            "Service hours: <span class=\"konfirmasi\">[to be confirmed: service desk opening days and hours, in English"
        ),
        "the English page does not show the English hours"
    );
}

#[test]
fn fees_and_details_that_disagree_with_the_standard_are_named() {
    let dir = copy_site("basic");
    let root = dir.path();
    edit(
        root,
        "layanan/paw.md",
        "Layanan ini untuk **DPRD Provinsi**.",
        "Layanan ini untuk **DPRD Provinsi**. Fotokopi dikenai Rp2.000 per lembar.",
    );
    edit(
        root,
        "site.yaml",
        "extra: {}",
        "extra: {}\nlanguages:\n  - code: en\n    name: English\n    ui: id",
    );
    let content = root.join("content");
    std::fs::write(
        content.join("layanan/paw.en.md"),
        "---\ntitle: Interim replacement\nstandar_pelayanan:\n  persyaratan: [Letter]\n  \
         prosedur: [The DPRD writes.]\n  jangka_waktu: 5 hari kerja\n  biaya: Rp 5.000\n  \
         produk: [Letter]\n  pengaduan: [Complaint form]\n---\nThe service.\n",
    )
    .expect("write");
    std::fs::write(
        content.join("berita/langkah-paw.md"),
        "---\ntitle: Langkah PAW\nextra:\n  layanan: \"@/layanan/paw.md\"\n  rincian:\n    \
         - {label: Biaya, nilai: Gratis}\n    - {label: Lama proses, nilai: 5 hari kerja}\n    \
         - {label: Tempat, nilai: Kantor}\n---\nLangkahnya.\n",
    )
    .expect("write");
    std::fs::write(
        content.join("berita/salah.md"),
        "---\ntitle: Salah\nextra:\n  layanan: \"@/layanan/tidak-ada.md\"\n---\nTeks.\n",
    )
    .expect("write");
    std::fs::write(
        content.join("berita/isian.md"),
        "---\ntitle: Isian\n---\nBiaya: {{ biaya }}.\n",
    )
    .expect("write");
    edit(
        root,
        "layanan/paw.md",
        "## Yang perlu disiapkan",
        "Biaya: {{ biaya }}, {{ biayaa }}.\n\n## Yang perlu disiapkan",
    );

    let output = generator(&[
        "check",
        "--all-warnings",
        "--root",
        root.to_str().expect("utf-8"),
    ]);
    let err = stderr(&output);
    let expect = |text: &str| assert!(err.contains(text), "missing `{text}` in:\n{err}");
    expect(
        "warning: a fee the service standard does not state: the text says Rp2.000, `biaya` says Gratis\n  --> content/layanan/paw.md:22:55",
    );
    expect(
        "warning: the fee differs between translations: `content/layanan/paw.md` says \"Gratis\", this page says \"Rp 5.000\"\n --> content/layanan/paw.en.md:7:3",
    );
    expect(
        "warning: a detail the service standard already gives: \"Biaya\" repeats `biaya`\n --> content/berita/langkah-paw.md:6:8",
    );
    // Repeated by its value, under another label.
    expect("\"Lama proses\" repeats `jangka_waktu`");
    assert!(!err.contains("\"Tempat\" repeats"), "{err}");
    expect(
        "error: `extra.layanan` names no service page: `@/layanan/tidak-ada.md`\n --> content/berita/salah.md:4:3",
    );
    expect(
        "error: nothing to fill `{{ biaya }}` from: this page has no `standar_pelayanan` and names no service in `extra.layanan`\n --> content/berita/isian.md:4:8",
    );
    expect(
        "error: unknown value `{{ biayaa }}`: the text can show `biaya`, `jangka_waktu`, `jam_layanan`\n  --> content/layanan/paw.md:24:",
    );
    assert!(
        !err.contains("`{{ biaya }}`\n  --> content/layanan/paw.md"),
        "{err}"
    );
    assert_eq!(output.status.code(), Some(1), "{err}");
}

/// What an office would write for a placeholder, by its key (or, for contact lists, by what
/// it asks for): a number where a number goes, a date, a duration, an address.
fn fill_in(key: &str, asks: &str) -> &'static str {
    match key {
        "jumlah_pelaksana" => "3",
        // The same working days as the standard's time frame below, as the build requires.
        "deadline_days" => "5",
        "ditinjau" => "2026-01-15",
        "jangka_waktu" => "5 hari kerja",
        "biaya" => "Gratis",
        "repo" => "kpu-ntb/portal",
        _ if asks.contains("surel") => "layanan@kpu-ntb.example",
        "url" | "auth" | "endpoint" => "https://layanan.kpu-ntb.example/",
        _ => "\"Sudah dipastikan oleh kantor\"",
    }
}

/// The guide promises editors that values still to confirm are all that stands between the
/// site and `--strict`: with every one of them filled in, the portal builds strictly.
#[test]
fn the_portal_builds_strictly_once_its_placeholders_are_filled() {
    let dir = portal_copy();
    let inline = regex::Regex::new(
        r#"(?m)^(\s*(?:- )?)(?:([A-Za-z0-9_-]+): )?\{konfirmasi: ("[^"]*"|[^}]*)\}"#,
    )
    .expect("pattern");
    let block = regex::Regex::new(r#"(?m)^(\s*)([A-Za-z0-9_-]+):\n\s+konfirmasi: ("[^"]*"|.*)$"#)
        .expect("pattern");
    let flow = regex::Regex::new(r#"\{konfirmasi: ("[^"]*"|[^}]*)\}"#).expect("pattern");
    let mut filled = 0;
    for entry in walkdir::WalkDir::new(dir.path().join("content")) {
        let path = entry.expect("walk").into_path();
        if !path.extension().is_some_and(|e| e == "md" || e == "yaml") {
            continue;
        }
        let text = read(&path);
        let text = block.replace_all(&text, |c: &regex::Captures| {
            filled += 1;
            format!("{}{}: {}", &c[1], &c[2], fill_in(&c[2], &c[3]))
        });
        let text = inline.replace_all(&text, |c: &regex::Captures| {
            filled += 1;
            let key = c.get(2).map_or("", |k| k.as_str());
            let prefix = if key.is_empty() {
                String::new()
            } else {
                format!("{key}: ")
            };
            format!("{}{prefix}{}", &c[1], fill_in(key, &c[3]))
        });
        // A placeholder inside a flow mapping (`{label: ..., nilai: {konfirmasi: ...}}`).
        let text = flow
            .replace_all(&text, |_: &regex::Captures| {
                filled += 1;
                "\"Sudah dipastikan oleh kantor\""
            })
            .into_owned();
        std::fs::write(&path, text).expect("write");
    }
    assert!(filled > 150, "only {filled} placeholders were found");
    // Next year's holidays, which the build asks for once deadlines can reach that year.
    let holidays = dir.path().join("content/hari-libur.yaml");
    let next_year = "\n2099:\n  sumber: SKB hari libur\n  hari:\n    - {tanggal: 2099-01-01, nama: Tahun Baru}\n";
    let mut text = read(&holidays);
    let this_year = 1970
        + std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock after 1970")
            .as_secs()
            / 31_556_952;
    for year in this_year..=this_year + 1 {
        if !text.contains(&format!("\n{year}:")) {
            text.push_str(&next_year.replace("2099", &year.to_string()));
        }
    }
    std::fs::write(&holidays, text).expect("write");
    let (output, _) = build_copy_with(&dir, &["--strict", "--no-search"]);
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    assert!(!err.contains("warning:"), "{err}");
}

/// The receipt promises an answer by the form's `deadline_days`; the service page promises
/// its standard's time frame. The two must agree.
#[test]
fn a_form_promising_another_time_than_its_standard_is_named() {
    let dir = portal_copy();
    edit(
        dir.path(),
        "forms/informasi-publik.yaml",
        "deadline_days: 10\n",
        "deadline_days: 12\n",
    );
    let output = generator(&[
        "check",
        "--all-warnings",
        "--root",
        dir.path().to_str().expect("utf-8"),
    ]);
    let err = stderr(&output);
    assert!(
        err.contains(
            "warning: the form's time limit differs from the service standard: `deadline_days: 12`, while `jangka_waktu` in `content/layanan/informasi-publik.md` says 10 hari kerja\n  --> content/forms/informasi-publik.yaml:26:1"
        ),
        "{err}"
    );
    assert!(err.contains("help: the receipt promises the citizen an answer by this date: write `deadline_days: 10`"), "{err}");
    // The objection form answers in its own time (30 working days), not the request's.
    assert!(
        !err.contains("content/forms/keberatan-informasi.yaml:29"),
        "{err}"
    );
}
