//! The state every Lambda instance must share, in one DynamoDB table (`REQUESTS_TABLE`):
//! the tracked requests, the receipts remembered for duplicates, the rate-limit counters and
//! the marks of things done once (a day's digest). One string key `pk`, prefixed by kind
//! (`req#`, `receipt#`, `rate#`, `mark#`); `doc` holds a JSON document, `version` a
//! request's version for conditional writes, `n` a counter, `expires` the TTL (seconds).
//!
//! Like the S3 outbox, the table keeps a small runtime of its own and each call waits for
//! its answer, bounded by timeouts.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::meta::region::RegionProviderChain;
use aws_config::timeout::TimeoutConfig;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{DisplayErrorContext, SdkError};
use aws_sdk_dynamodb::operation::put_item::builders::PutItemFluentBuilder;
use aws_sdk_dynamodb::operation::put_item::{PutItemError, PutItemOutput};
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};

use crate::outbox::s3::run_on;

const DEFAULT_REGION: &str = "ap-southeast-3";

/// A document and the version it was written with.
pub type Versioned = (String, u64);

pub struct Table {
    client: Client,
    name: String,
    runtime: tokio::runtime::Runtime,
}

impl std::fmt::Debug for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Table({})", self.name)
    }
}

fn failed<E: std::error::Error>(what: &str, err: E) -> io::Error {
    io::Error::other(format!("DynamoDB {what}: {}", DisplayErrorContext(err)))
}

/// A conditional put's outcome: written, or `false` when its condition did not hold.
fn conditional(
    result: Result<PutItemOutput, SdkError<PutItemError, HttpResponse>>,
) -> io::Result<bool> {
    match result {
        Ok(_) => Ok(true),
        Err(e)
            if e.as_service_error()
                .is_some_and(PutItemError::is_conditional_check_failed_exception) =>
        {
            Ok(false)
        }
        Err(e) => Err(failed("PutItem", e)),
    }
}

fn s(text: impl Into<String>) -> AttributeValue {
    AttributeValue::S(text.into())
}

fn n(number: u64) -> AttributeValue {
    AttributeValue::N(number.to_string())
}

fn number(item: &HashMap<String, AttributeValue>, name: &str) -> u64 {
    item.get(name)
        .and_then(|v| v.as_n().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn document(item: &HashMap<String, AttributeValue>) -> Option<Versioned> {
    let doc = item.get("doc")?.as_s().ok()?.clone();
    Some((doc, number(item, "version")))
}

impl Table {
    /// The table `name`; credentials and region from the usual AWS chain, `endpoint` for a
    /// DynamoDB-protocol server other than AWS's.
    pub fn open(name: &str, endpoint: Option<String>) -> io::Result<Table> {
        Table::open_with(name, endpoint, None)
    }

    /// [`Table::open`] with the given credentials instead of the chain's (a test server's).
    pub fn open_with(
        name: &str,
        endpoint: Option<String>,
        credentials: Option<aws_sdk_dynamodb::config::Credentials>,
    ) -> io::Result<Table> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("state-dynamodb")
            .enable_all()
            .build()?;
        let timeouts = TimeoutConfig::builder()
            .connect_timeout(Duration::from_secs(3))
            .operation_attempt_timeout(Duration::from_secs(5))
            .operation_timeout(Duration::from_secs(15))
            .build();
        let client = run_on(&runtime, async move {
            let mut loader = aws_config::defaults(BehaviorVersion::latest())
                .region(RegionProviderChain::default_provider().or_else(DEFAULT_REGION))
                .timeout_config(timeouts);
            if let Some(url) = endpoint {
                loader = loader.endpoint_url(url);
            }
            if let Some(credentials) = credentials {
                loader = loader.credentials_provider(credentials);
            }
            Client::new(&loader.load().await)
        })?;
        Ok(Table {
            client,
            name: name.to_string(),
            runtime,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    fn run<T: Send + 'static>(
        &self,
        future: impl Future<Output = io::Result<T>> + Send + 'static,
    ) -> io::Result<T> {
        run_on(&self.runtime, future)?
    }

    /// A put of `doc` under `pk` with its version and expiry, sent as it is or with a
    /// condition.
    fn put_item(
        &self,
        pk: &str,
        doc: &str,
        version: u64,
        expires: Option<u64>,
    ) -> PutItemFluentBuilder {
        let put = self
            .client
            .put_item()
            .table_name(&self.name)
            .item("pk", s(pk))
            .item("doc", s(doc))
            .item("version", n(version));
        match expires {
            Some(at) => put.item("expires", n(at)),
            None => put,
        }
    }

    /// Writes a new item; `false` (nothing written) when `pk` exists.
    pub fn put_new(&self, pk: &str, doc: &str, expires: Option<u64>) -> io::Result<bool> {
        let put = self
            .put_item(pk, doc, 1, expires)
            .condition_expression("attribute_not_exists(pk)");
        self.run(async move { conditional(put.send().await) })
    }

    /// Writes `doc` over whatever `pk` holds.
    pub fn put(&self, pk: &str, doc: &str, expires: Option<u64>) -> io::Result<()> {
        let put = self.put_item(pk, doc, 1, expires);
        self.run(async move {
            put.send().await.map_err(|e| failed("PutItem", e))?;
            Ok(())
        })
    }

    /// Replaces the document of `pk` (with an expiry, or none) if it still has `version`;
    /// `false` when another writer changed it first (read it again and retry).
    pub fn replace(
        &self,
        pk: &str,
        doc: &str,
        version: u64,
        expires: Option<u64>,
    ) -> io::Result<bool> {
        let put = self
            .put_item(pk, doc, version + 1, expires)
            .condition_expression("version = :seen")
            .expression_attribute_values(":seen", n(version));
        self.run(async move { conditional(put.send().await) })
    }

    /// The item `pk`, read consistently; `None` when absent (or expired at `now` but not yet
    /// removed).
    fn item(&self, pk: &str, now: u64) -> io::Result<Option<HashMap<String, AttributeValue>>> {
        let get = self
            .client
            .get_item()
            .table_name(&self.name)
            .key("pk", s(pk))
            .consistent_read(true);
        self.run(async move {
            let item = get.send().await.map_err(|e| failed("GetItem", e))?.item;
            Ok(item.filter(|i| !i.contains_key("expires") || number(i, "expires") > now))
        })
    }

    /// The document of `pk` and its version, read consistently; `None` when absent (or
    /// expired but not yet removed).
    pub fn get(&self, pk: &str, now: u64) -> io::Result<Option<Versioned>> {
        Ok(self.item(pk, now)?.as_ref().and_then(document))
    }

    /// Every document whose key starts with `prefix`, all pages of the scan.
    pub fn scan(&self, prefix: &str) -> io::Result<Vec<String>> {
        let client = self.client.clone();
        let name = self.name.clone();
        let prefix = prefix.to_string();
        self.run(async move {
            let mut docs = Vec::new();
            let mut start = None;
            loop {
                let page = client
                    .scan()
                    .table_name(&name)
                    .consistent_read(true)
                    .filter_expression("begins_with(pk, :prefix)")
                    .expression_attribute_values(":prefix", s(prefix.clone()))
                    .set_exclusive_start_key(start)
                    .send()
                    .await
                    .map_err(|e| failed("Scan", e))?;
                docs.extend(page.items().iter().filter_map(document).map(|(d, _)| d));
                match page.last_evaluated_key {
                    Some(key) if !key.is_empty() => start = Some(key),
                    _ => return Ok(docs),
                }
            }
        })
    }

    /// The counter `pk` (0 when absent or expired at `now`), read consistently.
    pub fn counter(&self, pk: &str, now: u64) -> io::Result<u64> {
        Ok(self.item(pk, now)?.map_or(0, |i| number(&i, "n")))
    }

    /// Adds one to the counter `pk` (created at 1, removed after `expires`) and returns it.
    pub fn count(&self, pk: &str, expires: u64) -> io::Result<u64> {
        let update = self
            .client
            .update_item()
            .table_name(&self.name)
            .key("pk", s(pk))
            .update_expression("ADD n :one SET expires = if_not_exists(expires, :expires)")
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":expires", n(expires))
            .return_values(ReturnValue::UpdatedNew);
        self.run(async move {
            let answer = update.send().await.map_err(|e| failed("UpdateItem", e))?;
            Ok(answer.attributes.as_ref().map_or(0, |a| number(a, "n")))
        })
    }
}
