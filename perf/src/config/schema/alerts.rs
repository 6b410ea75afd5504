//! `[alerts]`: alert rules, inhibition rules and the alert history.
//!
//! ```toml
//! [alerts.rules.checkout_slow]
//! expr = 'p99(latency{site="shop::checkout"}) > 250ms and rate(calls) > 10/s'
//! recovery = 'p99(latency{site="shop::checkout"}) < 200ms'
//! for = "1m"
//! severity = "critical"
//! labels = { team = "shop" }
//! annotations = { summary = "checkout p99 is {{ $value }}" }
//! escalation = "oncall"
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use super::expression::Expression;
use crate::config::decode::{Decoder, ReferenceKind};
use crate::config::tree::{Node, Origin};
use crate::config::units::serialize_duration;
use crate::config::values;
use crate::rule::{BinaryOp, Expr, ExprKind, Matcher};

/// Alert rules and how alerts are kept.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertSettings {
    /// Resolved alerts kept in the history.
    pub history_limit: u64,
    /// File the history is saved to, so a restart loses none of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history_path: Option<PathBuf>,
    /// Window over which state changes are counted for flap detection.
    #[serde(serialize_with = "serialize_duration")]
    pub flap_window: Duration,
    /// State changes within `flap_window` that mark an alert as flapping.
    pub flap_max_changes: u64,
    /// Alert rules by name.
    pub rules: BTreeMap<String, AlertRule>,
    /// Inhibition rules by name.
    pub inhibit: BTreeMap<String, InhibitRule>,
}

/// One alert rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertRule {
    /// When the alert is active.
    #[serde(flatten)]
    pub condition: AlertCondition,
    /// How long the condition must hold before the alert fires (0s fires at once).
    #[serde(rename = "for", serialize_with = "serialize_duration")]
    pub for_duration: Duration,
    /// How long a firing alert keeps firing after its condition clears.
    #[serde(serialize_with = "serialize_duration")]
    pub keep_firing_for: Duration,
    /// Severity, a label of the alert.
    pub severity: Severity,
    /// Labels added to the alert.
    pub labels: BTreeMap<String, String>,
    /// Annotations, with `{{ $value }}` and `{{ $labels.NAME }}` templates.
    pub annotations: BTreeMap<String, String>,
    /// State of the alert when its metric has no data.
    pub no_data: NoDataState,
    /// Escalation policy of the alert, by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub escalation: Option<String>,
    /// Whether the rule is evaluated.
    pub enabled: bool,
}

/// The condition of an alert rule: an expression, or a named threshold.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum AlertCondition {
    /// `expr = '...'`, with an optional `recovery = '...'` for hysteresis: once firing, the
    /// alert resolves only when the recovery condition holds.
    Expression {
        /// The trigger condition.
        expr: Expression,
        /// The recovery condition.
        #[serde(skip_serializing_if = "Option::is_none")]
        recovery: Option<Expression>,
    },
    /// `threshold = "NAME"`: a threshold of the `[thresholds]` section.
    Threshold {
        /// Name of the threshold.
        threshold: String,
    },
}

/// Severity of an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// For information.
    Info,
    /// Needs attention soon.
    Warning,
    /// Needs attention now.
    Critical,
}

/// State of a rule whose metric has no data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoDataState {
    /// Raise a separate no-data alert.
    NoData,
    /// Treat it as firing.
    Firing,
    /// Treat it as not firing.
    Ok,
    /// Keep the last state.
    KeepLast,
}

/// An inhibition rule: while an alert matching `source_matchers` fires, alerts matching
/// `target_matchers` with the same values of the `equal` labels are muted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InhibitRule {
    /// Matchers of the alert that mutes.
    pub source_matchers: Vec<Matcher>,
    /// Matchers of the alerts that are muted.
    pub target_matchers: Vec<Matcher>,
    /// Labels whose values must be equal in source and target.
    pub equal: Vec<String>,
}

impl Default for AlertSettings {
    fn default() -> Self {
        AlertSettings {
            history_limit: 1_000,
            history_path: None,
            flap_window: Duration::from_secs(600),
            flap_max_changes: 6,
            rules: BTreeMap::new(),
            inhibit: BTreeMap::new(),
        }
    }
}

const SEVERITIES: &[&str] = &["info", "warning", "critical"];
const NO_DATA_STATES: &[&str] = &["no_data", "firing", "ok", "keep_last"];

pub(crate) fn decode(cx: &mut Decoder<'_>, node: &Node, key: &str) -> AlertSettings {
    let mut settings = AlertSettings::default();
    let Some(mut fields) = cx.fields(node, key) else {
        return settings;
    };
    if let Some(limit) = fields.get(cx, "history_limit", values::positive_integer) {
        settings.history_limit = limit;
    }
    settings.history_path = fields.get(cx, "history_path", values::non_empty_string).map(PathBuf::from);
    if let Some(window) = fields.get(cx, "flap_window", values::positive_duration) {
        settings.flap_window = window;
    }
    if let Some(changes) = fields.get(cx, "flap_max_changes", values::positive_integer) {
        settings.flap_max_changes = changes;
    }
    if let Some(rules) = fields.take("rules") {
        settings.rules = cx.named(rules, &fields.path_of("rules"), decode_rule);
    }
    if let Some(inhibit) = fields.take("inhibit") {
        settings.inhibit = cx.named(inhibit, &fields.path_of("inhibit"), decode_inhibit);
    }
    fields.finish(cx);
    settings
}

fn decode_rule(cx: &mut Decoder<'_>, _name: &str, node: &Node, key: &str) -> Option<AlertRule> {
    let mut fields = cx.fields(node, key)?;
    let expr_node = fields.take("expr");
    let recovery_node = fields.take("recovery");
    let threshold_node = fields.take("threshold");
    let expr = expr_node.and_then(|node| values::condition(cx, node, &format!("{key}.expr")));
    let recovery = recovery_node.and_then(|node| values::condition(cx, node, &format!("{key}.recovery")));
    let threshold = threshold_node.and_then(|node| values::non_empty_string(cx, node, &format!("{key}.threshold")));

    let escalation_node = fields.take("escalation");
    let escalation = escalation_node.and_then(|node| values::non_empty_string(cx, node, &format!("{key}.escalation")));
    if let (Some(name), Some(node)) = (&escalation, escalation_node) {
        cx.reference(ReferenceKind::EscalationPolicy, name, node, &format!("{key}.escalation"));
    }

    let rule = AlertRule {
        condition: AlertCondition::Threshold { threshold: String::new() },
        for_duration: fields.get(cx, "for", values::duration).unwrap_or_default(),
        keep_firing_for: fields.get(cx, "keep_firing_for", values::duration).unwrap_or_default(),
        severity: match fields.get(cx, "severity", |cx, node, key| values::choice(cx, node, key, SEVERITIES)) {
            Some("info") => Severity::Info,
            Some("critical") => Severity::Critical,
            _ => Severity::Warning,
        },
        labels: fields.get(cx, "labels", values::labels).unwrap_or_default(),
        annotations: fields.get(cx, "annotations", values::labels).unwrap_or_default(),
        no_data: match fields.get(cx, "no_data", |cx, node, key| values::choice(cx, node, key, NO_DATA_STATES)) {
            Some("no_data") => NoDataState::NoData,
            Some("firing") => NoDataState::Firing,
            Some("ok") => NoDataState::Ok,
            _ => NoDataState::KeepLast,
        },
        escalation,
        enabled: fields.get(cx, "enabled", values::boolean).unwrap_or(true),
    };
    let origin = fields.origin().clone();
    fields.finish(cx);

    let condition = match (expr_node, threshold_node) {
        (Some(_), Some(threshold_node)) => {
            let message = format!("{key}: set either `expr` or `threshold`, not both");
            cx.error(&threshold_node.origin, &format!("{key}.threshold"), message);
            return None;
        }
        (None, None) => {
            let message = format!("{key}: missing `expr` or `threshold`; add one, like expr = 'p99(latency) > 250ms'");
            cx.error(&origin, key, message);
            return None;
        }
        (None, Some(threshold_node)) => {
            if let Some(node) = recovery_node {
                let message =
                    format!("{key}.recovery: a rule with `threshold` takes its recovery from the threshold; remove it");
                cx.error(&node.origin, &format!("{key}.recovery"), message);
                return None;
            }
            let threshold = threshold?;
            cx.reference(ReferenceKind::Threshold, &threshold, threshold_node, &format!("{key}.threshold"));
            AlertCondition::Threshold { threshold }
        }
        (Some(expr_node), None) => {
            let expr = Expression { text: text_of(expr_node), expr: expr? };
            let recovery = match (recovery_node, recovery) {
                (Some(node), Some(recovery)) => {
                    check_recovery(cx, &expr.expr, &recovery, node, &format!("{key}.recovery"))?;
                    Some(Expression { text: text_of(node), expr: recovery })
                }
                (Some(_), None) => return None,
                (None, _) => None,
            };
            AlertCondition::Expression { expr, recovery }
        }
    };
    Some(AlertRule { condition, ..rule })
}

fn text_of(node: &Node) -> String {
    match &node.value {
        crate::config::tree::Value::String(text) => text.clone(),
        _ => String::new(),
    }
}

/// A comparison of an expression with a constant: `subject op bound`.
struct Bound<'e> {
    subject: &'e Expr,
    above: bool,
    value: f64,
    literal: &'e Expr,
}

fn bound_of(expr: &Expr) -> Option<Bound<'_>> {
    let ExprKind::Binary { op, left, right } = &expr.kind else {
        return None;
    };
    let (subject, literal, op) = match (&left.kind, &right.kind) {
        (_, ExprKind::Number(_)) => (left.as_ref(), right.as_ref(), *op),
        (ExprKind::Number(_), _) => (right.as_ref(), left.as_ref(), mirror(*op)?),
        _ => return None,
    };
    let ExprKind::Number(quantity) = &literal.kind else {
        return None;
    };
    let above = match op {
        BinaryOp::Greater | BinaryOp::GreaterOrEqual => true,
        BinaryOp::Less | BinaryOp::LessOrEqual => false,
        _ => return None,
    };
    Some(Bound { subject, above, value: quantity.base_value(), literal })
}

fn mirror(op: BinaryOp) -> Option<BinaryOp> {
    Some(match op {
        BinaryOp::Greater => BinaryOp::Less,
        BinaryOp::GreaterOrEqual => BinaryOp::LessOrEqual,
        BinaryOp::Less => BinaryOp::Greater,
        BinaryOp::LessOrEqual => BinaryOp::GreaterOrEqual,
        _ => return None,
    })
}

/// Checks that a recovery condition on the same value as its trigger lies on the other side
/// of it: a trigger `x > 250ms` needs a recovery `x < T` with `T <= 250ms`.
fn check_recovery(cx: &mut Decoder<'_>, trigger: &Expr, recovery: &Expr, node: &Node, key: &str) -> Option<()> {
    let (Some(trigger), Some(recovery_bound)) = (bound_of(trigger), bound_of(recovery)) else {
        return Some(());
    };
    if !trigger.subject.same_as(recovery_bound.subject) {
        return Some(());
    }

    let text = text_of(node);
    let literal_text =
        text.get(recovery_bound.literal.span.start..recovery_bound.literal.span.end).unwrap_or("").to_owned();
    let at = |cx: &Decoder<'_>, span_start: usize| -> Origin { values::string_span(cx, node, &text, span_start) };

    if recovery_bound.above == trigger.above {
        let (wanted, side) = if trigger.above { ("< or <=", "above") } else { ("> or >=", "below") };
        let message = format!(
            "{key}: the trigger fires {side} its bound, so the recovery must compare the other way; use {wanted}"
        );
        let origin = at(cx, recovery.span.start);
        cx.error(&origin, key, message);
        return None;
    }

    let wrong_side =
        if trigger.above { recovery_bound.value > trigger.value } else { recovery_bound.value < trigger.value };
    if wrong_side {
        let (relation, fix) = if trigger.above { ("above", "at or below") } else { ("below", "at or above") };
        let message = format!(
            "{key}: recovery threshold {literal_text} is {relation} the trigger threshold, on the wrong side; \
             put it {fix} the trigger so that values between the two keep the alert as it is"
        );
        let origin = at(cx, recovery_bound.literal.span.start);
        cx.error(&origin, key, message);
        return None;
    }
    Some(())
}

fn decode_inhibit(cx: &mut Decoder<'_>, _name: &str, node: &Node, key: &str) -> Option<InhibitRule> {
    let mut fields = cx.fields(node, key)?;
    let example = "source_matchers = ['severity=\"critical\"']";
    let source_matchers = fields.require(cx, "source_matchers", example, values::matchers);
    let example = "target_matchers = ['severity=\"warning\"']";
    let target_matchers = fields.require(cx, "target_matchers", example, values::matchers);
    let equal = fields.get(cx, "equal", values::string_list).unwrap_or_default();
    fields.finish(cx);
    Some(InhibitRule { source_matchers: source_matchers?, target_matchers: target_matchers?, equal })
}
