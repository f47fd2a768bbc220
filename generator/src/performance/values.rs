//! What the templates read of the periods, in the language of the page's labels: numbers
//! written the way that language writes them (86,11 in Indonesian), "< 5" for hidden cells,
//! "–" for figures that do not exist (no respondents), and the charts' HTML.

use serde_json::{Value, json};

use forms_model::calendar::Day;
use forms_model::lang::Lang;
use forms_model::performance::skm::{ELEMENTS, Grade};
use forms_model::performance::{Cell, Figures, HIDDEN};

use super::charts::{self, Bar};
use super::{DIR, Performance, Period};

/// A number with `decimals`, in `lang`'s way.
fn number(v: f64, decimals: usize, lang: Lang) -> String {
    let text = format!("{v:.decimals$}");
    match lang {
        Lang::Id => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A cell as text: its number, "< 5", or "–" when absent.
fn shown(cell: Option<&Cell>, decimals: usize, lang: Lang) -> String {
    match cell {
        Some(Cell::Value(v)) => number(*v, decimals, lang),
        Some(Cell::Hidden) => HIDDEN.to_string(),
        None => "–".to_string(),
    }
}

/// A share (0 to 1) as a percentage.
fn percent(cell: Option<&Cell>, lang: Lang) -> String {
    match cell {
        Some(Cell::Value(v)) => format!("{}%", number(v * 100.0, 0, lang)),
        other => shown(other, 0, lang),
    }
}

/// The regulation's words for a grade.
pub fn grade_words(grade: Grade, lang: Lang) -> &'static str {
    match (grade, lang) {
        (g, Lang::Id) => g.performance(),
        (Grade::A, Lang::En) => "Very good",
        (Grade::B, Lang::En) => "Good",
        (Grade::C, Lang::En) => "Below good",
        (Grade::D, Lang::En) => "Not good",
    }
}

fn date(iso: &str, lang: Lang) -> String {
    Day::parse(iso).map_or_else(|| iso.to_string(), |d| lang.date(d))
}

/// One row of figures (a service's or the office's).
fn figures(f: &Figures, lang: Lang) -> Value {
    let r = &f.requests;
    let s = &f.survey;
    json!({
        "received": shown(Some(&r.received), 0, lang),
        "answered": shown(Some(&r.answered), 0, lang),
        "on_time": percent(r.on_time_share.as_ref(), lang),
        "days_median": shown(r.days_median.as_ref(), 1, lang),
        "days_p90": shown(r.days_p90.as_ref(), 0, lang),
        "late": shown(Some(&r.open_past_deadline), 0, lang),
        "respondents": shown(Some(&s.respondents), 0, lang),
        "index": shown(s.index.as_ref(), 2, lang),
        "weighted": shown(s.weighted.as_ref(), 4, lang),
        "grade": s.grade.map(Grade::letter),
        "grade_words": s.grade.map(|g| grade_words(g, lang)),
        "elements": (0..ELEMENTS.len()).map(|i| shown(s.elements.get(i), 2, lang)).collect::<Vec<_>>(),
    })
}

/// The bar of an index: its length, and its text with the grade.
fn index_bar(label: &str, f: &Figures, lang: Lang) -> Bar {
    let value = f.survey.index.as_ref().and_then(|c| c.value());
    Bar {
        label: label.to_string(),
        shown: match (value, f.survey.grade) {
            (Some(_), Some(g)) => format!(
                "{} ({})",
                shown(f.survey.index.as_ref(), 2, lang),
                g.letter()
            ),
            _ => shown(f.survey.index.as_ref(), 2, lang),
        },
        length: value.map(charts::index_length),
    }
}

/// The grades' boundaries on an index bar.
fn grade_marks() -> Vec<f64> {
    [65.0, 76.61, 88.31].map(charts::index_length).to_vec()
}

/// The title and address of a period's page in `lang` (or the default language's); the
/// dates for a period without a page.
fn page_of(performance: &Performance, p: &Period, lang: Lang) -> (String, String) {
    p.pages
        .get(lang.code())
        .or_else(|| p.pages.get(&performance.default_lang))
        .cloned()
        .unwrap_or_else(|| {
            (
                format!(
                    "{} – {}",
                    date(&p.report.from, lang),
                    date(&p.report.to, lang)
                ),
                String::new(),
            )
        })
}

/// A period as its page shows it.
pub fn period(performance: &Performance, p: &Period, lang: Lang) -> Value {
    let report = &p.report;
    let (title, url) = page_of(performance, p, lang);
    let services: Vec<Value> = report
        .services
        .iter()
        .map(|s| {
            let mut row = figures(&s.figures, lang);
            row["service"] = json!(s.service);
            row["title"] = json!(s.title);
            row["standard_days"] = json!(s.standard_days);
            row["follow_up"] = json!(p.follow_up.get(&s.service));
            row
        })
        .collect();
    let index_chart = charts::bars(
        "grafik-indeks",
        &report
            .services
            .iter()
            .map(|s| index_bar(&s.title, &s.figures, lang))
            .collect::<Vec<_>>(),
        &grade_marks(),
    );
    let on_time_chart = charts::bars(
        "grafik-tepat-waktu",
        &report
            .services
            .iter()
            .map(|s| {
                let share = s.figures.requests.on_time_share.as_ref();
                Bar {
                    label: s.title.clone(),
                    shown: percent(share, lang),
                    length: share.and_then(|c| c.value()).map(|v| v * 100.0),
                }
            })
            .collect::<Vec<_>>(),
        &[],
    );
    let ppid = &report.ppid;
    let row = |key: &str, cell: Option<&Cell>, decimals| json!({"key": key, "value": shown(cell, decimals, lang)});
    let mut ppid_rows = vec![
        row("ppid_received", Some(&ppid.received), 0),
        row("ppid_granted_full", Some(&ppid.granted_full), 0),
        row("ppid_granted_part", Some(&ppid.granted_part), 0),
        row("ppid_refused", Some(&ppid.refused), 0),
    ];
    ppid_rows.extend(ppid.refused_by_basis.iter().map(|(article, cell)| {
        json!({"key": "ppid_refused_by", "article": article, "value": shown(Some(cell), 0, lang)})
    }));
    ppid_rows.extend([
        row("ppid_forwarded", Some(&ppid.forwarded), 0),
        row("ppid_open", Some(&ppid.open), 0),
        row("ppid_days_median", ppid.days_median.as_ref(), 1),
        row("ppid_days_p90", ppid.days_p90.as_ref(), 0),
        row("ppid_objections", Some(&ppid.objections), 0),
        row(
            "ppid_objections_answered",
            Some(&ppid.objections_answered),
            0,
        ),
        row("ppid_objections_refused", Some(&ppid.objections_refused), 0),
        row(
            "ppid_objections_forwarded",
            Some(&ppid.objections_forwarded),
            0,
        ),
        row("ppid_objections_open", Some(&ppid.objections_open), 0),
    ]);
    json!({
        "id": p.id,
        "title": title,
        "url": url,
        "json_url": format!("{}{DIR}/{}.json", performance.base, p.id),
        "csv_url": format!("{}{DIR}/{}.csv", performance.base, p.id),
        "from": date(&report.from, lang),
        "to": date(&report.to, lang),
        "as_of": date(&report.as_of, lang),
        "office": figures(&report.office, lang),
        "services": services,
        "elements": ELEMENTS.iter().map(|(_, name)| *name).collect::<Vec<_>>(),
        "ppid": ppid_rows,
        "index_chart": index_chart,
        "on_time_chart": on_time_chart,
        "follow_up_office": p.follow_up.get("kantor"),
        "has_follow_up": !p.follow_up.is_empty(),
    })
}

/// Every period (newest first) and the office's index over time.
pub fn all(performance: &Performance, lang: Lang) -> Value {
    let periods: Vec<Value> = performance
        .periods
        .iter()
        .rev()
        .map(|p| period(performance, p, lang))
        .collect();
    let trend: Vec<(String, &Figures)> = performance
        .periods
        .iter()
        .zip(periods.iter().rev())
        .map(|(p, v)| {
            (
                v["title"].as_str().unwrap_or(&p.id).to_string(),
                &p.report.office,
            )
        })
        .collect();
    let trend_chart = charts::bars(
        "grafik-indeks",
        &trend
            .iter()
            .map(|(title, f)| index_bar(title, f, lang))
            .collect::<Vec<_>>(),
        &grade_marks(),
    );
    let trend_rows: Vec<Value> = trend
        .iter()
        .map(|(title, f)| {
            let mut row = figures(f, lang);
            row["title"] = json!(title);
            row
        })
        .collect();
    json!({
        "periods": periods,
        "latest": periods.first(),
        "trend_chart": trend_chart,
        "trend": trend_rows,
    })
}

/// The latest figures of the service whose page is at `url` (its last segment names the
/// service), for that page; `Null` before a first period.
pub fn service(performance: &Performance, url: &str, lang: Lang) -> Value {
    let slug = url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    let Some(p) = performance.periods.last() else {
        return Value::Null;
    };
    let Some(s) = p.report.services.iter().find(|s| s.service == slug) else {
        return Value::Null;
    };
    let (title, url) = page_of(performance, p, lang);
    let mut row = figures(&s.figures, lang);
    row["standard_days"] = json!(s.standard_days);
    row["follow_up"] = json!(p.follow_up.get(slug));
    row["period_title"] = json!(title);
    row["period_url"] = json!(url);
    row
}

/// The period whose page is at `url` (its last segment is the period's id).
pub fn at_url(performance: &Performance, url: &str, lang: Lang) -> Value {
    let id = url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    performance
        .periods
        .iter()
        .find(|p| p.id == id)
        .map_or(Value::Null, |p| period(performance, p, lang))
}
