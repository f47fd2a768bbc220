//! The function's settings, from the environment (see the README of `forms-fn`).

use std::path::PathBuf;

use crate::guard::Limits as GuardLimits;
use crate::outbox::BucketSettings;

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
    /// The key that signs the desks' links (`LINK_SECRET`, at least 32 characters), or a
    /// secret holding it in the secrets store (`LINK_SECRET_SECRET`).
    pub link_secret: Option<String>,
    pub link_secret_secret: Option<String>,
    /// The DynamoDB table all instances share for requests, duplicates and rate limits
    /// (`REQUESTS_TABLE`), and a DynamoDB-protocol endpoint other than AWS's
    /// (`DYNAMODB_ENDPOINT`). Without a table: a store beside the local outbox.
    pub requests_table: Option<String>,
    pub dynamodb_endpoint: Option<String>,
    /// Days a delivered submission is kept (`RETENTION_DAYS`, as the outbox bucket's
    /// lifecycle rule): the morning round then archives the requests whose records are gone.
    pub retention_days: Option<String>,
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
            link_secret: var("LINK_SECRET"),
            link_secret_secret: var("LINK_SECRET_SECRET"),
            requests_table: var("REQUESTS_TABLE"),
            dynamodb_endpoint: var("DYNAMODB_ENDPOINT"),
            retention_days: var("RETENTION_DAYS"),
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
