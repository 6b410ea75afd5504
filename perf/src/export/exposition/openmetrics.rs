//! The OpenMetrics 1.0 text format.
//!
//! What Prometheus asks for first when it scrapes. Compared with the 0.0.4 format: a counter
//! family is named without `_total` while its sample keeps it, HELP text also escapes `"`,
//! families with a unit get a `# UNIT` line (the name must end with `_<unit>`), info families
//! have their own type, `le` and `quantile` values are canonical numbers, and the exposition
//! ends with `# EOF`.

use super::writer::Dialect;

/// `Content-Type` of the format.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

pub(crate) static DIALECT: Dialect = Dialect {
    content_type: CONTENT_TYPE,
    escape_help_quotes: true,
    counter_metadata_with_total: false,
    unit_lines: true,
    info_type: true,
    end: "# EOF\n",
};
