use std::time::Duration;

use super::Translator;
use crate::rule::parse_condition;

fn translate(text: &str) -> String {
    let expr = parse_condition(text).unwrap();
    Translator::default().condition(&expr).unwrap()
}

fn rejection(text: &str) -> String {
    let expr = parse_condition(text).unwrap();
    Translator::default().condition(&expr).unwrap_err().message
}

#[test]
fn promql_rate_of_site() {
    assert_eq!(
        translate(r#"rate(calls{site="shop::checkout"}) > 10/s"#),
        r#"sum by (component, module, function) (rate(perf_calls_total{module="shop", function="checkout"}[1m])) > 10"#
    );
}

#[test]
fn promql_rate_uses_configured_range() {
    let expr = parse_condition(r#"rate(errors{component="search"}) > 1/s"#).unwrap();
    let translator = Translator { range: Duration::from_secs(300), ..Translator::default() };
    assert_eq!(
        translator.condition(&expr).unwrap(),
        r#"sum by (component, module, function) (rate(perf_calls_total{component="search", result="error"}[5m])) > 1"#
    );
}

#[test]
fn promql_p99_latency_in_seconds() {
    assert_eq!(
        translate(r#"p99(latency{site="shop::checkout"}) > 250ms"#),
        r#"histogram_quantile(0.99, sum by (component, module, function, le) (rate(perf_call_duration_seconds_bucket{module="shop", function="checkout"}[1m]))) > 0.25"#
    );
}

#[test]
fn promql_quantile_parameter() {
    assert_eq!(
        translate("quantile(99.5%, latency) >= 1s"),
        "histogram_quantile(0.995, sum by (component, module, function, le) (rate(perf_call_duration_seconds_bucket[1m]))) >= 1"
    );
}

#[test]
fn promql_error_rate_ratio() {
    assert_eq!(
        translate(r#"error_rate{component="search"} > 5%"#),
        r#"sum by (component, module, function) (rate(perf_calls_total{component="search", result="error"}[1m])) / sum by (component, module, function) (rate(perf_calls_total{component="search"}[1m])) > 0.05"#
    );
}

#[test]
fn promql_hit_rate_of_cache() {
    assert_eq!(
        translate(r#"hit_rate{cache="sessions"} < 90%"#),
        r#"sum by (cache, component) (rate(perf_cache_gets_total{cache="sessions", result="hit"}[1m])) / sum by (cache, component) (rate(perf_cache_gets_total{cache="sessions"}[1m])) < 0.9"#
    );
}

#[test]
fn promql_gauges_and_sizes() {
    assert_eq!(
        translate(r#"cache_size{cache="sessions"} > 64MiB"#),
        r#"sum by (cache, component) (perf_cache_memory_bytes{cache="sessions"}) > 67108864"#
    );
    assert_eq!(translate("in_flight > 100"), "sum by (component, module, function) (perf_calls_in_flight) > 100");
    assert_eq!(translate("health < 50%"), "sum by (cache, component) (perf_cache_health_score) / 100 < 0.5");
}

#[test]
fn promql_and_with_same_labels() {
    assert_eq!(
        translate(r#"p99(latency{site="a::f"}) > 250ms and rate(calls{site="a::f"}) > 10/s"#),
        concat!(
            r#"histogram_quantile(0.99, sum by (component, module, function, le) (rate(perf_call_duration_seconds_bucket{module="a", function="f"}[1m]))) > 0.25"#,
            r#" and sum by (component, module, function) (rate(perf_calls_total{module="a", function="f"}[1m])) > 10"#
        )
    );
}

#[test]
fn promql_and_across_kinds_matches_shared_labels() {
    assert_eq!(
        translate(r#"in_flight > 5 and hit_rate{cache="c"} < 50%"#),
        concat!(
            "sum by (component, module, function) (perf_calls_in_flight) > 5 and on (component) ",
            r#"sum by (cache, component) (rate(perf_cache_gets_total{cache="c", result="hit"}[1m])) / sum by (cache, component) (rate(perf_cache_gets_total{cache="c"}[1m])) < 0.5"#
        )
    );
}

#[test]
fn promql_or_and_unless() {
    assert_eq!(
        translate("in_flight > 5 or in_flight < 1"),
        "sum by (component, module, function) (perf_calls_in_flight) > 5 or sum by (component, module, function) (perf_calls_in_flight) < 1"
    );
    assert_eq!(
        translate("in_flight > 5 and not rate(calls) > 1/s"),
        "sum by (component, module, function) (perf_calls_in_flight) > 5 unless sum by (component, module, function) (rate(perf_calls_total[1m])) > 1"
    );
}

#[test]
fn promql_or_inside_and_keeps_parentheses() {
    assert_eq!(
        translate("(in_flight > 5 or in_flight < 1) and rate(calls) > 1/s"),
        "(sum by (component, module, function) (perf_calls_in_flight) > 5 or sum by (component, module, function) (perf_calls_in_flight) < 1) and sum by (component, module, function) (rate(perf_calls_total[1m])) > 1"
    );
}

#[test]
fn promql_not_inverts_comparison() {
    assert_eq!(translate("not in_flight > 5"), "sum by (component, module, function) (perf_calls_in_flight) <= 5");
}

#[test]
fn promql_absent_and_present() {
    assert_eq!(
        translate(r#"absent(calls{component="search"}, 10m)"#),
        r#"absent_over_time(perf_calls_total{component="search"}[10m])"#
    );
    assert_eq!(
        translate(r#"not absent(calls{component="search"}, 10m)"#),
        r#"group by (component, module, function) (present_over_time(perf_calls_total{component="search"}[10m]))"#
    );
}

#[test]
fn promql_site_with_nested_path() {
    assert_eq!(
        translate(r#"rate(calls{site="shop::Cart::add"}) > 1/s"#),
        concat!(
            "sum by (component, module, function) (",
            r#"rate(perf_calls_total{module="shop::Cart", function="add"}[1m])"#,
            r#" or rate(perf_calls_total{module="shop", function="Cart::add"}[1m])) > 1"#
        )
    );
}

#[test]
fn promql_custom_counter_and_increase() {
    assert_eq!(
        translate(r#"rate(metric{name="orders", shop="eu"}) > 2/s"#),
        r#"sum by (shop) (rate(orders_total{shop="eu"}[1m])) > 2"#
    );
    assert_eq!(
        translate(r#"increase(errors{site="a::f"}, 5m) > 3"#),
        r#"sum by (component, module, function) (increase(perf_calls_total{module="a", function="f", result="error"}[5m])) > 3"#
    );
}

#[test]
fn promql_mean_latency() {
    assert_eq!(
        translate("mean(latency) > 100ms"),
        "sum by (component, module, function) (rate(perf_call_duration_seconds_sum[1m])) / sum by (component, module, function) (rate(perf_call_duration_seconds_count[1m])) > 0.1"
    );
}

#[test]
fn promql_label_value_escaped() {
    assert_eq!(
        translate(r#"rate(calls{team="a\"b"}) > 1/s"#),
        r#"sum by (component, module, function) (rate(perf_calls_total{team="a\"b"}[1m])) > 1"#
    );
}

#[test]
fn promql_rejects_ewma_band() {
    let message = rejection("p99(latency) > ewma_upper(p99(latency), 3, 0.3)");
    assert!(message.starts_with("ewma_upper(...) is an adaptive threshold"), "{message}");
}

#[test]
fn promql_rejects_max_latency() {
    assert!(rejection("max(latency) > 1s").starts_with("max(latency) has no PromQL equivalent"));
}

#[test]
fn promql_rejects_site_regex() {
    assert!(rejection(r#"rate(calls{site=~"shop::.*"}) > 1/s"#).contains("match those labels instead"));
}

#[test]
fn promql_rejects_mixed_comparison() {
    assert!(rejection(r#"in_flight > entries{cache="c"}"#).contains("cannot match series by series"));
}

#[test]
fn promql_error_span_points_at_call() {
    let text = "p99(latency) > ewma_upper(p99(latency), 3, 0.3)";
    let expr = parse_condition(text).unwrap();
    let error = Translator::default().condition(&expr).unwrap_err();
    assert_eq!(&text[error.span.start..error.span.end], "ewma_upper(p99(latency), 3, 0.3)");
}
