//! `generator serve`: builds the site into memory, serves it on this machine, watches
//! `content/` and `templates/`, and on a change rebuilds only what the change touches, then
//! reloads open pages (a long-poll script added to every page in this mode only).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};
use tiny_http::Server;

use crate::build::{self, BuildOptions, Built};
use crate::content::{self, CONTENT_DIR};
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::{Error, Result};
use crate::output::{Contents, OutputFile};
use crate::render::{self, Job, RenderOptions};
use crate::search;
use crate::site::Target;
use crate::t;
use crate::templates::{TEMPLATE_DIR, TemplateData};

mod cms;
mod http;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub drafts: bool,
    /// Lists every warning, instead of the first few of a kind that comes many times.
    pub all_warnings: bool,
    pub port: u16,
    pub bind: String,
}

/// Editors save in bursts (write, rename, chmod): events this close together are one change.
const SETTLE: Duration = Duration::from_millis(5);

enum State {
    Ready(Box<Built>),
    Failed(String),
}

struct Served {
    state: State,
    /// Output path → contents.
    files: HashMap<String, Contents>,
    /// Bumped on every rebuild; open pages reload when it changes.
    generation: u64,
    /// The form function, answering `/api/forms/{id}` with the same handler as under Lambda;
    /// or why it could not start.
    forms: Result<Arc<forms_fn::App>, String>,
}

struct Shared {
    served: Mutex<Served>,
    changed: Condvar,
    /// The site's folder, which the content editor's local backend writes in.
    root: PathBuf,
    /// Where this server listens (`127.0.0.1:1111`).
    address: String,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Served> {
        // A panic in a request thread must not take the server down with it.
        self.served.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub fn run(options: &ServeOptions) -> Result<()> {
    let address = format!("{}:{}", options.bind, options.port);
    let server = Server::http(&address)
        .map_err(|e| Error::Message(t!("serve.listen_failed", address = address, error = e)))?;
    let build_options = BuildOptions {
        root: options.root.clone(),
        base_url: Some(format!("http://{address}/")),
        drafts: options.drafts,
        all_warnings: options.all_warnings,
        live_reload: true,
        forms_endpoint: Some(crate::config::LOCAL_FORMS_ENDPOINT.to_string()),
        search: true,
        ..BuildOptions::default()
    };
    let shared = Arc::new(Shared {
        served: Mutex::new(Served {
            state: State::Failed(String::new()),
            files: HashMap::new(),
            generation: 0,
            forms: Err(t!("serve.forms_not_started")),
        }),
        changed: Condvar::new(),
        root: options.root.clone(),
        address: address.clone(),
    });
    full_rebuild(&shared, &build_options);

    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx)
        .map_err(|e| Error::Message(t!("serve.watch_failed", error = e)))?;
    for dir in [CONTENT_DIR, TEMPLATE_DIR] {
        let path = options.root.join(dir);
        if path.exists() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| {
                    Error::Message(t!(
                        "serve.watch_folder_failed",
                        path = path.display(),
                        error = e
                    ))
                })?;
        }
    }
    {
        let indexer = spawn_indexer(Arc::clone(&shared));
        let shared = Arc::clone(&shared);
        let build_options = build_options.clone();
        std::thread::spawn(move || watch_loop(&rx, &shared, &build_options, &indexer));
    }

    eprintln!("{}", t!("serve.serving", address = address));
    for request in server.incoming_requests() {
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || http::respond(&shared, request));
    }
    Ok(())
}

fn watch_loop(
    rx: &mpsc::Receiver<notify::Result<notify::Event>>,
    shared: &Shared,
    options: &BuildOptions,
    indexer: &mpsc::Sender<()>,
) {
    while let Ok(first) = rx.recv() {
        let started = Instant::now();
        let mut paths: Vec<PathBuf> = Vec::new();
        let mut collect = |event: notify::Result<notify::Event>| {
            if let Ok(event) = event
                && !matches!(event.kind, notify::EventKind::Access(_))
            {
                paths.extend(event.paths);
            }
        };
        collect(first);
        while let Ok(event) = rx.recv_timeout(SETTLE) {
            collect(event);
        }
        paths.sort();
        paths.dedup();
        paths.retain(|p| !is_editor_temp(p));
        if paths.is_empty() {
            continue;
        }
        let root = options
            .root
            .canonicalize()
            .unwrap_or_else(|_| options.root.clone());
        let rel: Vec<String> = paths
            .iter()
            .filter_map(|p| {
                let p = p
                    .strip_prefix(&root)
                    .or_else(|_| p.strip_prefix(&options.root))
                    .ok()?;
                Some(p.to_string_lossy().replace('\\', "/"))
            })
            .collect();
        let summary = match incremental(shared, options, &rel) {
            Some(n) => {
                // The changed pages are on screen; the search index follows.
                let _ = indexer.send(());
                t!(
                    "serve.rebuilt",
                    files = rel.join(", "),
                    n = n,
                    s = if n == 1 { "" } else { "s" }
                )
            }
            None if full_rebuild(shared, options) => t!("serve.rebuilt_all"),
            None => t!("serve.build_failed"),
        };
        let ms = format!("{:.1}", started.elapsed().as_secs_f64() * 1000.0);
        eprintln!("{}", t!("serve.took", summary = summary, ms = ms));
    }
}

/// A thread that brings the search index up to date after incremental rebuilds (a full
/// rebuild makes its own). It runs beside the watcher, so an edit is on screen in
/// milliseconds and the index (about a second for 1,000 pages) follows; edits made
/// meanwhile are folded into the next run.
fn spawn_indexer(shared: Arc<Shared>) -> mpsc::Sender<()> {
    let (tx, rx) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        while rx.recv().is_ok() {
            while rx.try_recv().is_ok() {}
            reindex(&shared);
        }
    });
    tx
}

/// Indexes the pages being served and swaps in the new search bundle, unless the site
/// changed meanwhile (the change brings its own index) or has no search.
fn reindex(shared: &Shared) {
    let started = Instant::now();
    let (generation, pages) = {
        let served = shared.lock();
        let State::Ready(built) = &served.state else {
            return;
        };
        let has_search = served
            .files
            .keys()
            .any(|path| path.starts_with(search::BUNDLE_DIR));
        if !has_search {
            return;
        }
        let pages: Vec<(String, String)> =
            search::pages_to_index(&built.site, |path| match served.files.get(path) {
                Some(Contents::Bytes(bytes)) => Some(bytes.as_slice()),
                _ => None,
            })
            .collect();
        (served.generation, pages)
    };
    // One thread of its own, so that the next edit's rebuild (rayon's global pool) is not
    // queued behind the index's batches.
    let indexed = match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
        Ok(pool) => pool.install(|| search::index_pages(pages.into_iter())),
        Err(_) => search::index_pages(pages.into_iter()),
    };
    match indexed {
        Ok(files) => {
            let mut served = shared.lock();
            if served.generation != generation {
                return;
            }
            served
                .files
                .retain(|path, _| !path.starts_with(search::BUNDLE_DIR));
            served
                .files
                .extend(files.into_iter().map(|f| (f.path, f.contents)));
            let ms = format!("{:.0}", started.elapsed().as_secs_f64() * 1000.0);
            eprintln!("{}", t!("serve.search_updated", ms = ms));
        }
        Err(d) => eprintln!("{d}"),
    }
}

fn is_editor_temp(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
}

/// Rebuilds everything; `false` when the site has errors (shown in the browser instead).
fn full_rebuild(shared: &Shared, options: &BuildOptions) -> bool {
    let result = build::build(options);
    let ok = result.is_ok();
    let mut served = shared.lock();
    match result {
        Ok(built) => {
            let style = crate::report::Style::for_stderr(options.all_warnings);
            eprint!("{}", crate::report::render(&built.warnings, style));
            served.files = built
                .outputs
                .iter()
                .map(|f| (f.path.clone(), f.contents.clone()))
                .collect();
            served.forms = start_forms(options, &built);
            if let Err(err) = &served.forms {
                eprintln!(
                    "{}: {}",
                    Severity::Warning.label(),
                    t!("serve.forms_unanswerable", error = err)
                );
            }
            served.state = State::Ready(Box::new(built));
        }
        Err(err) => {
            let text = error_text(&err, options.all_warnings);
            eprintln!("{text}");
            served.state = State::Failed(text);
        }
    }
    served.generation += 1;
    shared.changed.notify_all();
    ok
}

/// The form function for this site: mail to `outbox/mail/` as `.eml` files unless `SMTP_URL`
/// is set, submissions recorded in `outbox/`.
fn start_forms(options: &BuildOptions, built: &Built) -> Result<Arc<forms_fn::App>, String> {
    let mut config = forms_fn::Config::from_env();
    config.site_dir = Some(options.root.clone());
    if std::env::var_os("OUTBOX_DIR").is_none() {
        config.outbox_dir = options.root.join("outbox");
        if std::env::var_os("MAIL_DIR").is_none() {
            config.mail_dir = config.outbox_dir.join("mail");
        }
    }
    config.stylesheet = built.static_files.urls.get("css/main.css").cloned();
    // The pages come from this server, so its own origin may post.
    config
        .allowed_origins
        .extend(forms_model::settings::origin_of(
            &built.site.config.base_url,
        ));
    let mut app = forms_fn::app::load(&config).map_err(|e| error_chain(&e))?;
    app.site_url = built.site.config.base_url.clone();
    app.endpoint = crate::config::LOCAL_FORMS_ENDPOINT.to_string();
    Ok(Arc::new(app))
}

/// An error with its causes, on one line (`cannot read x: no such file`).
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn error_text(err: &Error, all_warnings: bool) -> String {
    let mut text = String::new();
    if let Error::Site(diagnostics) = err {
        let style = crate::report::Style {
            all: all_warnings,
            colour: false,
        };
        text.push_str(&crate::report::render(diagnostics, style));
    }
    text.push_str(&format!("{}: {err}", Severity::Error.label()));
    text
}

/// Refreshes the lists' entries of a changed document; the jobs that re-render it and
/// the lists it appears in.
fn refresh(built: &mut Built, target: Target) -> Vec<Job> {
    let mut jobs = Vec::new();
    match target {
        Target::Page(i) => {
            built.listings.refresh_page(&built.site, i);
            let section = built.site.pages[i].section;
            jobs.push(Job::Page(i));
            jobs.extend(built.site.ancestry(section).into_iter().map(Job::Section));
            jobs.extend(
                built.site.pages[i]
                    .doc
                    .meta
                    .tags
                    .iter()
                    .map(|t| Job::Tag(crate::slug::slugify(t))),
            );
        }
        Target::Section(i) => {
            built.listings.refresh_section(&built.site, i);
            jobs.extend(built.site.ancestry(i).into_iter().map(Job::Section));
        }
    }
    jobs
}

/// Rebuilds after changes to existing Markdown files only, re-rendering just the pages that
/// show them. Returns the number of pages rendered, or `None` when the change needs a full
/// rebuild (new or deleted files, templates, settings, or a change to what orders lists).
fn incremental(shared: &Shared, options: &BuildOptions, changed: &[String]) -> Option<usize> {
    let mut served = shared.lock();
    let State::Ready(built) = &mut served.state else {
        return None;
    };
    let built: &mut Built = built;
    let mut jobs: Vec<Job> = Vec::new();
    for path in changed {
        let content_path = path.strip_prefix("content/")?;
        // A period's page carries its follow-up, which other pages show: rebuild them all.
        if !content_path.ends_with(".md")
            || content_path.starts_with(&format!("{}/", crate::performance::DIR))
        {
            return None;
        }
        let target = *built.site.by_content_path.get(content_path)?;
        let mut diagnostics = Vec::new();
        let mut doc = content::read_document(
            &options.root,
            content_path,
            &built.site.config,
            &mut diagnostics,
        )?;
        if diagnostics.iter().any(Diagnostic::is_error) {
            return None;
        }
        let old = built.site.doc(target);
        let same_shape = old.meta.same_shape(&doc.meta);
        if !same_shape {
            return None;
        }
        doc.rendered = build::render_markdown(&built.site, &doc);
        *built.site.doc_mut(target) = doc;
        jobs.extend(refresh(built, target));
    }
    let link_errors: Vec<Diagnostic> = build::check_links(&built.site, &built.files, false);
    if !link_errors.is_empty() {
        drop(served);
        return None;
    }
    jobs.sort();
    jobs.dedup();
    let data = TemplateData {
        sections: built.listings.section_index(&built.site),
        ..built.templates.data().clone()
    };
    let globals = build::globals(&built.site, &built.static_files);
    built.templates.prepare(data, &globals);
    let (files, errors) = render::render(
        &built.site,
        &built.templates,
        &built.listings,
        &jobs,
        RenderOptions { live_reload: true },
    );
    if !errors.is_empty() {
        return None;
    }
    let rendered = files.len();
    let generated = build::generated_files(&built.site);
    let mut all: Vec<OutputFile> = files;
    all.extend(generated);
    for file in all {
        served.files.insert(file.path, file.contents);
    }
    served.generation += 1;
    shared.changed.notify_all();
    Some(rendered)
}
