//! `[caches]`: targets for hit rate and latency, health bounds, and monitoring on or off, by
//! cache name pattern.
//!
//! ```toml
//! [caches]
//! hit_rate_target = "90%"
//! latency_target = "1ms"
//! health = { warning_below = "80%", critical_below = "50%" }
//!
//! [caches.match."sessions"]
//! hit_rate_target = "95%"
//! max_size = "64MiB"
//! ```

use std::time::Duration;

use serde::Serialize;

use crate::config::decode::Decoder;
use crate::config::pattern::NamePattern;
use crate::config::tree::Node;
use crate::config::units::{serialize_optional_duration, ByteSize, Ratio};
use crate::config::values;

/// Settings of every cache, and rules for caches by name pattern.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct CacheSettings {
    /// Hit rate below which a cache misses its target.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hit_rate_target: Option<Ratio>,
    /// Look-up latency above which a cache misses its target.
    #[serde(serialize_with = "serialize_optional_duration", skip_serializing_if = "Option::is_none")]
    pub latency_target: Option<Duration>,
    /// Health score bounds of every cache that no rule gives its own.
    pub health: HealthBounds,
    /// Rules by pattern, `[caches.match."PATTERN"]`.
    #[serde(rename = "match", serialize_with = "serialize_rules")]
    pub rules: Vec<CacheRule>,
}

/// Health score bounds: at or above `warning_below` a cache is healthy, below `critical_below`
/// it is critical, and between the two it is in warning.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HealthBounds {
    /// Health score under which a cache is in warning.
    pub warning_below: Ratio,
    /// Health score under which a cache is critical; at most `warning_below`.
    pub critical_below: Ratio,
}

/// The settings of the caches one pattern matches.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CacheRule {
    /// The pattern, with `*` and `?` wildcards.
    #[serde(skip)]
    pub pattern: NamePattern,
    /// Whether monitoring of the cache is on; unset leaves it on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Hit rate target of the matched caches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hit_rate_target: Option<Ratio>,
    /// Latency target of the matched caches.
    #[serde(serialize_with = "serialize_optional_duration", skip_serializing_if = "Option::is_none")]
    pub latency_target: Option<Duration>,
    /// Expected maximum size in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_size: Option<ByteSize>,
    /// Expected maximum number of entries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_entries: Option<u64>,
    /// Health bounds of the matched caches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health: Option<HealthBounds>,
}

/// Policy of the configuration for one cache.
#[derive(Debug, Clone, PartialEq)]
pub struct CachePolicy {
    /// Whether monitoring of the cache is on.
    pub enabled: bool,
    /// Hit rate target.
    pub hit_rate_target: Option<Ratio>,
    /// Latency target.
    pub latency_target: Option<Duration>,
    /// Expected maximum size.
    pub max_size: Option<ByteSize>,
    /// Expected maximum number of entries.
    pub max_entries: Option<u64>,
    /// Health bounds.
    pub health: HealthBounds,
}

impl Default for HealthBounds {
    fn default() -> Self {
        HealthBounds { warning_below: Ratio(0.8), critical_below: Ratio(0.5) }
    }
}

impl CacheSettings {
    /// Returns the policy for the cache `name`: the most specific matching
    /// rule over the defaults of the section.
    pub fn policy(&self, name: &str) -> CachePolicy {
        let rule =
            self.rules.iter().filter(|rule| rule.pattern.matches(name)).max_by_key(|rule| rule.pattern.specificity());
        CachePolicy {
            enabled: rule.and_then(|rule| rule.enabled).unwrap_or(true),
            hit_rate_target: rule.and_then(|rule| rule.hit_rate_target).or(self.hit_rate_target),
            latency_target: rule.and_then(|rule| rule.latency_target).or(self.latency_target),
            max_size: rule.and_then(|rule| rule.max_size),
            max_entries: rule.and_then(|rule| rule.max_entries),
            health: rule.and_then(|rule| rule.health).unwrap_or(self.health),
        }
    }
}

pub(crate) fn decode(cx: &mut Decoder<'_>, node: &Node, key: &str) -> CacheSettings {
    let mut settings = CacheSettings::default();
    let Some(mut fields) = cx.fields(node, key) else {
        return settings;
    };
    settings.hit_rate_target = fields.get(cx, "hit_rate_target", values::ratio);
    settings.latency_target = fields.get(cx, "latency_target", values::positive_duration);
    if let Some(health) = fields.get(cx, "health", decode_health) {
        settings.health = health;
    }
    if let Some(rules) = fields.take("match") {
        settings.rules = cx.named(rules, &fields.path_of("match"), decode_rule).into_values().collect();
    }
    fields.finish(cx);
    settings
}

fn decode_rule(cx: &mut Decoder<'_>, name: &str, node: &Node, key: &str) -> Option<CacheRule> {
    let mut fields = cx.fields(node, key)?;
    let rule = CacheRule {
        pattern: NamePattern::new(name)?,
        enabled: fields.get(cx, "enabled", values::boolean),
        hit_rate_target: fields.get(cx, "hit_rate_target", values::ratio),
        latency_target: fields.get(cx, "latency_target", values::positive_duration),
        max_size: fields.get(cx, "max_size", values::size),
        max_entries: fields.get(cx, "max_entries", values::positive_integer),
        health: fields.get(cx, "health", decode_health),
    };
    fields.finish(cx);
    Some(rule)
}

fn decode_health(cx: &mut Decoder<'_>, node: &Node, key: &str) -> Option<HealthBounds> {
    let mut fields = cx.fields(node, key)?;
    let defaults = HealthBounds::default();
    let warning = fields.get(cx, "warning_below", values::ratio);
    let critical_node = fields.take("critical_below");
    let critical = critical_node.and_then(|node| values::ratio(cx, node, &fields.path_of("critical_below")));
    fields.finish(cx);

    let bounds = HealthBounds {
        warning_below: warning.unwrap_or(defaults.warning_below),
        critical_below: critical.unwrap_or(defaults.critical_below),
    };
    if bounds.critical_below > bounds.warning_below {
        report_inverted(cx, critical_node.unwrap_or(node), key, bounds);
        return None;
    }
    Some(bounds)
}

fn report_inverted(cx: &mut Decoder<'_>, node: &Node, key: &str, bounds: HealthBounds) {
    let message = format!(
        "{key}.critical_below: {} is above warning_below {}; a cache must turn critical at a lower health than it turns to warning",
        bounds.critical_below, bounds.warning_below
    );
    cx.error(&node.origin, &format!("{key}.critical_below"), message);
}

fn serialize_rules<S: serde::Serializer>(rules: &[CacheRule], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_map(rules.iter().map(|rule| (rule.pattern.as_str(), rule)))
}
