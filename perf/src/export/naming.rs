//! Names, label values, help text and numbers as the Prometheus text formats require them.
//!
//! Every function here appends to a byte buffer and allocates nothing beyond the buffer's own
//! growth, because the exposition calls them once or more per series on every scrape.

/// Appends `name` as a valid metric name: every character outside `[a-zA-Z0-9_]` becomes `_`,
/// and a leading digit gets a `_` in front.
///
/// Colons are valid in the grammar but reserved for recording rules, so they are replaced too.
pub(crate) fn push_metric_name(out: &mut Vec<u8>, name: &str) {
    push_identifier(out, name);
}

/// Appends `name` as a valid label name, with the same rules as [`push_metric_name`].
///
/// Names that Prometheus reserves (`__` prefixes) or that the formats give a meaning (`le`,
/// `quantile`) get an `exported_` prefix, as Prometheus itself does for clashing labels.
pub(crate) fn push_label_name(out: &mut Vec<u8>, name: &str) {
    if is_reserved_label(name) {
        out.extend_from_slice(b"exported_");
    }
    push_identifier(out, name);
}

/// Returns `true` when `name` is a valid metric name that [`push_metric_name`] keeps as it is.
pub(crate) fn is_clean_identifier(name: &str) -> bool {
    let bytes = name.as_bytes();
    !bytes.is_empty() && !bytes[0].is_ascii_digit() && bytes.iter().all(|&byte| is_identifier_byte(byte))
}

/// Appends a label value with `\`, `"` and line feeds escaped, as both formats require.
pub(crate) fn push_label_value(out: &mut Vec<u8>, value: &str) {
    push_escaped(out, value, true);
}

/// Appends HELP text. The 0.0.4 text format escapes `\` and line feeds; OpenMetrics also
/// escapes `"`.
pub(crate) fn push_help(out: &mut Vec<u8>, help: &str, escape_quotes: bool) {
    push_escaped(out, help, escape_quotes);
}

/// Appends an unsigned integer.
#[inline]
pub(crate) fn push_u64(out: &mut Vec<u8>, value: u64) {
    out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
}

/// Appends a signed integer.
#[inline]
pub(crate) fn push_i64(out: &mut Vec<u8>, value: i64) {
    out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
}

/// Appends a float sample value: the shortest representation that reads back the same, or
/// `+Inf`, `-Inf`, `NaN`.
#[inline]
pub(crate) fn push_f64(out: &mut Vec<u8>, value: f64) {
    if value.is_nan() {
        out.extend_from_slice(b"NaN");
    } else if value.is_infinite() {
        out.extend_from_slice(if value > 0.0 { b"+Inf" } else { b"-Inf" });
    } else {
        out.extend_from_slice(ryu::Buffer::new().format_finite(value).as_bytes());
    }
}

/// Formats an `le` or `quantile` value in the canonical form of OpenMetrics 1.0: Go's `%g`
/// rendering of the shortest representation, with `.0` added when it has neither a decimal
/// point nor an exponent (`0.005`, `1.0`, `100000.0`, `1e+06`, `1e-05`), and `+Inf`.
pub(crate) fn canonical_float(value: f64) -> String {
    if value.is_nan() {
        return "NaN".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "+Inf" } else { "-Inf" }.to_owned();
    }
    if value == 0.0 {
        return "0.0".to_owned();
    }

    // `{:e}` gives the shortest digits that round-trip, as `d.ddde-x`.
    let scientific = format!("{:e}", value.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if value < 0.0 { "-" } else { "" };

    // Go's %g with the shortest precision switches to an exponent below 1e-4 and from 1e6.
    if !(-4..6).contains(&exponent) {
        let (first, rest) = digits.split_at(1);
        let fraction = if rest.is_empty() { String::new() } else { format!(".{rest}") };
        let exponent_sign = if exponent < 0 { '-' } else { '+' };
        return format!("{sign}{first}{fraction}e{exponent_sign}{:02}", exponent.abs());
    }

    let point = exponent + 1;
    let fixed = if point <= 0 {
        format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
    } else if point as usize >= digits.len() {
        format!("{digits}{}.0", "0".repeat(point as usize - digits.len()))
    } else {
        let (whole, fraction) = digits.split_at(point as usize);
        format!("{whole}.{fraction}")
    };
    format!("{sign}{fixed}")
}

fn push_identifier(out: &mut Vec<u8>, name: &str) {
    let bytes = name.as_bytes();
    if bytes.first().is_none_or(|byte| byte.is_ascii_digit()) {
        out.push(b'_');
    }
    if bytes.iter().all(|&byte| is_identifier_byte(byte)) {
        out.extend_from_slice(bytes);
        return;
    }

    // A multi-byte character becomes one `_`, not one per byte.
    for character in name.chars() {
        let byte = if character.is_ascii() && is_identifier_byte(character as u8) { character as u8 } else { b'_' };
        out.push(byte);
    }
}

#[inline]
fn is_identifier_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

fn is_reserved_label(name: &str) -> bool {
    name.starts_with("__") || name == "le" || name == "quantile"
}

fn push_escaped(out: &mut Vec<u8>, text: &str, escape_quotes: bool) {
    let bytes = text.as_bytes();
    let needs_escape = |byte: u8| byte == b'\\' || byte == b'\n' || (escape_quotes && byte == b'"');
    if !bytes.iter().any(|&byte| needs_escape(byte)) {
        out.extend_from_slice(bytes);
        return;
    }

    for &byte in bytes {
        match byte {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'"' if escape_quotes => out.extend_from_slice(b"\\\""),
            _ => out.push(byte),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(push: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut out = Vec::new();
        push(&mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn metric_name_replaces_invalid_characters() {
        assert_eq!(text(|out| push_metric_name(out, "db.query-time")), "db_query_time");
        assert_eq!(text(|out| push_metric_name(out, "app::cache")), "app__cache");
        assert_eq!(text(|out| push_metric_name(out, "größe")), "gr__e");
    }

    #[test]
    fn metric_name_with_leading_digit_is_prefixed() {
        assert_eq!(text(|out| push_metric_name(out, "5xx_responses")), "_5xx_responses");
        assert_eq!(text(|out| push_metric_name(out, "")), "_");
    }

    #[test]
    fn reserved_label_names_are_prefixed() {
        assert_eq!(text(|out| push_label_name(out, "le")), "exported_le");
        assert_eq!(text(|out| push_label_name(out, "quantile")), "exported_quantile");
        assert_eq!(text(|out| push_label_name(out, "__name__")), "exported___name__");
        assert_eq!(text(|out| push_label_name(out, "tier")), "tier");
    }

    #[test]
    fn label_value_escapes_backslash_quote_newline() {
        assert_eq!(text(|out| push_label_value(out, "a\\b\"c\nd")), r#"a\\b\"c\nd"#);
        assert_eq!(text(|out| push_label_value(out, "plain ünïcode")), "plain ünïcode");
    }

    #[test]
    fn help_escapes_quotes_only_for_openmetrics() {
        assert_eq!(text(|out| push_help(out, "say \"hi\"\n", false)), "say \"hi\"\\n");
        assert_eq!(text(|out| push_help(out, "say \"hi\"\n", true)), "say \\\"hi\\\"\\n");
    }

    #[test]
    fn float_values_use_prometheus_spellings() {
        assert_eq!(text(|out| push_f64(out, f64::INFINITY)), "+Inf");
        assert_eq!(text(|out| push_f64(out, f64::NEG_INFINITY)), "-Inf");
        assert_eq!(text(|out| push_f64(out, f64::NAN)), "NaN");
        assert_eq!(text(|out| push_f64(out, 0.25)), "0.25");
    }

    #[test]
    fn canonical_float_matches_openmetrics_examples() {
        // The examples listed under "Canonical Numbers" in the OpenMetrics 1.0 specification.
        let cases = [
            (0.0, "0.0"),
            (0.001, "0.001"),
            (0.002, "0.002"),
            (0.01, "0.01"),
            (0.1, "0.1"),
            (0.9, "0.9"),
            (0.95, "0.95"),
            (0.99, "0.99"),
            (0.999, "0.999"),
            (1.0, "1.0"),
            (1.7, "1.7"),
            (10.0, "10.0"),
            (1e-10, "1e-10"),
            (1e-9, "1e-09"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (100000.0, "100000.0"),
            (1e6, "1e+06"),
            (1e10, "1e+10"),
            (f64::INFINITY, "+Inf"),
        ];
        for (value, expected) in cases {
            assert_eq!(canonical_float(value), expected, "canonical form of {value}");
        }
    }

    #[test]
    fn canonical_float_keeps_fractions_and_mantissas() {
        assert_eq!(canonical_float(0.0025), "0.0025");
        assert_eq!(canonical_float(2.5), "2.5");
        assert_eq!(canonical_float(1.5e-7), "1.5e-07");
        assert_eq!(canonical_float(123456.0), "123456.0");
        assert_eq!(canonical_float(1234567.0), "1.234567e+06");
        assert_eq!(canonical_float(-0.5), "-0.5");
    }

    #[test]
    fn clean_identifier_detection() {
        assert!(is_clean_identifier("perf_calls_total"));
        assert!(!is_clean_identifier("perf.calls"));
        assert!(!is_clean_identifier("9lives"));
        assert!(!is_clean_identifier(""));
    }
}
