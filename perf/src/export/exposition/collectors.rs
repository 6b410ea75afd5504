//! The families of plugin collectors: caches and any other component that reports samples.
//!
//! A sample `<kind>_<name>` (or `<name>`) of a collector of kind `<kind>` becomes the family
//! `<namespace>_<kind>_<name>`, labelled with the collector's name (`cache="sessions"` for a
//! cache, `collector="..."` for other kinds) and component. Samples of the same name from
//! several collectors share one family.
//!
//! Samples follow Prometheus conventions on the way out: counters get `_total`, a `_ns`, `_us`
//! or `_ms` suffix becomes `_seconds` with the value converted, and cache samples map onto the
//! conventional names (`cache_hits` and `cache_misses` become `cache_gets_total{result}`,
//! `cache_entries` becomes `cache_size`). Ratios and windowed values that a cache computes for
//! its own report (`cache_hit_rate`, `cache_window_*`, ...) are left out, because PromQL
//! derives them from the counters over any window.

use std::borrow::Cow;

use super::histogram::{self, Recorded};
use super::writer::{Kind, Value, Writer};
use super::{warn_once, Exposition};
use crate::plugin::{CollectorSnapshot, Sample};
use crate::snapshot::MetricValue;

/// A cache sample exposed under another name, with one more label.
struct Rename {
    sample: &'static str,
    family: &'static str,
    label: Option<(&'static str, &'static str)>,
}

const CACHE_RENAMES: &[Rename] = &[
    Rename { sample: "cache_hits", family: "cache_gets", label: Some(("result", "hit")) },
    Rename { sample: "cache_misses", family: "cache_gets", label: Some(("result", "miss")) },
    Rename { sample: "cache_entries", family: "cache_size", label: None },
];

/// Cache samples derived from others, which PromQL computes better over its own windows.
const CACHE_DERIVED: &[&str] =
    &["cache_requests", "cache_hit_rate", "cache_miss_rate", "cache_average_load_penalty_ns"];

/// HELP text of the conventional cache families.
const CACHE_HELP: &[(&str, &str)] = &[
    ("cache_gets", "Cache lookups, by result: hit or miss."),
    ("cache_evictions", "Entries removed from the cache, by cause."),
    ("cache_size", "Entries in the cache."),
    ("cache_weighted_size", "Weighted size of the cache, in the unit of its weigher."),
    ("cache_capacity", "Capacity of the cache, in entries or in the unit of its weigher."),
    ("cache_health_score", "Health score of the cache, from 0 (critical) to 100 (healthy)."),
    ("cache_health_state", "1 for the current health state of the cache, 0 for the other states."),
    ("cache_loads", "Loads of missing entries, by result."),
    ("cache_inserts", "Entries inserted into the cache."),
    ("cache_memory_bytes", "Memory held by the cache, in bytes."),
];

/// One sample on its way out, with its family worked out.
struct Entry<'a> {
    family: Cow<'a, str>,
    kind: Kind,
    unit: Option<&'static str>,
    divisor: f64,
    extra: Option<(&'static str, &'static str)>,
    collector: &'a CollectorSnapshot,
    sample: &'a Sample,
}

/// Writes the families of every collector's samples, then `collector_up`.
pub(super) fn write(exposition: &Exposition, writer: &mut Writer<'_>, collectors: &[CollectorSnapshot]) {
    let mut entries: Vec<Entry<'_>> = collectors
        .iter()
        .flat_map(|collector| collector.samples.iter().filter_map(move |sample| entry(exposition, collector, sample)))
        .collect();
    entries.sort_by(|a, b| a.family.cmp(&b.family));

    let prefix = exposition.prefix();
    let mut start = 0;
    while start < entries.len() {
        let family = &entries[start].family;
        let end = start + entries[start..].iter().take_while(|entry| entry.family == *family).count();
        write_family(exposition, writer, prefix, &entries[start..end]);
        start = end;
    }

    write_up(exposition, writer, collectors);
}

fn write_family(exposition: &Exposition, writer: &mut Writer<'_>, prefix: &str, entries: &[Entry<'_>]) {
    let first = &entries[0];
    let generic_help;
    let help = match CACHE_HELP.iter().find(|(name, _)| *name == first.family) {
        Some((_, help)) => *help,
        None => {
            generic_help = format!("Sample {} of {} collectors.", first.sample.name, first.collector.kind);
            &generic_help
        }
    };
    if !writer.family(prefix, &first.family, first.kind, first.unit, help) {
        warn_once(
            &first.family,
            "collector sample clashes with a family already exposed; rename the sample to expose it",
        );
        return;
    }

    for entry in entries {
        if entry.kind != first.kind {
            warn_once(&entry.family, "collector sample written with two types; only the first type is exposed");
            continue;
        }
        let name_label = if entry.collector.kind == "cache" { "cache" } else { "collector" };
        let mut own =
            [(name_label, entry.collector.name.as_str()), ("component", entry.collector.component.as_str()), ("", "")];
        let len = match entry.extra {
            Some(extra) => {
                own[2] = extra;
                3
            }
            None => 2,
        };
        let own = &own[..len];
        let labels = &entry.sample.labels;

        let value = match &entry.sample.value {
            MetricValue::Counter(total) => converted(*total as f64, entry.divisor, Value::Unsigned(*total)),
            MetricValue::Gauge(value) => converted(*value as f64, entry.divisor, Value::Signed(*value)),
            MetricValue::FloatGauge(value) => Value::Float(value / entry.divisor),
            MetricValue::Histogram(summary) => {
                let recorded = match (&entry.sample.histogram, summary) {
                    (Some(buckets), _) => Recorded::Buckets(buckets),
                    (None, Some(summary)) => Recorded::Summary(summary),
                    (None, None) => Recorded::Empty,
                };
                let bounds = if entry.divisor == 1.0 { &exposition.value_bounds } else { &exposition.latency_bounds };
                histogram::write_series(exposition, writer, own, labels, recorded, bounds, entry.divisor);
                continue;
            }
        };
        writer.sample(writer.sample_suffix(entry.kind), own, labels, None, value);
    }
}

fn write_up(exposition: &Exposition, writer: &mut Writer<'_>, collectors: &[CollectorSnapshot]) {
    let help = "1 when the plugin collector's last collection succeeded, 0 when it panicked.";
    if !writer.family(exposition.prefix(), "collector_up", Kind::Gauge, None, help) {
        return;
    }
    for collector in collectors {
        let own = [("collector", collector.name.as_str()), ("kind", collector.kind.as_str())];
        let up = i64::from(collector.error.is_none());
        writer.sample("", &own, &super::writer::NoLabels, None, Value::Signed(up));
    }
}

/// Works out the family of a sample, or `None` for a sample left out.
fn entry<'a>(exposition: &Exposition, collector: &'a CollectorSnapshot, sample: &'a Sample) -> Option<Entry<'a>> {
    let kind_prefix_len = collector.kind.len() + 1;
    let has_kind_prefix = sample.name.len() > kind_prefix_len
        && sample.name.starts_with(collector.kind.as_str())
        && sample.name.as_bytes()[collector.kind.len()] == b'_';

    let mut name: Cow<'a, str> = if has_kind_prefix {
        Cow::Borrowed(sample.name.as_str())
    } else {
        Cow::Owned(format!("{}_{}", collector.kind, sample.name))
    };
    let mut extra = None;
    if collector.kind == "cache" {
        if CACHE_DERIVED.contains(&name.as_ref()) || name.starts_with("cache_window_") {
            return None;
        }
        if let Some(rename) = CACHE_RENAMES.iter().find(|rename| rename.sample == name) {
            name = Cow::Borrowed(rename.family);
            extra = rename.label;
        }
    }

    let kind = match sample.value {
        MetricValue::Counter(_) => Kind::Counter,
        MetricValue::Gauge(_) | MetricValue::FloatGauge(_) => Kind::Gauge,
        MetricValue::Histogram(_) => exposition.histogram_kind(),
    };
    if kind == Kind::Counter {
        if let Some(base) = name.strip_suffix("_total") {
            name = Cow::Owned(base.to_owned());
        }
    }

    let mut divisor = 1.0;
    let mut unit = None;
    for (suffix, per_second) in [("_ns", 1e9), ("_us", 1e6), ("_ms", 1e3)] {
        let histogram_in_nanoseconds = suffix == "_ns" || !matches!(sample.value, MetricValue::Histogram(_));
        if let Some(base) = name.strip_suffix(suffix).filter(|_| histogram_in_nanoseconds) {
            name = Cow::Owned(format!("{base}_seconds"));
            divisor = per_second;
            break;
        }
    }
    if name.ends_with("_seconds") {
        unit = Some("seconds");
    } else if name.ends_with("_bytes") {
        unit = Some("bytes");
    }

    Some(Entry { family: name, kind, unit, divisor, extra, collector, sample })
}

/// Returns the value divided into seconds, or the exact integer when there is nothing to
/// convert.
fn converted(value: f64, divisor: f64, exact: Value) -> Value {
    if divisor == 1.0 {
        exact
    } else {
        Value::Float(value / divisor)
    }
}
