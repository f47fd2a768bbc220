use super::*;

fn check(source: &str, is_section: bool) -> (Option<FrontMatter>, Vec<String>) {
    let file = Path::new("content/x.md");
    let mut diagnostics = Vec::new();
    let fm = match split(file, source) {
        Ok(s) => parse(file, source, &s, is_section, &mut diagnostics),
        Err(d) => {
            diagnostics.push(d);
            None
        }
    };
    (fm, diagnostics.iter().map(ToString::to_string).collect())
}

#[test]
fn every_declared_key_is_read() {
    let sample = |spec: &KeySpec| match (spec.name, spec.kind) {
        ("status_terjemahan", _) => "draf",
        ("sort_by", _) => "date",
        ("standar_pelayanan", _) => "{}",
        (_, Kind::Text) => "Lain",
        (_, Kind::Number) => "3",
        (_, Kind::Flag) => "true",
        (_, Kind::List) => "[a]",
        (_, Kind::Date) => "2026-02-12",
        (_, Kind::Map | Kind::Other) => "{a: 1}",
    };
    let (plain, _) = check("---\ntitle: T\n---\n", true);
    for spec in &KEYS {
        let line = format!("{}: {}", spec.name, sample(spec));
        let source = if spec.name == "title" {
            format!("---\n{line}\n---\n")
        } else {
            format!("---\ntitle: T\n{line}\n---\n")
        };
        let (fm, _) = check(&source, true);
        assert_ne!(fm, plain, "`{line}` is declared but not read");
    }
}

#[test]
fn only_what_a_page_says_keeps_its_shape() {
    let read = |extra: &str| {
        check(&format!("---\ntitle: T\n{extra}---\n"), true)
            .0
            .expect("valid")
    };
    let base = read("");
    assert!(base.same_shape(&read(
        "description: Lain\nsummary: S\nupdated: 2026-02-12\n"
    )));
    for changed in [
        "weight: 2\n",
        "date: 2026-02-12\n",
        "tags: [a]\n",
        "draft: true\n",
        "paginate_by: 5\n",
    ] {
        assert!(!base.same_shape(&read(changed)), "{changed}");
    }
}

#[test]
fn splits_front_matter_from_body() {
    let source = "---\ntitle: A\n---\nBody\n";
    let s = split(Path::new("a.md"), source).expect("valid");
    assert_eq!(s.yaml, "title: A\n");
    assert_eq!(s.body, "Body\n");
    assert_eq!(&source[s.body_offset..], "Body\n");
}

#[test]
fn handles_crlf_and_byte_order_mark() {
    let source = "\u{feff}---\r\ntitle: A\r\n---\r\nBody";
    let (fm, errors) = check(source, false);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(fm.expect("valid").title, "A");
}

#[test]
fn reports_every_unknown_key_with_a_suggestion() {
    let (_, errors) = check("---\ntitel: A\ntagz: [a]\nfoo: 1\n---\n", false);
    assert_eq!(errors.len(), 4, "{errors:?}"); // three keys + the missing title
    assert!(errors[0].contains("did you mean `title`?"));
    assert!(errors[1].contains("did you mean `tags`?"));
    assert!(errors[2].contains("put your own settings under `extra:`"));
}

/// An editor writing the keys in Indonesian is told the English key, not "did you mean
/// `date`?" for some and the whole list of keys for others.
#[test]
fn indonesian_key_names_get_their_english_key() {
    let (_, errors) = check(
        "---\njudul: PAW\ntanggal: 2026-02-12\nDeskripsi: Layanan PAW\nbobot: 2\n---\n",
        false,
    );
    let helps: Vec<&str> = errors
        .iter()
        .filter_map(|e| e.lines().find(|l| l.contains("help:")))
        .collect();
    assert!(
        helps[0].ends_with("keys are written in English: write `title:` for `judul:`"),
        "{errors:?}"
    );
    assert!(
        helps[1].ends_with("write `date:` for `tanggal:`"),
        "{errors:?}"
    );
    assert!(
        helps[2].ends_with("write `description:` for `Deskripsi:`"),
        "{errors:?}"
    );
    assert!(
        helps[3].ends_with("write `weight:` for `bobot:`"),
        "{errors:?}"
    );
    // A section's key on a page is not offered.
    let (_, errors) = check("---\ntitle: A\nper_halaman: 10\n---\n", false);
    assert!(!errors[0].contains("paginate_by"), "{errors:?}");
}

#[test]
fn rejects_section_keys_on_pages_only() {
    let (_, errors) = check("---\ntitle: A\nfeed: true\n---\n", false);
    assert!(errors[0].contains("`feed` only applies to a section"));
    let (fm, errors) = check("---\ntitle: A\nfeed: true\n---\n", true);
    assert!(errors.is_empty());
    assert!(fm.expect("valid").feed);
}

#[test]
fn points_at_a_wrong_type_with_an_example() {
    let (_, errors) = check("---\ntitle: A\nweight: berat\n---\n", false);
    assert!(errors[0].contains(":3:"), "{}", errors[0]);
    assert!(errors[0].contains("write a whole number"), "{}", errors[0]);
}

#[test]
fn points_at_a_nested_key_and_at_an_unclosed_quote() {
    let source =
        "---\ntitle: A\nstandar_pelayanan:\n  persyaratan: [KTP-el]\n  jangka_waktu: segera\n---\n";
    let (_, errors) = check(source, false);
    assert!(errors[0].contains(":5:3"), "{}", errors[0]);
    let (_, errors) = check("---\ntitle: \"Tanpa tutup\ndate: 2026-02-12\n---\n", false);
    assert!(errors[0].contains(":2:8"), "{}", errors[0]);
    assert!(!errors[0].contains("at line"), "{}", errors[0]);
}

/// serde names only `standar_pelayanan` for a wrong `jumlah_pelaksana` (a field with its
/// own deserializer); the editor is told which field, on its line.
#[test]
fn names_the_field_of_the_standard_whose_value_has_the_wrong_type() {
    let source = "---\ntitle: A\nstandar_pelayanan:\n  persyaratan: [KTP-el]\n  jangka_waktu: 5 hari kerja\n  jumlah_pelaksana: 3 orang\n---\n";
    let (_, errors) = check(source, false);
    assert!(
        errors[0].contains(
            "`standar_pelayanan.jumlah_pelaksana` must be a whole number, not the text \"3 orang\""
        ),
        "{}",
        errors[0]
    );
    assert!(errors[0].contains(":6:3"), "{}", errors[0]);
}

/// A tab is named on its own line (libyaml pointed at the line above, with no help).
#[test]
fn a_tab_in_the_indentation_is_named_on_its_line() {
    let source = "---\ntitle: A\nstandar_pelayanan:\n  persyaratan:\n    - KTP-el\n\t- KK\n---\n";
    let (_, errors) = check(source, false);
    assert!(
        errors[0].starts_with("error: line 6 is indented with a tab"),
        "{}",
        errors[0]
    );
    assert!(errors[0].contains(":6:1"), "{}", errors[0]);
    assert!(
        errors[0].contains("replace the tab with spaces"),
        "{}",
        errors[0]
    );
}

/// Three spaces where the lines beside need four: say four (the help said "two"), and
/// where they need two, say two.
#[test]
fn a_wrong_indentation_gets_the_indentation_it_needs() {
    let source = "---\ntitle: A\nstandar_pelayanan:\n  persyaratan:\n    - KTP-el\n   - KK\n---\n";
    let (_, errors) = check(source, false);
    assert!(errors[0].contains(":6:4"), "{}", errors[0]);
    assert!(
        errors[0].contains(
            "`persyaratan:` is indented 2 spaces and the lines under it 4: indent this line by 4 spaces, not 3"
        ),
        "{}",
        errors[0]
    );
    let source = "---\ntitle: A\nstandar_pelayanan:\n  persyaratan: [KTP-el]\n   jangka_waktu: 5 hari kerja\n---\n";
    let (_, errors) = check(source, false);
    assert!(
        errors[0].contains("indent this line by 2 spaces, not 3"),
        "{}",
        errors[0]
    );
}

/// Curly quotes pasted from a word processor: "put the value in quotes" misled, as it is.
#[test]
fn curly_quotes_are_recognised() {
    let (_, errors) = check("---\ntitle: “Pemilu 2029: jadwal”\n---\n", false);
    assert!(
        errors[0].contains("type straight ones, `title: \"Pemilu 2029: jadwal\"`"),
        "{}",
        errors[0]
    );
    assert!(
        !errors[0].contains("put the value in quotes"),
        "{}",
        errors[0]
    );
}

#[test]
fn finds_placeholders_with_their_lines() {
    let yaml = "# {konfirmasi: \"...\"}\na: {konfirmasi: \"nomor telepon\"} # {konfirmasi: y}\nb:\n  - {konfirmasi: x}\n";
    assert_eq!(
        placeholders(yaml, 1),
        [(2, 5, "nomor telepon".to_string()), (4, 6, "x".to_string())]
    );
}
