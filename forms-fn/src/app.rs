//! Everything the handler needs, loaded once: the form definitions and desk addresses (from
//! the site's own `content/`), the mailer, the outbox. Configured by environment variables.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lettre::message::Mailbox;
use serde::Deserialize;

use crate::calendar::Day;
use crate::guard::{Guard, Limits as GuardLimits};
use crate::mailer::Mailer;
use crate::outbox::{BucketSettings, Outbox};
use crate::schema::{self, Form};
use crate::submission::Limits;

/// Settings, from the environment (see the README of `forms-fn`).
#[derive(Debug, Clone)]
pub struct Config {
    /// The site's folder: `content/site.yaml` and `content/forms/` are read from it. `None`:
    /// the definitions built into the binary (the Lambda case).
    pub site_dir: Option<PathBuf>,
    pub outbox_dir: PathBuf,
    /// An S3 bucket for the outbox instead of `outbox_dir` (`OUTBOX_BUCKET`, with
    /// `OUTBOX_PREFIX`, `OUTBOX_S3_ENDPOINT`, `OUTBOX_KMS_KEY`).
    pub outbox_bucket: Option<BucketSettings>,
    /// Where mail is written as `.eml` when there is no SMTP server.
    pub mail_dir: PathBuf,
    pub smtp_url: Option<String>,
    /// A Secrets Manager secret holding the SMTP URL, read at start through the Lambda
    /// secrets extension (`SMTP_URL_SECRET`), when `SMTP_URL` is not set.
    pub smtp_url_secret: Option<String>,
    /// A certificate authority (PEM) to trust for the SMTP relay's certificate.
    pub smtp_ca_file: Option<PathBuf>,
    pub mail_from: String,
    /// The site's stylesheet, linked from the pages the function answers with.
    pub stylesheet: Option<String>,
    /// Origins allowed to post besides the site's own (`ALLOWED_ORIGINS`, comma-separated).
    pub allowed_origins: Vec<String>,
    /// Who hears about submissions that cannot be delivered (`ADMIN_EMAIL`).
    pub admin_email: Option<String>,
    /// Rate limits (`RATE_LIMIT_PER_SOURCE`, `RATE_LIMIT_PER_FORM`: submissions per 10
    /// minutes), for a deployment's own figures or a load test.
    pub limits: GuardLimits,
}

impl Config {
    pub fn from_env() -> Config {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let outbox_dir = PathBuf::from(var("OUTBOX_DIR").unwrap_or_else(|| "outbox".into()));
        Config {
            site_dir: var("SITE_DIR").map(PathBuf::from),
            mail_dir: var("MAIL_DIR").map_or_else(|| outbox_dir.join("mail"), PathBuf::from),
            outbox_dir,
            outbox_bucket: var("OUTBOX_BUCKET").map(|bucket| BucketSettings {
                bucket,
                prefix: var("OUTBOX_PREFIX").unwrap_or_default(),
                endpoint: var("OUTBOX_S3_ENDPOINT"),
                kms_key: var("OUTBOX_KMS_KEY"),
            }),
            smtp_url: var("SMTP_URL"),
            smtp_url_secret: var("SMTP_URL_SECRET"),
            smtp_ca_file: var("SMTP_CA_FILE").map(PathBuf::from),
            mail_from: var("MAIL_FROM")
                .unwrap_or_else(|| "Formulir KPU Provinsi NTB <formulir@localhost>".into()),
            stylesheet: var("STYLESHEET_URL"),
            allowed_origins: var("ALLOWED_ORIGINS")
                .map(|v| {
                    v.split(',')
                        .map(|o| o.trim().trim_end_matches('/').to_string())
                        .filter(|o| !o.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            admin_email: var("ADMIN_EMAIL"),
            limits: {
                let mut limits = GuardLimits::default();
                if let Some(n) = var("RATE_LIMIT_PER_SOURCE").and_then(|v| v.parse().ok()) {
                    limits.per_source = n;
                }
                if let Some(n) = var("RATE_LIMIT_PER_FORM").and_then(|v| v.parse().ok()) {
                    limits.per_form = n;
                }
                limits
            },
        }
    }
}

pub struct App {
    pub forms: BTreeMap<String, Form>,
    /// Desk key → address.
    pub desks: BTreeMap<String, String>,
    pub from: Mailbox,
    pub mailer: Mailer,
    pub outbox: Outbox,
    /// The site's address, for "back to the site" links.
    pub site_url: String,
    /// Where the forms post (`forms.endpoint` in site.yaml, or [`DEFAULT_ENDPOINT`]): the
    /// function's own pages post back to `{endpoint}/{id}`.
    pub endpoint: String,
    pub stylesheet: Option<String>,
    pub limits: Limits,
    /// Today in WITA; a parameter so tests can fix the date.
    pub today: fn() -> Day,
    pub guard: Guard,
    /// Who hears about submissions that cannot be delivered.
    pub admin: Option<Mailbox>,
    /// Set by a long-running server: mail goes out after the answer (see [`crate::queue`]).
    pub queue: Option<crate::queue::Queue>,
}

/// Where forms post while site.yaml names no confirmed endpoint: the path a local server
/// (`generator serve`) or a CDN in front of the function answers on.
pub const DEFAULT_ENDPOINT: &str = "/api/forms";

impl App {
    /// The address a form posts to: `{endpoint}/{id}`, or `{endpoint}/en/{id}` in English.
    pub fn form_action(&self, id: &str, lang: crate::lang::Lang) -> String {
        let endpoint = self.endpoint.trim_end_matches('/');
        match lang {
            crate::lang::Lang::Id => format!("{endpoint}/{id}"),
            crate::lang::Lang::En => format!("{endpoint}/en/{id}"),
        }
    }
}

/// The part of `site.yaml` the function reads.
#[derive(Deserialize)]
struct SiteFile {
    base_url: String,
    #[serde(default)]
    forms: FormsSettings,
}

/// `forms:` in site.yaml.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct FormsSettings {
    /// Where the rendered forms post: `{endpoint}/{id}`, or `{endpoint}/en/{id}` in English.
    /// A path (`/api/forms`), an absolute URL (the function's address), or a placeholder
    /// while the address is not known.
    #[serde(default)]
    pub endpoint: Option<serde_yaml::Value>,
    /// Desk key → email address (or a placeholder still to confirm).
    #[serde(default)]
    pub desks: BTreeMap<String, serde_yaml::Value>,
}

impl FormsSettings {
    /// The endpoint, when it is a confirmed address (not absent, not a placeholder).
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint.as_ref().and_then(serde_yaml::Value::as_str)
    }
}

/// A desk address that is still a placeholder, when mail only goes to a local folder.
fn local_address(desk: &str) -> String {
    format!("meja-{desk}@contoh.invalid")
}

pub fn load(config: &Config) -> Result<App, String> {
    let (site_text, site_name, forms) = match &config.site_dir {
        Some(dir) => {
            let site_file = dir.join("content/site.yaml");
            let text = std::fs::read_to_string(&site_file)
                .map_err(|e| format!("cannot read `{}`: {e}", site_file.display()))?;
            (text, site_file.display().to_string(), schema::load_dir(dir))
        }
        None => {
            let text = schema::embedded::SITE
                .ok_or("this binary was built without content/site.yaml: set SITE_DIR")?;
            (
                text.to_string(),
                "the built-in content/site.yaml".to_string(),
                schema::parse_all(schema::embedded::FORMS, schema::embedded::LISTS),
            )
        }
    };
    let site: SiteFile =
        serde_yaml::from_str(&site_text).map_err(|e| format!("{site_name}: {e}"))?;
    let forms = forms.map_err(|errors| {
        errors
            .iter()
            .map(|e| format!("{}: {}", e.file, e.message))
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    let smtp_url = match (&config.smtp_url, &config.smtp_url_secret) {
        (Some(url), _) => Some(url.clone()),
        (None, Some(secret)) => Some(crate::secret::from_extension(secret)?),
        (None, None) => None,
    };
    let mailer = match &smtp_url {
        Some(url) => Mailer::smtp(url, config.smtp_ca_file.as_deref())?,
        None => Mailer::files(&config.mail_dir)?,
    };
    let mut desks = BTreeMap::new();
    let mut unconfirmed = Vec::new();
    for (key, value) in &site.forms.desks {
        match value.as_str() {
            Some(address) => {
                address.parse::<Mailbox>().map_err(|e| {
                    format!("desk `{key}`: `{address}` is not an email address ({e})")
                })?;
                desks.insert(key.clone(), address.to_string());
            }
            None if mailer.is_local() => {
                desks.insert(key.clone(), local_address(key));
            }
            None => unconfirmed.push(key.clone()),
        }
    }
    if !unconfirmed.is_empty() {
        return Err(format!(
            "these desks have no confirmed address in content/site.yaml, so their mail cannot be sent: {}",
            unconfirmed.join(", ")
        ));
    }
    for form in forms.values() {
        let named = std::iter::once(&form.desk)
            .chain(form.routes.iter().filter_map(|r| r.desk.as_ref()))
            .chain(form.routes.iter().flat_map(|r| r.copy.iter()));
        for desk in named {
            if !desks.contains_key(desk) {
                return Err(format!(
                    "form `{}` sends to the desk `{desk}`, which `forms.desks` in site.yaml does not list",
                    form.id
                ));
            }
        }
    }
    let from: Mailbox = config
        .mail_from
        .parse()
        .map_err(|e| format!("MAIL_FROM `{}`: {e}", config.mail_from))?;
    let outbox = open_outbox(config)?;
    let origins = crate::guard::origin_of(&site.base_url)
        .into_iter()
        .chain(config.allowed_origins.iter().cloned())
        .collect();
    let admin = match &config.admin_email {
        Some(a) => Some(
            a.parse::<Mailbox>()
                .map_err(|e| format!("ADMIN_EMAIL `{a}`: {e}"))?,
        ),
        None => None,
    };
    Ok(App {
        admin,
        guard: Guard::new(origins, config.limits),
        forms,
        desks,
        from,
        mailer,
        outbox,
        site_url: site.base_url,
        endpoint: site
            .forms
            .endpoint_url()
            .unwrap_or(DEFAULT_ENDPOINT)
            .to_string(),
        stylesheet: config.stylesheet.clone(),
        limits: Limits::default(),
        today: Day::today,
        queue: None,
    })
}

fn open_outbox(config: &Config) -> Result<Outbox, String> {
    match &config.outbox_bucket {
        None => Outbox::open(&config.outbox_dir).map_err(|e| {
            format!(
                "cannot open the outbox `{}`: {e}",
                config.outbox_dir.display()
            )
        }),
        #[cfg(feature = "s3")]
        Some(b) => crate::outbox::s3::Bucket::open(b.clone())
            .map(Outbox::S3)
            .map_err(|e| format!("cannot open the outbox bucket `{}`: {e}", b.bucket)),
        #[cfg(not(feature = "s3"))]
        Some(b) => Err(format!(
            "OUTBOX_BUCKET is `{}`, but this build has no S3 support (the `s3` feature)",
            b.bucket
        )),
    }
}

/// Reads only `forms:` of a site's settings (for the generator).
pub fn forms_settings(site_dir: &Path) -> Result<FormsSettings, String> {
    let path = site_dir.join("content/site.yaml");
    let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
    let site: SiteFile = serde_yaml::from_str(&text).map_err(|e| e.to_string())?;
    Ok(site.forms)
}
