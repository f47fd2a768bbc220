//! Charts drawn at build time: one row per item, its label and value in HTML (so text keeps
//! the page's size on a phone and in print) and its bar in a small SVG that stretches to the
//! row. A chart is a picture of the table that follows it: it is hidden from screen readers,
//! which read the table.

use std::fmt::Write as _;

use forms_model::html::escape;

/// One bar: the label, the value's text, and where the bar ends (0 to 100), if it has one.
pub struct Bar {
    pub label: String,
    pub shown: String,
    pub length: Option<f64>,
}

/// Bars on a common scale, with thin marks (0 to 100) such as the grades' boundaries.
pub fn bars(class: &str, bars: &[Bar], marks: &[f64]) -> String {
    let mut html = format!("<div class=\"grafik {class}\" aria-hidden=\"true\">\n");
    for bar in bars {
        let _ = write!(
            html,
            "<div class=\"grafik-baris\"><span class=\"grafik-label\">{}</span><svg class=\"grafik-batang\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" focusable=\"false\">",
            escape(&bar.label)
        );
        html.push_str("<rect class=\"grafik-latar\" x=\"0\" y=\"0\" width=\"100\" height=\"10\"/>");
        if let Some(length) = bar.length {
            let _ = write!(
                html,
                "<rect class=\"grafik-isi\" x=\"0\" y=\"0\" width=\"{:.2}\" height=\"10\"/>",
                length.clamp(0.0, 100.0)
            );
        }
        for mark in marks {
            let _ = write!(
                html,
                "<line class=\"grafik-tanda\" x1=\"{mark:.2}\" y1=\"0\" x2=\"{mark:.2}\" y2=\"10\"/>"
            );
        }
        let _ = writeln!(
            html,
            "</svg><span class=\"grafik-nilai\">{}</span></div>",
            escape(&bar.shown)
        );
    }
    html.push_str("</div>\n");
    html
}

/// Where an index (25 to 100) ends on the bar.
pub fn index_length(index: f64) -> f64 {
    (index - 25.0) / 75.0 * 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_ends_at_its_value_and_text_is_escaped() {
        let html = bars(
            "uji",
            &[
                Bar {
                    label: "A & B".into(),
                    shown: "86,11 (B)".into(),
                    length: Some(index_length(86.11)),
                },
                Bar {
                    label: "C".into(),
                    shown: "< 5".into(),
                    length: None,
                },
            ],
            &[index_length(88.31)],
        );
        assert!(html.contains("A &amp; B"), "{html}");
        assert!(html.contains("width=\"81.48\""), "{html}");
        assert!(html.contains("&lt; 5"), "{html}");
        assert_eq!(
            html.matches("grafik-isi").count(),
            1,
            "no bar for a hidden value"
        );
        assert!(html.contains("x1=\"84.41\""), "{html}");
        assert!(html.starts_with("<div class=\"grafik uji\" aria-hidden=\"true\">"));
    }
}
