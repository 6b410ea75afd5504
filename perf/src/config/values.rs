//! Readers of single values: strings, numbers, quantities with units, name patterns, label
//! maps, rule expressions and date-times. Each reports its errors at the value and returns
//! `None` on failure.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use toml::value::{Datetime, Offset};

use super::decode::Decoder;
use super::tree::{Node, Origin, Value};
use super::units::{self, ByteSize, Dimension, Quantity, Rate, Ratio};
use crate::rule::{self, Expr, Matcher, RuleError};

pub(crate) fn string(cx: &mut Decoder<'_>, node: &Node, key: &str) -> Option<String> {
    match &node.value {
        Value::String(text) => Some(text.clone()),
        _ => {
            cx.wrong_type(node, key, "a string");
            None
        }
    }
}

pub(crate) fn non_empty_string(cx: &mut Decoder<'_>, node: &Node, key: &str) -> Option<String> {
    let text = string(cx, node, key)?;
    if text.trim().is_empty() {
        cx.error(&node.origin, key, format!("{key}: must not be empty"));
        return None;
    }
    Some(text)
}

pub(crate) fn boolean(cx: &mut Decoder<'_>, node: &Node, key: &str) -> Option<bool> {
    match node.value {
        Value::Boolean(flag) => Some(flag),
        _ => {
            cx.wrong_type(node, key, "true or false");
            None
        }
    }
}

pub(crate) fn unsigned(cx: &mut Decoder<'_>, node: &Node, key: &str) -> Option<u64> {
    match node.value {
        Value::Integer(number) if number >= 0 => Some(number as u64),
        Value::Integer(number) => {
            cx.error(&node.origin, key, format!("{key}: {number} is negative; expected 0 or more"));
            None
        }
        _ => {
            cx.wrong_type(node, key, "a whole number");
            None
        }
    }
}

pub(crate) fn positive_integer(cx: &mut Decoder<'_>, node: &Node, key: &str) -> Option<u64> {
    let number = unsigned(cx, node, key)?;
    if number == 0 {
        cx.error(&node.origin, key, format!("{key}: 0 is not allowed; expected 1 or more"));
        return None;
    }
    Some(number)
}

/// Reads an integer or a float as `f64`.
pub(crate) fn number(cx: &mut Decoder<'_>, node: &Node, key: &str) -> Option<f64> {
    match node.value {
        Value::Integer(number) => Some(number as f64),
        Value::Float(number) if number.is_finite() => Some(number),
        Value::Float(number) => {
            cx.error(&node.origin, key, format!("{key}: {number} is not a finite number"));
            None
        }
        _ => {
            cx.wrong_type(node, key, "a number");
            None
        }
    }
}

/// Reads a string such as `"250ms"` as a quantity of any dimension.
pub(crate) fn quantity(cx: &mut Decoder<'_>, node: &Node, key: &str) -> Option<Quantity> {
    let Value::String(text) = &node.value else {
        cx.wrong_type(node, key, "a quoted number with a unit, like \"250ms\", \"64MiB\", \"99.9%\" or \"10/s\"");
        return None;
    };
    match units::parse_quantity(text.trim()) {
        Ok(quantity) => Some(quantity),
        Err(error) => {
            let leading = text.len() - text.trim_start().len();
            let span = string_span(cx, node, text, leading + error.offset);
            cx.error(&span, key, format!("{key}: invalid value {text:?}: {}", error.message));
            None
        }
    }
}

/// Reads a quantity that must have `dimension`.
fn quantity_of(cx: &mut Decoder<'_>, node: &Node, key: &str, dimension: Dimension) -> Option<Quantity> {
    if !matches!(node.value, Value::String(_)) {
        let expected = format!("{} with a unit in quotes, like \"{}\"", dimension.describe(), dimension.example());
        cx.wrong_type(node, key, &expected);
        return None;
    }
    let quantity = quantity(cx, node, key)?;
    if quantity.dimension() != dimension {
        let message = format!(
            "{key}: expected {} like \"{}\", found {} {}",
            dimension.describe(),
            dimension.example(),
            quantity.dimension().describe(),
            node.display()
        );
        cx.error(&node.origin, key, message);
        return None;
    }
    if quantity.number < 0.0 {
        let message = format!("{key}: {} {} is negative; use 0 or more", dimension.describe(), node.display());
        cx.error(&node.origin, key, message);
        return None;
    }
    Some(quantity)
}

pub(crate) fn duration(cx: &mut Decoder<'_>, node: &Node, key: &str) -> Option<Duration> {
    let quantity = quantity_of(cx, node, key, Dimension::Duration)?;
    let converted = quantity.to_duration();
    if converted.is_none() {
        cx.error(&node.origin, key, format!("{key}: duration {} is too long", node.display()));
    }
    converted
}

pub(crate) fn positive_duration(cx: &mut Decoder<'_>, node: &Node, key: &str) -> Option<Duration> {
    let value = duration(cx, node, key)?;
    if value.is_zero() {
        cx.error(&node.origin, key, format!("{key}: must be longer than 0s, like \"1s\""));
        return None;
    }
    Some(value)
}

pub(crate) fn size(cx: &mut Decoder<'_>, node: &Node, key: &str) -> Option<ByteSize> {
    let quantity = quantity_of(cx, node, key, Dimension::Bytes)?;
    let bytes = quantity.base_value().round();
    if bytes >= u64::MAX as f64 {
        cx.error(&node.origin, key, format!("{key}: size {} is too large", node.display()));
        return None;
    }
    Some(ByteSize(bytes as u64))
}

/// Reads a percentage from 0% to 100%.
pub(crate) fn ratio(cx: &mut Decoder<'_>, node: &Node, key: &str) -> Option<Ratio> {
    let quantity = quantity_of(cx, node, key, Dimension::Ratio)?;
    let fraction = quantity.base_value();
    if fraction > 1.0 {
        cx.error(
            &node.origin,
            key,
            format!("{key}: {} is above 100%; expected a percentage from 0% to 100%", node.display()),
        );
        return None;
    }
    Some(Ratio(fraction))
}

pub(crate) fn rate(cx: &mut Decoder<'_>, node: &Node, key: &str) -> Option<Rate> {
    quantity_of(cx, node, key, Dimension::Rate).map(|quantity| Rate(quantity.base_value()))
}

pub(crate) fn string_list(cx: &mut Decoder<'_>, node: &Node, key: &str) -> Option<Vec<String>> {
    cx.array(node, key, string)
}

/// Reads a table of string values, such as `labels = { team = "shop" }`.
pub(crate) fn labels(cx: &mut Decoder<'_>, node: &Node, key: &str) -> Option<BTreeMap<String, String>> {
    let Value::Table(table) = &node.value else {
        cx.wrong_type(node, key, "a table of strings, like { team = \"shop\" }");
        return None;
    };
    let mut labels = BTreeMap::new();
    let mut ok = true;
    for entry in &table.entries {
        let entry_key = super::decode::join_key(key, &entry.key);
        let valid_name = entry.key.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && entry.key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid_name {
            let message = format!(
                "{entry_key}: invalid label name {:?}; use letters, digits and `_`, not starting with a digit",
                entry.key
            );
            cx.error(&entry.key_origin, &entry_key, message);
            ok = false;
            continue;
        }
        match string(cx, &entry.node, &entry_key) {
            Some(value) => {
                labels.insert(entry.key.clone(), value);
            }
            None => ok = false,
        }
    }
    ok.then_some(labels)
}

/// Reads a string that must be one of `choices`.
pub(crate) fn choice(cx: &mut Decoder<'_>, node: &Node, key: &str, choices: &[&'static str]) -> Option<&'static str> {
    let text = string(cx, node, key)?;
    if let Some(found) = choices.iter().find(|choice| **choice == text) {
        return Some(found);
    }
    let hint = super::suggest::did_you_mean(&text, choices.iter().copied());
    let message = format!("{key}: unknown value {text:?}{hint} (expected one of {})", choices.join(", "));
    cx.error(&node.origin, key, message);
    None
}

/// Reads a rule expression that must be a condition.
pub(crate) fn condition(cx: &mut Decoder<'_>, node: &Node, key: &str) -> Option<Expr> {
    let text = string(cx, node, key)?;
    match rule::parse_condition(&text) {
        Ok(expr) => Some(expr),
        Err(errors) => {
            report_rule_errors(cx, node, key, &text, &errors.0);
            None
        }
    }
}

/// Reads a rule expression that must be a value, with its dimension.
pub(crate) fn value_expr(cx: &mut Decoder<'_>, node: &Node, key: &str) -> Option<(Expr, Dimension)> {
    let text = string(cx, node, key)?;
    match rule::parse_value(&text) {
        Ok(parsed) => Some(parsed),
        Err(errors) => {
            report_rule_errors(cx, node, key, &text, &errors.0);
            None
        }
    }
}

/// Reads label matchers, one per string: `["severity=\"critical\"", "team=~\"shop|cart\""]`.
pub(crate) fn matchers(cx: &mut Decoder<'_>, node: &Node, key: &str) -> Option<Vec<Matcher>> {
    cx.array(node, key, |cx, element, element_key| {
        let text = string(cx, element, element_key)?;
        match rule::parse_matcher(&text) {
            Ok(matcher) => Some(matcher),
            Err(error) => {
                report_rule_errors(cx, element, element_key, &text, &[error]);
                None
            }
        }
    })
}

/// Reads a TOML offset date-time, such as `2026-01-01T00:00:00Z`.
pub(crate) fn datetime(cx: &mut Decoder<'_>, node: &Node, key: &str) -> Option<SystemTime> {
    let Value::Datetime(datetime) = &node.value else {
        cx.wrong_type(node, key, "a date-time with a UTC offset, like 2026-01-01T00:00:00Z (no quotes)");
        return None;
    };
    let converted = to_system_time(datetime);
    if converted.is_none() {
        let message =
            format!("{key}: {datetime} has no date, time and UTC offset; write all three, like 2026-01-01T00:00:00Z");
        cx.error(&node.origin, key, message);
    }
    converted
}

fn report_rule_errors(cx: &mut Decoder<'_>, node: &Node, key: &str, text: &str, errors: &[RuleError]) {
    for error in errors {
        let span = string_span(cx, node, text, error.span.start);
        let message = format!("{key}: invalid expression: {}", error.message);
        cx.error(&span, key, message);
    }
}

/// Returns the origin of the character at `offset` within the string value of `node`. When the
/// source spells the string differently from its value (escapes), the start of the string is
/// returned instead, since offsets within it can no longer be mapped.
pub(crate) fn string_span(cx: &Decoder<'_>, node: &Node, value: &str, offset: usize) -> Origin {
    let raw = cx.sink.sources.get(node.origin.source).slice(&node.origin.span);
    let mut prefix =
        ["'''", "\"\"\"", "'", "\""].iter().find(|quote| raw.starts_with(**quote)).map_or(0, |quote| quote.len());
    if prefix == 3 {
        prefix += if raw[3..].starts_with("\r\n") { 2 } else { usize::from(raw[3..].starts_with('\n')) };
    }

    let start = node.origin.span.start;
    let exact = raw.get(prefix..).and_then(|inner| inner.get(..value.len())) == Some(value);
    let position = if exact { start + prefix + offset.min(value.len()) } else { start };
    Origin {
        source: node.origin.source,
        span: position..position.max(node.origin.span.end),
        layer: node.origin.layer.clone(),
    }
}

fn to_system_time(datetime: &Datetime) -> Option<SystemTime> {
    let (date, time, offset) = (datetime.date?, datetime.time?, datetime.offset?);
    let days = days_from_civil(i64::from(date.year), u32::from(date.month), u32::from(date.day));
    let offset_minutes = match offset {
        Offset::Z => 0,
        Offset::Custom { minutes } => i64::from(minutes),
    };
    let seconds = days * 86_400
        + i64::from(time.hour) * 3_600
        + i64::from(time.minute) * 60
        + i64::from(time.second.unwrap_or(0))
        - offset_minutes * 60;
    let nanos = time.nanosecond.unwrap_or(0);
    let since_epoch = Duration::new(u64::try_from(seconds).ok()?, nanos);
    UNIX_EPOCH.checked_add(since_epoch)
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_from_civil_epoch() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
    }

    #[test]
    fn days_from_civil_leap_day() {
        // 2000-02-29 is 11_016 days after the epoch: 30 years of 365 days plus 7 leap days
        // (1972..=1996), plus 31 + 28 days into 2000.
        assert_eq!(days_from_civil(2000, 2, 29), 30 * 365 + 7 + 31 + 28);
    }

    #[test]
    fn to_system_time_with_offset() {
        let datetime: Datetime = "2026-01-01T02:00:00+02:00".parse().unwrap();
        let expected: Datetime = "2026-01-01T00:00:00Z".parse().unwrap();
        assert_eq!(to_system_time(&datetime), to_system_time(&expected));
    }

    #[test]
    fn to_system_time_needs_offset() {
        let datetime: Datetime = "2026-01-01T00:00:00".parse().unwrap();
        assert_eq!(to_system_time(&datetime), None);
    }
}
