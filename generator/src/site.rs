//! The site model: plain data about every section, page, tag and file, built by
//! `content::load`, rendered by `render`. No behaviour beyond lookups lives here.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use crate::config::SiteConfig;
use crate::front_matter::FrontMatter;
use crate::markdown::Rendered;

/// A Markdown source: a page or a section's `_index.md`.
#[derive(Debug, Clone)]
pub struct Document {
    /// Path from the site root, e.g. `content/layanan/paw.md`, for messages.
    pub file: PathBuf,
    /// Path inside `content/` with `/`, e.g. `layanan/paw.md`: what internal links name.
    pub content_path: String,
    /// The language of the page: the site's default, or the one its file name gives
    /// (`paw.en.md` is English).
    pub lang: String,
    /// The content path without the language (`layanan/paw.md` for `layanan/paw.en.md`):
    /// pages with the same key are translations of each other.
    pub key: String,
    /// Where the page sits in the tree of sections: its language's folder, then the key's
    /// path (`en/layanan/paw.md`); the content path for the default language.
    pub tree_path: String,
    /// The whole file, kept for messages that quote a line.
    pub source: String,
    pub body_offset: usize,
    pub meta: FrontMatter,
    /// Root-relative URL, e.g. `/layanan/paw/`.
    pub url: String,
    /// Output path of the HTML, e.g. `layanan/paw/index.html`.
    pub out_path: String,
    pub rendered: Rendered,
    /// Its front matter has errors (already reported): it is checked but not rendered.
    pub has_errors: bool,
}

impl Document {
    pub fn body(&self) -> &str {
        &self.source[self.body_offset..]
    }

    /// Points `d` at `span` of the body (a byte range of the Markdown), underlining the
    /// span's first line.
    pub fn at_span(
        &self,
        d: crate::diagnostic::Diagnostic,
        span: &std::ops::Range<usize>,
    ) -> crate::diagnostic::Diagnostic {
        let width = self.body()[span.clone()]
            .lines()
            .next()
            .unwrap_or("")
            .chars()
            .count();
        d.at_offset(&self.source, self.body_offset + span.start)
            .underline(width)
    }

    /// The folder links in this file are relative to, inside `content/` (`layanan/`).
    pub fn link_base(&self) -> &str {
        match self.content_path.rfind('/') {
            Some(i) => &self.content_path[..=i],
            None => "",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Page {
    pub doc: Document,
    /// Index of the section listing this page.
    pub section: usize,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub doc: Document,
    pub parent: Option<usize>,
    /// Pages in display order.
    pub pages: Vec<usize>,
    pub subsections: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub name: String,
    pub slug: String,
    /// Pages, newest first.
    pub pages: Vec<usize>,
}

/// What an internal link names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Page(usize),
    Section(usize),
}

#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    pub pages: Vec<Page>,
    /// `sections[0]` is the home page.
    pub sections: Vec<Section>,
    /// `layanan/paw.md` → the page or section.
    pub by_content_path: HashMap<String, Target>,
    /// Files in `content/` that are not Markdown, copied as they are: (source, output path).
    pub files: Vec<(PathBuf, String)>,
    pub tags: BTreeMap<String, Tag>,
    /// Markdown files whose front matter could not be read (already reported): links to
    /// them are not reported again as broken.
    pub unreadable: HashSet<String>,
    /// The theme's words in each language.
    pub i18n: std::sync::Arc<crate::i18n::I18n>,
    /// Pages and sections by their key, each with its translations (default language first).
    pub translations: HashMap<String, Vec<Target>>,
}

impl Site {
    pub fn doc(&self, target: Target) -> &Document {
        match target {
            Target::Page(i) => &self.pages[i].doc,
            Target::Section(i) => &self.sections[i].doc,
        }
    }

    pub fn doc_mut(&mut self, target: Target) -> &mut Document {
        match target {
            Target::Page(i) => &mut self.pages[i].doc,
            Target::Section(i) => &mut self.sections[i].doc,
        }
    }

    /// Every document, sections first.
    pub fn targets(&self) -> impl Iterator<Item = Target> + use<> {
        let sections = (0..self.sections.len()).map(Target::Section);
        let pages = (0..self.pages.len()).map(Target::Page);
        sections.chain(pages)
    }

    /// The chain of sections from the home page down to `section`, inclusive.
    /// The translations of a document, itself included, the default language first.
    pub fn translations_of(&self, doc: &Document) -> &[Target] {
        self.translations.get(&doc.key).map_or(&[], Vec::as_slice)
    }

    /// The home page of a language, if the site has one.
    pub fn home_of(&self, lang: &str) -> Option<usize> {
        if lang == self.config.language {
            return Some(0);
        }
        self.translations_of(&self.sections[0].doc)
            .iter()
            .find_map(|&t| match t {
                Target::Section(i) if self.sections[i].doc.lang == lang => Some(i),
                _ => None,
            })
    }

    /// The sections above a page of `lang` that belong in its trail: those in its language
    /// (or the default language's, when its language has no home page yet).
    pub fn trail(&self, section: usize, lang: &str) -> Vec<usize> {
        let shown = if self.home_of(lang).is_some() {
            lang
        } else {
            self.config.language.as_str()
        };
        self.ancestry(section)
            .into_iter()
            .filter(|&s| self.sections[s].doc.lang == shown)
            .collect()
    }

    pub fn ancestry(&self, section: usize) -> Vec<usize> {
        let mut chain = vec![section];
        let mut current = section;
        while let Some(parent) = self.sections[current].parent {
            chain.push(parent);
            current = parent;
        }
        chain.reverse();
        chain
    }
}
