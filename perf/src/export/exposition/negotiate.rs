//! Choosing the text format from an HTTP `Accept` header.

use super::TextFormat;

/// Returns the format an `Accept` header asks for: OpenMetrics 1.0 when
/// `application/openmetrics-text` (version 1.0.0 or unversioned) has the highest quality
/// value, the 0.0.4 text format otherwise, including when the header is missing or names
/// neither.
///
/// Prometheus 2.x asks for OpenMetrics first:
///
/// ```
/// use perf::export::{negotiate, TextFormat};
///
/// let prometheus = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
/// assert_eq!(negotiate(Some(prometheus)), TextFormat::OpenMetrics);
/// assert_eq!(negotiate(Some("text/plain")), TextFormat::Prometheus);
/// assert_eq!(negotiate(None), TextFormat::Prometheus);
/// ```
pub fn negotiate(accept: Option<&str>) -> TextFormat {
    let Some(accept) = accept else {
        return TextFormat::Prometheus;
    };

    let mut best: Option<(f32, TextFormat)> = None;
    for range in accept.split(',') {
        let mut parts = range.split(';').map(str::trim);
        let media_type = parts.next().unwrap_or_default().to_ascii_lowercase();
        let mut quality = 1.0f32;
        let mut version = None;
        for parameter in parts {
            let Some((key, value)) = parameter.split_once('=') else { continue };
            match key.trim().to_ascii_lowercase().as_str() {
                "q" => quality = value.trim().parse().unwrap_or(0.0),
                "version" => version = Some(value.trim().trim_matches('"')),
                _ => {}
            }
        }

        let format = match (media_type.as_str(), version) {
            ("application/openmetrics-text", None | Some("1.0.0")) => TextFormat::OpenMetrics,
            ("text/plain", None | Some("0.0.4")) | ("text/*" | "*/*", _) => TextFormat::Prometheus,
            _ => continue,
        };
        if quality <= 0.0 {
            continue;
        }
        if best.is_none_or(|(best_quality, _)| quality > best_quality) {
            best = Some((quality, format));
        }
    }
    best.map_or(TextFormat::Prometheus, |(_, format)| format)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openmetrics_preferred_by_quality() {
        let accept = "text/plain;version=0.0.4;q=0.5,application/openmetrics-text;version=1.0.0;q=0.9";
        assert_eq!(negotiate(Some(accept)), TextFormat::OpenMetrics);
    }

    #[test]
    fn text_preferred_by_quality() {
        let accept = "application/openmetrics-text;q=0.3,text/plain;q=0.8";
        assert_eq!(negotiate(Some(accept)), TextFormat::Prometheus);
    }

    #[test]
    fn unknown_openmetrics_version_is_ignored() {
        assert_eq!(negotiate(Some("application/openmetrics-text; version=2.0.0")), TextFormat::Prometheus);
    }

    #[test]
    fn zero_quality_excludes_a_range() {
        assert_eq!(negotiate(Some("application/openmetrics-text;q=0, */*;q=0.1")), TextFormat::Prometheus);
    }

    #[test]
    fn media_type_is_case_insensitive() {
        assert_eq!(negotiate(Some("Application/OpenMetrics-Text")), TextFormat::OpenMetrics);
    }

    #[test]
    fn unrelated_header_falls_back_to_text() {
        assert_eq!(negotiate(Some("application/json")), TextFormat::Prometheus);
    }
}
