//! The legal statements citizens rely on, checked in the sources (every page and form, both
//! languages): a corrected rule must not come back, and each time limit keeps its article.

use std::path::Path;

/// What is wrong with how `text` states the time limit for reporting an election violation
/// to Bawaslu: the limit runs from when the violation is known or found (UU 7/2017 Pasal
/// 454 ayat (6): 7 working days; UU 1/2015 as amended, Pasal 134 ayat (4): 7 days), never
/// from the day it happened.
fn bawaslu_rule_problems(text: &str) -> Vec<String> {
    let lower = text
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut problems = Vec::new();
    // Sentences about reporting a violation: the only place these words are wrong.
    let about_reports = lower.split(['.', ';']).filter(|s| {
        ["bawaslu", "pelanggaran", "violation", "lapor", "report"]
            .iter()
            .any(|w| s.contains(w))
    });
    for sentence in about_reports {
        for wrong in [
            "setelah kejadian",
            "sejak kejadian",
            "setelah peristiwa",
            "after the incident",
            "after the event",
            "secepatnya",
            "as soon as possible",
        ] {
            if sentence.contains(wrong) {
                problems.push(format!("counts from the event: `{wrong}`"));
            }
        }
    }
    if lower.contains("pasal 454") && !lower.contains("hari kerja") {
        problems.push("cites Pasal 454 without `hari kerja`".to_string());
    }
    if lower.contains("article 454") && !lower.contains("working days") {
        problems.push("cites Article 454 without `working days`".to_string());
    }
    problems
}

#[test]
fn the_old_bawaslu_wording_is_caught() {
    for old in [
        "Untuk pelanggaran pilkada, laporan harus masuk **paling lambat 7 hari** setelah\nkejadian.",
        "For election violations, the report must be submitted no later than 7 days after the incident.",
        "Untuk pemilu, laporkan secepatnya.",
        "Laporan pemilu paling lama 7 hari (UU 7/2017 Pasal 454 ayat (6)).",
    ] {
        assert!(!bawaslu_rule_problems(old).is_empty(), "{old}");
    }
    assert!(
        bawaslu_rule_problems(
            "paling lama 7 hari kerja sejak diketahui terjadinya dugaan pelanggaran pemilu (UU 7/2017 Pasal 454 ayat (6))"
        )
        .is_empty()
    );
}

#[test]
fn every_page_and_form_counts_the_bawaslu_deadline_from_when_the_violation_is_known() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let mut found = Vec::new();
    let mut states_the_rule = 0;
    for entry in walkdir::WalkDir::new(&repo) {
        let entry = entry.expect("entry");
        let path = entry.path();
        let source = path.extension().is_some_and(|e| e == "md" || e == "yaml");
        if !source {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("read");
        if text.contains("Pasal 454") || text.contains("Article 454") {
            states_the_rule += 1;
        }
        for problem in bawaslu_rule_problems(&text) {
            found.push(format!("{}: {problem}", path.display()));
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
    assert!(states_the_rule >= 4, "the rule is stated with its article");
}

/// The sources (Markdown and YAML) under `content/`, with their text.
fn sources() -> Vec<(String, String)> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    walkdir::WalkDir::new(&repo)
        .into_iter()
        .map(|e| e.expect("entry"))
        .filter(|e| {
            e.path()
                .extension()
                .is_some_and(|x| x == "md" || x == "yaml")
        })
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).expect("read");
            (e.path().display().to_string(), text)
        })
        .collect()
}

#[test]
fn the_complaint_pages_state_every_time_limit_of_the_public_service_law_with_its_article() {
    // UU 25/2009: filing within 30 days (Pasal 42(2)); the provider's response within 14
    // days (44(3)), not said to be written; 30 days to complete the file (44(4)); the
    // decision within 60 days (50(1)) and delivered within 14 days (50(2)).
    let pages = sources();
    let page = |end: &str| {
        pages
            .iter()
            .find(|(path, _)| path.ends_with(end))
            .map(|(_, text)| text.as_str())
            .unwrap_or_else(|| panic!("{end} exists"))
    };
    for (file, cites) in [
        (
            "layanan/pengaduan.md",
            [
                "Pasal 42 ayat (2)",
                "Pasal 44 ayat (3)",
                "Pasal 44 ayat (4)",
                "Pasal 50 ayat (1)",
                "Pasal 50 ayat (2)",
            ],
        ),
        (
            "prosedur/pengaduan.md",
            [
                "Pasal 42 ayat (2)",
                "Pasal 44 ayat (3)",
                "Pasal 44 ayat (4)",
                "Pasal 50 ayat (1)",
                "Pasal 50 ayat (2)",
            ],
        ),
        (
            "layanan/pengaduan.en.md",
            [
                "Article 42(2)",
                "Article 44(3)",
                "Article 44(4)",
                "Article 50(1)",
                "Article 50(2)",
            ],
        ),
    ] {
        let text = page(file);
        for cite in cites {
            assert!(text.contains(cite), "{file} does not cite {cite}");
        }
        for overstated in ["tanggapan tertulis", "written response"] {
            assert!(
                !text.contains(overstated),
                "{file}: the statute says only that the provider responds, not in writing"
            );
        }
    }
}
