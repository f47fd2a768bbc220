//! No input panics the generator's parsers: every prefix of every fixture file, and many
//! deterministic byte-level mutations of them, go through front matter, site settings and
//! Markdown, and at worst produce diagnostics.

use std::path::{Path, PathBuf};

use generator::{config, front_matter, markdown};

fn fixture_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/sites")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md" || e == "yaml") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn exercise(text: &str) {
    let file = Path::new("content/x.md");
    let mut diagnostics = Vec::new();
    if let Ok(split) = front_matter::split(file, text) {
        let _ = front_matter::parse(file, text, &split, false, &mut diagnostics);
        let _ = front_matter::placeholders(split.yaml, split.yaml_line);
        let _ = markdown::to_html(split.body, &|d| Some(d.to_uppercase()));
    }
    let _ = config::parse(Path::new("content/site.yaml"), text, None, &mut diagnostics);
    for d in &diagnostics {
        let _ = d.to_string();
    }
}

/// xorshift64: a fixed sequence, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn every_prefix_of_every_fixture_file_is_handled() {
    let files = fixture_files();
    assert!(files.len() > 20, "fixtures not found");
    for path in files {
        let text = std::fs::read_to_string(&path).expect("read");
        for (i, _) in text.char_indices() {
            exercise(&text[..i]);
        }
    }
}

#[test]
fn mutated_fixture_files_are_handled() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let inserts: [&[u8]; 10] = [
        b"\n", b"---\n", b":", b"  ", b"\t", b"{", b"[", b"\"", b"](@/", b"\xff",
    ];
    for path in fixture_files() {
        let original = std::fs::read(&path).expect("read");
        for _ in 0..200 {
            let mut bytes = original.clone();
            for _ in 0..(1 + rng.next() % 4) {
                let at = (rng.next() as usize) % (bytes.len() + 1);
                match rng.next() % 3 {
                    0 if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    1 => {
                        let piece = inserts[(rng.next() as usize) % inserts.len()];
                        bytes.splice(at..at, piece.iter().copied());
                    }
                    _ if at < bytes.len() => bytes[at] = rng.next() as u8,
                    _ => {}
                }
            }
            exercise(&String::from_utf8_lossy(&bytes));
        }
    }
}
