//! Everything the handler needs, loaded once: the form definitions and desk addresses (from
//! the site's own `content/`, or those built into the binary), the mailer, the outbox.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use lettre::message::Mailbox;
use serde::Deserialize;

use forms_model::calendar::Clock;
use forms_model::holidays::{HOLIDAYS_FILE, Holidays, HolidaysError};
use forms_model::lang::Lang;
use forms_model::schema::{self, Form};
use forms_model::settings::{self, DEFAULT_ENDPOINT, FormsSettings, origin_of};
use forms_model::submission::Limits;

use crate::config::Config;
use crate::guard::Guard;
use crate::mailer::Mailer;
use crate::outbox::Outbox;
use crate::queue::Queue;
use crate::requests::store::{Store, StoreError};
use crate::requests::tokens::{Keys, KeysError};
use crate::theme::{Theme, ThemeError};

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
    /// What "now" and "today" (in WITA) are; fixed in tests.
    pub clock: Clock,
    /// The days besides weekends that deadlines skip (`content/hari-libur.yaml`).
    pub holidays: Holidays,
    pub guard: Guard,
    /// Who hears about submissions that cannot be delivered.
    pub admin: Option<Mailbox>,
    /// Set by a long-running server: mail goes out after the answer (see [`crate::queue`]).
    pub queue: Option<Arc<Queue>>,
    /// The pages and words the function answers with.
    pub theme: Theme,
    /// Where requests are tracked from receipt to answer; `None` where no store is
    /// configured (an S3 outbox without a table), and then nothing is tracked.
    pub requests: Option<Store>,
    /// Signs the desks' links and hashes the contacts a status lookup is checked against.
    pub keys: Keys,
    /// Desk key → its head's address, who hears of a deadline reached (`forms.kepala`).
    pub heads: BTreeMap<String, String>,
    /// Days a delivered submission is kept; the morning round archives the requests whose
    /// records are gone (`None`: only `forms-fn purge` archives).
    pub retention_days: Option<u32>,
}

impl App {
    /// The address a form posts to: `{endpoint}/{id}`, or `{endpoint}/en/{id}` in English.
    pub fn form_action(&self, id: &str, lang: Lang) -> String {
        settings::form_action(&self.endpoint, id, lang)
    }

    /// An address under the endpoint (`status`, `tautan/...`) as a full URL, for mail: a
    /// relative endpoint is taken on the site's origin.
    pub fn endpoint_url(&self, path: &str, lang: Lang) -> String {
        let base = self.endpoint.trim_end_matches('/');
        let base = if base.starts_with('/') {
            format!("{}{base}", origin_of(&self.site_url).unwrap_or_default())
        } else {
            base.to_string()
        };
        match lang {
            Lang::Id => format!("{base}/{path}"),
            Lang::En => format!("{base}/en/{path}"),
        }
    }
}

/// Why the function cannot start: its settings, the site's definitions, or a service it
/// needs.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot read `{}`", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{name} is not valid")]
    Site {
        name: String,
        source: serde_yaml::Error,
    },
    #[error("this binary was built without content/site.yaml: set SITE_DIR")]
    NoSite,
    #[error("the form definitions have errors:\n{0}")]
    Forms(String),
    #[error(
        "these desks have no confirmed address in content/site.yaml, so their mail cannot be sent: {}",
        .0.join(", ")
    )]
    Unconfirmed(Vec<String>),
    #[error(
        "form `{form}` sends to the desk `{desk}`, which `forms.desks` in site.yaml does not list"
    )]
    UnknownDesk { form: String, desk: String },
    /// An address in the settings (a desk's, `MAIL_FROM`, `ADMIN_EMAIL`) that does not parse.
    #[error("{setting}: `{value}` is not an email address")]
    Address {
        setting: String,
        value: String,
        source: lettre::address::AddressError,
    },
    #[error("cannot open the outbox `{}`", path.display())]
    Outbox {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{HOLIDAYS_FILE} is not valid")]
    Holidays(#[from] HolidaysError),
    #[error("the theme's function pages cannot be used")]
    Theme(#[from] ThemeError),
    #[error("the SMTP URL cannot be read from the secrets store")]
    Secret(#[from] crate::secret::SecretError),
    #[error("the mailer cannot be set up")]
    Mailer(#[from] crate::mailer::MailerError),
    #[error("the request store cannot be opened")]
    Store(#[from] StoreError),
    #[error("the key that signs the desks' links")]
    Keys(#[from] KeysError),
    #[error(
        "LINK_SECRET (or LINK_SECRET_SECRET) must be set with a shared table: links signed with a key of one instance would not work on the others"
    )]
    NoLinkSecret,
    #[error("REQUESTS_TABLE is set, but this build has no DynamoDB client (feature `s3`)")]
    NoTableSupport,
    #[error("cannot open the DynamoDB table `{name}`")]
    Table {
        name: String,
        source: std::io::Error,
    },
    #[error("RETENTION_DAYS: `{0}` is not a number of days (1 or more)")]
    RetentionDays(String),
    #[error("`{0}` names a page of the function (`status`, `tautan`), not a form")]
    ReservedForm(String),
    #[error("{0}")]
    Service(String),
}

/// The part of `site.yaml` the function reads.
#[derive(Deserialize)]
struct SiteFile {
    base_url: String,
    #[serde(default)]
    forms: FormsSettings,
}

pub fn load(config: &Config) -> Result<App, StartError> {
    let (site, forms) = read_site(config)?;
    let mailer = open_mailer(config)?;
    let heads = heads(&site.forms.heads, &mailer);
    let desks = addresses(&site.forms.desks, &mailer)?;
    check_desks(&forms, &desks)?;
    if let Some(id) = forms.keys().find(|id| RESERVED.contains(&id.as_str())) {
        return Err(StartError::ReservedForm(id.clone()));
    }
    let origins = origin_of(&site.base_url)
        .into_iter()
        .chain(config.allowed_origins.iter().cloned())
        .collect();
    let mut guard = Guard::new(origins, config.limits);
    let requests = match (&config.requests_table, &config.outbox_bucket) {
        (Some(name), _) => Some(open_table(config, name, &mut guard)?),
        (None, None) => Some(Store::folder(&config.outbox_dir)?),
        // An S3 outbox without a table: no instance could see another's requests.
        (None, Some(_)) => None,
    };
    Ok(App {
        admin: config
            .admin_email
            .as_deref()
            .map(|a| mailbox("ADMIN_EMAIL", a))
            .transpose()?,
        guard,
        forms,
        desks,
        from: mailbox("MAIL_FROM", &config.mail_from)?,
        mailer,
        outbox: open_outbox(config)?,
        endpoint: site
            .forms
            .endpoint_url()
            .unwrap_or(DEFAULT_ENDPOINT)
            .to_string(),
        site_url: site.base_url,
        stylesheet: config.stylesheet.clone(),
        limits: Limits::default(),
        clock: Clock::SYSTEM,
        holidays: read_holidays(config)?,
        queue: None,
        theme: Theme::load(config.site_dir.as_deref())?,
        requests,
        keys: keys(config)?,
        heads,
        retention_days: config
            .retention_days
            .as_deref()
            .map(|v| match v.parse() {
                Ok(days) if days > 0 => Ok(days),
                _ => Err(StartError::RetentionDays(v.to_string())),
            })
            .transpose()?,
    })
}

/// Names under the endpoint that are the function's own pages, not forms.
const RESERVED: [&str; 3] = ["status", "tautan", "en"];

/// The links' key: `LINK_SECRET`, the secrets store, or (for a local outbox only) a key kept
/// beside it.
fn keys(config: &Config) -> Result<Keys, StartError> {
    match (&config.link_secret, &config.link_secret_secret) {
        (Some(secret), _) => Ok(Keys::new(secret.as_bytes())?),
        (None, Some(id)) => Ok(Keys::new(crate::secret::from_extension(id)?.as_bytes())?),
        (None, None) if config.requests_table.is_some() => Err(StartError::NoLinkSecret),
        (None, None) if config.outbox_bucket.is_none() => {
            Ok(Keys::in_file(&config.outbox_dir.join("kunci-tautan"))?)
        }
        // An S3 outbox without a table keeps no requests, so no link is signed: a key of
        // this instance is enough.
        (None, None) => Ok(Keys::ephemeral()?),
    }
}

/// The shared table: the requests' store, and the guard's counters and receipts.
#[cfg(feature = "s3")]
fn open_table(config: &Config, name: &str, guard: &mut Guard) -> Result<Store, StartError> {
    let table = crate::table::Table::open(name, config.dynamodb_endpoint.clone())
        .map(std::sync::Arc::new)
        .map_err(|source| StartError::Table {
            name: name.to_string(),
            source,
        })?;
    guard.shared = Some(std::sync::Arc::clone(&table));
    Ok(Store::Table(table))
}

#[cfg(not(feature = "s3"))]
fn open_table(_: &Config, _: &str, _: &mut Guard) -> Result<Store, StartError> {
    Err(StartError::NoTableSupport)
}

/// The settings and the definitions: from `SITE_DIR`, or those built into the binary.
fn read_site(config: &Config) -> Result<(SiteFile, BTreeMap<String, Form>), StartError> {
    let (text, name, forms) = match &config.site_dir {
        Some(dir) => {
            let path = dir.join("content/site.yaml");
            let text = std::fs::read_to_string(&path).map_err(|source| StartError::Read {
                path: path.clone(),
                source,
            })?;
            (text, path.display().to_string(), schema::load_dir(dir))
        }
        None => {
            use crate::embedded::{FORMS, LISTS, SITE};
            let text = SITE.ok_or(StartError::NoSite)?;
            (
                text.to_string(),
                "the built-in content/site.yaml".to_string(),
                schema::parse_all(FORMS, LISTS),
            )
        }
    };
    let site = serde_yaml::from_str(&text).map_err(|source| StartError::Site { name, source })?;
    let forms = forms.map_err(|errors| {
        StartError::Forms(
            errors
                .iter()
                .map(|e| format!("{}: {}", e.file, e.message))
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })?;
    Ok((site, forms))
}

/// The holidays list: the site's, or the one built into the binary; none is an empty list
/// (the build warns about missing years, not the function).
fn read_holidays(config: &Config) -> Result<Holidays, StartError> {
    let text = match &config.site_dir {
        Some(dir) => {
            let path = dir.join(HOLIDAYS_FILE);
            match std::fs::read_to_string(&path) {
                Ok(text) => Some(text),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(source) => return Err(StartError::Read { path, source }),
            }
        }
        None => crate::embedded::HOLIDAYS.map(str::to_string),
    };
    Ok(match text {
        Some(text) => Holidays::parse(&text)?,
        None => Holidays::default(),
    })
}

fn open_mailer(config: &Config) -> Result<Mailer, StartError> {
    let smtp_url = match (&config.smtp_url, &config.smtp_url_secret) {
        (Some(url), _) => Some(url.clone()),
        (None, Some(secret)) => Some(crate::secret::from_extension(secret)?),
        (None, None) => None,
    };
    Ok(match &smtp_url {
        Some(url) => Mailer::smtp(url, config.smtp_ca_file.as_deref())?,
        None => Mailer::files(&config.mail_dir)?,
    })
}

fn mailbox(setting: &str, value: &str) -> Result<Mailbox, StartError> {
    value.parse().map_err(|source| StartError::Address {
        setting: setting.to_string(),
        value: value.to_string(),
        source,
    })
}

/// Desk key → address (of the desk, or of its head). A placeholder is only acceptable while
/// mail goes to a local folder.
fn addresses(
    settings: &BTreeMap<String, serde_yaml::Value>,
    mailer: &Mailer,
) -> Result<BTreeMap<String, String>, StartError> {
    let mut desks = BTreeMap::new();
    let mut unconfirmed = Vec::new();
    for (key, value) in settings {
        match value.as_str() {
            Some(address) => {
                mailbox(&format!("desk `{key}`"), address)?;
                desks.insert(key.clone(), address.to_string());
            }
            None if mailer.is_local() => {
                desks.insert(key.clone(), format!("meja-{key}@contoh.invalid"));
            }
            None => unconfirmed.push(key.clone()),
        }
    }
    if unconfirmed.is_empty() {
        Ok(desks)
    } else {
        Err(StartError::Unconfirmed(unconfirmed))
    }
}

/// Desk key → its head's address. A head still to confirm is left out (escalations then go
/// to `ADMIN_EMAIL`), except while mail goes to a local folder.
fn heads(
    settings: &BTreeMap<String, serde_yaml::Value>,
    mailer: &Mailer,
) -> BTreeMap<String, String> {
    settings
        .iter()
        .filter_map(|(key, value)| match value.as_str() {
            Some(address) if address.parse::<Mailbox>().is_ok() => {
                Some((key.clone(), address.to_string()))
            }
            None if mailer.is_local() => {
                Some((key.clone(), format!("kepala-{key}@contoh.invalid")))
            }
            _ => None,
        })
        .collect()
}

/// Every desk a form or one of its routes names is listed.
fn check_desks(
    forms: &BTreeMap<String, Form>,
    desks: &BTreeMap<String, String>,
) -> Result<(), StartError> {
    for form in forms.values() {
        if let Some(desk) = form.desks().find(|d| !desks.contains_key(*d)) {
            return Err(StartError::UnknownDesk {
                form: form.id.clone(),
                desk: desk.clone(),
            });
        }
    }
    Ok(())
}

fn open_outbox(config: &Config) -> Result<Outbox, StartError> {
    match &config.outbox_bucket {
        None => Outbox::open(&config.outbox_dir).map_err(|source| StartError::Outbox {
            path: config.outbox_dir.clone(),
            source,
        }),
        #[cfg(feature = "s3")]
        Some(b) => crate::outbox::s3::Bucket::open(b.clone())
            .map(Outbox::S3)
            .map_err(|e| {
                StartError::Service(format!("cannot open the outbox bucket `{}`: {e}", b.bucket))
            }),
        #[cfg(not(feature = "s3"))]
        Some(b) => Err(StartError::Service(format!(
            "OUTBOX_BUCKET is `{}`, but this build has no S3 support (the `s3` feature)",
            b.bucket
        ))),
    }
}
