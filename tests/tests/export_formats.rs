//! The export formats of one process state: OpenMetrics read back by a parser written here
//! from the specification, the 0.0.4 text format, CSV read back by the `csv` crate, and JSON.

mod prometheus;

use std::collections::BTreeMap;

use perf::export::{self, Exposition, ExpositionOptions, HistogramExposition, TextFormat};
use prometheus::fixture;

fn exposition(options: ExpositionOptions) -> Exposition {
    Exposition::new(options).expect("valid exposition options")
}

fn scrape(format: TextFormat) -> String {
    fixture::install();
    let mut out = Vec::new();
    exposition(ExpositionOptions::default()).scrape(format, &mut out);
    String::from_utf8(out).expect("the exposition is UTF-8")
}

/// One family of an OpenMetrics exposition, as read by [`parse_openmetrics`].
#[derive(Debug, Default)]
struct Family {
    kind: String,
    unit: Option<String>,
    help: Option<String>,
    samples: Vec<Sample>,
}

#[derive(Debug, Clone)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

/// Parses an OpenMetrics 1.0 text exposition, checking the rules of the specification that a
/// parser checks: metadata before samples, TYPE/UNIT/HELP at most once each, families not
/// interleaved, sample names that belong to their family, escapes, and the final `# EOF`.
fn parse_openmetrics(text: &str) -> BTreeMap<String, Family> {
    assert!(text.ends_with("# EOF\n"), "an OpenMetrics exposition ends with # EOF and a line feed");
    let mut families: BTreeMap<String, Family> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let (eof, lines) = lines.split_last().expect("at least the EOF line");
    assert_eq!(*eof, "# EOF");

    for line in lines {
        assert!(!line.contains('\r'), "no carriage returns: {line:?}");
        if let Some(metadata) = line.strip_prefix("# ") {
            let mut parts = metadata.splitn(3, ' ');
            let (keyword, name, rest) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap_or(""));
            if order.last().map(String::as_str) != Some(name) {
                assert!(!order.iter().any(|seen| seen == name), "family {name} is interleaved");
                order.push(name.to_owned());
            }
            let family = families.entry(name.to_owned()).or_default();
            assert!(family.samples.is_empty(), "metadata of {name} after its samples");
            match keyword {
                "TYPE" => {
                    assert!(family.kind.is_empty(), "two TYPE lines for {name}");
                    family.kind = rest.to_owned();
                }
                "UNIT" => {
                    assert!(family.unit.is_none(), "two UNIT lines for {name}");
                    assert!(name.ends_with(&format!("_{rest}")), "family {name} does not end with its unit {rest}");
                    family.unit = Some(rest.to_owned());
                }
                "HELP" => {
                    assert!(family.help.is_none(), "two HELP lines for {name}");
                    family.help = Some(unescape(rest));
                }
                other => panic!("unknown metadata line {other}: {line}"),
            }
            continue;
        }

        let sample = parse_sample(line);
        let family_name = order.last().unwrap_or_else(|| panic!("sample before any metadata: {line}"));
        let family = families.get_mut(family_name).unwrap();
        let suffixes: &[&str] = match family.kind.as_str() {
            "counter" => &["_total", "_created"],
            "gauge" => &[""],
            "histogram" => &["_bucket", "_count", "_sum", "_created"],
            "summary" => &["", "_count", "_sum", "_created"],
            "info" => &["_info"],
            other => panic!("unexpected type {other} of {family_name}"),
        };
        assert!(
            suffixes.iter().any(|suffix| sample.name == format!("{family_name}{suffix}")),
            "sample {} does not belong to the {} family {family_name}",
            sample.name,
            family.kind
        );
        family.samples.push(sample);
    }
    families
}

fn parse_sample(line: &str) -> Sample {
    let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("sample without a value: {line}"));
    let value: f64 = match value {
        "+Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        other => other.parse().unwrap_or_else(|_| panic!("invalid number {other} in {line}")),
    };
    let Some((name, labels)) = series.split_once('{') else {
        return Sample { name: series.to_owned(), labels: BTreeMap::new(), value };
    };
    let labels = labels.strip_suffix('}').unwrap_or_else(|| panic!("unclosed labels: {line}"));

    let mut parsed = BTreeMap::new();
    let mut rest = labels;
    while !rest.is_empty() {
        let (label, after) = rest.split_once("=\"").unwrap_or_else(|| panic!("label without a value: {line}"));
        let mut value = String::new();
        let mut chars = after.char_indices();
        let end = loop {
            match chars.next() {
                Some((_, '\\')) => match chars.next() {
                    Some((_, 'n')) => value.push('\n'),
                    Some((_, '"')) => value.push('"'),
                    Some((_, '\\')) => value.push('\\'),
                    other => panic!("invalid escape {other:?} in {line}"),
                },
                Some((index, '"')) => break index,
                Some((_, character)) => value.push(character),
                None => panic!("unterminated label value: {line}"),
            }
        };
        assert!(parsed.insert(label.to_owned(), value).is_none(), "label {label} twice in {line}");
        rest = after[end + 1..].strip_prefix(',').unwrap_or(&after[end + 1..]);
    }
    Sample { name: name.to_owned(), labels: parsed, value }
}

fn unescape(text: &str) -> String {
    text.replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\")
}

fn samples<'a>(family: &'a Family, name: &str, label: (&str, &str)) -> Vec<&'a Sample> {
    family
        .samples
        .iter()
        .filter(|sample| sample.name == name && sample.labels.get(label.0).map(String::as_str) == Some(label.1))
        .collect()
}

#[test]
fn openmetrics_ends_with_eof() {
    let text = scrape(TextFormat::OpenMetrics);
    assert_eq!(text.matches("# EOF").count(), 1);
    assert!(text.ends_with("\n# EOF\n"));
}

#[test]
fn openmetrics_counter_family_drops_total() {
    let families = parse_openmetrics(&scrape(TextFormat::OpenMetrics));
    let calls = families.get("perf_calls").expect("the calls family is named without _total");
    assert_eq!(calls.kind, "counter");
    assert!(!families.contains_key("perf_calls_total"));
    assert!(calls.samples.iter().all(|sample| sample.name == "perf_calls_total"));

    let jobs = families.get("jobs_processed").expect("the counter! family");
    assert_eq!(jobs.samples[0].name, "jobs_processed_total");
    assert_eq!(jobs.samples[0].value, fixture::JOBS_PROCESSED as f64);
}

#[test]
fn openmetrics_calls_match_snapshot() {
    let families = parse_openmetrics(&scrape(TextFormat::OpenMetrics));
    let calls = &families["perf_calls"];
    let ok = samples(calls, "perf_calls_total", ("function", "checkout"));
    let total: f64 = ok.iter().map(|sample| sample.value).sum();
    assert_eq!(total, f64::from(fixture::CHECKOUT_CALLS));
    let errors = samples(calls, "perf_calls_total", ("result", "error"));
    let checkout_errors = errors.iter().find(|sample| sample.labels["function"] == "checkout").unwrap();
    assert_eq!(checkout_errors.value, fixture::CHECKOUT_ERRORS as f64);
}

#[test]
fn openmetrics_errors_by_kind() {
    let families = parse_openmetrics(&scrape(TextFormat::OpenMetrics));
    let errors = &families["perf_call_errors"];
    let declined = samples(errors, "perf_call_errors_total", ("kind", "Declined"));
    assert_eq!(declined.len(), 1);
    assert_eq!(declined[0].value, 5.0, "amounts 7, 17, 27, 37, 47");
}

#[test]
fn openmetrics_le_values_are_canonical() {
    let families = parse_openmetrics(&scrape(TextFormat::OpenMetrics));
    let duration = &families["perf_call_duration_seconds"];
    assert_eq!(duration.kind, "histogram");
    assert_eq!(duration.unit.as_deref(), Some("seconds"));

    let buckets = samples(duration, "perf_call_duration_seconds_bucket", ("function", "checkout"));
    let le: Vec<&str> = buckets.iter().map(|sample| sample.labels["le"].as_str()).collect();
    let expected = [
        "0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5",
        "1.0", "2.5", "5.0", "10.0", "+Inf",
    ];
    assert_eq!(le, expected);
}

#[test]
fn openmetrics_buckets_are_cumulative() {
    let families = parse_openmetrics(&scrape(TextFormat::OpenMetrics));
    let duration = &families["perf_call_duration_seconds"];
    let buckets = samples(duration, "perf_call_duration_seconds_bucket", ("function", "checkout"));
    for pair in buckets.windows(2) {
        assert!(pair[0].value <= pair[1].value, "{pair:?}");
    }
    let count = samples(duration, "perf_call_duration_seconds_count", ("function", "checkout"));
    assert_eq!(buckets.last().unwrap().value, count[0].value, "the +Inf bucket equals _count");
    assert_eq!(count[0].value, f64::from(fixture::CHECKOUT_CALLS));
}

#[test]
fn openmetrics_label_value_round_trips() {
    let families = parse_openmetrics(&scrape(TextFormat::OpenMetrics));
    let calls = samples(&families["perf_calls"], "perf_calls_total", ("function", "checkout"));
    assert_eq!(calls[0].labels["note"], "eu, \"west\" \\ 1");
}

#[test]
fn openmetrics_cache_families() {
    let families = parse_openmetrics(&scrape(TextFormat::OpenMetrics));
    let gets = &families["perf_cache_gets"];
    assert_eq!(samples(gets, "perf_cache_gets_total", ("result", "hit"))[0].value, 90.0);
    assert_eq!(samples(gets, "perf_cache_gets_total", ("result", "miss"))[0].value, 10.0);
    assert_eq!(
        samples(&families["perf_cache_evictions"], "perf_cache_evictions_total", ("cause", "size"))[0].value,
        3.0
    );
    assert_eq!(samples(&families["perf_cache_size"], "perf_cache_size", ("cache", "sessions"))[0].value, 42.0);
    assert_eq!(
        samples(&families["perf_cache_weighted_size"], "perf_cache_weighted_size", ("cache", "sessions"))[0].value,
        4_200.0
    );
    assert_eq!(
        samples(&families["perf_cache_health_score"], "perf_cache_health_score", ("cache", "sessions"))[0].value,
        97.5
    );
}

#[test]
fn openmetrics_nanoseconds_become_seconds() {
    let families = parse_openmetrics(&scrape(TextFormat::OpenMetrics));
    let load = &families["perf_cache_load_time_seconds"];
    assert_eq!(load.kind, "counter");
    assert_eq!(samples(load, "perf_cache_load_time_seconds_total", ("cache", "sessions"))[0].value, 0.0015);

    let latency = &families["perf_cache_get_latency_seconds"];
    assert_eq!(latency.kind, "histogram");
    let count = samples(latency, "perf_cache_get_latency_seconds_count", ("cache", "sessions"));
    assert_eq!(count[0].value, 100.0);
    let under_a_millisecond = samples(latency, "perf_cache_get_latency_seconds_bucket", ("le", "0.001"));
    assert_eq!(under_a_millisecond[0].value, 90.0, "800 ns and 25 µs, not 2 ms");
}

#[test]
fn openmetrics_derived_cache_samples_left_out() {
    let families = parse_openmetrics(&scrape(TextFormat::OpenMetrics));
    for name in ["perf_cache_requests", "perf_cache_hit_rate", "perf_cache_window_requests", "perf_cache_hits"] {
        assert!(!families.contains_key(name), "{name} is derived or renamed, so not exposed");
    }
}

#[test]
fn openmetrics_build_info_is_info() {
    let families = parse_openmetrics(&scrape(TextFormat::OpenMetrics));
    let build = &families["perf_build"];
    assert_eq!(build.kind, "info");
    assert_eq!(build.samples[0].name, "perf_build_info");
    assert_eq!(build.samples[0].labels["version"], env!("CARGO_PKG_VERSION"));
}

#[test]
fn openmetrics_every_family_has_help() {
    let families = parse_openmetrics(&scrape(TextFormat::OpenMetrics));
    for (name, family) in &families {
        assert!(family.help.as_deref().is_some_and(|help| !help.is_empty()), "family {name} has no HELP");
        assert!(!family.kind.is_empty(), "family {name} has no TYPE");
    }
}

#[test]
fn text_format_names_counters_with_total() {
    let text = scrape(TextFormat::Prometheus);
    assert!(text.contains("# TYPE perf_calls_total counter\n# HELP perf_calls_total "), "{text}");
    assert!(text.contains("# TYPE perf_build_info gauge\n"));
    assert!(!text.contains("# UNIT"));
    assert!(!text.contains("# EOF"));
}

#[test]
fn summary_option_gives_quantiles() {
    fixture::install();
    let options = ExpositionOptions { histograms: HistogramExposition::Summary, ..ExpositionOptions::default() };
    let mut out = Vec::new();
    exposition(options).scrape(TextFormat::OpenMetrics, &mut out);
    let families = parse_openmetrics(&String::from_utf8(out).unwrap());

    let duration = &families["perf_call_duration_seconds"];
    assert_eq!(duration.kind, "summary");
    let quantiles: Vec<&str> = duration
        .samples
        .iter()
        .filter(|sample| sample.name == "perf_call_duration_seconds" && sample.labels["function"] == "checkout")
        .map(|sample| sample.labels["quantile"].as_str())
        .collect();
    assert_eq!(quantiles, ["0.5", "0.9", "0.99", "0.999"]);

    let snapshot = perf::snapshot();
    let p99_seconds = fixture::checkout_site(&snapshot).latency.unwrap().p99 as f64 / 1e9;
    let p99 = samples(duration, "perf_call_duration_seconds", ("quantile", "0.99"));
    let checkout_p99 = p99.iter().find(|sample| sample.labels["function"] == "checkout").unwrap();
    assert!((checkout_p99.value - p99_seconds).abs() <= p99_seconds * 1e-9, "{} vs {p99_seconds}", checkout_p99.value);
}

#[test]
fn snapshot_render_equals_scrape_families() {
    fixture::install();
    let exposition = exposition(ExpositionOptions::default());
    let mut rendered = Vec::new();
    exposition.render(&perf::snapshot(), TextFormat::OpenMetrics, &mut rendered);
    let mut scraped = Vec::new();
    exposition.scrape(TextFormat::OpenMetrics, &mut scraped);

    // The built-in `process` and `perf` collectors run under a time budget, so either run may
    // lack their samples on a loaded machine; the families of this test's state must match.
    let names = |text: Vec<u8>| -> Vec<String> {
        let families = parse_openmetrics(&String::from_utf8(text).unwrap());
        let builtin = |name: &String| name.starts_with("perf_process_") || name.starts_with("perf_runtime_");
        families.into_keys().filter(|name| !builtin(name)).collect()
    };
    assert_eq!(names(rendered), names(scraped));
}

#[test]
fn csv_has_header_and_a_row_per_record() {
    fixture::install();
    let snapshot = perf::snapshot();
    let bytes = export::to_csv(&snapshot);
    assert!(bytes.windows(2).any(|pair| pair == b"\r\n"), "records end with CRLF");

    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(
        &header[..8],
        ["taken_at_ms", "record", "name", "component", "collector", "collector_kind", "type", "labels"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();

    let count = |record: &str| rows.iter().filter(|row| &row[1] == record).count();
    let sample_count: usize = snapshot.collectors.iter().map(|collector| collector.samples.len()).sum();
    assert_eq!(count("site"), snapshot.sites.len());
    assert_eq!(count("metric"), snapshot.metrics.len());
    assert_eq!(count("sample"), sample_count);
}

#[test]
fn csv_quotes_label_with_comma_and_quote() {
    fixture::install();
    let bytes = export::to_csv(&perf::snapshot());
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let header = reader.headers().unwrap().clone();
    let labels_column = header.iter().position(|name| name == "labels").unwrap();
    let calls_column = header.iter().position(|name| name == "calls").unwrap();
    let checkout = reader
        .records()
        .map(Result::unwrap)
        .find(|row| &row[1] == "site" && row[2].ends_with("::checkout"))
        .expect("a row for the checkout site");

    let labels: BTreeMap<String, String> = serde_json::from_str(&checkout[labels_column]).unwrap();
    assert_eq!(labels["note"], "eu, \"west\" \\ 1");
    assert_eq!(&checkout[calls_column], fixture::CHECKOUT_CALLS.to_string());
}

#[test]
fn json_round_trips_histograms() {
    fixture::install();
    let snapshot = perf::snapshot();
    let back = export::from_json(&export::to_json(&snapshot)).unwrap();
    let before = fixture::checkout_site(&snapshot);
    let after = fixture::checkout_site(&back);
    assert_eq!(after.latency_histogram, before.latency_histogram);
    assert_eq!(after.latency, before.latency);
    assert_eq!(after.errors_by_kind, before.errors_by_kind);
}
