//! The families of registered metrics: `counter!`, `gauge!`, `float_gauge!`, `histogram!`,
//! and the gauges other parts of the runtime publish through them (alerts, config reloads).
//!
//! Metrics keep their own names, sanitized, without the namespace. A counter gets `_total`
//! unless its name already ends with it. A name ending in `_seconds` or `_bytes` gets that unit
//! in OpenMetrics. Histograms use the `value_buckets` bounds, in the unit they record.

use super::histogram::{self, Recorded};
use super::writer::{Kind, LabelSet, Value, Writer};
use super::{warn_once, Exposition};
use crate::metric::Buckets;
use crate::registry::{self, MetricKind, MetricRef};
use crate::snapshot::{MetricSnapshot, MetricValue};

/// Writes the metric families of a snapshot.
pub(super) fn write_snapshot(exposition: &Exposition, writer: &mut Writer<'_>, metrics: &[MetricSnapshot]) {
    let mut families = Families::default();
    for metric in metrics {
        if !families.admit(exposition, writer, &metric.name, metric.kind) {
            continue;
        }
        let value = match &metric.value {
            MetricValue::Counter(total) => Value::Unsigned(*total),
            MetricValue::Gauge(value) => Value::Signed(*value),
            MetricValue::FloatGauge(value) => Value::Float(*value),
            MetricValue::Histogram(summary) => {
                let recorded = match (&metric.histogram, summary) {
                    (Some(buckets), _) => Recorded::Buckets(buckets),
                    (None, Some(summary)) => Recorded::Summary(summary),
                    (None, None) => Recorded::Empty,
                };
                write_histogram(exposition, writer, &metric.labels, recorded);
                continue;
            }
        };
        write_value(writer, &metric.labels, value);
    }
}

/// Writes the metric families of the live registry, reading each metric in place.
pub(super) fn write_live(exposition: &Exposition, writer: &mut Writer<'_>) {
    let metrics = registry::read_metrics();
    let mut families = Families::default();
    for (id, metric) in metrics.iter() {
        if !families.admit(exposition, writer, &id.name, metric.kind()) {
            continue;
        }
        let labels: &[(String, String)] = &id.labels;
        let value = match metric {
            MetricRef::Counter(counter) => Value::Unsigned(counter.value()),
            MetricRef::Gauge(gauge) => Value::Signed(gauge.value()),
            MetricRef::FloatGauge(gauge) => Value::Float(gauge.value()),
            MetricRef::Histogram(histogram) => {
                let buckets: Buckets = histogram.buckets();
                let recorded = if buckets.is_empty() { Recorded::Empty } else { Recorded::Buckets(&buckets) };
                write_histogram(exposition, writer, labels, recorded);
                continue;
            }
        };
        write_value(writer, labels, value);
    }
}

/// Tracks the family being written while the metrics go by in name order.
#[derive(Default)]
struct Families<'n> {
    current: Option<(&'n str, MetricKind)>,
    writing: bool,
}

impl<'n> Families<'n> {
    /// Starts the family of `name` when it is new, and returns whether the metric's sample
    /// should be written: not when its family was skipped, nor when it has another kind than
    /// the family (one name registered as a counter and as a gauge under other labels).
    fn admit(&mut self, exposition: &Exposition, writer: &mut Writer<'_>, name: &'n str, kind: MetricKind) -> bool {
        if let Some((current, family_kind)) = self.current {
            if current == name {
                if family_kind != kind {
                    warn_once(
                        name,
                        "metric name registered with two kinds; only the first kind is exposed, rename one",
                    );
                    return false;
                }
                return self.writing;
            }
        }

        let (base, family_kind, help) = match kind {
            MetricKind::Counter => {
                (name.strip_suffix("_total").unwrap_or(name), Kind::Counter, "A counter recorded with perf::counter!.")
            }
            MetricKind::Gauge => (name, Kind::Gauge, "A gauge recorded with perf::gauge!."),
            MetricKind::FloatGauge => (name, Kind::Gauge, "A gauge recorded with perf::float_gauge!."),
            MetricKind::Histogram => {
                (name, exposition.histogram_kind(), "A histogram recorded with perf::histogram!, in its own unit.")
            }
        };
        let unit = ["seconds", "bytes"]
            .into_iter()
            .find(|unit| base.strip_suffix(unit).is_some_and(|rest| rest.ends_with('_')));

        self.writing = writer.family("", base, family_kind, unit, help);
        if !self.writing {
            warn_once(name, "metric name clashes with a family already exposed; rename the metric to expose it");
        }
        self.current = Some((name, kind));
        self.writing
    }
}

fn write_value<L: LabelSet + ?Sized>(writer: &mut Writer<'_>, labels: &L, value: Value) {
    let suffix = writer.sample_suffix(writer.kind());
    writer.sample(suffix, &[], labels, None, value);
}

fn write_histogram<L: LabelSet + ?Sized>(
    exposition: &Exposition,
    writer: &mut Writer<'_>,
    labels: &L,
    recorded: Recorded<'_>,
) {
    histogram::write_series(exposition, writer, &[], labels, recorded, &exposition.value_bounds, 1.0);
}
