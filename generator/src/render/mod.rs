//! Turns the site model into HTML with the theme's templates: one job per page, section
//! (with its pagination), tag page and the 404 page, rendered in parallel.

use rayon::prelude::*;
use tera::{Context, Value};

use crate::context::{Listings, Paginator, TagCtx, base_context, crumbs, page_context, tag_url};
use crate::diagnostic::Diagnostic;
use crate::output::OutputFile;
use crate::site::Site;
use crate::t;
use crate::templates::Templates;

mod choice;

pub use choice::check_templates;
use choice::{page_template, section_template};

/// One unit of rendering.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Job {
    Section(usize),
    Page(usize),
    TagIndex,
    Tag(String),
    NotFound,
}

/// Every job of a full build.
pub fn all_jobs(site: &Site) -> Vec<Job> {
    let mut jobs: Vec<Job> = (0..site.sections.len()).map(Job::Section).collect();
    jobs.extend((0..site.pages.len()).map(Job::Page));
    if !site.tags.is_empty() {
        jobs.push(Job::TagIndex);
        jobs.extend(site.tags.keys().cloned().map(Job::Tag));
    }
    jobs.push(Job::NotFound);
    jobs
}

/// How rendering behaves.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// Adds the live-reload script (for `serve` only).
    pub live_reload: bool,
}

/// Renders `jobs`; returns the files and the problems met (template errors are grouped so
/// one mistake in a shared template is reported once, not once per page).
pub fn render(
    site: &Site,
    templates: &Templates,
    listings: &Listings,
    jobs: &[Job],
    options: RenderOptions,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let results: Vec<(Vec<OutputFile>, Option<Failure>)> = jobs
        .par_iter()
        .map(
            |job| match render_job(site, templates, listings, job, options) {
                Ok(files) => (files, None),
                Err(failure) => (Vec::new(), Some(failure)),
            },
        )
        .collect();

    let mut files = Vec::with_capacity(results.len());
    let mut grouped: Vec<(Diagnostic, Vec<String>)> = Vec::new();
    for (f, failure) in results {
        files.extend(f);
        if let Some((d, what)) = failure {
            match grouped.iter_mut().find(|(g, _)| *g == d) {
                Some((_, whats)) => whats.push(what),
                None => grouped.push((d, vec![what])),
            }
        }
    }
    let diagnostics = grouped
        .into_iter()
        .map(|(d, whats)| {
            let others = whats.len() - 1;
            let what = &whats[0];
            let note = if others == 0 {
                t!("render.while", what = what)
            } else {
                let s = if others == 1 { "" } else { "s" };
                t!("render.while.others", what = what, others = others, s = s)
            };
            match &d.help {
                Some(_) => d.detail(note),
                None => d.help(note),
            }
        })
        .collect();
    (files, diagnostics)
}

/// What went wrong, and while rendering what.
type Failure = (Diagnostic, String);

/// What every job reads.
#[derive(Clone, Copy)]
struct Inputs<'a> {
    site: &'a Site,
    templates: &'a Templates,
    listings: &'a Listings,
    options: RenderOptions,
}

impl<'a> Inputs<'a> {
    fn parts(self) -> (&'a Site, &'a Templates, &'a Listings, RenderOptions) {
        (self.site, self.templates, self.listings, self.options)
    }
}

fn render_job(
    site: &Site,
    templates: &Templates,
    listings: &Listings,
    job: &Job,
    options: RenderOptions,
) -> Result<Vec<OutputFile>, Failure> {
    let inputs = Inputs {
        site,
        templates,
        listings,
        options,
    };
    match job {
        Job::Page(i) => render_page(inputs, *i),
        Job::Section(i) => render_section(inputs, *i),
        Job::TagIndex => render_tag_index(inputs),
        Job::Tag(slug) => render_tag(inputs, slug),
        Job::NotFound => render_not_found(inputs),
    }
}

fn render_page(inputs: Inputs<'_>, i: usize) -> Result<Vec<OutputFile>, Failure> {
    let (site, templates, listings, options) = inputs.parts();
    let page = &site.pages[i];
    let doc = &page.doc;
    if doc.has_errors {
        return Ok(Vec::new());
    }
    let what = doc.file.display().to_string();
    // A missing template was reported by `check_templates`.
    let Ok(name) = page_template(site, i, templates) else {
        return Ok(Vec::new());
    };
    let mut ctx = base_context(
        site,
        listings,
        Some(doc),
        &doc.url,
        crumbs(site, site.trail(page.section, &doc.lang)),
    );
    ctx.insert("page", &page_context(site, i));
    ctx.insert(
        "search_section",
        &site.sections[page.section].doc.meta.title,
    );
    let html = render_one(templates, &name, &ctx, options, site.config.base_path())
        .map_err(|d| (d, what))?;
    Ok(vec![OutputFile::html(doc.out_path.clone(), html)])
}

fn render_section(inputs: Inputs<'_>, i: usize) -> Result<Vec<OutputFile>, Failure> {
    let (site, templates, listings, options) = inputs.parts();
    let section = &site.sections[i];
    let doc = &section.doc;
    if doc.has_errors {
        return Ok(Vec::new());
    }
    let what = doc.file.display().to_string();
    let name = section_template(i, doc);
    if !templates.has(&name) {
        return Ok(Vec::new());
    }
    let ancestors = section
        .parent
        .map(|p| site.trail(p, &doc.lang))
        .unwrap_or_default();
    let items: Vec<Value> = section
        .pages
        .iter()
        .map(|&p| listings.summaries[p].clone())
        .collect();
    let list = List {
        template: &name,
        items: &items,
        per_page: doc.meta.paginate_by.unwrap_or(usize::MAX),
        url: &doc.url,
        out_dir: doc.out_path.trim_end_matches("index.html"),
    };
    paginate(&list, templates, options, site.config.base_path(), |url| {
        let mut ctx = base_context(
            site,
            listings,
            Some(doc),
            url,
            crumbs(site, ancestors.clone()),
        );
        ctx.insert_value("section", listings.sections[i].clone());
        ctx.insert("search_section", &doc.meta.title);
        ctx
    })
    .map_err(|d| (d, what))
}

fn render_tag_index(inputs: Inputs<'_>) -> Result<Vec<OutputFile>, Failure> {
    let (site, templates, listings, options) = inputs.parts();
    let base = site.config.base_path();
    let url = format!("{base}tag/");
    let mut ctx = base_context(site, listings, None, &url, crumbs(site, vec![0]));
    let tags: Vec<Value> = site
        .tags
        .values()
        .map(|t| {
            Value::from_serializable(&serde_json::json!({
                "name": t.name, "slug": t.slug, "url": tag_url(site, &t.slug), "count": t.pages.len(),
            }))
        })
        .collect();
    ctx.insert("tags", &tags);
    let html = render_required(templates, "tags.html", &ctx, options, base)?;
    Ok(vec![OutputFile::html("tag/index.html".into(), html)])
}

fn render_tag(inputs: Inputs<'_>, slug: &str) -> Result<Vec<OutputFile>, Failure> {
    let (site, templates, listings, options) = inputs.parts();
    let Some(tag) = site.tags.get(slug) else {
        return Ok(Vec::new());
    };
    require(templates, "tag.html")?;
    let url = tag_url(site, slug);
    let items: Vec<Value> = tag
        .pages
        .iter()
        .map(|&p| listings.summaries[p].clone())
        .collect();
    // Made once for all the tag's pages (the most used tag of a large site lists thousands
    // of pages over a hundred pages of its own; made per page, this was quadratic).
    let tag_value = Value::from_serializable(&TagCtx {
        name: &tag.name,
        slug: &tag.slug,
        url: &url,
        pages: &items,
    });
    let out_dir = format!("tag/{slug}/");
    let list = List {
        template: "tag.html",
        items: &items,
        per_page: TAG_PAGE_SIZE,
        url: &url,
        out_dir: &out_dir,
    };
    paginate(
        &list,
        templates,
        options,
        site.config.base_path(),
        |page_url| {
            let mut ctx = base_context(site, listings, None, page_url, crumbs(site, vec![0]));
            ctx.insert_value("tag", tag_value.clone());
            ctx
        },
    )
    .map_err(|d| (d, "tag.html".to_string()))
}

fn render_not_found(inputs: Inputs<'_>) -> Result<Vec<OutputFile>, Failure> {
    let (site, templates, listings, options) = inputs.parts();
    let base = site.config.base_path();
    let url = format!("{base}404.html");
    let ctx = base_context(site, listings, None, &url, crumbs(site, vec![0]));
    let html = render_required(templates, "404.html", &ctx, options, base)?;
    Ok(vec![OutputFile::html("404.html".into(), html)])
}

/// Pages listed on one tag page: a popular tag can hold thousands, too many for a phone
/// on a weak signal.
pub const TAG_PAGE_SIZE: usize = 20;

/// A list of page summaries to render on one or more pages.
struct List<'a> {
    template: &'a str,
    items: &'a [Value],
    per_page: usize,
    /// URL of the first page; page n is at `{url}halaman/{n}/`.
    url: &'a str,
    /// Output folder of the first page (`berita/`).
    out_dir: &'a str,
}

/// Renders `list` split into pages, each with a `paginator`; `context` gives the rest of a
/// page's context from its URL.
fn paginate(
    list: &List<'_>,
    templates: &Templates,
    options: RenderOptions,
    base: &str,
    context: impl Fn(&str) -> Context + Sync,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let chunks: Vec<&[Value]> = if list.items.is_empty() {
        vec![&[]]
    } else {
        list.items.chunks(list.per_page.max(1)).collect()
    };
    let total = chunks.len();
    let page_url = |n: usize| match n {
        1 => list.url.to_string(),
        n => format!("{}halaman/{n}/", list.url),
    };
    // In parallel: the most used tag of a large site has a hundred pages or more, and as
    // one job among many it would otherwise finish last, alone.
    chunks
        .into_par_iter()
        .enumerate()
        .map(|(k, chunk)| {
            let n = k + 1;
            let url = page_url(n);
            let mut ctx = context(&url);
            ctx.insert(
                "paginator",
                &Paginator {
                    current: n,
                    total,
                    pages: chunk.to_vec(),
                    previous: (n > 1).then(|| page_url(n - 1)),
                    next: (n < total).then(|| page_url(n + 1)),
                },
            );
            let html = render_one(templates, list.template, &ctx, options, base)?;
            let path = match n {
                1 => format!("{}index.html", list.out_dir),
                n => format!("{}halaman/{n}/index.html", list.out_dir),
            };
            Ok(OutputFile::html(path, html))
        })
        .collect()
}

/// Fails when the theme lacks a template the site cannot do without.
fn require(templates: &Templates, name: &str) -> Result<(), Failure> {
    if templates.has(name) {
        return Ok(());
    }
    let d = Diagnostic::error(
        format!("templates/{name}"),
        t!("render.no_theme_template", name = name),
    )
    .help(t!("render.no_theme_template.required", name = name));
    Err((d, name.to_string()))
}

fn render_required(
    templates: &Templates,
    name: &str,
    ctx: &Context,
    options: RenderOptions,
    base: &str,
) -> Result<String, Failure> {
    require(templates, name)?;
    render_one(templates, name, ctx, options, base).map_err(|d| (d, name.to_string()))
}

fn render_one(
    templates: &Templates,
    name: &str,
    ctx: &Context,
    options: RenderOptions,
    base: &str,
) -> Result<String, Diagnostic> {
    let mut html = templates.render(name, ctx)?;
    if options.live_reload {
        inject_live_reload(&mut html, base);
    }
    Ok(html)
}

/// The `serve` command's script that reloads the page when the site changes.
pub fn inject_live_reload(html: &mut String, base: &str) {
    let tag = format!("<script src=\"{base}__livereload.js\" defer></script>\n");
    match html.rfind("</body>") {
        Some(i) => html.insert_str(i, &tag),
        None => html.push_str(&tag),
    }
}
