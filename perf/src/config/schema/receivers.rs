//! `[receivers.NAME]`: where notifications go, and how failed deliveries are retried.
//!
//! ```toml
//! [receivers.pager]
//! kind = "webhook"
//! url = "http://127.0.0.1:9099/alerts"
//! timeout = "5s"
//! retry = { max_attempts = 5, initial_backoff = "1s", max_backoff = "1m" }
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use crate::config::decode::{Decoder, Fields};
use crate::config::tree::Node;
use crate::config::units::{format_duration, serialize_duration, Rate};
use crate::config::values;

/// A notification channel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Receiver {
    /// The channel and its settings.
    #[serde(flatten)]
    pub kind: ReceiverKind,
    /// Retry policy of failed deliveries.
    pub retry: RetryPolicy,
    /// Most notifications sent per unit of time; the rest wait, none is dropped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<Rate>,
}

/// The kinds of notification channels.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReceiverKind {
    /// Logs each notification through `tracing`.
    Log {
        /// Log level: `info`, `warn` or `error`.
        level: String,
    },
    /// Appends each notification to a file as one JSON line.
    File {
        /// Path of the file.
        path: PathBuf,
    },
    /// POSTs the Alertmanager webhook payload (version 4) to a URL.
    Webhook {
        /// The URL, `http://` or `https://`.
        url: String,
        /// Time allowed for one request.
        #[serde(serialize_with = "serialize_duration")]
        timeout: Duration,
        /// Extra request headers.
        headers: BTreeMap<String, String>,
    },
    /// Sends alerts to an Alertmanager through its v2 API.
    Alertmanager {
        /// Base URL of the Alertmanager, such as `http://127.0.0.1:9093`.
        url: String,
        /// Time allowed for one request.
        #[serde(serialize_with = "serialize_duration")]
        timeout: Duration,
    },
    /// Calls a function registered in the program under `name`.
    Callback {
        /// Name the callback was registered under.
        name: String,
    },
}

/// Retries of a failed delivery, with exponential backoff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u64,
    /// Wait before the first retry; it doubles after each failure.
    #[serde(serialize_with = "serialize_duration")]
    pub initial_backoff: Duration,
    /// Maximum wait between two attempts.
    #[serde(serialize_with = "serialize_duration")]
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { max_attempts: 5, initial_backoff: Duration::from_secs(1), max_backoff: Duration::from_secs(60) }
    }
}

const KINDS: &[&str] = &["log", "file", "webhook", "alertmanager", "callback"];
const LOG_LEVELS: &[&str] = &["info", "warn", "error"];
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

pub(crate) fn decode(cx: &mut Decoder<'_>, _name: &str, node: &Node, key: &str) -> Option<Receiver> {
    let mut fields = cx.fields(node, key)?;
    let example = "kind = \"webhook\" (one of log, file, webhook, alertmanager, callback)";
    let kind = fields.require(cx, "kind", example, |cx, node, key| values::choice(cx, node, key, KINDS));
    let retry = fields.get(cx, "retry", decode_retry).unwrap_or_default();
    let rate_limit = fields.get(cx, "rate_limit", positive_rate);

    let kind = match kind {
        Some("log") => Some(ReceiverKind::Log {
            level: fields
                .get(cx, "level", |cx, node, key| values::choice(cx, node, key, LOG_LEVELS))
                .unwrap_or("warn")
                .to_owned(),
        }),
        Some("file") => fields
            .require(cx, "path", "path = \"/var/log/perf/alerts.jsonl\"", values::non_empty_string)
            .map(|path| ReceiverKind::File { path: PathBuf::from(path) }),
        Some("webhook") => {
            let url = fields.require(cx, "url", "url = \"http://127.0.0.1:9099/alerts\"", url);
            let timeout = fields.get(cx, "timeout", values::positive_duration).unwrap_or(DEFAULT_TIMEOUT);
            let headers = fields.get(cx, "headers", header_map).unwrap_or_default();
            url.map(|url| ReceiverKind::Webhook { url, timeout, headers })
        }
        Some("alertmanager") => {
            let url = fields.require(cx, "url", "url = \"http://127.0.0.1:9093\"", url);
            let timeout = fields.get(cx, "timeout", values::positive_duration).unwrap_or(DEFAULT_TIMEOUT);
            url.map(|url| ReceiverKind::Alertmanager { url, timeout })
        }
        Some(_) => fields
            .require(cx, "name", "name = \"page_on_call\"", values::non_empty_string)
            .map(|name| ReceiverKind::Callback { name }),
        None => {
            skip_known_keys(&mut fields);
            None
        }
    };
    fields.finish(cx);
    Some(Receiver { kind: kind?, retry, rate_limit })
}

/// Marks every key of every kind as known, so that a receiver whose `kind` is missing or wrong
/// gets that one error and not one per key.
fn skip_known_keys(fields: &mut Fields<'_>) {
    for key in ["level", "path", "url", "timeout", "headers", "name"] {
        fields.take(key);
    }
}

fn positive_rate(cx: &mut Decoder<'_>, node: &Node, key: &str) -> Option<Rate> {
    let rate = values::rate(cx, node, key)?;
    if rate.0 <= 0.0 {
        cx.error(
            &node.origin,
            key,
            format!("{key}: a rate limit of {} lets nothing through; use more than 0, like \"10/m\"", node.display()),
        );
        return None;
    }
    Some(rate)
}

/// Reads an `http://` or `https://` URL with a host.
pub(crate) fn url(cx: &mut Decoder<'_>, node: &Node, key: &str) -> Option<String> {
    let text = values::string(cx, node, key)?;
    let rest = text.strip_prefix("http://").or_else(|| text.strip_prefix("https://"));
    let host = rest.map(|rest| rest.split(['/', '?', '#']).next().unwrap_or(""));
    let valid = host.is_some_and(|host| !host.is_empty() && !host.contains(char::is_whitespace));
    if !valid {
        let message = format!("{key}: invalid URL {text:?}; expected http:// or https:// and a host, like \"http://127.0.0.1:9099/alerts\"");
        cx.error(&node.origin, key, message);
        return None;
    }
    Some(text)
}

fn header_map(cx: &mut Decoder<'_>, node: &Node, key: &str) -> Option<BTreeMap<String, String>> {
    let Some(table) = node.as_table() else {
        cx.wrong_type(node, key, "a table of header names and values");
        return None;
    };
    let mut headers = BTreeMap::new();
    for entry in &table.entries {
        let entry_key = crate::config::decode::join_key(key, &entry.key);
        if let Some(value) = values::string(cx, &entry.node, &entry_key) {
            headers.insert(entry.key.clone(), value);
        }
    }
    Some(headers)
}

fn decode_retry(cx: &mut Decoder<'_>, node: &Node, key: &str) -> Option<RetryPolicy> {
    let defaults = RetryPolicy::default();
    let mut fields = cx.fields(node, key)?;
    let max_attempts = fields.get(cx, "max_attempts", values::positive_integer).unwrap_or(defaults.max_attempts);
    let initial_backoff =
        fields.get(cx, "initial_backoff", values::positive_duration).unwrap_or(defaults.initial_backoff);
    let max_node = fields.take("max_backoff");
    let max_backoff = max_node.and_then(|node| values::positive_duration(cx, node, &format!("{key}.max_backoff")));
    fields.finish(cx);

    let max_backoff = max_backoff.unwrap_or(defaults.max_backoff.max(initial_backoff));
    if max_backoff < initial_backoff {
        let message = format!(
            "{key}.max_backoff: {} is shorter than initial_backoff {}; use {} or more",
            format_duration(max_backoff),
            format_duration(initial_backoff),
            format_duration(initial_backoff)
        );
        cx.error(&max_node.unwrap_or(node).origin, &format!("{key}.max_backoff"), message);
        return None;
    }
    Some(RetryPolicy { max_attempts, initial_backoff, max_backoff })
}
