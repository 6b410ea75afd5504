//! Rule expressions: the conditions of alert rules and the metrics of thresholds.
//!
//! ```text
//! p99(latency{site="shop::checkout"}) > 250ms and rate(calls) > 10/s
//! not absent(calls{component="search"}, 5m)
//! hit_rate{cache="sessions"} < 90% or p99(latency) > ewma_upper(p99(latency), 3, 0.3)
//! ```
//!
//! An expression is read in three steps, and each error names the byte range of the offending
//! text. The lexer splits the text into tokens, where a number carries its unit (`250ms` is
//! one token). The parser builds the tree of [`ast`]. The checker ([`check`]) proves that
//! units agree and that functions get the arguments they take. [`catalog`] lists the metrics
//! and functions.
//!
//! Evaluating the tree against live metrics is the alert manager's job; [`ast`] documents
//! what each node means.

pub mod ast;
pub mod catalog;
pub mod check;
mod error;
mod lexer;
mod parser;

pub use ast::{BinaryOp, Call, Expr, ExprKind, MatchOp, Matcher, Selector, Span, UnaryOp};
pub use catalog::{Function, Metric, Param, Returns, Signature, Type};
pub use error::{RuleError, RuleErrors};

use crate::config::units::Dimension;

/// Parses an expression that must be a condition, such as an alert rule's `expr`.
///
/// ```
/// let rule = perf::rule::parse_condition(r#"p99(latency{site="shop::checkout"}) > 250ms and rate(calls) > 10/s"#);
/// assert!(rule.is_ok());
///
/// let error = perf::rule::parse_condition("p99(latency) > 250").unwrap_err();
/// assert_eq!(error.0[0].span.start, 15);
/// ```
pub fn parse_condition(text: &str) -> Result<Expr, RuleErrors> {
    let (expr, expr_type) = parse_typed(text)?;
    if expr_type != Type::Bool {
        return Err(RuleError::new(
            expr.span,
            format!("a rule must be a condition, such as `p99(latency) > 250ms`, but this is {}", expr_type.describe()),
        )
        .into());
    }
    Ok(expr)
}

/// Parses an expression that must be a value, such as a threshold's `metric`, and returns it
/// with its dimension.
///
/// ```
/// use perf::config::units::Dimension;
///
/// let (_, dimension) = perf::rule::parse_value("p99(latency)").unwrap();
/// assert_eq!(dimension, Dimension::Duration);
/// ```
pub fn parse_value(text: &str) -> Result<(Expr, Dimension), RuleErrors> {
    let (expr, expr_type) = parse_typed(text)?;
    match expr_type.as_scalar() {
        Some(dimension) => Ok((expr, dimension)),
        None => {
            let hint = if expr_type == Type::Distribution { "; take a quantile first, like p99(latency)" } else { "" };
            Err(RuleError::new(
                expr.span,
                format!("expected a value such as `p99(latency)`, but this is {}{hint}", expr_type.describe()),
            )
            .into())
        }
    }
}

/// Parses one label matcher, such as `severity="critical"` or `team=~"shop|cart"`.
///
/// ```
/// let matcher = perf::rule::parse_matcher(r#"team=~"shop|cart""#).unwrap();
/// assert_eq!(matcher.op, perf::rule::MatchOp::Regex);
/// ```
pub fn parse_matcher(text: &str) -> Result<Matcher, RuleError> {
    let tokens = lexer::tokenize(text)?;
    parser::parse_matcher(&tokens)
}

fn parse_typed(text: &str) -> Result<(Expr, Type), RuleErrors> {
    let tokens = lexer::tokenize(text)?;
    let expr = parser::parse_expr(&tokens)?;
    let mut errors = Vec::new();
    match check::type_of(&expr, &mut errors) {
        Some(expr_type) if errors.is_empty() => Ok((expr, expr_type)),
        _ => Err(RuleErrors(errors)),
    }
}

#[cfg(test)]
mod tests;
