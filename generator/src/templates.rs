//! The theme's tera templates: loaded once, checked for syntax (every broken template at
//! once), rendered with errors that point at the template's line.

use std::collections::{BTreeMap, HashMap};
use std::error::Error as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tera::{Context, ErrorKind, Kwargs, State, Tera, Value};
use walkdir::WalkDir;

use crate::diagnostic::Diagnostic;
use crate::t;

pub const TEMPLATE_DIR: &str = "templates";
/// Theme files copied to the site (CSS, JS, images), inside `templates/`.
pub const STATIC_DIR: &str = "static";

/// What the templates' functions read, given once before the first render of a build.
#[derive(Debug, Clone, Default)]
pub struct TemplateData {
    /// Sections by content path, for `get_section`.
    pub sections: HashMap<String, Value>,
    /// Each form's rendered HTML by `{lang}/{id}`, for `form`.
    pub forms: HashMap<String, String>,
    /// The theme's words, for `t(key=...)` in the language of the page being rendered.
    pub strings: Arc<crate::i18n::I18n>,
    /// Where the form function answers, for `forms_action`.
    pub endpoint: String,
    /// The published periods of `content/kinerja/`, for `kinerja`, `kinerja_periode` and
    /// `kinerja_layanan`.
    pub performance: Arc<crate::performance::Performance>,
    /// The site's address (`base_url`), for `kode_qr`.
    pub site_url: String,
}

pub struct Templates {
    tera: Tera,
    /// Template name → its text, for messages.
    sources: BTreeMap<String, String>,
    data: Arc<TemplateData>,
}

impl Templates {
    /// Gives the templates what their functions and every page read: the data, and the
    /// globals (`site`, `home_url`, `assets`). Called before rendering; `serve` calls it
    /// again when the sections change.
    pub fn prepare(&mut self, data: TemplateData, globals: &[(&'static str, Value)]) {
        let data = Arc::new(data);
        register_functions(&mut self.tera, &data);
        self.data = data;
        let context = self.tera.global_context();
        for (name, value) in globals {
            context.insert(*name, value);
        }
    }

    pub fn data(&self) -> &TemplateData {
        &self.data
    }

    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.sources.keys().map(String::as_str)
    }

    /// Renders `name`; a failure becomes a diagnostic at the template's line.
    pub fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|err| self.diagnostic(name, &err))
    }

    fn diagnostic(&self, name: &str, err: &tera::Error) -> Diagnostic {
        let mut d = match err.kind() {
            ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
                let file = template_path(report.filename());
                let d = Diagnostic::error(file, report.message().to_string());
                match self.sources.get(report.filename()) {
                    Some(source) => {
                        let span = report.span();
                        let width = if span.end_line == span.start_line {
                            span.end_col.saturating_sub(span.start_col)
                        } else {
                            1
                        };
                        d.at(source, span.start_line, span.start_col + 1)
                            .underline(width)
                    }
                    None => d,
                }
            }
            _ => Diagnostic::error(template_path(name), err.to_string()),
        };
        let mut cause = err.source();
        while let Some(c) = cause {
            d.message = format!("{}: {c}", d.message);
            cause = c.source();
        }
        d
    }
}

fn template_path(name: &str) -> PathBuf {
    Path::new(TEMPLATE_DIR).join(name)
}

/// Loads every template under `templates/` (but not `templates/static/`).
pub fn load(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> Option<Templates> {
    let dir = root.join(TEMPLATE_DIR);
    let mut sources = BTreeMap::new();
    let walker = WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !(e.depth() == 1 && e.file_name() == STATIC_DIR));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                diagnostics.push(
                    Diagnostic::error(TEMPLATE_DIR, t!("templates.unreadable_folder", err = err))
                        .help(t!("templates.unreadable_folder.help")),
                );
                return None;
            }
        };
        let path = entry.path();
        let is_template = path
            .extension()
            .is_some_and(|e| e == "html" || e == "xml" || e == "txt");
        if !entry.file_type().is_file() || !is_template {
            continue;
        }
        let name = path
            .strip_prefix(&dir)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        match std::fs::read_to_string(path) {
            Ok(text) => {
                sources.insert(name, text);
            }
            Err(err) => diagnostics.push(Diagnostic::error(
                template_path(&name),
                t!("templates.unreadable", err = err),
            )),
        }
    }

    let mut templates = Templates {
        tera: Tera::new(),
        sources,
        data: Arc::default(),
    };
    register_functions(&mut templates.tera, &templates.data);

    // Each template alone first, so every syntax error is reported, not just the first.
    let before = diagnostics.len();
    for (name, text) in &templates.sources {
        let mut alone = Tera::new();
        if let Err(err) = alone.add_raw_template(name, text)
            && matches!(err.kind(), ErrorKind::SyntaxError(_))
        {
            diagnostics.push(templates.diagnostic(name, &err));
        }
    }
    if diagnostics.len() > before {
        return None;
    }
    let all = templates
        .sources
        .iter()
        .map(|(n, t)| (n.clone(), t.clone()))
        .collect::<Vec<_>>();
    if let Err(err) = templates.tera.add_raw_templates(all) {
        let d = templates.diagnostic("", &err);
        diagnostics.push(match err.kind() {
            ErrorKind::MissingParent { current, parent } => Diagnostic::error(
                template_path(current),
                t!("templates.missing_parent", parent = parent),
            )
            .help(t!("templates.missing_parent.help")),
            _ => d,
        });
        return None;
    }
    Some(templates)
}

/// The functions templates call: `t` (the theme's words), `form` (a form's HTML),
/// `forms_action` (the address of a page of the form function) and `get_section`, reading
/// `data`.
fn register_functions(tera: &mut Tera, data: &Arc<TemplateData>) {
    let words = Arc::clone(data);
    tera.register_function("t", move |kwargs: Kwargs, state: &State| {
        let key: String = kwargs.must_get("key")?;
        let lang: String = match kwargs.get::<String>("lang")? {
            Some(lang) => lang,
            None => state
                .get("ui_lang")?
                .unwrap_or_else(|| words.strings.default.clone()),
        };
        words
            .strings
            .text(&lang, &key)
            .map(|text| Value::from(text.to_string()))
            .map_err(tera::Error::message)
    });
    let forms = Arc::clone(data);
    tera.register_function("form", move |kwargs: Kwargs, state: &State| {
        let id: String = kwargs.must_get("id")?;
        // The form speaks the page's language where the form function can answer in it.
        let lang = match state.get::<String>("ui_lang")?.as_deref() {
            Some("en") => "en",
            _ => "id",
        };
        forms
            .forms
            .get(&format!("{lang}/{id}"))
            .map(|html| Value::safe_string(html))
            .ok_or_else(|| {
                let mut known: Vec<&str> = forms
                    .forms
                    .keys()
                    .filter_map(|k| k.strip_prefix("id/"))
                    .collect();
                known.sort();
                let list = known.join(", ");
                tera::Error::message(t!("templates.no_form", id = id, forms = list))
            })
    });
    let endpoint = Arc::clone(data);
    tera.register_function("forms_action", move |kwargs: Kwargs, state: &State| {
        // A page of the form function (`status`), in the page's language.
        let path: String = kwargs.must_get("path")?;
        let lang = match state.get::<String>("ui_lang")?.as_deref() {
            Some("en") => forms_model::lang::Lang::En,
            _ => forms_model::lang::Lang::Id,
        };
        Ok(Value::from(forms_model::settings::form_action(
            &endpoint.endpoint,
            &path,
            lang,
        )))
    });
    register_performance(tera, data);
    let site = Arc::clone(data);
    tera.register_function("kode_qr", move |kwargs: Kwargs, _: &State| {
        // A page of this site, by its path under the site's address (`formulir/skm/`).
        let page: String = kwargs.must_get("halaman")?;
        let label: String = kwargs.must_get("label")?;
        let text = format!(
            "{}/{}",
            site.site_url.trim_end_matches('/'),
            page.trim_start_matches('/')
        );
        qr_svg(&text, &label)
            .map(|svg| Value::safe_string(&svg))
            .map_err(tera::Error::message)
    });
    let sections = Arc::clone(data);
    tera.register_function("get_section", move |kwargs: Kwargs, _: &State| {
        let path: String = kwargs.must_get("path")?;
        sections
            .sections
            .get(&path)
            .cloned()
            .ok_or_else(|| tera::Error::message(t!("templates.no_section", path = path)))
    });
}

/// `text` as a QR code in SVG (black on white, with its quiet zone), labelled `label` for
/// screen readers.
fn qr_svg(text: &str, label: &str) -> Result<String, String> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M)
        .map_err(|err| t!("templates.qr_too_long", text = text, err = err))?;
    let svg = code
        .render::<svg::Color<'_>>()
        .min_dimensions(240, 240)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    let start = svg.find("<svg").unwrap_or(0);
    let escaped = forms_model::html::escape(label);
    Ok(svg[start..].replacen(
        "<svg",
        &format!("<svg role=\"img\" aria-label=\"{escaped}\" class=\"kode-qr\""),
        1,
    ))
}

/// The language of the labels of the page being rendered.
fn labels_lang(state: &State) -> Result<forms_model::lang::Lang, tera::Error> {
    Ok(match state.get::<String>("ui_lang")?.as_deref() {
        Some("en") => forms_model::lang::Lang::En,
        _ => forms_model::lang::Lang::Id,
    })
}

/// `kinerja()` (every period and the office's index over time), `kinerja_periode(url=...)`
/// (the period whose page is at `url`) and `kinerja_layanan(url=...)` (the service's at `url`:
/// its
/// latest figures, or nothing before a first period).
fn register_performance(tera: &mut Tera, data: &Arc<TemplateData>) {
    use crate::performance::values;
    let all = Arc::clone(data);
    tera.register_function("kinerja", move |_: Kwargs, state: &State| {
        Ok(Value::from_serializable(&values::all(
            &all.performance,
            labels_lang(state)?,
        )))
    });
    let periods = Arc::clone(data);
    tera.register_function("kinerja_periode", move |kwargs: Kwargs, state: &State| {
        let url: String = kwargs.must_get("url")?;
        Ok(Value::from_serializable(&values::at_url(
            &periods.performance,
            &url,
            labels_lang(state)?,
        )))
    });
    let services = Arc::clone(data);
    tera.register_function("kinerja_layanan", move |kwargs: Kwargs, state: &State| {
        let url: String = kwargs.must_get("url")?;
        Ok(Value::from_serializable(&values::service(
            &services.performance,
            &url,
            labels_lang(state)?,
        )))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_with(
        templates: &[(&str, &str)],
    ) -> (tempfile::TempDir, Vec<Diagnostic>, Option<Templates>) {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("templates/static")).expect("mkdir");
        std::fs::write(dir.path().join("templates/static/x.html"), "{% broken").expect("write");
        for (name, text) in templates {
            std::fs::write(dir.path().join("templates").join(name), text).expect("write");
        }
        let mut d = Vec::new();
        let t = load(dir.path(), &mut d);
        (dir, d, t)
    }

    #[test]
    fn reports_every_broken_template_with_its_line() {
        let (_dir, d, t) = site_with(&[
            ("a.html", "ok\n{% if %}\n"),
            ("b.html", "{{ x \n"),
            ("c.html", "fine {{ x }}"),
        ]);
        assert!(t.is_none());
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].file, Path::new("templates/a.html"));
        assert_eq!(d[0].line, Some(2));
        assert_eq!(d[1].file, Path::new("templates/b.html"));
    }

    #[test]
    fn renders_and_points_runtime_errors_at_the_template_line() {
        let (_dir, d, t) = site_with(&[("p.html", "Judul\n{{ page.judul }}\n")]);
        assert!(d.is_empty(), "{d:?}");
        let t = t.expect("loaded");
        let mut ctx = Context::new();
        ctx.insert("page", &serde_json::json!({"title": "A"}));
        let err = t.render("p.html", &ctx).expect_err("unknown field");
        assert_eq!(err.file, Path::new("templates/p.html"));
        assert_eq!(err.line, Some(2));
        assert_eq!(err.source_line.as_deref(), Some("{{ page.judul }}"));
    }
}
