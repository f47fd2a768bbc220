//! One fact, one place. A service's time frame, fee and hours are written once, in its
//! standard (`standar_pelayanan`); a procedure page names its service (`extra.layanan:
//! "@/layanan/paw.md"`) and shows them from there. What pages still repeat is checked
//! against the standard: a fee in Rupiah in the text of a service page, its translations or
//! its procedure page must be the standard's, and the translations' fees must agree; the
//! service's own form promises an answer within the standard's time frame.

use std::collections::BTreeMap;
use std::path::Path;

use forms_model::schema::{Deadline, Form};

use crate::diagnostic::Diagnostic;
use crate::service_standard::{Confirmable, Cost, ServiceStandard, Unit, placeholder_text};
use crate::site::{Document, Site};
use crate::t;

/// The `extra` key by which a page names the service whose standard it shows.
pub const SERVICE_KEY: &str = "layanan";

/// `rincian` labels that name what the standard already says.
const REPEATED_LABELS: [(&str, &str); 7] = [
    ("biaya", "biaya"),
    ("fee", "biaya"),
    ("jangka waktu", "jangka_waktu"),
    ("time frame", "jangka_waktu"),
    ("jam layanan", "jam_layanan"),
    ("service hours", "jam_layanan"),
    ("opening hours", "jam_layanan"),
];

/// The service page `doc` names in `extra.layanan`, in `doc`'s language when it is
/// translated, with its standard.
pub fn service_of<'s>(
    site: &'s Site,
    doc: &Document,
) -> Option<(&'s Document, &'s ServiceStandard)> {
    let path = named_service(doc)?.strip_prefix("@/")?;
    let target = *site.by_content_path.get(path)?;
    let service = site.doc(target);
    let own = site
        .translations_of(service)
        .iter()
        .map(|&t| site.doc(t))
        .find(|d| d.lang == doc.lang && d.meta.standar_pelayanan.is_some())
        .unwrap_or(service);
    Some((own, own.meta.standar_pelayanan.as_ref()?))
}

fn named_service(doc: &Document) -> Option<&str> {
    doc.meta.extra.get(SERVICE_KEY)?.as_str()
}

/// The checks of one document; see the module's text.
pub fn check(site: &Site, doc: &Document, diagnostics: &mut Vec<Diagnostic>) {
    let standard = match (&doc.meta.standar_pelayanan, named_service(doc)) {
        (Some(own), _) => {
            translated_fee(site, doc, own, diagnostics);
            Some(own)
        }
        (None, Some(name)) => match service_of(site, doc) {
            Some((_, standard)) => {
                repeated_rows(doc, standard, diagnostics);
                Some(standard)
            }
            None => {
                diagnostics.push(
                    at_extra_key(
                        doc,
                        Diagnostic::error(&doc.file, t!("facts.no_service", path = name)),
                    )
                    .help(t!("facts.no_service.help")),
                );
                None
            }
        },
        (None, None) => None,
    };
    if let Some(standard) = standard {
        stray_amounts(doc, standard, diagnostics);
    }
    fill::check(site, doc, diagnostics);
}

/// A Rupiah amount in the text that the standard's fee does not state.
fn stray_amounts(doc: &Document, standard: &ServiceStandard, diagnostics: &mut Vec<Diagnostic>) {
    let stated: Vec<String> = match &standard.biaya {
        Some(Confirmable::Known(cost)) => amounts(&cost_text(cost))
            .into_iter()
            .map(|a| a.digits)
            .collect(),
        _ => Vec::new(),
    };
    let fee = match &standard.biaya {
        Some(Confirmable::Known(cost)) => cost.teks.clone(),
        Some(Confirmable::Pending { .. }) => t!("facts.fee_pending"),
        None => t!("facts.fee_missing"),
    };
    let body = doc.body();
    for amount in amounts(body) {
        if stated.contains(&amount.digits) {
            continue;
        }
        let span = amount.start..amount.end;
        diagnostics.push(
            doc.at_span(
                Diagnostic::warning(
                    &doc.file,
                    t!(
                        "facts.stray_amount",
                        amount = &body[span.clone()],
                        fee = fee
                    ),
                ),
                &span,
            )
            .help(t!("facts.stray_amount.help")),
        );
    }
}

/// A translation whose fee says otherwise than the default language's.
fn translated_fee(
    site: &Site,
    doc: &Document,
    own: &ServiceStandard,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(Confirmable::Known(cost)) = &own.biaya else {
        return;
    };
    let Some(original) = site
        .translations_of(doc)
        .first()
        .map(|&t| site.doc(t))
        .filter(|d| d.lang != doc.lang)
    else {
        return;
    };
    let Some(Some(Confirmable::Known(theirs))) =
        original.meta.standar_pelayanan.as_ref().map(|s| &s.biaya)
    else {
        return;
    };
    let digits = |c: &Cost| -> Vec<String> {
        amounts(&cost_text(c))
            .into_iter()
            .map(|a| a.digits)
            .collect()
    };
    if cost.gratis != theirs.gratis || digits(cost) != digits(theirs) {
        diagnostics.push(
            at_standard_key(
                doc,
                "biaya",
                Diagnostic::warning(
                    &doc.file,
                    t!(
                        "facts.translated_fee",
                        theirs = theirs.teks,
                        path = original.file.display(),
                        ours = cost.teks
                    ),
                ),
            )
            .help(t!("facts.translated_fee.help")),
        );
    }
}

/// A `rincian` row of a procedure page that repeats what its service's standard shows:
/// by its label (`Biaya`), or by its value (the same text, or the same placeholder).
fn repeated_rows(doc: &Document, standard: &ServiceStandard, diagnostics: &mut Vec<Diagnostic>) {
    let Some(rows) = doc.meta.extra.get("rincian").and_then(|r| r.as_sequence()) else {
        return;
    };
    let shown = [
        (
            "jangka_waktu",
            standard
                .jangka_waktu
                .as_ref()
                .map(|v| text_of(v, |d| d.teks.clone())),
        ),
        (
            "biaya",
            standard
                .biaya
                .as_ref()
                .map(|v| text_of(v, |c| c.teks.clone())),
        ),
        (
            "jam_layanan",
            standard
                .jam_layanan
                .as_ref()
                .map(|v| text_of(v, Clone::clone)),
        ),
    ];
    for row in rows {
        let Some(label) = row.get("label").and_then(|l| l.as_str()) else {
            continue;
        };
        let value = row
            .get("nilai")
            .and_then(|v| placeholder_text(v).or_else(|| v.as_str()).map(str::trim));
        let lower = label.trim().to_lowercase();
        let key = REPEATED_LABELS
            .iter()
            .find(|(word, _)| lower == *word)
            .map(|(_, key)| *key)
            .or_else(|| {
                shown
                    .iter()
                    .find(|(_, text)| value.is_some() && text.as_deref().map(str::trim) == value)
                    .map(|(key, _)| *key)
            });
        if let Some(key) = key {
            let d = Diagnostic::warning(
                &doc.file,
                t!("facts.repeated_row", label = label, key = key),
            );
            let d = match front_matter_offset(doc, &format!("label: {label}")) {
                Some(offset) => d
                    .at_offset(&doc.source, offset)
                    .underline("label: ".len() + label.chars().count()),
                None => d,
            };
            diagnostics.push(d.help(t!("facts.repeated_row.help")));
        }
    }
}

/// A value's text as an editor wrote it: the placeholder's, or the known value's.
fn text_of<T>(value: &Confirmable<T>, known: impl Fn(&T) -> String) -> String {
    match value {
        Confirmable::Known(v) => known(v),
        Confirmable::Pending { konfirmasi } => konfirmasi.clone(),
    }
}

/// A service's own request form (`content/forms/<service>.yaml`) promises its answer within
/// `deadline_days` working days; the standard's `jangka_waktu`, where it counts working days
/// too, must say the same.
pub fn check_forms(
    root: &Path,
    site: &Site,
    forms: &BTreeMap<String, Form>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (id, form) in forms {
        let (Some(service), Deadline::Days(days)) = (
            site.by_content_path.get(&format!("layanan/{id}.md")),
            &form.deadline_days,
        ) else {
            continue;
        };
        let service = site.doc(*service);
        let Some(Some(Confirmable::Known(time))) = service
            .meta
            .standar_pelayanan
            .as_ref()
            .map(|s| &s.jangka_waktu)
        else {
            continue;
        };
        if form.service.is_some() || time.satuan != Unit::HariKerja || time.nilai == *days {
            continue;
        }
        let file = format!("content/forms/{id}.yaml");
        let d = Diagnostic::warning(
            &file,
            t!(
                "facts.form_deadline",
                days = days,
                time = time.teks,
                path = service.file.display()
            ),
        );
        let d = match std::fs::read_to_string(root.join(&file)) {
            Ok(source) => match source.find("deadline_days:") {
                Some(offset) => d
                    .at_offset(&source, offset)
                    .underline("deadline_days".len()),
                None => d,
            },
            Err(_) => d,
        };
        diagnostics.push(d.help(t!("facts.form_deadline.help", nilai = time.nilai)));
    }
}

fn cost_text(cost: &Cost) -> String {
    format!(
        "{} {}",
        cost.teks,
        cost.keterangan.as_deref().unwrap_or_default()
    )
}

fn front_matter_offset(doc: &Document, needle: &str) -> Option<usize> {
    doc.source[..doc.body_offset].find(needle)
}

fn at_extra_key(doc: &Document, d: Diagnostic) -> Diagnostic {
    match front_matter_offset(doc, &format!("{SERVICE_KEY}:")) {
        Some(offset) => d.at_offset(&doc.source, offset),
        None => d,
    }
}

fn at_standard_key(doc: &Document, key: &str, d: Diagnostic) -> Diagnostic {
    let start = front_matter_offset(doc, "standar_pelayanan:").unwrap_or(0);
    match doc.source[start..doc.body_offset].find(&format!("{key}:")) {
        Some(offset) => d.at_offset(&doc.source, start + offset),
        None => d,
    }
}

/// An amount of money written in a text: `Rp5.000`, `Rp 5.000,00`, `Rp. 150000`.
#[derive(Debug, PartialEq)]
struct Amount {
    /// The whole amount, in digits only: `5000`.
    digits: String,
    /// Where it is written (bytes).
    start: usize,
    end: usize,
}

fn amounts(text: &str) -> Vec<Amount> {
    let bytes = text.as_bytes();
    let digits_at = |i: usize| {
        let n = bytes[i.min(bytes.len())..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        (n > 0).then_some(n)
    };
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("Rp").map(|i| from + i) {
        from = i + 2;
        if i > 0 && bytes[i - 1].is_ascii_alphanumeric() {
            continue;
        }
        let mut at = i + 2;
        if bytes.get(at) == Some(&b'.') {
            at += 1;
        }
        if bytes.get(at) == Some(&b' ') {
            at += 1;
        }
        let Some(n) = digits_at(at) else {
            continue;
        };
        let mut digits = text[at..at + n].to_string();
        at += n;
        // Thousands grouped with dots (`150.000`), then maybe cents (`,00`).
        while bytes.get(at) == Some(&b'.') && digits_at(at + 1) == Some(3) {
            digits.push_str(&text[at + 1..at + 4]);
            at += 4;
        }
        if bytes.get(at) == Some(&b',')
            && let Some(n) = digits_at(at + 1).filter(|&n| n <= 2)
        {
            at += 1 + n;
        }
        found.push(Amount {
            digits: digits.trim_start_matches('0').to_string(),
            start: i,
            end: at,
        });
        from = at;
    }
    found
}

pub mod fill;

#[cfg(test)]
mod tests;
