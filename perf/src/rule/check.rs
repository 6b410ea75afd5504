//! Type checking of a parsed expression: units agree, functions get the arguments they take,
//! constant parameters are in range. Every error is collected, not only the first.

use super::ast::{BinaryOp, Call, Expr, ExprKind, Metric, Param, UnaryOp};
use super::catalog::{Returns, Type};
use super::error::RuleError;
use crate::config::units::Dimension;

/// Returns the type of `expr`, or `None` after pushing its errors to `errors`.
pub fn type_of(expr: &Expr, errors: &mut Vec<RuleError>) -> Option<Type> {
    match &expr.kind {
        ExprKind::Number(quantity) => Some(Type::Scalar(quantity.dimension())),
        ExprKind::Selector(selector) => {
            let has_name = selector.matchers.iter().any(|m| m.label == "name" && m.op == super::ast::MatchOp::Equal);
            if selector.metric == Metric::Custom && !has_name {
                errors.push(RuleError::new(
                    expr.span,
                    "`metric` needs the metric's name as a matcher, like metric{name=\"queue_depth\"}",
                ));
                return None;
            }
            Some(selector.metric.value_type())
        }
        ExprKind::Call(call) => check_call(expr, call, errors),
        ExprKind::Unary { op, operand } => {
            let operand_type = type_of(operand, errors)?;
            match op {
                UnaryOp::Not if operand_type == Type::Bool => Some(Type::Bool),
                UnaryOp::Not => {
                    errors.push(RuleError::new(
                        operand.span,
                        format!("`not` needs a condition, found {}", operand_type.describe()),
                    ));
                    None
                }
                UnaryOp::Negate => match operand_type.as_scalar() {
                    Some(dimension) => Some(Type::Scalar(dimension)),
                    None => {
                        errors.push(RuleError::new(
                            operand.span,
                            format!("`-` needs a value, found {}", operand_type.describe()),
                        ));
                        None
                    }
                },
            }
        }
        ExprKind::Binary { op, left, right } => {
            let left_type = type_of(left, errors);
            let right_type = type_of(right, errors);
            check_binary(*op, left, left_type?, right, right_type?, errors)
        }
    }
}

fn check_binary(
    op: BinaryOp,
    left: &Expr,
    left_type: Type,
    right: &Expr,
    right_type: Type,
    errors: &mut Vec<RuleError>,
) -> Option<Type> {
    if matches!(op, BinaryOp::And | BinaryOp::Or) {
        let mut ok = true;
        for (side, side_type) in [(left, left_type), (right, right_type)] {
            if side_type != Type::Bool {
                errors.push(RuleError::new(
                    side.span,
                    format!(
                        "`{}` joins conditions, found {}; compare it with a threshold, like `> 250ms`",
                        op.symbol(),
                        side_type.describe()
                    ),
                ));
                ok = false;
            }
        }
        return ok.then_some(Type::Bool);
    }

    let Some(left_dimension) = scalar_or_error(op, left, left_type, errors) else {
        scalar_or_error(op, right, right_type, errors);
        return None;
    };
    let right_dimension = scalar_or_error(op, right, right_type, errors)?;

    if op.is_comparison() {
        if left_dimension == right_dimension {
            return Some(Type::Bool);
        }
        let (side, wanted) =
            if matches!(right.kind, ExprKind::Number(_)) { (right, left_dimension) } else { (left, right_dimension) };
        errors.push(RuleError::new(
            side.span,
            format!(
                "cannot compare {} with {}; write the threshold as {}, like {}",
                left_dimension.describe(),
                right_dimension.describe(),
                wanted.describe(),
                wanted.example()
            ),
        ));
        return None;
    }

    let result = match op {
        BinaryOp::Add | BinaryOp::Subtract => (left_dimension == right_dimension).then_some(left_dimension),
        BinaryOp::Multiply => match (left_dimension, right_dimension) {
            (Dimension::Number, other) | (other, Dimension::Number) => Some(other),
            _ => None,
        },
        BinaryOp::Divide => match (left_dimension, right_dimension) {
            (other, Dimension::Number) => Some(other),
            (a, b) if a == b => Some(Dimension::Number),
            _ => None,
        },
        _ => None,
    };
    if result.is_none() {
        errors.push(RuleError::new(
            left.span.to(right.span),
            format!(
                "cannot apply `{}` to {} and {}; both sides need the same unit, or one side a plain number",
                op.symbol(),
                left_dimension.describe(),
                right_dimension.describe()
            ),
        ));
    }
    result.map(Type::Scalar)
}

fn scalar_or_error(op: BinaryOp, side: &Expr, side_type: Type, errors: &mut Vec<RuleError>) -> Option<Dimension> {
    let dimension = side_type.as_scalar();
    if dimension.is_none() {
        let hint = match side_type {
            Type::Distribution => "; take a quantile first, like p99(latency)",
            _ => "",
        };
        errors.push(RuleError::new(
            side.span,
            format!("`{}` needs a value on each side, found {}{hint}", op.symbol(), side_type.describe()),
        ));
    }
    dimension
}

fn check_call(expr: &Expr, call: &Call, errors: &mut Vec<RuleError>) -> Option<Type> {
    let signature = call.function.signature();
    if call.args.len() != signature.params.len() {
        errors.push(RuleError::new(
            expr.span,
            format!(
                "`{}` takes {} argument{}, found {}; call it as {}",
                call.function.name(),
                signature.params.len(),
                if signature.params.len() == 1 { "" } else { "s" },
                call.args.len(),
                call.function.usage()
            ),
        ));
        return None;
    }

    let mut ok = true;
    let mut first = None;
    for (index, (arg, param)) in call.args.iter().zip(signature.params).enumerate() {
        let arg_type = check_argument(call, arg, *param, errors);
        ok &= arg_type.is_some();
        if index == 0 {
            first = arg_type;
        }
    }
    if !ok {
        return None;
    }

    match signature.returns {
        Returns::Fixed(result) => Some(result),
        Returns::SameAsFirst => first.and_then(Type::as_scalar).map(Type::Scalar),
    }
}

fn check_argument(call: &Call, arg: &Expr, param: Param, errors: &mut Vec<RuleError>) -> Option<Type> {
    let function = call.function.name();
    match param {
        Param::Scalar => {
            let arg_type = type_of(arg, errors)?;
            if arg_type.as_scalar().is_some() {
                return Some(arg_type);
            }
            let hint = if arg_type == Type::Distribution { "; take a quantile first, like p99(latency)" } else { "" };
            errors.push(RuleError::new(
                arg.span,
                format!("`{function}` needs a value, found {}{hint}", arg_type.describe()),
            ));
            None
        }
        Param::Counter | Param::Distribution | Param::Selector => {
            let arg_type = type_of(arg, errors)?;
            let is_selector = matches!(arg.kind, ExprKind::Selector(_));
            let (fits, wanted) = match param {
                Param::Counter => (
                    is_selector && arg_type == Type::Counter,
                    "a counter such as calls, errors, hits or metric{name=\"...\"}",
                ),
                Param::Distribution => {
                    (arg_type == Type::Distribution, "a latency distribution such as latency{site=\"...\"}")
                }
                _ => (is_selector, "a metric selector such as calls{site=\"...\"}"),
            };
            if fits {
                return Some(arg_type);
            }
            errors
                .push(RuleError::new(arg.span, format!("`{function}` needs {wanted}, found {}", arg_type.describe())));
            None
        }
        Param::Window | Param::Quantile | Param::Fraction | Param::Positive => check_constant(call, arg, param, errors),
    }
}

fn check_constant(call: &Call, arg: &Expr, param: Param, errors: &mut Vec<RuleError>) -> Option<Type> {
    let function = call.function.name();
    let ExprKind::Number(quantity) = &arg.kind else {
        errors.push(RuleError::new(
            arg.span,
            format!("the {} of `{function}` must be a constant number, as in {}", param.name(), call.function.usage()),
        ));
        return None;
    };

    let value = quantity.base_value();
    let dimension = quantity.dimension();
    let problem = match param {
        Param::Window if dimension != Dimension::Duration => Some("a duration such as 5m".to_owned()),
        Param::Window if value <= 0.0 => Some("a duration greater than zero".to_owned()),
        Param::Quantile if !matches!(dimension, Dimension::Ratio | Dimension::Number) => {
            Some("a quantile such as 99% or 0.99".to_owned())
        }
        Param::Quantile if !(value > 0.0 && value <= 1.0) => Some("a quantile above 0% and at most 100%".to_owned()),
        Param::Fraction if dimension != Dimension::Number || !(value > 0.0 && value <= 1.0) => {
            Some("a plain number above 0 and at most 1, such as 0.3".to_owned())
        }
        Param::Positive if dimension != Dimension::Number || value <= 0.0 => {
            Some("a plain number greater than zero, such as 3".to_owned())
        }
        _ => None,
    };
    match problem {
        Some(expected) => {
            errors.push(RuleError::new(
                arg.span,
                format!("invalid {} of `{function}`: expected {expected}", param.name()),
            ));
            None
        }
        None => Some(Type::Scalar(dimension)),
    }
}
