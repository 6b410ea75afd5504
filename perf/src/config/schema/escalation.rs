//! `[escalation.NAME]`: escalation policies. An unacknowledged alert moves to the next level
//! after that level's delay, and acknowledgement or resolution stops it.
//!
//! ```toml
//! [escalation.oncall]
//! repeat = 1
//! levels = [
//!     { delay = "0s", receivers = ["pager"] },
//!     { delay = "15m", receivers = ["pager", "team_lead"] },
//! ]
//! ```

use std::time::Duration;

use serde::Serialize;

use crate::config::decode::{Decoder, ReferenceKind};
use crate::config::tree::{Node, Value};
use crate::config::units::serialize_duration;
use crate::config::values;

/// One escalation policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EscalationPolicy {
    /// Levels, in order; at least one.
    pub levels: Vec<EscalationLevel>,
    /// How many times the whole policy runs again after its last level (0: once in all).
    pub repeat: u64,
}

/// One level of an escalation policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EscalationLevel {
    /// Wait after the previous level (or after the alert fired, for the first level).
    #[serde(serialize_with = "serialize_duration")]
    pub delay: Duration,
    /// Receivers notified at this level, by name; at least one.
    pub receivers: Vec<String>,
}

pub(crate) fn decode(cx: &mut Decoder<'_>, _name: &str, node: &Node, key: &str) -> Option<EscalationPolicy> {
    let mut fields = cx.fields(node, key)?;
    let levels_node = fields.take("levels");
    let example = "levels = [{ delay = \"0s\", receivers = [\"pager\"] }]";
    let levels = fields.require(cx, "levels", example, |cx, node, key| cx.array(node, key, decode_level));
    let repeat = fields.get(cx, "repeat", values::unsigned).unwrap_or(0);
    fields.finish(cx);

    let levels = levels?;
    if levels.is_empty() {
        let origin = &levels_node?.origin;
        cx.error(
            origin,
            &format!("{key}.levels"),
            format!("{key}.levels: an escalation policy needs at least one level; {example}"),
        );
        return None;
    }
    Some(EscalationPolicy { levels, repeat })
}

fn decode_level(cx: &mut Decoder<'_>, node: &Node, key: &str) -> Option<EscalationLevel> {
    let mut fields = cx.fields(node, key)?;
    let delay = fields.get(cx, "delay", values::duration).unwrap_or_default();
    let receivers_node = fields.take("receivers");
    let receivers = fields.require(cx, "receivers", "receivers = [\"pager\"]", values::string_list);
    fields.finish(cx);

    let receivers = receivers?;
    let receivers_node = receivers_node?;
    if receivers.is_empty() {
        cx.error(
            &receivers_node.origin,
            &format!("{key}.receivers"),
            format!("{key}.receivers: a level needs at least one receiver"),
        );
        return None;
    }
    if let Value::Array(elements) = &receivers_node.value {
        for (index, (name, element)) in receivers.iter().zip(elements).enumerate() {
            cx.reference(ReferenceKind::Receiver, name, element, &format!("{key}.receivers[{index}]"));
        }
    }
    Some(EscalationLevel { delay, receivers })
}
