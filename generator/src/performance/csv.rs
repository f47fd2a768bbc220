//! A period's figures as CSV (one row per service, then `kantor` for the whole office), for
//! those who open data in a spreadsheet. Hidden cells keep their "< 5".

use std::fmt::Write as _;

use forms_model::performance::skm::ELEMENTS;
use forms_model::performance::{Cell, Figures, Report};

/// The header row.
fn header() -> String {
    let mut columns = vec![
        "layanan",
        "nama",
        "diterima",
        "dijawab",
        "tepat_waktu",
        "porsi_tepat_waktu",
        "median_hari_kerja",
        "p90_hari_kerja",
        "lewat_tenggat",
        "responden",
    ];
    columns.extend(ELEMENTS.iter().map(|(name, _)| *name));
    columns.extend(["nrr_tertimbang", "ikm", "mutu"]);
    columns.join(",")
}

fn cell(c: Option<&Cell>) -> String {
    match c {
        Some(Cell::Value(v)) => format!("{v}"),
        Some(Cell::Hidden) => forms_model::performance::HIDDEN.to_string(),
        None => String::new(),
    }
}

/// A field, quoted when it holds a comma, a quote or a line break.
fn text(t: &str) -> String {
    if t.contains([',', '"', '\n']) {
        format!("\"{}\"", t.replace('"', "\"\""))
    } else {
        t.to_string()
    }
}

fn row(out: &mut String, service: &str, title: &str, f: &Figures) {
    let r = &f.requests;
    let s = &f.survey;
    let mut fields = vec![
        text(service),
        text(title),
        cell(Some(&r.received)),
        cell(Some(&r.answered)),
        cell(Some(&r.on_time)),
        cell(r.on_time_share.as_ref()),
        cell(r.days_median.as_ref()),
        cell(r.days_p90.as_ref()),
        cell(Some(&r.open_past_deadline)),
        cell(Some(&s.respondents)),
    ];
    fields.extend((0..ELEMENTS.len()).map(|i| cell(s.elements.get(i))));
    fields.push(cell(s.weighted.as_ref()));
    fields.push(cell(s.index.as_ref()));
    fields.push(s.grade.map(|g| g.letter().to_string()).unwrap_or_default());
    let _ = writeln!(out, "{}", fields.join(","));
}

pub fn report(report: &Report) -> String {
    let mut out = header() + "\n";
    for s in &report.services {
        row(&mut out, &s.service, &s.title, &s.figures);
    }
    row(&mut out, "kantor", "KPU Provinsi NTB", &report.office);
    out
}
