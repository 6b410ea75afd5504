//! The HTML page of a report: one file with its stylesheet and SVG charts inline and no
//! script, so it opens anywhere, offline, and prints.

use std::fmt::Write;

use super::format;
use super::input::{Interval, ReportInput};
use super::svg::{self, Bar, Line, CRITICAL, HEALTHY, METRIC, PALETTE, WARNING};
use super::ReportOptions;
use crate::dashboard::CacheView;
use crate::snapshot::SiteSnapshot;

const STYLE: &str = include_str!("report.css");

/// Escapes text for HTML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

pub(crate) fn page(input: &ReportInput, options: &ReportOptions) -> String {
    let mut html = String::with_capacity(64 * 1024);
    let title = escape(&options.title);
    let _ = write!(
        html,
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title><style>{STYLE}</style></head><body><header><h1>{title}</h1><p class="muted">{} to {} UTC · {} · generated {} UTC</p></header><main>"#,
        format::date_time(input.from_ms),
        format::date_time(input.to_ms),
        escape(&input.source),
        format::date_time(input.snapshot.taken_at_ms),
    );

    summary(&mut html, input);
    let busiest = busiest_sites(input, options.chart_sites);
    latency_section(&mut html, input, &busiest);
    rates_section(&mut html, input, &busiest);
    slowest_section(&mut html, input, options.slowest_sites);
    caches_section(&mut html, input);
    alerts_section(&mut html, input);

    html.push_str("</main></body></html>\n");
    html
}

fn summary(html: &mut String, input: &ReportInput) {
    let snapshot = &input.snapshot;
    let intervals = input.sites.values().flatten();
    let (period_calls, period_errors) =
        intervals.fold((0u64, 0u64), |(calls, errors), interval| (calls + interval.calls, errors + interval.errors));
    let seconds = (input.to_ms.saturating_sub(input.from_ms) as f64 / 1000.0).max(0.001);
    let error_rate = if period_calls > 0 { period_errors as f64 / period_calls as f64 } else { 0.0 };
    let caches = CacheView::all(snapshot);
    let firing = input.alerts.iter().filter(|change| change.to == "firing").count();

    html.push_str(r#"<section class="cards" id="summary">"#);
    card(html, "Sites", &snapshot.sites.len().to_string(), "");
    card(html, "Calls in the period", &format::count(period_calls as f64), "");
    card(html, "Average rate", &format!("{}/s", format::count(period_calls as f64 / seconds)), "");
    card(html, "Error rate", &format::percent(error_rate), tone_for_error_rate(error_rate));
    card(html, "Caches", &caches.len().to_string(), "");
    card(html, "Alerts fired", &firing.to_string(), if firing > 0 { "critical" } else { "healthy" });
    html.push_str("</section>");
}

fn card(html: &mut String, label: &str, value: &str, tone: &str) {
    let _ = write!(
        html,
        r#"<div class="card"><div class="label">{}</div><div class="value {tone}">{}</div></div>"#,
        escape(label),
        escape(value)
    );
}

/// Returns the names of the sites with the most calls in the period, at most `limit`.
fn busiest_sites(input: &ReportInput, limit: usize) -> Vec<&str> {
    let mut totals: Vec<(&str, u64)> = input
        .sites
        .iter()
        .map(|(name, intervals)| (name.as_str(), intervals.iter().map(|interval| interval.calls).sum()))
        .filter(|(_, calls)| *calls > 0)
        .collect();
    totals.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    totals.into_iter().take(limit).map(|(name, _)| name).collect()
}

fn lines<'a>(input: &'a ReportInput, sites: &[&'a str], value: fn(&Interval) -> Option<f64>) -> Vec<Line<'a>> {
    sites
        .iter()
        .enumerate()
        .map(|(index, name)| Line {
            name,
            colour: PALETTE[index % PALETTE.len()],
            points: input.sites[*name].iter().map(|interval| (interval.end_ms, value(interval))).collect(),
        })
        .collect()
}

fn latency_section(html: &mut String, input: &ReportInput, busiest: &[&str]) {
    html.push_str(r#"<section id="latency"><h2>Latency over time</h2>"#);
    if busiest.is_empty() {
        html.push_str(r#"<p class="notice">No site completed a call in this period.</p></section>"#);
        return;
    }
    html.push_str(r#"<div class="grid">"#);
    let p99 = lines(input, busiest, |interval| interval.p99);
    let p50 = lines(input, busiest, |interval| interval.p50);
    let _ = write!(
        html,
        r#"<div class="card wide">{}</div><div class="card wide">{}</div>"#,
        svg::line_chart("p99 latency of the busiest sites", &p99, input.from_ms, input.to_ms, format::duration),
        svg::line_chart("p50 latency of the busiest sites", &p50, input.from_ms, input.to_ms, format::duration),
    );
    html.push_str("</div></section>");
}

fn rates_section(html: &mut String, input: &ReportInput, busiest: &[&str]) {
    if busiest.is_empty() {
        return;
    }
    html.push_str(r#"<section id="rates"><h2>Rates</h2><div class="grid">"#);
    let rates = lines(input, busiest, |interval| Some(interval.rate_per_sec()));
    let errors = lines(input, busiest, Interval::error_rate);
    let _ = write!(
        html,
        r#"<div class="card wide">{}</div><div class="card wide">{}</div>"#,
        svg::line_chart("Calls per second", &rates, input.from_ms, input.to_ms, |value| format!(
            "{}/s",
            format::count(value)
        )),
        svg::line_chart("Error rate", &errors, input.from_ms, input.to_ms, format::percent),
    );
    html.push_str("</div></section>");
}

fn slowest_section(html: &mut String, input: &ReportInput, limit: usize) {
    let mut sites: Vec<&SiteSnapshot> = input.snapshot.sites.iter().filter(|site| site.latency.is_some()).collect();
    sites.sort_by(|a, b| p99_of(b).cmp(&p99_of(a)).then(a.name.cmp(&b.name)));
    sites.truncate(limit);

    html.push_str(r#"<section id="slowest"><h2>Slowest sites</h2>"#);
    if sites.is_empty() {
        html.push_str(r#"<p class="notice">No site has recorded a latency.</p></section>"#);
        return;
    }
    html.push_str(
        r#"<div class="table-wrap"><table><thead><tr><th>Site</th><th class="num">Calls</th><th class="num">Error rate</th><th class="num">p50</th><th class="num">p90</th><th class="num">p99</th><th class="num">p99.9</th><th class="num">Max</th></tr></thead><tbody>"#,
    );
    for site in sites {
        let Some(latency) = &site.latency else { continue };
        let _ = write!(
            html,
            r#"<tr><td class="mono">{}</td><td class="num">{}</td><td class="num {}">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
            escape(&site.name),
            format::count(site.calls as f64),
            tone_for_error_rate(site.error_rate),
            format::percent(site.error_rate),
            format::duration(latency.p50 as f64),
            format::duration(latency.p90 as f64),
            format::duration(latency.p99 as f64),
            format::duration(latency.p999 as f64),
            format::duration(latency.max as f64),
        );
    }
    html.push_str("</tbody></table></div><p class=\"muted\">Latency since the start of the process.</p></section>");
}

fn p99_of(site: &SiteSnapshot) -> u64 {
    site.latency.as_ref().map_or(0, |latency| latency.p99)
}

fn caches_section(html: &mut String, input: &ReportInput) {
    let caches = CacheView::all(&input.snapshot);
    html.push_str(r#"<section id="caches"><h2>Caches</h2>"#);
    if caches.is_empty() {
        html.push_str(r#"<p class="notice">No cache reported to this process.</p></section>"#);
        return;
    }

    let bars: Vec<Bar<'_>> = caches
        .iter()
        .filter_map(|cache| {
            let rate = cache.hit_rate?;
            Some(Bar { name: &cache.name, value: rate, colour: tone_colour(tone_for_hit_rate(rate)) })
        })
        .collect();
    html.push_str(r#"<div class="grid">"#);
    let _ = write!(html, r#"<div class="card wide">{}</div>"#, svg::bar_chart("Hit rate", &bars, 1.0, format::percent));
    if !input.cache_hit_rates.is_empty() {
        let lines: Vec<Line<'_>> = input
            .cache_hit_rates
            .iter()
            .enumerate()
            .map(|(index, (name, points))| Line {
                name,
                colour: PALETTE[index % PALETTE.len()],
                points: points.clone(),
            })
            .collect();
        let _ = write!(
            html,
            r#"<div class="card wide">{}</div>"#,
            svg::line_chart("Hit rate over time", &lines, input.from_ms, input.to_ms, format::percent)
        );
    }
    html.push_str("</div>");

    html.push_str(
        r#"<div class="table-wrap"><table><thead><tr><th>Cache</th><th>State</th><th class="num">Health score</th><th class="num">Hit rate</th><th class="num">p99 lookup</th><th class="num">Size / capacity</th><th class="num">Memory</th><th>Evictions by cause</th></tr></thead><tbody>"#,
    );
    for cache in &caches {
        let state = cache.state.as_deref().unwrap_or("–");
        let size = match (cache.size, cache.capacity) {
            (Some(size), Some(capacity)) => {
                format!("{} / {}", format::count(size as f64), format::count(capacity as f64))
            }
            (Some(size), None) => format::count(size as f64),
            _ => "–".to_owned(),
        };
        let evictions: Vec<String> = cache
            .evictions
            .iter()
            .filter(|(_, total)| **total > 0)
            .map(|(cause, total)| format!("{cause} {}", format::count(*total as f64)))
            .collect();
        let _ = write!(
            html,
            r#"<tr><td class="mono">{}</td><td><span class="pill {}">{}</span></td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="mono">{}</td></tr>"#,
            escape(&cache.name),
            state_tone(state),
            escape(state),
            cache.health_score.map_or("–".to_owned(), |score| format!("{score:.0}/100")),
            cache.hit_rate.map_or("–".to_owned(), format::percent),
            cache.latency.as_ref().map_or("–".to_owned(), |latency| format::duration(latency.p99 as f64)),
            size,
            cache.memory_bytes.map_or("–".to_owned(), |bytes| format::bytes(bytes as f64)),
            if evictions.is_empty() { "none".to_owned() } else { escape(&evictions.join(", ")) },
        );
    }
    html.push_str("</tbody></table></div></section>");
}

fn alerts_section(html: &mut String, input: &ReportInput) {
    html.push_str(r#"<section id="alerts"><h2>Alerts of the period</h2>"#);
    if input.alerts.is_empty() {
        html.push_str(r#"<p class="notice">No alert changed state in this period.</p></section>"#);
        return;
    }
    html.push_str(
        r#"<div class="table-wrap"><table><thead><tr><th>Time (UTC)</th><th>Rule</th><th>Severity</th><th>Change</th><th class="num">Value</th></tr></thead><tbody>"#,
    );
    for change in &input.alerts {
        let _ = write!(
            html,
            r#"<tr><td class="mono">{}</td><td class="mono">{}</td><td>{}</td><td><span class="pill {}">{}</span> → <span class="pill {}">{}</span></td><td class="num">{}</td></tr>"#,
            format::date_time(change.at_ms),
            escape(&change.rule),
            escape(change.severity.as_deref().unwrap_or("")),
            state_tone(&change.from),
            escape(&change.from),
            state_tone(&change.to),
            escape(&change.to),
            change.value.map_or("–".to_owned(), |value| format!("{value:.4}")),
        );
    }
    html.push_str("</tbody></table></div></section>");
}

fn tone_for_error_rate(rate: f64) -> &'static str {
    if rate >= 0.05 {
        "critical"
    } else if rate >= 0.01 {
        "warning"
    } else {
        "healthy"
    }
}

fn tone_for_hit_rate(rate: f64) -> &'static str {
    if rate >= 0.8 {
        "healthy"
    } else if rate >= 0.5 {
        "warning"
    } else {
        "critical"
    }
}

fn tone_colour(tone: &str) -> &'static str {
    match tone {
        "healthy" => HEALTHY,
        "warning" => WARNING,
        "critical" => CRITICAL,
        _ => METRIC,
    }
}

fn state_tone(state: &str) -> &'static str {
    match state {
        "healthy" | "resolved" | "ok" => "healthy",
        "degraded" | "pending" | "warning" => "warning",
        "critical" | "firing" | "failed" => "critical",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_markup_characters() {
        assert_eq!(escape(r#"<a href="x">&'"#), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    }
}
