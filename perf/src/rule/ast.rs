//! The syntax tree of a rule expression, with the byte range of every node.
//!
//! An evaluator walks [`Expr`] bottom-up:
//! - [`ExprKind::Number`] is a constant; [`Quantity::base_value`] gives it in base units
//!   (seconds, bytes, a fraction, events per second), the units every metric is compared in.
//! - [`ExprKind::Selector`] reads a metric of every site, cache or component whose labels
//!   match (all matchers must hold). A selector with no matcher reads every series of the
//!   metric. What it yields depends on [`Metric::value_type`]: a cumulative counter, a latency
//!   distribution, or a plain value.
//! - [`ExprKind::Call`] applies a [`Function`]; [`Function::signature`] tells which arguments
//!   are expressions and which are constant parameters (a window, a quantile, a smoothing
//!   factor) that the checker has already proved to be number literals in range.
//! - [`ExprKind::Unary`] and [`ExprKind::Binary`] are arithmetic (`-`, `+`, `-`, `*`, `/`),
//!   comparison (`>`, `>=`, `<`, `<=`, `==`, `!=`) and logic (`and`, `or`, `not`).
//!
//! A selector that matches several series makes the expression per series: a comparison holds
//! for each series where it holds, and `and`/`or` join series with equal labels, as in
//! Prometheus. The checker ([`super::check`]) proves that units agree, so an evaluator never
//! compares a duration with a percentage.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::config::units::Quantity;

pub use super::catalog::{Function, Metric, Param, Signature};

/// A byte range of the expression text: `start` inclusive, `end` exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// A node of the expression, with the text it was parsed from.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// Node kind and children.
    pub kind: ExprKind,
    /// Byte range of the node in the expression.
    pub span: Span,
}

/// The kinds of expression nodes.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A number with an optional unit: `3`, `250ms`, `64MiB`, `99.9%`, `10/s`.
    Number(Quantity),
    /// A metric with label matchers: `latency{site="shop::checkout"}`.
    Selector(Selector),
    /// A function applied to arguments: `p99(latency)`.
    Call(Call),
    /// A prefix operator: `-x`, `not x`.
    Unary {
        /// The operator.
        op: UnaryOp,
        /// Its operand.
        operand: Box<Expr>,
    },
    /// An infix operator: `a > b`, `a and b`, `a * b`.
    Binary {
        /// The operator.
        op: BinaryOp,
        /// Left operand.
        left: Box<Expr>,
        /// Right operand.
        right: Box<Expr>,
    },
}

/// Prefix operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    /// `not`: logical negation.
    Not,
    /// `-`: arithmetic negation.
    Negate,
}

/// Infix operators, loosest binding first: `or`; `and`; comparisons (which do not chain);
/// `+` and `-`; `*` and `/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    /// Logical or.
    Or,
    /// Logical and.
    And,
    /// `>`.
    Greater,
    /// `>=`.
    GreaterOrEqual,
    /// `<`.
    Less,
    /// `<=`.
    LessOrEqual,
    /// `==`.
    Equal,
    /// `!=`.
    NotEqual,
    /// `+`.
    Add,
    /// `-`.
    Subtract,
    /// `*`.
    Multiply,
    /// `/`.
    Divide,
}

/// A metric and the label matchers that select its series.
#[derive(Debug, Clone, PartialEq)]
pub struct Selector {
    /// The metric.
    pub metric: Metric,
    /// Byte range of the metric name.
    pub metric_span: Span,
    /// Label matchers, all of which must hold.
    pub matchers: Vec<Matcher>,
}

/// One label matcher: `site="shop::checkout"`, `team=~"shop|cart"`. Serializes as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matcher {
    /// Label name.
    pub label: String,
    /// Comparison of the label value.
    pub op: MatchOp,
    /// The value or regular expression, unescaped.
    pub value: String,
    /// Byte range of the whole matcher.
    pub span: Span,
}

/// Comparison operators of label matchers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchOp {
    /// `=`: equal.
    Equal,
    /// `!=`: not equal.
    NotEqual,
    /// `=~`: the whole value matches the regular expression (anchored at both ends, as in
    /// Prometheus; the syntax is that of the `regex-lite` crate).
    Regex,
    /// `!~`: the whole value does not match the regular expression.
    NotRegex,
}

/// A function call.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The function.
    pub function: Function,
    /// Byte range of the function name.
    pub name_span: Span,
    /// Arguments, in the order of [`Function::signature`].
    pub args: Vec<Expr>,
}

impl Span {
    /// Returns the span from the start of `self` to the end of `other`.
    pub fn to(self, other: Span) -> Span {
        Span { start: self.start, end: other.end }
    }
}

impl Expr {
    /// Returns `true` when both expressions are the same apart from where they were written.
    pub fn same_as(&self, other: &Expr) -> bool {
        match (&self.kind, &other.kind) {
            (ExprKind::Number(a), ExprKind::Number(b)) => {
                a.dimension() == b.dimension() && a.base_value() == b.base_value()
            }
            (ExprKind::Selector(a), ExprKind::Selector(b)) => {
                a.metric == b.metric
                    && a.matchers.len() == b.matchers.len()
                    && a.matchers
                        .iter()
                        .zip(&b.matchers)
                        .all(|(x, y)| (&x.label, x.op, &x.value) == (&y.label, y.op, &y.value))
            }
            (ExprKind::Call(a), ExprKind::Call(b)) => {
                a.function == b.function
                    && a.args.len() == b.args.len()
                    && a.args.iter().zip(&b.args).all(|(x, y)| x.same_as(y))
            }
            (ExprKind::Unary { op: op_a, operand: a }, ExprKind::Unary { op: op_b, operand: b }) => {
                op_a == op_b && a.same_as(b)
            }
            (
                ExprKind::Binary { op: op_a, left: left_a, right: right_a },
                ExprKind::Binary { op: op_b, left: left_b, right: right_b },
            ) => op_a == op_b && left_a.same_as(left_b) && right_a.same_as(right_b),
            _ => false,
        }
    }
}

impl BinaryOp {
    /// Returns the operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Greater => ">",
            BinaryOp::GreaterOrEqual => ">=",
            BinaryOp::Less => "<",
            BinaryOp::LessOrEqual => "<=",
            BinaryOp::Equal => "==",
            BinaryOp::NotEqual => "!=",
            BinaryOp::Add => "+",
            BinaryOp::Subtract => "-",
            BinaryOp::Multiply => "*",
            BinaryOp::Divide => "/",
        }
    }

    /// Returns `true` for `>`, `>=`, `<`, `<=`, `==` and `!=`.
    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinaryOp::Greater
                | BinaryOp::GreaterOrEqual
                | BinaryOp::Less
                | BinaryOp::LessOrEqual
                | BinaryOp::Equal
                | BinaryOp::NotEqual
        )
    }
}

impl MatchOp {
    /// Returns the operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            MatchOp::Equal => "=",
            MatchOp::NotEqual => "!=",
            MatchOp::Regex => "=~",
            MatchOp::NotRegex => "!~",
        }
    }
}

impl fmt::Display for Matcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}{:?}", self.label, self.op.symbol(), self.value)
    }
}

impl Serialize for Matcher {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}
