//! How a build's diagnostics are shown: errors first, in full; then warnings and notes,
//! those of a kind that comes many times folded into a few examples and a count (the
//! portal's hundreds of values to confirm would otherwise bury its one real error); then
//! the counts. In a terminal the labels are coloured.

use std::collections::HashMap;
use std::io::IsTerminal;

use crate::diagnostic::{Diagnostic, Severity};
use crate::t;

/// A kind shown in full up to this many times; beyond, its first [`EXAMPLES`] and a count.
const FOLD_AFTER: usize = 5;
const EXAMPLES: usize = 3;

/// How to show the diagnostics.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// List every warning and note, none folded (`--all-warnings`).
    pub all: bool,
    /// Colour the labels (a terminal that allows it).
    pub colour: bool,
}

impl Style {
    /// For standard error: coloured when it is a terminal and `NO_COLOR` is not set.
    pub fn for_stderr(all: bool) -> Self {
        Style {
            all,
            colour: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }
}

/// What a diagnostic is about, without its particulars: its message up to the first `:`,
/// `` ` ``, `;` or `(`, numbers left out. "value to confirm before publishing: jumlah
/// petugas" is of the kind "value to confirm before publishing".
pub fn kind(d: &Diagnostic) -> String {
    let head = d
        .message
        .split([':', '`', ';', '('])
        .next()
        .unwrap_or(&d.message);
    let mut kind = String::new();
    for c in head.trim().chars() {
        if c.is_ascii_digit() {
            if !kind.ends_with('#') {
                kind.push('#');
            }
        } else {
            kind.push(c);
        }
    }
    kind
}

/// The diagnostics as they are shown (each followed by a blank line), errors first.
pub fn render(diagnostics: &[Diagnostic], style: Style) -> String {
    let mut ordered: Vec<(&Diagnostic, (Severity, String))> = diagnostics
        .iter()
        .map(|d| (d, (d.severity, kind(d))))
        .collect();
    // Stable: within a severity, the order given (by file and line).
    ordered.sort_by_key(|(d, _)| d.severity);
    let mut counts: HashMap<&(Severity, String), usize> = HashMap::new();
    for (_, key) in &ordered {
        *counts.entry(key).or_default() += 1;
    }
    let mut shown: HashMap<&(Severity, String), usize> = HashMap::new();
    let mut out = String::new();
    let mut folded: Vec<(&str, usize)> = Vec::new();
    for (d, key) in &ordered {
        let total = counts[key];
        let seen = shown.entry(key).or_default();
        *seen += 1;
        let fold = !style.all && d.severity != Severity::Error && total > FOLD_AFTER;
        if fold && *seen > EXAMPLES {
            if *seen == total {
                folded.push((&key.1, total - EXAMPLES));
            }
            continue;
        }
        out.push_str(&paint(&d.to_string(), d.severity, style.colour));
        out.push('\n');
    }
    for (kind, more) in folded {
        out.push_str(&t!("report.folded", more = more, kind = kind));
        out.push_str("\n\n");
    }
    out
}

/// Colours the label that starts a rendered diagnostic.
fn paint(text: &str, severity: Severity, colour: bool) -> String {
    if !colour {
        return text.to_string();
    }
    let code = match severity {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Note => "1;36",
    };
    let label = severity.label();
    match text.strip_prefix(&label) {
        Some(rest) => format!("\x1b[{code}m{label}\x1b[0m{rest}"),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warning(message: &str) -> Diagnostic {
        Diagnostic::warning("content/site.yaml", message)
    }

    #[test]
    fn errors_come_first_and_a_frequent_kind_is_folded() {
        let mut diagnostics: Vec<Diagnostic> = (1..=7)
            .map(|n| warning(&format!("value to confirm before publishing: fakta {n}")))
            .collect();
        diagnostics.push(warning(
            "the description is 172 characters long; a search result shows about 160",
        ));
        diagnostics.push(Diagnostic::error(
            "content/x.md",
            "broken link: there is no page `content/y.md`",
        ));
        let text = render(&diagnostics, Style::default());
        assert!(text.starts_with("error: broken link"), "{text}");
        assert_eq!(
            text.matches("value to confirm before publishing").count(),
            4,
            "{text}"
        );
        assert!(
            text.contains("fakta 3") && !text.contains("fakta 4"),
            "{text}"
        );
        assert!(text.contains(
            "... and 4 more of \"value to confirm before publishing\" (`--all-warnings` lists them all)"
        ));
        assert!(text.contains("the description is 172"), "{text}");
        let all = render(
            &diagnostics,
            Style {
                all: true,
                colour: false,
            },
        );
        assert!(all.contains("fakta 7") && !all.contains("more of"), "{all}");
    }

    #[test]
    fn kinds_leave_out_the_particulars() {
        assert_eq!(
            kind(&warning(
                "value to confirm before publishing: jumlah petugas"
            )),
            "value to confirm before publishing"
        );
        assert_eq!(
            kind(&warning(
                "the description is 172 characters long; a search result shows"
            )),
            "the description is # characters long"
        );
        assert_eq!(
            kind(&warning("unknown front matter key `titel`")),
            "unknown front matter key"
        );
    }

    #[test]
    fn labels_are_coloured_only_when_asked() {
        let d = Diagnostic::error("content/x.md", "broken link");
        let coloured = render(
            std::slice::from_ref(&d),
            Style {
                all: false,
                colour: true,
            },
        );
        assert!(
            coloured.starts_with("\x1b[1;31merror\x1b[0m: broken link"),
            "{coloured:?}"
        );
        assert!(render(&[d], Style::default()).starts_with("error: broken link"));
    }
}
