//! `[[routes]]`: which receiver gets which alerts, tried in order; the first route whose
//! matchers all hold wins, unless it sets `continue = true`.
//!
//! ```toml
//! [[routes]]
//! receiver = "pager"
//! matchers = ['severity="critical"']
//! group_by = ["alertname", "site"]
//! group_wait = "30s"
//! ```

use std::time::Duration;

use serde::Serialize;

use crate::config::decode::{Decoder, ReferenceKind};
use crate::config::tree::Node;
use crate::config::units::serialize_duration;
use crate::config::values;
use crate::rule::Matcher;

/// One route.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Route {
    /// Receiver of the matched alerts, by name.
    pub receiver: String,
    /// Label matchers, all of which must hold; none matches every alert.
    pub matchers: Vec<Matcher>,
    /// Whether later routes are tried after this one matched.
    #[serde(rename = "continue")]
    pub continue_matching: bool,
    /// Labels that group alerts into one notification.
    pub group_by: Vec<String>,
    /// Wait before the first notification of a new group.
    #[serde(serialize_with = "serialize_duration")]
    pub group_wait: Duration,
    /// Wait before notifying about alerts added to a group already notified.
    #[serde(serialize_with = "serialize_duration")]
    pub group_interval: Duration,
    /// Wait before notifying again about a group that has not changed.
    #[serde(serialize_with = "serialize_duration")]
    pub repeat_interval: Duration,
    /// Escalation policy of the matched alerts, by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub escalation: Option<String>,
}

pub(crate) fn decode(cx: &mut Decoder<'_>, node: &Node, key: &str) -> Option<Route> {
    let mut fields = cx.fields(node, key)?;

    let receiver_node = fields.take("receiver");
    let receiver = fields.require(cx, "receiver", "receiver = \"pager\"", values::non_empty_string);
    if let (Some(name), Some(node)) = (&receiver, receiver_node) {
        cx.reference(ReferenceKind::Receiver, name, node, &fields.path_of("receiver"));
    }

    let escalation_node = fields.take("escalation");
    let escalation = fields.get(cx, "escalation", values::non_empty_string);
    if let (Some(name), Some(node)) = (&escalation, escalation_node) {
        cx.reference(ReferenceKind::EscalationPolicy, name, node, &fields.path_of("escalation"));
    }

    let route = Route {
        receiver: receiver.unwrap_or_default(),
        matchers: fields.get(cx, "matchers", values::matchers).unwrap_or_default(),
        continue_matching: fields.get(cx, "continue", values::boolean).unwrap_or(false),
        group_by: fields.get(cx, "group_by", values::string_list).unwrap_or_default(),
        group_wait: fields.get(cx, "group_wait", values::duration).unwrap_or(Duration::from_secs(30)),
        group_interval: fields.get(cx, "group_interval", values::positive_duration).unwrap_or(Duration::from_secs(300)),
        repeat_interval: fields
            .get(cx, "repeat_interval", values::positive_duration)
            .unwrap_or(Duration::from_secs(4 * 3600)),
        escalation,
    };
    fields.finish(cx);
    Some(route)
}
