//! The Alerts view's routes, over the installed [`AlertManager`](crate::alert::AlertManager):
//!
//! - `GET /api/alerts`: pending, firing and recently resolved alerts, the history of state
//!   changes and acknowledgements, receivers with their last delivery, and silences;
//! - `POST /api/alerts/ack` with `{"id": FINGERPRINT, "by": NAME, "comment": TEXT}`;
//! - `POST /api/alerts/silence` with `{"id": FINGERPRINT, "duration": "1h", "comment": TEXT}`,
//!   which silences that alert's exact labels.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::response::Response;
use crate::alert::{
    self, AlertError, AlertStatus, DeliveryRecord, DeliveryStatus, HistoryEvent, Matcher, Muted, Silence,
};

/// Name recorded for an acknowledgement or silence when the request gives none.
const DEFAULT_ACTOR: &str = "dashboard";
/// Maximum length of a silence set from the dashboard.
const MAX_SILENCE: Duration = Duration::from_secs(7 * 24 * 3600);

#[derive(Debug, Serialize)]
struct AlertsReply {
    /// Whether an alert manager is installed in the process.
    installed: bool,
    active: Vec<AlertView>,
    history: Vec<HistoryView>,
    receivers: Vec<ReceiverView>,
    silences: Vec<SilenceView>,
}

#[derive(Debug, Serialize)]
struct AlertView {
    /// The fingerprint, which the actions take.
    id: String,
    rule: String,
    state: &'static str,
    severity: &'static str,
    summary: Option<String>,
    value: Option<f64>,
    labels: BTreeMap<String, String>,
    /// When the condition started to hold.
    since_ms: Option<u64>,
    acknowledged: bool,
    acknowledged_by: Option<String>,
    /// `silenced` or `inhibited` when notifications are muted.
    muted: Option<&'static str>,
    silenced_until_ms: Option<u64>,
    flapping: bool,
    // NOTE: the escalation level of an alert is not exposed by the alert manager yet, so the
    // view leaves it out.
}

#[derive(Debug, Serialize)]
struct HistoryView {
    at_ms: u64,
    rule: String,
    /// `state_changed` or `acknowledged`.
    kind: &'static str,
    from: Option<&'static str>,
    to: Option<&'static str>,
    value: Option<f64>,
    by: Option<String>,
}

#[derive(Debug, Serialize)]
struct ReceiverView {
    name: String,
    last_delivery_ms: Option<u64>,
    /// `ok`, `failed`, `retrying` or `pending`, for the newest notification.
    last_status: &'static str,
    last_error: Option<String>,
    /// Notifications that failed after every retry, among those kept.
    failures: usize,
    deliveries: usize,
}

#[derive(Debug, Serialize)]
struct SilenceView {
    id: String,
    matchers: Vec<String>,
    ends_at_ms: u64,
    created_by: String,
    comment: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AckRequest {
    id: String,
    by: Option<String>,
    comment: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SilenceRequest {
    id: String,
    duration: String,
    by: Option<String>,
    comment: Option<String>,
}

pub(crate) fn list() -> Response {
    let Some(manager) = alert::installed() else {
        let empty =
            AlertsReply { installed: false, active: vec![], history: vec![], receivers: vec![], silences: vec![] };
        return Response::json(200, &empty);
    };
    let now = SystemTime::now();
    let silences = manager.silences();
    let reply = AlertsReply {
        installed: true,
        active: manager.alerts().into_iter().map(|status| alert_view(status, &silences)).collect(),
        history: manager.history().into_iter().filter_map(history_view).collect(),
        receivers: receivers(&manager.deliveries()),
        silences: silences.iter().filter(|silence| silence.is_active(now)).map(silence_view).collect(),
    };
    Response::json(200, &reply)
}

pub(crate) fn acknowledge(body: &[u8]) -> Response {
    let request: AckRequest = match serde_json::from_slice(body) {
        Ok(request) => request,
        Err(error) => {
            return Response::error(400, format!("invalid acknowledgement: {error}; expected {{\"id\": FINGERPRINT}}"))
        }
    };
    let Some(manager) = alert::installed() else { return not_installed() };
    let by = request.by.as_deref().unwrap_or(DEFAULT_ACTOR);
    match manager.acknowledge(&request.id, by, request.comment.as_deref().unwrap_or("")) {
        Ok(()) => Response::json(200, &serde_json::json!({ "acknowledged": request.id })),
        Err(error) => alert_error(error),
    }
}

pub(crate) fn silence(body: &[u8]) -> Response {
    let request: SilenceRequest = match serde_json::from_slice(body) {
        Ok(request) => request,
        Err(error) => {
            return Response::error(
                400,
                format!("invalid silence: {error}; expected {{\"id\": FINGERPRINT, \"duration\": \"1h\"}}"),
            )
        }
    };
    let duration = match humantime::parse_duration(&request.duration) {
        Ok(duration) if !duration.is_zero() && duration <= MAX_SILENCE => duration,
        _ => {
            return Response::error(
                400,
                format!(
                    "invalid silence duration {:?}: use a duration from 1s to 7d, such as 15m or 4h",
                    request.duration
                ),
            )
        }
    };
    let Some(manager) = alert::installed() else { return not_installed() };
    let Some(status) = manager.alerts().into_iter().find(|status| status.alert.fingerprint == request.id) else {
        return alert_error(AlertError::UnknownAlert(request.id));
    };

    let matchers =
        status.alert.labels.iter().map(|(name, value)| Matcher::equal(name.clone(), value.clone())).collect();
    let now = manager.clock().now();
    let by = request.by.as_deref().unwrap_or(DEFAULT_ACTOR);
    let silence = Silence::new(matchers, now, now + duration).by(by, request.comment.as_deref().unwrap_or(""));
    match manager.add_silence(silence) {
        Ok(id) => Response::json(200, &serde_json::json!({ "silence": id, "ends_at_ms": unix_ms(now + duration) })),
        Err(error) => alert_error(error),
    }
}

fn alert_view(status: AlertStatus, silences: &[Silence]) -> AlertView {
    let alert = status.alert;
    let (muted, silenced_until_ms) = match &status.muted {
        None => (None, None),
        Some(Muted::Inhibited) => (Some("inhibited"), None),
        Some(Muted::Silenced(ids)) => {
            let until =
                silences.iter().filter(|silence| ids.contains(&silence.id)).map(|silence| silence.ends_at).max();
            (Some("silenced"), until.map(unix_ms))
        }
    };
    AlertView {
        id: alert.fingerprint,
        summary: alert.annotations.get("summary").cloned(),
        labels: alert.labels.iter().map(|(name, value)| (name.clone(), value.clone())).collect(),
        rule: alert.rule,
        state: alert.state.as_str(),
        severity: alert.severity.as_str(),
        value: alert.value,
        since_ms: alert.active_at.map(unix_ms),
        acknowledged: alert.acknowledged.is_some(),
        acknowledged_by: alert.acknowledged.map(|acknowledgement| acknowledgement.by),
        muted,
        silenced_until_ms,
        flapping: alert.flapping,
    }
}

fn history_view(entry: alert::HistoryEntry) -> Option<HistoryView> {
    let at_ms = unix_ms(entry.at);
    match entry.event {
        HistoryEvent::StateChanged { rule, from, to, value, .. } => Some(HistoryView {
            at_ms,
            rule,
            kind: "state_changed",
            from: Some(from.as_str()),
            to: Some(to.as_str()),
            value,
            by: None,
        }),
        HistoryEvent::Acknowledged { rule, by, .. } => {
            Some(HistoryView { at_ms, rule, kind: "acknowledged", from: None, to: None, value: None, by: Some(by) })
        }
        HistoryEvent::Delivered { .. } | HistoryEvent::DeliveryFailed { .. } => None,
    }
}

/// Groups deliveries by receiver; the newest record (highest id) gives the last status.
fn receivers(deliveries: &[DeliveryRecord]) -> Vec<ReceiverView> {
    let mut by_receiver: BTreeMap<&str, Vec<&DeliveryRecord>> = BTreeMap::new();
    for record in deliveries {
        by_receiver.entry(record.receiver.as_str()).or_default().push(record);
    }
    by_receiver
        .into_iter()
        .map(|(name, records)| {
            let last = records.iter().max_by_key(|record| record.id).expect("a receiver is listed with its records");
            let last_attempt = last.attempts.last();
            ReceiverView {
                name: name.to_owned(),
                last_delivery_ms: last_attempt.map(|attempt| unix_ms(attempt.at)),
                last_status: match last.status {
                    DeliveryStatus::Delivered => "ok",
                    DeliveryStatus::Failed => "failed",
                    DeliveryStatus::Retrying => "retrying",
                    DeliveryStatus::Pending => "pending",
                },
                last_error: last_attempt.and_then(|attempt| attempt.error.clone()),
                failures: records.iter().filter(|record| record.status == DeliveryStatus::Failed).count(),
                deliveries: records.len(),
            }
        })
        .collect()
}

fn silence_view(silence: &Silence) -> SilenceView {
    SilenceView {
        id: silence.id.clone(),
        matchers: silence.matchers.iter().map(ToString::to_string).collect(),
        ends_at_ms: unix_ms(silence.ends_at),
        created_by: silence.created_by.clone(),
        comment: silence.comment.clone(),
    }
}

fn alert_error(error: AlertError) -> Response {
    let status = match error {
        AlertError::UnknownAlert(_) | AlertError::UnknownSilence(_) => 404,
        AlertError::Invalid(_) => 409,
        _ => 400,
    };
    Response::error(status, error.to_string())
}

fn not_installed() -> Response {
    Response::error(409, "no alert manager is installed in this process; install one with perf::alert::install")
}

fn unix_ms(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |since| since.as_millis().min(u128::from(u64::MAX)) as u64)
}
