//! The library's error type: I/O faults that name their path, and failed builds that carry
//! every diagnostic found.

use std::fmt;
use std::path::PathBuf;

use crate::diagnostic::Diagnostic;
use crate::t;

#[derive(Debug)]
pub enum Error {
    /// A filesystem call failed; `action` says what we tried (`read`, `write`, ...).
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    /// The site has errors; all of them are here, sorted by file and line.
    Site(Vec<Diagnostic>),
    /// Anything else, in a sentence.
    Message(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { action, path, .. } => {
                let path = path.display();
                f.write_str(&match *action {
                    "write" => t!("report.io.write", path = path),
                    "create directory" => t!("report.io.create_directory", path = path),
                    "copy" => t!("report.io.copy", path = path),
                    "remove" => t!("report.io.remove", path = path),
                    "list" => t!("report.io.list", path = path),
                    _ => t!("report.io.read", path = path),
                })
            }
            Error::Site(diagnostics) => {
                let errors = diagnostics.iter().filter(|d| d.is_error()).count();
                let plural = |n: usize| if n == 1 { "" } else { "s" };
                f.write_str(&if errors == 0 {
                    // Only `--strict` fails a build on warnings alone.
                    let n = diagnostics.iter().filter(|d| d.is_warning()).count();
                    t!("report.summary.strict", n = n, s = plural(n))
                } else {
                    t!("report.summary.errors", n = errors, s = plural(errors))
                })
            }
            Error::Message(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
