//! The evaluator: runs a parsed rule expression against a snapshot, once per evaluation.
//!
//! A selector yields one series per matching site, cache or metric. Functions and operators
//! work per series, and binary operators join series on their shared labels (see `join`). The
//! functions with memory (`rate`, `increase`, `delta`, `pct_change`, `ewma`, `ewma_upper`,
//! `ewma_lower`, `zscore`, `rolling_percentile`, `absent`) and the interval ratios
//! (`error_rate`, `hit_rate`) keep their state per expression node and series between
//! evaluations. A function that lacks its history yields no value for that series and marks
//! the evaluation as warming up, so that the alert rule can fall back to a static condition or
//! stay silent.

mod calls;
mod join;
pub(crate) mod source;
mod state;

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use crate::rule::{BinaryOp, Expr, ExprKind, Span, UnaryOp};
use crate::snapshot::Snapshot;
use crate::threshold::Labels;
use source::{CompiledMatchers, Quantiles, Raw};
use state::{NodeState, StateTable};

/// How long the state of a series that stopped reporting is kept, at the least.
const MIN_STALE_AFTER: Duration = Duration::from_secs(60 * 60);

/// Settings of an [`Evaluator`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EvalSettings {
    /// Samples an adaptive function (`ewma_upper`, `ewma_lower`, `zscore`,
    /// `rolling_percentile`) needs in its history before it yields a value.
    pub min_samples: usize,
}

/// Runs one rule expression, keeping the history of its stateful functions.
#[derive(Debug)]
pub struct Evaluator {
    expr: Expr,
    settings: EvalSettings,
    matchers: HashMap<Span, CompiledMatchers>,
    state: StateTable,
    absent_since: HashMap<Span, SystemTime>,
    stale_after: Duration,
}

/// The result of one evaluation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Evaluation {
    /// Every series the expression produced, with whether the condition holds for it.
    pub series: Vec<SeriesVerdict>,
    /// `true` when a function lacked its history for some series, which then has no verdict.
    pub warming_up: bool,
}

/// The verdict of a condition for one series.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesVerdict {
    /// Labels of the series.
    pub labels: Labels,
    /// Whether the condition holds.
    pub active: bool,
    /// The value compared: the left side of the comparison that decided the verdict.
    pub value: Option<f64>,
}

/// A verdict with the value it compared.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Verdict {
    pub(crate) active: bool,
    pub(crate) value: Option<f64>,
}

/// The value of an expression node.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// A constant, in base units.
    Scalar(f64),
    /// A value per series.
    Vector(Vec<(Labels, f64)>),
    /// A cumulative count per series.
    Counter(Vec<(Labels, f64)>),
    /// Latency quantiles per series.
    Distribution(Vec<(Labels, Quantiles)>),
    /// A verdict per series.
    Condition(Vec<(Labels, Verdict)>),
}

/// State passed down the tree during one evaluation.
pub(crate) struct Pass<'a> {
    pub(crate) snapshot: &'a Snapshot,
    pub(crate) now: SystemTime,
    pub(crate) warming_up: bool,
}

impl Default for EvalSettings {
    fn default() -> Self {
        EvalSettings { min_samples: 10 }
    }
}

impl Evaluator {
    /// Creates an evaluator of `expr`, a condition from [`crate::rule::parse_condition`].
    ///
    /// ```
    /// use perf::threshold::{EvalSettings, Evaluator};
    ///
    /// let expr = perf::rule::parse_condition("in_flight > 100").unwrap();
    /// let mut evaluator = Evaluator::new(expr, EvalSettings::default());
    /// let evaluation = evaluator.evaluate(&perf::snapshot(), std::time::SystemTime::now());
    /// assert!(evaluation.series.iter().all(|series| !series.active));
    /// ```
    pub fn new(expr: Expr, settings: EvalSettings) -> Self {
        let mut matchers = HashMap::new();
        let mut largest_window = Duration::ZERO;
        visit(&expr, &mut |node| {
            if let ExprKind::Selector(selector) = &node.kind {
                matchers.insert(node.span, CompiledMatchers::new(&selector.matchers));
            }
            if let ExprKind::Number(quantity) = &node.kind {
                if let Some(window) = quantity.to_duration() {
                    largest_window = largest_window.max(window);
                }
            }
        });

        Evaluator {
            expr,
            settings,
            matchers,
            state: StateTable::default(),
            absent_since: HashMap::new(),
            stale_after: MIN_STALE_AFTER.max(largest_window.saturating_mul(2)),
        }
    }

    /// Returns the expression.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// Evaluates the expression against `snapshot` at `now`, updating the history of its
    /// stateful functions.
    pub fn evaluate(&mut self, snapshot: &Snapshot, now: SystemTime) -> Evaluation {
        let mut pass = Pass { snapshot, now, warming_up: false };
        let expr = self.expr.clone();
        let value = self.eval(&expr, &mut pass);
        self.state.prune(now, self.stale_after);

        let mut series: Vec<SeriesVerdict> = match value {
            Value::Condition(verdicts) => verdicts
                .into_iter()
                .map(|(labels, verdict)| SeriesVerdict { labels, active: verdict.active, value: verdict.value })
                .collect(),
            Value::Vector(values) | Value::Counter(values) => values
                .into_iter()
                .map(|(labels, value)| SeriesVerdict { labels, active: true, value: Some(value) })
                .collect(),
            Value::Scalar(value) => vec![SeriesVerdict { labels: Labels::new(), active: true, value: Some(value) }],
            Value::Distribution(_) => Vec::new(),
        };
        dedup_by_labels(&mut series);
        Evaluation { series, warming_up: pass.warming_up }
    }

    /// Returns the number of node and series states held, a measure of memory use.
    pub fn state_len(&self) -> usize {
        self.state.len()
    }

    fn eval(&mut self, expr: &Expr, pass: &mut Pass<'_>) -> Value {
        match &expr.kind {
            ExprKind::Number(quantity) => Value::Scalar(quantity.base_value()),
            ExprKind::Selector(selector) => {
                let Some(matchers) = self.matchers.get(&expr.span) else {
                    return Value::Vector(Vec::new());
                };
                let raw = source::read(selector, matchers, pass.snapshot);
                self.selector_value(expr.span, raw, pass)
            }
            ExprKind::Call(call) => self.call(expr, call, pass),
            ExprKind::Unary { op: UnaryOp::Not, operand } => match self.eval(operand, pass) {
                Value::Condition(verdicts) => Value::Condition(
                    verdicts
                        .into_iter()
                        .map(|(labels, verdict)| (labels, Verdict { active: !verdict.active, value: verdict.value }))
                        .collect(),
                ),
                _ => Value::Condition(Vec::new()),
            },
            ExprKind::Unary { op: UnaryOp::Negate, operand } => {
                map_values(self.eval(operand, pass), |value| Some(-value))
            }
            ExprKind::Binary { op, left, right } => {
                let left = self.eval(left, pass);
                let right = self.eval(right, pass);
                binary(*op, left, right)
            }
        }
    }

    /// Turns what a selector read into a value; ratios become the ratio of the increases since
    /// the previous evaluation.
    fn selector_value(&mut self, node: Span, raw: Raw, pass: &mut Pass<'_>) -> Value {
        match raw {
            Raw::Counter(series) => Value::Counter(series),
            Raw::Gauge(series) => Value::Vector(series),
            Raw::Distribution(series) => Value::Distribution(series),
            Raw::Ratio(series) => {
                let mut values = Vec::new();
                for (labels, part, whole) in series {
                    let now = pass.now;
                    let state = self.state.entry(node, &labels, now, || NodeState::Previous {
                        at: now,
                        part: f64::NAN,
                        whole: f64::NAN,
                    });
                    let NodeState::Previous { at, part: previous_part, whole: previous_whole } = state else {
                        continue;
                    };
                    let first = previous_whole.is_nan();
                    let part_increase = counter_increase(*previous_part, part);
                    let whole_increase = counter_increase(*previous_whole, whole);
                    (*at, *previous_part, *previous_whole) = (now, part, whole);

                    if first {
                        pass.warming_up = true;
                    } else if whole_increase > 0.0 {
                        values.push((labels, part_increase / whole_increase));
                    }
                }
                Value::Vector(values)
            }
        }
    }
}

/// Returns how much a counter grew from `previous` to `current`. A smaller `current` means
/// that the counter restarted from zero (as in Prometheus), so all of it is new.
pub(crate) fn counter_increase(previous: f64, current: f64) -> f64 {
    if current >= previous {
        current - previous
    } else {
        current
    }
}

fn binary(op: BinaryOp, left: Value, right: Value) -> Value {
    match op {
        BinaryOp::And | BinaryOp::Or => logic(op, left, right),
        BinaryOp::Greater
        | BinaryOp::GreaterOrEqual
        | BinaryOp::Less
        | BinaryOp::LessOrEqual
        | BinaryOp::Equal
        | BinaryOp::NotEqual => {
            let compare = move |a: f64, b: f64| match op {
                BinaryOp::Greater => a > b,
                BinaryOp::GreaterOrEqual => a >= b,
                BinaryOp::Less => a < b,
                BinaryOp::LessOrEqual => a <= b,
                BinaryOp::Equal => a == b,
                _ => a != b,
            };
            let joined = join::inner(&series_of(left), &series_of(right), |a, b| {
                Some(Verdict { active: compare(*a, *b), value: Some(*a) })
            });
            Value::Condition(joined)
        }
        BinaryOp::Add | BinaryOp::Subtract | BinaryOp::Multiply | BinaryOp::Divide => {
            let apply = move |a: f64, b: f64| {
                let result = match op {
                    BinaryOp::Add => a + b,
                    BinaryOp::Subtract => a - b,
                    BinaryOp::Multiply => a * b,
                    _ => a / b,
                };
                // 0/0 has no value; x/0 is an infinity, as in Prometheus.
                (!result.is_nan()).then_some(result)
            };
            match (&left, &right) {
                (Value::Scalar(a), Value::Scalar(b)) => apply(*a, *b).map_or(Value::Vector(Vec::new()), Value::Scalar),
                _ => Value::Vector(join::inner(&series_of(left), &series_of(right), |a, b| apply(*a, *b))),
            }
        }
    }
}

/// `and` pairs series present on both sides; `or` keeps every series of either side, a side
/// without the series counting as false.
fn logic(op: BinaryOp, left: Value, right: Value) -> Value {
    let (Value::Condition(left), Value::Condition(right)) = (left, right) else {
        return Value::Condition(Vec::new());
    };
    if op == BinaryOp::And {
        return Value::Condition(join::inner(&left, &right, |a, b| {
            Some(Verdict { active: a.active && b.active, value: a.value })
        }));
    }

    let mut joined = join::inner(&left, &right, |a, b| {
        let value = if a.active || !b.active { a.value } else { b.value };
        Some(Verdict { active: a.active || b.active, value })
    });
    for (side, other) in [(&left, &right), (&right, &left)] {
        for (labels, verdict) in side {
            if !other.iter().any(|(other_labels, _)| join::compatible(labels, other_labels)) {
                joined.push((labels.clone(), *verdict));
            }
        }
    }
    Value::Condition(joined)
}

/// Returns the per-series numbers of a value; a constant is one series with no label.
pub(crate) fn series_of(value: Value) -> Vec<(Labels, f64)> {
    match value {
        Value::Scalar(value) => vec![(Labels::new(), value)],
        Value::Vector(series) | Value::Counter(series) => series,
        Value::Distribution(_) => Vec::new(),
        Value::Condition(verdicts) => {
            verdicts.into_iter().filter_map(|(labels, verdict)| Some((labels, verdict.value?))).collect()
        }
    }
}

/// Applies `map` to every number of a value, dropping those it returns `None` for.
pub(crate) fn map_values(value: Value, map: impl Fn(f64) -> Option<f64>) -> Value {
    match value {
        Value::Scalar(value) => map(value).map_or(Value::Vector(Vec::new()), Value::Scalar),
        other => Value::Vector(
            series_of(other).into_iter().filter_map(|(labels, value)| Some((labels, map(value)?))).collect(),
        ),
    }
}

fn dedup_by_labels(series: &mut Vec<SeriesVerdict>) {
    let mut seen = std::collections::HashSet::new();
    series.retain(|verdict| seen.insert(verdict.labels.clone()));
}

fn visit(expr: &Expr, visitor: &mut impl FnMut(&Expr)) {
    visitor(expr);
    match &expr.kind {
        ExprKind::Number(_) | ExprKind::Selector(_) => {}
        ExprKind::Call(call) => call.args.iter().for_each(|arg| visit(arg, visitor)),
        ExprKind::Unary { operand, .. } => visit(operand, visitor),
        ExprKind::Binary { left, right, .. } => {
            visit(left, visitor);
            visit(right, visitor);
        }
    }
}
