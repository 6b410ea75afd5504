//! Exports: how the numbers leave the process.
//!
//! - [`to_json`]: the whole snapshot, histograms lossless, so exports of several processes
//!   [`merge`] exactly.
//! - [`to_csv`]: one row per site, metric and collector sample (RFC 4180).
//! - [`Exposition`]: the Prometheus text format 0.0.4 and OpenMetrics 1.0, chosen from an
//!   `Accept` header with [`negotiate`].
//! - [`schedule`]: exports to timestamped files on an interval, written atomically, optionally
//!   gzip-compressed, keeping the last N; results in [`status`] and in the snapshot.
//! - [`rules`] and [`grafana`]: a Prometheus rule file and a Grafana dashboard for the
//!   exported metrics, for a fleet scraped by Prometheus.

mod atomic_file;
mod csv;
mod exposition;
mod file_name;
pub mod grafana;
pub(crate) mod hdr;
mod json;
mod merge;
pub(crate) mod naming;
pub mod promql;
pub mod rules;
mod schedule;
pub mod status;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use self::atomic_file::write_atomic;
pub use self::csv::{to_csv, write_csv};
pub use self::exposition::{
    negotiate, openmetrics, prometheus, Exposition, ExpositionError, ExpositionOptions, HistogramExposition, TextFormat,
};
pub use self::file_name::{FileNameTemplate, TemplateError};
pub use self::hdr::{decode_histogram, encode_histogram, HistogramDecodeError};
pub use self::json::{from_json, to_json, to_json_pretty, JsonImportError};
pub use self::merge::merge;
pub use self::schedule::{schedule, ExportError, ExportHandle, Exporter, ScheduleError, ScheduledExport};
pub use self::status::ExportStatus;
use crate::snapshot::Snapshot;

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// The snapshot as JSON, histograms lossless.
    Json,
    /// One CSV row per site, metric and collector sample.
    Csv,
    /// The Prometheus text format 0.0.4.
    Prometheus,
    /// OpenMetrics 1.0.
    OpenMetrics,
}

/// Error returned when a format name is not known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown export format {0:?}; use json, csv, prometheus or openmetrics")]
pub struct UnknownFormat(pub String);

impl Format {
    /// Every format, in the order of the documentation.
    pub const ALL: [Format; 4] = [Format::Json, Format::Csv, Format::Prometheus, Format::OpenMetrics];

    /// Returns the name used in URLs and configuration files.
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Prometheus => "prometheus",
            Format::OpenMetrics => "openmetrics",
        }
    }

    /// Returns the `Content-Type` of the format.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Csv => "text/csv; charset=utf-8; header=present",
            Format::Prometheus => TextFormat::Prometheus.content_type(),
            Format::OpenMetrics => TextFormat::OpenMetrics.content_type(),
        }
    }

    /// Returns the usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Prometheus => "prom",
            Format::OpenMetrics => "om",
        }
    }

    /// Renders a snapshot in this format. `exposition` sets up the two Prometheus formats.
    ///
    /// ```
    /// use perf::export::{Exposition, Format};
    ///
    /// let exposition = Exposition::new(Default::default()).unwrap();
    /// let text = Format::OpenMetrics.render(&perf::snapshot(), &exposition);
    /// assert!(text.ends_with(b"# EOF\n"));
    /// ```
    pub fn render(self, snapshot: &Snapshot, exposition: &Exposition) -> Vec<u8> {
        match self {
            Format::Json => to_json(snapshot),
            Format::Csv => to_csv(snapshot),
            Format::Prometheus | Format::OpenMetrics => {
                let mut out = Vec::with_capacity(16 * 1024);
                let text = if self == Format::Prometheus { TextFormat::Prometheus } else { TextFormat::OpenMetrics };
                exposition.render(snapshot, text, &mut out);
                out
            }
        }
    }
}

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let name = name.trim();
        Format::ALL
            .into_iter()
            .find(|format| format.name().eq_ignore_ascii_case(name))
            .ok_or_else(|| UnknownFormat(name.to_owned()))
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for format in Format::ALL {
            assert_eq!(format.name().parse::<Format>(), Ok(format));
        }
    }

    #[test]
    fn unknown_format_names_the_choices() {
        let error = "xml".parse::<Format>().unwrap_err();
        assert_eq!(error.to_string(), "unknown export format \"xml\"; use json, csv, prometheus or openmetrics");
    }
}
