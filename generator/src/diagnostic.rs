//! Editor-facing messages: what is wrong, where (file, line, column), and how to fix it.
//!
//! Rendered like a compiler's, so an editor sees the offending line with a caret under it.
//! The format is hand-written (a dozen lines) rather than taken from a crate, so its exact
//! text is ours to pin in tests.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::t;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    /// To fix before publishing: `--strict` refuses a site with any.
    Warning,
    /// Said for the editor's information, such as a draft left out of the site: never
    /// fails a build, `--strict` included.
    Note,
}

impl Severity {
    /// The word that starts a diagnostic, in the editor's language.
    pub fn label(self) -> String {
        match self {
            Severity::Error => t!("report.label.error"),
            Severity::Warning => t!("report.label.warning"),
            Severity::Note => t!("report.label.note"),
        }
    }
}

/// One problem found in the site's sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, e.g. `content/layanan/paw.md`.
    pub file: PathBuf,
    /// 1-based line and column, when known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// How many characters the caret underlines (at least one).
    pub width: usize,
    pub message: String,
    /// The offending source line, shown under the location.
    pub source_line: Option<String>,
    /// What to do about it.
    pub help: Option<String>,
    /// Text shown verbatim after the message (used for reports that format themselves,
    /// such as tera's).
    pub detail: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            column: None,
            width: 1,
            message: message.into(),
            source_line: None,
            help: None,
            detail: None,
        }
    }

    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(file, message)
        }
    }

    pub fn note(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Note,
            ..Self::error(file, message)
        }
    }

    /// Points at a line and column of `source` (the whole file's text), showing that line.
    pub fn at(mut self, source: &str, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column.max(1));
        self.source_line = source
            .lines()
            .nth(line.saturating_sub(1))
            .map(|l| l.trim_end().to_string());
        self
    }

    /// Points at a byte offset of `source`.
    pub fn at_offset(self, source: &str, offset: usize) -> Self {
        let (line, column) = line_column(source, offset);
        self.at(source, line, column)
    }

    pub fn underline(mut self, width: usize) -> Self {
        self.width = width.max(1);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn is_warning(&self) -> bool {
        self.severity == Severity::Warning
    }

    fn sort_key(&self) -> (&Path, usize, usize, &str) {
        (
            &self.file,
            self.line.unwrap_or(0),
            self.column.unwrap_or(0),
            &self.message,
        )
    }
}

/// Orders diagnostics by file, line and column so reports read top to bottom and stay stable
/// whatever order the parallel stages finished in.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(source, offset.min(source.len()));
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = source[line_start..offset].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}: {}", self.severity.label(), self.message)?;
        let file = self.file.display();
        let gutter = self.line.map_or(1, |l| l.to_string().len());
        let pad = " ".repeat(gutter);
        match (self.line, self.column) {
            (Some(line), Some(column)) => writeln!(f, "{pad}--> {file}:{line}:{column}")?,
            (Some(line), None) => writeln!(f, "{pad}--> {file}:{line}")?,
            _ => writeln!(f, "{pad}--> {file}")?,
        }
        if let (Some(line), Some(text)) = (self.line, &self.source_line) {
            let column = self.column.unwrap_or(1);
            let indent: String = text
                .chars()
                .take(column - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(f, "{pad} |")?;
            writeln!(f, "{line} | {text}")?;
            writeln!(f, "{pad} | {indent}{}", "^".repeat(self.width))?;
        }
        if let Some(detail) = &self.detail {
            for l in detail.lines() {
                writeln!(f, "{pad} | {l}")?;
            }
        }
        if let Some(help) = &self.help {
            writeln!(f, "{pad} = {}: {help}", t!("report.label.help"))?;
        }
        Ok(())
    }
}

/// Suggests the closest of `candidates` to a misspelt `word`, if one is close enough to be
/// what the editor meant.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    did_you_mean_within(word, candidates, |c| 2.max(c.len() / 3))
}

/// Like [`did_you_mean`], with the largest edit distance allowed for each candidate.
pub fn did_you_mean_within<'a>(
    word: &str,
    candidates: &[&'a str],
    allowed: impl Fn(&str) -> usize,
) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), *c))
        .filter(|(distance, c)| *distance <= allowed(c))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_line_and_caret() {
        let source = "---\ntitel: PAW\n---\n";
        let d = Diagnostic::error("content/paw.md", "unknown front matter key `titel`")
            .at(source, 2, 1)
            .underline(5)
            .help("did you mean `title`?");
        assert_eq!(
            d.to_string(),
            "error: unknown front matter key `titel`\n --> content/paw.md:2:1\n  |\n2 | titel: PAW\n  | ^^^^^\n  = help: did you mean `title`?\n"
        );
    }

    #[test]
    fn counts_columns_in_characters_not_bytes() {
        assert_eq!(line_column("é\nab", 4), (2, 2));
        assert_eq!(line_column("aé", 2), (1, 2));
    }

    #[test]
    fn suggests_title_for_titel_and_nothing_for_nonsense() {
        let keys = ["title", "tags", "date"];
        assert_eq!(did_you_mean("titel", &keys), Some("title"));
        assert_eq!(did_you_mean("zzzzzzzz", &keys), None);
    }
}
