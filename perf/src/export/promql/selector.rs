//! The exported family behind a rule metric, and the PromQL that reads it.
//!
//! A site is exported with `module` and `function` labels, not with its full name, so a
//! `site="a::b::c"` matcher becomes every split of the name into a module and a function
//! (`module="a::b", function="c"` or `module="a", function="b::c"`), joined with `or`. Only
//! one split exists in the exported data, because a site has one module.

use std::time::Duration;

use super::{is_gauge, Node, PromqlError, Translator, ATOMIC};
use crate::export::naming::is_clean_identifier;
use crate::export::rules::prometheus_duration;
use crate::rule::{Expr, ExprKind, Function, MatchOp, Metric, Selector, Span};

/// Labels that identify one site in the site families.
const SITE_LABELS: &[&str] = &["component", "module", "function"];
/// Labels that identify one cache in the cache families.
const CACHE_LABELS: &[&str] = &["cache", "component"];

/// A selector resolved to an exported family.
pub(super) struct Family {
    metric: Metric,
    /// Sample name with the namespace (`perf_calls_total`); for the latency histogram, the
    /// name without its `_bucket`, `_sum` and `_count` suffixes.
    name: String,
    /// Matchers added by the metric, such as `result="error"`.
    extra: Vec<String>,
    /// The matchers of each alternative (see the module documentation).
    alternatives: Vec<Vec<String>>,
    /// Labels that identify one series of the rule metric.
    labels: Vec<String>,
    range: Duration,
    span: Span,
}

impl Family {
    /// Resolves a selector of a rule expression.
    pub(super) fn of(translator: &Translator, selector: &Selector, span: Span) -> Result<Family, PromqlError> {
        let prefixed = |name: &str| {
            if translator.namespace.is_empty() {
                name.to_owned()
            } else {
                format!("{}_{name}", translator.namespace)
            }
        };
        let site_labels = || SITE_LABELS.iter().map(|label| (*label).to_owned()).collect::<Vec<_>>();
        let cache_labels = || CACHE_LABELS.iter().map(|label| (*label).to_owned()).collect::<Vec<_>>();
        let (name, extra, labels) = match selector.metric {
            Metric::Calls | Metric::ErrorRate => (prefixed("calls_total"), None, site_labels()),
            Metric::Errors => (prefixed("calls_total"), Some(("result", "error")), site_labels()),
            Metric::Cancelled => (prefixed("calls_cancelled_total"), None, site_labels()),
            Metric::InFlight => (prefixed("calls_in_flight"), None, site_labels()),
            Metric::Latency => (prefixed("call_duration_seconds"), None, site_labels()),
            Metric::Hits => (prefixed("cache_gets_total"), Some(("result", "hit")), cache_labels()),
            Metric::Misses => (prefixed("cache_gets_total"), Some(("result", "miss")), cache_labels()),
            Metric::HitRate => (prefixed("cache_gets_total"), None, cache_labels()),
            Metric::Evictions => (prefixed("cache_evictions_total"), None, cache_labels()),
            Metric::CacheSize => (prefixed("cache_memory_bytes"), None, cache_labels()),
            Metric::Entries => (prefixed("cache_size"), None, cache_labels()),
            // NOTE: only cache health is exported under a fixed name; the health sample of
            // another collector is `<namespace>_<kind>_health`, whose kind a rule does not name.
            Metric::Health => (prefixed("cache_health_score"), None, cache_labels()),
            // NOTE: a rule cannot tell a custom counter from a gauge, so a plain read uses the
            // name as written, while `rate` and `increase` add `_total` as counters are exported.
            Metric::Custom => {
                let name = custom_name(selector, span)?;
                let mut labels: Vec<String> = selector
                    .matchers
                    .iter()
                    .filter(|matcher| matcher.label != "name")
                    .map(|matcher| matcher.label.clone())
                    .collect();
                labels.sort();
                labels.dedup();
                (name, None, labels)
            }
        };

        let mut alternatives = vec![Vec::new()];
        for matcher in &selector.matchers {
            if selector.metric == Metric::Custom && matcher.label == "name" {
                continue;
            }
            if matcher.label == "site" {
                alternatives = site_alternatives(alternatives, matcher.op, &matcher.value, matcher.span)?;
                continue;
            }
            let text = format!("{}{}{}", matcher.label, matcher.op.symbol(), quote(&matcher.value));
            alternatives.iter_mut().for_each(|matchers| matchers.push(text.clone()));
        }

        Ok(Family {
            metric: selector.metric,
            name,
            extra: extra.map(|(label, value)| format!("{label}={}", quote(value))).into_iter().collect(),
            alternatives,
            labels,
            range: translator.range,
            span,
        })
    }

    /// Resolves a function argument, which the checker proved is a selector.
    pub(super) fn of_argument(translator: &Translator, expr: &Expr) -> Result<Family, PromqlError> {
        match &expr.kind {
            ExprKind::Selector(selector) => Family::of(translator, selector, expr.span),
            _ => Err(PromqlError::new(expr.span, "expected a metric such as `calls{site=\"shop::checkout\"}` here")),
        }
    }

    /// Reads the metric as a plain value, as a selector outside a function does.
    pub(super) fn plain_value(&self) -> Result<Node, PromqlError> {
        match self.metric {
            Metric::ErrorRate => Ok(self.ratio(&format!("result={}", quote("error")))),
            Metric::HitRate => Ok(self.ratio(&format!("result={}", quote("hit")))),
            Metric::Latency => {
                Err(PromqlError::new(self.span, "a latency distribution needs a quantile, like p99(latency)"))
            }
            Metric::Health => {
                let text = format!("{} / 100", self.sum(&self.labels, |selector| selector.to_owned(), &self.name, &[]));
                Ok(self.node(text, 5))
            }
            _ => {
                let text = self.sum(&self.labels, |selector| selector.to_owned(), &self.name, &[]);
                Ok(self.node(text, ATOMIC))
            }
        }
    }

    /// Reads `rate(counter)`: the increase per second over the range.
    pub(super) fn rate(&self) -> Result<Node, PromqlError> {
        let range = prometheus_duration(self.range);
        let name = self.counter_name()?;
        let text = self.sum(&self.labels, |selector| format!("rate({selector}[{range}])"), &name, &[]);
        Ok(self.node(text, ATOMIC))
    }

    /// Reads `increase(counter, window)` and `delta(value, window)`: the change over `window`.
    pub(super) fn change(&self, window: String, function: Function, span: Span) -> Result<Node, PromqlError> {
        if is_gauge(self.metric) {
            let text = self.sum(&self.labels, |selector| format!("delta({selector}[{window}])"), &self.name, &[]);
            if self.metric == Metric::Health {
                return Ok(self.node(format!("{text} / 100"), 5));
            }
            return Ok(self.node(text, ATOMIC));
        }
        if matches!(self.metric, Metric::ErrorRate | Metric::HitRate | Metric::Latency) {
            return Err(PromqlError::new(
                span,
                format!(
                    "{}({}, ...) needs a subquery over a computed ratio, which this translation does not write; compare the ratio itself with a bound",
                    function.name(),
                    self.metric.name()
                ),
            ));
        }
        let name = self.counter_name()?;
        let text = self.sum(&self.labels, |selector| format!("increase({selector}[{window}])"), &name, &[]);
        Ok(self.node(text, ATOMIC))
    }

    /// Reads a latency quantile from the bucket counters over the range.
    pub(super) fn quantile(&self, quantile: f64) -> Result<Node, PromqlError> {
        let range = prometheus_duration(self.range);
        let buckets = format!("{}_bucket", self.name);
        let sum = self.sum_by(&self.labels, &["le"], |selector| format!("rate({selector}[{range}])"), &buckets, &[]);
        Ok(self.node(format!("histogram_quantile({}, {sum})", super::number(quantile)), ATOMIC))
    }

    /// Reads `mean(latency)`: the sum of latencies divided by the count over the range.
    pub(super) fn mean(&self) -> Result<Node, PromqlError> {
        let range = prometheus_duration(self.range);
        let rate = |selector: &str| format!("rate({selector}[{range}])");
        let total = self.sum(&self.labels, rate, &format!("{}_sum", self.name), &[]);
        let count = self.sum(&self.labels, rate, &format!("{}_count", self.name), &[]);
        Ok(self.node(format!("{total} / {count}"), 5))
    }

    /// Reads `absent(selector, window)`: true when no matching series has a sample over
    /// `window`.
    pub(super) fn absent(&self, window: String) -> Result<Node, PromqlError> {
        let name = self.presence_name();
        let parts: Vec<String> = self
            .selectors(&name, &[])
            .iter()
            .map(|selector| format!("absent_over_time({selector}[{window}])"))
            .collect();
        let precedence = if parts.len() > 1 { 2 } else { ATOMIC };
        Ok(Node::vector(parts.join(" and on () "), &[], precedence))
    }

    /// Reads `not absent(selector, window)`: one series per matching site or cache with a
    /// sample over `window`.
    pub(super) fn present(&self, window: String) -> Result<Node, PromqlError> {
        let name = self.presence_name();
        let inner = self
            .selectors(&name, &[])
            .iter()
            .map(|selector| format!("present_over_time({selector}[{window}])"))
            .collect::<Vec<_>>()
            .join(" or ");
        Ok(self.node(format!("group by ({}) ({inner})", self.labels.join(", ")), ATOMIC))
    }

    /// Reads `errors / calls` or `hits / gets` over the range: the rate of the series with
    /// the `numerator` matcher divided by the rate of all series.
    fn ratio(&self, numerator: &str) -> Node {
        let range = prometheus_duration(self.range);
        let rate = |selector: &str| format!("rate({selector}[{range}])");
        let part = self.sum(&self.labels, rate, &self.name, &[numerator.to_owned()]);
        let whole = self.sum(&self.labels, rate, &self.name, &[]);
        self.node(format!("{part} / {whole}"), 5)
    }

    /// Writes `sum by (labels) (read(a) or read(b))` over the alternatives of `name`, each
    /// with the matchers in `more` added.
    fn sum(&self, labels: &[String], read: impl Fn(&str) -> String, name: &str, more: &[String]) -> String {
        self.sum_by(labels, &[], read, name, more)
    }

    /// Writes [`Family::sum`] grouped by `extra_labels` too, such as `le` for buckets.
    fn sum_by(
        &self,
        labels: &[String],
        extra_labels: &[&str],
        read: impl Fn(&str) -> String,
        name: &str,
        more: &[String],
    ) -> String {
        let inner = self.selectors(name, more).iter().map(|selector| read(selector)).collect::<Vec<_>>().join(" or ");
        let by: Vec<&str> = labels.iter().map(String::as_str).chain(extra_labels.iter().copied()).collect();
        if by.is_empty() {
            format!("sum({inner})")
        } else {
            format!("sum by ({}) ({inner})", by.join(", "))
        }
    }

    /// Returns `name{matchers}` for each alternative.
    fn selectors(&self, name: &str, more: &[String]) -> Vec<String> {
        self.alternatives
            .iter()
            .map(|matchers| {
                let all: Vec<&str> = matchers.iter().chain(&self.extra).chain(more).map(String::as_str).collect();
                if all.is_empty() {
                    name.to_owned()
                } else {
                    format!("{name}{{{}}}", all.join(", "))
                }
            })
            .collect()
    }

    /// Returns the family read for a counter, because a custom counter is exported with `_total`.
    fn counter_name(&self) -> Result<String, PromqlError> {
        if self.metric == Metric::Custom && !self.name.ends_with("_total") {
            return Ok(format!("{}_total", self.name));
        }
        Ok(self.name.clone())
    }

    /// Returns the family whose samples show that a metric has data.
    fn presence_name(&self) -> String {
        match self.metric {
            Metric::Latency => format!("{}_count", self.name),
            _ => self.name.clone(),
        }
    }

    fn node(&self, text: String, precedence: u8) -> Node {
        let labels: Vec<&str> = self.labels.iter().map(String::as_str).collect();
        Node::vector(text, &labels, precedence)
    }
}

/// Returns the family name of `metric{name="..."}`, as registered (counters get `_total` when
/// read through `rate` or `increase`).
fn custom_name(selector: &Selector, span: Span) -> Result<String, PromqlError> {
    let Some(matcher) = selector.matchers.iter().find(|matcher| matcher.label == "name") else {
        return Err(PromqlError::new(span, "`metric` needs a name matcher, like metric{name=\"queue_depth\"}"));
    };
    if matcher.op != MatchOp::Equal || !is_clean_identifier(&matcher.value) {
        return Err(PromqlError::new(
            matcher.span,
            format!(
                "metric name {} cannot be a PromQL family name; use name=\"...\" with letters, digits and underscores",
                matcher
            ),
        ));
    }
    Ok(matcher.value.clone())
}

/// Applies a `site` matcher to each alternative, splitting the site name into every
/// `module="...", function="..."` pair.
fn site_alternatives(
    alternatives: Vec<Vec<String>>,
    op: MatchOp,
    site: &str,
    span: Span,
) -> Result<Vec<Vec<String>>, PromqlError> {
    if op != MatchOp::Equal {
        return Err(PromqlError::new(
            span,
            format!(
                "site{}{} has no PromQL equivalent because the exported series carry `module` and `function`, not the site name; match those labels instead, like function{}\"...\"",
                op.symbol(),
                quote(site),
                op.symbol()
            ),
        ));
    }
    let splits: Vec<(&str, &str)> = site.match_indices("::").map(|(at, _)| (&site[..at], &site[at + 2..])).collect();
    let pairs: Vec<Vec<String>> = if splits.is_empty() {
        vec![vec![format!("function={}", quote(site))]]
    } else {
        splits
            .into_iter()
            .rev()
            .map(|(module, function)| {
                vec![format!("module={}", quote(module)), format!("function={}", quote(function))]
            })
            .collect()
    };
    Ok(alternatives
        .iter()
        .flat_map(|matchers| {
            pairs.iter().map(move |pair| matchers.iter().chain(pair).cloned().collect::<Vec<String>>())
        })
        .collect())
}

/// Writes a PromQL string literal: double quotes, with `\`, `"` and line breaks escaped.
fn quote(value: &str) -> String {
    let mut quoted = String::with_capacity(value.len() + 2);
    quoted.push('"');
    for character in value.chars() {
        match character {
            '\\' => quoted.push_str("\\\\"),
            '"' => quoted.push_str("\\\""),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\t' => quoted.push_str("\\t"),
            other => quoted.push(other),
        }
    }
    quoted.push('"');
    quoted
}
