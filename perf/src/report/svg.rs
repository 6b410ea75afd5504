//! Inline SVG charts for reports: time-series lines and horizontal bars. The drawings scale
//! with the page through their viewBox and need no script.

use std::fmt::Write;

use super::format;
use super::html::escape;

pub(crate) const METRIC: &str = "#007ACC";
pub(crate) const HEALTHY: &str = "#28A745";
pub(crate) const WARNING: &str = "#FD7E14";
pub(crate) const CRITICAL: &str = "#DC3545";
/// Further line colours, for charts with more lines than the four above.
pub(crate) const PALETTE: [&str; 8] =
    ["#007ACC", "#FD7E14", "#6F42C1", "#28A745", "#DC3545", "#17A2B8", "#8C564B", "#E83E8C"];

const WIDTH: f64 = 640.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 10.0;
const TOP: f64 = 8.0;
const BOTTOM: f64 = 22.0;

/// One line of a chart: points `(time in ms, value)`, `None` breaking the line.
#[derive(Debug)]
pub(crate) struct Line<'a> {
    pub(crate) name: &'a str,
    pub(crate) colour: &'a str,
    pub(crate) points: Vec<(u64, Option<f64>)>,
}

/// Draws time series between `from_ms` and `to_ms`, with `label` formatting the y axis.
pub(crate) fn line_chart(
    title: &str,
    lines: &[Line<'_>],
    from_ms: u64,
    to_ms: u64,
    label: fn(f64) -> String,
) -> String {
    let height = 180.0;
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot_height = height - TOP - BOTTOM;
    let maximum = nice_ceiling(
        lines.iter().flat_map(|line| line.points.iter().filter_map(|(_, value)| *value)).fold(0.0, f64::max),
    );
    let span = to_ms.saturating_sub(from_ms).max(1) as f64;
    let x = |time: u64| LEFT + (time.saturating_sub(from_ms) as f64 / span).min(1.0) * plot_width;
    let y = |value: f64| TOP + plot_height - if maximum > 0.0 { value / maximum * plot_height } else { 0.0 };

    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        escape(title)
    );
    let fractions: &[f64] = if maximum > 0.0 { &[0.0, 0.25, 0.5, 0.75, 1.0] } else { &[0.0] };
    for &fraction in fractions {
        let level = TOP + plot_height - fraction * plot_height;
        let _ = write!(
            svg,
            r##"<line x1="{LEFT}" x2="{}" y1="{level:.1}" y2="{level:.1}" stroke="#E6EAEF"/><text x="{}" y="{:.1}" text-anchor="end">{}</text>"##,
            WIDTH - RIGHT,
            LEFT - 6.0,
            level + 4.0,
            escape(&label(maximum * fraction))
        );
    }
    let _ = write!(
        svg,
        r#"<text x="{LEFT}" y="{:.1}">{}</text><text x="{}" y="{:.1}" text-anchor="middle">{}</text><text x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
        height - 5.0,
        format::clock(from_ms),
        LEFT + plot_width / 2.0,
        height - 5.0,
        format::clock(from_ms + (to_ms.saturating_sub(from_ms)) / 2),
        WIDTH - RIGHT,
        height - 5.0,
        format::clock(to_ms),
    );

    let mut drawn = 0;
    for line in lines {
        let path = path_of(&line.points, x, y);
        if path.is_empty() {
            continue;
        }
        drawn += 1;
        let _ = write!(
            svg,
            r#"<path d="{path}" fill="none" stroke="{}" stroke-width="1.8" stroke-linejoin="round"><title>{}</title></path>"#,
            line.colour,
            escape(line.name)
        );
        for (time, value) in line.points.iter().filter_map(|(time, value)| value.map(|value| (*time, value))) {
            if line.points.len() <= 60 {
                let _ = write!(
                    svg,
                    r#"<circle cx="{:.1}" cy="{:.1}" r="2" fill="{}"><title>{} {}: {}</title></circle>"#,
                    x(time),
                    y(value),
                    line.colour,
                    escape(line.name),
                    format::clock(time),
                    escape(&label(value))
                );
            }
        }
    }
    if drawn == 0 {
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" class="empty">no data in this period</text>"#,
            LEFT + plot_width / 2.0,
            TOP + plot_height / 2.0
        );
    }
    svg.push_str("</svg>");

    let mut keys = String::new();
    for line in lines {
        let _ = write!(keys, r#"<span class="key" style="--key: {}">{}</span>"#, line.colour, escape(line.name));
    }
    format!(r#"<figure class="chart"><figcaption><strong>{}</strong>{keys}</figcaption>{svg}</figure>"#, escape(title))
}

/// One bar: a name, a value and its colour.
#[derive(Debug)]
pub(crate) struct Bar<'a> {
    pub(crate) name: &'a str,
    pub(crate) value: f64,
    pub(crate) colour: &'a str,
}

/// Draws horizontal bars against `maximum`.
pub(crate) fn bar_chart(title: &str, bars: &[Bar<'_>], maximum: f64, label: fn(f64) -> String) -> String {
    let row = 26.0;
    let label_width = 220.0;
    let value_width = 90.0;
    let height = (bars.len().max(1) as f64) * row + 6.0;
    let plot_width = WIDTH - label_width - value_width;

    let mut svg = format!(
        r#"<svg viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        escape(title)
    );
    for (index, bar) in bars.iter().enumerate() {
        let top = 3.0 + index as f64 * row;
        let share = if maximum > 0.0 { (bar.value / maximum).clamp(0.0, 1.0) } else { 0.0 };
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text><rect x="{label_width}" y="{:.1}" width="{plot_width}" height="14" rx="3" fill="#E9EDF1"/><rect x="{label_width}" y="{:.1}" width="{:.1}" height="14" rx="3" fill="{}"><title>{}: {}</title></rect><text x="{}" y="{:.1}" text-anchor="end">{}</text>"##,
            label_width - 8.0,
            top + 16.0,
            escape(&shorten(bar.name, 34)),
            top + 5.0,
            top + 5.0,
            share * plot_width,
            bar.colour,
            escape(bar.name),
            escape(&label(bar.value)),
            WIDTH - 2.0,
            top + 16.0,
            escape(&label(bar.value)),
        );
    }
    if bars.is_empty() {
        let _ = write!(
            svg,
            r#"<text x="{}" y="18" text-anchor="middle" class="empty">nothing to compare</text>"#,
            WIDTH / 2.0
        );
    }
    svg.push_str("</svg>");
    format!(r#"<figure class="chart"><figcaption><strong>{}</strong></figcaption>{svg}</figure>"#, escape(title))
}

fn path_of(points: &[(u64, Option<f64>)], x: impl Fn(u64) -> f64, y: impl Fn(f64) -> f64) -> String {
    let mut path = String::new();
    let mut drawing = false;
    for (time, value) in points {
        match value {
            Some(value) if value.is_finite() => {
                let _ = write!(path, "{}{:.1},{:.1}", if drawing { 'L' } else { 'M' }, x(*time), y(*value));
                drawing = true;
            }
            _ => drawing = false,
        }
    }
    path
}

/// Rounds up to 1, 2 or 5 times a power of ten, so axis labels read well.
fn nice_ceiling(value: f64) -> f64 {
    if value <= 0.0 || !value.is_finite() {
        return 0.0;
    }
    let power = 10f64.powf(value.log10().floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|step| step * power).find(|ceiling| value <= *ceiling).unwrap_or(10.0 * power)
}

fn shorten(text: &str, length: usize) -> String {
    let count = text.chars().count();
    if count <= length {
        return text.to_owned();
    }
    let tail: String = text.chars().skip(count - length + 1).collect();
    format!("…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ceiling_rounds_up() {
        assert_eq!(nice_ceiling(0.0), 0.0);
        assert_eq!(nice_ceiling(7.0), 10.0);
        assert_eq!(nice_ceiling(130.0), 200.0);
        assert_eq!(nice_ceiling(0.04), 0.05);
    }

    #[test]
    fn path_breaks_at_missing_values() {
        let points = [(0, Some(1.0)), (1, None), (2, Some(1.0)), (3, Some(2.0))];
        let path = path_of(&points, |time| time as f64, |value| value);
        assert_eq!(path, "M0.0,1.0M2.0,1.0L3.0,2.0");
    }

    #[test]
    fn line_chart_escapes_names() {
        let line = Line { name: "<script>", colour: METRIC, points: vec![(0, Some(1.0)), (1000, Some(2.0))] };
        let chart = line_chart("t", &[line], 0, 1000, format::count);
        assert!(!chart.contains("<script>"));
        assert!(chart.contains("&lt;script&gt;"));
    }
}
