//! Reading the report input from a running process over its HTTP endpoint.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Deserialize;

use super::input::{AlertChange, ReportInput};
use crate::series::Point;
use crate::snapshot::Snapshot;

const TIMEOUT: Duration = Duration::from_secs(10);

/// Error returned by [`fetch`].
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The address is not an `http://` or `https://` URL.
    #[error("invalid address {0:?}: expected http://HOST:PORT, such as http://127.0.0.1:9184")]
    Address(String),
    /// The connection or the request failed.
    #[error("request to {url} failed: {source}")]
    Request {
        /// The URL requested.
        url: String,
        /// Error from the HTTP client.
        source: Box<ureq::Error>,
    },
    /// The server returned an error status.
    #[error("{url} returned {status}: {body}")]
    Status {
        /// The URL requested.
        url: String,
        /// The HTTP status.
        status: String,
        /// The start of the response body.
        body: String,
    },
    /// The body is not what the endpoint serves.
    #[error("{url} returned unexpected JSON: {source}")]
    Parse {
        /// The URL requested.
        url: String,
        /// Position and cause of the mismatch.
        source: serde_json::Error,
    },
}

#[derive(Deserialize)]
struct SeriesReply {
    series: Vec<SiteSeries>,
}

#[derive(Deserialize)]
struct SiteSeries {
    site: String,
    points: Vec<Point>,
}

/// The part of `GET /api/alerts` a report uses.
#[derive(Deserialize)]
struct AlertsReply {
    #[serde(default)]
    active: Vec<ActiveAlert>,
    #[serde(default)]
    history: Vec<HistoryItem>,
}

#[derive(Deserialize)]
struct ActiveAlert {
    rule: String,
    severity: Option<String>,
}

#[derive(Deserialize)]
struct HistoryItem {
    at_ms: u64,
    rule: String,
    kind: String,
    from: Option<String>,
    to: Option<String>,
    value: Option<f64>,
}

/// Builds the input of a report from a running process: its snapshot and the time series of
/// the last `period`, read from `base_url` (`http://127.0.0.1:9184`) with `token` as the
/// bearer token when the endpoint requires one.
pub fn fetch(base_url: &str, token: Option<&str>, period: Duration) -> Result<ReportInput, FetchError> {
    let base = base_url.trim_end_matches('/');
    if !(base.starts_with("http://") || base.starts_with("https://")) || base.contains('?') {
        return Err(FetchError::Address(base_url.to_owned()));
    }
    let agent: ureq::Agent =
        ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(TIMEOUT)).build().into();

    let snapshot: Snapshot = get_json(&agent, &format!("{base}/api/snapshot"), token)?;
    let window_ms = period.as_millis().max(1);
    let series: SeriesReply = get_json(&agent, &format!("{base}/api/series?window_ms={window_ms}"), token)?;

    let series: BTreeMap<String, Vec<Point>> =
        series.series.into_iter().map(|entry| (entry.site, entry.points)).collect();
    let alerts: AlertsReply = get_json(&agent, &format!("{base}/api/alerts"), token)?;

    let mut input = ReportInput::from_series(snapshot, series, base);
    let since_ms = input.to_ms.saturating_sub(window_ms as u64);
    input.from_ms = input.from_ms.max(since_ms);
    input.alerts = alert_changes(alerts, since_ms);
    Ok(input)
}

fn alert_changes(alerts: AlertsReply, since_ms: u64) -> Vec<AlertChange> {
    let severity_of =
        |rule: &str| alerts.active.iter().find(|alert| alert.rule == rule).and_then(|alert| alert.severity.clone());
    alerts
        .history
        .iter()
        .filter(|item| item.kind == "state_changed" && item.at_ms >= since_ms)
        .filter_map(|item| {
            Some(AlertChange {
                at_ms: item.at_ms,
                rule: item.rule.clone(),
                from: item.from.clone()?,
                to: item.to.clone()?,
                severity: severity_of(&item.rule),
                value: item.value,
            })
        })
        .collect()
}

fn get_json<T: for<'de> Deserialize<'de>>(
    agent: &ureq::Agent,
    url: &str,
    token: Option<&str>,
) -> Result<T, FetchError> {
    let request_error = |source| FetchError::Request { url: url.to_owned(), source: Box::new(source) };
    let mut request = agent.get(url).header("Accept", "application/json");
    if let Some(token) = token {
        request = request.header("Authorization", format!("Bearer {token}"));
    }
    let mut response = request.call().map_err(request_error)?;
    let body = response.body_mut().read_to_vec().map_err(request_error)?;

    let status = response.status();
    if !status.is_success() {
        let body = String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned();
        return Err(FetchError::Status { url: url.to_owned(), status: status.to_string(), body });
    }
    serde_json::from_slice(&body).map_err(|source| FetchError::Parse { url: url.to_owned(), source })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fetch_rejects_other_scheme() {
        let error = fetch("ftp://127.0.0.1:9184", None, Duration::from_secs(60)).unwrap_err();
        assert!(matches!(error, FetchError::Address(_)), "{error}");
    }
}
