use super::*;
use crate::config::units::Unit;

fn first_error(text: &str) -> RuleError {
    parse_condition(text).expect_err(text).0.remove(0)
}

#[test]
fn parse_issue_example() {
    let expr = parse_condition(r#"p99(latency{site="shop::checkout"}) > 250ms and rate(calls) > 10/s"#).unwrap();
    let ExprKind::Binary { op, left, right } = expr.kind else { panic!("expected `and` at the top") };
    assert_eq!(op, BinaryOp::And);
    assert!(matches!(left.kind, ExprKind::Binary { op: BinaryOp::Greater, .. }));
    assert!(matches!(right.kind, ExprKind::Binary { op: BinaryOp::Greater, .. }));
}

#[test]
fn parse_selector_matcher() {
    let expr = parse_condition(r#"p99(latency{site="shop::checkout"}) > 250ms"#).unwrap();
    let ExprKind::Binary { left, .. } = expr.kind else { panic!("expected a comparison") };
    let ExprKind::Call(call) = left.kind else { panic!("expected a call") };
    let ExprKind::Selector(selector) = &call.args[0].kind else { panic!("expected a selector") };
    assert_eq!(selector.metric, Metric::Latency);
    assert_eq!(selector.matchers[0].value, "shop::checkout");
}

#[test]
fn parse_threshold_literal_unit() {
    let expr = parse_condition("p99(latency) > 250ms").unwrap();
    let ExprKind::Binary { right, .. } = expr.kind else { panic!("expected a comparison") };
    assert_eq!(
        right.kind,
        ExprKind::Number(crate::config::units::Quantity { number: 250.0, unit: Unit::Duration(1_000_000) })
    );
}

#[test]
fn parse_spans_cover_source() {
    let text = "rate(calls) > 10/s";
    let expr = parse_condition(text).unwrap();
    let ExprKind::Binary { left, right, .. } = &expr.kind else { panic!("expected a comparison") };
    assert_eq!(&text[left.span.start..left.span.end], "rate(calls)");
    assert_eq!(&text[right.span.start..right.span.end], "10/s");
}

#[test]
fn parse_and_binds_tighter_than_or() {
    let expr = parse_condition("calls > 1 or calls > 2 and calls > 3").unwrap();
    let ExprKind::Binary { op, right, .. } = expr.kind else { panic!("expected a binary") };
    assert_eq!(op, BinaryOp::Or);
    assert!(matches!(right.kind, ExprKind::Binary { op: BinaryOp::And, .. }));
}

#[test]
fn parse_not_binds_looser_than_comparison() {
    let expr = parse_condition("not calls > 1").unwrap();
    let ExprKind::Unary { op, operand } = expr.kind else { panic!("expected `not`") };
    assert_eq!(op, UnaryOp::Not);
    assert!(matches!(operand.kind, ExprKind::Binary { op: BinaryOp::Greater, .. }));
}

#[test]
fn parse_parentheses_change_grouping() {
    let expr = parse_condition("(calls > 1 or calls > 2) and calls > 3").unwrap();
    assert!(matches!(expr.kind, ExprKind::Binary { op: BinaryOp::And, .. }));
}

#[test]
fn parse_arithmetic_precedence() {
    let (expr, _) = parse_value("calls + calls * 2").unwrap();
    let ExprKind::Binary { op, right, .. } = expr.kind else { panic!("expected a binary") };
    assert_eq!(op, BinaryOp::Add);
    assert!(matches!(right.kind, ExprKind::Binary { op: BinaryOp::Multiply, .. }));
}

#[test]
fn parse_adaptive_functions() {
    let text = "p99(latency) > ewma_upper(p99(latency), 3, 0.3) and zscore(rate(errors), 1h) > 3";
    assert!(parse_condition(text).is_ok(), "{:?}", parse_condition(text));
}

#[test]
fn parse_absent_and_regex() {
    assert!(parse_condition(r#"not absent(calls{component=~"shop|cart"}, 5m)"#).is_ok());
}

#[test]
fn value_dimension_of_hit_rate() {
    assert_eq!(parse_value(r#"hit_rate{cache="sessions"}"#).unwrap().1, Dimension::Ratio);
}

#[test]
fn same_as_ignores_spans() {
    let a = parse_value("p99(latency)").unwrap().0;
    let b = parse_value("p99( latency )").unwrap().0;
    assert!(a.same_as(&b));
}

#[test]
fn error_unit_mismatch_points_at_threshold() {
    let error = first_error("p99(latency) > 250");
    assert_eq!((error.span.start, error.span.end), (15, 18));
    assert!(error.message.contains("like 250ms"), "{}", error.message);
}

#[test]
fn error_unknown_function_suggests() {
    let error = first_error("pp99(latency) > 1s");
    assert_eq!((error.span.start, error.span.end), (0, 4));
    assert!(error.message.contains("did you mean `p99`"), "{}", error.message);
}

#[test]
fn error_unknown_metric_suggests() {
    let error = first_error("p99(latncy) > 1s");
    assert_eq!(error.span.start, 4);
    assert!(error.message.contains("`latency`"), "{}", error.message);
}

#[test]
fn error_missing_operand_at_end() {
    let error = first_error("rate(calls) >");
    assert_eq!(error.span.start, 13);
}

#[test]
fn error_unclosed_paren_points_at_open() {
    let error = first_error("(rate(calls) > 1");
    assert_eq!(error.span.start, 0);
}

#[test]
fn error_unmatched_close_paren() {
    let error = first_error("rate(calls) > 1)");
    assert_eq!(error.span.start, 15);
}

#[test]
fn error_chained_comparison() {
    let error = first_error("1 < calls < 3");
    assert_eq!(error.span.start, 10);
}

#[test]
fn error_wrong_argument_count() {
    let error = first_error("increase(calls) > 3");
    assert_eq!(error.span.start, 0);
    assert!(error.message.contains("increase(counter, window)"), "{}", error.message);
}

#[test]
fn error_window_must_be_duration() {
    let error = first_error("increase(calls, 5) > 3");
    assert_eq!(error.span.start, 16);
}

#[test]
fn error_rate_of_distribution() {
    let error = first_error("rate(latency) > 1/s");
    assert_eq!(error.span.start, 5);
}

#[test]
fn error_distribution_compared() {
    let error = first_error("latency > 1s");
    assert_eq!(error.span.start, 0);
    assert!(error.message.contains("p99(latency)"), "{}", error.message);
}

#[test]
fn error_value_is_not_condition() {
    let error = first_error("p99(latency)");
    assert!(error.message.contains("must be a condition"), "{}", error.message);
}

#[test]
fn error_and_needs_conditions() {
    let error = first_error("calls and calls > 1");
    assert_eq!((error.span.start, error.span.end), (0, 5));
}

#[test]
fn error_every_type_error_reported() {
    let errors = parse_condition("p99(latency) > 5 and rate(calls) > 5%").unwrap_err();
    assert_eq!(errors.0.len(), 2);
}

#[test]
fn error_invalid_regex_points_at_string() {
    let error = first_error(r#"calls{site=~"(unclosed"} > 1"#);
    assert_eq!(error.span.start, 12);
}

#[test]
fn error_custom_metric_needs_name() {
    let error = first_error(r#"metric{queue="email"} > 3"#);
    assert_eq!(error.span.start, 0);
}

#[test]
fn error_deep_nesting_rejected() {
    let text = format!("{}calls > 1{}", "(".repeat(200), ")".repeat(200));
    let error = first_error(&text);
    assert!(error.message.contains("nested"), "{}", error.message);
}

#[test]
fn matcher_alone_parses() {
    let matcher = parse_matcher(r#"severity="critical""#).unwrap();
    assert_eq!((matcher.label.as_str(), matcher.op, matcher.value.as_str()), ("severity", MatchOp::Equal, "critical"));
}

#[test]
fn matcher_double_equal_rejected() {
    let error = parse_matcher(r#"severity=="critical""#).unwrap_err();
    assert_eq!(error.span.start, 8);
}
