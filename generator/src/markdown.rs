//! Markdown to HTML, once per page: the HTML, its summary, its table of contents, the ids
//! of its headings and every link it makes, for the link checker.
//!
//! Pure: no files, no site. Link destinations are rewritten by the caller's function.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::slug::slugify;

/// What a page's Markdown becomes.
#[derive(Debug, Default, Clone)]
pub struct Rendered {
    pub html: String,
    /// HTML of the part before `<!-- more -->`, or of the first paragraph.
    pub summary: String,
    pub toc: Vec<TocEntry>,
    /// Every heading id on the page, for checking `#anchor` links.
    pub ids: HashSet<String>,
    pub links: Vec<Link>,
    /// Every heading's level and byte range in the Markdown text, in order.
    pub headings: Vec<(u8, Range<usize>)>,
    pub word_count: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// A link or image found in the text, with its destination as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub dest: String,
    /// Byte range of the link in the Markdown text.
    pub span: Range<usize>,
    pub is_image: bool,
    /// Its text (a link's words, an image's description) is not blank.
    pub has_text: bool,
}

const SUMMARY_MARKER: &str = "<!-- more -->";

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `markdown`. `rewrite` maps a link destination to the URL to publish instead
/// (internal `.md` links become page URLs); `None` keeps it as written.
pub fn to_html(markdown: &str, rewrite: &dyn Fn(&str) -> Option<String>) -> Rendered {
    let mut events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(markdown, options())
        .into_offset_iter()
        .collect();
    let mut out = Rendered::default();

    assign_heading_ids(&mut events, &mut out);

    let texts: Vec<bool> = events
        .iter()
        .enumerate()
        .filter(|(_, (e, _))| matches!(e, Event::Start(Tag::Link { .. } | Tag::Image { .. })))
        .map(|(i, _)| has_text(&events[i + 1..]))
        .collect();
    let mut texts = texts.into_iter();
    let mut marker = None;
    for (i, (event, span)) in events.iter_mut().enumerate() {
        let is_image = matches!(event, Event::Start(Tag::Image { .. }));
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                out.links.push(Link {
                    dest: dest_url.to_string(),
                    span: span.clone(),
                    is_image,
                    has_text: texts.next().unwrap_or(true),
                });
                if let Some(url) = rewrite(dest_url) {
                    *dest_url = CowStr::from(url);
                }
            }
            Event::Text(text) => {
                out.word_count += text
                    .split_whitespace()
                    .filter(|w| w.chars().any(char::is_alphanumeric))
                    .count();
            }
            Event::Html(html) | Event::InlineHtml(html)
                if marker.is_none() && html.trim() == SUMMARY_MARKER =>
            {
                marker = Some(i);
            }
            _ => {}
        }
    }

    let summary_events = match marker {
        Some(end) => &events[..end],
        None => first_paragraph(&events),
    };
    pulldown_cmark::html::push_html(
        &mut out.summary,
        summary_events
            .iter()
            .filter(|(e, _)| !matches!(e, Event::FootnoteReference(_)))
            .map(|(e, _)| e.clone()),
    );

    out.html.reserve(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(
        &mut out.html,
        wrap_tables(events.into_iter().map(|(e, _)| e)),
    );
    out
}

/// Wide tables scroll inside their own box instead of widening the page on a phone.
fn wrap_tables<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    events.flat_map(|event| {
        let (before, after) = match &event {
            Event::Start(Tag::Table(_)) => (Some("<div class=\"table-scroll\">"), None),
            Event::End(TagEnd::Table) => (None, Some("</div>")),
            _ => (None, None),
        };
        before
            .map(|h| Event::Html(h.into()))
            .into_iter()
            .chain(std::iter::once(event))
            .chain(after.map(|h| Event::Html(h.into())))
    })
}

/// The first paragraph that has words (a paragraph holding only an image is skipped).
fn first_paragraph<'a, 'e>(
    events: &'a [(Event<'e>, Range<usize>)],
) -> &'a [(Event<'e>, Range<usize>)] {
    let mut start = None;
    for (i, (event, _)) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::Paragraph) => start = Some(i),
            Event::End(TagEnd::Paragraph) => {
                if let Some(s) = start.take()
                    && has_words_outside_images(&events[s..i])
                {
                    return &events[s..=i];
                }
            }
            _ => {}
        }
    }
    &[]
}

fn has_words_outside_images(events: &[(Event<'_>, Range<usize>)]) -> bool {
    let mut images = 0usize;
    for (event, _) in events {
        match event {
            Event::Start(Tag::Image { .. }) => images += 1,
            Event::End(TagEnd::Image) => images = images.saturating_sub(1),
            Event::Text(t) if images == 0 && !t.trim().is_empty() => return true,
            _ => {}
        }
    }
    false
}

/// Does the link or image starting before `events` have text before it ends?
fn has_text(events: &[(Event<'_>, Range<usize>)]) -> bool {
    let mut depth = 0;
    for (event, _) in events {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(TagEnd::Link | TagEnd::Image) if depth == 0 => return false,
            Event::End(_) => depth -= 1,
            Event::Text(t) | Event::Code(t) if !t.trim().is_empty() => return true,
            // An image inside a link gives the link its text (its description).
            Event::InlineHtml(_) => return true,
            _ => {}
        }
    }
    false
}

/// Gives every heading an id (its own `{#id}`, or a slug of its text, made unique) and
/// builds the table of contents.
fn assign_heading_ids(events: &mut [(Event<'_>, Range<usize>)], out: &mut Rendered) {
    let mut flat: Vec<TocEntry> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let Event::Start(Tag::Heading { level, id, .. }) = &events[i].0 else {
            i += 1;
            continue;
        };
        let level = heading_number(*level);
        out.headings.push((level, events[i].1.clone()));
        let mut title = String::new();
        let mut j = i + 1;
        while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
            if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                title.push_str(t);
            }
            j += 1;
        }
        let wanted = match id {
            Some(id) => id.to_string(),
            None => {
                let slug = slugify(&title);
                if slug.is_empty() {
                    "bagian".to_string()
                } else {
                    slug
                }
            }
        };
        let mut unique = wanted.clone();
        let mut n = 1;
        while out.ids.contains(&unique) {
            unique = format!("{wanted}-{n}");
            n += 1;
        }
        out.ids.insert(unique.clone());
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[i].0 {
            *id = Some(CowStr::from(unique.clone()));
        }
        if level > 1 {
            flat.push(TocEntry {
                level,
                id: unique,
                title,
                children: Vec::new(),
            });
        }
        i = j;
    }
    out.toc = nest(flat);
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Turns a flat list of headings into a tree: each heading holds the deeper ones after it.
fn nest(flat: Vec<TocEntry>) -> Vec<TocEntry> {
    fn insert(list: &mut Vec<TocEntry>, entry: TocEntry) {
        match list.last_mut() {
            Some(last) if last.level < entry.level => insert(&mut last.children, entry),
            _ => list.push(entry),
        }
    }
    let mut roots = Vec::new();
    for entry in flat {
        insert(&mut roots, entry);
    }
    roots
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(md: &str) -> Rendered {
        to_html(md, &|_| None)
    }

    #[test]
    fn gives_headings_indonesian_friendly_unique_ids() {
        let r =
            render("## Yang Perlu Disiapkan?\n\n## Yang perlu disiapkan\n\n### Biaya {#tarif}\n");
        assert!(
            r.html.contains(r#"<h2 id="yang-perlu-disiapkan">"#),
            "{}",
            r.html
        );
        assert!(r.html.contains(r#"<h2 id="yang-perlu-disiapkan-1">"#));
        assert!(r.html.contains(r#"<h3 id="tarif">"#));
        assert_eq!(r.toc.len(), 2);
        assert_eq!(r.toc[1].children[0].id, "tarif");
    }

    #[test]
    fn supports_tables_footnotes_strikethrough_tasks_and_smart_quotes() {
        let r = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\nTeks[^1] ~~lama~~ \"baru\" -- ok\n\n- [x] selesai\n\n[^1]: Catatan.\n",
        );
        for needle in [
            "<table>",
            "table-scroll",
            "<del>lama</del>",
            "“baru”",
            "–",
            "checkbox",
            "footnote-definition",
        ] {
            assert!(r.html.contains(needle), "missing {needle} in {}", r.html);
        }
    }

    #[test]
    fn summary_is_the_part_before_more_or_the_first_paragraph() {
        let r = render("Satu.\n\nDua.\n\n<!-- more -->\n\nTiga.\n");
        assert_eq!(r.summary, "<p>Satu.</p>\n<p>Dua.</p>\n");
        let r = render("# Judul\n\n![foto](a.png)\n\nPertama.\n\nKedua.\n");
        assert_eq!(r.summary, "<p>Pertama.</p>\n");
    }

    #[test]
    fn rewrites_links_and_records_where_they_are() {
        let md = "Lihat [PAW](@/layanan/paw.md#syarat) dan ![foto](a.png).";
        let r = to_html(md, &|d| {
            d.starts_with("@/")
                .then(|| "/layanan/paw/#syarat".to_string())
        });
        assert!(
            r.html.contains(r#"href="/layanan/paw/#syarat""#),
            "{}",
            r.html
        );
        assert_eq!(r.links.len(), 2);
        assert_eq!(
            &md[r.links[0].span.clone()],
            "[PAW](@/layanan/paw.md#syarat)"
        );
        assert!(r.links[1].is_image);
    }

    #[test]
    fn counts_words() {
        assert_eq!(render("Satu dua *tiga*.").word_count, 3);
    }
}
