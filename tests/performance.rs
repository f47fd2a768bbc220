//! The performance pages: before a first period they say so; with a period (its figures
//! from `forms-fn stats` and its page with the follow-up) they show the index and grade per
//! service, timeliness, the PPID's figures, charts drawn at build time with their tables,
//! and the open data (JSON and CSV); each service page shows its latest figures. A period
//! without its page or its follow-up is a warning; figures that do not read are an error.

mod common;

use std::path::Path;

use forms_model::calendar::Day;
use forms_model::holidays::Holidays;
use forms_model::performance::skm::{Scores, Survey, WORKED_EXAMPLE as FIVE};
use forms_model::performance::times::{Case, Requests};
use forms_model::performance::{Cell, Figures, Ppid, Report, SCHEMA, ServiceFigures};

fn figures(scores: &[Scores], cases: &[Case]) -> Figures {
    let refs: Vec<&Case> = cases.iter().collect();
    Figures {
        requests: Requests::of(
            &refs,
            &Holidays::default(),
            Day::parse("2026-07-01").expect("day"),
        ),
        survey: Survey::of(scores),
    }
}

fn answered(service: &str, days: i64) -> Case {
    let received = Day::parse("2026-03-02").expect("day");
    Case {
        service: service.into(),
        received,
        due: Some(received.plus_days(14)),
        state: "selesai".into(),
        closed: Some(received.plus_days(days)),
    }
}

/// A period: the information service rated by five and answered on time five times out of
/// six; internships rated by four (hidden).
fn report() -> Report {
    let info_cases: Vec<Case> = [1, 2, 3, 4, 7, 20]
        .iter()
        .map(|d| answered("informasi-publik", *d))
        .collect();
    let magang = [[2u8; 9]; 4];
    let all: Vec<Scores> = FIVE.iter().chain(magang.iter()).copied().collect();
    Report {
        schema: SCHEMA,
        from: "2026-01-01".into(),
        to: "2026-06-30".into(),
        as_of: "2026-07-01".into(),
        office: figures(&all, &info_cases),
        services: vec![
            ServiceFigures {
                service: "informasi-publik".into(),
                title: "Permohonan informasi publik".into(),
                standard_days: Some(10),
                figures: figures(&FIVE, &info_cases),
            },
            ServiceFigures {
                service: "magang".into(),
                title: "Magang perguruan tinggi".into(),
                standard_days: None,
                figures: figures(&magang, &[]),
            },
        ],
        ppid: Ppid {
            received: Cell::count(6),
            granted_full: Cell::count(6),
            granted_part: Cell::count(0),
            refused: Cell::count(0),
            refused_by_basis: Default::default(),
            forwarded: Cell::count(0),
            open: Cell::count(0),
            days_median: Some(Cell::Value(3.5)),
            days_p90: Some(Cell::Value(20.0)),
            objections: Cell::count(0),
            objections_answered: Cell::count(0),
            objections_refused: Cell::count(0),
            objections_forwarded: Cell::count(0),
            objections_open: Cell::count(0),
        },
    }
}

const PAGE: &str = "---\ntitle: Semester I 2026\ndescription: Angka kinerja layanan KPU Provinsi NTB semester I 2026.\nextra:\n  tindak_lanjut:\n    informasi-publik: Menambah petugas loket PPID pada hari Senin mulai Agustus 2026.\n    kantor: Survei dibuka juga di loket dengan poster kode QR.\n---\nAngka semester pertama.\n";

fn write_period(root: &Path, page: Option<&str>) {
    let dir = root.join("content/kinerja");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(
        dir.join("2026-1.json"),
        serde_json::to_string_pretty(&report()).expect("json"),
    )
    .expect("write");
    if let Some(page) = page {
        std::fs::write(dir.join("2026-1.md"), page).expect("write");
    }
}

#[test]
fn before_a_first_period_the_pages_say_so() {
    let dir = common::portal_copy();
    let _ = std::fs::remove_dir_all(dir.path().join("content/kinerja"));
    std::fs::create_dir_all(dir.path().join("content/kinerja")).expect("mkdir");
    std::fs::write(
        dir.path().join("content/kinerja/_index.md"),
        "---\ntitle: Kinerja Layanan\ndescription: Kinerja layanan.\ntemplate: kinerja.html\npage_template: kinerja-periode.html\n---\nTeks.\n",
    )
    .expect("write");
    let (output, out) = common::build_copy(&dir);
    assert!(output.status.success(), "{}", common::stderr(&output));
    let page = common::read(out.join("kinerja/index.html"));
    assert!(page.contains("Belum ada periode yang diumumkan"), "{page}");
    assert!(!page.contains("grafik-isi"), "no chart without figures");
    let service = common::read(out.join("layanan/informasi-publik/index.html"));
    assert!(service.contains("Angka kinerja layanan ini belum diumumkan"));
    assert!(
        service.contains("/kinerja/\""),
        "the service page links to the figures"
    );
}

#[test]
fn a_period_is_published_with_charts_tables_open_data_and_its_follow_up() {
    let dir = common::portal_copy();
    write_period(dir.path(), Some(PAGE));
    let (output, out) = common::build_copy(&dir);
    assert!(output.status.success(), "{}", common::stderr(&output));
    let stderr = common::stderr(&output);
    assert!(!stderr.contains("kinerja/2026-1"), "no warning: {stderr}");

    let page = common::read(out.join("kinerja/index.html"));
    // The index and grade, in Indonesian numbers; internships hidden (four respondents).
    assert!(page.contains("<td>86,11</td><td>B (Baik)</td>"), "{page}");
    assert!(
        page.contains(
            "<th scope=\"row\">Magang perguruan tinggi</th><td>&lt; 5</td><td>&lt; 5</td><td>–</td>"
        ),
        "{page}"
    );
    // The chart: a bar to 86.11 on the 25–100 scale, hidden from screen readers (the
    // table follows), the grades' marks.
    assert!(page.contains("class=\"grafik grafik-indeks\" aria-hidden=\"true\""));
    assert!(page.contains("width=\"81.48\""), "the bar ends at 86.11");
    assert!(page.contains("x1=\"84.41\""), "the A boundary at 88.31");
    // Timeliness: five of six on time (the sixth took 20 days against 14).
    assert!(page.contains("<td>6</td><td>83%</td>"), "{page}");
    assert!(page.contains("Semester I 2026"));
    assert!(page.contains("href=\"/kinerja/2026-1.json\""));
    assert!(page.contains("href=\"/kinerja/2026-1.csv\""));

    // Within the site's budget: the page and its stylesheet under 30 KB gzipped.
    let gz = |bytes: &[u8]| {
        use std::io::Write as _;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(bytes).expect("gzip");
        e.finish().expect("gzip").len()
    };
    let css = page
        .split("<link rel=\"stylesheet\" href=\"/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a stylesheet");
    let weight = gz(page.as_bytes()) + gz(&std::fs::read(out.join(css)).expect("css"));
    assert!(weight < 30 * 1024, "{weight} bytes gzipped");

    let period = common::read(out.join("kinerja/2026-1/index.html"));
    assert!(
        period.contains("Menambah petugas loket PPID"),
        "follow-up shown"
    );
    assert!(period.contains("Survei dibuka juga di loket"));
    assert!(
        period.contains("Dikabulkan seluruhnya"),
        "the PPID's figures"
    );

    let csv = common::read(out.join("kinerja/2026-1.csv"));
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("layanan,nama,diterima,dijawab,tepat_waktu,porsi_tepat_waktu"));
    assert!(
        lines[1].starts_with("informasi-publik,Permohonan informasi publik,6,6,5,0.833,"),
        "{csv}"
    );
    assert!(lines[1].ends_with(",3.4444,86.11,B"), "{csv}");
    assert!(
        lines[2].starts_with("magang,Magang perguruan tinggi,0,0,0,,,,0,< 5,< 5"),
        "{csv}"
    );
    assert!(lines[3].starts_with("kantor,"), "{csv}");
    let json: serde_json::Value =
        serde_json::from_str(&common::read(out.join("kinerja/2026-1.json"))).expect("json");
    assert_eq!(json["services"][0]["survey"]["index"], 86.11);

    let service = common::read(out.join("layanan/informasi-publik/index.html"));
    assert!(
        service.contains("86,11 (B, Baik)"),
        "the service page shows its index"
    );
    assert!(service.contains("83%"));
    assert!(service.contains("href=\"/kinerja/2026-1/\""));
    let english = common::read(out.join("en/layanan/informasi-publik/index.html"));
    assert!(
        english.contains("86.11 (B, Good)"),
        "English numbers and words"
    );
}

#[test]
fn figures_without_a_page_or_follow_up_warn_and_unreadable_figures_fail() {
    let dir = common::portal_copy();
    write_period(dir.path(), None);
    let (output, _) = common::build_copy(&dir);
    assert!(output.status.success());
    assert!(common::stderr(&output).contains("these figures have no page"));

    let without = PAGE.replace("  tindak_lanjut:\n    informasi-publik: Menambah petugas loket PPID pada hari Senin mulai Agustus 2026.\n    kantor: Survei dibuka juga di loket dengan poster kode QR.\n", "  catatan: ya\n");
    write_period(dir.path(), Some(&without));
    let (output, out) = common::build_copy(&dir);
    assert!(output.status.success());
    assert!(
        common::stderr(&output).contains("has figures but no follow-up"),
        "{}",
        common::stderr(&output)
    );
    assert!(common::read(out.join("kinerja/2026-1/index.html")).contains("belum ditulis"));

    std::fs::write(
        dir.path().join("content/kinerja/2026-1.json"),
        "{\"schema\": 1}",
    )
    .expect("write");
    let (output, _) = common::build_copy(&dir);
    assert!(!output.status.success());
    assert!(common::stderr(&output).contains("the figures cannot be read"));
}
