//! Quantities with units: durations (`250ms`), sizes (`64MiB`), percentages (`99.9%`) and
//! rates (`10/s`), shared by the configuration file and the rule expressions.
//!
//! A quantity is a decimal number followed by its unit. In the file the two may be separated
//! by spaces (`"250 ms"`); in a rule expression the unit follows the number directly. Values
//! are kept as written and converted to base units on demand: seconds, bytes, a fraction
//! (`99.9%` is 0.999) and events per second.

use std::fmt;
use std::time::Duration;

use serde::{Serialize, Serializer};

/// Kind of a quantity: plain number, duration, size, percentage or rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// A plain number, with no unit.
    Number,
    /// A duration (`ns`, `us`, `ms`, `s`, `m`, `h`, `d`, `w`).
    Duration,
    /// A size in bytes (`B`, `KB`, `MB`, `GB`, `TB`, `KiB`, `MiB`, `GiB`, `TiB`).
    Bytes,
    /// A percentage (`%`), stored as a fraction.
    Ratio,
    /// Events per unit of time (`/s`, `/m`, `/h`, `/d`), stored per second.
    Rate,
}

/// A unit that a number can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// No unit.
    None,
    /// A duration unit, as its length in nanoseconds.
    Duration(u64),
    /// A size unit, as its size in bytes.
    Bytes(u64),
    /// Percent.
    Percent,
    /// Per time unit, as the length of that unit in seconds.
    Per(u64),
}

/// A number with its unit, as written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantity {
    /// The number as written, before the unit is applied.
    pub number: f64,
    /// The unit written after the number.
    pub unit: Unit,
}

/// An invalid quantity: the byte range of the bad part within the text, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitError {
    /// Byte offset of the bad part, from the start of the text.
    pub offset: usize,
    /// Description of the problem and of the expected form.
    pub message: String,
}

/// A size in bytes, written with a unit such as `64MiB`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ByteSize(pub u64);

/// A fraction written as a percentage: `Ratio(0.999)` is `99.9%`.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Ratio(pub f64);

/// Events per second, written with a time unit such as `10/s` or `600/m`.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Rate(pub f64);

const DURATION_UNITS: &[(&str, u64)] = &[
    ("ns", 1),
    ("us", 1_000),
    ("µs", 1_000),
    ("ms", 1_000_000),
    ("s", 1_000_000_000),
    ("m", 60_000_000_000),
    ("min", 60_000_000_000),
    ("h", 3_600_000_000_000),
    ("d", 86_400_000_000_000),
    ("w", 604_800_000_000_000),
];

const SIZE_UNITS: &[(&str, u64)] = &[
    ("B", 1),
    ("KB", 1_000),
    ("kB", 1_000),
    ("MB", 1_000_000),
    ("GB", 1_000_000_000),
    ("TB", 1_000_000_000_000),
    ("KiB", 1 << 10),
    ("MiB", 1 << 20),
    ("GiB", 1 << 30),
    ("TiB", 1 << 40),
];

const RATE_UNITS: &[(&str, u64)] = &[("s", 1), ("m", 60), ("min", 60), ("h", 3_600), ("d", 86_400)];

/// The units accepted, listed in error messages.
pub(crate) const UNIT_HELP: &str =
    "a duration unit (ns, us, ms, s, m, h, d, w), a size unit (B, KB, MB, GB, KiB, MiB, GiB, TiB), % or a rate (/s, /m, /h)";

/// Parses a number and its unit, such as `250ms`, `64 MiB`, `99.9%`, `10/s` or `3`.
///
/// ```
/// use perf::config::units::{parse_quantity, Dimension};
///
/// let quantity = parse_quantity("250ms").unwrap();
/// assert_eq!(quantity.dimension(), Dimension::Duration);
/// assert_eq!(quantity.base_value(), 0.25);
/// ```
pub fn parse_quantity(text: &str) -> Result<Quantity, UnitError> {
    let number_end = number_length(text);
    if number_end == 0 {
        return Err(UnitError { offset: 0, message: format!("{text:?} does not start with a number") });
    }

    let number_text = &text[..number_end];
    let number: f64 = number_text
        .parse()
        .map_err(|_| UnitError { offset: 0, message: format!("{number_text:?} is not a valid number") })?;
    if !number.is_finite() {
        return Err(UnitError { offset: 0, message: format!("{number_text:?} is too large") });
    }

    let rest = &text[number_end..];
    let unit_text = rest.trim_start();
    let unit_offset = text.len() - unit_text.len();
    let unit = parse_unit(unit_text.trim_end()).ok_or_else(|| UnitError {
        offset: unit_offset,
        message: format!("unknown unit {:?} in {text:?}; expected {UNIT_HELP}", unit_text.trim_end()),
    })?;
    Ok(Quantity { number, unit })
}

/// Returns the length of the number at the start of `text`: an optional sign, digits, an
/// optional fraction and an optional exponent.
pub(crate) fn number_length(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut end = 0;
    if matches!(bytes.first(), Some(b'+' | b'-')) {
        end += 1;
    }

    let digits_start = end;
    while end < bytes.len() && bytes[end].is_ascii_digit() {
        end += 1;
    }
    if end < bytes.len() && bytes[end] == b'.' && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
        end += 1;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
    }
    if end == digits_start {
        return 0;
    }

    if end < bytes.len() && matches!(bytes[end], b'e' | b'E') {
        let mut exponent = end + 1;
        if matches!(bytes.get(exponent), Some(b'+' | b'-')) {
            exponent += 1;
        }
        if bytes.get(exponent).is_some_and(u8::is_ascii_digit) {
            end = exponent;
            while end < bytes.len() && bytes[end].is_ascii_digit() {
                end += 1;
            }
        }
    }
    end
}

/// Parses a unit alone: empty for a plain number.
pub(crate) fn parse_unit(text: &str) -> Option<Unit> {
    if text.is_empty() {
        return Some(Unit::None);
    }
    if text == "%" {
        return Some(Unit::Percent);
    }
    if let Some(per) = text.strip_prefix('/') {
        return RATE_UNITS.iter().find(|(name, _)| *name == per.trim_start()).map(|(_, seconds)| Unit::Per(*seconds));
    }
    if let Some((_, nanos)) = DURATION_UNITS.iter().find(|(name, _)| *name == text) {
        return Some(Unit::Duration(*nanos));
    }
    SIZE_UNITS.iter().find(|(name, _)| *name == text).map(|(_, bytes)| Unit::Bytes(*bytes))
}

impl Unit {
    /// Returns what a number with this unit measures.
    pub fn dimension(self) -> Dimension {
        match self {
            Unit::None => Dimension::Number,
            Unit::Duration(_) => Dimension::Duration,
            Unit::Bytes(_) => Dimension::Bytes,
            Unit::Percent => Dimension::Ratio,
            Unit::Per(_) => Dimension::Rate,
        }
    }
}

impl Quantity {
    /// Returns what this quantity measures.
    pub fn dimension(&self) -> Dimension {
        self.unit.dimension()
    }

    /// Returns the value in the base unit of its dimension: seconds, bytes, a fraction, or
    /// events per second.
    pub fn base_value(&self) -> f64 {
        match self.unit {
            Unit::None => self.number,
            Unit::Duration(nanos) => self.number * nanos as f64 / 1e9,
            Unit::Bytes(bytes) => self.number * bytes as f64,
            Unit::Percent => self.number / 100.0,
            Unit::Per(seconds) => self.number / seconds as f64,
        }
    }

    /// Converts a duration to [`Duration`]; `None` for another dimension, a negative value or
    /// one too large to represent.
    pub fn to_duration(&self) -> Option<Duration> {
        let Unit::Duration(unit_nanos) = self.unit else {
            return None;
        };
        let nanos = (self.number * unit_nanos as f64).round();
        (nanos >= 0.0 && nanos < u64::MAX as f64).then(|| Duration::from_nanos(nanos as u64))
    }
}

impl Dimension {
    /// Returns the name of this dimension with an article, as used in messages.
    pub fn describe(self) -> &'static str {
        match self {
            Dimension::Number => "a plain number",
            Dimension::Duration => "a duration",
            Dimension::Bytes => "a size",
            Dimension::Ratio => "a percentage",
            Dimension::Rate => "a rate",
        }
    }

    /// Returns an example value of this dimension, as used in messages.
    pub fn example(self) -> &'static str {
        match self {
            Dimension::Number => "3",
            Dimension::Duration => "250ms",
            Dimension::Bytes => "64MiB",
            Dimension::Ratio => "99.9%",
            Dimension::Rate => "10/s",
        }
    }
}

/// Formats a duration with the largest unit that represents it exactly, such as `250ms`.
///
/// ```
/// use std::time::Duration;
///
/// assert_eq!(perf::config::units::format_duration(Duration::from_millis(1500)), "1500ms");
/// assert_eq!(perf::config::units::format_duration(Duration::from_secs(900)), "15m");
/// ```
pub fn format_duration(duration: Duration) -> String {
    let nanos = duration.as_nanos();
    if nanos == 0 {
        return "0s".to_owned();
    }
    let units = [("d", 86_400_000_000_000u128), ("h", 3_600_000_000_000), ("m", 60_000_000_000), ("s", 1_000_000_000)];
    let finer = [("ms", 1_000_000u128), ("us", 1_000), ("ns", 1)];
    for (name, size) in units.iter().chain(finer.iter()) {
        if nanos.is_multiple_of(*size) {
            return format!("{}{name}", nanos / size);
        }
    }
    unreachable!("every duration is a whole number of nanoseconds")
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let number = trim_decimals(self.number);
        let name = |table: &[(&'static str, u64)], size: u64| {
            table.iter().find(|(_, candidate)| *candidate == size).map_or("?", |(name, _)| *name)
        };
        match self.unit {
            Unit::None => write!(f, "{number}"),
            Unit::Duration(nanos) => write!(f, "{number}{}", name(DURATION_UNITS, nanos)),
            Unit::Bytes(bytes) => write!(f, "{number}{}", name(SIZE_UNITS, bytes)),
            Unit::Percent => write!(f, "{number}%"),
            Unit::Per(seconds) => write!(f, "{number}/{}", name(RATE_UNITS, seconds)),
        }
    }
}

impl fmt::Display for ByteSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let units = [("TiB", 1u64 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
        for (name, size) in units {
            if self.0 != 0 && self.0.is_multiple_of(size) {
                return write!(f, "{}{name}", self.0 / size);
            }
        }
        write!(f, "{}B", self.0)
    }
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", trim_decimals(self.0 * 100.0))
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/s", trim_decimals(self.0))
    }
}

/// Formats a number with at most nine decimals and no trailing zeros, so that a value read
/// from `99.9%` prints as `99.9`, not `99.90000000000001`.
fn trim_decimals(value: f64) -> String {
    let text = format!("{value:.9}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

macro_rules! serialize_as_display {
    ($($type:ty),*) => {$(
        impl Serialize for $type {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }
    )*};
}

serialize_as_display!(Quantity, ByteSize, Ratio, Rate);

/// Serializes a [`Duration`] as a string with a unit, such as `"250ms"`.
pub(crate) fn serialize_duration<S: Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&format_duration(*duration))
}

/// Serializes an optional [`Duration`] as a string with a unit.
pub(crate) fn serialize_optional_duration<S: Serializer>(
    duration: &Option<Duration>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match duration {
        Some(duration) => serialize_duration(duration, serializer),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantity_milliseconds() {
        assert_eq!(parse_quantity("250ms").unwrap().to_duration(), Some(Duration::from_millis(250)));
    }

    #[test]
    fn quantity_fractional_seconds() {
        assert_eq!(parse_quantity("1.1s").unwrap().to_duration(), Some(Duration::from_millis(1100)));
    }

    #[test]
    fn quantity_space_before_unit() {
        assert_eq!(parse_quantity("2 h").unwrap().to_duration(), Some(Duration::from_secs(7200)));
    }

    #[test]
    fn quantity_mebibytes() {
        assert_eq!(parse_quantity("64MiB").unwrap().base_value(), 67_108_864.0);
    }

    #[test]
    fn quantity_percent() {
        assert!((parse_quantity("99.9%").unwrap().base_value() - 0.999).abs() < 1e-12);
    }

    #[test]
    fn quantity_rate_per_minute() {
        assert_eq!(parse_quantity("600/m").unwrap().base_value(), 10.0);
    }

    #[test]
    fn quantity_negative_keeps_sign() {
        assert_eq!(parse_quantity("-5s").unwrap().number, -5.0);
    }

    #[test]
    fn quantity_negative_is_no_duration() {
        assert_eq!(parse_quantity("-5s").unwrap().to_duration(), None);
    }

    #[test]
    fn quantity_unknown_unit_offset() {
        assert_eq!(parse_quantity("250 parsecs").unwrap_err().offset, 4);
    }

    #[test]
    fn quantity_without_number() {
        assert_eq!(parse_quantity("ms").unwrap_err().offset, 0);
    }

    #[test]
    fn quantity_exponent() {
        assert_eq!(parse_quantity("1e3ms").unwrap().to_duration(), Some(Duration::from_secs(1)));
    }

    #[test]
    fn format_duration_picks_largest_exact_unit() {
        assert_eq!(format_duration(Duration::from_secs(7200)), "2h");
    }

    #[test]
    fn format_duration_milliseconds() {
        assert_eq!(format_duration(Duration::from_millis(250)), "250ms");
    }

    #[test]
    fn byte_size_display_binary_unit() {
        assert_eq!(ByteSize(64 << 20).to_string(), "64MiB");
    }

    #[test]
    fn ratio_display_trims_float_noise() {
        assert_eq!(Ratio(0.999).to_string(), "99.9%");
    }

    #[test]
    fn rate_display_per_second() {
        assert_eq!(Rate(10.0).to_string(), "10/s");
    }
}
