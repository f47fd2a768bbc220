//! `generator deploy`: the built site into an S3 bucket (the one behind CloudFront), sending
//! only what changed. A file is unchanged when the bucket's ETag (the MD5 of an object put
//! in one piece) equals the MD5 of the new build's bytes; every upload carries its
//! `Content-Type` and `Cache-Control`; what the build no longer has is deleted.

use std::collections::BTreeMap;
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::meta::region::RegionProviderChain;
use aws_sdk_s3::Client;
use aws_sdk_s3::config::timeout::TimeoutConfig;
use aws_sdk_s3::error::DisplayErrorContext;
use aws_sdk_s3::primitives::ByteStream;
use md5::{Digest, Md5};

use forms_model::content_type;

use crate::error::{Error, Result};
use crate::output::{Contents, OutputFile};
use crate::t;

/// The region when none is configured: Jakarta, where the portal is hosted.
const DEFAULT_REGION: &str = "ap-southeast-3";

pub struct DeployOptions {
    pub bucket: String,
    /// Prepended to every key, e.g. `situs/`.
    pub prefix: String,
    /// An S3-compatible endpoint instead of AWS's, addressed path-style.
    pub endpoint: Option<String>,
    /// Say what would be done, and do nothing.
    pub dry_run: bool,
}

/// What a deploy did (or, dry, would do).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Plan {
    pub upload: Vec<String>,
    pub delete: Vec<String>,
    pub unchanged: usize,
}

/// How long browsers and the CDN may keep a file: fingerprinted assets (`css/main.<hash>.css`)
/// forever, pages a few minutes, the service worker never without asking, the rest an hour.
pub fn cache_control(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or_default();
    let fingerprinted = name.split('.').count() >= 3
        && name
            .split('.')
            .nth(1)
            .is_some_and(|h| h.len() >= 8 && h.chars().all(|c| c.is_ascii_hexdigit()));
    if fingerprinted {
        "public, max-age=31536000, immutable"
    } else if path == crate::offline::WORKER {
        // A browser asks for the worker again on every visit: a deploy must reach it at once.
        "no-cache"
    } else if path.ends_with(".html") {
        "public, max-age=300"
    } else {
        "public, max-age=3600"
    }
}

fn bytes(file: &OutputFile) -> Result<Vec<u8>> {
    match &file.contents {
        Contents::Bytes(b) => Ok(b.clone()),
        Contents::Copy(source) => std::fs::read(source).map_err(|source_err| Error::Io {
            action: "read",
            path: source.clone(),
            source: source_err,
        }),
    }
}

fn md5_hex(bytes: &[u8]) -> String {
    Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `request` names the request as S3 does (`PUT key`), in either language.
fn s3_error<E: std::error::Error>(request: &str, err: E) -> Error {
    Error::Message(t!(
        "deploy.s3_failed",
        request = request,
        error = DisplayErrorContext(err)
    ))
}

/// Compares the build with the bucket and, unless dry, makes the bucket match it.
pub fn deploy(files: &[OutputFile], options: &DeployOptions) -> Result<Plan> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Message(t!("deploy.runtime_failed", error = e)))?;
    runtime.block_on(run(files, options))
}

async fn run(files: &[OutputFile], options: &DeployOptions) -> Result<Plan> {
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(5))
        .operation_timeout(Duration::from_secs(60))
        .build();
    let client = client(options.endpoint.as_deref(), timeouts).await;

    let remote = list(&client, options).await?;
    let mut plan = Plan::default();
    let mut uploads = Vec::new();
    for file in files {
        let key = format!("{}{}", options.prefix, file.path);
        let body = bytes(file)?;
        if remote.get(&key) == Some(&md5_hex(&body)) {
            plan.unchanged += 1;
        } else {
            plan.upload.push(key.clone());
            uploads.push((key, file.path.clone(), body));
        }
    }
    let built: std::collections::HashSet<String> = files
        .iter()
        .map(|f| format!("{}{}", options.prefix, f.path))
        .collect();
    plan.delete = remote
        .keys()
        .filter(|k| !built.contains(*k))
        .cloned()
        .collect();
    if options.dry_run {
        return Ok(plan);
    }
    for (key, path, body) in uploads {
        client
            .put_object()
            .bucket(&options.bucket)
            .key(&key)
            .content_type(content_type::of_path(&path))
            .cache_control(cache_control(&path))
            .body(ByteStream::from(body))
            .send()
            .await
            .map_err(|e| s3_error(&format!("PUT {key}"), e))?;
    }
    for key in &plan.delete {
        client
            .delete_object()
            .bucket(&options.bucket)
            .key(key)
            .send()
            .await
            .map_err(|e| s3_error(&format!("DELETE {key}"), e))?;
    }
    Ok(plan)
}

/// A client for the site's bucket: AWS's usual configuration (region, credentials), or an
/// S3-compatible endpoint addressed path-style.
async fn client(endpoint: Option<&str>, timeouts: TimeoutConfig) -> Client {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(RegionProviderChain::default_provider().or_else(DEFAULT_REGION))
        .timeout_config(timeouts);
    if let Some(url) = endpoint {
        loader = loader.endpoint_url(url);
    }
    let config = aws_sdk_s3::config::Builder::from(&loader.load().await)
        .force_path_style(endpoint.is_some())
        .build();
    Client::from_conf(config)
}

/// Every object under the prefix, with its ETag (quotes removed), all pages of the listing.
async fn list(client: &Client, options: &DeployOptions) -> Result<BTreeMap<String, String>> {
    let mut objects = BTreeMap::new();
    let mut token = None;
    loop {
        let page = client
            .list_objects_v2()
            .bucket(&options.bucket)
            .prefix(&options.prefix)
            .set_continuation_token(token)
            .send()
            .await
            .map_err(|e| s3_error(&format!("LIST s3://{}", options.bucket), e))?;
        for object in page.contents() {
            if let Some(key) = object.key() {
                let etag = object.e_tag().unwrap_or_default().trim_matches('"');
                objects.insert(key.to_string(), etag.to_string());
            }
        }
        token = page.next_continuation_token().map(str::to_string);
        if token.is_none() || page.is_truncated() != Some(true) {
            return Ok(objects);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprinted_assets_are_kept_forever_and_pages_briefly() {
        assert_eq!(
            cache_control("css/main.0daa4f3e2b1c9d8e.css"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(
            cache_control("layanan/paw/index.html"),
            "public, max-age=300"
        );
        assert_eq!(cache_control("sitemap.xml"), "public, max-age=3600");
        assert_eq!(cache_control("favicon.svg"), "public, max-age=3600");
        // A deploy must reach the service worker on the next visit.
        assert_eq!(cache_control("sw.js"), "no-cache");
    }

    #[test]
    fn the_md5_is_what_s3_puts_in_an_etag() {
        assert_eq!(md5_hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
    }
}
