//! The metrics and functions that rule expressions can name, with their types.

use crate::config::units::Dimension;

/// The type of an expression, as proved by the checker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Type {
    /// True or false: comparisons, `and`, `or`, `not`, `absent(...)`.
    Bool,
    /// A value of one dimension: a duration, a size, a percentage, a rate or a plain number.
    Scalar(Dimension),
    /// A cumulative count that only grows: usable as a plain number, or through `rate` and
    /// `increase`.
    Counter,
    /// A latency distribution: usable only through a quantile function such as `p99`.
    Distribution,
}

/// A metric that a selector names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    /// Completed calls of a site (counter).
    Calls,
    /// Failed calls of a site (counter).
    Errors,
    /// Calls of a site dropped before completing (counter).
    Cancelled,
    /// Calls of a site in progress (plain number).
    InFlight,
    /// Latency of a site's calls (distribution).
    Latency,
    /// Errors divided by calls over the evaluation window (percentage).
    ErrorRate,
    /// Cache hits (counter).
    Hits,
    /// Cache misses (counter).
    Misses,
    /// Cache evictions (counter).
    Evictions,
    /// Hits divided by look-ups of a cache over the evaluation window (percentage).
    HitRate,
    /// Bytes held by a cache (size).
    CacheSize,
    /// Entries held by a cache (plain number).
    Entries,
    /// Health score of a cache or component, from 0% to 100% (percentage).
    Health,
    /// A metric of `counter!`, `gauge!` or a plugin collector, named by its `name` matcher:
    /// `metric{name="queue_depth"}` (counter or plain number, decided when evaluated).
    Custom,
}

/// A function that rule expressions can call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Function {
    /// `p50(latency)`: median latency.
    P50,
    /// `p90(latency)`.
    P90,
    /// `p99(latency)`.
    P99,
    /// `p999(latency)`: 99.9th percentile.
    P999,
    /// `max(latency)`: slowest call.
    Max,
    /// `mean(latency)`.
    Mean,
    /// `quantile(q, latency)`: any quantile, `q` written as `99.5%` or `0.995`.
    Quantile,
    /// `rate(counter)`: increase per second over the evaluation window.
    Rate,
    /// `increase(counter, window)`: increase over `window`.
    Increase,
    /// `delta(x, window)`: change of `x` over `window` (the rate-of-change threshold).
    Delta,
    /// `pct_change(x, window)`: relative change of `x` over `window`, as a percentage.
    PctChange,
    /// `ewma(x, lambda)`: exponentially weighted moving average with smoothing `lambda` in
    /// (0, 1].
    Ewma,
    /// `ewma_upper(x, k, lambda)`: upper EWMA control limit, centre plus
    /// `k * deviation * sqrt(lambda / (2 - lambda))`.
    EwmaUpper,
    /// `ewma_lower(x, k, lambda)`: lower EWMA control limit, centre minus the same band.
    EwmaLower,
    /// `zscore(x, window)`: how many standard deviations `x` is from its mean over `window`.
    Zscore,
    /// `rolling_percentile(x, q, window)`: the `q` percentile of `x` over `window`, a baseline.
    RollingPercentile,
    /// `absent(selector, window)`: true when the selector had no data for `window`.
    Absent,
    /// `abs(x)`: absolute value.
    Abs,
}

/// Kind of value that a parameter of a function takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Param {
    /// Any scalar expression (a counter counts as a plain number).
    Scalar,
    /// A counter: a counter selector or `metric{...}`.
    Counter,
    /// A latency distribution selector.
    Distribution,
    /// Any selector.
    Selector,
    /// A constant duration greater than zero, such as `5m`.
    Window,
    /// A constant quantile in (0, 1], written `99%` or `0.99`.
    Quantile,
    /// A constant plain number in (0, 1], such as a smoothing factor.
    Fraction,
    /// A constant plain number greater than zero, such as a band width.
    Positive,
}

/// Result type of a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Returns {
    /// Always this type.
    Fixed(Type),
    /// The scalar type of the first argument.
    SameAsFirst,
}

/// Parameters and result of a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signature {
    /// The parameters, in order.
    pub params: &'static [Param],
    /// The result.
    pub returns: Returns,
}

const METRICS: &[(&str, Metric)] = &[
    ("calls", Metric::Calls),
    ("errors", Metric::Errors),
    ("cancelled", Metric::Cancelled),
    ("in_flight", Metric::InFlight),
    ("latency", Metric::Latency),
    ("error_rate", Metric::ErrorRate),
    ("hits", Metric::Hits),
    ("misses", Metric::Misses),
    ("evictions", Metric::Evictions),
    ("hit_rate", Metric::HitRate),
    ("cache_size", Metric::CacheSize),
    ("entries", Metric::Entries),
    ("health", Metric::Health),
    ("metric", Metric::Custom),
];

const FUNCTIONS: &[(&str, Function)] = &[
    ("p50", Function::P50),
    ("p90", Function::P90),
    ("p99", Function::P99),
    ("p999", Function::P999),
    ("max", Function::Max),
    ("mean", Function::Mean),
    ("quantile", Function::Quantile),
    ("rate", Function::Rate),
    ("increase", Function::Increase),
    ("delta", Function::Delta),
    ("pct_change", Function::PctChange),
    ("ewma", Function::Ewma),
    ("ewma_upper", Function::EwmaUpper),
    ("ewma_lower", Function::EwmaLower),
    ("zscore", Function::Zscore),
    ("rolling_percentile", Function::RollingPercentile),
    ("absent", Function::Absent),
    ("abs", Function::Abs),
];

impl Metric {
    /// Finds a metric by the name written in an expression.
    pub fn from_name(name: &str) -> Option<Metric> {
        METRICS.iter().find(|(candidate, _)| *candidate == name).map(|(_, metric)| *metric)
    }

    /// Returns every metric name, for suggestions.
    pub fn names() -> impl Iterator<Item = &'static str> {
        METRICS.iter().map(|(name, _)| *name)
    }

    /// Returns the name written in expressions.
    pub fn name(self) -> &'static str {
        METRICS.iter().find(|(_, metric)| *metric == self).map(|(name, _)| *name).unwrap_or("metric")
    }

    /// Returns the type of the metric's values.
    pub fn value_type(self) -> Type {
        match self {
            Metric::Calls | Metric::Errors | Metric::Cancelled | Metric::Hits | Metric::Misses | Metric::Evictions => {
                Type::Counter
            }
            Metric::Custom => Type::Counter,
            Metric::InFlight | Metric::Entries => Type::Scalar(Dimension::Number),
            Metric::Latency => Type::Distribution,
            Metric::ErrorRate | Metric::HitRate | Metric::Health => Type::Scalar(Dimension::Ratio),
            Metric::CacheSize => Type::Scalar(Dimension::Bytes),
        }
    }
}

impl Function {
    /// Finds a function by the name written in an expression.
    pub fn from_name(name: &str) -> Option<Function> {
        FUNCTIONS.iter().find(|(candidate, _)| *candidate == name).map(|(_, function)| *function)
    }

    /// Returns every function name, for suggestions.
    pub fn names() -> impl Iterator<Item = &'static str> {
        FUNCTIONS.iter().map(|(name, _)| *name)
    }

    /// Returns the name written in expressions.
    pub fn name(self) -> &'static str {
        FUNCTIONS.iter().find(|(_, function)| *function == self).map(|(name, _)| *name).unwrap_or("function")
    }

    /// Returns the parameters and the result of this function.
    pub fn signature(self) -> Signature {
        use Param::*;

        let duration = Returns::Fixed(Type::Scalar(Dimension::Duration));
        let (params, returns): (&'static [Param], Returns) = match self {
            Function::P50 | Function::P90 | Function::P99 | Function::P999 | Function::Max | Function::Mean => {
                (&[Distribution], duration)
            }
            Function::Quantile => (&[Quantile, Distribution], duration),
            Function::Rate => (&[Counter], Returns::Fixed(Type::Scalar(Dimension::Rate))),
            Function::Increase => (&[Counter, Window], Returns::Fixed(Type::Scalar(Dimension::Number))),
            Function::Delta => (&[Scalar, Window], Returns::SameAsFirst),
            Function::PctChange => (&[Scalar, Window], Returns::Fixed(Type::Scalar(Dimension::Ratio))),
            Function::Ewma => (&[Scalar, Fraction], Returns::SameAsFirst),
            Function::EwmaUpper | Function::EwmaLower => (&[Scalar, Positive, Fraction], Returns::SameAsFirst),
            Function::Zscore => (&[Scalar, Window], Returns::Fixed(Type::Scalar(Dimension::Number))),
            Function::RollingPercentile => (&[Scalar, Quantile, Window], Returns::SameAsFirst),
            Function::Absent => (&[Selector, Window], Returns::Fixed(Type::Bool)),
            Function::Abs => (&[Scalar], Returns::SameAsFirst),
        };
        Signature { params, returns }
    }

    /// Returns how the function is called, such as `increase(counter, window)`.
    pub fn usage(self) -> String {
        let params: Vec<&str> = self.signature().params.iter().map(|param| param.name()).collect();
        format!("{}({})", self.name(), params.join(", "))
    }
}

impl Param {
    /// Returns the name used in usage strings.
    pub fn name(self) -> &'static str {
        match self {
            Param::Scalar => "value",
            Param::Counter => "counter",
            Param::Distribution => "latency",
            Param::Selector => "selector",
            Param::Window => "window",
            Param::Quantile => "quantile",
            Param::Fraction => "lambda",
            Param::Positive => "k",
        }
    }
}

impl Type {
    /// Returns the type with an article, as used in messages.
    pub fn describe(self) -> &'static str {
        match self {
            Type::Bool => "a condition",
            Type::Scalar(dimension) => dimension.describe(),
            Type::Counter => "a counter",
            Type::Distribution => "a latency distribution",
        }
    }

    /// Returns the dimension of a value usable in arithmetic and comparisons: a counter counts
    /// as a plain number.
    pub fn as_scalar(self) -> Option<Dimension> {
        match self {
            Type::Scalar(dimension) => Some(dimension),
            Type::Counter => Some(Dimension::Number),
            Type::Bool | Type::Distribution => None,
        }
    }
}
