//! Reports: one self-contained HTML file with the numbers of a period, for people who were not
//! watching the dashboard.
//!
//! A report has latency over time (p50 and p99 of the busiest sites), rates and error rates,
//! the slowest sites, cache hit rates and health, and the alerts of the period. Its charts
//! are inline SVG and its stylesheet is inline, so the file needs nothing else to open.
//!
//! The data comes from JSON exports ([`load_exports`]: one snapshot per file, as written by
//! a scheduled JSON export or `GET /api/snapshot`), from this process
//! ([`ReportInput::from_this_process`]) or from another process over HTTP ([`fetch`]).
//!
//! ```
//! let input = perf::report::ReportInput::from_snapshots(vec![perf::snapshot()], "example").unwrap();
//! let html = perf::report::render(&input, &perf::report::ReportOptions::default());
//! assert!(html.starts_with("<!doctype html>"));
//! assert!(html.contains("Slowest sites"));
//! ```

mod fetch;
mod format;
mod html;
mod input;
mod load;
mod svg;

pub use fetch::{fetch, FetchError};
pub use input::{AlertChange, Interval, ReportInput, ReportInputError};
pub use load::{load_exports, LoadError};

/// What a report shows besides its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportOptions {
    /// Title at the top of the page and in the browser tab.
    pub title: String,
    /// Number of sites drawn in the charts over time, the busiest first.
    pub chart_sites: usize,
    /// Number of rows in the table of slowest sites.
    pub slowest_sites: usize,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions { title: "perf report".to_owned(), chart_sites: 8, slowest_sites: 15 }
    }
}

/// Renders a report as a complete HTML document.
pub fn render(input: &ReportInput, options: &ReportOptions) -> String {
    html::page(input, options)
}
