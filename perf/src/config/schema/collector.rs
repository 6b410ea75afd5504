//! `[collector]`: the tick interval and the retention tiers of the time series.
//!
//! ```toml
//! [collector]
//! interval = "1s"
//!
//! [[collector.retention]]
//! resolution = "1s"
//! keep = "15m"
//! ```

use std::time::Duration;

use serde::Serialize;

use crate::config::decode::Decoder;
use crate::config::tree::Node;
use crate::config::units::{format_duration, serialize_duration};
use crate::config::values;
use crate::series::Retention;

/// Settings of the collector thread, mapped to [`crate::Config`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CollectorSettings {
    /// Time between two ticks; 1ms or more.
    #[serde(serialize_with = "serialize_duration")]
    pub interval: Duration,
    /// Retention tiers, finest first.
    pub retention: Vec<RetentionTier>,
}

/// One retention tier: points of `resolution`, kept for `keep`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RetentionTier {
    /// Interval covered by one point; a whole multiple of the collector interval.
    #[serde(serialize_with = "serialize_duration")]
    pub resolution: Duration,
    /// How far back the tier reaches; at least one resolution.
    #[serde(serialize_with = "serialize_duration")]
    pub keep: Duration,
}

impl Default for CollectorSettings {
    fn default() -> Self {
        let defaults = crate::Config::default();
        CollectorSettings {
            interval: defaults.interval,
            retention: defaults
                .retention
                .iter()
                .map(|tier| RetentionTier { resolution: tier.resolution, keep: tier.keep })
                .collect(),
        }
    }
}

impl CollectorSettings {
    /// Returns the collector configuration these settings describe.
    pub fn to_collector_config(&self) -> crate::Config {
        crate::Config {
            interval: self.interval,
            retention: self
                .retention
                .iter()
                .map(|tier| Retention { resolution: tier.resolution, keep: tier.keep })
                .collect(),
        }
    }
}

pub(crate) fn decode(cx: &mut Decoder<'_>, node: &Node, key: &str) -> CollectorSettings {
    let mut settings = CollectorSettings::default();
    let Some(mut fields) = cx.fields(node, key) else {
        return settings;
    };

    let interval_node = fields.take("interval");
    if let Some(node) = interval_node {
        if let Some(interval) = values::duration(cx, node, &fields.path_of("interval")) {
            if interval < Duration::from_millis(1) {
                let message =
                    format!("{}: {} is too short; use 1ms or more", fields.path_of("interval"), node.display());
                cx.error(&node.origin, &fields.path_of("interval"), message);
            } else {
                settings.interval = interval;
            }
        }
    }

    if let Some(node) = fields.take("retention") {
        let interval = settings.interval;
        if let Some(tiers) =
            cx.array(node, &fields.path_of("retention"), |cx, tier, key| decode_tier(cx, tier, key, interval))
        {
            settings.retention = tiers;
        }
    }
    fields.finish(cx);
    settings
}

fn decode_tier(cx: &mut Decoder<'_>, node: &Node, key: &str, interval: Duration) -> Option<RetentionTier> {
    let mut fields = cx.fields(node, key)?;
    let resolution_node = fields.take("resolution");
    let resolution = fields.require(cx, "resolution", "resolution = \"1s\"", values::positive_duration);
    let keep_node = fields.take("keep");
    let keep = fields.require(cx, "keep", "keep = \"15m\"", values::positive_duration);
    fields.finish(cx);
    let (resolution, keep) = (resolution?, keep?);

    if !resolution.as_nanos().is_multiple_of(interval.as_nanos()) {
        let node = resolution_node?;
        let message = format!(
            "{key}.resolution: {} is not a whole multiple of the collector interval {}; use a multiple of {}",
            format_duration(resolution),
            format_duration(interval),
            format_duration(interval),
        );
        cx.error(&node.origin, &format!("{key}.resolution"), message);
        return None;
    }
    if keep < resolution {
        let node = keep_node?;
        let message = format!(
            "{key}.keep: {} is shorter than the resolution {}; keep at least one point",
            format_duration(keep),
            format_duration(resolution)
        );
        cx.error(&node.origin, &format!("{key}.keep"), message);
        return None;
    }
    Some(RetentionTier { resolution, keep })
}
