//! The threshold engine: conditions over metric values, static and adaptive.
//!
//! Conditions are written as rule expressions ([`crate::rule`]) and run by an [`Evaluator`]
//! once per evaluation. Static thresholds compare with a constant in any unit
//! (`p99(latency) > 250ms`, `hit_rate < 90%`, `rate(calls) > 100/s`). Adaptive thresholds
//! compare with a baseline learnt from the series' own history:
//!
//! | function | value |
//! |---|---|
//! | `ewma(x, λ)` | EWMA statistic: `m ← m + λ·(x − m)`, starting at the first `x` |
//! | `ewma_upper(x, k, λ)`, `ewma_lower(x, k, λ)` | `m ± k·σ·sqrt(λ / (2 − λ))`, with `m` and the exponentially weighted deviation `σ` of the earlier samples ([`ewma`]) |
//! | `zscore(x, w)` | `(x − mean) / σ` over the samples of the last `w` before `x` (population deviation) |
//! | `rolling_percentile(x, q, w)` | the `q` quantile of the samples of the last `w` before `x`, interpolated between ranks |
//! | `delta(x, w)`, `pct_change(x, w)` | change of `x` since the oldest sample of the last `w` (absolute, or relative to it) |
//! | `rate(c)`, `increase(c, w)` | growth of a counter per second since the previous evaluation, or over `w`; a counter that goes down restarted from zero |
//! | `absent(selector, w)` | holds once the selector has matched nothing for `w` |
//!
//! An adaptive function yields no value until it has [`EvalSettings::min_samples`] earlier
//! samples; the alert rule then evaluates its fallback condition or stays silent. A zero
//! deviation is defined: the EWMA band collapses onto its centre, and a z-score is 0 at the
//! mean and an infinity of the difference's sign elsewhere ([`stats::zscore`]).

pub mod eval;
pub mod ewma;
pub mod stats;
pub mod window;

pub use eval::{EvalSettings, Evaluation, Evaluator, SeriesVerdict};

/// Labels of a series or an alert, sorted by name.
pub type Labels = std::collections::BTreeMap<String, String>;
