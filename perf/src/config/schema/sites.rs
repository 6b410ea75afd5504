//! `[sites]` and `[components]`: monitoring on or off, slow-call thresholds and labels, by
//! name pattern.
//!
//! ```toml
//! [sites]
//! slow_call = "1s"                  # default for every site
//!
//! [sites.match."shop::*"]
//! slow_call = "250ms"
//! labels = { team = "shop" }
//!
//! [components.match."debug"]
//! enabled = false
//! ```
//!
//! A site takes the most specific matching rule of its component, then the most specific
//! matching rule of its own name, which overrides it key by key.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use crate::config::decode::Decoder;
use crate::config::pattern::NamePattern;
use crate::config::tree::Node;
use crate::config::units::serialize_optional_duration;
use crate::config::values;

/// Settings of a group of names (sites or components): a default slow-call threshold and
/// rules by name pattern.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct MatchSettings {
    /// Slow-call threshold for every name that no rule gives one.
    #[serde(serialize_with = "serialize_optional_duration", skip_serializing_if = "Option::is_none")]
    pub slow_call: Option<Duration>,
    /// Rules by pattern, `[sites.match."PATTERN"]`, sorted by pattern.
    #[serde(rename = "match", serialize_with = "serialize_rules")]
    pub rules: Vec<MatchRule>,
}

/// The settings of the names one pattern matches.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchRule {
    /// The pattern, with `*` and `?` wildcards.
    #[serde(skip)]
    pub pattern: NamePattern,
    /// Whether monitoring is on; unset leaves it as it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Calls slower than this are slow calls.
    #[serde(serialize_with = "serialize_optional_duration", skip_serializing_if = "Option::is_none")]
    pub slow_call: Option<Duration>,
    /// Labels added to the matched sites' metrics.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

/// Policy of the configuration for one site.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SitePolicy {
    /// `Some` when a rule turns monitoring on or off.
    pub enabled: Option<bool>,
    /// Slow-call threshold, from the most specific rule or the defaults.
    pub slow_call: Option<Duration>,
    /// Labels of the component rule, then the site rule.
    pub labels: BTreeMap<String, String>,
}

impl MatchSettings {
    /// Returns the most specific rule that matches `name`, if any.
    pub fn rule_for(&self, name: &str) -> Option<&MatchRule> {
        self.rules.iter().filter(|rule| rule.pattern.matches(name)).max_by_key(|rule| rule.pattern.specificity())
    }
}

/// Combines the component rule and the site rule of one site.
pub(crate) fn resolve(sites: &MatchSettings, components: &MatchSettings, name: &str, component: &str) -> SitePolicy {
    let mut policy = SitePolicy { slow_call: sites.slow_call.or(components.slow_call), ..SitePolicy::default() };
    for rule in [components.rule_for(component), sites.rule_for(name)].into_iter().flatten() {
        policy.enabled = rule.enabled.or(policy.enabled);
        policy.slow_call = rule.slow_call.or(policy.slow_call);
        policy.labels.extend(rule.labels.iter().map(|(key, value)| (key.clone(), value.clone())));
    }
    policy
}

pub(crate) fn decode(cx: &mut Decoder<'_>, node: &Node, key: &str) -> MatchSettings {
    let mut settings = MatchSettings::default();
    let Some(mut fields) = cx.fields(node, key) else {
        return settings;
    };
    settings.slow_call = fields.get(cx, "slow_call", values::positive_duration);
    if let Some(rules) = fields.take("match") {
        let rules = cx.named(rules, &fields.path_of("match"), decode_rule);
        settings.rules = rules.into_values().collect();
    }
    fields.finish(cx);
    settings
}

fn decode_rule(cx: &mut Decoder<'_>, name: &str, node: &Node, key: &str) -> Option<MatchRule> {
    let mut fields = cx.fields(node, key)?;
    let enabled = fields.get(cx, "enabled", values::boolean);
    let slow_call = fields.get(cx, "slow_call", values::positive_duration);
    let labels = fields.get(cx, "labels", values::labels).unwrap_or_default();
    fields.finish(cx);

    let Some(pattern) = NamePattern::new(name) else {
        cx.error(&node.origin, key, format!("{key}: empty name pattern; write a name such as \"shop::*\""));
        return None;
    };
    Some(MatchRule { pattern, enabled, slow_call, labels })
}

fn serialize_rules<S: serde::Serializer>(rules: &[MatchRule], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_map(rules.iter().map(|rule| (rule.pattern.as_str(), rule)))
}
