//! What templates see: the context of each page, section and list, and the page summaries
//! and section values shared between them (computed once per build).

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use crate::feeds::escape;
use crate::markdown::TocEntry;
use crate::service_standard::ServiceStandard;
use crate::site::{Document, Site};

mod language;

/// Template data shared by many outputs, computed once per build: each page's entry in
/// lists, and each section with its list (also served by `get_section`).
#[derive(Default)]
pub struct Listings {
    pub summaries: Vec<Value>,
    pub sections: Vec<Value>,
    /// Each language's name, home, menu and footer, by code.
    pub languages: HashMap<String, Value>,
}

/// One language version of the page being rendered, for `hreflang` links and the language
/// switcher.
#[derive(Serialize)]
struct VersionCtx<'a> {
    lang: &'a str,
    name: String,
    url: String,
    permalink: String,
    /// The page itself in that language; when false, `url` is that language's home page.
    translated: bool,
    current: bool,
}

/// Where each language's search page and A–Z index are, below its prefix.
pub const SEARCH_PATH: &str = "cari/";
pub const AZ_PATH: &str = "indeks/";

#[derive(Serialize, Clone)]
pub(crate) struct LinkCtx<'a> {
    pub(crate) title: &'a str,
    pub(crate) url: &'a str,
}

#[derive(Serialize)]
struct SubsectionCtx<'a> {
    title: &'a str,
    description: Option<&'a str>,
    url: &'a str,
}

#[derive(Serialize)]
struct TagRef<'a> {
    name: &'a str,
    slug: String,
    url: String,
}

#[derive(Serialize)]
struct Summary<'a> {
    title: &'a str,
    description: Option<&'a str>,
    url: &'a str,
    permalink: String,
    date: Option<String>,
    date_display: Option<String>,
    updated: Option<String>,
    updated_display: Option<String>,
    summary: String,
    tags: Vec<TagRef<'a>>,
    weight: Option<i64>,
    extra: &'a serde_yaml::Mapping,
}

#[derive(Serialize)]
pub(crate) struct PageCtx<'a> {
    #[serde(flatten)]
    summary: Summary<'a>,
    content: &'a str,
    toc: &'a [TocEntry],
    word_count: usize,
    reading_time: usize,
    standar_pelayanan: Option<&'a ServiceStandard>,
    /// The service a procedure page names (`extra.layanan`), whose standard it shows.
    layanan: Option<ServiceCtx<'a>>,
    json_ld: String,
    section: LinkCtx<'a>,
    lower: Option<LinkCtx<'a>>,
    higher: Option<LinkCtx<'a>>,
}

#[derive(Serialize)]
struct ServiceCtx<'a> {
    title: &'a str,
    url: &'a str,
    standar: &'a ServiceStandard,
}

#[derive(Serialize)]
struct SectionCtx<'a> {
    title: &'a str,
    description: Option<&'a str>,
    url: &'a str,
    permalink: String,
    content: &'a str,
    summary: String,
    extra: &'a serde_yaml::Mapping,
    pages: Vec<Value>,
    subsections: Vec<SubsectionCtx<'a>>,
    feed_url: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct TagCtx<'a> {
    pub(crate) name: &'a str,
    pub(crate) slug: &'a str,
    pub(crate) url: &'a str,
    pub(crate) pages: &'a [Value],
}

#[derive(Serialize)]
pub(crate) struct Paginator {
    pub(crate) current: usize,
    pub(crate) total: usize,
    pub(crate) pages: Vec<Value>,
    pub(crate) previous: Option<String>,
    pub(crate) next: Option<String>,
}

pub(crate) fn tag_url(site: &Site, slug: &str) -> String {
    format!("{}tag/{slug}/", site.config.base_path())
}

fn summary_of<'a>(site: &'a Site, doc: &'a Document) -> Summary<'a> {
    Summary {
        title: &doc.meta.title,
        description: doc.meta.description.as_deref(),
        url: &doc.url,
        permalink: site.config.permalink(&doc.url),
        date: doc.meta.date.as_ref().map(|d| d.iso()),
        date_display: doc.meta.date.as_ref().map(|d| site.i18n.date(&doc.lang, d)),
        updated: doc.meta.updated.as_ref().map(|d| d.iso()),
        updated_display: doc
            .meta
            .updated
            .as_ref()
            .map(|d| site.i18n.date(&doc.lang, d)),
        summary: match &doc.meta.summary {
            Some(text) => format!("<p>{}</p>", escape(text)),
            None => doc.rendered.summary.clone(),
        },
        tags: doc
            .meta
            .tags
            .iter()
            .map(|name| {
                let slug = crate::slug::slugify(name);
                TagRef {
                    name,
                    url: tag_url(site, &slug),
                    slug,
                }
            })
            .collect(),
        weight: doc.meta.weight,
        extra: &doc.meta.extra,
    }
}

impl Listings {
    pub fn build(site: &Site) -> Listings {
        let summaries: Vec<Value> = site
            .pages
            .par_iter()
            .map(|p| Value::from_serializable(&summary_of(site, &p.doc)))
            .collect();
        let mut listings = Listings {
            summaries,
            sections: Vec::new(),
            languages: site
                .config
                .codes()
                .map(|code| (code.to_string(), language::value(site, code)))
                .collect(),
        };
        listings.sections = (0..site.sections.len())
            .map(|i| listings.section_value(site, i))
            .collect();
        listings
    }

    /// Recomputes what depends on page `index` (after it was edited).
    pub fn refresh_page(&mut self, site: &Site, index: usize) {
        self.summaries[index] = Value::from_serializable(&summary_of(site, &site.pages[index].doc));
        for s in site.ancestry(site.pages[index].section) {
            self.sections[s] = self.section_value(site, s);
        }
    }

    pub fn refresh_section(&mut self, site: &Site, index: usize) {
        for s in site.ancestry(index) {
            self.sections[s] = self.section_value(site, s);
        }
    }

    fn section_value(&self, site: &Site, index: usize) -> Value {
        let section = &site.sections[index];
        let doc = &section.doc;
        let ctx = SectionCtx {
            title: &doc.meta.title,
            description: doc.meta.description.as_deref(),
            url: &doc.url,
            permalink: site.config.permalink(&doc.url),
            content: &doc.rendered.html,
            summary: doc.rendered.summary.clone(),
            extra: &doc.meta.extra,
            pages: section
                .pages
                .iter()
                .map(|&p| self.summaries[p].clone())
                .collect(),
            subsections: section
                .subsections
                .iter()
                .map(|&s| SubsectionCtx {
                    title: &site.sections[s].doc.meta.title,
                    description: site.sections[s].doc.meta.description.as_deref(),
                    url: &site.sections[s].doc.url,
                })
                .collect(),
            feed_url: doc.meta.feed.then(|| format!("{}atom.xml", doc.url)),
        };
        Value::from_serializable(&ctx)
    }

    /// The sections by content path, for the templates' `get_section` function.
    pub fn section_index(&self, site: &Site) -> HashMap<String, Value> {
        site.sections
            .iter()
            .zip(&self.sections)
            .map(|(s, v)| (s.doc.content_path.clone(), v.clone()))
            .collect()
    }
}

/// What every page's template sees: its address, trail and language, with the page in
/// the other languages (`doc` is `None` for pages not made from a file: tags, 404).
pub(crate) fn base_context(
    site: &Site,
    listings: &Listings,
    doc: Option<&Document>,
    url: &str,
    breadcrumbs: Vec<LinkCtx<'_>>,
) -> Context {
    let lang = doc.map_or(site.config.language.as_str(), |d| d.lang.as_str());
    let mut ctx = Context::new();
    ctx.insert("current_url", url);
    ctx.insert("canonical", &site.config.permalink(url));
    ctx.insert("breadcrumbs", &breadcrumbs);
    ctx.insert("lang", lang);
    ctx.insert("ui_lang", site.config.ui_language(lang));
    if let Some(language) = listings.languages.get(lang) {
        ctx.insert_value("language", language.clone());
    }
    let home = site.home_of(lang).unwrap_or(0);
    ctx.insert("home_url", &site.sections[home].doc.url);
    let translated = doc.map_or(&[][..], |d| site.translations_of(d));
    let versions: Vec<VersionCtx> = site
        .config
        .codes()
        .filter_map(|code| {
            let own = translated
                .iter()
                .map(|&t| site.doc(t))
                .find(|d| d.lang == code);
            let url = match own {
                Some(d) => d.url.clone(),
                None => site.sections[site.home_of(code)?].doc.url.clone(),
            };
            Some((code, url, own.is_some()))
        })
        .map(|(code, url, translated)| version(site, lang, code, url, translated))
        .collect();
    insert_versions(&mut ctx, &versions);
    ctx
}

/// The language `code` version of a page in `lang`, at `url`.
fn version<'a>(
    site: &Site,
    lang: &str,
    code: &'a str,
    url: String,
    translated: bool,
) -> VersionCtx<'a> {
    VersionCtx {
        lang: code,
        name: language::name(site, code),
        permalink: site.config.permalink(&url),
        url,
        translated,
        current: code == lang,
    }
}

/// One version is no choice: no switcher, no alternates.
fn insert_versions(ctx: &mut Context, versions: &[VersionCtx<'_>]) {
    if versions.len() > 1 {
        ctx.insert("versions", versions);
    } else {
        ctx.remove("versions");
    }
}

/// The context of a page made for each language (the search page, the A–Z index): in
/// `lang`, with its versions at `urls` (language code → URL).
pub(crate) fn language_page_context(
    site: &Site,
    listings: &Listings,
    lang: &str,
    url: &str,
    urls: &[(&str, String)],
) -> Context {
    let home = site.home_of(lang).unwrap_or(0);
    let home_doc = &site.sections[home].doc;
    let mut ctx = base_context(
        site,
        listings,
        Some(home_doc),
        url,
        vec![LinkCtx {
            title: &home_doc.meta.title,
            url: &home_doc.url,
        }],
    );
    let versions: Vec<VersionCtx> = urls
        .iter()
        .map(|(code, url)| version(site, lang, code, url.clone(), true))
        .collect();
    insert_versions(&mut ctx, &versions);
    ctx
}

pub(crate) fn crumbs(site: &Site, sections: Vec<usize>) -> Vec<LinkCtx<'_>> {
    sections
        .into_iter()
        .map(|s| LinkCtx {
            title: &site.sections[s].doc.meta.title,
            url: &site.sections[s].doc.url,
        })
        .collect()
}

pub(crate) fn page_context(site: &Site, index: usize) -> PageCtx<'_> {
    let page = &site.pages[index];
    let doc = &page.doc;
    let section = &site.sections[page.section];
    let position = section.pages.iter().position(|&p| p == index);
    let neighbour = |p: Option<usize>| {
        p.and_then(|p| section.pages.get(p)).map(|&p| LinkCtx {
            title: &site.pages[p].doc.meta.title,
            url: &site.pages[p].doc.url,
        })
    };
    PageCtx {
        summary: summary_of(site, doc),
        content: &doc.rendered.html,
        toc: &doc.rendered.toc,
        word_count: doc.rendered.word_count,
        // About 180 words a minute for an adult reading Indonesian on a phone.
        reading_time: doc.rendered.word_count.div_ceil(180).max(1),
        standar_pelayanan: doc.meta.standar_pelayanan.as_ref(),
        layanan: crate::facts::service_of(site, doc).map(|(service, standar)| ServiceCtx {
            title: &service.meta.title,
            url: &service.url,
            standar,
        }),
        json_ld: json_ld(site, doc),
        section: LinkCtx {
            title: &section.doc.meta.title,
            url: &section.doc.url,
        },
        lower: neighbour(position.and_then(|p| p.checked_sub(1))),
        higher: neighbour(position.map(|p| p + 1)),
    }
}

/// Structured data for search engines: a government service or an article, published by
/// the commission, with the breadcrumb trail.
fn json_ld(site: &Site, doc: &Document) -> String {
    let permalink = site.config.permalink(&doc.url);
    let publisher = serde_json::json!({
        "@type": "GovernmentOrganization",
        "name": site.config.title,
        "url": site.config.base_url,
    });
    let mut data = if doc.meta.standar_pelayanan.is_some() {
        serde_json::json!({
            "@context": "https://schema.org",
            "@type": "GovernmentService",
            "name": doc.meta.title,
            "url": permalink,
            "provider": publisher,
            "areaServed": {"@type": "AdministrativeArea", "name": "Nusa Tenggara Barat"},
        })
    } else {
        serde_json::json!({
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": doc.meta.title,
            "url": permalink,
            "mainEntityOfPage": permalink,
            "inLanguage": doc.lang,
            "publisher": publisher,
        })
    };
    if let Some(map) = data.as_object_mut() {
        if let Some(d) = &doc.meta.description {
            map.insert("description".into(), d.clone().into());
        }
        if let Some(d) = &doc.meta.date {
            map.insert("datePublished".into(), d.iso().into());
        }
        if let Some(d) = doc.meta.updated.as_ref().or(doc.meta.date.as_ref()) {
            map.insert("dateModified".into(), d.iso().into());
        }
    }
    // `</` cannot appear inside a script element.
    data.to_string().replace("</", "<\\/")
}
