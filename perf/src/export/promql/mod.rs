//! Translation of rule expressions ([`crate::rule`]) into PromQL over the exported families,
//! so an alert rule of a configuration file runs on Prometheus.
//!
//! ```text
//! rate(calls{site="shop::checkout"}) > 10/s
//!   sum by (component, module, function) (rate(perf_calls_total{module="shop", function="checkout"}[1m])) > 10
//! ```
//!
//! Every value is aggregated by the labels that identify one site (`component`, `module`,
//! `function`) or one cache (`cache`, `component`), so a rule keeps one series per site or
//! cache, as the in-process evaluator does. Windows over the evaluation (`rate`, `error_rate`,
//! `hit_rate`, latency quantiles) use the translator's range. Numbers are written in base
//! units: seconds, bytes, fractions and events per second.
//!
//! Expressions that need the history kept in the process (EWMA bands, z-scores, rolling
//! percentiles) or a value the families do not carry (the slowest call) have no PromQL
//! equivalent and are rejected with the reason, never approximated.

mod selector;

use std::collections::BTreeSet;
use std::fmt;
use std::time::Duration;

use crate::export::rules::prometheus_duration;
use crate::rule::{BinaryOp, Call, Expr, ExprKind, Function, Metric, Span, UnaryOp};

use self::selector::Family;

/// Translates rule expressions into PromQL for one exposition namespace and range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translator {
    /// Prefix of the exported families, `perf` by default; empty for none.
    pub namespace: String,
    /// Range of `rate` and of the values computed over the evaluation window, 1m by default.
    pub range: Duration,
}

/// An expression with no PromQL equivalent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromqlError {
    /// Byte range of the part of the expression that cannot be translated.
    pub span: Span,
    /// Why, and what to write instead.
    pub message: String,
}

/// The labels of a translated value: a PromQL scalar, or a vector with one series per
/// distinct value of these labels.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Shape {
    Scalar,
    Vector(BTreeSet<String>),
}

/// A translated node: its PromQL text, its shape and how tightly its text binds.
#[derive(Debug, Clone)]
struct Node {
    text: String,
    shape: Shape,
    precedence: u8,
}

/// Precedence of a node that needs no parentheses (a call, a selector, a number).
const ATOMIC: u8 = u8::MAX;

impl Default for Translator {
    fn default() -> Self {
        Translator { namespace: "perf".to_owned(), range: Duration::from_secs(60) }
    }
}

impl Translator {
    /// Translates a condition, such as an alert rule's `expr`, into a PromQL expression whose
    /// series are the firing alerts.
    ///
    /// ```
    /// let expr = perf::rule::parse_condition(r#"hit_rate{cache="sessions"} < 90%"#).unwrap();
    /// let promql = perf::export::promql::Translator::default().condition(&expr).unwrap();
    /// assert_eq!(
    ///     promql,
    ///     r#"sum by (cache, component) (rate(perf_cache_gets_total{cache="sessions", result="hit"}[1m])) / sum by (cache, component) (rate(perf_cache_gets_total{cache="sessions"}[1m])) < 0.9"#
    /// );
    /// ```
    pub fn condition(&self, expr: &Expr) -> Result<String, PromqlError> {
        let node = self.translate(expr)?;
        match node.shape {
            Shape::Vector(_) => Ok(node.text),
            Shape::Scalar => Err(PromqlError::new(
                expr.span,
                "the condition compares constants only; compare a metric, such as `rate(calls) > 10/s`",
            )),
        }
    }

    /// Translates a value, such as a threshold's `metric`, into a PromQL expression.
    pub fn value(&self, expr: &Expr) -> Result<String, PromqlError> {
        Ok(self.translate(expr)?.text)
    }

    fn translate(&self, expr: &Expr) -> Result<Node, PromqlError> {
        match &expr.kind {
            ExprKind::Number(quantity) => Ok(Node::scalar(number(quantity.base_value()))),
            ExprKind::Selector(selector) => Family::of(self, selector, expr.span)?.plain_value(),
            ExprKind::Call(call) => self.call(expr.span, call),
            ExprKind::Unary { op: UnaryOp::Negate, operand } => {
                let operand = self.translate(operand)?;
                Ok(Node { text: format!("-{}", operand.wrapped(ATOMIC)), shape: operand.shape, precedence: ATOMIC })
            }
            ExprKind::Unary { op: UnaryOp::Not, operand } => self.negate(expr.span, operand),
            ExprKind::Binary { op, left, right } => self.binary(expr.span, *op, left, right),
        }
    }

    fn call(&self, span: Span, call: &Call) -> Result<Node, PromqlError> {
        let quantile = match call.function {
            Function::P50 => Some(0.5),
            Function::P90 => Some(0.9),
            Function::P99 => Some(0.99),
            Function::P999 => Some(0.999),
            Function::Quantile => Some(constant(&call.args[0])),
            _ => None,
        };
        if let Some(quantile) = quantile {
            let latency = call.args.last().expect("the checker proved a latency argument");
            return Family::of_argument(self, latency)?.quantile(quantile);
        }

        match call.function {
            Function::Mean => Family::of_argument(self, &call.args[0])?.mean(),
            Function::Rate => Family::of_argument(self, &call.args[0])?.rate(),
            Function::Increase | Function::Delta => {
                let window = window(&call.args[1]);
                Family::of_argument(self, &call.args[0])?.change(window, call.function, span)
            }
            Function::Absent => Family::of_argument(self, &call.args[0])?.absent(window(&call.args[1])),
            Function::Abs => {
                let operand = self.translate(&call.args[0])?;
                match operand.shape {
                    Shape::Scalar => Ok(Node::scalar(format!("abs({})", operand.text))),
                    shape => Ok(Node { text: format!("abs({})", operand.text), shape, precedence: ATOMIC }),
                }
            }
            Function::Max => Err(PromqlError::new(
                span,
                "max(latency) has no PromQL equivalent because the exported histogram keeps bucket counts, not the slowest call; use p999(latency) or quantile(99.99%, latency)",
            )),
            Function::PctChange => Err(PromqlError::new(
                span,
                "pct_change(...) has no PromQL translation yet; compare delta(...) with a bound instead",
            )),
            Function::Ewma
            | Function::EwmaUpper
            | Function::EwmaLower
            | Function::Zscore
            | Function::RollingPercentile => Err(PromqlError::new(
                span,
                format!(
                    "{}(...) is an adaptive threshold computed from the history kept in the process and has no PromQL equivalent; keep this rule in the process or use a static bound",
                    call.function.name()
                ),
            )),
            Function::P50 | Function::P90 | Function::P99 | Function::P999 | Function::Quantile => {
                unreachable!("quantiles are translated above")
            }
        }
    }

    /// Translates `not operand` into an inverted comparison or the presence of a metric.
    /// PromQL has no unary `not`, so other operands are rejected, and [`Translator::binary`]
    /// writes `a and not b` as `a unless b`.
    fn negate(&self, span: Span, operand: &Expr) -> Result<Node, PromqlError> {
        match &operand.kind {
            ExprKind::Binary { op, left, right } if op.is_comparison() => {
                let inverted = match op {
                    BinaryOp::Greater => BinaryOp::LessOrEqual,
                    BinaryOp::GreaterOrEqual => BinaryOp::Less,
                    BinaryOp::Less => BinaryOp::GreaterOrEqual,
                    BinaryOp::LessOrEqual => BinaryOp::Greater,
                    BinaryOp::Equal => BinaryOp::NotEqual,
                    _ => BinaryOp::Equal,
                };
                self.binary(span, inverted, left, right)
            }
            ExprKind::Call(call) if call.function == Function::Absent => {
                Family::of_argument(self, &call.args[0])?.present(window(&call.args[1]))
            }
            ExprKind::Unary { op: UnaryOp::Not, operand } => self.translate(operand),
            _ => Err(PromqlError::new(
                span,
                "`not` of `and`/`or` has no PromQL equivalent; write `a and not b` (PromQL `unless`) or negate each comparison",
            )),
        }
    }

    fn binary(&self, span: Span, op: BinaryOp, left: &Expr, right: &Expr) -> Result<Node, PromqlError> {
        match op {
            BinaryOp::And => {
                if let Some(negated) = not_operand(right) {
                    return self.unless(left, negated);
                }
                if let Some(negated) = not_operand(left) {
                    return self.unless(right, negated);
                }
                let (left, right) = (self.condition_node(left)?, self.condition_node(right)?);
                Ok(set_operation(left, "and", right, 2))
            }
            BinaryOp::Or => {
                let (left, right) = (self.condition_node(left)?, self.condition_node(right)?);
                let shape = match (&left.shape, &right.shape) {
                    (Shape::Vector(a), Shape::Vector(b)) => Shape::Vector(a.intersection(b).cloned().collect()),
                    _ => Shape::Scalar,
                };
                let text = format!("{} or {}", left.wrapped(1), right.wrapped(2));
                Ok(Node { text, shape, precedence: 1 })
            }
            _ => {
                let precedence = match op {
                    BinaryOp::Add | BinaryOp::Subtract => 4,
                    BinaryOp::Multiply | BinaryOp::Divide => 5,
                    _ => 3,
                };
                let (left_node, right_node) = (self.translate(left)?, self.translate(right)?);
                let shape = match (&left_node.shape, &right_node.shape) {
                    (Shape::Scalar, Shape::Scalar) if op.is_comparison() => {
                        return Err(PromqlError::new(
                            span,
                            "the comparison has a constant on both sides; compare a metric with a bound",
                        ))
                    }
                    (Shape::Scalar, shape) | (shape, Shape::Scalar) => shape.clone(),
                    (Shape::Vector(a), Shape::Vector(b)) if a == b => Shape::Vector(a.clone()),
                    (Shape::Vector(_), Shape::Vector(_)) => {
                        return Err(PromqlError::new(
                            span,
                            format!(
                                "`{}` joins a value of one site or cache with a value of another kind, which PromQL cannot match series by series; compare each with a constant and join the conditions with `and`",
                                op.symbol()
                            ),
                        ))
                    }
                };
                let text =
                    format!("{} {} {}", left_node.wrapped(precedence), op.symbol(), right_node.wrapped(precedence + 1));
                Ok(Node { text, shape, precedence })
            }
        }
    }

    fn unless(&self, kept: &Expr, removed: &Expr) -> Result<Node, PromqlError> {
        let (kept, removed) = (self.condition_node(kept)?, self.condition_node(removed)?);
        Ok(set_operation(kept, "unless", removed, 2))
    }

    /// Translates an operand of `and`/`or`, which must be a vector.
    fn condition_node(&self, expr: &Expr) -> Result<Node, PromqlError> {
        let node = self.translate(expr)?;
        match node.shape {
            Shape::Vector(_) => Ok(node),
            Shape::Scalar => {
                Err(PromqlError::new(expr.span, "this condition compares constants only; compare a metric"))
            }
        }
    }
}

/// Joins two vectors with `and` or `unless`, matching on the labels they share when their
/// labels differ, as the in-process evaluator joins series whose shared labels agree.
fn set_operation(left: Node, keyword: &str, right: Node, precedence: u8) -> Node {
    let (Shape::Vector(left_labels), Shape::Vector(right_labels)) = (&left.shape, &right.shape) else {
        unreachable!("condition_node returns vectors only")
    };
    let matching = if left_labels == right_labels {
        String::new()
    } else {
        let common: Vec<&str> = left_labels.intersection(right_labels).map(String::as_str).collect();
        format!(" on ({})", common.join(", "))
    };
    let text = format!("{} {keyword}{matching} {}", left.wrapped(precedence), right.wrapped(precedence + 1));
    Node { text, shape: left.shape, precedence }
}

fn not_operand(expr: &Expr) -> Option<&Expr> {
    match &expr.kind {
        ExprKind::Unary { op: UnaryOp::Not, operand } => Some(operand),
        _ => None,
    }
}

/// Returns the base value of a constant parameter, which the checker proved is a number.
fn constant(expr: &Expr) -> f64 {
    match &expr.kind {
        ExprKind::Number(quantity) => quantity.base_value(),
        _ => unreachable!("the checker proves constant parameters are numbers"),
    }
}

/// Returns a window parameter as a PromQL duration, such as `5m`.
fn window(expr: &Expr) -> String {
    let duration = match &expr.kind {
        ExprKind::Number(quantity) => quantity.to_duration(),
        _ => None,
    };
    prometheus_duration(duration.expect("the checker proves windows are durations"))
}

/// Writes a number as PromQL reads it: `0.25`, `10`, `-3`.
fn number(value: f64) -> String {
    format!("{value}")
}

/// Metrics whose values are read as they are (gauges), as opposed to counters.
fn is_gauge(metric: Metric) -> bool {
    matches!(metric, Metric::InFlight | Metric::CacheSize | Metric::Entries | Metric::Health)
}

impl Node {
    fn scalar(text: String) -> Node {
        Node { text, shape: Shape::Scalar, precedence: ATOMIC }
    }

    fn vector(text: String, labels: &[&str], precedence: u8) -> Node {
        Node { text, shape: Shape::Vector(labels.iter().map(|label| (*label).to_owned()).collect()), precedence }
    }

    /// Returns the text, in parentheses when it binds less tightly than `needed`.
    fn wrapped(&self, needed: u8) -> String {
        if self.precedence < needed {
            format!("({})", self.text)
        } else {
            self.text.clone()
        }
    }
}

impl PromqlError {
    fn new(span: Span, message: impl Into<String>) -> PromqlError {
        PromqlError { span, message: message.into() }
    }
}

impl fmt::Display for PromqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PromqlError {}

#[cfg(test)]
mod tests;
