//! The families of `#[monitored]` sites: calls by result, errors by kind, cancellations,
//! calls in flight and latency.

use std::collections::BTreeMap;

use super::histogram::{self, Recorded};
use super::writer::{Kind, LabelSet, Value, Writer};
use super::Exposition;
use crate::metric::Buckets;
use crate::registry;
use crate::site::{Features, SiteCounts};
use crate::snapshot::SiteSnapshot;

/// One site, borrowed from a snapshot or from the live registry.
struct SiteRow<'a, L: ?Sized> {
    name: &'a str,
    component: &'a str,
    module: &'a str,
    labels: &'a L,
    features: Features,
    calls: u64,
    errors: u64,
    cancelled: u64,
    in_flight: i64,
    errors_by_kind: &'a BTreeMap<String, u64>,
    latency: Option<&'a Buckets>,
}

/// Writes the site families of a snapshot.
pub(super) fn write_snapshot(exposition: &Exposition, writer: &mut Writer<'_>, sites: &[SiteSnapshot]) {
    let rows: Vec<SiteRow<'_, BTreeMap<String, String>>> = sites
        .iter()
        .map(|site| SiteRow {
            name: &site.name,
            component: &site.component,
            module: &site.module,
            labels: &site.labels,
            features: site.features,
            calls: site.calls,
            errors: site.errors,
            cancelled: site.cancelled,
            in_flight: site.in_flight,
            errors_by_kind: &site.errors_by_kind,
            latency: site.latency_histogram.as_ref(),
        })
        .collect();
    write_rows(exposition, writer, &rows);
}

/// Writes the site families of the live process.
pub(super) fn write_live(exposition: &Exposition, writer: &mut Writer<'_>) {
    let sites = registry::all_sites();
    let counts: Vec<SiteCounts> = sites.iter().map(|site| site.counts()).collect();
    let rows: Vec<SiteRow<'_, [(&str, &str)]>> = sites
        .iter()
        .zip(&counts)
        .map(|(site, counts)| {
            let info = site.info();
            SiteRow {
                name: info.name,
                component: info.component,
                module: info.module,
                labels: info.labels,
                features: info.features,
                calls: counts.calls,
                errors: counts.errors,
                cancelled: counts.cancelled,
                in_flight: counts.in_flight,
                errors_by_kind: &counts.errors_by_kind,
                latency: (!counts.latency.is_empty()).then_some(&counts.latency),
            }
        })
        .collect();
    write_rows(exposition, writer, &rows);
}

fn write_rows<L: LabelSet + ?Sized>(exposition: &Exposition, writer: &mut Writer<'_>, rows: &[SiteRow<'_, L>]) {
    // Two functions given the same `name = "..."` would expose the same series twice, which
    // Prometheus rejects. After sorting by name, all but the first of them are skipped.
    let mut rows: Vec<&SiteRow<'_, L>> = rows.iter().collect();
    rows.sort_by(|a, b| a.name.cmp(b.name));
    rows.dedup_by(|later, first| later.name == first.name);
    let prefix = exposition.prefix();

    let help = "Completed calls of monitored functions, by result: ok, or error (an Err, an error outcome or a panic).";
    if writer.family(prefix, "calls", Kind::Counter, None, help) {
        for row in &rows {
            let ok = row.calls.saturating_sub(row.errors);
            writer.sample("_total", &row.own(Some(("result", "ok"))), row.labels, None, Value::Unsigned(ok));
            writer.sample("_total", &row.own(Some(("result", "error"))), row.labels, None, Value::Unsigned(row.errors));
        }
    }

    let help = "Failed calls of monitored functions, by error kind (the variant name, error, or panic).";
    if writer.family(prefix, "call_errors", Kind::Counter, None, help) {
        for row in &rows {
            for (kind, count) in row.errors_by_kind {
                writer.sample("_total", &row.own(Some(("kind", kind))), row.labels, None, Value::Unsigned(*count));
            }
        }
    }

    let help = "Calls of monitored async functions whose future was dropped before it completed.";
    if writer.family(prefix, "calls_cancelled", Kind::Counter, None, help) {
        for row in &rows {
            writer.sample("_total", &row.own(None), row.labels, None, Value::Unsigned(row.cancelled));
        }
    }

    let help = "Calls of monitored functions in progress.";
    if writer.family(prefix, "calls_in_flight", Kind::Gauge, None, help) {
        for row in rows.iter().filter(|row| row.features.in_flight) {
            writer.sample("", &row.own(None), row.labels, None, Value::Signed(row.in_flight));
        }
    }

    let help = "Latency of monitored functions, in seconds.";
    if writer.family(prefix, "call_duration_seconds", exposition.histogram_kind(), Some("seconds"), help) {
        for row in rows.iter().filter(|row| row.features.latency) {
            let recorded = row.latency.map_or(Recorded::Empty, Recorded::Buckets);
            let own = row.own(None);
            histogram::write_series(exposition, writer, &own, row.labels, recorded, &exposition.latency_bounds, 1e9);
        }
    }
}

impl<L: ?Sized> SiteRow<'_, L> {
    /// Returns our labels of the site, with one more (`result` or `kind`) when given. The
    /// array has a fixed size so that building it allocates nothing; an absent extra label is
    /// cut off by the slice.
    fn own<'s>(&'s self, extra: Option<(&'s str, &'s str)>) -> OwnLabels<'s> {
        let function =
            self.name.strip_prefix(self.module).and_then(|rest| rest.strip_prefix("::")).unwrap_or(self.name);
        let mut labels = [("component", self.component), ("module", self.module), ("function", function), ("", "")];
        let len = match extra {
            Some(extra) => {
                labels[3] = extra;
                4
            }
            None => 3,
        };
        OwnLabels { labels, len }
    }
}

/// Up to four labels of ours, on the stack.
struct OwnLabels<'a> {
    labels: [(&'a str, &'a str); 4],
    len: usize,
}

impl<'a> std::ops::Deref for OwnLabels<'a> {
    type Target = [(&'a str, &'a str)];

    fn deref(&self) -> &Self::Target {
        &self.labels[..self.len]
    }
}
