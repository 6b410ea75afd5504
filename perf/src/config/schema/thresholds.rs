//! `[thresholds.NAME]`: named thresholds on a metric, which alert rules use with
//! `threshold = "NAME"` and which can be changed at run time.
//!
//! ```toml
//! [thresholds.checkout_p99]
//! metric = 'p99(latency{site="shop::checkout"})'
//! kind = "static"
//! above = "250ms"
//! recovery = "200ms"
//!
//! [thresholds.checkout_drift]
//! metric = 'p99(latency{site="shop::checkout"})'
//! kind = "ewma"
//! lambda = 0.3
//! k = 3
//! min_history = 30
//! above = "500ms"        # static bound used until 30 points of history exist
//! ```
//!
//! Bounds take the unit of the metric: a latency quantile is compared with a duration, a hit
//! rate with a percentage, a rate with a rate.

use std::time::Duration;

use serde::Serialize;

use super::expression::Expression;
use crate::config::decode::{Decoder, Fields};
use crate::config::tree::{Node, Value};
use crate::config::units::{serialize_duration, Dimension, Quantity, Ratio, Unit};
use crate::config::values;

/// One threshold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Threshold {
    /// The value watched, a rule expression such as `p99(latency{site="shop::checkout"})`.
    pub metric: Expression,
    /// The dimension of `metric`, which the bounds share.
    #[serde(skip)]
    pub dimension: Dimension,
    /// Kind of threshold and its parameters.
    #[serde(flatten)]
    pub rule: ThresholdRule,
}

/// The kinds of thresholds.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ThresholdRule {
    /// A fixed bound, with an optional recovery bound for hysteresis.
    Static {
        /// The bound that triggers.
        #[serde(flatten)]
        bound: Bound,
        /// The bound the value must cross back over to recover; on the other side of `bound`.
        #[serde(skip_serializing_if = "Option::is_none")]
        recovery: Option<Quantity>,
    },
    /// A band of `k` deviations around an exponentially weighted moving average.
    Ewma {
        /// Smoothing factor in (0, 1].
        lambda: f64,
        /// Width of the band, in deviations.
        k: f64,
        /// Side of the band that triggers.
        direction: Direction,
        /// Points of history needed before the band is used.
        min_history: u64,
        /// Static bound used until then; without one the threshold stays silent.
        #[serde(flatten, skip_serializing_if = "Option::is_none")]
        fallback: Option<Bound>,
    },
    /// A rolling z-score over `window` beyond `k`.
    Zscore {
        /// Window of the mean and deviation.
        #[serde(serialize_with = "serialize_duration")]
        window: Duration,
        /// Z-score that triggers.
        k: f64,
        /// Side that triggers.
        direction: Direction,
        /// Points of history needed before the score is used.
        min_history: u64,
        /// Static bound used until then.
        #[serde(flatten, skip_serializing_if = "Option::is_none")]
        fallback: Option<Bound>,
    },
    /// `factor` times a rolling percentile of the value over `window`.
    Percentile {
        /// Window of the baseline.
        #[serde(serialize_with = "serialize_duration")]
        window: Duration,
        /// Percentile of the baseline.
        percentile: Ratio,
        /// Multiplier of the baseline.
        factor: f64,
        /// Side that triggers.
        direction: Direction,
        /// Points of history needed before the baseline is used.
        min_history: u64,
        /// Static bound used until then.
        #[serde(flatten, skip_serializing_if = "Option::is_none")]
        fallback: Option<Bound>,
    },
    /// Relative change of the value over `window`, as a percentage.
    RateOfChange {
        /// Window of the change.
        #[serde(serialize_with = "serialize_duration")]
        window: Duration,
        /// Change that triggers, such as `above = "50%"` or `below = "-50%"`.
        #[serde(flatten)]
        bound: Bound,
    },
    /// No data for `for`.
    Absence {
        /// How long without data triggers.
        #[serde(rename = "for", serialize_with = "serialize_duration")]
        for_duration: Duration,
    },
}

/// A bound and the side that triggers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// Triggers when the value is above.
    Above(Quantity),
    /// Triggers when the value is below.
    Below(Quantity),
}

/// Side of an adaptive band that triggers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Above the band.
    Above,
    /// Below the band.
    Below,
    /// Either side.
    Both,
}

const KINDS: &[&str] = &["static", "ewma", "zscore", "percentile", "rate_of_change", "absence"];
const DIRECTIONS: &[&str] = &["above", "below", "both"];

pub(crate) fn decode(cx: &mut Decoder<'_>, _name: &str, node: &Node, key: &str) -> Option<Threshold> {
    let mut fields = cx.fields(node, key)?;
    let metric_node = fields.take("metric");
    let metric = fields.require(cx, "metric", "metric = 'p99(latency{site=\"shop::checkout\"})'", values::value_expr);
    let kind = fields.get(cx, "kind", |cx, node, key| values::choice(cx, node, key, KINDS)).unwrap_or("static");

    let Some((expr, dimension)) = metric else {
        skip_all(&mut fields);
        fields.finish(cx);
        return None;
    };
    let rule = decode_rule(cx, &mut fields, kind, dimension, metric_node?);
    fields.finish(cx);

    let text = match &metric_node?.value {
        Value::String(text) => text.clone(),
        _ => String::new(),
    };
    Some(Threshold { metric: Expression { text, expr }, dimension, rule: rule? })
}

fn decode_rule(
    cx: &mut Decoder<'_>,
    fields: &mut Fields<'_>,
    kind: &str,
    dimension: Dimension,
    metric: &Node,
) -> Option<ThresholdRule> {
    match kind {
        "static" => {
            let bound = bound(cx, fields, dimension, metric, true)?;
            let recovery = recovery(cx, fields, dimension, bound);
            Some(ThresholdRule::Static { bound, recovery: recovery? })
        }
        "ewma" => {
            let lambda = fraction(cx, fields, "lambda", 0.3);
            let k = positive(cx, fields, "k", 3.0);
            let direction = direction(cx, fields);
            let min_history = fields.get(cx, "min_history", values::unsigned).unwrap_or(30);
            let fallback = bound(cx, fields, dimension, metric, false);
            Some(ThresholdRule::Ewma { lambda: lambda?, k: k?, direction: direction?, min_history, fallback })
        }
        "zscore" => {
            let window = fields.require(cx, "window", "window = \"1h\"", values::positive_duration);
            let k = positive(cx, fields, "k", 3.0);
            let direction = direction(cx, fields);
            let min_history = fields.get(cx, "min_history", values::unsigned).unwrap_or(30);
            let fallback = bound(cx, fields, dimension, metric, false);
            Some(ThresholdRule::Zscore { window: window?, k: k?, direction: direction?, min_history, fallback })
        }
        "percentile" => {
            let window = fields.require(cx, "window", "window = \"1d\"", values::positive_duration);
            let percentile = fields.require(cx, "percentile", "percentile = \"95%\"", values::ratio);
            let factor = positive(cx, fields, "factor", 1.0);
            let direction = direction(cx, fields);
            let min_history = fields.get(cx, "min_history", values::unsigned).unwrap_or(30);
            let fallback = bound(cx, fields, dimension, metric, false);
            let (window, percentile, factor, direction) = (window?, percentile?, factor?, direction?);
            Some(ThresholdRule::Percentile { window, percentile, factor, direction, min_history, fallback })
        }
        "rate_of_change" => {
            let window = fields.require(cx, "window", "window = \"5m\"", values::positive_duration);
            let bound = bound(cx, fields, Dimension::Ratio, metric, true);
            Some(ThresholdRule::RateOfChange { window: window?, bound: bound? })
        }
        _ => {
            let for_duration = fields.require(cx, "for", "for = \"5m\"", values::positive_duration)?;
            Some(ThresholdRule::Absence { for_duration })
        }
    }
}

/// Reads `above` or `below` (exactly one when `required`, at most one otherwise), in the
/// dimension of the metric.
fn bound(
    cx: &mut Decoder<'_>,
    fields: &mut Fields<'_>,
    dimension: Dimension,
    metric: &Node,
    required: bool,
) -> Option<Bound> {
    let above = fields.take("above");
    let below = fields.take("below");
    match (above, below) {
        (Some(_), Some(below)) => {
            let key = fields.path_of("below");
            cx.error(&below.origin, &key, format!("{key}: set either `above` or `below`, not both"));
            None
        }
        (Some(node), None) => bound_value(cx, node, &fields.path_of("above"), dimension, metric).map(Bound::Above),
        (None, Some(node)) => bound_value(cx, node, &fields.path_of("below"), dimension, metric).map(Bound::Below),
        (None, None) => {
            if required {
                let message = format!(
                    "{}: missing `above` or `below`; add the bound, like above = \"{}\"",
                    fields.path(),
                    dimension.example()
                );
                cx.error(fields.origin(), fields.path(), message);
            }
            None
        }
    }
}

/// Reads a bound: a number for a plain metric, a string with the metric's unit otherwise.
fn bound_value(cx: &mut Decoder<'_>, node: &Node, key: &str, dimension: Dimension, metric: &Node) -> Option<Quantity> {
    let quantity = match node.value {
        Value::Integer(number) => Quantity { number: number as f64, unit: Unit::None },
        Value::Float(number) if number.is_finite() => Quantity { number, unit: Unit::None },
        _ => values::quantity(cx, node, key)?,
    };
    if quantity.dimension() != dimension {
        let message = format!(
            "{key}: expected {} like \"{}\", because the metric {} is {}; found {}",
            dimension.describe(),
            dimension.example(),
            metric.display(),
            dimension.describe(),
            quantity.dimension().describe(),
        );
        cx.error(&node.origin, key, message);
        return None;
    }
    Some(quantity)
}

/// Reads `recovery`, which must lie on the other side of the trigger bound.
fn recovery(
    cx: &mut Decoder<'_>,
    fields: &mut Fields<'_>,
    dimension: Dimension,
    bound: Bound,
) -> Option<Option<Quantity>> {
    let Some(node) = fields.take("recovery") else {
        return Some(None);
    };
    let key = fields.path_of("recovery");
    let recovery = match node.value {
        Value::Integer(number) => Quantity { number: number as f64, unit: Unit::None },
        Value::Float(number) => Quantity { number, unit: Unit::None },
        _ => values::quantity(cx, node, &key)?,
    };
    if recovery.dimension() != dimension {
        let message =
            format!("{key}: expected {} like \"{}\", the unit of the bound", dimension.describe(), dimension.example());
        cx.error(&node.origin, &key, message);
        return None;
    }

    let (trigger, wrong_side, side, fix) = match bound {
        Bound::Above(trigger) => (trigger, recovery.base_value() > trigger.base_value(), "above", "at or below"),
        Bound::Below(trigger) => (trigger, recovery.base_value() < trigger.base_value(), "below", "at or above"),
    };
    if wrong_side {
        let message = format!(
            "{key}: recovery {recovery} is {side} the trigger {trigger}, on the wrong side; put it {fix} {trigger} so that values between the two keep the alert as it is"
        );
        cx.error(&node.origin, &key, message);
        return None;
    }
    Some(Some(recovery))
}

fn fraction(cx: &mut Decoder<'_>, fields: &mut Fields<'_>, key: &'static str, default: f64) -> Option<f64> {
    let Some(node) = fields.take(key) else {
        return Some(default);
    };
    let path = fields.path_of(key);
    let value = values::number(cx, node, &path)?;
    if !(value > 0.0 && value <= 1.0) {
        cx.error(
            &node.origin,
            &path,
            format!("{path}: {value} is out of range; expected a number above 0 and at most 1, like 0.3"),
        );
        return None;
    }
    Some(value)
}

fn positive(cx: &mut Decoder<'_>, fields: &mut Fields<'_>, key: &'static str, default: f64) -> Option<f64> {
    let Some(node) = fields.take(key) else {
        return Some(default);
    };
    let path = fields.path_of(key);
    let value = values::number(cx, node, &path)?;
    if value <= 0.0 {
        cx.error(
            &node.origin,
            &path,
            format!("{path}: {value} is not greater than zero; expected a positive number, like 3"),
        );
        return None;
    }
    Some(value)
}

fn direction(cx: &mut Decoder<'_>, fields: &mut Fields<'_>) -> Option<Direction> {
    let Some(node) = fields.take("direction") else {
        return Some(Direction::Above);
    };
    match values::choice(cx, node, &fields.path_of("direction"), DIRECTIONS)? {
        "below" => Some(Direction::Below),
        "both" => Some(Direction::Both),
        _ => Some(Direction::Above),
    }
}

/// Marks every key of every kind as known, so that a threshold whose metric is invalid gets
/// that one error and not one per key.
fn skip_all(fields: &mut Fields<'_>) {
    let keys = [
        "above",
        "below",
        "recovery",
        "lambda",
        "k",
        "direction",
        "min_history",
        "window",
        "percentile",
        "factor",
        "for",
    ];
    for key in keys {
        fields.take(key);
    }
}
