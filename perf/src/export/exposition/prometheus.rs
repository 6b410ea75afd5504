//! The Prometheus text exposition format, version 0.0.4.
//!
//! The format every Prometheus server and most scrapers read. Compared with OpenMetrics: a
//! counter's TYPE and HELP lines name it with its `_total` suffix, HELP text escapes only `\`
//! and line feeds, there are no UNIT lines and no `info` type (an info family is a gauge whose
//! name ends in `_info`), and nothing marks the end.

use super::writer::Dialect;

/// `Content-Type` of the format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

pub(crate) static DIALECT: Dialect = Dialect {
    content_type: CONTENT_TYPE,
    escape_help_quotes: false,
    counter_metadata_with_total: true,
    unit_lines: false,
    info_type: false,
    end: "",
};
