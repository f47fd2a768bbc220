//! The outbox in an S3 bucket, for the AWS deployment (`OUTBOX_BUCKET`): a Lambda's own disk
//! does not outlive it. Each record is one object, written with server-side encryption
//! (SSE-S3, or SSE-KMS with `OUTBOX_KMS_KEY`); a `PUT` returns only once S3 has stored the
//! whole object, so a receipt is never given for a submission S3 does not hold.
//!
//! The handler is synchronous, the SDK is not: the bucket keeps a small runtime of its own
//! and each call waits for its answer. Every call is bounded by timeouts, so an S3 outage
//! turns into a clear "try again" for the citizen rather than a hung function.

use std::future::Future;
use std::io;
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::meta::region::RegionProviderChain;
use aws_config::timeout::TimeoutConfig;
use aws_sdk_s3::Client;
use aws_sdk_s3::config::http::HttpResponse;
use aws_sdk_s3::error::{DisplayErrorContext, SdkError};
use aws_sdk_s3::operation::list_objects_v2::ListObjectsV2Error;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{
    AbortIncompleteMultipartUpload, BucketLifecycleConfiguration, ExpirationStatus,
    LifecycleExpiration, LifecycleRule, LifecycleRuleFilter, Object, ServerSideEncryption,
};

use super::{BucketSettings as Settings, Record, decode, encode, reference_of};

/// The region when neither the environment nor a profile names one: Jakarta.
const DEFAULT_REGION: &str = "ap-southeast-3";

pub struct Bucket {
    client: Client,
    settings: Settings,
    runtime: Option<tokio::runtime::Runtime>,
}

fn s3_error<E: std::error::Error>(what: &str, err: E) -> io::Error {
    // The SDK's errors name the operation and S3's code, never an object's content.
    io::Error::other(format!("S3 {what}: {}", DisplayErrorContext(err)))
}

impl Bucket {
    /// Credentials and region come from the usual AWS chain (the Lambda's role, the
    /// environment, a profile).
    pub fn open(settings: Settings) -> io::Result<Bucket> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("outbox-s3")
            .enable_all()
            .build()?;
        let endpoint = settings.endpoint.clone();
        let timeouts = TimeoutConfig::builder()
            .connect_timeout(Duration::from_secs(3))
            .operation_attempt_timeout(Duration::from_secs(8))
            .operation_timeout(Duration::from_secs(20))
            .build();
        let client = run_on(&runtime, client(endpoint, timeouts))?;
        Ok(Bucket {
            client,
            settings,
            runtime: Some(runtime),
        })
    }

    /// Runs one SDK call to its end.
    fn run<T: Send + 'static>(
        &self,
        future: impl Future<Output = io::Result<T>> + Send + 'static,
    ) -> io::Result<T> {
        match &self.runtime {
            Some(runtime) => run_on(runtime, future)?,
            None => Err(io::Error::other("the outbox is closed")),
        }
    }

    fn key(&self, state: &str, reference: &str) -> String {
        format!("{}{state}/{reference}.json", self.settings.prefix)
    }

    fn put(&self, key: String, body: Vec<u8>) -> io::Result<()> {
        let mut request = self
            .client
            .put_object()
            .bucket(&self.settings.bucket)
            .key(key)
            .content_type("application/json")
            .body(ByteStream::from(body));
        request = match &self.settings.kms_key {
            Some(key) => request
                .server_side_encryption(ServerSideEncryption::AwsKms)
                .ssekms_key_id(key),
            None => request.server_side_encryption(ServerSideEncryption::Aes256),
        };
        self.run(async move {
            request.send().await.map_err(|e| s3_error("PUT", e))?;
            Ok(())
        })
    }

    fn get(&self, key: String) -> io::Result<Vec<u8>> {
        let request = self
            .client
            .get_object()
            .bucket(&self.settings.bucket)
            .key(key);
        self.run(async move {
            let object = request.send().await.map_err(|e| {
                if e.as_service_error().is_some_and(|e| e.is_no_such_key()) {
                    io::Error::new(io::ErrorKind::NotFound, "no such record")
                } else {
                    s3_error("GET", e)
                }
            })?;
            let body = object.body.collect().await.map_err(io::Error::other)?;
            Ok(body.into_bytes().to_vec())
        })
    }

    fn exists(&self, key: String) -> io::Result<bool> {
        let request = self
            .client
            .head_object()
            .bucket(&self.settings.bucket)
            .key(key);
        self.run(async move {
            match request.send().await {
                Ok(_) => Ok(true),
                Err(e) if e.as_service_error().is_some_and(|e| e.is_not_found()) => Ok(false),
                Err(e) => Err(s3_error("HEAD", e)),
            }
        })
    }

    fn delete(&self, key: String) -> io::Result<()> {
        let request = self
            .client
            .delete_object()
            .bucket(&self.settings.bucket)
            .key(key);
        self.run(async move {
            request.send().await.map_err(|e| s3_error("DELETE", e))?;
            Ok(())
        })
    }

    /// Every object under `{prefix}{state}/`: its key and when it was last written
    /// (seconds since 1970).
    fn list(&self, state: &str) -> io::Result<Vec<(String, i64)>> {
        let client = self.client.clone();
        let bucket = self.settings.bucket.clone();
        let prefix = format!("{}{state}/", self.settings.prefix);
        self.run(async move {
            let objects = list_objects(&client, &bucket, &prefix)
                .await
                .map_err(|e| s3_error("LIST", e))?;
            Ok(objects
                .iter()
                .filter_map(|o| {
                    let modified = o.last_modified().map_or(0, |t| t.secs());
                    Some((o.key()?.to_string(), modified))
                })
                .collect())
        })
    }

    pub fn save(&self, record: &Record) -> io::Result<()> {
        self.put(self.key("pending", &record.reference), encode(record)?)
    }

    /// Writes the delivered record to `sent/`, then removes it from `pending/`. Should the
    /// second step fail, the record is in both; [`Bucket::pending`] finishes the
    /// move rather than mailing it again.
    pub fn mark_sent(&self, record: &Record) -> io::Result<()> {
        self.put(self.key("sent", &record.reference), encode(record)?)?;
        self.delete(self.key("pending", &record.reference))
    }

    /// The references waiting in `pending/`, with when each was last written. A record
    /// also in `sent/` (a move a crash interrupted) has its move finished here instead.
    pub fn pending(&self) -> io::Result<Vec<(String, u64)>> {
        let sent: std::collections::HashSet<String> = self
            .list("sent")?
            .iter()
            .filter_map(|(key, _)| reference_of(key).map(str::to_string))
            .collect();
        let mut pending = Vec::new();
        for (key, modified) in self.list("pending")? {
            let Some(reference) = reference_of(&key) else {
                continue;
            };
            if sent.contains(reference) {
                self.delete(key)?;
                continue;
            }
            pending.push((reference.to_string(), u64::try_from(modified).unwrap_or(0)));
        }
        Ok(pending)
    }

    pub fn load(&self, reference: &str) -> io::Result<Record> {
        decode(&self.get(self.key("pending", reference))?)
    }

    pub fn load_sent(&self, reference: &str) -> io::Result<Record> {
        decode(&self.get(self.key("sent", reference))?)
    }

    pub fn is_sent(&self, reference: &str) -> io::Result<bool> {
        self.exists(self.key("sent", reference))
    }

    pub fn purge_sent(&self, cutoff: u64) -> io::Result<usize> {
        let cutoff = i64::try_from(cutoff).unwrap_or(i64::MAX);
        let mut purged = 0;
        for (key, modified) in self.list("sent")? {
            if reference_of(&key).is_some() && modified < cutoff {
                self.delete(key)?;
                purged += 1;
            }
        }
        Ok(purged)
    }

    /// Sets the bucket's lifecycle so S3 itself deletes delivered records `days` after
    /// delivery, whether or not anyone runs the purge command; pending records never expire.
    pub fn set_retention(&self, days: u32) -> io::Result<()> {
        let days = i32::try_from(days.max(1)).unwrap_or(i32::MAX);
        let rule = |id: &str, prefix: String| {
            LifecycleRule::builder()
                .id(id)
                .status(ExpirationStatus::Enabled)
                .filter(LifecycleRuleFilter::builder().prefix(prefix).build())
        };
        let sent = rule("sent-retention", format!("{}sent/", self.settings.prefix))
            .expiration(LifecycleExpiration::builder().days(days).build())
            .build()
            .map_err(io::Error::other)?;
        let uploads = rule("abandoned-uploads", self.settings.prefix.clone())
            .abort_incomplete_multipart_upload(
                AbortIncompleteMultipartUpload::builder()
                    .days_after_initiation(1)
                    .build(),
            )
            .build()
            .map_err(io::Error::other)?;
        let configuration = BucketLifecycleConfiguration::builder()
            .rules(sent)
            .rules(uploads)
            .build()
            .map_err(io::Error::other)?;
        let request = self
            .client
            .put_bucket_lifecycle_configuration()
            .bucket(&self.settings.bucket)
            .lifecycle_configuration(configuration);
        self.run(async move {
            request
                .send()
                .await
                .map_err(|e| s3_error("PUT lifecycle", e))?;
            Ok(())
        })
    }

    pub fn describe(&self) -> String {
        format!("s3://{}/{}", self.settings.bucket, self.settings.prefix)
    }
}

impl Drop for Bucket {
    fn drop(&mut self) {
        // Dropping a runtime blocks, which is not allowed where the bucket may be dropped
        // (inside another runtime's task): let its threads wind down on their own.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// An S3 client from the usual AWS chain (the function's role, the environment, a profile;
/// the region defaults to Jakarta), or for an S3-compatible `endpoint`, addressed path-style.
/// Shared with the generator's `deploy`.
pub async fn client(endpoint: Option<String>, timeouts: TimeoutConfig) -> Client {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(RegionProviderChain::default_provider().or_else(DEFAULT_REGION))
        .timeout_config(timeouts);
    if let Some(url) = &endpoint {
        loader = loader.endpoint_url(url);
    }
    let config = loader.load().await;
    let mut builder = aws_sdk_s3::config::Builder::from(&config);
    if endpoint.is_some() {
        builder = builder.force_path_style(true);
    }
    Client::from_conf(builder.build())
}

/// Every object under `prefix`, all pages of the listing.
pub async fn list_objects(
    client: &Client,
    bucket: &str,
    prefix: &str,
) -> Result<Vec<Object>, SdkError<ListObjectsV2Error, HttpResponse>> {
    let mut objects = Vec::new();
    let mut token = None;
    loop {
        let page = client
            .list_objects_v2()
            .bucket(bucket)
            .prefix(prefix)
            .set_continuation_token(token)
            .send()
            .await?;
        objects.extend(page.contents().iter().cloned());
        token = page.next_continuation_token().map(str::to_string);
        if token.is_none() || page.is_truncated() != Some(true) {
            return Ok(objects);
        }
    }
}

/// Runs `future` on `runtime` and waits for it from this (non-async) thread.
pub(crate) fn run_on<T: Send + 'static>(
    runtime: &tokio::runtime::Runtime,
    future: impl Future<Output = T> + Send + 'static,
) -> io::Result<T> {
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    runtime.spawn(async move {
        let _ = tx.send(future.await);
    });
    rx.recv()
        .map_err(|_| io::Error::other("the S3 client stopped"))
}
