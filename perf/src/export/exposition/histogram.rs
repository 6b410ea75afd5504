//! The samples of one histogram or summary series, shared by sites, `histogram!` metrics and
//! collector samples.

use super::distribution::{self, Bound};
use super::writer::{LabelSet, Value, Writer};
use super::Exposition;
use crate::export::exposition::HistogramExposition;
use crate::metric::{Buckets, Distribution};

/// The recorded values of one series.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Recorded<'a> {
    /// The buckets themselves: every form can be written exactly.
    Buckets(&'a Buckets),
    /// Only a summary (an export written without buckets): count and sum, no buckets.
    Summary(&'a Distribution),
    /// Nothing recorded yet.
    Empty,
}

/// Writes the `_bucket`, `_sum` and `_count` samples of a histogram series, or the quantile,
/// `_sum` and `_count` samples of a summary, as the exposition is set up. Recorded values are
/// divided by `divisor` into the exposed unit (1e9 from nanoseconds to seconds), because a
/// division keeps round values round where multiplying by 1e-9 would not.
pub(crate) fn write_series<L: LabelSet + ?Sized>(
    exposition: &Exposition,
    writer: &mut Writer<'_>,
    own: &[(&str, &str)],
    user: &L,
    recorded: Recorded<'_>,
    bounds: &[Bound],
    divisor: f64,
) {
    let (count, sum) = match recorded {
        Recorded::Buckets(buckets) => (buckets.count(), distribution::estimated_sum(buckets) / divisor),
        Recorded::Summary(summary) => (summary.count, summary.mean * summary.count as f64 / divisor),
        Recorded::Empty => (0, 0.0),
    };

    match exposition.options().histograms {
        HistogramExposition::Histogram => {
            let mut total = count;
            match recorded {
                Recorded::Buckets(buckets) => {
                    total = distribution::cumulative_counts(buckets, bounds, |bound, cumulative| {
                        writer.sample("_bucket", own, user, Some(("le", &bound.label)), Value::Unsigned(cumulative));
                    });
                }
                Recorded::Summary(_) | Recorded::Empty => {
                    // Without buckets only the `+Inf` bucket is known; the lower ones are left
                    // out rather than guessed.
                    if matches!(recorded, Recorded::Empty) {
                        for bound in bounds {
                            writer.sample("_bucket", own, user, Some(("le", &bound.label)), Value::Unsigned(0));
                        }
                    }
                }
            }
            writer.sample("_bucket", own, user, Some(("le", "+Inf")), Value::Unsigned(total));
        }
        HistogramExposition::Summary => {
            for (label, quantile) in &exposition.quantiles {
                let value = match recorded {
                    Recorded::Buckets(buckets) if count > 0 => {
                        distribution::quantile(buckets, *quantile) as f64 / divisor
                    }
                    _ => f64::NAN,
                };
                writer.sample("", own, user, Some(("quantile", label)), Value::Float(value));
            }
        }
    }

    writer.sample("_sum", own, user, None, Value::Float(sum));
    writer.sample("_count", own, user, None, Value::Unsigned(count));
}
