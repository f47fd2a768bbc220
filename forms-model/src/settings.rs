//! The part of `content/site.yaml` both programs read (`forms:`), and the addresses forms
//! post to.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// Where forms post while site.yaml names no confirmed endpoint: the path a local server
/// (`generator serve`) or a CDN in front of the function answers on.
pub const DEFAULT_ENDPOINT: &str = "/api/forms";

/// `forms:` in site.yaml.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
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
    /// Desk key → the address of the desk's head, who is told when a request reaches its
    /// deadline unanswered (or a placeholder still to confirm).
    #[serde(default, rename = "kepala")]
    pub heads: BTreeMap<String, serde_yaml::Value>,
}

impl FormsSettings {
    /// The endpoint, when it is a confirmed address (not absent, not a placeholder).
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint.as_ref().and_then(serde_yaml::Value::as_str)
    }
}

/// The address a form posts to: `{endpoint}/{id}`, or `{endpoint}/en/{id}` in English, so
/// that the function answers in English even a post it refuses before reading its fields.
pub fn form_action(endpoint: &str, id: &str, lang: Lang) -> String {
    let endpoint = endpoint.trim_end_matches('/');
    match lang {
        Lang::Id => format!("{endpoint}/{id}"),
        Lang::En => format!("{endpoint}/en/{id}"),
    }
}

/// `https://host:port` of a URL, lowercased; `None` when it has no scheme and host.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest
        .split(['/', '?', '#'])
        .next()
        .filter(|h| !h.is_empty())?;
    Some(format!(
        "{}://{}",
        scheme.to_ascii_lowercase(),
        host.to_ascii_lowercase()
    ))
}
