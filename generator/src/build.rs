//! The build pipeline, stage by stage: settings → content → Markdown → links → templates →
//! files. Nothing is written here; `output::write` does that.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::assets::{self, StaticFiles};
use crate::config::{self, CONFIG_FILE};
use crate::content;
use crate::context::Listings;
use crate::diagnostic::{self, Diagnostic};
use crate::error::{Error, Result};
use crate::feeds;
use crate::forms;
use crate::links::{self, FileIndex};
use crate::markdown::{self, Rendered};
use crate::output::{Contents, OutputFile};
use crate::render::{self, RenderOptions};
use crate::site::{Document, Site, Target};
use crate::t;
use crate::templates::{self, TemplateData, Templates};

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The folder holding `content/` and `templates/`.
    pub root: PathBuf,
    /// Overrides `base_url` of `site.yaml`.
    pub base_url: Option<String>,
    /// Includes pages marked `draft: true`.
    pub drafts: bool,
    /// Treats warnings (such as placeholders still to confirm) as errors.
    pub strict: bool,
    /// Also checks the syntax of external links.
    pub check_external: bool,
    /// Adds the live-reload script to every page (`serve`).
    pub live_reload: bool,
    /// Where the forms post instead of site.yaml's `forms.endpoint` (`serve`: its own).
    pub forms_endpoint: Option<String>,
    /// Also writes `_headers` and `_redirects` for Netlify and Cloudflare Pages.
    pub host_files: bool,
    /// Writes the search page, the A–Z index and the search index (when the theme has
    /// `search.html`).
    pub search: bool,
    /// Lists every warning, instead of the first few of a kind that comes many times.
    pub all_warnings: bool,
}

/// A finished build, ready to be written (or served).
pub struct Built {
    pub site: Site,
    pub templates: Templates,
    pub listings: Listings,
    pub static_files: StaticFiles,
    pub files: FileIndex,
    pub outputs: Vec<OutputFile>,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: std::time::Duration,
}

/// Builds the whole site in memory. On failure the error carries every diagnostic, warnings
/// included, sorted by file and line.
pub fn build(options: &BuildOptions) -> Result<Built> {
    let started = Instant::now();
    let root = options.root.as_path();
    if !root.join(content::CONTENT_DIR).is_dir() {
        return Err(Error::Message(t!(
            "build.no_content",
            root = root.display()
        )));
    }
    let mut diagnostics = Vec::new();
    let sources = read_sources(options, &mut diagnostics);
    let Some(Sources {
        mut site,
        templates,
        static_files,
        forms,
    }) = sources
    else {
        return Err(failed(diagnostics));
    };
    render_all_markdown(&mut site);
    let files = file_index(&site, &static_files);
    diagnostics.extend(check_links(&site, &files, options.check_external));
    // A theme with errors was reported; the content's own mistakes are reported with it.
    let Some(mut templates) = templates else {
        return Err(failed(diagnostics));
    };

    let endpoint = forms::endpoint(&site.config, options.forms_endpoint.as_deref());
    let performance = crate::performance::load(root, &site, &mut diagnostics);
    let listings = Listings::build(&site);
    templates.prepare(
        TemplateData {
            sections: listings.section_index(&site),
            forms: forms::render_all(&forms, &endpoint),
            strings: std::sync::Arc::clone(&site.i18n),
            endpoint: endpoint.clone(),
            performance: std::sync::Arc::new(performance),
            site_url: site.config.base_url.clone(),
        },
        &globals(&site, &static_files),
    );
    let mut outputs = render_pages(options, &site, &templates, &listings, &mut diagnostics);
    outputs.extend(static_files.files.iter().cloned());
    outputs.extend(site.files.iter().map(|(source, path)| OutputFile {
        path: path.clone(),
        contents: Contents::Copy(root.join(source)),
    }));
    outputs.extend(generated_files(&site));
    outputs.extend(crate::offline::worker(&site, &static_files));
    outputs.extend(crate::admin::files(&site, &static_files));
    outputs.extend(crate::performance::outputs(&templates.data().performance));
    outputs.extend(alias_pages(&site, &mut diagnostics));
    if options.host_files {
        outputs.extend(crate::hosting::files(&site, &endpoint));
    }
    check_collisions(&outputs, &mut diagnostics);
    if diagnostics
        .iter()
        .any(|d| d.is_error() || (options.strict && d.is_warning()))
    {
        return Err(failed(diagnostics));
    }
    diagnostic::sort(&mut diagnostics);
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Built {
        site,
        templates,
        listings,
        static_files,
        files,
        outputs,
        warnings: diagnostics,
        elapsed: started.elapsed(),
    })
}

/// A failed build's error: every diagnostic, sorted.
fn failed(mut diagnostics: Vec<Diagnostic>) -> Error {
    diagnostic::sort(&mut diagnostics);
    Error::Site(diagnostics)
}

/// What a build reads before it renders.
struct Sources {
    site: Site,
    /// `None` when the theme has errors (reported).
    templates: Option<Templates>,
    static_files: StaticFiles,
    forms: std::collections::BTreeMap<String, forms_model::schema::Form>,
}

/// Reads the settings, the words, the content and the theme (those two in parallel), the
/// static files and the forms; `None` when the settings cannot be read.
fn read_sources(options: &BuildOptions, diagnostics: &mut Vec<Diagnostic>) -> Option<Sources> {
    let root = options.root.as_path();
    let config = config::load(root, options.base_url.as_deref(), diagnostics)?;
    let i18n = crate::i18n::load(root, &config, diagnostics);
    let (mut site, (templates, template_diagnostics)) = rayon::join(
        || content::load(root, config, options.drafts, diagnostics),
        || {
            let mut d = Vec::new();
            (templates::load(root, &mut d), d)
        },
    );
    diagnostics.extend(template_diagnostics);
    site.i18n = std::sync::Arc::new(i18n);
    let base_path = site.config.base_path().to_string();
    let static_files = assets::collect(root, &base_path, diagnostics);
    let forms = forms::load(root, &site.config, diagnostics);
    if !forms.is_empty() {
        forms::check_holidays(root, forms_model::calendar::Day::today(), diagnostics);
    }
    crate::facts::check_forms(root, &site, &forms, diagnostics);
    // An endpoint still to confirm is listed with the other placeholders; none at all is
    // worth its own warning.
    if !forms.is_empty() && site.config.forms.endpoint.is_none() && options.forms_endpoint.is_none()
    {
        diagnostics.push(
            Diagnostic::warning(
                CONFIG_FILE,
                t!(
                    "build.forms_local_endpoint",
                    endpoint = config::LOCAL_FORMS_ENDPOINT
                ),
            )
            .help(t!("build.forms_local_endpoint.help")),
        );
    }
    resolve_menu(root, &mut site, diagnostics);
    Some(Sources {
        site,
        templates,
        static_files,
        forms,
    })
}

/// Every page, list and tag page, then (when asked and the theme has a search page) the
/// search pages and the search index.
fn render_pages(
    options: &BuildOptions,
    site: &Site,
    templates: &Templates,
    listings: &Listings,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<OutputFile> {
    diagnostics.extend(render::check_templates(site, templates));
    let jobs = render::all_jobs(site);
    let render_options = RenderOptions {
        live_reload: options.live_reload,
    };
    let (mut outputs, render_diagnostics) =
        render::render(site, templates, listings, &jobs, render_options);
    diagnostics.extend(render_diagnostics);
    if options.search && crate::search::enabled(templates) {
        let (pages, d) = crate::search::pages(site, templates, listings);
        outputs.extend(pages);
        diagnostics.extend(d);
        if !diagnostics.iter().any(Diagnostic::is_error) {
            match crate::search::index(site, &outputs) {
                Ok(files) => outputs.extend(files),
                Err(d) => diagnostics.push(d),
            }
        }
    }
    outputs
}

/// Renders one document's Markdown, rewriting its internal links to URLs.
pub fn render_markdown(site: &Site, doc: &Document) -> Rendered {
    let mut rendered = markdown::to_html(doc.body(), &|dest| {
        links::rewrite(site, doc.link_base(), dest)
    });
    rendered.html = crate::facts::fill::fill(site, doc, &rendered.html);
    rendered.summary = crate::facts::fill::fill(site, doc, &rendered.summary);
    rendered
}

fn render_all_markdown(site: &mut Site) {
    let targets: Vec<Target> = site.targets().collect();
    let rendered: Vec<Rendered> = targets
        .par_iter()
        .map(|&t| render_markdown(site, site.doc(t)))
        .collect();
    for (t, r) in targets.into_iter().zip(rendered) {
        site.doc_mut(t).rendered = r;
    }
}

pub fn file_index(site: &Site, static_files: &StaticFiles) -> FileIndex {
    FileIndex {
        content: site
            .files
            .iter()
            .map(|(source, _)| {
                source
                    .strip_prefix(content::CONTENT_DIR)
                    .unwrap_or(source)
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect(),
        published: site
            .files
            .iter()
            .map(|(_, out)| out.clone())
            .chain(static_files.urls.keys().cloned())
            .chain(static_files.files.iter().map(|f| f.path.clone()))
            .collect(),
    }
}

pub fn check_links(site: &Site, files: &FileIndex, check_external: bool) -> Vec<Diagnostic> {
    let targets: Vec<Target> = site.targets().collect();
    targets
        .par_iter()
        .flat_map_iter(|&t| {
            let mut d = Vec::new();
            links::check(site, site.doc(t), files, check_external, &mut d);
            crate::lint::check(site, site.doc(t), &mut d);
            crate::facts::check(site, site.doc(t), &mut d);
            d
        })
        .collect()
}

/// Menu entries may name a source file (`@/layanan/_index.md`); they become URLs. The
/// languages' menus and footers too.
fn resolve_menu(root: &Path, site: &mut Site, diagnostics: &mut Vec<Diagnostic>) {
    let mut source = None;
    let mut menus: Vec<&mut Vec<config::MenuItem>> = vec![&mut site.config.menu];
    for language in &mut site.config.languages {
        menus.push(&mut language.menu);
        menus.push(&mut language.footer);
    }
    for item in menus.into_iter().flatten() {
        let Some(path) = item.url.strip_prefix("@/") else {
            continue;
        };
        match site.by_content_path.get(path) {
            Some(&t) => {
                item.url = match t {
                    crate::site::Target::Page(i) => site.pages[i].doc.url.clone(),
                    crate::site::Target::Section(i) => site.sections[i].doc.url.clone(),
                }
            }
            None => {
                let text = source.get_or_insert_with(|| {
                    std::fs::read_to_string(root.join(CONFIG_FILE)).unwrap_or_default()
                });
                let offset = text.find(&item.url).unwrap_or(0);
                diagnostics.push(
                    Diagnostic::error(CONFIG_FILE, t!("build.menu.missing", path = path))
                        .at_offset(text, offset)
                        .underline(item.url.chars().count())
                        .help(t!("build.menu.missing.help")),
                );
            }
        }
    }
}

/// What every template sees: the site's settings, its home and the theme's asset URLs.
pub fn globals(site: &Site, static_files: &StaticFiles) -> Vec<(&'static str, tera::Value)> {
    vec![
        ("site", tera::Value::from_serializable(&site.config)),
        ("home_url", tera::Value::from(site.config.base_path())),
        ("assets", tera::Value::from_serializable(&static_files.urls)),
    ]
}

/// `sitemap.xml`, `robots.txt` and the Atom feeds.
pub fn generated_files(site: &Site) -> Vec<OutputFile> {
    let base = site.config.base_path();
    let mut extra_urls: Vec<String> = Vec::new();
    if !site.tags.is_empty() {
        extra_urls.push(format!("{base}tag/"));
        extra_urls.extend(site.tags.keys().map(|slug| format!("{base}tag/{slug}/")));
    }
    let mut files = vec![
        OutputFile::html("sitemap.xml".into(), feeds::sitemap(site, &extra_urls)),
        OutputFile::html("robots.txt".into(), feeds::robots(site)),
    ];
    for (i, section) in site.sections.iter().enumerate() {
        if section.doc.meta.feed {
            let path = format!(
                "{}atom.xml",
                section.doc.out_path.trim_end_matches("index.html")
            );
            files.push(OutputFile::html(path, feeds::atom(site, i)));
        }
    }
    files
}

fn alias_pages(site: &Site, diagnostics: &mut Vec<Diagnostic>) -> Vec<OutputFile> {
    let mut files = Vec::new();
    for target in site.targets() {
        let doc = site.doc(target);
        for alias in &doc.meta.aliases {
            match feeds::alias_path(alias) {
                Some(path) => files.push(OutputFile::html(
                    path,
                    feeds::redirect(&site.config.permalink(&doc.url)),
                )),
                None => {
                    let offset = doc.source.find(alias.as_str()).unwrap_or(0);
                    diagnostics.push(
                        Diagnostic::error(&doc.file, t!("build.alias.invalid", alias = alias))
                            .at_offset(&doc.source, offset)
                            .underline(alias.chars().count())
                            .help(t!("build.alias.invalid.help")),
                    );
                }
            }
        }
    }
    files
}

fn check_collisions(outputs: &[OutputFile], diagnostics: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(outputs.len());
    for (i, file) in outputs.iter().enumerate() {
        if seen.insert(&file.path, i).is_some() {
            diagnostics.push(
                Diagnostic::error("content", t!("build.collision", path = file.path))
                    .help(t!("build.collision.help")),
            );
        }
    }
}
