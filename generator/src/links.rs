//! Links written in Markdown: which page or file they name, the URL they publish as, and
//! whether they lead anywhere.

use std::collections::HashSet;

use crate::content::url_path;
use crate::diagnostic::{Diagnostic, did_you_mean, did_you_mean_within};
use crate::site::{Document, Site, Target};
use crate::t;

/// What a link destination names.
#[derive(Debug, PartialEq, Eq)]
pub enum Dest<'a> {
    /// A Markdown file inside `content/` (`layanan/paw.md`), maybe with a `#heading`.
    Document {
        path: String,
        fragment: Option<&'a str>,
    },
    /// A heading of the same page.
    Fragment(&'a str),
    /// A file inside `content/` named relative to the page (`foto.jpg`).
    ContentFile(String),
    /// A root-relative path with a file extension (`/gambar/logo.png`).
    RootFile(&'a str),
    /// `https:`, `mailto:`... links.
    External(&'a str),
    /// A relative path outside `content/` (too many `..`).
    Outside(&'a str),
    /// Anything else (`/layanan/`): left as written.
    Other,
}

/// Classifies `dest` written in a file whose folder inside `content/` is `base` (`layanan/`).
pub fn classify<'a>(dest: &'a str, base: &str) -> Dest<'a> {
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    if let Some(rest) = path.strip_prefix("@/") {
        return match normalize("", rest) {
            Some(path) => Dest::Document { path, fragment },
            None => Dest::Outside(dest),
        };
    }
    if path.is_empty() {
        return fragment.map_or(Dest::Other, Dest::Fragment);
    }
    if has_scheme(path) || path.starts_with("//") {
        return Dest::External(dest);
    }
    let path = path.split('?').next().unwrap_or(path);
    let has_extension = path
        .rsplit('/')
        .next()
        .is_some_and(|name| name.contains('.'));
    if let Some(rooted) = path.strip_prefix('/') {
        return if has_extension && !path.ends_with(".html") {
            Dest::RootFile(rooted)
        } else {
            Dest::Other
        };
    }
    if !has_extension {
        return Dest::Other;
    }
    match normalize(base, path) {
        Some(p) if p.ends_with(".md") => Dest::Document { path: p, fragment },
        Some(p) => Dest::ContentFile(p),
        None => Dest::Outside(dest),
    }
}

fn has_scheme(s: &str) -> bool {
    match s.find(':') {
        Some(i) if i > 0 => {
            let scheme = &s[..i];
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        _ => false,
    }
}

/// Joins `base` and a relative `path`, resolving `.` and `..`; `None` if it climbs out.
fn normalize(base: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// The URL to publish for `dest`, when it differs from what was written.
pub fn rewrite(site: &Site, base: &str, dest: &str) -> Option<String> {
    match classify(dest, base) {
        Dest::Document { path, fragment } => {
            let target = site.by_content_path.get(&path)?;
            let url = &site.doc(*target).url;
            Some(match fragment {
                Some(f) => format!("{url}#{f}"),
                None => url.clone(),
            })
        }
        Dest::ContentFile(path) => {
            let dir = url_path(&format!(
                "{}/_index.md",
                path.rsplit_once('/').map_or("", |(d, _)| d)
            ));
            let name = path.rsplit('/').next().unwrap_or(&path);
            Some(format!("{}{dir}{name}", site.config.base_path()))
        }
        _ => None,
    }
}

/// The files a link may name.
#[derive(Debug, Default)]
pub struct FileIndex {
    /// Non-Markdown files inside `content/`, as `berita/rapat/foto.jpg`.
    pub content: HashSet<String>,
    /// Every published file path (without the base path), as `gambar/logo.png`.
    pub published: HashSet<String>,
}

/// Checks every link of `doc`: pages, headings and files must exist; with
/// `check_external`, external URLs must be well formed.
pub fn check(
    site: &Site,
    doc: &Document,
    files: &FileIndex,
    check_external: bool,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for link in &doc.rendered.links {
        let at = |message: String| doc.at_span(Diagnostic::error(&doc.file, message), &link.span);
        match classify(&link.dest, doc.link_base()) {
            Dest::Document { path, .. } if site.unreadable.contains(&path) => {}
            Dest::Document { path, fragment } => match site.by_content_path.get(&path) {
                None => {
                    let keys: Vec<&str> = site.by_content_path.keys().map(String::as_str).collect();
                    let d = at(t!("links.no_page", path = path));
                    diagnostics.push(match suggest_page(&path, &keys) {
                        Some(page) => d.help(t!("links.no_page.did_you_mean", page = page)),
                        None => d.help(t!("links.no_page.help")),
                    });
                }
                Some(&target) => {
                    if let Some(fragment) = fragment {
                        check_fragment(site, target, fragment, &path, diagnostics, &at);
                    }
                }
            },
            Dest::Fragment(fragment) => {
                if !doc.rendered.ids.contains(fragment) {
                    let ids: Vec<&str> = doc.rendered.ids.iter().map(String::as_str).collect();
                    let d = at(t!("links.no_heading_here", fragment = fragment));
                    diagnostics.push(help_for_heading(d, fragment, &ids));
                }
            }
            Dest::ContentFile(_) if looks_like_a_web_address(&link.dest) => {
                let dest = &link.dest;
                diagnostics.push(
                    at(t!("links.web_address", dest = dest))
                        .help(t!("links.web_address.help", dest = dest)),
                );
            }
            Dest::ContentFile(path) => {
                if !files.content.contains(&path) {
                    let message = if link.is_image {
                        t!("links.missing_file.image", path = path)
                    } else {
                        t!("links.missing_file.link", path = path)
                    };
                    diagnostics.push(at(message).help(t!("links.missing_file.help")));
                }
            }
            Dest::RootFile(path) => {
                let path = path
                    .strip_prefix(site.config.base_path().trim_start_matches('/'))
                    .unwrap_or(path);
                if !files.published.contains(path) {
                    let message = if link.is_image {
                        t!("links.not_published.image", path = path)
                    } else {
                        t!("links.not_published.link", path = path)
                    };
                    diagnostics.push(at(message).help(t!("links.not_published.help")));
                }
            }
            Dest::Outside(dest) => {
                let message = if link.is_image {
                    t!("links.outside.image", dest = dest)
                } else {
                    t!("links.outside.link", dest = dest)
                };
                diagnostics.push(at(message).help(t!("links.outside.help")));
            }
            Dest::External(url) if check_external => {
                if let Err(problem) = check_external_syntax(url) {
                    let message = if link.is_image {
                        t!("links.malformed.image", url = url, problem = problem)
                    } else {
                        t!("links.malformed.link", url = url, problem = problem)
                    };
                    diagnostics.push(at(message).help(t!("links.malformed.help")));
                }
            }
            Dest::External(_) | Dest::Other => {}
        }
    }
}

/// Is `dest` a web address written without its scheme (`lapor.go.id`, `www.kpu.go.id/x`)?
/// Its first part ends in a domain ending that is no file type.
fn looks_like_a_web_address(dest: &str) -> bool {
    const ENDINGS: [&str; 10] = [
        "id", "com", "org", "net", "gov", "info", "int", "edu", "co", "io",
    ];
    let host = dest.split(['/', '?', '#']).next().unwrap_or(dest);
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && labels
            .last()
            .is_some_and(|tld| ENDINGS.contains(&tld.to_ascii_lowercase().as_str()))
}

/// The page an editor probably meant: one with the same file name elsewhere (a page that
/// moved), or a near miss of the whole path (paths share long prefixes, so only a near one).
fn suggest_page<'a>(path: &str, pages: &[&'a str]) -> Option<&'a str> {
    let name = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
    let wanted = name(path);
    let mut same_name: Vec<&str> = pages
        .iter()
        .copied()
        .filter(|p| name(p) == wanted && wanted != "_index.md")
        .collect();
    same_name.sort_unstable();
    same_name
        .first()
        .copied()
        .or_else(|| did_you_mean_within(path, pages, |_| 2))
}

fn check_fragment(
    site: &Site,
    target: Target,
    fragment: &str,
    path: &str,
    diagnostics: &mut Vec<Diagnostic>,
    at: &dyn Fn(String) -> Diagnostic,
) {
    let ids = &site.doc(target).rendered.ids;
    if !ids.contains(fragment) {
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let d = at(t!(
            "links.no_heading_there",
            path = path,
            fragment = fragment
        ));
        diagnostics.push(help_for_heading(d, fragment, &ids));
    }
}

fn help_for_heading(d: Diagnostic, fragment: &str, ids: &[&str]) -> Diagnostic {
    match did_you_mean(fragment, ids) {
        Some(heading) => d.help(t!("links.heading.did_you_mean", heading = heading)),
        None if ids.is_empty() => d.help(t!("links.heading.none")),
        None => {
            let mut ids = ids.to_vec();
            ids.sort_unstable();
            let headings = ids
                .iter()
                .map(|i| format!("#{i}"))
                .collect::<Vec<_>>()
                .join(", ");
            d.help(t!("links.heading.list", headings = headings))
        }
    }
}

/// Checks the shape of an external URL (no network).
pub fn check_external_syntax(url: &str) -> Result<(), String> {
    if url.chars().any(|c| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '\\' | '^' | '`')
    }) {
        return Err(t!("links.url.characters"));
    }
    let url = url
        .strip_prefix("//")
        .map_or(url.to_string(), |r| format!("https://{r}"));
    let (scheme, rest) = url
        .split_once(':')
        .ok_or_else(|| t!("links.url.no_scheme"))?;
    match scheme.to_ascii_lowercase().as_str() {
        "http" | "https" => {
            let rest = rest
                .strip_prefix("//")
                .ok_or_else(|| t!("links.url.slashes"))?;
            let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
            let host_port = authority.rsplit('@').next().unwrap_or_default();
            let (host, port) = match host_port.rsplit_once(':') {
                Some((h, p)) if !h.ends_with(']') || host_port.starts_with('[') => (h, Some(p)),
                _ => (host_port, None),
            };
            if let Some(port) = port
                && (port.is_empty()
                    || !port.chars().all(|c| c.is_ascii_digit())
                    || port.parse::<u16>().is_err())
            {
                return Err(t!("links.url.port", port = port));
            }
            if host.starts_with('[') && host.ends_with(']') {
                return Ok(());
            }
            let labels_ok = host.split('.').all(|l| {
                !l.is_empty()
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
            if host.is_empty() || !labels_ok {
                return Err(t!("links.url.host", host = host));
            }
            if !host.contains('.') && host != "localhost" {
                return Err(t!("links.url.no_domain", host = host));
            }
            Ok(())
        }
        "mailto" => {
            let address = rest.split('?').next().unwrap_or_default();
            match address.split_once('@') {
                Some((local, domain))
                    if !local.is_empty() && domain.contains('.') && !domain.ends_with('.') =>
                {
                    Ok(())
                }
                _ => Err(t!("links.url.email", address = address)),
            }
        }
        "tel" => {
            if !rest.is_empty()
                && rest
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | '(' | ')'))
            {
                Ok(())
            } else {
                Err(t!("links.url.phone", number = rest))
            }
        }
        other => {
            let known = ["http", "https", "mailto", "tel"];
            match did_you_mean(other, &known) {
                Some(suggestion) => Err(t!(
                    "links.url.scheme.did_you_mean",
                    scheme = other,
                    known = suggestion
                )),
                None if matches!(other, "ftp" | "sms" | "geo" | "whatsapp") => Ok(()),
                None => Err(t!("links.url.scheme", scheme = other)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_internal_relative_and_external_links() {
        assert_eq!(
            classify("@/layanan/paw.md#syarat", "berita/"),
            Dest::Document {
                path: "layanan/paw.md".into(),
                fragment: Some("syarat")
            }
        );
        assert_eq!(
            classify("../layanan/paw.md", "berita/"),
            Dest::Document {
                path: "layanan/paw.md".into(),
                fragment: None
            }
        );
        assert_eq!(
            classify("foto.jpg", "berita/rapat/"),
            Dest::ContentFile("berita/rapat/foto.jpg".into())
        );
        assert_eq!(classify("#biaya", "x/"), Dest::Fragment("biaya"));
        assert_eq!(
            classify("https://kpu.go.id", ""),
            Dest::External("https://kpu.go.id")
        );
        assert_eq!(
            classify("mailto:ppid@example.go.id", ""),
            Dest::External("mailto:ppid@example.go.id")
        );
        assert_eq!(
            classify("/gambar/logo.png", ""),
            Dest::RootFile("gambar/logo.png")
        );
        assert_eq!(classify("/layanan/", ""), Dest::Other);
        assert_eq!(classify("../../x.md", "a/"), Dest::Outside("../../x.md"));
    }

    #[test]
    fn suggests_a_moved_page_or_a_near_miss() {
        let pages = ["profil/kontak.md", "layanan/paw.md", "layanan/_index.md"];
        assert_eq!(suggest_page("kontak.md", &pages), Some("profil/kontak.md"));
        assert_eq!(
            suggest_page("layanan/pau.md", &pages),
            Some("layanan/paw.md")
        );
        assert_eq!(suggest_page("berita/_index.md", &pages), None);
    }

    #[test]
    fn accepts_well_formed_external_urls() {
        for url in [
            "https://cekdptonline.kpu.go.id/",
            "http://localhost:8080/a?b=c#d",
            "https://[::1]:443/",
            "mailto:ppid@kpu.example?subject=Halo",
            "tel:+62-370-000",
        ] {
            assert_eq!(check_external_syntax(url), Ok(()), "{url}");
        }
    }

    #[test]
    fn rejects_malformed_external_urls() {
        for (url, problem) in [
            ("https://kpu go.id", "spaces"),
            ("https:/kpu.go.id", "`//` must follow"),
            ("https://kpu", "has no domain"),
            ("https://kpu..go.id", "not a valid host"),
            ("https://kpu.go.id:80a/", "not a port"),
            ("htps://kpu.go.id", "did you mean `https:`"),
            ("mailto:ppid", "not an email"),
        ] {
            let err = check_external_syntax(url).expect_err(url);
            assert!(err.contains(problem), "{url}: {err}");
        }
    }
}
