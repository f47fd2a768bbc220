//! Files made without templates: `sitemap.xml`, `robots.txt`, Atom feeds, and the redirect
//! pages of `aliases`.

use std::fmt::Write as _;

use crate::site::{Document, Site};

pub use forms_model::html::escape;

fn lastmod(doc: &Document) -> Option<String> {
    doc.meta
        .updated
        .as_ref()
        .or(doc.meta.date.as_ref())
        .map(|d| d.iso())
}

/// Every section and page, with its last change where the front matter gives one, and its
/// versions in other languages (`xhtml:link` alternates, itself included).
pub fn sitemap(site: &Site, extra_urls: &[String]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    let docs = site
        .sections
        .iter()
        .map(|s| &s.doc)
        .chain(site.pages.iter().map(|p| &p.doc));
    type Entry = (String, Option<String>, Vec<(String, String)>);
    let mut entries: Vec<Entry> = docs
        .map(|d| {
            let versions = site.translations_of(d);
            let alternates = if versions.len() > 1 {
                versions
                    .iter()
                    .map(|&t| {
                        let v = site.doc(t);
                        (v.lang.clone(), site.config.permalink(&v.url))
                    })
                    .collect()
            } else {
                Vec::new()
            };
            (site.config.permalink(&d.url), lastmod(d), alternates)
        })
        .chain(
            extra_urls
                .iter()
                .map(|u| (site.config.permalink(u), None, Vec::new())),
        )
        .collect();
    entries.sort();
    for (loc, lastmod, alternates) in entries {
        let _ = write!(xml, "  <url>\n    <loc>{}</loc>\n", escape(&loc));
        if let Some(date) = lastmod {
            let _ = writeln!(xml, "    <lastmod>{date}</lastmod>");
        }
        for (lang, href) in alternates {
            let _ = writeln!(
                xml,
                "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                escape(&lang),
                escape(&href)
            );
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

pub fn robots(site: &Site) -> String {
    let base = site.config.base_path();
    // The content editor is for the office's staff, not for search engines.
    let editor = if site.config.cms.is_some() {
        format!("Disallow: {base}{}\n", crate::admin::DIR)
    } else {
        String::new()
    };
    format!(
        "User-agent: *\nAllow: /\n{editor}\nSitemap: {}\n",
        site.config.permalink(&format!("{base}sitemap.xml"))
    )
}

/// Most recent entries an Atom feed carries.
const FEED_LIMIT: usize = 20;

/// The Atom feed of section `index`: its newest pages, with their summaries.
pub fn atom(site: &Site, index: usize) -> String {
    let section = &site.sections[index];
    let mut pages: Vec<&Document> = section.pages.iter().map(|&p| &site.pages[p].doc).collect();
    pages.sort_by(|a, b| {
        b.meta
            .date
            .cmp(&a.meta.date)
            .then_with(|| a.url.cmp(&b.url))
    });
    pages.truncate(FEED_LIMIT);
    let updated = pages
        .iter()
        .filter_map(|d| d.meta.updated.as_ref().or(d.meta.date.as_ref()))
        .max()
        .map(|d| d.rfc3339())
        .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".into());
    let self_url = site
        .config
        .permalink(&format!("{}atom.xml", section.doc.url));
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n  <title>{title}</title>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{self_url}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{alt}\"/>\n  <id>{alt}</id>\n  <updated>{updated}</updated>\n  <author><name>{author}</name></author>\n",
        lang = escape(&section.doc.lang),
        title = escape(&format!(
            "{} – {}",
            section.doc.meta.title, site.config.title
        )),
        self_url = escape(&self_url),
        alt = escape(&site.config.permalink(&section.doc.url)),
        author = escape(&site.config.title),
    );
    for doc in pages {
        let link = escape(&site.config.permalink(&doc.url));
        let published = doc.meta.date.as_ref().map(|d| d.rfc3339());
        let changed = doc
            .meta
            .updated
            .as_ref()
            .map(|d| d.rfc3339())
            .or(published.clone())
            .unwrap_or_else(|| updated.clone());
        let _ = write!(
            xml,
            "  <entry>\n    <title>{}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n    <id>{link}</id>\n    <updated>{changed}</updated>\n",
            escape(&doc.meta.title)
        );
        if let Some(p) = published {
            let _ = writeln!(xml, "    <published>{p}</published>");
        }
        let summary = doc
            .meta
            .summary
            .clone()
            .map_or_else(|| doc.rendered.summary.clone(), |s| escape(&s));
        let _ = write!(
            xml,
            "    <summary type=\"html\">{}</summary>\n  </entry>\n",
            escape(&summary)
        );
    }
    xml.push_str("</feed>\n");
    xml
}

/// A page that sends visitors (and search engines) from an old address to `permalink`.
pub fn redirect(permalink: &str) -> String {
    let url = escape(permalink);
    format!(
        "<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n<title>Halaman dipindahkan</title>\n<link rel=\"canonical\" href=\"{url}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n<p>Halaman ini telah dipindahkan ke <a href=\"{url}\">{url}</a>.</p>\n</body>\n</html>\n"
    )
}

/// Output path of an alias: `/paw/` → `paw/index.html`, `/lama.html` → `lama.html`.
pub fn alias_path(alias: &str) -> Option<String> {
    let path = alias.trim().trim_start_matches('/');
    if path.is_empty() || path.contains("..") || path.contains("://") {
        return None;
    }
    let last = path.rsplit('/').next().unwrap_or(path);
    Some(if path.ends_with('/') {
        format!("{path}index.html")
    } else if last.contains('.') {
        path.to_string()
    } else {
        format!("{path}/index.html")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_paths_become_folders_or_files() {
        assert_eq!(alias_path("/paw/").as_deref(), Some("paw/index.html"));
        assert_eq!(
            alias_path("/layanan/paw").as_deref(),
            Some("layanan/paw/index.html")
        );
        assert_eq!(alias_path("/lama.html").as_deref(), Some("lama.html"));
        assert_eq!(alias_path("/"), None);
        assert_eq!(alias_path("/../etc/"), None);
    }

    #[test]
    fn redirect_pages_escape_the_target() {
        let html = redirect("https://a.example/x/?a=1&b=\"2\"");
        assert!(html.contains("url=https://a.example/x/?a=1&amp;b=&quot;2&quot;"));
    }
}
