//! The functions of rule expressions.

use std::time::Duration;

use super::state::NodeState;
use super::{counter_increase, map_values, series_of, source, Evaluator, Pass, Value, Verdict};
use crate::rule::{Call, Expr, ExprKind, Function, Span};
use crate::threshold::ewma::Ewma;
use crate::threshold::stats;
use crate::threshold::window::SampleWindow;
use crate::threshold::Labels;

impl Evaluator {
    pub(super) fn call(&mut self, expr: &Expr, call: &Call, pass: &mut Pass<'_>) -> Value {
        let node = expr.span;
        let constant = |index: usize| constant(&call.args, index);
        match call.function {
            Function::P50 => quantiles(self.eval(&call.args[0], pass), |q| q.p50),
            Function::P90 => quantiles(self.eval(&call.args[0], pass), |q| q.p90),
            Function::P99 => quantiles(self.eval(&call.args[0], pass), |q| q.p99),
            Function::P999 => quantiles(self.eval(&call.args[0], pass), |q| q.p999),
            Function::Max => quantiles(self.eval(&call.args[0], pass), |q| q.max),
            Function::Mean => quantiles(self.eval(&call.args[0], pass), |q| q.mean),
            Function::Quantile => {
                let q = constant(0);
                quantiles(self.eval(&call.args[1], pass), |quantiles| quantiles.at(q))
            }
            Function::Abs => map_values(self.eval(&call.args[0], pass), |value| Some(value.abs())),
            Function::Rate => {
                let input = series_of(self.eval(&call.args[0], pass));
                self.rate(node, input, pass)
            }
            Function::Increase => {
                let input = series_of(self.eval(&call.args[0], pass));
                let window = window(constant(1));
                self.windowed(node, input, window, 2, pass, |history, current| {
                    let mut total = 0.0;
                    let mut previous = history.oldest()?.1;
                    for value in history.values().skip(1).chain(std::iter::once(current)) {
                        total += counter_increase(previous, value);
                        previous = value;
                    }
                    Some(total)
                })
            }
            Function::Delta => {
                let input = series_of(self.eval(&call.args[0], pass));
                self.windowed(node, input, window(constant(1)), 1, pass, |history, current| {
                    Some(current - history.oldest()?.1)
                })
            }
            Function::PctChange => {
                let input = series_of(self.eval(&call.args[0], pass));
                self.windowed(node, input, window(constant(1)), 1, pass, |history, current| {
                    let old = history.oldest()?.1;
                    Some(relative_change(old, current))
                })
            }
            Function::Zscore => {
                let input = series_of(self.eval(&call.args[0], pass));
                let min = self.settings.min_samples.max(1);
                self.windowed(node, input, window(constant(1)), min, pass, |history, current| {
                    let (mean, deviation) = stats::mean_deviation(history.values())?;
                    Some(stats::zscore(current, mean, deviation))
                })
            }
            Function::RollingPercentile => {
                let input = series_of(self.eval(&call.args[0], pass));
                let q = constant(1);
                let min = self.settings.min_samples.max(1);
                self.windowed(node, input, window(constant(2)), min, pass, |history, _| {
                    stats::percentile(history.values(), q)
                })
            }
            Function::Ewma => {
                let input = series_of(self.eval(&call.args[0], pass));
                let lambda = constant(1);
                self.ewma(node, input, lambda, 0, pass, |ewma, value| {
                    ewma.observe(value);
                    ewma.mean()
                })
            }
            Function::EwmaUpper | Function::EwmaLower => {
                let input = series_of(self.eval(&call.args[0], pass));
                let (k, lambda) = (constant(1), constant(2));
                let sign = if call.function == Function::EwmaUpper { 1.0 } else { -1.0 };
                let min = self.settings.min_samples.max(1) as u64;
                self.ewma(node, input, lambda, min, pass, move |ewma, value| {
                    let bound = ewma.mean().map(|mean| mean + sign * ewma.half_width(k));
                    ewma.observe(value);
                    bound
                })
            }
            Function::Absent => self.absent(node, &call.args[0], window(constant(1)), pass),
        }
    }

    /// `rate(counter)`: the increase since the previous evaluation divided by the seconds
    /// between the two.
    fn rate(&mut self, node: Span, input: Vec<(Labels, f64)>, pass: &mut Pass<'_>) -> Value {
        let now = pass.now;
        let mut values = Vec::new();
        for (labels, current) in input {
            let state =
                self.state.entry(node, &labels, now, || NodeState::Previous { at: now, part: f64::NAN, whole: 0.0 });
            let NodeState::Previous { at, part: previous, .. } = state else { continue };
            let seconds = now.duration_since(*at).unwrap_or(Duration::ZERO).as_secs_f64();
            let first = previous.is_nan();
            let increase = counter_increase(*previous, current);
            (*at, *previous) = (now, current);

            if first {
                pass.warming_up = true;
            } else if seconds > 0.0 {
                values.push((labels, increase / seconds));
            }
        }
        Value::Vector(values)
    }

    /// Runs `compute` on the samples of the last `span` before each current value (the
    /// current one excluded), once at least `min_samples` of them exist, then records the
    /// current value.
    fn windowed(
        &mut self,
        node: Span,
        input: Vec<(Labels, f64)>,
        span: Duration,
        min_samples: usize,
        pass: &mut Pass<'_>,
        compute: impl Fn(&SampleWindow, f64) -> Option<f64>,
    ) -> Value {
        let now = pass.now;
        let mut values = Vec::new();
        for (labels, current) in input {
            let state = self.state.entry(node, &labels, now, || NodeState::Window(SampleWindow::new(span)));
            let NodeState::Window(history) = state else { continue };
            history.expire(now);

            let result = if history.len() >= min_samples { compute(history, current) } else { None };
            history.push(now, current);
            match result {
                Some(value) if !value.is_nan() => values.push((labels, value)),
                Some(_) => {}
                None => pass.warming_up = true,
            }
        }
        Value::Vector(values)
    }

    /// Runs `step` on each series' running average, which is created on first use and
    /// yields a value once it has `min_count` observations.
    fn ewma(
        &mut self,
        node: Span,
        input: Vec<(Labels, f64)>,
        lambda: f64,
        min_count: u64,
        pass: &mut Pass<'_>,
        step: impl Fn(&mut Ewma, f64) -> Option<f64>,
    ) -> Value {
        let now = pass.now;
        let mut values = Vec::new();
        for (labels, current) in input {
            let state = self.state.entry(node, &labels, now, || NodeState::Ewma(Ewma::new(lambda)));
            let NodeState::Ewma(ewma) = state else { continue };
            let ready = ewma.count() >= min_count;
            let result = step(ewma, current);
            match result {
                Some(value) if ready => values.push((labels, value)),
                _ => pass.warming_up = true,
            }
        }
        Value::Vector(values)
    }

    /// `absent(selector, window)`: holds when the selector has had no series for `window`,
    /// counted from the first evaluation. Its one series carries the selector's equality
    /// matchers as labels, as in Prometheus.
    fn absent(&mut self, node: Span, selector_expr: &Expr, span: Duration, pass: &mut Pass<'_>) -> Value {
        let ExprKind::Selector(selector) = &selector_expr.kind else {
            return Value::Condition(Vec::new());
        };
        let present = match self.matchers.get(&selector_expr.span) {
            Some(matchers) => !is_empty(&source::read(selector, matchers, pass.snapshot)),
            None => false,
        };

        let now = pass.now;
        let since = self.absent_since.entry(node).or_insert(now);
        if present {
            *since = now;
        }
        let missing_for = now.duration_since(*since).unwrap_or(Duration::ZERO);
        let labels: Labels = selector
            .matchers
            .iter()
            .filter(|matcher| matcher.op == crate::rule::MatchOp::Equal)
            .map(|matcher| (matcher.label.clone(), matcher.value.clone()))
            .collect();
        let active = !present && missing_for >= span;
        Value::Condition(vec![(labels, Verdict { active, value: Some(missing_for.as_secs_f64()) })])
    }
}

fn quantiles(value: Value, pick: impl Fn(&source::Quantiles) -> f64) -> Value {
    match value {
        Value::Distribution(series) => {
            Value::Vector(series.into_iter().map(|(labels, quantiles)| (labels, pick(&quantiles))).collect())
        }
        _ => Value::Vector(Vec::new()),
    }
}

/// Returns the constant argument at `index` in base units (the checker proved it is one).
fn constant(args: &[Expr], index: usize) -> f64 {
    match args.get(index).map(|arg| &arg.kind) {
        Some(ExprKind::Number(quantity)) => quantity.base_value(),
        _ => f64::NAN,
    }
}

fn window(seconds: f64) -> Duration {
    Duration::try_from_secs_f64(seconds).unwrap_or(Duration::ZERO)
}

/// `(current - old) / |old|`. From zero, no change is 0 and any change is an infinity of its
/// sign, rather than a division by zero.
pub(crate) fn relative_change(old: f64, current: f64) -> f64 {
    if old != 0.0 {
        return (current - old) / old.abs();
    }
    if current == 0.0 {
        0.0
    } else {
        f64::INFINITY.copysign(current)
    }
}

fn is_empty(raw: &source::Raw) -> bool {
    match raw {
        source::Raw::Counter(series) | source::Raw::Gauge(series) => series.is_empty(),
        source::Raw::Distribution(series) => series.is_empty(),
        source::Raw::Ratio(series) => series.is_empty(),
    }
}
