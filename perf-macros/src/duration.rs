//! Durations written as strings with a unit, such as `"250ms"`, checked at compile time.

/// Units accepted, with their length in nanoseconds.
const UNITS: &[(&str, u64)] = &[
    ("ns", 1),
    ("us", 1_000),
    ("µs", 1_000),
    ("ms", 1_000_000),
    ("s", 1_000_000_000),
    ("m", 60_000_000_000),
    ("h", 3_600_000_000_000),
];

const HELP: &str = "write a number and a unit, such as \"250ms\" or \"1.5s\" (units: ns, us, ms, s, m, h)";

/// Parses `text` into nanoseconds. The error explains what is wrong and how to write it.
pub(crate) fn parse_nanos(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let number_end = trimmed.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(number_end);
    if number.is_empty() {
        return Err(format!("invalid duration {text:?}: it does not start with a number; {HELP}"));
    }
    let number: f64 =
        number.parse().map_err(|_| format!("invalid duration {text:?}: {number:?} is not a number; {HELP}"))?;

    let unit = unit.trim();
    if unit.is_empty() {
        return Err(format!("invalid duration {text:?}: the unit is missing; {HELP}"));
    }
    let Some((_, unit_nanos)) = UNITS.iter().find(|(name, _)| *name == unit) else {
        return Err(format!("invalid duration {text:?}: unknown unit {unit:?}; {HELP}"));
    };

    let nanos = (number * *unit_nanos as f64).round();
    if nanos < 1.0 {
        return Err(format!("invalid duration {text:?}: it must be at least 1ns; {HELP}"));
    }
    if nanos >= u64::MAX as f64 {
        return Err(format!("invalid duration {text:?}: it is too long; {HELP}"));
    }
    Ok(nanos as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_milliseconds() {
        assert_eq!(parse_nanos("250ms"), Ok(250_000_000));
    }

    #[test]
    fn parse_fraction_of_second() {
        assert_eq!(parse_nanos("1.5s"), Ok(1_500_000_000));
    }

    #[test]
    fn parse_missing_unit_rejected() {
        assert!(parse_nanos("250").unwrap_err().contains("unit is missing"));
    }

    #[test]
    fn parse_unknown_unit_rejected() {
        assert!(parse_nanos("2 days").unwrap_err().contains("unknown unit \"days\""));
    }

    #[test]
    fn parse_zero_rejected() {
        assert!(parse_nanos("0ms").unwrap_err().contains("at least 1ns"));
    }
}
